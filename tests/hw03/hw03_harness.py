"""The hw01 in-process grader stand-in (tests/hw01/otter_harness.py), pointed at hw03.

Adds what hw03's mutants need beyond hw01's: a mutant may edit a model class, and the
executed solution holds trained instances of it. `mutant_namespace` gives those instances
the edited class (on a copy, so the shared solution run stays intact), so the mutant is
judged with the trained weights and without retraining.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import otter.assign

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hw01"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared harness

from mutation.harness import edit_definitions, is_definition_cell  # noqa: E402
from otter_harness import (  # noqa: E402
    CaseResult,
    Execution,
    code_cells,
    execute,
    failed,
    grade,
    question_files,
    total,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
MASTER = REPO_ROOT / "solutions" / "hw03" / "hw03.ipynb"


def variant_namespace(
    base: dict[str, Any],
    cells: list[str],
    edits: dict[str, list[tuple[str, str]]],
    rerun: tuple[str, ...] | list[str] = (),
) -> Execution:
    """The executed solution with some definitions edited: every definition cell is
    re-executed (edited) into a copy of `base`, so other functions pick up the edited ones;
    cells containing one of the `rerun` snippets run again afterwards."""
    patched, seen = [], set()
    for source in cells:
        if is_definition_cell(source):
            source, hits = edit_definitions(source, edits)
            seen |= hits
            patched.append(source)
    missing = set(edits) - seen
    if missing:
        raise KeyError(f"no definition cell defines {sorted(missing)}")
    unknown = [s for s in rerun if not any(s in source for source in cells)]
    if unknown:
        raise KeyError(f"no cell contains {unknown}")
    again = [source for source in cells if any(s in source for s in rerun)]
    return execute(patched + again, dict(base))


BUILD_SCRIPT = REPO_ROOT / "solutions" / "build_master.py"

__all__ = [
    "CaseResult",
    "Execution",
    "code_cells",
    "execute",
    "failed",
    "grade",
    "question_files",
    "total",
]


@dataclass(frozen=True)
class AssignedHomework:
    """The two views otter assign writes for the hw03 master."""

    root: Path

    @property
    def autograder_notebook(self) -> Path:
        return self.root / "autograder" / "hw03.ipynb"

    @property
    def autograder_tests(self) -> Path:
        return self.root / "autograder" / "tests"

    @property
    def student_notebook(self) -> Path:
        return self.root / "student" / "hw03.ipynb"

    @property
    def student_tests(self) -> Path:
        return self.root / "student" / "tests"


def assign(out_dir: Path) -> AssignedHomework:
    """Run otter assign on the hw03 master (without its own test run and PDFs)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        otter.assign.main(str(MASTER), str(out_dir), no_run_tests=True, no_pdfs=True)
    return AssignedHomework(out_dir)


def defined_names(cells: list[str]) -> set[str]:
    """Names of the top-level functions and classes that the notebook's cells define."""
    return {
        node.name
        for source in cells
        if is_definition_cell(source)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


def mutant_namespace(
    base: dict[str, Any],
    cells: list[str],
    edits: dict[str, tuple[tuple[str, str], ...]],
    rerun: tuple[str, ...] = (),
) -> Execution:
    """The executed solution with the edited definitions; trained models take edited classes.

    An edit naming something no definition-only cell defines (a function sharing its cell
    with a training run, a variable such as `cls_vocab`) applies to the cell defining it, or
    else to the first cell holding its first snippet. Edited cells and the `rerun` cells are
    executed again, in notebook order, after the definitions."""
    definitions = defined_names(cells)
    run = variant_namespace(base, cells, {k: v for k, v in edits.items() if k in definitions})
    edited: dict[int, str] = {}
    for name, snippets in edits.items():
        if name in definitions:
            continue
        index = next(
            (i for i, c in enumerate(cells) if f"def {name}(" in c or f"class {name}(" in c),
            next((i for i, c in enumerate(cells) if snippets[0][0] in c), None),
        )
        if index is None:
            raise KeyError(f"{name}: no cell defines it or contains {snippets[0][0]!r}")
        source = edited.get(index, cells[index])
        for old, new in snippets:
            if old not in source:
                raise KeyError(f"{name}: snippet not found: {old!r}")
            source = source.replace(old, new)
        edited[index] = source
    unknown = [s for s in rerun if not any(s in source for source in cells)]
    if unknown:
        raise KeyError(f"no cell contains {unknown}")
    again = [
        edited.get(i, source)
        for i, source in enumerate(cells)
        if i in edited or any(s in source for s in rerun)
    ]
    run.errors.extend(execute(again, run.namespace).errors)
    classes = {
        name: run.namespace[name]
        for name in edits
        if isinstance(run.namespace.get(name), type) and run.namespace[name] is not base.get(name)
    }
    for key, value in list(run.namespace.items()):
        for name, cls in classes.items():
            if type(value) is base.get(name) and base.get(key) is value:
                twin = copy.deepcopy(value)
                twin.__class__ = cls
                run.namespace[key] = twin
    return run
