"""Resource limits for one submission. Defaults live here; a bundle may override any of
them per assignment (bundle.json "limits"). The sandbox and the grader enforce them."""

from __future__ import annotations

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
