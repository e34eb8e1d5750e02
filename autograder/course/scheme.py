"""The course's grading scheme, in exact decimal arithmetic: points -> late penalty ->
component scores -> total -> final grade. Python's round() rounds halves to even, which is
wrong for this course; nothing here uses floats or round()."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # config.py parses its numbers with parse_points below
    from autograder.course.config import Component, Course

POINTS_QUANTUM = Decimal("0.01")  # scores are kept to hundredths of a point
LARGEST_POINTS = Decimal(1_000_000)  # no course value comes near; 1e309 is a typo
MAX_POINTS_TEXT = 40  # characters; a longer "number" is pasted junk
ONE_DAY = timedelta(days=1)


class PointsError(ValueError):
    """A value that is not an acceptable number of points."""


def parse_points(value: Any, *, maximum: Decimal | None = None, signed: bool = False) -> Decimal:
    """Points given by a person (command line, CSV, course_config.py): a number with at most
    two decimals, within 0..maximum (any sign when `signed`, for config values checked
    later). Accepts a decimal comma ("12,5"), as Russian spreadsheets write it. The one
    parser for points: every refusal is a PointsError with the same wording everywhere."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise PointsError(f"{value!r} is not a number")
    text = value if isinstance(value, Decimal) else str(value).strip().replace(",", ".")
    if isinstance(text, str) and len(text) > MAX_POINTS_TEXT:
        raise PointsError(f"{text[:20]!r}... is not a number (too long)")
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise PointsError(f"{value!r} is not a number") from None
    if not points.is_finite():
        raise PointsError(f"{value!r} is not a finite number")
    if abs(points) > LARGEST_POINTS:  # before quantize(), which cannot hold 1e309
        raise PointsError(f"{value!r} is too large (at most {LARGEST_POINTS})")
    if points != points.quantize(POINTS_QUANTUM, rounding=ROUND_HALF_UP):
        raise PointsError(f"{value!r} has more than two decimal places")
    if not signed and (points < 0 or (maximum is not None and points > maximum)):
        upper = f"..{maximum}" if maximum is not None else " or more"
        raise PointsError(f"{value} is outside 0{upper}")
    return points.quantize(POINTS_QUANTUM) + 0  # + 0 turns -0.00 into 0.00


def quantize_points(value: Decimal | int | float) -> Decimal:
    """A computed score (e.g. a sum of partial credits) kept to hundredths, halves up."""
    return Decimal(str(value)).quantize(POINTS_QUANTUM, rounding=ROUND_HALF_UP)


def final_grade(total: Decimal, course: Course) -> int:
    """total / divisor, rounded half up: 84.5 -> 8, 85 -> 9, 115 -> 12."""
    with localcontext() as ctx:
        ctx.prec = 50
        return int((Decimal(total) / course.divisor).to_integral_value(rounding=ROUND_HALF_UP))


def total_points(scores: dict[str, Decimal | None], course: Course) -> Decimal:
    """Sum over the course's components; a missing component counts 0."""
    return sum((scores.get(c.id) or Decimal(0) for c in course.components), Decimal(0))


@dataclass(frozen=True)
class LateOutcome:
    days_late: int  # started days after the deadline (0: on time, incl. grace)
    penalty: Decimal  # points taken off
    points: Decimal  # points that count
    note: str  # one line for TAs and students; "" when on time

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def raw(self) -> Decimal:
        """The points before the late policy."""
        return self.points + self.penalty


def days_late(submitted_at: datetime, component: Component) -> int:
    """Started days after the deadline; 0 when on time or within the grace period."""
    if submitted_at.tzinfo is None:
        raise ValueError("submission time must be timezone-aware")
    if component.deadline is None:
        return 0
    overdue = submitted_at - component.deadline
    if overdue <= component.late_policy.grace:
        return 0
    return math.ceil(overdue / ONE_DAY)


def apply_late_policy(raw: Decimal, submitted_at: datetime, component: Component) -> LateOutcome:
    """The points that count after the component's late policy, with the penalty shown."""
    raw = quantize_points(raw)
    days = days_late(submitted_at, component)
    if days == 0:
        return LateOutcome(0, Decimal("0.00"), raw, "")
    policy = component.late_policy
    day_word = "day" if days == 1 else "days"
    if policy.kind == "none":
        return LateOutcome(days, Decimal("0.00"), raw, f"{days} {day_word} late, no penalty")
    if policy.kind == "reject" or days > policy.max_days_late:
        why = "late work counts 0" if policy.kind == "reject" else "past the last day accepted"
        return LateOutcome(days, raw, Decimal("0.00"), f"{days} {day_word} late: {why}")
    share = min(policy.percent_per_day * days, Decimal(100))
    penalty = quantize_points(raw * share / 100)
    note = f"{days} {day_word} late: -{share}% ({penalty} points)"
    return LateOutcome(days, penalty, raw - penalty, note)
