"""The warm pool and the cgroup limits, end to end through grade_notebook: a submission
forked from the zygote is as isolated as a cold one, cannot reach the zygote or another
submission, cannot change what the next fork starts from, and a dead zygote is replaced.
The hidden tests here measure with the trusted CPU clock."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import nbformat
import pytest

from autograder.errors import SandboxError
from autograder.grading.bundle import Bundle, load_bundle, write_bundle_json
from autograder.grading.cpu_clock import worker_cpu_seconds
from autograder.grading.limits import Limits
from autograder.grading.notebook import WorkerSession, grade_notebook, read_code_cells
from autograder.grading.sandbox import Sandbox, available_backends, cgroups, pool

pytestmark = pytest.mark.skipif(
    "zygote" not in available_backends(), reason="the warm pool needs root and namespaces"
)

LIMITS = Limits(notebook_seconds=120, cell_seconds=60, test_seconds=30, memory_mb=1024)

PROBE_TEST = """
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = 1

@test_case(points=1, hidden=True)
def test_probe(probe):
    found = probe()
    assert found == EXPECTED, found
"""

CLOCK_TEST = """
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = 1

@test_case(points=1, hidden=True)
def test_clock(spin, nap):
    from autograder.grading.cpu_clock import worker_cpu_seconds
    start = worker_cpu_seconds()
    spin()
    spun = worker_cpu_seconds()
    nap()
    napped = worker_cpu_seconds()
    assert spun - start > 0.05, (start, spun)
    assert napped - spun < (spun - start) / 2, (start, spun, napped)
"""


def bundle_with(root: Path, test_source: str) -> Bundle:
    (root / "tests").mkdir(parents=True)
    (root / "files").mkdir()
    (root / "tests" / "q1.py").write_text(textwrap.dedent(test_source))
    return write_bundle_json(
        root, assignment="hw00", notebook="hw00.ipynb", max_points=1, questions={"q1": 1}
    )


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def grade(bundle: Bundle, path: Path):
    return grade_notebook(bundle, path, student_id="student", limits=LIMITS, backend="zygote")


@pytest.fixture
def probe_bundle(tmp_path: Path):
    def make(expected: object) -> Bundle:
        source = PROBE_TEST.replace("EXPECTED", repr(expected))
        return bundle_with(tmp_path / f"bundle-{abs(hash(source))}", source)

    return make


def record_groups(monkeypatch) -> list:
    """Every cgroup the grader creates from now on (other graders on the host may be
    making and removing their own beside ours)."""
    made = []
    create = cgroups.Cgroup.create.__func__

    def recording(cls, limits):
        group = create(cls, limits)
        made.append(group)
        return group

    monkeypatch.setattr(cgroups.Cgroup, "create", classmethod(recording))
    return made


@pytest.mark.parametrize("kind", ["cgroup-v2", "cgroup-v1"])
def test_eight_processes_allocating_at_once_end_as_memory_and_the_next_is_fine(
    tmp_path, probe_bundle, kind, monkeypatch
):
    if kind not in cgroups.available():
        pytest.skip(f"{kind} cannot run on this host: {cgroups.unavailable_reason(kind)}")
    monkeypatch.setattr(cgroups, "mechanism", lambda: kind)
    bundle = probe_bundle(4)
    greedy = """
import os, time
kids = []
for _ in range(8):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (300 << 20)
        time.sleep(30)
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
"""
    made = record_groups(monkeypatch)
    result = grade(bundle, notebook(tmp_path / "greedy.ipynb", greedy, "probe = lambda: 4"))
    assert result.status == "memory", result.summary()
    assert result.limits_mechanism == kind
    assert made and all(g.kind == kind for g in made)
    left = [str(d) for g in made for d in g.dirs.values() if d.exists()]
    assert left == []  # nothing of the submission is left behind
    honest = grade(bundle, notebook(tmp_path / "honest.ipynb", "probe = lambda: 2 + 2"))
    assert (honest.status, honest.score) == ("ok", 1)


def test_a_forked_submission_sees_only_its_own_namespace(tmp_path, probe_bundle):
    zygote = pool.current()
    cell = f"""
import os, signal
def probe():
    seen = {{}}
    try:
        os.kill({zygote.pid}, signal.SIGKILL)
        seen["kill"] = "sent"
    except OSError as exc:
        seen["kill"] = type(exc).__name__
    fds = sorted(os.listdir("/proc/self/fd"))
    seen["sockets"] = [os.readlink(f"/proc/self/fd/" + fd) for fd in fds
                       if os.path.exists(f"/proc/self/fd/" + fd)
                       and os.readlink(f"/proc/self/fd/" + fd).startswith("socket:")]
    seen["uid0"] = os.getuid() == 0
    return seen
"""
    expected = {"kill": "ProcessLookupError", "sockets": [], "uid0": False}
    result = grade(probe_bundle(expected), notebook(tmp_path / "nb.ipynb", cell))
    assert result.score == 1, result.tests[0].output
    assert result.backend == "zygote"
    assert pool.current() is zygote and zygote.alive()


def test_one_submission_cannot_reach_another_running_beside_it(tmp_path, probe_bundle):
    bundle = probe_bundle(0)
    victim_cells = read_code_cells(notebook(tmp_path / "a.ipynb", "secret = 'a-secret'"))
    attack = """
import os, signal
def attack(pid):
    outcomes = []
    for step in (lambda: os.kill(pid, signal.SIGKILL),
                 lambda: open(f"/proc/{pid}/environ").read(),
                 lambda: os.listdir(f"/proc/{pid}/root/submission")):
        try:
            step()
            outcomes.append("reached")
        except OSError as exc:
            outcomes.append(type(exc).__name__)
    return outcomes
