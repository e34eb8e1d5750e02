"""What a submission can see and reach: files, network, environment, other sandboxes."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from autograder.errors import SandboxError
from autograder.grading.sandbox import Sandbox, available_backends, layout

from .conftest import TEST_LIMITS, needs, run

REPO = Path(layout.package_dir()).parent


def test_auto_picks_the_strongest_backend_and_exposes_its_name():
    sb = Sandbox(TEST_LIMITS)
    assert sb.backend == available_backends()[0]
    assert available_backends()[-1] == "none"


def test_weaker_backends_carry_a_loud_warning():
    assert "NO ISOLATION" in Sandbox(TEST_LIMITS, "none").warning
    for name in available_backends():
        sb = Sandbox(TEST_LIMITS, name)
        full = name in ("bwrap", "zygote") and os.geteuid() == 0 and sb.mechanism != "rlimits"
        assert (sb.warning is None) == full


def test_unknown_backend_is_refused():
    with pytest.raises(SandboxError, match="unknown backend"):
        Sandbox(TEST_LIMITS, "docker")


def test_interpreter_outside_the_runtime_is_refused(sandbox, workdir):
    with pytest.raises(SandboxError, match="outside the runtime"):
        sandbox.spawn(["/work/elsewhere/python", "-c", "pass"], workdir)


def test_workdir_is_writable_and_is_home_and_cwd(sandbox, workdir):
    result = run(
        sandbox,
        """
        import os
        open("out.txt", "w").write("ok")
        print(os.getcwd() == os.environ["HOME"], sorted(os.listdir(".")))
        """,
        workdir,
    )
    assert result.returncode == 0, result.err
    assert result.out.strip().split(maxsplit=1) == ["True", "['out.txt', 'submission.ipynb']"]


def test_files_outside_the_workdir_cannot_be_written(sandbox, workdir):
    needs(sandbox, "filesystem")
    targets = [
        workdir.parent / "outside.txt",
        Path(layout.package_dir()) / "poison.py",
        Path(layout.runtime_dirs()[0]) / "sitecustomize.py",
        Path("/usr/lib/poison"),
        Path("/etc/poison"),
        Path("/poison"),
    ]
    result = run(
        sandbox,
        f"""
        for path in {[str(t) for t in targets]!r}:
            try:
                open(path, "w").write("x")
                print("WROTE", path)
            except OSError:
                pass
        """,
        workdir,
    )
    assert result.returncode == 0, result.err
    assert "WROTE" not in result.out
    assert not any(t.exists() for t in targets)


def test_private_directories_are_invisible(sandbox, workdir):
    needs(sandbox, "filesystem")
    bundle = workdir.parent / "bundle" / "hidden_tests.py"
    secrets = [bundle, REPO / "pyproject.toml", REPO / ".git", Path("/root/.bash_history")]
    # the course's own files, wherever the runtime lives (CI's .venv is inside the repo)
    secrets += [REPO / "course_config.py", REPO / "solutions", REPO / "autograder", REPO / "tests"]
    runtime = layout.runtime_dirs()  # bound at their own paths (the package is not)
    on_runtime_path = lambda p: any(r.startswith(f"{p}/") for r in runtime)  # noqa: E731
    secrets += [p for p in Path("/root").iterdir() if not on_runtime_path(p)]
    result = run(
        sandbox,
        f"""
        import os
        print([p for p in {[str(s) for s in secrets]!r} if os.path.lexists(p)])
        print(sorted(os.listdir("/")))
        """,
        workdir,
    )
    assert result.returncode == 0, result.err
    visible, top = result.out.splitlines()
    assert visible == "[]"
    assert "home" not in top


def test_network_to_a_host_loopback_listener_fails(sandbox, workdir):
    needs(sandbox, "network")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = run(
            sandbox,
            f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=2)
                print("CONNECTED")
            except OSError as exc:
                print("refused", type(exc).__name__)
            """,
            workdir,
        )
        listener.settimeout(0)
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert result.out.startswith("refused"), result.out + result.err


def test_environment_carries_no_grader_secret(sandbox, workdir, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_GRADEBOOK_PASSWORD", "hunter2")
    result = run(
        sandbox,
        "import os; print(sorted(os.environ.items()))",
        workdir,
        env={"AUTOGRADER_WORKER": "1"},
    )
    assert result.returncode == 0, result.err
    assert "hunter2" not in result.out and "AUTOGRADER_GRADEBOOK" not in result.out
    env = dict(eval(result.out))
    assert env["AUTOGRADER_WORKER"] == "1"
    assert env["OMP_NUM_THREADS"] == env["TORCH_NUM_THREADS"] == str(TEST_LIMITS.threads)
    assert env["PYTHONNOUSERSITE"] == "1" and env["LANG"] == "C.UTF-8"


def test_poisoned_files_do_not_reach_the_next_sandbox(sandbox, tmp_path):
    needs(sandbox, "private_tmp")
    poison = """
    import os
    os.makedirs(os.path.expanduser("~/.ipython/profile_default/startup"), exist_ok=True)
    for path in ("/tmp/agpoison.py", "/dev/shm/agpoison", "sitecustomize.py",
                 os.path.expanduser("~/.ipython/profile_default/startup/00-agpoison.py")):
        open(path, "w").write("print('POISONED')")
    """
    check = """
    import os
    hits = [f for f in os.listdir(".") if f == "sitecustomize.py"]
    for top in ("/tmp", "/dev/shm", os.path.expanduser("~")):
        for folder, _, files in os.walk(top):
            hits += [os.path.join(folder, f) for f in files if "agpoison" in f]
    print(hits)
    """
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert run(sandbox, poison, first).returncode == 0
    result = run(sandbox, check, second)
    assert result.out.strip() == "[]", result.out + result.err
    assert list(first.iterdir()) == []  # the caller's copy is only a seed: untouched


def test_pass_fds_stay_open_at_the_same_numbers(sandbox, workdir):
    read_end, write_end = os.pipe()
    try:
        result = run(
            sandbox, f"import os; os.write({write_end}, b'hello')", workdir, pass_fds=(write_end,)
        )
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        assert pipe.read() == b"hello", result.err


def test_no_new_user_namespaces_so_no_private_unbounded_tmpfs(sandbox, workdir):
    result = run(
        sandbox,
        """
        import ctypes, subprocess, threading
        libc = ctypes.CDLL(None, use_errno=True)
        print(libc.unshare(0x10000000), ctypes.get_errno())  # CLONE_NEWUSER
        print(subprocess.run(["unshare", "-Ur", "true"]).returncode)
        threading.Thread(target=print, args=("threads still work",)).start()
        """,
        workdir,
    )
    assert result.out.splitlines() == ["-1 1", "1", "threads still work"], result.err
