"""Grading on a Dask cluster, all on 127.0.0.1: a scheduler and workers the tests start."""
