# ruff: noqa: F821
# Leave state in kernel objects that are not files or processes, for the next submission:
# keys in every keyring (keyed by uid, not by namespace), System V shared memory, a
# semaphore and a message queue, a POSIX message queue; then try the system calls that
# reach past the submission. Report what worked.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
NR = CTX["syscalls"]
IPC_KEY = CTX["ipc_key"]
tag = TOKEN.encode()
worked = {}


def call(name, *args):
    ctypes.set_errno(0)
    args = [a if isinstance(a, bytes) else ctypes.c_long(a) for a in args]
    result = libc.syscall(ctypes.c_long(NR[name]), *args)
    return result, ctypes.get_errno()


for spec, ring in ((-3, "session"), (-4, "user"), (-5, "user_session"), (-2, "process")):
    result, err = call("add_key", b"user", tag, tag, len(tag), spec)
    if result > 0:
        worked[f"add_key:{ring}"] = result
result, err = call("keyctl", 0, -3, 0)  # the session keyring shared with earlier forks?
if result > 0:
    worked["keyctl:session"] = result
shm = libc.shmget(IPC_KEY, 4096, 0o1666)  # IPC_CREAT | 0666
if shm >= 0:
    address = libc.shmat(shm, None, 0)
    ctypes.memmove(address, tag, len(tag))
    worked["shmget"] = shm
if libc.semget(IPC_KEY, 1, 0o1666) >= 0:
    worked["semget"] = True
if libc.msgget(IPC_KEY, 0o1666) >= 0:
    worked["msgget"] = True
librt = ctypes.CDLL("librt.so.1", use_errno=True)
queue = librt.mq_open(b"/" + tag.rstrip(b"."), os.O_CREAT | os.O_RDWR, 0o666, None)
if queue >= 0:
    worked["mq_open"] = True
for name, args in (
    ("bpf", (0, 0, 0)),
    ("perf_event_open", (0, 0, -1, -1, 0)),
    ("userfaultfd", (0,)),
    ("io_uring_setup", (1, 0)),
    ("unshare", (0x10000000,)),
    ("ptrace", (0, 0, 0, 0)),
    ("kexec_load", (0, 0, 0, 0)),
):
    result, err = call(name, *args)
    if result >= 0:
        worked[name] = result
report(worked=worked)
