"""Load on `autograder serve` over loopback: C concurrent clients upload N notebooks (a mix
of honest, broken and duplicate ones) to a real server with W grading processes; the
server is SIGKILLed mid-queue and restarted; every upload must have its receipt and every
receipt must be graded exactly once.

    PYTHONPATH=. python bench/serve_load.py [--clients 50] [--uploads 200] [--workers 2]

Prints uploads/s, the time from upload to public feedback (median, p95; from the
receipt's server time to the job's finish, both written by the server), and as a
baseline measured in this run the time to grade one notebook in-process, so the queue's
overhead reads as a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from sqlalchemy import func, select

from autograder.gradebook.database import (
    Gradebook,
    GradingJob,
    HiddenJob,
    Receipt,
    Submission,
    resolve_url,
)
from autograder.grading.bundle import load_bundle, write_bundle_json
from autograder.grading.notebook import grade_notebook
from autograder.serve.roster import RosterRow, import_roster, issue_tokens

TEST_FILE = """\
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = 2

@test_case(points=1, hidden=False)
def test_public(x):
    assert x == 1

@test_case(points=1, hidden=True)
def test_hidden(x):
    assert x + 1 == 2
"""

CONFIG = """
from datetime import datetime
from zoneinfo import ZoneInfo
COMPONENTS = [dict(id="hw01", title="Нагрузка", max_points=2,
                   deadline=datetime(2099, 1, 1, tzinfo=ZoneInfo("Europe/Moscow")))]
MAX_TOTAL = 2
FINAL_GRADE_DIVISOR = 1
FINAL_GRADE_ROUNDING = "half_up"
LATE_POLICY = dict(kind="none")
ATTEMPTS = None
"""


def notebook(code: str) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.cells[0].id = "c1"
    return nbformat.writes(nb).encode()


def build_course(root: Path, students: int) -> tuple[str, dict[str, str]]:
    (root / "dist" / "hw01" / "tests").mkdir(parents=True)
    (root / "dist" / "hw01" / "files").mkdir()
    (root / "dist" / "hw01" / "tests" / "q1.py").write_text(TEST_FILE)
    write_bundle_json(root / "dist" / "hw01", assignment="hw01", notebook="hw01.ipynb",
                      max_points=2, questions={"q1": 2})  # fmt: skip
    (root / "course_config.py").write_text(CONFIG)
    url = resolve_url(None, root)
    book = Gradebook(url)
    import_roster(book, [RosterRow(f"s{i:03d}", f"Студент {i}", None) for i in range(students)])
    tokens = {t.student_id: t.token for t in issue_tokens(book)}
    book.close()
    return url, tokens


def start(root: Path, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(root / "gradebook.db")}
    server = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", "serve", "--port", str(port),
         "--workers", str(workers)],
        cwd=root, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    while True:
        if server.poll() is not None:
            sys.exit(f"server exited:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=5):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)


def upload(port: int, token: str, data: bytes) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="notebook"; filename="n.ipynb"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/homeworks/hw01/submissions", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}",
                 "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def plan(uploads: int, tokens: dict[str, str], seed: int = 7) -> list[tuple[str, bytes, str]]:
    """(student, notebook, kind): 55% honest, 30% broken, 15% a student's earlier file again."""
    rng = random.Random(seed)
    students = sorted(tokens)
    sent: dict[str, list[bytes]] = {}
    work = []
    for n in range(uploads):
        student = students[n % len(students)]
        roll = rng.random()
        if roll < 0.15 and sent.get(student):
            work.append((student, rng.choice(sent[student]), "duplicate"))
            continue
        kind = "honest" if roll < 0.7 else "broken"
        code = f"x = 1  # {n}" if kind == "honest" else f"x = undefined_{n}"
        data = notebook(code)
        sent.setdefault(student, []).append(data)
        work.append((student, data, kind))
    return work


def baseline_seconds(root: Path) -> float:
    """One notebook graded in-process, warm (the cost the queue adds to)."""
    bundle = load_bundle(root / "dist" / "hw01")
    path = root / "baseline.ipynb"
    path.write_bytes(notebook("x = 1"))
    grade_notebook(bundle, path, student_id="baseline")
    started = time.perf_counter()
    grade_notebook(bundle, path, student_id="baseline")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=20, help="SIGKILL after this many graded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        root = Path(tmp) / "course"
        root.mkdir()
        url, tokens = build_course(root, args.clients)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        log = Path(tmp) / "serve.log"
        work = plan(args.uploads, tokens)
        server = start(root, port, args.workers, log)
        lock, replies = threading.Lock(), []

        def client(item):
            student, data, kind = item
            status, body = upload(port, tokens[student], data)
            with lock:
                replies.append((student, kind, status, body))

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(client, work))
        upload_seconds = time.perf_counter() - started
        book = Gradebook(url)

        def done_count(table=GradingJob) -> int:
            with book.transaction() as session:
                return session.scalar(select(func.count(table.id)).where(table.status == "done"))

        while done_count() < args.kill_after:
            time.sleep(0.5)
        server.send_signal(signal.SIGKILL)
        server.wait()
        graded_before_kill = done_count()
        killed_at = time.perf_counter()
        server = start(root, port, args.workers, log)
        total_receipts = len({body["id"] for _, _, status, body in replies if status in (200, 201)})
        while done_count() < total_receipts:
            time.sleep(0.5)
        finished = time.perf_counter()  # every student has the public results
        while done_count(HiddenJob) < total_receipts:  # the gradebook has every submission
            time.sleep(0.5)
        server.send_signal(signal.SIGINT)
        server.wait(120)
        with book.transaction() as session:
            latencies = [
                (job.finished_at - receipt.received_at).total_seconds()
                for receipt, job in session.execute(
                    select(Receipt, GradingJob).join(
                        GradingJob, GradingJob.receipt_id == Receipt.id
                    )
                )
            ]
            per_file = Counter(
                session.execute(select(Submission.student_id, Submission.content_sha256)).all()
            )
            receipts = session.scalar(select(func.count(Receipt.id)))
            statuses = Counter(session.scalars(select(GradingJob.status)))
        book.close()
        base = baseline_seconds(root)

    codes = Counter(status for _, _, status, _ in replies)
    kinds = Counter(kind for _, kind, _, _ in replies)
    expected = len({(s, d) for s, d, _ in work})
    ok = (
        len(replies) == args.uploads
        and set(codes) <= {200, 201}
        and receipts == expected == total_receipts
        and statuses == {"done": expected}
        and len(per_file) == expected
        and set(per_file.values()) == {1}
    )
    median, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[-1]
    print(
        f"uploads: {args.uploads} from {args.clients} clients ({dict(kinds)}), "
        f"HTTP {dict(codes)}, in {upload_seconds:.1f} s: {args.uploads / upload_seconds:.1f} uploads/s"
    )
    print(
        f"receipts: {receipts} (expected {expected}); jobs {dict(statuses)}; "
        f"gradebook rows per file: {set(per_file.values())}"
    )
    print(
        f"SIGKILL after {graded_before_kill} graded; restart to all graded: "
        f"{finished - killed_at:.1f} s; {args.workers} grading processes"
    )
    print(
        f"upload -> public feedback: median {median:.1f} s, p95 {p95:.1f} s "
        f"(includes the queue wait and the restart)"
    )
    print(
        f"baseline: one notebook graded in-process {base:.2f} s; "
        f"median latency / baseline = {median / base:.1f}x"
    )
    print("OK: every upload has a receipt, every receipt graded exactly once" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
