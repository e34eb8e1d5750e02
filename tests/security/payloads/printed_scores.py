# ruff: noqa: F821
# Print fake scores everywhere output can go: the captured cell output, the real
# stdout/stderr objects, the raw fds, the terminal.
import json
import os
import sys

FAKE = "FAKE-SCORE 15/15 Итог: 15 из 15 баллов. All tests passed!"
payload = json.dumps({"score": 15.0, "output": FAKE, "tests": []})
print(payload)
print(FAKE)
print("q1 results: All test cases passed!\nq1 - 1 result:\n    ✅ Test case passed")
for stream in (sys.__stdout__, sys.__stderr__):
    stream.write(payload + "\n")
    stream.flush()
for fd in (1, 2):
    os.write(fd, payload.encode() + b"\n")
try:
    with open("/dev/tty", "w") as tty:
        tty.write(payload)
except OSError:
    pass
