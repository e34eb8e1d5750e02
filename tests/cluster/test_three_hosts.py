"""The documented three-machine setup for real: three network namespaces the test makes
(a bridge on `grader0`, a veth pair to each worker host), the scheduler and the TA's
`grade --cluster` on grader0 (10.77.0.1), one `autograder worker` on grader1 and one on
grader2, which reach the scheduler only over the bridge. Root and `ip` needed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import PLUGINS, recorded, write_class

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("ip") is None,
    reason="network namespaces need root and iproute2's `ip`",
)

SUBNET = "10.77.0"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def hosts():
    """{host: (namespace, address)}; the namespaces (and their links) removed at the end."""
    tag = f"ag{os.getpid() % 100000}"
    names = {"grader0": f"{tag}g0", "grader1": f"{tag}g1", "grader2": f"{tag}g2"}
    made = []
    try:
        for ns in names.values():
            _ip("netns", "add", ns)
            made.append(ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        hub = names["grader0"]
        _ip("-n", hub, "link", "add", "br0", "type", "bridge")
        _ip("-n", hub, "addr", "add", f"{SUBNET}.1/24", "dev", "br0")
        _ip("-n", hub, "link", "set", "br0", "up")
        for i, host in enumerate(("grader1", "grader2"), start=2):
            ns, port = names[host], f"{tag}p{i}"
            _ip("-n", hub, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns)
            _ip("-n", hub, "link", "set", port, "master", "br0", "up")
            _ip("-n", ns, "addr", "add", f"{SUBNET}.{i}/24", "dev", "eth0")
            _ip("-n", ns, "link", "set", "eth0", "up")
        yield {host: (ns, f"{SUBNET}.{i + 1}") for i, (host, ns) in enumerate(names.items())}
    finally:
        for ns in made:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def _in(ns: str, *cmd: str) -> list[str]:
    return ["ip", "netns", "exec", ns, *cmd]


def test_a_scheduler_host_and_two_worker_hosts_grade_a_class(
    course_with_bundle, tmp_path, hosts, processes
):
    hub, hub_ip = hosts["grader0"]
    address = f"tcp://{hub_ip}:8786"
    py = sys.executable
    processes.start(
        "scheduler",
        _in(hub, py, "-m", "dask", "scheduler", "--host", hub_ip, "--port", "8786")
        + ["--no-dashboard"],
    )
    for host in ("grader1", "grader2"):
        ns, _ = hosts[host]
        processes.start(
            host, _in(ns, py, "-m", "autograder.cli", "worker", address, "--name", host)
        )
    probe = [py, str(PLUGINS / "scheduler_probe.py"), address]
    joined = subprocess.run(_in(hub, *probe, "wait", "2"), timeout=300)
    assert joined.returncode == 0, "the two worker hosts did not join over the bridge"

    subs = write_class(tmp_path / "class", 4)
    db = tmp_path / "gb.db"
    done = subprocess.run(
        _in(hub, py, "-m", "autograder.cli", "grade", "hw01", str(subs))
        + ["--out", str(tmp_path / "res"), "--cluster", address],
        cwd=course_with_bundle,
        env={**os.environ, "AUTOGRADER_GRADEBOOK": str(db), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert [(s, st, float(p)) for s, st, p in recorded(db)] == [
        ("s00", "ok", 2),
        ("s01", "ok", 1),
        ("s02", "ok", 0),
        ("s03", "ok", 2),
    ]
    counts = subprocess.run(
        _in(hub, *probe, "graded"), capture_output=True, text=True, timeout=120, check=True
    )
    graded = json.loads(counts.stdout)
    print("grading tasks per host:", graded)
    assert sorted(graded) == ["grader1", "grader2"] and sum(graded.values()) == 4
    assert min(graded.values()) >= 1, f"one host did all the grading: {graded}"
