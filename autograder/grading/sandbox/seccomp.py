"""A tiny seccomp filter: no new user namespaces.

Without it an unprivileged submission can `unshare -Ur` and mount its own tmpfs, which
no size cap or rlimit of ours covers (and which widens the kernel surface it can reach).
Everything else is allowed; clone3 answers ENOSYS so libc falls back to clone, whose
flags a classic BPF filter can inspect. Classic BPF, assembled by hand: it is 14 lines."""

from __future__ import annotations

import os
import struct

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
SYSCALL_NR = {  # unshare, clone, clone3
    "x86_64": (272, 56, 435),
    "aarch64": (97, 220, 435),
}
X32_SYSCALL_BIT = 0x40000000
CLONE_NEWUSER = 0x10000000
EPERM, ENOSYS = 1, 38

LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
RET_ALLOW, RET_ERRNO, RET_KILL = 0x7FFF0000, 0x00050000, 0x80000000
NR, ARCH, ARG0 = 0, 4, 16  # offsets in struct seccomp_data (little-endian low word of arg0)


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def no_userns_filter(machine: str | None = None) -> bytes:
    """The filter as an array of struct sock_filter, for bwrap --seccomp or PR_SET_SECCOMP."""
    machine = machine or os.uname().machine
    unshare, clone, clone3 = SYSCALL_NR[machine]
    program = [
        _insn(LD_W_ABS, ARCH),  # 0
        _insn(JEQ, AUDIT_ARCH[machine], jt=0, jf=11),  # 1: foreign arch -> 13 kill
        _insn(LD_W_ABS, NR),  # 2
        _insn(JGE, X32_SYSCALL_BIT, jt=9, jf=0),  # 3: x32 ABI -> 13 kill
        _insn(JEQ, clone3, jt=7, jf=0),  # 4: -> 12 ENOSYS
        _insn(JEQ, unshare, jt=2, jf=0),  # 5: -> 8 check flags
        _insn(JEQ, clone, jt=1, jf=0),  # 6: -> 8 check flags
        _insn(RET, RET_ALLOW),  # 7
        _insn(LD_W_ABS, ARG0),  # 8
        _insn(JSET, CLONE_NEWUSER, jt=1, jf=0),  # 9: -> 11 EPERM
        _insn(RET, RET_ALLOW),  # 10
        _insn(RET, RET_ERRNO | EPERM),  # 11
        _insn(RET, RET_ERRNO | ENOSYS),  # 12
        _insn(RET, RET_KILL),  # 13
    ]
    return b"".join(program)


def supported() -> bool:
    return os.uname().machine in SYSCALL_NR
