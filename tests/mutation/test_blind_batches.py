"""The blind batches kept in tests/hwNN/blind/ still apply to their homework's reference and
compile, so that a later round can be graded again against changed tests
(`python tests/mutation/blind_grade.py hwNN tests/hwNN/blind/roundN.py`)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from mutation.blind_kit import questions_of, reference_cells
from mutation.harness import catalogue_problems, mutated_cells

TESTS = Path(__file__).resolve().parents[1]
BATCHES = sorted(TESTS.glob("hw*/blind/round*.py"))


def load(path: Path) -> list:
    spec = importlib.util.spec_from_file_location(f"blind_{path.parent.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MUTANTS


@pytest.mark.parametrize("hw", sorted({p.parent.parent.name for p in BATCHES}))
def test_blind_batches_apply_and_compile(hw):
    cells = reference_cells(hw)
    for path in sorted((TESTS / hw / "blind").glob("round*.py")):
        mutants = load(path)
        assert len(mutants) >= 30, f"{path.name}: a blind round has at least 30 mutants"
        assert catalogue_problems(mutants, questions_of(hw), per_question=0) == []
        for mutant in mutants:
            for source in mutated_cells(mutant, cells):
                compile(source, mutant.name, "exec")
        graded = json.loads(path.with_name(f"{path.stem}_graded.json").read_text("utf-8"))
        assert [row["name"] for row in graded] == [m.name for m in mutants]
