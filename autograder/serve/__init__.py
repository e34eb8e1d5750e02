"""`autograder serve`: students log in with a token, upload notebooks, get a receipt with
the server's time, and see the public tests' results at once; the full results after
`autograder publish`. Pages (Russian, server-rendered) and the JSON API under /api/v1/."""
