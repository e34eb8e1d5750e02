"""The kit for a blind batch of mutants: what a writer who never saw the tests may read.

    python tests/mutation/blind_kit.py hw01 OUT_DIR

writes into OUT_DIR
  task.md             the student notebook as students get it (markdown and code cells)
  reference_cells.py  the reference solution's code cells, numbered, exactly as mutants edit
                      them (no test of any kind: otter assign keeps tests out of them)
  cells.json          the same cells, for check.py
  FORMAT.md           how to write a mutant, the questions and the kinds of mistakes
  check.py            `python check.py mutants.py`: every mutant applies and compiles
  ALREADY_WRITTEN.md  the mistakes of the homework's earlier rounds (tests/hwNN/blind/), which
                      a new writer must not repeat

A batch is graded by tests/mutation/blind_grade.py against the hidden tests (issue #26).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from mutation.harness import KINDS, code_cells, otter_assign  # noqa: E402

FORMAT = """\
# Writing blind mutants for {hw}

A mutant is ONE realistic mistake a student of this course could make in ONE function,
class or answer cell of the reference solution (`reference_cells.py`), written as data:

```python
from mutation.harness import Mutant

MUTANTS = [
    Mutant(
        name="softmax_over_batch_axis",           # unique, snake_case
        question="q5",                             # the question whose answer it breaks
        description="softmax normalised over the batch axis",  # one line, English
        kind="formula",                            # one of the kinds below
        target="softmax",                          # a top-level def/class name, or a snippet
                                                   # found in exactly one answer cell
        edits=(("dim=1", "dim=0"),),               # (old, new): EVERY occurrence of old inside
                                                   # the target becomes new; old must occur
        rerun=(),                                  # snippets of answer cells to run again
                                                   # after the edit (e.g. the cell training a
                                                   # model with the edited code)
    ),
]
```

How the submission is built: the reference notebook is executed once; for a mutant every
definition cell is executed again with the edit (so callers pick up the edited function),
then each cell named by `rerun`. A cell that trains a model is NOT re-executed unless you
name it in `rerun`: a mistake in a training procedure, a model class used by a trained
model, or a data preparation step only shows in the trained model when its cells re-run.
An edit whose target is an answer cell (one that is not only imports/defs) re-executes that
cell with the edit.

What makes a good mutant: a mistake a real student makes (from the task text's
requirements, the usual PyTorch pitfalls, misreading the formula, forgetting a mode or a
seed, editing an input in place, detaching a term, hard-coding a size, using the wrong
data, an off-by-one in a rule...). Not a good mutant: a change that makes the code crash
on every input, a change with no effect on any result, or a syntax error. Spread them over
all questions and kinds; subtle mistakes that still "work" are the most valuable.

Kinds (`kind=`):
{kinds}

Questions: {questions}

Check the file with `python check.py mutants.py` (the edits apply and compile).
"""

CHECK = '''\
"""python check.py mutants.py [--run]: every mutant applies to the reference and compiles;
with --run (cheap homeworks only) the reference and each mutant's cells are executed."""

import importlib.util
import json
import sys
from pathlib import Path

sys.path.insert(0, {tests!r})
from mutation.harness import catalogue_problems, execute, mutated_cells  # noqa: E402

kit = Path(__file__).resolve().parent
cells = json.loads((kit / "cells.json").read_text(encoding="utf-8"))
questions = json.loads((kit / "questions.json").read_text(encoding="utf-8"))
spec = importlib.util.spec_from_file_location("batch", sys.argv[1])
batch = importlib.util.module_from_spec(spec)
spec.loader.exec_module(batch)
problems = catalogue_problems(batch.MUTANTS, questions, per_question=0)
for mutant in batch.MUTANTS:
    try:
        for source in mutated_cells(mutant, cells):
            compile(source, mutant.name, "exec")
    except (KeyError, SyntaxError) as exc:
        problems.append(f"{{mutant.name}}: {{exc}}")
print("\\n".join(problems) or f"{{len(batch.MUTANTS)}} mutants apply and compile")
if "--run" in sys.argv and not problems:
    import os
    os.chdir({workdir!r})
    reference = execute(cells)
    print("reference errors:", reference.errors)
    for mutant in batch.MUTANTS:
        run = execute(mutated_cells(mutant, cells), dict(reference.namespace))
        print(mutant.name, "runs" if not run.errors else run.errors[-1][1].splitlines()[-1])
sys.exit(1 if problems else 0)
'''


def reference_cells(hw: str) -> list[str]:
    """otter assign on the master; the autograder notebook's code cells."""
    master = REPO_ROOT / "solutions" / hw / f"{hw}.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        out = otter_assign(master, Path(tmp) / "dist")
        return code_cells(out / "autograder" / f"{hw}.ipynb")


def task_text(hw: str) -> str:
    nb = nbformat.read(REPO_ROOT / "assignments" / hw / f"{hw}.ipynb", as_version=4)
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(f"```python\n{cell.source}\n```")
    return "\n\n".join(parts) + "\n"


def questions_of(hw: str) -> list[str]:
    tests = REPO_ROOT / "assignments" / hw / "tests"
    return sorted((p.stem for p in tests.glob("q*.py")), key=lambda q: int(q[1:]))


def already_written(hw: str) -> str:
    """Every mistake of the homework's earlier blind rounds, one line each."""
    from mutation.blind_grade import load_batch

    rounds = sorted((HERE.parent / hw / "blind").glob("round*.py"), key=lambda p: int(p.stem[5:]))
    lines = ["# Mistakes already written in earlier rounds (do not repeat these; find others)", ""]
    for path in rounds:
        lines += [f"- {m.question} `{m.name}`: {m.description}" for m in load_batch(path)]
    return "\n".join(lines) + "\n"


def write_kit(hw: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    cells = reference_cells(hw)
    questions = questions_of(hw)
    (out / "task.md").write_text(task_text(hw), encoding="utf-8")
    (out / "cells.json").write_text(json.dumps(cells, ensure_ascii=False), encoding="utf-8")
    (out / "questions.json").write_text(json.dumps(questions), encoding="utf-8")
    numbered = [f"# %% cell {i}\n{source}\n" for i, source in enumerate(cells)]
    (out / "reference_cells.py").write_text("\n".join(numbered), encoding="utf-8")
    kinds = "\n".join(f"- `{name}`: {text}" for name, text in KINDS.items())
    (out / "FORMAT.md").write_text(
        FORMAT.format(hw=hw, kinds=kinds, questions=", ".join(questions)), encoding="utf-8"
    )
    # the homework's data files, so that `check.py --run` executes the cells where they expect
    work = out / "work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    for item in (REPO_ROOT / "assignments" / hw).iterdir():
        if item.name not in {"tests", f"{hw}.ipynb"} and item.is_file():
            shutil.copy2(item, work / item.name)
    (out / "check.py").write_text(
        CHECK.format(tests=str(HERE.parent), workdir=str(work)), encoding="utf-8"
    )
    (out / "ALREADY_WRITTEN.md").write_text(already_written(hw), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: blind_kit.py hwNN OUT_DIR")
    write_kit(sys.argv[1], Path(sys.argv[2]))
    print(f"kit for {sys.argv[1]} in {sys.argv[2]}")
