# ruff: noqa: F821
# Every tested function spins (ignoring signals) when the grader calls it; 60 s at most.
import signal
import time
import types


def _spin(*args, **kwargs):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
        signal.signal(sig, signal.SIG_IGN)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        pass


for _name in CTX["tested"]:
    if isinstance(globals().get(_name), types.FunctionType):
        globals()[_name] = _spin
