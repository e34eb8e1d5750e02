"""The blind batches kept in tests/hwNN/blind/ still apply to their homework's reference and
compile, so that a later round can be graded again against changed tests
(`python tests/mutation/blind_grade.py hwNN tests/hwNN/blind/roundN.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mutation.blind_grade import load_batch
from mutation.blind_kit import already_written, questions_of, reference_cells
from mutation.harness import catalogue_problems, mutated_cells

TESTS = Path(__file__).resolve().parents[1]
BATCHES = sorted(TESTS.glob("hw*/blind/round*.py"))


@pytest.mark.parametrize("hw", sorted({p.parent.parent.name for p in BATCHES}))
def test_blind_batches_apply_and_compile(hw):
    cells = reference_cells(hw)
    for path in sorted((TESTS / hw / "blind").glob("round*.py")):
        mutants = load_batch(path)
        assert len(mutants) >= 30, f"{path.name}: a blind round has at least 30 mutants"
        assert catalogue_problems(mutants, questions_of(hw), per_question=0) == []
        for mutant in mutants:
            for source in mutated_cells(mutant, cells):
                compile(source, mutant.name, "exec")
        graded = json.loads(path.with_name(f"{path.stem}_graded.json").read_text("utf-8"))
        assert [row["name"] for row in graded] == [m.name for m in mutants]


def test_a_new_writer_is_told_every_earlier_mistake():
    batches = sorted((TESTS / "hw02" / "blind").glob("round*.py"))
    listed = already_written("hw02")
    for path in batches:
        for mutant in load_batch(path):
            assert f"`{mutant.name}`: {mutant.description}" in listed
