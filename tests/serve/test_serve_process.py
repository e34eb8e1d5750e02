"""`autograder serve` as a real process (uvicorn on 127.0.0.1, grading processes): the
released submit.py uploads and waits for the public results; the server is SIGKILLed
with work queued, restarted, and every receipt is graded exactly once."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from autograder.authoring.release import write_submit_client
from autograder.gradebook.database import (
    Gradebook,
    GradingJob,
    HiddenJob,
    Receipt,
    Submission,
    resolve_url,
)

from .conftest import BROKEN, HONEST, PUBLIC_ONLY, make_course, notebook_bytes, roster_with_tokens

START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    root: Path, port: int, log: Path, *extra: str, ready_url: str = "", context=None
) -> subprocess.Popen:
    """`autograder serve` (one grader, `extra` options) once `ready_url` answers (default
    its plain-HTTP OpenAPI page; `context`: the SSL context to reach an HTTPS one)."""
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(root / "gradebook.db"), "COLUMNS": "200",
           "OMP_NUM_THREADS": "1"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", "serve", "--port", str(port), "--workers", "1",
         *extra],
        cwd=root, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    ready_url = ready_url or f"http://127.0.0.1:{port}/openapi.json"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"autograder serve exited ({server.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(ready_url, timeout=5, context=context):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)  # polling a server that is starting; nothing to wait on instead
    server.kill()
    pytest.fail(f"autograder serve did not answer in {START_SECONDS} s:\n{log.read_text()[-3000:]}")


def run_submit(
    client: Path, notebook: Path, token: str, *extra: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(client), str(notebook), "--token", token, *extra],
        capture_output=True, text=True, timeout=300, env={**os.environ, "AUTOGRADER_TOKEN": ""},
    )  # fmt: skip


def wrong_token_from(port: int, forwarded_for: str) -> int:
    """The status of an API call with a wrong token, claiming to come from elsewhere."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/homeworks",
        headers={"Authorization": "Bearer wrong", "X-Forwarded-For": forwarded_for},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as exc:
        return exc.code


def hidden_phases_done(book: Gradebook, count: int, polls: int = 2400) -> bool:
    """The hidden phases run after the public ones and show students nothing: wait for
    them in the gradebook (bounded polling of a condition, not a fixed wait)."""
    for _ in range(polls):
        with book.transaction() as session:
            statuses = list(session.scalars(select(HiddenJob.status)))
        if len(statuses) == count and set(statuses) == {"done"}:
            return True
        time.sleep(0.25)
    return False


def graded_eventually(port: int, public_id: str, token: str, polls: int = 10) -> bool:
    """Long-poll the receipt (60 s a time, the server's own wait) until it is graded; a
    slow machine only takes more polls. False after `polls` of them."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/receipts/{public_id}?wait=60",
        headers={"Authorization": f"Bearer {token}"},
    )
    for _ in range(polls):
        with urllib.request.urlopen(request, timeout=90) as reply:
            if b'"grading":"done"' in reply.read():
                return True
    return False


def test_submit_py_then_sigkill_and_restart_grade_every_receipt_once(tmp_path):
    root = make_course(tmp_path / "course")
    url = resolve_url(None, root)
    tokens = roster_with_tokens(root, url)
    port = free_port()
    released = tmp_path / "released"
    released.mkdir()
    client = write_submit_client(released, "hw01", f"http://127.0.0.1:{port}")
    notebooks = {}
    for name, code in (("honest", HONEST), ("public", PUBLIC_ONLY), ("broken", BROKEN)):
        notebooks[name] = tmp_path / f"{name}.ipynb"
        notebooks[name].write_bytes(notebook_bytes(code))
    log = tmp_path / "serve.log"
    server = start_server(root, port, log)
    try:
        done = run_submit(client, notebooks["public"], tokens["alice"])
        assert done.returncode == 0, done.stderr
        assert "попытка 1" in done.stdout and "вовремя" in done.stdout
        assert "[+] q1_public_shape: 1.0 / 1.0" in done.stdout
        assert "скрытые тесты и итог будут видны после публикации" in done.stdout
        wrong = run_submit(client, notebooks["public"], "not-a-token")
        assert wrong.returncode == 1 and "сервер отказал (401)" in wrong.stderr
        for student, name in (("alice", "broken"), ("bob", "honest"), ("bob", "broken")):
            queued = run_submit(client, notebooks[name], tokens[student], "--no-wait")
            assert queued.returncode == 0, queued.stderr
    finally:
        server.send_signal(signal.SIGKILL)  # with work queued or running
        server.wait()
    book = Gradebook(url)
    with book.transaction() as session:  # a job a dead server left running, for certain
        job = session.scalars(select(GradingJob).order_by(GradingJob.id.desc())).first()
        job.status = "running"
    server = start_server(root, port, log)
    try:
        with book.transaction() as session:
            ids = {r.public_id: r.student_id for r in session.scalars(select(Receipt))}
        for public_id, student in ids.items():
            assert graded_eventually(port, public_id, tokens[student])
        assert hidden_phases_done(book, len(ids))
        # no proxy is trusted by default: a forged X-Forwarded-For is not a new client
        codes = [wrong_token_from(port, f"198.51.100.{n}") for n in range(11)]
        assert codes == [401] * 10 + [429], codes
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(120) == 0, log.read_text()[-2000:]
    with book.transaction() as session:
        assert session.scalar(select(func.count(Submission.id))) == len(ids) == 4
        assert set(session.scalars(select(GradingJob.status))) == {"done"}
    requeued = re.findall(r"(\d+) unfinished job\(s\) requeued", log.read_text())
    assert requeued[0] == "0" and int(requeued[1]) >= 1  # at least the one left running
    book.close()