"""
    victim = WorkerSession(bundle, victim_cells, LIMITS, "zygote")
    attacker = WorkerSession(bundle, read_code_cells(notebook(tmp_path / "b.ipynb", attack)),
                             LIMITS, "zygote")  # fmt: skip
    try:
        victim.start()
        attacker.start()
        victim_pids = victim.client.process.members()
        assert victim_pids
        for pid in victim_pids:
            found, attack_fn = attacker.client.get("attack")
            assert "reached" not in attack_fn(pid)
        assert victim.client.get("secret") == (True, "a-secret")
    finally:
        attacker.stop()
        victim.stop()


def test_a_submission_cannot_change_what_the_next_fork_imports(tmp_path, probe_bundle):
    poison = """
import os, sys, torch, numpy
torch.POISONED = True
torch.nn.functional.relu = lambda x: x
sys.modules["numpy"] = None
written = []
for folder in [os.getcwd(), "/tmp", "/dev/shm", os.path.dirname(torch.__file__),
               os.path.dirname(os.path.dirname(numpy.__file__)), *sys.path]:
    try:
        with open(os.path.join(folder or ".", "numpy_poison.py"), "w") as f:
            f.write("POISON = True")
        written.append(folder)
    except OSError:
        pass
probe = lambda: written
"""
    first = grade(probe_bundle([]), notebook(tmp_path / "poison.ipynb", poison))
    assert first.status == "ok"
    check = """
def probe():
    import torch, numpy
    try:
        import numpy_poison
        leaked = True
    except ImportError:
        leaked = False
    relu = float(torch.nn.functional.relu(torch.tensor(-1.0)))
    return [hasattr(torch, "POISONED"), relu, leaked, numpy.__name__]
"""
    second = grade(
        probe_bundle([False, 0.0, False, "numpy"]), notebook(tmp_path / "c.ipynb", check)
    )
    assert second.score == 1, second.tests[0].output


def test_a_dead_zygote_is_replaced_and_running_submissions_keep_going(tmp_path, probe_bundle):
    bundle = probe_bundle(7)
    running = WorkerSession(bundle, read_code_cells(notebook(tmp_path / "a.ipynb", "x = 7")),
                            LIMITS, "zygote")  # fmt: skip
    try:
        running.start()
        old = pool.current()
        os.kill(old.pid, signal.SIGKILL)
        old.popen.wait()
        result = grade(bundle, notebook(tmp_path / "b.ipynb", "probe = lambda: 7"))
        assert (result.status, result.score, result.backend) == ("ok", 1, "zygote")
        assert pool.current().pid != old.pid
        assert running.client.get("x") == (True, 7)
    finally:
        running.stop()


def test_the_cpu_clock_counts_the_worker_and_ignores_its_patched_time(tmp_path):
    bundle = bundle_with(tmp_path / "bundle", CLOCK_TEST)
    cells = (
        "import time, os, resource\nsleep = time.sleep\n"
        "for name in ('time', 'perf_counter', 'process_time', 'thread_time', 'monotonic'):\n"
        "    setattr(time, name, lambda *a: 0.0)\n"
        "os.times = lambda: os.times_result((0,) * 5)\nresource.getrusage = lambda who: None",
        "def spin():\n    total = 0\n    for i in range(3_000_000):\n        total += i\n    return total",
        "def nap():\n    sleep(0.3)",
    )
    result = grade(bundle, notebook(tmp_path / "nb.ipynb", *cells))
    assert result.score == 1, result.tests[0].output


def test_the_cpu_clock_refuses_outside_a_test():
    with pytest.raises(SandboxError, match="no submission is being tested"):
        worker_cpu_seconds()


def test_the_pool_can_be_turned_off_for_a_batch():
    with pool.running(enabled=False):
        assert Sandbox(LIMITS).backend != "zygote"
    assert Sandbox(LIMITS).backend == ("zygote" if pool.enabled() else available_backends()[1])


def test_a_batch_loses_nothing_when_its_zygote_dies_and_runs_cold_with_the_pool_off(
    course, gradebook, tiny_bundle, tmp_path
):
    from autograder.batch import grade_batch
    from autograder.course.config import load_course
    from autograder.intake import collect

    tiny_bundle(course.root, tmp_path / "build")
    bundle = load_bundle(course.root / "dist" / "hw01")
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(3):
        notebook(folder / f"s{i}.ipynb", "def relu(x):\n    return x.clamp(min=0)")
    subs = collect([folder], tmp_path / "staging", bundle.notebook).submissions
    killed = []

    def kill_the_zygote(outcome) -> None:
        if not killed:
            zygote = pool.current()
            os.kill(zygote.pid, signal.SIGKILL)
            zygote.popen.wait()
            killed.append(zygote.pid)

    out = tmp_path / "results"
    course = load_course(course.root)
    report = grade_batch(course, bundle, gradebook, subs, out, jobs=1, on_done=kill_the_zygote)
    assert killed
    assert [(o.state, o.status) for o in report.outcomes] == [("graded", "ok")] * 3
    assert {backend_of(out, s.student_id) for s in subs} == {"zygote"}

    # (not their scores: a cold worker imports torch inside the first test's 10 s, which a
    # loaded machine can exceed — one reason for the pool)
    cold = grade_batch(course, bundle, gradebook, subs, out, jobs=1, regrade=True, pool=False)
    assert len(cold.outcomes) == 3
    assert {backend_of(out, s.student_id) for s in subs} == {available_backends()[1]}


def backend_of(out: Path, student_id: str) -> str:
    import json

    return json.loads((out / student_id / "results.json").read_text())["extra_data"]["backend"]
