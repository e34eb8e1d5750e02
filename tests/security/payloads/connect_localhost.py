# ruff: noqa: F821
# Reach the grader's host: its 127.0.0.1 / ::1 listener and its abstract unix socket
# (port and name known to the attacker).
import socket

outcome = {}
targets = [
    ("tcp4", socket.AF_INET, ("127.0.0.1", CTX["port"])),
    ("tcp6", socket.AF_INET6, ("::1", CTX["port6"])),
    ("unix", socket.AF_UNIX, "\0" + CTX["unix_name"]),
]
for label, family, address in targets:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(address)
            s.sendall(b"hello from the sandbox")
            outcome[label] = "connected"
    except OSError as exc:
        outcome[label] = type(exc).__name__
report(outcome=outcome)
