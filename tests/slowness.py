"""How much slower than the reference machine this one is right now, measured once per test
process, so that wall-clock limits in the sandbox and security tests stretch on a slow or
loaded machine instead of failing there.

The probe is what dominates an honest sandboxed run: a fresh Python importing torch and
doing a little work. `scaled(seconds)` is what a limit set on the reference machine (idle,
AVX-512, 2 cores) becomes here; it never shrinks a limit. Limits that are the point of a
test (a loop must be stopped at 10 s) stay what they are where the test asserts on them;
what they stretch is the time everything else gets before and around them.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time

PROBE = "import torch; sum(range(3_000_000))"
REFERENCE_SECONDS = 1.5  # the probe's wall time on the reference machine, idle
MAX_FACTOR = 6.0  # beyond this the machine is not one the suite is meant to run on
ENV = "AUTOGRADER_TEST_SLOWNESS"  # set to a number to skip the probe (e.g. 3 to rehearse)


@functools.cache
def factor() -> float:
    """max(1, probe time / reference time), the mean of two probes; at most MAX_FACTOR."""
    if os.environ.get(ENV):
        return min(MAX_FACTOR, max(1.0, float(os.environ[ENV])))
    times = []
    for _ in range(2):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True)
        times.append(time.monotonic() - started)
    return min(MAX_FACTOR, max(1.0, sum(times) / len(times) / REFERENCE_SECONDS))


def scaled(seconds: float) -> float:
    """A wall-clock limit set on the reference machine, stretched for this one."""
    return round(seconds * factor(), 1)
