"""Compute a homework's failure signatures and write its catalogue of mistakes for
feedback (issue #30):

    python tests/mutation/signatures.py hw06      # writes solutions/hw06/diagnoses.json

Every catalogued mistake with a student hint (tests/hwNN/hwNN_mutants.py) is graded as the
homework's own mutant tests grade it (`mutation.suite.grade_mutant`: the reference executed
once, the questions the change reaches); its signature is, per question, the test cases it
fails. `autograder release` ships the file in the grader bundle, which names the likely mistake of a submission's
failed question (autograder/grading/diagnoses.py). The shared suite fails when the file is
stale against the tests (tests/mutation/suite.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import torch

TESTS = Path(__file__).resolve().parents[1]
REPO_ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(REPO_ROOT))

from autograder.grading.bundle import version_of_tests  # noqa: E402
from autograder.grading.diagnoses import (  # noqa: E402
    FILE,
    Mistake,
    catalogue_json,
)
from mutation.blind_grade import Homework  # noqa: E402
from mutation.harness import Mutant, signature  # noqa: E402


def mistakes(homework: Homework, mutants: list[Mutant]) -> list[Mistake]:
    out = []
    for mutant in mutants:
        if not mutant.hint:
            continue
        _, results = homework.graded(mutant)
        out.append(Mistake(mutant.name, mutant.question, mutant.hint, signature(results)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hw")
    parser.add_argument("--out", type=Path, help="default: solutions/<hw>/diagnoses.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as work:
        homework = Homework(args.hw, Path(work))
        found = mistakes(homework, list(homework.spec.mutants))
        version = version_of_tests(homework.tests_dir)
    out = args.out or REPO_ROOT / "solutions" / args.hw / FILE
    out.write_text(catalogue_json(args.hw, version, found), encoding="utf-8")
    print(f"{out}: {len(found)} mistakes with hints, tests {version[:12]}")


if __name__ == "__main__":
    main()
