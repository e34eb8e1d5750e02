"""Builds the example class that scripts/example grades, from the hw01 master, so the
class always matches the current homework:

    ivanova     the solution, on time                      -> 15
    petrov      parts A and B solved, C and D left blank   -> partial credit
    sidorov     the blank notebook                         -> 0
    kuznetsova  the solution with one common mistake (dropout's kept elements not rescaled
                by 1/(1-p)), 27 hours late (2 started days) -> q11 lost, then minus 20%;
                her feedback names the mistake (the catalogue's hint)
    smirnov     a file that is not valid JSON              -> 0, "bad-notebook"
    hacker      the blank plus cheats: always-equal objects under every tested name,
                patched torch.allclose, a hunt for test files, a printed fake score -> 0
    readme.txt  a stray file in the upload folder          -> reported, not graded

With `--homework hw02` (or hw03 to hw06) it builds a small class from that master instead:

    ivanova     the solution, on time                      -> the maximum
    petrov      part A or A+B solved, the rest left blank  -> partial credit
    sidorov     the blank notebook                         -> 0

Usage: python examples/make_class.py OUT_DIR [--homework hw02|hw03|hw04|hw05|hw06]
"""

from __future__ import annotations

import argparse
import ast
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import nbformat

from autograder.authoring.release import build
from autograder.course.config import load_course

REPO = Path(__file__).resolve().parents[1]
LAST_SOLVED_CHECK = {  # petrov stops after part B
    "hw01": 'grader.check("q7")',
    "hw02": 'grader.check("q3")',
    "hw03": 'grader.check("q2")',  # part A, the text pipeline
    "hw04": 'grader.check("q2")',  # part A, the VAE's math
    "hw05": 'grader.check("q4")',  # parts A and B: PCA, NT-Xent, the placement
    "hw06": 'grader.check("q4")',  # parts A and B: ranking metrics, explicit ALS
}

CHEATS = '''\
import glob
import torch


class AlwaysRight:
    """Equal to everything, true, callable, and every attribute is itself."""

    def __eq__(self, other):
        return True

    def __bool__(self):
        return True

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        return self

    def item(self):
        return 0.0


torch.allclose = lambda *args, **kwargs: True
for _name in {names!r}:
    globals()[_name] = AlwaysRight()
print("found test files:", glob.glob("/*/tests/*.py") + glob.glob("/work/**/q*.py", recursive=True))
print("Итог: 15 из 15 баллов.")
'''


def tested_names(bundle_tests: Path) -> list[str]:
    """Every argument name a test function takes: what the grader will ask the notebook for."""
    names: set[str] = set()
    for path in bundle_tests.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                names.update(arg.arg for arg in node.args.args)
    return sorted(names - {"env"})


def partial(
    solution: nbformat.NotebookNode, blank: nbformat.NotebookNode, homework: str = "hw01"
) -> nbformat.NotebookNode:
    """The solution up to the end of part B, the blank notebook after it."""
    if len(solution.cells) != len(blank.cells):
        raise SystemExit("the solution and student notebooks differ in shape; cannot mix them")
    last = LAST_SOLVED_CHECK[homework]
    stop = next(i for i, c in enumerate(blank.cells) if c.source.strip() == last)
    mixed = nbformat.from_dict(solution)
    mixed.cells = solution.cells[: stop + 1] + blank.cells[stop + 1 :]
    return mixed


# a mistake of hw01's catalogue (tests/hw01/hw01_mutants.py, `dropout_without_scaling`)
DROPOUT_NOT_RESCALED = ("return x * keep / (1.0 - self.p)", "return x * keep")


def with_mistake(solution: nbformat.NotebookNode, old: str, new: str) -> nbformat.NotebookNode:
    """The solution with `old` replaced by `new` in the one cell that holds it."""
    mistaken = nbformat.from_dict(solution)
    cells = [c for c in mistaken.cells if c.cell_type == "code" and old in c.source]
    if len(cells) != 1:
        raise SystemExit(f"the hw01 solution holds {old!r} in {len(cells)} cells, not one")
    cells[0].source = cells[0].source.replace(old, new)
    return mistaken


def write(path: Path, nb: nbformat.NotebookNode, when: float) -> None:
    nbformat.write(nb, path)
    os.utime(path, (when, when))


def main(out: Path) -> None:
    course = load_course(REPO)
    deadline = course.component("hw01").deadline
    on_time = (deadline - timedelta(days=2)).timestamp()
    late = (deadline + timedelta(days=1, hours=3)).timestamp()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        student_dir, bundle_dir, solution_path = build(course, "hw01", Path(tmp))
        solution = nbformat.read(solution_path, as_version=4)
        blank = nbformat.read(student_dir / "hw01.ipynb", as_version=4)
        names = tested_names(bundle_dir / "tests")
    write(out / "ivanova.ipynb", solution, on_time)
    write(out / "petrov.ipynb", partial(solution, blank), on_time)
    write(out / "sidorov.ipynb", blank, on_time)
    write(out / "kuznetsova.ipynb", with_mistake(solution, *DROPOUT_NOT_RESCALED), late)
    hacked = nbformat.from_dict(blank)
    hacked.cells.append(nbformat.v4.new_code_cell(CHEATS.format(names=names)))
    write(out / "hacker.ipynb", hacked, on_time)
    (out / "smirnov.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "source": "def relu(x', encoding="utf-8"
    )
    os.utime(out / "smirnov.ipynb", (on_time, on_time))
    (out / "readme.txt").write_text("uploaded by mistake\n", encoding="utf-8")
    print(f"example class: {len(list(out.iterdir()))} files in {out}")


def main_small(out: Path, homework: str) -> None:
    """A small class: the solution, a partial notebook and the blank one, all on time."""
    course = load_course(REPO)
    on_time = (course.component(homework).deadline - timedelta(days=1)).timestamp()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        student_dir, _, solution_path = build(course, homework, Path(tmp))
        solution = nbformat.read(solution_path, as_version=4)
        blank = nbformat.read(student_dir / f"{homework}.ipynb", as_version=4)
    write(out / "ivanova.ipynb", solution, on_time)
    write(out / "petrov.ipynb", partial(solution, blank, homework), on_time)
    write(out / "sidorov.ipynb", blank, on_time)
    print(f"example {homework} class: {len(list(out.iterdir()))} files in {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--homework", choices=sorted(LAST_SOLVED_CHECK), default="hw01")
    args = parser.parse_args()
    if args.homework == "hw01":
        main(args.out)
    else:
        main_small(args.out, args.homework)
