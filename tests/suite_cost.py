"""What each top-level test folder costs, printed at the end of every run (a pytest plugin,
loaded by tests/conftest.py), so that what a homework adds can be read off any CI log.

Two figures per folder:
- `wall s`: the sum of its tests' setup, call and teardown durations as pytest reports
  them. With several xdist workers folders overlap (their sum exceeds the run's wall time,
  printed below the table) and each test also waits for whatever runs beside it.
- `cpu s`: the CPU time its tests cost: the test process's own plus that of the processes
  it started and waited for (getrusage SELF + CHILDREN, per test phase). It does not depend
  on what runs beside it, so it is the figure a homework's budget is kept on; on a busy
  2-core machine the suite's wall time is about the sum of this column over two.
"""

from __future__ import annotations

import resource
import time
from collections import defaultdict

import pytest

HOMEWORK_BUDGET_SECONDS = 180.0  # CPU seconds each tests/hwNN may cost (README: Tests)
CPU_KEY = "cpu_seconds"

_wall: dict[str, float] = defaultdict(float)
_cpu: dict[str, float] = defaultdict(float)
_tests: dict[str, set[str]] = defaultdict(set)
_started = time.monotonic()
_phase_start = pytest.StashKey[float]()


def folder_of(nodeid: str) -> str:
    """'tests/hw01/test_x.py::t' -> 'hw01'; a file directly in tests/ -> '(top level)'."""
    parts = nodeid.split("::", 1)[0].split("/")
    if parts and parts[0] == "tests":
        parts = parts[1:]
    return parts[0] if len(parts) > 1 else "(top level)"


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _mark_phase_start(item: pytest.Item):
    item.stash[_phase_start] = cpu_seconds()
    yield


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(_mark_phase_start)
pytest_runtest_call = pytest.hookimpl(wrapper=True)(_mark_phase_start)
pytest_runtest_teardown = pytest.hookimpl(wrapper=True)(_mark_phase_start)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    spent = cpu_seconds() - item.stash.get(_phase_start, cpu_seconds())
    # a list of the report's own (item.user_properties is shared by the three phases);
    # xdist carries it from the worker to the controller
    report.user_properties = [*report.user_properties, (CPU_KEY, spent)]
    return report


def pytest_runtest_logreport(report) -> None:
    folder = folder_of(report.nodeid)
    _wall[folder] += report.duration
    _cpu[folder] += sum(v for k, v in report.user_properties if k == CPU_KEY)
    _tests[folder].add(report.nodeid)


def pytest_terminal_summary(terminalreporter) -> None:
    if not _wall or hasattr(terminalreporter.config, "workerinput"):
        return  # nothing ran, or this is an xdist worker (the controller prints)
    write = terminalreporter.write_line
    terminalreporter.section("suite time per folder")
    write(f"{'folder':<22}{'tests':>7}{'wall s':>10}{'cpu s':>10}")
    for folder, cpu in sorted(_cpu.items(), key=lambda kv: -kv[1]):
        over = ""
        if folder.startswith("hw") and cpu > HOMEWORK_BUDGET_SECONDS:
            over = f"  over the {HOMEWORK_BUDGET_SECONDS:.0f} s homework budget"
        write(f"{folder:<22}{len(_tests[folder]):>7}{_wall[folder]:>10.1f}{cpu:>10.1f}{over}")
    tests = sum(map(len, _tests.values()))
    write(f"{'all folders':<22}{tests:>7}{sum(_wall.values()):>10.1f}{sum(_cpu.values()):>10.1f}")
    write(f"wall time of the run: {time.monotonic() - _started:.1f} s")
