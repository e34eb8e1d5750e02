"""One session-wide red-team run: build the hw01 bundle, grade every attack notebook once
(two sandboxes at a time), then look at the host for traces. Tests assert on the record.

The run is shared because each grading costs seconds (torch in the sandbox, 35 hidden
tests); a test asking for `security_run` waits for all of it, even when run alone.
"""

from __future__ import annotations

import json
import os
import pickle
import secrets
import signal
import socket
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from slowness import scaled
from sqlalchemy import select

from autograder.authoring.release import build
from autograder.batch import grade_batch
from autograder.course.config import load_course
from autograder.gradebook.database import Gradebook, Submission, resolve_url
from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.limits import Limits
from autograder.grading.notebook import MAX_RESTARTS, grade_notebook
from autograder.grading.results import GradingResult, to_gradescope
from autograder.grading.sandbox import Sandbox
from autograder.grading.sandbox.layout import PACKAGE_ROOT, runtime_dirs
from autograder.intake import collect

from . import traces
from .attacks import (
    ATTACKS,
    CONTROL_LIMITS,
    FAKE_RESULTS,
    KERNEL_CALLS,
    KERNEL_OBJECTS,
    KERNEL_PROBE,
    LIMITS,
    POISON,
    PROBE,
    SEARCH_SECONDS,
    UNPICKLE,
    Attack,
    build_notebook,
    names_in_tests,
    token_for,
)

REPO = Path(__file__).resolve().parents[2]
WORKERS = 2  # sandboxes at a time: the machine this must run on has two cores
SLOW_FIRST = ("search_and_exec", "sigterm_loop", "hang_in_call", "poison", "solution")
# start-up, clean-up and a loaded machine, on top of what limits allow
GRACE_SECONDS = scaled(20)
# Without these the attacks would reach the real host (a kill(-1) as your own uid!).
NEEDED = frozenset({"filesystem", "network", "pid_namespace", "private_tmp", "uid", "processes"})


@dataclass
class Graded:
    """One grading: its result (None when graded through the batch), wall time, limits."""

    result: GradingResult | None
    seconds: float
    limits: Limits
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SecurityRun:
    bundle: Bundle
    session: str  # prefix of every attack's token
    graded: dict[str, Graded]
    file_traces: dict[str, list[str]]  # token -> host paths carrying it
    process_traces: dict[str, list[str]]  # token -> live processes carrying it
    stray_processes: list[tuple[int, int]]
    bundle_before: dict[str, str]
    bundle_after: dict[str, str]
    git_before: str
    git_after: str
    connections: dict[str, str]  # listener -> what accepting on it found
    signals_received: list[int]
    host_files: list[str]
    host_dirs: list[str]
    suite_seconds: float

    def token(self, name: str) -> str:
        return token_for(self.session, name)

    def result(self, name: str) -> GradingResult:
        result = self.graded[name].result
        assert result is not None
        return result


def worst_case_seconds(limits: Limits, cases: int) -> float:
    """The longest a grading may take under `limits`: every worker start running the
    notebook to its limit, every test case to its own, plus grace."""
    starts = MAX_RESTARTS + 1
    return starts * limits.notebook_seconds + cases * limits.test_seconds + GRACE_SECONDS


# ---------------------------------------------------------------- host-side bait


@dataclass
class Bait:
    """Listeners on the host and a signal handler, to catch an attack reaching out."""

    tcp4: socket.socket
    tcp6: socket.socket | None
    unix: socket.socket
    unix_name: str
    signals: list[int] = field(default_factory=list)

    def connections(self) -> dict[str, str]:
        found = {}
        for label, sock in (("tcp4", self.tcp4), ("tcp6", self.tcp6), ("unix", self.unix)):
            if sock is None:
                continue
            try:
                conn, _ = sock.accept()
            except BlockingIOError:
                found[label] = "nothing"
            else:
                conn.close()
                found[label] = "accepted a connection"
        return found


