"""Grading one notebook: run it in a sandboxed worker (sandbox/, worker, protocol), run the
bundle's tests against proxies in the trusted process (notebook, proxy), score them
(results). It may use course and errors. worker.py runs INSIDE the sandbox and imports
only the protocol: nothing of the gradebook, the bundle or the tests. Keep this file empty."""
