"""The final-grade rule and the late policy, in exact arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from autograder.course.config import LatePolicy
from autograder.course.scheme import (
    PointsError,
    apply_late_policy,
    days_late,
    final_grade,
    parse_points,
    total_points,
)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("84.5", 8),
        ("85", 9),
        ("105", 11),
        ("115", 12),
        ("24.95", 2),
        ("25", 3),
        ("0", 0),
        ("4.99", 0),
    ],
)
def test_final_grade_examples_from_the_syllabus(course, total, grade):
    assert final_grade(Decimal(total), course) == grade


@pytest.mark.parametrize("grade_below", range(12))
def test_every_half_boundary_rounds_up(course, grade_below):
    boundary = Decimal(10 * grade_below + 5)  # total/10 == grade_below + 0.5
    assert final_grade(boundary, course) == grade_below + 1
    assert final_grade(boundary - Decimal("0.01"), course) == grade_below
    assert final_grade(boundary - Decimal("0.05"), course) == grade_below


def test_every_hundredth_from_0_to_115_matches_the_rule(course):
    for hundredths in range(0, 11501):
        total = Decimal(hundredths) / 100
        # the rule, stated with integers: the tenths digit decides
        expected = (hundredths + 500) // 1000
        assert final_grade(total, course) == expected, total


def test_float_round_would_be_wrong_at_halves(course):
    # the reason for decimals: Python rounds 8.5 to 8 (half to even); the course says 9
    assert round(85 / 10) == 8
    assert final_grade(Decimal(85), course) == 9


def test_total_counts_missing_components_as_zero(course):
    assert total_points({"exam": Decimal("31.5")}, course) == Decimal("31.5")
    assert total_points({}, course) == 0
    assert final_grade(total_points({}, course), course) == 0


@pytest.mark.parametrize("text", ["12,5", "12.5", " 12.50 ", "0", "40"])
def test_points_accept_decimal_comma_and_dot(text):
    assert parse_points(text, maximum=Decimal(40)) in (Decimal("12.5"), 0, 40)


@pytest.mark.parametrize("text", ["abc", "", "nan", "inf", "-1", "40.01", "1.005", "1e3"])
def test_points_refuse_what_is_not_a_score(text):
    with pytest.raises(PointsError):
        parse_points(text, maximum=Decimal(40))


def _late(course, hours: float, policy: LatePolicy | None = None):
    comp = course.component("hw01")
    if policy is not None:
        comp = type(comp)(comp.id, comp.title, comp.max_points, comp.deadline, policy)
    return comp, comp.deadline + timedelta(hours=hours)


def test_on_time_and_within_grace_cost_nothing(course):
    comp, at = _late(course, -1)
    assert apply_late_policy(Decimal(15), at, comp).points == 15
    comp, at = _late(course, 14 / 60)  # 14 minutes late, grace is 15
    outcome = apply_late_policy(Decimal(15), at, comp)
    assert (outcome.days_late, outcome.penalty, outcome.points) == (0, 0, 15)


def test_each_started_day_takes_ten_percent_of_earned_points(course):
    comp, at = _late(course, 0.5)
    outcome = apply_late_policy(Decimal("12.5"), at, comp)
    assert (outcome.days_late, outcome.penalty, outcome.points) == (
        1,
        Decimal("1.25"),
        Decimal("11.25"),
    )
    assert "1 day late" in outcome.note
    assert days_late(comp.deadline + timedelta(hours=24), comp) == 1
    assert days_late(comp.deadline + timedelta(hours=24, seconds=1), comp) == 2
    comp, at = _late(course, 24 * 7)
    assert apply_late_policy(Decimal(10), at, comp).points == Decimal("3.00")


def test_later_than_the_last_day_counts_zero(course):
    comp, at = _late(course, 24 * 7 + 1)
    outcome = apply_late_policy(Decimal(15), at, comp)
    assert (outcome.days_late, outcome.points, outcome.penalty) == (8, 0, 15)


def test_reject_and_none_policies(course):
    comp, at = _late(course, 2, LatePolicy("reject"))
    assert apply_late_policy(Decimal(15), at, comp).points == 0
    comp, at = _late(course, 200, LatePolicy("none"))
    assert apply_late_policy(Decimal(15), at, comp).points == 15


def test_no_deadline_is_never_late(course):
    exam = course.component("exam")
    assert days_late(datetime(2099, 1, 1, tzinfo=UTC), exam) == 0


def test_naive_submission_time_is_refused(course):
    with pytest.raises(ValueError, match="timezone"):
        days_late(datetime(2026, 10, 5), course.component("hw01"))


def test_deadline_in_another_zone_is_compared_as_the_same_instant(course):
    comp = course.component("hw01")  # 23:59 MSK == 20:59 UTC
    at = datetime(2026, 10, 4, 21, 10, tzinfo=UTC)
    assert days_late(at, comp) == 0
    assert days_late(at + timedelta(minutes=10), comp) == 1
