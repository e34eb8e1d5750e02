# ruff: noqa: F821
# A classic double-forked daemon in its own session, exec'd as a fresh interpreter whose
# command line and environment carry the token, that keeps writing files (90 s at most).
import os
import sys
import time

code = (
    "import os, signal, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
    f"token = {TOKEN!r}\n"
    "end = time.monotonic() + 90\n"
    "while time.monotonic() < end:\n"
    "    for d in ('/tmp', '/dev/shm', os.path.expanduser('~')):\n"
    "        try:\n"
    "            open(os.path.join(d, token + '-daemon'), 'a').write(token)\n"
    "        except OSError:\n"
    "            pass\n"
    "    time.sleep(0.5)\n"
)
first = os.fork()
if first == 0:
    os.setsid()
    if os.fork() == 0:
        os.closerange(3, 1024)
        env = {**os.environ, "AGSEC_DAEMON": TOKEN}
        os.execve(sys.executable, [sys.executable, "-c", code, TOKEN], env)
    os._exit(0)
os.waitpid(first, 0)

# Wait (10 s at most) until the daemon has written, then count it among live processes.
marker = os.path.join("/tmp", TOKEN + "-daemon")
deadline = time.monotonic() + 10
while not os.path.exists(marker) and time.monotonic() < deadline:
    time.sleep(0.05)
alive = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            alive += TOKEN.encode() in f.read()
    except OSError:
        pass
report(wrote=os.path.exists(marker), alive=alive)
