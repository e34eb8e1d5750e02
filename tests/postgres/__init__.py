"""A real PostgreSQL server for the gradebook tests, started by the test suite itself."""
