"""Submissions that reach for what is outside the sandbox: the tests, the solution, the
bundle and the repository; the grader's results and gradebook; the host's network,
processes and rlimits; the next submission; an LMS zip carrying pickles."""

from __future__ import annotations

import resource

from autograder.grading.sandbox.rlimits import hard_limits

from .attacks import LIMITS, report_of, reports_in_text
from .conftest import payload_tests, per_test


def test_filesystem_search_finds_no_test_solution_bundle_or_repository(
    security_run, scores_like_blank, runtime_entries
):
    seen = report_of(scores_like_blank("search_and_exec"))
    # it really looked: the whole visible tree outside the runtime was walked ("/"), and
    # thousands of files read (the runtime, walked last, may be cut by the 20 s budget: a
    # slow AVX2 machine under load read 8,863 in 15 s)
    assert "/" in seen["finished"] and seen["scanned"] > 5_000
    assert seen["hits"] == [] and seen["names"] == [] and seen["execd"] == 0
    for path in security_run.host_files:
        assert seen["direct"][path] in ("FileNotFoundError", "PermissionError"), path
    for path in security_run.host_dirs:
        listing = seen["direct"][path]
        assert isinstance(listing, str) or set(listing) <= runtime_entries, (path, listing)


def test_fake_results_files_do_not_reach_results_json_or_the_gradebook(security_run, blank):
    graded = security_run.graded["fake_results"]
    # only the grader's own two files, written from the trusted side
    assert graded.extra["out_files"] == ["mallory", "mallory/feedback.html", "mallory/results.json"]
    payload = graded.extra["results_json"]
    assert payload["score"] == 0 and payload_tests(payload) == per_test(blank)
    assert [(sid, float(points)) for sid, points in graded.extra["gradebook_rows"]] == [
        ("mallory", 0.0)
    ]
    (wrote,) = reports_in_text(payload["output"])
    assert wrote["written"] > 0  # it did write its fakes, inside the sandbox
    assert security_run.file_traces[security_run.token("fake_results")] == []


def test_junk_on_every_file_descriptor_ends_as_a_protocol_error(scores_like_blank):
    assert scores_like_blank("junk_fds").status == "protocol-error"


def test_host_listeners_are_unreachable(security_run, scores_like_blank):
    outcome = report_of(scores_like_blank("connect_localhost"))["outcome"]
    assert "connected" not in outcome.values() and len(outcome) == 3
    assert set(security_run.connections.values()) == {"nothing"}


def test_hard_rlimits_cannot_be_raised(scores_like_blank):
    seen = report_of(scores_like_blank("raise_rlimits"))
    assert "raised" not in seen["raised"].values()
    expected = hard_limits(LIMITS)
    for name, (soft, hard) in seen["now"].items():
        which = getattr(resource, name)
        if which in expected:
            assert soft == hard == expected[which], name


def test_signals_never_reach_the_grader(security_run, scores_like_blank):
    result = scores_like_blank("kill_parent")
    # A cold start's parent is the worker's waiter (the sandbox uid): it dies, and the
    # payload's killpg ends the submission. A warm fork's parent is the namespace's
    # root-owned init: os.kill(getppid()) raises PermissionError and the notebook goes on.
    assert result.status == ("ok" if result.backend == "zygote" else "crashed")
    assert security_run.signals_received == []


def test_poisoned_files_do_not_reach_the_next_submission(security_run):
    poisoner = report_of(security_run.result("poison"))
    assert poisoner["written"] > 0 and poisoner["sees"]  # planted, and the probe sees them
    probe = security_run.result("poison_probe")
    assert probe.score == 15 and probe.status == "ok"
    assert len(probe.notebook_errors) == 1  # the probe's own report, nothing else
    seen = report_of(probe)
    assert seen["found"] == [] and seen["checked"] > 5  # it looked where the poison went
    assert security_run.file_traces[security_run.token("poison")] == []


def test_pickles_in_a_zip_are_never_loaded(security_run, blank):
    ivanov = security_run.graded["zip_pickle_ivanov"]
    assert ivanov.extra["students"] == ["ivanov", "petrov"]
    assert ivanov.extra["markers_after"] == []
    problems = dict(ivanov.extra["problems"])
    (pickle_source,) = [s for s in problems if s.endswith("ivanov/model.pkl")]
    assert "ignored" in problems[pickle_source] and "never opened" in problems[pickle_source]
    tried = report_of(ivanov.result)["tried"]
    assert "loaded" not in tried.values()
    assert per_test(ivanov.result) == per_test(blank)
    petrov = security_run.result("zip_pickle_petrov")
    assert petrov.status == "bad-notebook" and petrov.score == 0


def test_kernel_objects_keyed_by_uid_are_refused_and_nothing_reaches_the_next_submission(
    security_run, scores_like_blank
):
    """Keyrings outlive processes and are keyed by uid, not namespace; System V and POSIX
    IPC live in the submission's own IPC namespace. Nothing of them crosses to the next
    submission, and the system calls that reach past the submission are refused."""
    left = report_of(scores_like_blank("kernel_objects"))
    # IPC objects may be made (in the submission's own namespace); keys and the rest not
    assert set(left["worked"]) <= {"shmget", "semget", "msgget", "mq_open"}, left
    probe = report_of(scores_like_blank("kernel_objects_probe"))
    assert probe == {"found": {}, "looked": True}
