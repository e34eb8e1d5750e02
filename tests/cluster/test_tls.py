"""TLS on 127.0.0.1 for real: a scheduler, an `autograder worker` and `grade --cluster
tls://...` with certificates of a CA the test makes; a worker without a certificate of
that CA cannot join, and a coordinator without one cannot grade."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import grade, recorded, start_worker, wait_for, worker_count, write_class

pytest.importorskip("cryptography", reason="cryptography missing: install the [dev] extra")

from .certificates import issue, make_ca  # noqa: E402


@pytest.fixture
def pki(tmp_path):
    folder = tmp_path / "pki"
    folder.mkdir()
    course_ca = make_ca(folder, "course")
    rogue_ca = make_ca(folder, "rogue")
    ca_file = folder / "course-ca.pem"
    return {
        "scheduler": issue(folder, course_ca, "scheduler", ca_file),
        "worker": issue(folder, course_ca, "worker", ca_file),
        "ta": issue(folder, course_ca, "ta", ca_file),
        # trusts the course CA, but its own certificate is signed by another one
        "impostor": issue(folder, rogue_ca, "impostor", ca_file),
    }


def _security(creds):
    from distributed.security import Security

    return Security(
        tls_ca_file=str(creds.ca_file),
        tls_client_cert=str(creds.cert),
        tls_client_key=str(creds.key),
        require_encryption=True,
    )


def _join(address: str, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", "worker", address, *options],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_grading_over_tls_and_only_with_the_course_certificates(
    course_with_bundle, tmp_path, scheduler, processes, pki
):
    address, _ = scheduler(tls=pki["scheduler"].options())
    assert address.startswith("tls://")
    start_worker(processes, address, name="host-a", tls=pki["worker"].options())
    admin = _security(pki["ta"])
    wait_for(lambda: worker_count(address, admin) == 1, 180, "the TLS worker")

    subs = write_class(tmp_path / "class", 2)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address, *pki["ta"].options())
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert [(s, st, float(p)) for s, st, p in recorded(db)] == [("s00", "ok", 2), ("s01", "ok", 1)]

    impostor = _join(address, *pki["impostor"].options())
    assert impostor.returncode == 1
    assert "cannot reach the Dask scheduler" in impostor.stderr
    assert len(impostor.stderr.strip().splitlines()) == 1

    bare = _join(address)  # no certificate at all
    assert bare.returncode == 1 and "give --tls-ca-file, --tls-cert and --tls-key" in bare.stderr

    stranger = grade(course_with_bundle, subs, tmp_path / "other.db", address, "--regrade")
    _, err = stranger.communicate(timeout=300)
    assert stranger.returncode == 1 and "speaks TLS" in err.decode()
    assert worker_count(address, admin) == 1  # nobody else joined


def test_tls_options_come_all_three_together_and_only_with_tls(tmp_path):
    from autograder.cluster.identity import ClusterError
    from autograder.cluster.tls import tls_options

    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    with pytest.raises(ClusterError, match="missing --tls-cert, --tls-key"):
        tls_options({"tls-ca-file": str(ca)}, "tls://10.0.0.1:8786")
    full = {"tls-ca-file": str(ca), "tls-cert": str(ca), "tls-key": str(ca)}
    with pytest.raises(ClusterError, match="need a tls://"):
        tls_options(full, "tcp://10.0.0.1:8786")
    with pytest.raises(ClusterError, match="no such file"):
        tls_options({**full, "tls-key": str(tmp_path / "missing.key")}, "tls://10.0.0.1:8786")
    assert tls_options(full, "tls://10.0.0.1:8786") == full
    assert tls_options(None, "tcp://10.0.0.1:8786") == {}