@pytest.fixture(scope="session")
def bait(session_token: str) -> Iterator[Bait]:
    with ExitStack() as stack:
        tcp4 = stack.enter_context(_listener(socket.AF_INET, ("127.0.0.1", 0)))
        try:
            tcp6 = stack.enter_context(_listener(socket.AF_INET6, ("::1", 0)))
        except OSError:  # no IPv6 on this host
            tcp6 = None
        unix_name = f"{session_token}-unix"
        unix = stack.enter_context(_listener(socket.AF_UNIX, "\0" + unix_name))
        found = Bait(tcp4, tcp6, unix, unix_name)
        previous = signal.signal(signal.SIGUSR2, lambda signum, frame: found.signals.append(signum))
        try:
            yield found
        finally:
            signal.signal(signal.SIGUSR2, previous)


def _listener(family: int, address: Any) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.bind(address)
    sock.listen(8)
    sock.setblocking(False)
    return sock


@pytest.fixture(scope="session")
def session_token() -> str:
    return "agsec" + secrets.token_hex(6)


# ---------------------------------------------------------------- the run


class Runner:
    """Builds the attack notebooks and the jobs that grade them."""

    def __init__(self, tmp: Path, session: str, bait: Bait):
        self.tmp, self.session = tmp, session
        student_dir, bundle_dir, self.solution_nb = build(load_course(REPO), "hw01", tmp / "build")
        self.blank_nb = student_dir / "hw01.ipynb"
        self.bundle = load_bundle(bundle_dir)
        tested, hidden = names_in_tests(self.bundle.test_files())
        self.batch_out = tmp / "batch-out"
        self.gradebook_dir = tmp / "batch-gradebook"
        self.intake_src = tmp / "intake-src"
        runtime_parents = sorted({str(Path(d).parent) for d in runtime_dirs()})
        self.host_files = [
            str(bundle_dir / "bundle.json"),
            str(bundle_dir / "tests" / "q1.py"),
            str(self.solution_nb),
            str(REPO / "course_config.py"),
            str(REPO / "solutions" / "hw01" / "hw01.ipynb"),
            *(str(Path(p) / "course_config.py") for p in runtime_parents),
        ]
        self.host_dirs = [
            str(bundle_dir),
            str(bundle_dir / "tests"),
            str(REPO),
            str(REPO / "solutions"),
            str(self.batch_out),
            str(self.gradebook_dir),
            *runtime_parents,
        ]
        self.base_ctx = {
            "session": session,
            "tested": tested,
            "hidden_markers": hidden,
            "host_files": self.host_files,
            "host_dirs": self.host_dirs,
            "runtime": runtime_dirs(),
            "port": bait.tcp4.getsockname()[1],
            "port6": bait.tcp6.getsockname()[1] if bait.tcp6 else 9,
            "unix_name": bait.unix_name,
            "grader_pid": os.getpid(),
            "search_seconds": SEARCH_SECONDS,
        }

    def notebook(self, attack: Attack, base: Path | None = None, **ctx: Any) -> Path:
        full = {**self.base_ctx, "token": token_for(self.session, attack.name), **ctx}
        out = self.tmp / "notebooks" / attack.name / "hw01.ipynb"
        return build_notebook(attack, full, base or self.blank_nb, out)

    def grade(self, notebook: Path, limits: Limits) -> Graded:
        started = time.monotonic()
        result = grade_notebook(self.bundle, notebook, student_id="attacker", limits=limits)
        return Graded(result, time.monotonic() - started, limits)

    def jobs(self) -> dict[str, Callable[[], dict[str, Graded]]]:
        jobs: dict[str, Callable[[], dict[str, Graded]]] = {
            "blank": lambda: {"blank": self.grade(self.blank_nb, LIMITS)},
            "solution": lambda: {"solution": self.grade(self.solution_nb, CONTROL_LIMITS)},
            "poison": self.poison_then_probe,
            "kernel_objects": self.kernel_objects_then_probe,
            "fake_results": self.fake_results_through_batch,
            "zip_pickle": self.zip_with_pickles,
        }
        for attack in ATTACKS:
            notebook = self.notebook(attack)
            jobs[attack.name] = lambda a=attack, nb=notebook: {a.name: self.grade(nb, a.limits)}
        return dict(sorted(jobs.items(), key=lambda kv: kv[0] not in SLOW_FIRST))

    def poison_then_probe(self) -> dict[str, Graded]:
        """The poisoner first; then, in a fresh sandbox, the solution with a probe cell."""
        poisoned = self.grade(self.notebook(POISON), POISON.limits)
        probe = self.notebook(
            PROBE, self.solution_nb, victim_token=token_for(self.session, "poison")
        )
        return {"poison": poisoned, "poison_probe": self.grade(probe, PROBE.limits)}

    def kernel_objects_then_probe(self) -> dict[str, Graded]:
        """State left in keyrings and IPC objects; then, in a fresh sandbox under another
        uid, a probe looking for it."""
        import pyseccomp

        numbers = {
            name: pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name) for name in KERNEL_CALLS
        }
        ctx = {"syscalls": numbers, "ipc_key": 0x4147 + secrets.randbelow(1 << 20)}
        left = self.grade(self.notebook(KERNEL_OBJECTS, **ctx), KERNEL_OBJECTS.limits)
        victim = token_for(self.session, KERNEL_OBJECTS.name)
        probe = self.notebook(KERNEL_PROBE, victim_token=victim, **ctx)
        return {"kernel_objects": left, "kernel_objects_probe": self.grade(probe, LIMITS)}

    def fake_results_through_batch(self) -> dict[str, Graded]:
        """Graded the way `autograder grade` does it: results.json files and a gradebook."""
        notebook = self.notebook(FAKE_RESULTS)
        named = notebook.with_name("mallory.ipynb")
        notebook.rename(named)
        self.gradebook_dir.mkdir()
        course = load_course(REPO)
        gradebook = Gradebook(resolve_url(str(self.gradebook_dir / "gradebook.db"), REPO))
        intake = collect([named], self.tmp / "batch-staging", self.bundle.notebook)
        started = time.monotonic()
        try:
            grade_batch(course, self.bundle, gradebook, intake.submissions, self.batch_out)
            with gradebook.transaction() as session:
                rows = [(s.student_id, s.raw_points) for s in session.scalars(select(Submission))]
        finally:
            gradebook.close()
        seconds = time.monotonic() - started
        files = sorted(p.relative_to(self.batch_out).as_posix() for p in self.batch_out.rglob("*"))
        results_json = json.loads((self.batch_out / "mallory" / "results.json").read_text())
        extra = {"out_files": files, "gradebook_rows": rows, "results_json": results_json}
        return {"fake_results": Graded(None, seconds, self.bundle.limits, extra)}

    def zip_with_pickles(self) -> dict[str, Graded]:
        """An LMS zip: a notebook that unpickles, a malicious pickle beside it, and a
        pickle posing as a notebook. Each pickle would create a marker file if loaded."""
        self.intake_src.mkdir()
        # Not the session token: the pickles (and the staged copy of the one posing as a
        # notebook) legitimately hold these paths; the markers are checked by path.
        markers = [Path("/tmp") / f"agsec-unpickled-{secrets.token_hex(6)}-{n}" for n in (1, 2)]
        notebook = self.notebook(UNPICKLE)
        archive = self.intake_src / "group.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.write(notebook, "ivanov/hw01.ipynb")
            zf.writestr("ivanov/model.pkl", pickle.dumps(_CreatesFile(str(markers[0]))))
            zf.writestr("petrov/hw01.ipynb", pickle.dumps(_CreatesFile(str(markers[1]))))
        intake = collect([archive], self.tmp / "intake-staging", self.bundle.notebook)
        graded = {}
        for sub in intake.submissions:
            graded[f"zip_pickle_{sub.student_id}"] = self.grade(sub.path, UNPICKLE.limits)
        extra = {
            "students": [s.student_id for s in intake.submissions],
            "problems": [(p.source, p.message) for p in intake.problems],
            "markers_after": [str(m) for m in markers if m.exists()],
        }
        for entry in graded.values():
            entry.extra = extra
        return graded


