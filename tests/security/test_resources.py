"""Submissions that try to outlast, outgrow or take down the grader: exits, kills, loops,
forks, daemons, memory and disk bombs, an output flood. Each must end within what its
limits allow, with a sensible status, scoring what the blank notebook scores."""

from __future__ import annotations

from .attacks import report_of
from .conftest import GRACE_SECONDS


def test_sys_exit_and_friends_are_only_failing_cells(scores_like_blank, blank):
    result = scores_like_blank("sys_exit")
    assert result.status == "ok"
    errors = [e.error for e in result.notebook_errors][len(blank.notebook_errors) :]
    assert errors[:3] == ["SystemExit", "SystemExit", "KeyboardInterrupt"]


def test_os_exit_ends_the_notebook_as_crashed(scores_like_blank):
    assert scores_like_blank("os_exit").status == "crashed"


def test_an_infinite_loop_is_stopped_at_the_cell_limit(scores_like_blank, blank):
    result = scores_like_blank("infinite_loop")
    assert result.status == "ok"
    errors = [e.error for e in result.notebook_errors]
    assert errors == [e.error for e in blank.notebook_errors] + ["CellTimeout"]


def test_a_loop_ignoring_sigterm_and_alarms_is_killed_at_the_notebook_limit(
    security_run, scores_like_blank
):
    result = scores_like_blank("sigterm_loop")
    graded = security_run.graded["sigterm_loop"]
    assert result.status == "timeout"
    assert graded.seconds < graded.limits.notebook_seconds + GRACE_SECONDS


def test_functions_that_hang_when_called_spend_the_restart_budget(scores_like_blank):
    result = scores_like_blank("hang_in_call")
    assert result.status == "timeout"
    assert "слишком часто" in result.tests[-1].output


def test_a_fork_bomb_meets_the_process_limit(security_run, scores_like_blank):
    seen = report_of(scores_like_blank("fork_bomb"))
    assert (
        seen["refused"] > 0 and seen["forked"] < security_run.graded["fork_bomb"].limits.processes
    )


def test_a_double_forked_daemon_does_not_outlive_the_grading(security_run, scores_like_blank):
    seen = report_of(scores_like_blank("daemon"))
    assert seen == {"wrote": True, "alive": 1}  # it ran, inside the sandbox
    assert security_run.process_traces[security_run.session] == []
    assert security_run.stray_processes == []


def test_threads_left_running_change_nothing(scores_like_blank):
    result = scores_like_blank("runaway_thread")
    assert result.status == "ok" and report_of(result)["alive"] == [True, True]


def test_a_memory_bomb_is_refused_or_killed(security_run, scores_like_blank):
    result = scores_like_blank("memory_bomb")
    limit = security_run.graded["memory_bomb"].limits.memory_mb
    assert result.status == "memory" or report_of(result)["allocated_mb"] < limit


def test_processes_together_over_the_memory_limit_are_killed(scores_like_blank):
    assert scores_like_blank("memory_children").status == "memory"


def test_a_disk_fill_stops_at_the_disk_limit(security_run, scores_like_blank):
    result = scores_like_blank("disk_fill")
    limits = security_run.graded["disk_fill"].limits
    written = report_of(result)["written"]
    assert written["/tmp"][0] > 0 and all(why for _, why in written.values())  # all refused
    for folder, (megabytes, _) in written.items():
        assert megabytes <= limits.disk_mb, folder


def test_an_output_flood_is_cut_not_kept(scores_like_blank, blank):
    result = scores_like_blank("output_flood")
    assert result.status == "ok"  # not a memory kill: see test_worker_output.py
    assert result.notebook_errors == blank.notebook_errors


def test_huge_replies_change_nothing(scores_like_blank):
    assert scores_like_blank("huge_replies").status == "ok"
