"""Measure ONCE what otter-grader itself scores for each master in
tests/fixtures/otter_masters/ and record it in the master's `compat.json`; the compat tests
compare against these numbers and never run otter themselves.

    .venv/bin/python tests/otter_compat/record_otter_scores.py [NAME ...]

For each master: `otter assign` (no PDFs, no test run), then `otter run` with the autograder
zip on the solution (otter's autograder notebook), on the blank (otter's student notebook)
and on the partial submission: the solution with the `partial_edits` of compat.json applied
(each `[old, new]` replaces text that occurs exactly once in the code cells).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

MASTERS = Path(__file__).resolve().parents[1] / "fixtures" / "otter_masters"
OTTER = Path(sys.executable).with_name("otter")


def apply_edits(notebook: nbformat.NotebookNode, edits: list[list[str]]) -> nbformat.NotebookNode:
    """A copy of `notebook` with each [old, new] replaced; `old` must occur once in the code."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for old, new in edits:
        hits = [c for c in notebook.cells if c.cell_type == "code" and old in c.source]
        if len(hits) != 1 or hits[0].source.count(old) != 1:
            raise ValueError(f"partial edit {old!r} matches {len(hits)} cells, expected one")
        hits[0].source = hits[0].source.replace(old, new)
    return notebook


def otter_score(zip_path: Path, notebook: Path, out: Path) -> tuple[float, float]:
    out.mkdir()
    subprocess.run(
        [str(OTTER), "run", "-a", str(zip_path), "-o", str(out), str(notebook)],
        check=True,
        capture_output=True,
    )
    results = json.loads((out / "results.json").read_text())
    score = float(sum(t.get("score") or 0 for t in results["tests"]))
    return score, float(sum(t.get("max_score") or 0 for t in results["tests"]))


def record(name: str) -> dict:
    master_dir = MASTERS / name
    compat_path = master_dir / "compat.json"
    compat = json.loads(compat_path.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / name
        shutil.copytree(master_dir, work)
        subprocess.run(
            [str(OTTER), "assign", "--no-pdfs", "--no-run-tests", f"{name}.ipynb", "out"],
            cwd=work,
            check=True,
            capture_output=True,
        )
        autograder = work / "out" / "autograder"
        zip_path = next(autograder.glob("*.zip"))
        solution = autograder / f"{name}.ipynb"
        partial = work / "partial" / f"{name}.ipynb"
        partial.parent.mkdir()
        edited = apply_edits(nbformat.read(solution, as_version=4), compat["partial_edits"])
        nbformat.write(edited, partial)
        blank = work / "out" / "student" / f"{name}.ipynb"
        solution_score, maximum = otter_score(zip_path, solution, Path(tmp) / "r-solution")
        compat["otter_run"] = {
            "otter_version": __import__("otter").__version__,
            "max": maximum,
            "solution": solution_score,
            "blank": otter_score(zip_path, blank, Path(tmp) / "r-blank")[0],
            "partial": otter_score(zip_path, partial, Path(tmp) / "r-partial")[0],
        }
    compat_path.write_text(json.dumps(compat, indent=2, ensure_ascii=False) + "\n")
    return compat


if __name__ == "__main__":
    for master in sys.argv[1:] or sorted(p.name for p in MASTERS.iterdir() if p.is_dir()):
        print(master, record(master)["otter_run"], flush=True)
