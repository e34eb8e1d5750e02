"""The student's side, as in JupyterLab: the committed student notebook, answers filled
in, executed cell by cell in a real Jupyter kernel; every grader.check("qN") passes."""

from __future__ import annotations

import shutil

import nbformat
from nbclient import NotebookClient

from autograder.authoring.release import build
from autograder.course.config import load_course


def test_filled_in_student_notebook_passes_its_public_checks(repo_root, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "OMP_NUM_THREADS", "1"
    )  # the kernel inherits it; 2 cores oversubscribe otherwise
    _, _, solution_path = build(load_course(repo_root), "hw01", tmp_path / "build")
    solution = nbformat.read(solution_path, as_version=4)
    folder = tmp_path / "student"
    shutil.copytree(repo_root / "assignments" / "hw01", folder)
    student = nbformat.read(folder / "hw01.ipynb", as_version=4)
    assert len(student.cells) == len(solution.cells)
    filled = 0
    for mine, answer in zip(student.cells, solution.cells, strict=True):
        if mine.cell_type == "code" and "..." in mine.source and mine.source != answer.source:
            mine.source = answer.source  # what a student types into the answer cells
            filled += 1
    assert filled >= 14
    client = NotebookClient(
        student, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    checks = [
        c for c in student.cells if c.cell_type == "code" and c.source.startswith("grader.check(")
    ]
    assert len(checks) == 14
    for cell in checks:
        text = "".join(
            str(out.get("data", {}).get("text/plain", "")) + out.get("text", "")
            for out in cell.outputs
        )
        assert "passed" in text and "failed" not in text.lower(), (cell.source, text)
        assert not [out for out in cell.outputs if out.output_type == "error"]
