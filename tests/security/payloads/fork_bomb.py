# ruff: noqa: F821
# A fork bomb in a small fresh interpreter (so the memory watchdog does not end it first):
# fork until refused; every child forks once more and sleeps (60 s at most).
import subprocess
import sys

BOMB = """
import os, time
children, refused = 0, 0
end = time.monotonic() + 6
while time.monotonic() < end and children < 400 and refused < 100:
    try:
        pid = os.fork()
    except OSError:
        refused += 1
        continue
    if pid == 0:
        os.closerange(0, 3)  # or the parent's output pipe stays open while they sleep
        try:
            os.fork()
        except OSError:
            pass
        time.sleep(60)
        os._exit(0)
    children += 1
print(children, refused, flush=True)
os._exit(0)
"""
done = subprocess.run(
    [sys.executable, "-S", "-c", BOMB], capture_output=True, text=True, timeout=15
)
forked, refused = map(int, done.stdout.split())
report(forked=forked, refused=refused)
