"""The system calls student code may make: an allow-list, everything else fails with EPERM.

Built by libseccomp (through pyseccomp) in the trusted process and handed to every backend
as classic BPF (bwrap --add-seccomp-fd; the pool and `unshare` load it after no_new_privs).
At least as strict as Docker's default profile: what a Python notebook with torch, numpy
and scikit-learn needs (files, memory, threads, signals, time, polling, sockets in its own
empty network namespace, System V and POSIX IPC in its own IPC namespace) and nothing that
reaches past the submission: no keyrings (keyed by uid, not namespace: they would outlive
the submission and reach the next one), bpf, perf_event_open, userfaultfd, io_uring, new
namespaces, mounts, ptrace and process_vm_*, kernel modules, kexec, reboot, setting clocks
or the host name, NUMA policy, handles by inode, personality beyond the harmless ones.
clone3 answers ENOSYS so libc falls back to clone, whose flags a filter can see; clone with
a namespace flag is EPERM. Other architectures and the x32 ABI kill the process."""

from __future__ import annotations

import errno
import functools
import tempfile

ALLOWED_BY_PURPOSE = {
    "files and descriptors": (
        "read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 "
        "open openat openat2 creat close close_range lseek _llseek dup dup2 dup3 fcntl fcntl64 "
        "stat fstat lstat newfstatat fstatat64 statx statfs fstatfs statfs64 fstatfs64 "
        "access faccessat faccessat2 readlink readlinkat getdents getdents64 getcwd chdir fchdir "
        "mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat "
        "symlink symlinkat mknod mknodat chmod fchmod fchmodat fchmodat2 chown fchown lchown "
        "fchownat umask truncate ftruncate fallocate fsync fdatasync sync syncfs sync_file_range "
        "utime utimes futimesat utimensat flock ioctl pipe pipe2 splice tee vmsplice "
        "sendfile sendfile64 copy_file_range readahead fadvise64 fadvise64_64 "
        "getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr setxattr lsetxattr "
        "fsetxattr removexattr lremovexattr fremovexattr "
        "inotify_init inotify_init1 inotify_add_watch inotify_rm_watch "
    ),
    "memory": (
        "brk mmap mmap2 munmap mremap mprotect madvise mincore msync mlock mlock2 munlock "
        "mlockall munlockall remap_file_pages memfd_create membarrier "
        "pkey_alloc pkey_free pkey_mprotect "
    ),
    "processes, threads, signals, credentials (changing them needs capabilities it lacks)": (
        "fork vfork execve execveat exit exit_group wait4 waitid waitpid "
        "kill tkill tgkill rt_sigaction rt_sigprocmask rt_sigreturn sigreturn rt_sigpending "
        "rt_sigsuspend rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo sigaltstack "
        "signalfd signalfd4 pause restart_syscall pidfd_open pidfd_send_signal "
        "getpid getppid gettid getpgid getpgrp setpgid getsid setsid "
        "getuid geteuid getgid getegid getresuid getresgid getgroups "
        "setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid setgroups "
        "capget capset prctl arch_prctl set_tid_address set_robust_list get_robust_list rseq "
        "set_thread_area get_thread_area futex futex_waitv seccomp "
        "sched_yield sched_getaffinity sched_setaffinity sched_getparam sched_setparam "
        "sched_getscheduler sched_setscheduler sched_get_priority_max sched_get_priority_min "
        "sched_rr_get_interval sched_getattr sched_setattr getpriority setpriority "
        "ioprio_get ioprio_set getcpu "
        "getrlimit setrlimit prlimit64 ugetrlimit getrusage times sysinfo uname "
    ),
    "time (reading it, sleeping, timers)": (
        "clock_gettime clock_getres clock_nanosleep nanosleep gettimeofday time "
        "timer_create timer_settime timer_gettime timer_getoverrun timer_delete "
        "timerfd_create timerfd_settime timerfd_gettime getitimer setitimer alarm "
    ),
    "waiting on descriptors, and asynchronous I/O (not io_uring)": (
        "select _newselect pselect6 poll ppoll epoll_create epoll_create1 epoll_ctl epoll_wait "
        "epoll_pwait epoll_pwait2 eventfd eventfd2 "
        "io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents "
    ),
    "sockets, inside the submission's own network namespace (socket: see the rule below)": (
        "socketpair bind listen accept accept4 connect getsockname getpeername sendto recvfrom "
        "sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt "
    ),
    "System V and POSIX IPC, inside the submission's own IPC namespace": (
        "shmget shmat shmdt shmctl semget semop semtimedop semctl msgget msgsnd msgrcv msgctl "
        "mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr "
        "getrandom"
    ),
}
ALLOWED = [name for names in ALLOWED_BY_PURPOSE.values() for name in names.split()]

NAMESPACE_FLAGS = (  # CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET}, CLONE_NEWTIME
    0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80
)
AF_VSOCK = 40  # reaches the hypervisor, past any network namespace
# personality(2) values Docker's profile allows: the default, and asking what it is
PERSONALITIES = (0x0, 0x0008, 0x20000, 0x20008, 0xFFFFFFFF)


@functools.cache
def policy_filter() -> bytes:
    """The policy as an array of struct sock_filter (for bwrap and PR_SET_SECCOMP)."""
    import pyseccomp as sc

    rules = sc.SyscallFilter(defaction=sc.ERRNO(errno.EPERM))
    for name in ALLOWED:
        if sc.resolve_syscall(sc.Arch.NATIVE, name) != -1:  # -1: unknown to this libseccomp
            rules.add_rule(sc.ALLOW, name)
    rules.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    rules.add_rule(sc.ALLOW, "clone", sc.Arg(0, sc.MASKED_EQ, NAMESPACE_FLAGS, 0))
    rules.add_rule(sc.ALLOW, "socket", sc.Arg(0, sc.NE, AF_VSOCK))
    for persona in PERSONALITIES:
        # personality takes an unsigned int: compare the low 32 bits of the register
        rules.add_rule(sc.ALLOW, "personality", sc.Arg(0, sc.MASKED_EQ, 0xFFFFFFFF, persona))
    with tempfile.TemporaryFile() as out:
        rules.export_bpf(out)
        out.seek(0)
        return out.read()


def supported() -> bool:
    """libseccomp is there and knows this machine's architecture."""
    try:
        policy_filter()
    except (ImportError, OSError, ValueError, RuntimeError):
        return False
    return True
