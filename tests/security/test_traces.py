"""After every attack has been graded: nothing of them is left on the host."""

from __future__ import annotations

import subprocess
import sys
import time

from . import traces
from .conftest import worst_case_seconds


def test_no_attack_left_a_file_on_the_host(security_run):
    assert security_run.file_traces[security_run.session] == []


def test_no_attack_process_outlives_its_grading(security_run):
    assert security_run.process_traces[security_run.session] == []
    assert security_run.stray_processes == []


def test_the_bundle_is_unchanged(security_run):
    assert security_run.bundle_after == security_run.bundle_before


def test_the_repository_working_tree_is_unchanged(security_run):
    assert security_run.git_after == security_run.git_before


def test_every_grading_took_at_most_what_its_limits_allow(security_run):
    cases = len(security_run.result("blank").tests)
    slow = {
        name: round(g.seconds, 1)
        for name, g in security_run.graded.items()
        if g.seconds >= worst_case_seconds(g.limits, cases)
    }
    assert slow == {}


# The scanners must be able to fail: plant a token and look for it.


def test_the_file_scan_finds_a_planted_token(tmp_path):
    since = time.time() - 1
    (tmp_path / "by-name-agsecplanted").write_text("x")
    (tmp_path / "by-content").write_text("... agsecplanted ...")
    found = traces.files_with("agsecplanted", [(tmp_path, True)], since)
    assert found == sorted(str(tmp_path / n) for n in ("by-content", "by-name-agsecplanted"))


def test_the_process_scan_finds_a_planted_token():
    code = "import sys; sys.stdin.read()  # agsecplanted"
    with subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE) as proc:
        try:
            assert any(
                line.startswith(f"{proc.pid}:") for line in traces.processes_with("agsecplanted")
            )
        finally:
            proc.stdin.close()
    assert traces.processes_with("agsecplanted") == []
