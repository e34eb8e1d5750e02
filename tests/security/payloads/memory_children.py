# ruff: noqa: F821
# Many processes, each under the per-process cap, together far over the total.
import os
import time

for _ in range(4):
    if os.fork() == 0:
        block = b"x" * (350 * 2**20)
        time.sleep(60)
        os._exit(0)
time.sleep(60)
