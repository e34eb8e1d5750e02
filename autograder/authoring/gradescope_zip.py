"""`autograder bundle ASSIGNMENT --gradescope`: the zip Gradescope's autograder upload
takes: setup.sh and run_autograder at its root, the grader bundle and this package beside
them. Gradescope runs setup.sh once when it builds its image, then run_autograder per
submission."""

from __future__ import annotations

import zipfile
from pathlib import Path

from autograder.grading.bundle import Bundle

SETUP_SH = """#!/usr/bin/env bash
# Runs once, when Gradescope builds the autograder image (Ubuntu 22.04 base).
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3.11 python3.11-venv bubblewrap
python3.11 -m venv /opt/grader-venv
/opt/grader-venv/bin/pip install "torch=={torch}" --index-url https://download.pytorch.org/whl/cpu
/opt/grader-venv/bin/pip install /autograder/source/autograder_src
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Runs per submission on Gradescope. AUTOGRADER_ROOT and AUTOGRADER_PYTHON move it
# elsewhere (a test tree, a department server).
set -euo pipefail
export AUTOGRADER_ROOT="${AUTOGRADER_ROOT:-/autograder}"
exec "${AUTOGRADER_PYTHON:-/opt/grader-venv/bin/python}" -m autograder.gradescope
"""


def _add_text(zf: zipfile.ZipFile, name: str, text: str, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: reproducible zips
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def _add_tree(zf: zipfile.ZipFile, source: Path, prefix: str) -> None:
    for path in sorted(
        p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        info = zipfile.ZipInfo(
            f"{prefix}/{path.relative_to(source).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0)
        )
        info.external_attr = (0o100000 | 0o644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, path.read_bytes())


def build_gradescope_zip(
    bundle: Bundle, project_root: Path, target: Path, torch_version: str
) -> Path:
    """Write the zip to `target`; returns it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        _add_text(zf, "setup.sh", SETUP_SH.format(torch=torch_version), 0o755)
        _add_text(zf, "run_autograder", RUN_AUTOGRADER, 0o755)
        _add_tree(zf, bundle.root, "bundle")
        _add_tree(zf, project_root / "autograder", "autograder_src/autograder")
        for name in ("pyproject.toml", "README.md"):
            _add_text(
                zf, f"autograder_src/{name}", (project_root / name).read_text(encoding="utf-8")
            )
    return target
