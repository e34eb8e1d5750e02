"""`autograder serve`: requeue what a dead server left running, start N grading processes,
then the web application under uvicorn. The graders die with the server (SIGKILL
included); queued and running jobs are picked up by the next start."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import uvicorn

from autograder.errors import ServeError
from autograder.gradebook.database import Gradebook
from autograder.serve.app import ServeSettings, create_app
from autograder.serve.queue import requeue_abandoned
from autograder.serve.views import served_homeworks


def run_server(
    settings: ServeSettings, *, host: str, port: int, workers: int, backend: str = "auto",
    pool: bool = True, on_ready=None, trusted_proxies: list[str] = (),
    tls: tuple[Path, Path] | None = None,
) -> None:  # fmt: skip
    """Serve until interrupted; `on_ready(requeued, homeworks)` is told what starts. The
    client address (what the login limiter counts) is the connection's, unless it comes
    from one of `trusted_proxies`: then their X-Forwarded-For. `tls`: (certificate, key)
    files to serve HTTPS without a proxy."""
    app = create_app(settings)
    gradebook: Gradebook = app.state.gradebook
    requeued = requeue_abandoned(gradebook)
    from autograder.course.config import load_course

    homeworks = [c.id for c in served_homeworks(load_course(settings.course_root))]
    if not homeworks:
        raise ServeError(
            f"no released homework under {settings.course_root / 'dist'}: run `autograder release hwNN` first"
        )
    if on_ready:
        on_ready(requeued, homeworks)
    context = multiprocessing.get_context("spawn")  # no inherited threads or open databases
    graders = [
        context.Process(
            target=_grader_main,
            args=(
                str(settings.course_root),
                settings.gradebook_url,
                str(settings.data_dir),
                backend,
                pool,
                i,
                i > 0 or workers == 1,  # grader 0 keeps public results from waiting
            ),
            name=f"autograder-grader-{i}",
            daemon=True,
        )
        for i in range(workers)
    ]
    for grader in graders:
        grader.start()
    try:
        uvicorn.run(
            app, host=host, port=port, log_level="warning",
            proxy_headers=bool(trusted_proxies),  # uvicorn would trust 127.0.0.1 by default
            forwarded_allow_ips=",".join(trusted_proxies) or None,
            ssl_certfile=str(tls[0]) if tls else None, ssl_keyfile=str(tls[1]) if tls else None,
        )  # fmt: skip
    finally:
        for grader in graders:
            grader.terminate()
        for grader in graders:
            grader.join(timeout=60)
            if grader.is_alive():
                grader.kill()


def default_data_dir(course_root: Path) -> Path:
    """Uploads, results and the cookie key: <course>/serve/ unless --data says otherwise."""
    return course_root / "serve"


def _grader_main(*args) -> None:
    # imported in the grading process only: the web server needs none of the grader
    from autograder.serve.grader import grading_process

    grading_process(*args)
