"""Loads course_config.py and checks it. Every problem becomes one ConfigError naming the
field, so an instructor who mistypes a value gets a sentence, not a traceback."""

from __future__ import annotations

import os
import re
import runpy
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from autograder.errors import ConfigError

CONFIG_NAME = "course_config.py"
CONFIG_SECONDS_ENV = "AUTOGRADER_CONFIG_SECONDS"
DEFAULT_LOAD_SECONDS = 10.0  # a real config loads in milliseconds
COMPONENT_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
LATE_KINDS = ("per_day", "none", "reject")
COMPONENT_KEYS = {"id", "title", "max_points", "deadline"}
OPTIONAL_COMPONENT_KEYS = {"late_policy", "attempts"}
ATTEMPT_KEYS = {"count", "per_hours"}


@dataclass(frozen=True)
class LatePolicy:
    kind: str  # one of LATE_KINDS
    grace: timedelta = timedelta(0)
    percent_per_day: Decimal = Decimal(0)
    max_days_late: int = 0

    def describe(self) -> str:
        """One line for tables and feedback."""
        grace = f", grace {int(self.grace.total_seconds() // 60)} min" if self.grace else ""
        if self.kind == "none":
            return f"late work counts in full{grace}"
        if self.kind == "reject":
            return f"late work counts 0{grace}"
        return (
            f"-{self.percent_per_day}% of earned points per started day late{grace}; "
            f"0 after {self.max_days_late} days"
        )


@dataclass(frozen=True)
class AttemptPolicy:
    """How many uploads `autograder serve` grades: `count` in all, or `count` in any
    `per_hours` window (a refill); None: no limit."""

    count: int | None = None
    per_hours: int | None = None

    def describe(self) -> str:
        if self.count is None:
            return "unlimited attempts"
        if self.per_hours is None:
            return f"{self.count} attempts"
        return f"{self.count} attempts per {self.per_hours} h"


@dataclass(frozen=True)
class Component:
    id: str
    title: str
    max_points: Decimal
    deadline: datetime | None
    late_policy: LatePolicy
    attempts: AttemptPolicy = AttemptPolicy()


@dataclass(frozen=True)
class Course:
    root: Path
    title: str
    components: tuple[Component, ...]
    max_total: Decimal
    divisor: Decimal
    rounding: str
    submit_server_url: str | None = None  # where released submit.py sends notebooks

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.components]

    def component(self, component_id: str) -> Component:
        """The component with this id; an unknown id raises ConfigError listing the known ones."""
        for comp in self.components:
            if comp.id == component_id:
                return comp
        raise ConfigError(f"unknown component {component_id!r}; known: {', '.join(self.ids)}")

    def describe_rule(self) -> str:
        return f"final = total / {self.divisor}, rounded half up (max total {self.max_total})"


def find_course_root(start: Path | None = None) -> Path:
    """The course root: $AUTOGRADER_COURSE, else the nearest folder up from `start` (or the
    working directory) holding course_config.py."""
    if env := os.environ.get("AUTOGRADER_COURSE"):
        root = Path(env).resolve()
        if not (root / CONFIG_NAME).is_file():
            raise ConfigError(f"AUTOGRADER_COURSE={env}: no {CONFIG_NAME} there")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} in {here} or any parent; run inside a course or pass --course DIR"
    )


