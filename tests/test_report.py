"""`autograder report`: pass rates, the score histogram, the slowest and failed
submissions and near-identical code, from the gradebook of a graded tiny class."""

from __future__ import annotations

import csv
import json
import struct
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from autograder.gradebook.database import Submission
from autograder.gradebook.recording import GradedSubmission, record_submission
from autograder.reports.instructor import build_report, latest_submissions
from autograder.reports.similarity import normalized_lines, similar_pairs


@pytest.fixture(scope="module")
def report(graded_class, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(graded_class.course, graded_class.gradebook, "hw01", out, threshold=0.9)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_pass_rates_per_question_and_test(report):
    rows = {(r["question"], r["test"]): r for r in _csv(report.files["question_pass_rates.csv"])}
    assert set(rows) == {("q1", ""), ("q1", "q1 - 1"), ("q1", "q1 - 2")}
    # full marks on q1: alice, bob, carol, frank (late, but the question's raw points)
    assert rows[("q1", "")] == {
        "question": "q1",
        "test": "",
        "visibility": "",
        "max_points": "2",
        "students": "8",
        "full_marks": "4",
        "pass_rate": "0.500",
        "mean_points": "1.13",  # (2+2+2+1+0+2+0+0) / 8
    }
    assert (rows[("q1", "q1 - 1")]["full_marks"], rows[("q1", "q1 - 1")]["pass_rate"]) == (
        "5",
        "0.625",
    )  # dave passes the public test too
    assert rows[("q1", "q1 - 2")]["visibility"] == "after_published"
    assert rows[("q1", "q1 - 2")]["full_marks"] == "4"


def test_unexplained_failures_are_the_lost_questions_no_mistake_names(report):
    """dave's failure is a catalogued mistake (tests/conftest.py's tiny catalogue), so it is
    explained; mallory's relu raises, which no mistake in the catalogue does; students
    whose notebook did not run (erin, slowpoke) are problems, not patterns."""
    assert _csv(report.files["unexplained_failures.csv"]) == [
        {
            "question": "q1",
            "failed_tests": "q1 - 1; q1 - 2",
            "students": "1",
            "student_ids": "mallory",
        }
    ]


def test_scores_histogram_is_a_real_png(report):
    data = report.files["scores.png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (700, 400)
    assert len(data) > 10_000  # axes, bars and labels, not an empty canvas


def test_problems_are_the_submissions_that_did_not_run_cleanly(report):
    rows = {r["student_id"]: r for r in _csv(report.files["problems.csv"])}
    assert {sid: r["status"] for sid, r in rows.items()} == {
        "erin": "bad-notebook",
        "slowpoke": "timeout",
    }
    assert rows["slowpoke"]["points"] == "0"


def test_slowest_are_ordered_by_grading_time_from_results_json(report, graded_class):
    seconds = {
        p.parent.name: json.loads(p.read_text())["extra_data"]["timings"]["total"]
        for p in graded_class.results.glob("*/results.json")
    }
    expected = sorted(seconds, key=lambda sid: (-seconds[sid], sid))
    assert [s.student_id for s in report.slowest] == expected  # all 8: fewer than SLOWEST
    assert [s.seconds for s in report.slowest] == [seconds[sid] for sid in expected]


def test_similarity_finds_the_copied_pair_not_the_honest_one(report):
    pairs = {(p.student_a, p.student_b): p.ratio for p in report.similar}
    assert pairs == {("alice", "bob"): 1.0}  # same code, other comments and layout
    rows = _csv(report.files["similarity.csv"])
    assert [(r["student_a"], r["student_b"], r["similarity"]) for r in rows] == [
        ("alice", "bob", "1.000")
    ]
    assert report.starter_found
    assert report.without_code == ["erin"]  # not a notebook: nothing stored


def test_starter_code_does_not_make_students_alike():
    starter = "\n".join(f"def helper_{i}(x):\n    return x * {i} + {i}" for i in range(30))
    mine = starter + "\ndef relu(x):\n    return x.clamp(min=0)\n"
    theirs = (
        starter + "\ndef relu(t):\n    out = t.clone()\n    out[out < 0] = 0.0\n    return out\n"
    )
    codes = {"a": mine, "b": theirs}
    assert similar_pairs(codes, None, threshold=0.9, min_tokens=1) != []
    assert similar_pairs(codes, starter, threshold=0.9, min_tokens=1) == []


def test_normalization_drops_comments_docstrings_magics_and_layout():
    code = (
        'def f(a,b):\n    """Doc."""\n    return a+b   # sum\n%matplotlib inline\n!pip install x\n'
    )
    assert normalized_lines(code) == ["def f ( a , b ) :", "return a + b"]
    assert normalized_lines("def f(a, b):\n  return (a +\n          b)\n") == [
        "def f ( a , b ) :",
        "return ( a + b )",
    ]


def test_code_cells_are_stored_without_outputs(graded_class):
    with graded_class.gradebook.transaction() as session:
        code = dict(session.execute(select(Submission.student_id, Submission.code_text)).all())
    assert code["erin"] is None
    assert "def positive_part(values):" in code["alice"]
    assert "import otter" in code["alice"]  # the released notebook's cells are all there


def _graded(student: str, when: datetime, points: str) -> GradedSubmission:
    return GradedSubmission(
        student_id=student,
        component_id="hw01",
        source=f"{student}-{points}.ipynb",
        content_sha256=points * 8,
        bundle_version="v1",
        submitted_at=when,
        status="ok",
        questions={"q1": (Decimal(points), Decimal(15))},
    )


def test_the_latest_submission_counts_even_if_graded_first(course, gradebook):
    early = datetime(2026, 10, 1, tzinfo=UTC)
    record_submission(gradebook, course, _graded("ann", early + timedelta(hours=1), "9"))
    record_submission(gradebook, course, _graded("ann", early, "3"))  # older file, graded later
    [latest] = latest_submissions(gradebook, "hw01")
    assert (latest.student_id, latest.points) == ("ann", Decimal("9.00"))


def test_report_command_prints_a_summary_and_writes_the_files(graded_class, cli):
    proc = cli(graded_class.root, "report", "hw01", "--similarity", "0.95")
    assert proc.returncode == 0, proc.stderr
    assert "hw01: 8 students, mean 1.08, median 1.3 of 15" in proc.stdout
    assert "bad-notebook 1" in proc.stdout and "timeout 1" in proc.stdout
    assert "Near-identical code (similarity ≥ 0.95)" in proc.stdout
    assert "alice" in proc.stdout.split("Near-identical")[1]
    assert "Lost questions no catalogued mistake explains: 1 pattern(s)" in proc.stdout
    out = graded_class.root / "reports" / "hw01"
    names = {"question_pass_rates.csv", "scores.png", "similarity.csv", "problems.csv"}
    names.add("unexplained_failures.csv")
    assert {p.name for p in out.iterdir()} == names


def test_report_without_submissions_says_what_to_do(graded_class, tmp_path, cli):
    proc = cli(graded_class.root, "report", "hw02", "--out", str(tmp_path))
    assert proc.returncode == 1
    assert "no graded submissions for hw02" in proc.stderr
    assert "autograder grade hw02" in proc.stderr
