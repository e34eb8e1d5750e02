"""The system calls a submission may make (seccomp.py): what reaches past the submission is
refused in every backend, the pool's forks included; what a notebook needs still works; and
kernel objects keyed by the sandbox uid (keyrings) are emptied when the sandbox ends."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import subprocess

import pyseccomp
import pytest

from autograder.grading.sandbox import uids

from .conftest import needs, read_line, run, start

EPERM = errno.EPERM
# name -> arguments (ints or bytes); each would reach past the submission if it worked
REFUSED = {
    "add_key": (b"user", b"agsec", b"secret", 6, -3),  # into the session keyring
    "request_key": (b"user", b"agsec", 0, -3),
    "keyctl": (0, -3, 0),  # KEYCTL_GET_KEYRING_ID of the session keyring
    "bpf": (0, 0, 0),
    "perf_event_open": (0, 0, -1, -1, 0),
    "userfaultfd": (0,),
    "io_uring_setup": (1, 0),
    "unshare": (0x10000000,),
    "setns": (0, 0),
    "mount": (b"none", b"/tmp", b"tmpfs", 0, 0),
    "umount2": (b"/tmp", 0),
    "pivot_root": (b"/", b"/"),
    "ptrace": (0, 1, 0, 0),  # PTRACE_TRACEME would be 0; PEEK at pid 1
    "process_vm_readv": (1, 0, 0, 0, 0, 0),
    "kcmp": (1, 1, 0, 0, 0),
    "init_module": (0, 0, b""),
    "finit_module": (0, b"", 0),
    "delete_module": (b"ext4", 0),
    "kexec_load": (0, 0, 0, 0),
    "reboot": (0, 0, 0, 0),
    "clock_settime": (0, 0),
    "settimeofday": (0, 0),
    "sethostname": (b"x", 1),
    "swapon": (b"/x", 0),
    "acct": (b"/x",),
    "chroot": (b"/",),
    "open_by_handle_at": (-100, 0, 0),
    "name_to_handle_at": (-100, b"/", 0, 0, 0),
    "set_mempolicy": (0, 0, 0),
    "mbind": (0, 0, 0, 0, 0, 0),
    "fsopen": (b"tmpfs", 0),
    "syslog": (3, 0, 0),
    "personality": (0x0040000,),  # ADDR_NO_RANDOMIZE
}

PROBE = """
import ctypes, json, socket
libc = ctypes.CDLL(None, use_errno=True)
found = {}
for name, (number, args) in CALLS.items():
    args = [a.encode("latin-1") if isinstance(a, str) else ctypes.c_long(a) for a in args]
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), *args)
    found[name] = [result, ctypes.get_errno()]
try:
    socket.socket(40, socket.SOCK_STREAM)  # AF_VSOCK: the hypervisor, past the netns
    found["vsock"] = [0, 0]
except OSError as exc:
    found["vsock"] = [-1, exc.errno]
print(json.dumps(found))
"""


def _calls() -> dict[str, tuple[int, tuple]]:
    """The refused calls this architecture has, with their numbers."""
    calls = {}
    for name, args in REFUSED.items():
        number = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
        if number >= 0:  # negative: not a system call on this architecture
            shown = tuple(a.decode("latin-1") if isinstance(a, bytes) else a for a in args)
            calls[name] = (number, shown)
    return calls


def test_calls_that_reach_past_the_submission_are_refused(sandbox, workdir):
    calls = _calls()
    assert {"add_key", "keyctl", "bpf", "perf_event_open", "userfaultfd"} <= set(calls)
    result = run(sandbox, f"CALLS = {calls!r}\n{PROBE}", workdir)
    assert result.returncode == 0, result.err
    found = json.loads(result.out.splitlines()[-1])
    assert {name: tuple(r) for name, r in found.items() if r != [-1, EPERM]} == {}


def test_clone3_falls_back_and_namespaces_stay_refused_while_threads_and_processes_work(
    sandbox, workdir
):
    if os.uname().machine != "x86_64":
        pytest.skip("the clone3 number in the probe is x86_64's")
    result = run(
        sandbox,
        """
        import ctypes, multiprocessing, os, threading
        libc = ctypes.CDLL(None, use_errno=True)
        print(libc.syscall(435, 0, 0), ctypes.get_errno())  # clone3: ENOSYS, libc uses clone
        print(libc.unshare(0x08000000), ctypes.get_errno())  # CLONE_NEWIPC
        threading.Thread(target=print, args=("thread",)).start()
        with multiprocessing.get_context("fork").Pool(2) as pool:
            print(pool.map(abs, [-1, -2]))
        print(libc.personality(ctypes.c_ulong(0xFFFFFFFF)) >= 0)  # asking is allowed
        """,
        workdir,
    )
    assert result.out.splitlines() == [
        f"-1 {errno.ENOSYS}",
        f"-1 {EPERM}",
        "thread",
        "[1, 2]",
        "True",
    ], result.err


def test_keys_left_under_the_sandbox_uid_are_cleared_when_it_ends(sandbox, workdir):
    needs(sandbox, "uid")
    proc = start(sandbox, "print('ready', flush=True); input()", workdir, stdin=subprocess.PIPE)
    with proc:
        assert read_line(proc) == "ready"
        uid = proc.track.uid
        assert uid is not None
        _as_uid(uid, _add_user_key)  # as if the submission had got one in
        assert _as_uid(uid, _count_user_keys) == 1
        proc.stdin.close()
        proc.wait(timeout=30)
    proc.kill_all()
    assert _as_uid(uid, _count_user_keys) == 0


def test_clearing_the_keyrings_of_an_unused_uid_creates_nothing():
    if os.geteuid() != 0:
        pytest.skip("only root can become another uid")
    uids.clear_keyrings(uids.UID_BASE + uids.UID_COUNT - 1)
    assert _as_uid(uids.UID_BASE + uids.UID_COUNT - 1, _count_user_keys) == 0


# ---------------------------------------------------------------- keyrings, from outside

KEYCTL, ADD_KEY = 250, 248  # x86_64
KEYCTL_GET_KEYRING_ID, KEYCTL_READ = 0, 11
KEY_SPEC_USER_KEYRING = -4


def _as_uid(uid: int, action) -> int:
    """action() in a child that became `uid`; its small integer result."""
    if os.uname().machine != "x86_64":
        pytest.skip("the keyring probes use x86_64 system call numbers")
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            os.write(write_end, str(action()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        return int(pipe.read())


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _add_user_key() -> int:
    spec = ctypes.c_long(KEY_SPEC_USER_KEYRING)
    return _libc().syscall(ADD_KEY, b"user", b"agsec-left", b"secret", 6, spec)


def _count_user_keys() -> int:
    libc = _libc()
    spec = ctypes.c_long(KEY_SPEC_USER_KEYRING)
    keyring = libc.syscall(KEYCTL, KEYCTL_GET_KEYRING_ID, spec, 0)
    if keyring <= 0:
        return 0
    size = libc.syscall(KEYCTL, KEYCTL_READ, keyring, None, 0)
    return max(size, 0) // 4  # a keyring reads as its keys' 32-bit serial numbers
