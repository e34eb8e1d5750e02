"""run_autograder against a fake /autograder tree (AUTOGRADER_ROOT), outside Docker:
solution -> full marks, blank -> 0, garbage -> a clear failure result; and the zip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.authoring.release import build
from autograder.course.config import load_course
from autograder.grading.bundle import load_bundle


@pytest.fixture(scope="module")
def hw01(tmp_path_factory):
    repo = Path(__file__).resolve().parents[1]
    out = tmp_path_factory.mktemp("hw01-build")
    student, bundle_dir, solution = build(load_course(repo), "hw01", out)
    return load_bundle(bundle_dir), solution, student / "hw01.ipynb"


def _tree(tmp_path: Path, bundle_root: Path, files: dict[str, bytes | Path]) -> Path:
    root = tmp_path / "autograder"
    shutil.copytree(bundle_root, root / "source" / "bundle")
    (root / "submission").mkdir(parents=True)
    for name, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        (root / "submission" / name).write_bytes(data)
    return root


def _run(repo_root: Path, root: Path) -> tuple[subprocess.CompletedProcess, dict]:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run(
        [str(repo_root / "docker" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return proc, json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_blank_scores_zero(repo_root, tmp_path, hw01):
    bundle, _, blank = hw01
    proc, results = _run(repo_root, _tree(tmp_path, bundle.root, {"hw01.ipynb": blank}))
    assert proc.returncode == 0, proc.stderr
    assert results["score"] == 0


@pytest.mark.parametrize(
    "files",
    [{"hw01.ipynb": b"this is not json"}, {"notes.txt": b"no notebook here"}, {}],
    ids=["garbage", "no-notebook", "empty"],
)
def test_garbage_gives_a_failure_result(repo_root, tmp_path, hw01, files):
    bundle, _, _ = hw01
    proc, results = _run(repo_root, _tree(tmp_path, bundle.root, files))
    assert proc.returncode == 0, proc.stderr
    assert results["score"] == 0
    assert results["extra_data"]["status"] == "bad-notebook"
    assert "ноутбук" in results["output"]


def test_gradescope_zip_layout(repo_root, tmp_path, hw01, course_root):
    from autograder.authoring.gradescope_zip import build_gradescope_zip

    bundle, _, _ = hw01
    target = build_gradescope_zip(bundle, repo_root, tmp_path / "hw01-gradescope.zip", "2.13.0")
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        assert {
            "setup.sh",
            "run_autograder",
            "bundle/bundle.json",
            "autograder_src/pyproject.toml",
        } <= names
        assert "autograder_src/autograder/gradescope.py" in names
        assert (zf.getinfo("run_autograder").external_attr >> 16) & 0o111
        assert "torch==2.13.0" in zf.read("setup.sh").decode()
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(target) as zf:
        zf.extractall(unpacked)
    assert load_bundle(unpacked / "bundle").version == bundle.version


def test_unpacked_gradescope_zip_grades_the_solution(repo_root, tmp_path, hw01):
    """The issue's acceptance path: make the zip, unpack it as Gradescope does into
    /autograder/source, put the solution in /autograder/submission, run its run_autograder
    (the one grading of the solution here: full marks, hidden tests held back)."""
    from autograder.authoring.gradescope_zip import build_gradescope_zip

    bundle, solution, _ = hw01
    target = build_gradescope_zip(bundle, repo_root, tmp_path / "hw01-gradescope.zip", "2.13.0")
    root = tmp_path / "autograder"
    with zipfile.ZipFile(target) as zf:
        zf.extractall(root / "source")
    (root / "submission").mkdir()
    shutil.copy(solution, root / "submission" / "hw01.ipynb")
    script = root / "source" / "run_autograder"
    script.chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 15
    assert {t["visibility"] for t in results["tests"]} >= {"visible", "after_published"}
    assert results["extra_data"]["backend"]


def test_a_requirement_no_sandbox_meets_refuses_before_grading(repo_root, tmp_path, hw01):
    """AUTOGRADER_REQUIRE_BACKEND that cannot be met: nothing runs, results.json says why."""
    bundle, solution, _ = hw01
    root = _tree(tmp_path, bundle.root, {"hw01.ipynb": solution})
    env = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "AUTOGRADER_PYTHON": sys.executable,
        "AUTOGRADER_REQUIRE_BACKEND": "bubblewrap",  # a misspelt name must not grade either
    }
    script = repo_root / "docker" / "run_autograder"
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 0 and results["tests"] == []
    assert results["extra_data"]["status"] == "refused"
    assert "not a sandbox backend" in results["extra_data"]["backend_warning"]
    assert proc.stderr.strip().splitlines() == [
        f"error: {results['extra_data']['backend_warning']}"
    ]
    assert "Работа не проверена" in results["output"]
