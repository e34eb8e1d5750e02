"""Start-up cost of each sandbox backend: spawn + wait of `python -c pass`, as a ratio
against a plain subprocess measured in the same run. Usage: python bench/sandbox_startup.py [N]"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.limits import Limits
from autograder.sandbox import Sandbox, available_backends

ARGV = [sys.executable, "-c", "pass"]


def median_ms(start_one, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        start_one()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main(runs: int) -> None:
    t0 = time.perf_counter()
    backends = available_backends()
    print(f"probing backends: {(time.perf_counter() - t0) * 1000:.0f} ms (once per process)")
    baseline = median_ms(lambda: subprocess.run(ARGV, check=True), runs)
    print(f"{'plain subprocess':>18}: {baseline:6.1f} ms   1.00x")
    with tempfile.TemporaryDirectory() as tmp:
        for name in backends:
            sb = Sandbox(Limits(), name)

            def once(sb=sb) -> None:
                work = Path(tempfile.mkdtemp(dir=tmp))
                proc = sb.spawn(ARGV, work)
                proc.wait(timeout=60)
                proc.kill_all()

            ms = median_ms(once, runs)
            print(f"{name:>18}: {ms:6.1f} ms {ms / baseline:6.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
