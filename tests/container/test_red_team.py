"""The red-team notebooks of tests/security that attack the sandbox itself, graded inside
the image: every one scores exactly what the blank scores, test by test. They are graded in
one container (Grader.grade_many), each by the image's Gradescope entry on a tree of its
own, in a bubblewrap sandbox of its own, with a results.json of its own.

The image grades under bubblewrap (never the warm pool), so what differs from the host is
the sandbox. Attacks on the trusted side (lying objects, patched asserts, forged metadata,
floods of replies, hanging calls) meet the same grader code whatever starts the worker:
tests/security runs them on the host, and they are not repeated here, one container each."""

from __future__ import annotations

import json
import secrets
from dataclasses import replace

import nbformat
import pytest
from security.attacks import (
    ATTACKS,
    FAKE_RESULTS,
    SEARCH_SECONDS,
    Attack,
    build_notebook,
    names_in_tests,
)

from .conftest import Grader, Release, Run

TRUSTED_SIDE = {
    "patched_asserts",
    "always_equal",
    "tensor_liars",
    "float_liars",
    "fake_validation",
    "input_transformer",
    "tampered_metadata",
    "printed_scores",
    "hang_in_call",
    "huge_replies",
}
RED_TEAM = [*(a for a in ATTACKS if a.name not in TRUSTED_SIDE), FAKE_RESULTS]
# These attacks are about the time limits: they keep their tight ones. The others get time
# enough that a loaded machine never stops them before their cells run (their memory,
# process, file and disk limits stay as tight as in tests/security).
TIMED = {"infinite_loop", "sigterm_loop", "hang_in_call"}


def limits_for(attack: Attack):
    if attack.name in TIMED:
        return attack.limits
    return replace(attack.limits, notebook_seconds=900, cell_seconds=600, test_seconds=60)


# Where things are inside the container: what an attacker there is assumed to know.
IN_CONTAINER_FILES = [
    "/autograder/source/bundle/bundle.json",
    "/autograder/source/bundle/tests/q1.py",
]
IN_CONTAINER_DIRS = [
    "/autograder/source",
    "/autograder/source/bundle",
    "/autograder/results",
    "/autograder/submission",
    "/opt/course-autograder",
]


@pytest.fixture(scope="session")
def red_team(grader: Grader, hw01: Release, tmp_path_factory) -> dict[str, Run]:
    session = "agsec" + secrets.token_hex(6)
    tested, hidden = names_in_tests(hw01.bundle.test_files())
    runtime = json.loads(
        grader.inside(
            "import json; from autograder.grading.sandbox.layout import runtime_dirs; "
            "print(json.dumps(runtime_dirs()))"
        )
    )
    ctx = {
        "session": session,
        "tested": tested,
        "hidden_markers": hidden,
        "host_files": IN_CONTAINER_FILES,
        "host_dirs": IN_CONTAINER_DIRS,
        "runtime": runtime,
        "port": 9,  # --network=none: nothing listens, nothing may connect
        "port6": 9,
        "unix_name": f"{session}-unix",
        "grader_pid": 1,  # run_autograder execs the grader as the container's pid 1
        "search_seconds": SEARCH_SECONDS,
    }
    notebooks = tmp_path_factory.mktemp("red-team-notebooks")
    submissions = {"blank": ({"hw01.ipynb": hw01.blank}, limits_for(Attack("blank")))}
    for attack in RED_TEAM:
        notebook = build_notebook(
            attack,
            {**ctx, "token": f"{session}-{attack.name}."},
            hw01.blank,
            notebooks / attack.name / "hw01.ipynb",
        )
        submissions[attack.name] = ({"hw01.ipynb": notebook}, limits_for(attack))
    return grader.grade_many(submissions)


def _import_cell(notebook) -> int:
    """1-based position of the cell that imports torch (the attacks need it to have run)."""
    cells = nbformat.read(notebook, as_version=4).cells
    return next(i for i, c in enumerate(cells, 1) if "import torch" in c.source)


def _per_test(run: Run) -> list[tuple[str, float, float]]:
    return [(t["name"], t["score"], t["max_score"]) for t in run.results["tests"]]


@pytest.mark.parametrize("name", [a.name for a in RED_TEAM])
def test_attack_scores_exactly_what_the_blank_scores(red_team, hw01, name):
    run, blank = red_team[name], red_team["blank"]
    assert run.returncode == 0, run.stderr
    assert blank.results["extra_data"]["status"] == "ok"
    if name not in TIMED:  # the attack really ran: the notebook got past its imports
        errors = run.results["extra_data"]["notebook_errors"]
        assert _import_cell(hw01.blank) not in [e["cell"] for e in errors], errors
    assert run.results["extra_data"]["backend"] == "bwrap"
    assert _per_test(blank) and _per_test(run) == _per_test(blank)
    assert run.results["score"] == blank.results["score"] == 0


def test_fake_results_files_do_not_reach_the_results_folder(red_team):
    assert red_team["fake_results"].results_files == ["results.json"]
    assert "FAKE" not in red_team["fake_results"].results["output"]


def test_the_attacks_left_to_the_host_are_real_attacks():
    assert TRUSTED_SIDE.issubset(a.name for a in ATTACKS)
    assert len(RED_TEAM) == len(ATTACKS) - len(TRUSTED_SIDE) + 1
