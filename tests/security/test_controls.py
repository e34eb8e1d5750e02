"""Honest controls: the attacks' yardstick must itself be right."""

from __future__ import annotations


def test_solution_scores_full_marks_under_the_attack_limits(security_run):
    result = security_run.result("solution")
    assert result.status == "ok" and result.notebook_errors == []
    assert result.score == security_run.bundle.max_points == 15
    assert all(t.passed for t in result.tests)


def test_blank_notebook_scores_zero_on_every_test(blank, security_run):
    assert blank.status == "ok" and blank.score == 0
    assert [t.name for t in blank.tests] == [t.name for t in security_run.result("solution").tests]
    assert all(t.score == 0 for t in blank.tests)
