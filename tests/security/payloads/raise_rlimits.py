# ruff: noqa: F821
# Try to raise every hard limit (own and parent's), then report what is in force.
import os
import resource

NAMES = ("RLIMIT_NPROC", "RLIMIT_DATA", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CPU")
NAMES += ("RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_CORE")
raised = {}
for name in NAMES:
    which = getattr(resource, name)
    soft, hard = resource.getrlimit(which)
    tries = [(resource.RLIM_INFINITY, resource.RLIM_INFINITY)]
    if hard != resource.RLIM_INFINITY:
        tries.append((hard + 1, hard + 1))
    for limit in tries:
        try:
            resource.setrlimit(which, limit)
            raised[name] = "raised"
        except (ValueError, OSError) as exc:
            raised.setdefault(name, type(exc).__name__)
        for pid in (os.getppid(), 1):
            try:
                resource.prlimit(pid, which, limit)
                raised[f"{name}@{pid}"] = "raised"
            except (ValueError, OSError):
                pass
now = {name: list(resource.getrlimit(getattr(resource, name))) for name in NAMES}
report(raised=raised, now=now)
