"""Properties of the public commands, each run as a TA runs it (a real process): whatever
the arguments, CSVs and zips, the exit status is 0, 1 (a one-line refusal) or 2 (usage),
there is no traceback, the gradebook passes SQLite's integrity check and still holds the
score recorded before, and nothing is written outside the --out / --csv path given."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bad_inputs import exam_points, integrity
from conftest import REPO, install_tiny_bundle, run_cli
from hypothesis import given
from hypothesis import strategies as st

from .strategies import arguments, exam_csvs, zips

KEEPER = "хранитель"  # recorded before the fuzzing; no command below may lose it
COMPONENTS = st.sampled_from(["hw01", "exam", "hw07", "HW01", "../hw01"])
FORMATS = st.sampled_from(["default", "moodle", "canvas", "nosuch"])


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "course"
    root.mkdir()
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    install_tiny_bundle(root, root.parent / "build")
    (root / "inputs").mkdir()
    (root / "inputs" / "file.txt").write_text("an existing file")
    keeper = root / "inputs" / "keeper.csv"
    keeper.write_text(f"student_id,points\n{KEEPER},30\n")
    assert run_cli(root, "exam", "import", str(keeper)).returncode == 0
    return root


def _snapshot(root: Path) -> dict[Path, tuple[int, int]]:
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if not name.startswith("gradebook.db"):
                info = path.lstat()
                files[path] = (info.st_size, info.st_mtime_ns)
    return files


def _outputs(course: Path, data) -> tuple[str, Path]:
    """An output path argument, and where it points (relative to the course root)."""
    choice = data.draw(
        st.sampled_from(["new", "file", "folder", "under-file", "text", "course-root"])
    )
    text = {
        "new": "out/run",
        "file": "inputs/file.txt",
        "folder": "inputs",
        "under-file": "inputs/file.txt/sub",
        "course-root": ".",
    }.get(choice) or (data.draw(arguments) or "x")
    return text, (course / text)


@st.composite
def commands(draw, course: Path) -> tuple[list[str], Path | None]:
    """argv for one command, and the one path it may write to (None: only the gradebook)."""
    kind = draw(st.sampled_from(["score", "exam", "gradebook", "report", "grade", "raw"]))
    if kind == "score":
        args = ["score", "set", draw(arguments), draw(COMPONENTS), draw(arguments)]
        return args + ["--reason", draw(arguments)], None
    if kind == "exam":
        path = course / "inputs" / "exam.csv"
        path.write_bytes(draw(exam_csvs()))
        return ["exam", "import", str(path)], None
    if kind == "gradebook":
        text, where = _outputs(course, draw(st.data()))
        return ["gradebook", "--csv", text, "--format", draw(FORMATS)], where
    if kind == "report":
        text, where = _outputs(course, draw(st.data()))
        return ["report", draw(COMPONENTS), "--out", text], where
    if kind == "grade":
        archive = draw(zips(course / "inputs" / "lms.zip", gradable=False))
        text, where = _outputs(course, draw(st.data()))
        backend = draw(st.one_of(st.just("auto"), arguments))
        return ["grade", "hw01", str(archive), "--out", text, "--backend", backend], where
    return draw(st.lists(arguments, max_size=5)), None


def _inside(path: Path, allowed: Path | None) -> bool:
    if allowed is None:
        return False
    allowed = Path(os.path.normpath(allowed))
    return path == allowed or allowed in path.parents


def test_any_command_line_is_a_result_or_a_refusal(course, run_property):
    db = course / "gradebook.db"

    @given(st.data())
    def prop(data) -> None:
        argv, allowed = data.draw(commands(course))  # writes the command's input files
        before = _snapshot(course)
        proc = run_cli(course, *argv, gradebook=db)
        output = proc.stdout + proc.stderr
        assert proc.returncode in (0, 1, 2), output
        assert "Traceback" not in output, output
        if proc.returncode == 1:
            assert proc.stderr.strip(), "a refusal says why"
        assert integrity(db) == "ok"
        assert exam_points(db, KEEPER) == "30.00"
        after = _snapshot(course)
        changed = {p for p in after if before.get(p) != after[p]}
        assert all(_inside(p, allowed) for p in changed), (argv, sorted(changed))

    run_property(prop, examples=12)
