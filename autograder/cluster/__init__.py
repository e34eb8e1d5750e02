"""Grading on a Dask distributed cluster: `autograder grade ... --cluster tcp://HOST:8786`
(or `tls://`, or `local:N`, a cluster of N one-thread workers on this machine) and
`autograder worker`.

The coordinator (the TA's `grade` command) skips what the gradebook already holds, ships
the bundle to the workers once (each worker checks it against its version hash), submits
one task per submission keyed by assignment + student + content hash, and alone writes
results.json, feedback and the gradebook. A worker runs today's sandboxed grading
(`grade_notebook`) and returns the result as plain JSON text, which the coordinator checks
field by field before it believes a number of it.

Dask reruns a task whose worker died (at least once); recording is exactly once
(autograder.gradebook.recording), so a rerun, a second coordinator or a resumed run never
adds a second row. A task that kills its worker every time ends, after the scheduler's
allowed failures, as an error row for that submission; the batch goes on.

The scheduler unpickles what clients and workers send it: it must sit on a private
network that only the course's machines reach, or speak TLS with certificates of the
course's own CA (docs/CLUSTER.md).

    identity.py     who may work together: the package hash, the sandbox check, errors
    tls.py          the --tls-* options as a dask Security, the same for both sides
    tasks.py        what runs on a worker: the shipped bundle, grade_task
    validation.py   a worker's reply, checked field by field; the lost-worker result
    coordinator.py  grade_on_cluster: the TA's side, the only writer of the gradebook
    worker_host.py  `autograder worker`: checks this host, then runs `dask worker`
"""
