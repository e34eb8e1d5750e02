# ruff: noqa: F821
# 100 MB of distinct output through print() and display(), 100 MB more through the real
# stdout/stderr objects and the raw fds, then half a million tiny writes.
import os
import sys

from IPython.display import display

for i in range(80):
    print(f"{i:08d}" * 2**17)
for i in range(20):
    display(f"{i:08d}" * 2**17)
chunk = "x" * 2**20
for stream in (sys.__stdout__, sys.__stderr__):
    for _ in range(25):
        stream.write(chunk)
for fd in (1, 2):
    for _ in range(25):
        os.write(fd, chunk.encode())
for _ in range(500_000):
    sys.stdout.write("y")
