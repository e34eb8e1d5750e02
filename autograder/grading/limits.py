"""Resource limits for one submission. Defaults live here; a bundle may override any of
them per assignment (bundle.json "limits"). The sandbox and the grader enforce them.

Time limits are derived at release from the reference solution's own times (LimitPolicy):
max(floor, factor x reference), so a hung cell costs seconds, not the 180 s default; the
per-test-case limit likewise from the slowest test case of the reference."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from autograder.errors import ConfigError


@dataclass(frozen=True)
class Limits:
    notebook_seconds: float = 600.0  # wall time for executing the whole notebook
    cell_seconds: float = 180.0  # wall time for one cell
    test_seconds: float = 10.0  # wall time for one hidden-test case (all its calls)
    memory_mb: int = 4096  # memory of the whole submission
    processes: int = 64  # processes/threads the submission may have at once
    file_size_mb: int = 64  # largest file the submission may write
    disk_mb: int = 256  # total size of the submission's writable working copy
    output_kb: int = 64  # output kept per cell (the rest is cut, with a note)
    threads: int = 1  # torch / OpenMP / BLAS threads

    def with_overrides(self, overrides: dict[str, Any] | None) -> Limits:
        """A copy with `overrides` applied; unknown names or bad values raise ConfigError."""
        if not overrides:
            return self
        known = {f.name: f.type for f in fields(self)}
        clean: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in known:
                raise ConfigError(f"limits: unknown limit {name!r} (known: {', '.join(known)})")
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ConfigError(f"limits.{name}: expected a positive number, got {value!r}")
            clean[name] = float(value) if known[name] == "float" else int(value)
        return replace(self, **clean)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LimitPolicy:
    """How `autograder release` turns the solution's measured times into time limits.
    Generous on purpose: an honest notebook must never time out on a loaded machine
    (a cold start on a busy 2-core host imports torch in 5-9 s, inside the first cell)."""

    cell_floor: float = 20.0  # seconds: no cell limit below this
    cell_factor: float = 5.0  # times the slowest cell of the reference solution
    notebook_floor: float = 120.0  # seconds: no notebook limit below this
    notebook_factor: float = 5.0  # times the reference solution's whole notebook
    test_floor: float = 10.0  # seconds: no per-test-case limit below this
    test_factor: float = 5.0  # times the slowest test case of the reference solution
    test_step: float = 5.0  # the test limit is rounded up to a multiple of this

    @classmethod
    def split(cls, settings: dict[str, Any] | None) -> tuple[LimitPolicy, dict[str, Any]]:
        """(policy, explicit Limits overrides) from one per-homework settings dict;
        unknown names or bad values raise ConfigError."""
        policy_names = {f.name for f in fields(cls)}
        limit_names = {f.name for f in fields(Limits)}
        policy, explicit = {}, {}
        for name, value in (settings or {}).items():
            if name not in policy_names | limit_names:
                known = ", ".join(sorted(policy_names | limit_names))
                raise ConfigError(f"limits: unknown setting {name!r} (known: {known})")
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ConfigError(f"limits.{name}: expected a positive number, got {value!r}")
            (policy if name in policy_names else explicit)[name] = value
        Limits().with_overrides(explicit)
        return cls(**{k: float(v) for k, v in policy.items()}), explicit

    def derive(
        self,
        cell_seconds: list[float],
        notebook_seconds: float,
        test_seconds: list[float] | None = None,
    ) -> dict[str, float]:
        """The time limits for a solution that took these times: cell_seconds and
        notebook_seconds, and test_seconds when the test cases' times are given. The test
        limit is one figure for the whole homework, rounded up to `test_step`, so that what a
        student reads of it says next to nothing about any one hidden test."""
        cell = max(self.cell_floor, self.cell_factor * max(cell_seconds, default=0.0))
        notebook = max(self.notebook_floor, self.notebook_factor * notebook_seconds, cell)
        limits = {"cell_seconds": round(cell, 1), "notebook_seconds": round(notebook, 1)}
        if test_seconds is not None:
            test = max(self.test_floor, self.test_factor * max(test_seconds, default=0.0))
            limits["test_seconds"] = float(math.ceil(test / self.test_step - 1e-9) * self.test_step)
        return limits

    def to_dict(self) -> dict[str, float]:
        return asdict(self)
