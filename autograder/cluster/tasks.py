"""What runs on a worker: the bundle, shipped once as a reproducible archive and unpacked
into a per-host cache after its version hash is checked, and `grade_task`, which grades
one notebook in today's sandbox and answers with plain JSON text."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import asdict
from pathlib import Path

from autograder.cluster.identity import WorkerMismatch, package_fingerprint
from autograder.grading.bundle import Bundle, load_bundle


def bundle_archive(bundle: Bundle) -> bytes:
    """The bundle folder (bundle.json, tests/, files/) as a gzipped tar, in memory; the
    same bundle always gives the same bytes (no times or owners inside)."""

    def plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
        return info

    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w") as tar,
    ):
        for name in ("bundle.json", "tests", "files"):
            if (bundle.root / name).exists():
                tar.add(bundle.root / name, arcname=name, filter=plain)
    return buffer.getvalue()


def bundle_bytes(archive: bytes) -> bytes:
    """The archive as a task's result: the scheduler keeps it for workers that join later."""
    return archive


def unpacked_bundle(archive: bytes, version: str) -> Bundle:
    """On a worker: the shipped bundle, unpacked once per version into a local cache and
    checked against its version hash before anything is graded with it."""
    cache = Path(tempfile.gettempdir()) / f"autograder-bundles-{os.getuid()}"
    # keyed by the archive, not the version: limits live in bundle.json, outside the version
    target = cache / hashlib.sha256(archive).hexdigest()[:32]
    if not (target / "bundle.json").is_file():
        cache.mkdir(mode=0o700, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=cache, prefix=".unpack-"))
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            tar.extractall(staging, filter="data")
        try:
            staging.rename(target)
        except OSError:  # another worker process on this host unpacked it first
            shutil.rmtree(staging, ignore_errors=True)
    bundle = load_bundle(target)
    if bundle.version != version:
        raise WorkerMismatch(f"shipped bundle hashes to {bundle.version[:12]}, not {version[:12]}")
    return bundle


def grade_task(
    archive: bytes,
    version: str,
    package: str,
    student_id: str,
    filename: str,
    notebook: bytes,
    backend: str,
) -> str:
    """Grade one notebook on a worker; the result as JSON text (plain data, nothing else)."""
    from autograder.grading.notebook import grade_notebook

    if package != package_fingerprint():
        raise WorkerMismatch(
            f"worker runs autograder {package_fingerprint()[:12]}, the coordinator {package[:12]}: "
            "install the same version on every machine"
        )
    bundle = unpacked_bundle(archive, version)
    with tempfile.TemporaryDirectory(prefix="submission-") as tmp:
        path = Path(tmp) / Path(filename).name
        path.write_bytes(notebook)
        result = grade_notebook(bundle, path, student_id=student_id, backend=backend)
    return json.dumps(asdict(result), ensure_ascii=False, allow_nan=False)
