# ruff: noqa: F821
# A loop that ignores SIGTERM, SIGINT, SIGHUP, disarms the cell alarm and swallows every
# exception; it gives up on its own after 120 s so the suite stays bounded.
import signal
import time

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR1):
    signal.signal(sig, signal.SIG_IGN)
signal.setitimer(signal.ITIMER_REAL, 0)
end = time.monotonic() + 120
while time.monotonic() < end:
    try:
        while time.monotonic() < end:
            pass
    except BaseException:
        pass
