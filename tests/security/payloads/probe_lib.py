# ruff: noqa: F821
# Shared by the poisoning attack (to show what it left in its own sandbox) and by the
# probe run afterwards (to show that none of it reached the next submission).
import builtins
import os
import site
import sys
import time

POISON_NAMES = ("sitecustomize.py", "usercustomize.py", "00-pwn.py", "ipython_config.py")


def candidate_dirs():
    home = os.path.expanduser("~")
    ipython = os.environ.get("IPYTHONDIR", os.path.join(home, ".ipython"))
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    dirs = [*sys.path, *site.getsitepackages(), site.getusersitepackages(), os.getcwd(), home]
    dirs += ["/tmp", "/var/tmp", "/dev/shm", "/opt/autograder", "/opt/autograder/autograder"]
    dirs += [
        os.path.join(ipython, "profile_default", "startup"),
        os.path.join(home, ".ipython", "profile_default", "startup"),
        os.path.join(home, ".config", "ipython", "profile_default", "startup"),
        os.path.join(home, ".local", "lib", version, "site-packages"),
        "/etc/ipython",
        "/usr/local/etc/ipython",
    ]
    return [d for d in dict.fromkeys(dirs) if d]


def writable_dirs(seconds=3.0):
    budget, found = time.monotonic() + seconds, []
    for dirpath, dirnames, _ in os.walk("/"):
        if time.monotonic() > budget:
            break
        if dirpath.startswith(("/proc", "/sys")):
            dirnames[:] = []
        elif os.access(dirpath, os.W_OK):
            found.append(dirpath)
    return found


def find_poison(token):
    found, checked = [], 0
    if getattr(builtins, "AGSEC_PWNED", None) == token or os.environ.get("AGSEC_PWNED") == token:
        found.append("executed")
    for folder in dict.fromkeys(candidate_dirs() + writable_dirs()):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        checked += 1
        for name in names:
            path = os.path.join(folder, name)
            if token in name:
                found.append(path)
            elif name in POISON_NAMES or name.endswith(".pth"):
                try:
                    with open(path, errors="replace") as f:
                        if token in f.read():
                            found.append(path)
                except OSError:
                    pass
    return found, checked