def load_course(root: Path, *, seconds: float | None = None) -> Course:
    """Read and validate root/course_config.py. Running it takes at most `seconds`
    (default: $AUTOGRADER_CONFIG_SECONDS, else 10), so a file that loops says so."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"{path}: not found")
    limit = _load_seconds() if seconds is None else seconds
    try:
        values = _run_with_time_limit(path, limit)
    except _LoadTimeout:
        raise ConfigError(
            f"{path}: still running after {limit:g} s (an endless loop?); "
            f"set {CONFIG_SECONDS_ENV} to allow longer"
        ) from None
    except SystemExit as exc:
        raise ConfigError(
            f"{path}: calls sys.exit({exc.code!r}); the file should only set values"
        ) from None
    except Exception as exc:  # the instructor's file: any error in it is a config error
        raise ConfigError(f"{path}: cannot be loaded: {type(exc).__name__}: {exc}") from None
    return parse_course(values, root)


class _LoadTimeout(BaseException):
    """Raised into course_config.py when it runs too long; a BaseException so that an
    `except Exception` in the file does not swallow it."""


def _load_seconds() -> float:
    raw = os.environ.get(CONFIG_SECONDS_ENV, "")
    if not raw:
        return DEFAULT_LOAD_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 3600:
        raise ConfigError(f"{CONFIG_SECONDS_ENV}={raw!r}: expected seconds between 0 and 3600")
    return seconds


def _run_with_time_limit(path: Path, seconds: float) -> dict[str, Any]:
    """runpy.run_path, interrupted by SIGALRM after `seconds`. Signals reach only the main
    thread; elsewhere (never the CLI) the file runs without a limit."""
    if threading.current_thread() is not threading.main_thread():
        return runpy.run_path(str(path))

    def expire(signum: int, frame: Any) -> None:
        raise _LoadTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return runpy.run_path(str(path))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_course(values: dict[str, Any], root: Path) -> Course:
    """Build a Course from the module-level names of a config file."""
    default_policy = _late_policy(_require(values, "LATE_POLICY"), "LATE_POLICY")
    default_attempts = _attempts(values.get("ATTEMPTS"), "ATTEMPTS")
    raw_components = _require(values, "COMPONENTS")
    if not isinstance(raw_components, list | tuple) or not raw_components:
        raise ConfigError("COMPONENTS: expected a non-empty list of dict(...) entries")
    components = tuple(
        _component(raw, f"COMPONENTS[{i}]", default_policy, default_attempts)
        for i, raw in enumerate(raw_components)
    )
    seen: set[str] = set()
    for comp in components:
        if comp.id in seen:
            raise ConfigError(f"COMPONENTS: duplicate id {comp.id!r}")
        seen.add(comp.id)

    max_total = _points(_require(values, "MAX_TOTAL"), "MAX_TOTAL")
    declared = sum((c.max_points for c in components), Decimal(0))
    if declared != max_total:
        listing = " + ".join(f"{c.id} {c.max_points}" for c in components)
        raise ConfigError(
            f"MAX_TOTAL: is {max_total}, but the components add up to {declared} ({listing})"
        )
    divisor = _points(_require(values, "FINAL_GRADE_DIVISOR"), "FINAL_GRADE_DIVISOR")
    if divisor <= 0:
        raise ConfigError(f"FINAL_GRADE_DIVISOR: must be positive, got {divisor}")
    rounding = _require(values, "FINAL_GRADE_ROUNDING")
    if rounding != "half_up":
        raise ConfigError(
            f"FINAL_GRADE_ROUNDING: unknown rule {rounding!r}; the course uses 'half_up'"
        )
    title = values.get("COURSE_TITLE", "")
    if not isinstance(title, str):
        raise ConfigError("COURSE_TITLE: expected text")
    url = _server_url(values.get("SUBMIT_SERVER_URL"))
    return Course(root, title, components, max_total, divisor, rounding, url)


def _server_url(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ConfigError(
            f"SUBMIT_SERVER_URL: expected an http(s) URL like 'https://grader.example.edu', got {value!r}"
        )
    return value.rstrip("/")


def _attempts(raw: Any, field: str) -> AttemptPolicy:
    """None (no limit), a whole number, or dict(count=N, per_hours=H) for N per H hours."""
    if raw is None:
        return AttemptPolicy()
    if isinstance(raw, dict):
        unknown = raw.keys() - ATTEMPT_KEYS
        if unknown or "count" not in raw:
            raise ConfigError(
                f"{field}: expected dict(count=N, per_hours=H); got keys {', '.join(sorted(map(str, raw)))}"
            )
        count, per_hours = raw["count"], raw.get("per_hours")
    else:
        count, per_hours = raw, None
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
        raise ConfigError(f"{field}: attempts must be a whole number from 1 to 1000, got {count!r}")
    if per_hours is not None and (
        isinstance(per_hours, bool)
        or not isinstance(per_hours, int)
        or not 1 <= per_hours <= 24 * 365
    ):
        raise ConfigError(
            f"{field}.per_hours: expected whole hours from 1 to 8760, got {per_hours!r}"
        )
    return AttemptPolicy(count, per_hours)


def _require(values: dict[str, Any], name: str) -> Any:
    if name not in values:
        raise ConfigError(f"{name}: missing from {CONFIG_NAME}")
    return values[name]


def _points(value: Any, field: str) -> Decimal:
    """A number from the config, checked by the one points parser (finite, not huge, at most
    two decimals); its sign and range are checked by the caller, naming the field."""
    from autograder.course.scheme import PointsError, parse_points  # scheme builds on Course

    try:
        number = parse_points(value, signed=True)
    except PointsError as exc:
        raise ConfigError(f"{field}: expected a number of points: {exc}") from None
    whole = number.to_integral_value()
    return whole if number == whole else number.normalize()


def _component(
    raw: Any, field: str, default_policy: LatePolicy, default_attempts: AttemptPolicy
) -> Component:
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{field}: expected dict(id=..., title=..., max_points=..., deadline=...)"
        )
    missing = COMPONENT_KEYS - raw.keys()
    if missing:
        raise ConfigError(f"{field}: missing {', '.join(sorted(missing))}")
    unknown = raw.keys() - COMPONENT_KEYS - OPTIONAL_COMPONENT_KEYS
    if unknown:
        raise ConfigError(f"{field}: unknown key(s) {', '.join(sorted(unknown))}")
    comp_id = raw["id"]
    if not isinstance(comp_id, str) or not COMPONENT_ID.match(comp_id):
        raise ConfigError(f"{field}.id: {comp_id!r} is not a short lowercase name like 'hw01'")
    field = f"{field} ({comp_id})"
    if not isinstance(raw["title"], str) or not raw["title"].strip():
        raise ConfigError(f"{field}.title: expected non-empty text")
    max_points = _points(raw["max_points"], f"{field}.max_points")
    if max_points < 0:
        raise ConfigError(f"{field}.max_points: negative points ({max_points})")
    if max_points == 0:
        raise ConfigError(f"{field}.max_points: must be more than 0")
    deadline = raw["deadline"]
    if deadline is not None:
        if not isinstance(deadline, datetime):
            raise ConfigError(f"{field}.deadline: expected datetime(...) or None")
        if deadline.tzinfo is None or deadline.utcoffset() is None:
            raise ConfigError(
                f"{field}.deadline: {deadline} has no time zone; write tzinfo=MSK (or another zone)"
            )
    policy = default_policy
    if "late_policy" in raw:
        policy = _late_policy(raw["late_policy"], f"{field}.late_policy")
    attempts = default_attempts
    if "attempts" in raw:
        attempts = _attempts(raw["attempts"], f"{field}.attempts")
    return Component(comp_id, raw["title"].strip(), max_points, deadline, policy, attempts)


def _late_policy(raw: Any, field: str) -> LatePolicy:
    if not isinstance(raw, dict):
        raise ConfigError(f"{field}: expected dict(kind=..., ...)")
    kind = raw.get("kind")
    if kind not in LATE_KINDS:
        raise ConfigError(
            f"{field}.kind: unknown policy {kind!r}; use one of {', '.join(LATE_KINDS)}"
        )
    allowed = {"kind", "grace_minutes"} | (
        {"percent_per_day", "max_days_late"} if kind == "per_day" else set()
    )
    unknown = raw.keys() - allowed
    if unknown:
        raise ConfigError(
            f"{field}: key(s) {', '.join(sorted(unknown))} do not apply to kind {kind!r}"
        )
    grace = _points(raw.get("grace_minutes", 0), f"{field}.grace_minutes")
    if grace < 0:
        raise ConfigError(f"{field}.grace_minutes: must not be negative")
    if kind != "per_day":
        return LatePolicy(kind, timedelta(minutes=float(grace)))
    for key in ("percent_per_day", "max_days_late"):
        if key not in raw:
            raise ConfigError(f"{field}.{key}: missing (needed for kind 'per_day')")
    percent = _points(raw["percent_per_day"], f"{field}.percent_per_day")
    if not 0 <= percent <= 100:
        raise ConfigError(f"{field}.percent_per_day: must be between 0 and 100, got {percent}")
    max_days = raw["max_days_late"]
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 0:
        raise ConfigError(f"{field}.max_days_late: expected a whole number of days >= 0")
    return LatePolicy(kind, timedelta(minutes=float(grace)), percent, max_days)
