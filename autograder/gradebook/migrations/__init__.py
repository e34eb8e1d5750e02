"""Alembic migrations of the gradebook schema; applied by `autograder gradebook upgrade`."""
