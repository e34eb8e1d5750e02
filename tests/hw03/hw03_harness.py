"""hw03's in-process grader: the shared harness (tests/mutation/harness.py) and the
plans of mutants built from one executed reference (tests/mutation/plans.py), pointed at the
hw03 master."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared harness

from mutation import harness as _shared  # noqa: E402
from mutation.harness import (  # noqa: E402, F401 (re-exported for the hw03 tests and bench)
    AssignedHomework,
    CaseResult,
    Execution,
    bound_names,
    code_cells,
    code_globals,
    execute,
    failed,
    grade,
    question_files,
    reached_names,
    test_inputs,
    total,
)
from mutation.plans import (  # noqa: E402, F401
    MutantPlan,
    affected_questions,
    defined_names,
    mutant_namespace,
    plan_mutant,
    read_names,
    with_reported,
)

REPO_ROOT = _shared.REPO_ROOT
MASTER = _shared.master_of("hw03")
BUILD_SCRIPT = REPO_ROOT / "solutions" / "build_master.py"


def assign(out_dir: Path) -> AssignedHomework:
    """Run otter assign on the hw03 master (without its own test run and PDFs)."""
    return _shared.assign("hw03", out_dir)
