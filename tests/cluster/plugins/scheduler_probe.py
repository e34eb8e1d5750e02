"""Asks a scheduler from inside a network namespace (`ip netns exec NS python
scheduler_probe.py ADDRESS ...`), where the test process itself cannot reach it.

    wait N      wait (bounded) until N workers have joined, exit 1 if they do not; then
                start the scheduler's task stream (dask records it from then on)
    graded      print {worker name: grading tasks it ran} as JSON, from the task stream
"""

from __future__ import annotations

import json
import sys
import time

from distributed import Client


def main(address: str, what: str, *args: str) -> int:
    with Client(address, timeout="60s") as client:
        if what == "wait":
            deadline = time.monotonic() + 240
            while len(client.scheduler_info()["workers"]) < int(args[0]):
                if time.monotonic() > deadline:
                    return 1
                time.sleep(0.2)
            client.get_task_stream()  # installs the scheduler's task stream plugin
            return 0
        names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
        counts = dict.fromkeys(names.values(), 0)
        for record in client.get_task_stream(start=0):
            if str(record["key"]).startswith("grade-"):
                counts[names[record["worker"]]] += 1
        print(json.dumps(counts))
        return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
