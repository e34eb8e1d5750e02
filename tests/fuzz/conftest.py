"""The fuzz suite's seeds. Every property runs twice: once from a fixed seed (the same
examples on every run, so CI is reproducible) and once from a rotating seed (new examples
each run, so the suite keeps finding things). A failure names its seed; replay a rotating
failure with FUZZ_SEED=<seed>. Example counts keep the whole suite within ~3 minutes on
2 cores; FUZZ_SCALE=10 runs ten times as many (for a night, not for CI)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, seed, settings

FIXED_SEED = 20261201
ROTATING_SEED = int(os.environ.get("FUZZ_SEED") or secrets.randbelow(2**32))
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))

settings.register_profile(
    "fuzz",
    database=None,  # nothing remembered between runs: the seeds alone decide the examples
    deadline=None,  # a loaded 2-core machine makes every example slow now and then
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(params=["fixed", "rotating"])
def run_property(request) -> Callable[..., None]:
    """run_property(test, examples): run a @given test under this run's seed."""
    value = FIXED_SEED if request.param == "fixed" else ROTATING_SEED

    def run(test: Callable[[], None], examples: int) -> None:
        count = max(1, int(examples * SCALE))
        configured = settings(settings.get_profile("fuzz"), max_examples=count)(test)
        try:
            seed(value)(configured)()
        except BaseException as exc:
            exc.add_note(f"fuzz: {request.param} seed {value}; replay with FUZZ_SEED={value}")
            raise

    return run
