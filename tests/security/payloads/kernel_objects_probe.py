# ruff: noqa: F821
# Run after kernel_objects, in a fresh submission under another uid: can it find what that
# one left in keyrings and in System V or POSIX IPC?
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
NR = CTX["syscalls"]
IPC_KEY = CTX["ipc_key"]
victim = CTX["victim_token"].encode()
found = {}
for spec, ring in ((-3, "session"), (-4, "user"), (-5, "user_session")):
    ctypes.set_errno(0)
    key = libc.syscall(ctypes.c_long(NR["request_key"]), b"user", victim, None, ctypes.c_long(spec))
    if key > 0:
        found[f"key:{ring}"] = key
    keyring = libc.syscall(ctypes.c_long(NR["keyctl"]), ctypes.c_long(0), ctypes.c_long(spec), 0)
    if keyring > 0:
        found[f"keyring:{ring}"] = keyring
shm = libc.shmget(IPC_KEY, 0, 0)
if shm >= 0:
    found["shm"] = ctypes.string_at(libc.shmat(shm, None, 0o10000), len(victim)).decode()
if libc.semget(IPC_KEY, 0, 0) >= 0:
    found["sem"] = True
if libc.msgget(IPC_KEY, 0) >= 0:
    found["msg"] = True
librt = ctypes.CDLL("librt.so.1", use_errno=True)
if librt.mq_open(b"/" + victim.rstrip(b"."), 0) >= 0:
    found["mq"] = True
report(found=found, looked=True)