class _CreatesFile:
    """Unpickling this calls open(path, "w"): proof that someone loaded it."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.fixture(scope="session")
def isolating_sandbox() -> None:
    sandbox = Sandbox(LIMITS)
    missing = sorted(NEEDED - sandbox.guarantees)
    if missing:
        pytest.skip(
            f"red-team suite needs a sandbox that enforces {', '.join(missing)}; backend "
            f"{sandbox.backend!r} here does not (run as root with bubblewrap installed)"
        )


@pytest.fixture(scope="session")
def security_run(
    isolating_sandbox, tmp_path_factory, session_token: str, bait: Bait
) -> SecurityRun:
    started = time.monotonic()
    since = time.time() - 1
    tmp = tmp_path_factory.mktemp("security")
    runner = Runner(tmp, session_token, bait)
    bundle_before = traces.tree_digest(runner.bundle.root)
    git_before = traces.git_status(REPO)
    graded: dict[str, Graded] = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for future in [pool.submit(job) for job in runner.jobs().values()]:
            graded.update(future.result())
    tokens = [token_for(session_token, name) for name in graded]
    places = traces.host_places(runner.bundle.root, REPO)
    found = traces.files_with(session_token, places, since)
    return SecurityRun(
        bundle=runner.bundle,
        session=session_token,
        graded=graded,
        file_traces={t: [p for p in found if t in p or _holds(p, t)] for t in tokens}
        | {session_token: found},
        process_traces={session_token: traces.processes_with(session_token)},
        stray_processes=traces.unleased_sandbox_processes(),
        bundle_before=bundle_before,
        bundle_after=traces.tree_digest(runner.bundle.root),
        git_before=git_before,
        git_after=traces.git_status(REPO),
        connections=bait.connections(),
        signals_received=list(bait.signals),
        host_files=runner.host_files,
        host_dirs=runner.host_dirs,
        suite_seconds=time.monotonic() - started,
    )


def _holds(path: str, token: str) -> bool:
    try:
        return token.encode() in Path(path).read_bytes()
    except OSError:
        return False


# ---------------------------------------------------------------- assertions


def per_test(result: GradingResult) -> list[tuple[str, float, float]]:
    return [(t.name, t.score, t.max_score) for t in result.tests]


def payload_tests(payload: dict[str, Any]) -> list[tuple[str, float, float]]:
    return [(t["name"], t["score"], t["max_score"]) for t in payload["tests"]]


@pytest.fixture(scope="session")
def blank(security_run: SecurityRun) -> GradingResult:
    return security_run.result("blank")


@pytest.fixture(scope="session")
def scores_like_blank(security_run: SecurityRun, blank: GradingResult):
    """assert_like_blank(name): same tests, same points per test as the blank notebook,
    no trace of the attack on the host, and the time the limits allow."""

    def check(name: str) -> GradingResult:
        graded = security_run.graded[name]
        result = security_run.result(name)
        assert per_test(result) == per_test(blank)
        assert to_gradescope(result)["score"] == to_gradescope(blank)["score"] == 0
        assert security_run.file_traces[security_run.token(name)] == []
        cases = len(blank.tests)
        assert graded.seconds < worst_case_seconds(graded.limits, cases)
        return result

    return check


@pytest.fixture(scope="session")
def runtime_entries() -> set[str]:
    """Names a sandboxed listing may show on the way to the read-only runtime."""
    parts = set()
    for path in [*runtime_dirs(), f"{PACKAGE_ROOT}/autograder"]:
        parts |= set(Path(path).parts[1:])
    return parts
