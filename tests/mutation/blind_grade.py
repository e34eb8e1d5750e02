"""Grade a blind batch of mutants (tests/mutation/blind_kit.py) against a homework's hidden
tests, as that homework's own mutant tests grade its catalogue:

    python tests/mutation/blind_grade.py hw02 /work/blind/hw02/round1.py [--json OUT]

prints, per mutant, the questions it loses points on, and the round's figures: mutants
written, caught (points lost anywhere) and caught on their own question. The reference is
executed once; each mutant is built from it by the shared harness (`mutated_cells`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from mutation.harness import (  # noqa: E402
    Mutant,
    assign,
    code_cells,
    execute,
    grade,
    test_inputs,
)
from mutation.suite import grade_mutant  # noqa: E402


@dataclass
class Verdict:
    name: str
    question: str
    kind: str
    description: str
    lost: list[str]  # questions with points lost, in order
    points_lost: float
    errors: list[str]  # the last line of each cell that failed

    @property
    def caught(self) -> bool:
        return bool(self.lost)

    @property
    def caught_on_own(self) -> bool:
        return self.question in self.lost


class Homework:
    """Executes the reference once and grades a mutant as the homework's own mutant tests do
    (`mutation.suite.grade_mutant`, with the homework's `HOMEWORK` description)."""

    def __init__(self, hw: str, workdir: Path):
        sys.path.insert(0, str(TESTS / hw))
        self.hw = hw
        self.spec = importlib.import_module(f"test_{hw}_master").HOMEWORK
        assigned = assign(hw, workdir / "dist")
        self.tests_dir = assigned.autograder_tests
        self.cells = code_cells(assigned.autograder_notebook)
        self.reference = execute(self.cells)
        if self.reference.errors:
            raise SystemExit(f"the reference fails: {self.reference.errors}")
        self.inputs = test_inputs(self.tests_dir)
        lost = self.lost(grade(self.tests_dir, self.namespace))
        if lost:
            raise SystemExit(f"the reference loses points on {lost}")

    @property
    def namespace(self) -> dict[str, Any]:
        return self.reference.namespace

    @staticmethod
    def lost(results: list) -> dict[str, float]:
        lost: dict[str, float] = {}
        for r in results:
            if not r.passed:
                lost[r.question] = lost.get(r.question, 0.0) + r.points
        return lost

    def graded(self, mutant: Mutant) -> tuple[Any, list]:
        """(the mutant's execution, its test results) as its homework's own tests grade it."""
        graded = grade_mutant(
            self.spec, mutant, self.tests_dir, self.cells, self.namespace, self.inputs
        )
        return graded.run, graded.results

    def verdict(self, mutant: Mutant) -> Verdict:
        run, results = self.graded(mutant)
        lost = self.lost(results)
        order = [q for q in _question_order(results) if q in lost]
        return Verdict(
            mutant.name,
            mutant.question,
            mutant.kind,
            mutant.description,
            order,
            sum(lost.values()),
            [text.strip().splitlines()[-1] for _, text in run.errors],
        )


def _question_order(results: list) -> list[str]:
    seen: list[str] = []
    for r in results:
        if r.question not in seen:
            seen.append(r.question)
    return seen


def load_batch(path: Path) -> list[Mutant]:
    spec = importlib.util.spec_from_file_location("blind_batch", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.MUTANTS)


def summary(verdicts: list[Verdict]) -> str:
    n = len(verdicts)
    caught = sum(v.caught for v in verdicts)
    own = sum(v.caught_on_own for v in verdicts)
    return (
        f"{n} mutants written, {caught} caught ({100 * caught / n:.0f}%), "
        f"{own} caught on their own question ({100 * own / n:.0f}%)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hw")
    parser.add_argument("batch", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as the sandbox grades, and bit-for-bit stable
    mutants = load_batch(args.batch)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        homework = Homework(args.hw, Path(tmp))
        print(f"reference executed and graded in {time.monotonic() - started:.0f} s", flush=True)
        verdicts = []
        for mutant in mutants:
            v = homework.verdict(mutant)
            verdicts.append(v)
            mark = "caught" if v.caught_on_own else ("elsewhere" if v.caught else "SURVIVED")
            extra = f"  errors: {v.errors}" if v.errors else ""
            print(f"{mark:9} {v.question:4} {v.name}: lost {v.lost}{extra}", flush=True)
    print(summary(verdicts))
    if args.json:
        rows = [
            asdict(v) | {"caught": v.caught, "caught_on_own": v.caught_on_own} for v in verdicts
        ]
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
