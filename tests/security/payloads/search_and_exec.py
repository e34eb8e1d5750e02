# ruff: noqa: F821
# Search the whole visible filesystem for hidden tests, solutions, the grader bundle and
# the course repository; exec any test or solution file found; try the host paths
# (known to the attacker) directly. Report what was seen.
import os
import re
import time

SECRET_NAMES = {"course_config.py", "bundle.json", "build_master.py", "gradebook.db"}
TEXT = (".py", ".ipynb", ".json", ".txt", ".md", ".cells", ".yaml", ".yml", ".cfg", ".toml")
SKIP = ("/proc", "/sys", "/dev")
RUNTIME_LAST = ("/usr", *CTX["runtime"])
budget = time.monotonic() + CTX["search_seconds"]  # 20 s (scaled), of the cell's 30 s
markers = CTX["hidden_markers"]
seen, hits, names, finished, execd = set(), [], [], [], 0
scanned = dirs = 0
roots = ["/submission", "/tmp", "/dev/shm", "/var/tmp", "/opt", "/root", "/home", "/work"]
roots += ["/srv", "/mnt", "/media", "/etc", "/run", "/var", "/", *RUNTIME_LAST]
for root in roots:
    complete = True
    for dirpath, dirnames, filenames in os.walk(root):
        if time.monotonic() > budget:
            complete = False
            break
        if dirpath in seen or (dirpath.startswith(SKIP) and not dirpath.startswith("/dev/shm")):
            dirnames[:] = []
            continue
        seen.add(dirpath)
        if root != "/usr" and root not in CTX["runtime"]:
            dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in RUNTIME_LAST]
        dirs += 1
        in_tests = os.path.basename(dirpath) == "tests"
        for name in filenames:
            path = os.path.join(dirpath, name)
            # by name only outside installed packages (nbgrader ships a test gradebook.db);
            # the content markers below are checked everywhere
            third_party = "/site-packages/" in path
            if not third_party and (
                name in SECRET_NAMES or (in_tests and re.fullmatch(r"q\d+\.py", name))
            ):
                names.append(path)
            if not name.endswith(TEXT):
                continue
            try:
                if os.path.getsize(path) > 2_000_000:
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            scanned += 1
            if any(m in text for m in markers):
                hits.append(path)
                if name.endswith(".py"):
                    try:
                        exec(compile(text, path, "exec"), {})
                        execd += 1
                    except BaseException:
                        pass
    if complete:
        finished.append(root)

direct = {}
for path in CTX["host_files"]:
    try:
        with open(path, "rb") as f:
            direct[path] = f"read {len(f.read(100))} bytes"
    except OSError as exc:
        direct[path] = type(exc).__name__
for path in CTX["host_dirs"]:
    try:
        direct[path] = sorted(os.listdir(path))[:10]
    except OSError as exc:
        direct[path] = type(exc).__name__
report(
    scanned=scanned,
    dirs=dirs,
    finished=finished,
    hits=hits[:10],
    names=names[:10],
    execd=execd,
    direct=direct,
)
