"""Naming the likely mistake (autograder.grading.diagnoses, issue #30): the matching rule,
what a public-only result may name, the catalogue file and the release's checks on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.authoring.release import ReleaseRefused, release
from autograder.errors import ConfigError
from autograder.grading.bundle import content_version, version_of_tests
from autograder.grading.diagnoses import (
    FILE,
    Catalogue,
    Mistake,
    catalogue_json,
    diagnose,
    element,
    load_catalogue,
)
from autograder.grading.results import GradingResult, to_gradescope
from autograder.grading.results import TestRecord as Record
from autograder.serve.publishing import public_result

CASES = {"q1": [("q1 - 1", False), ("q1 - 2", True), ("q1 - 3", True), ("q1 - 4", True)], "q2": [("q2 - 1", False), ("q2 - 2", True)]}  # fmt: skip


FAILURE = "AssertionError: неверно"


def record(question: str, name: str, hidden: bool, passed: bool) -> Record:
    return Record(name, question, float(passed), 1.0, hidden, passed, "", "" if passed else FAILURE)


def result(failed: set[str], public_only: bool = False) -> list[Record]:
    return [
        record(q, name, hidden, name not in failed)
        for q, cases in CASES.items()
        for name, hidden in cases
        if not (public_only and hidden)
    ]


def mistake(name: str, *failed: str, hint: str | None = None) -> Mistake:
    by_question: dict[str, frozenset[str]] = {}
    for case in failed:
        q = case.split(" - ")[0]
        by_question[q] = by_question.get(q, frozenset()) | {element(case, FAILURE)}
    return Mistake(name, failed[0].split(" - ")[0], hint or f"подсказка про {name}", by_question)


CATALOGUE = Catalogue(
    "hw01",
    "v",
    (
        mistake("hidden_two", "q1 - 2"),
        mistake("hidden_two_again", "q1 - 2", hint="подсказка про hidden_two"),  # same hint
        mistake("hidden_two_other", "q1 - 2", hint="другая подсказка"),
        mistake("public_and_three", "q1 - 1", "q1 - 3"),
        mistake("everything", "q1 - 1", "q1 - 2", "q1 - 3", "q2 - 1", "q2 - 2"),
    ),
)


def test_an_exact_match_shows_every_tied_hint_once():
    [entry] = diagnose(result({"q1 - 2"}), CATALOGUE)
    assert entry["match"] == "exact" and entry["similarity"] == 1.0
    assert entry["mistakes"] == ["hidden_two", "hidden_two_again", "hidden_two_other"]
    assert entry["hints"] == ["подсказка про hidden_two", "другая подсказка"]


def test_the_nearest_match_needs_three_quarters_of_the_failures_in_common():
    [entry] = diagnose(result({"q1 - 1", "q1 - 3"}), CATALOGUE)
    assert (entry["match"], entry["mistakes"]) == ("exact", ["public_and_three"])
    four = Catalogue("hw01", "v", (mistake("four", "q1 - 1", "q1 - 2", "q1 - 3", "q1 - 4"),))
    [entry] = diagnose(result({"q1 - 1", "q1 - 2", "q1 - 3"}), four)  # 3 of 4 in common
    assert (entry["match"], entry["similarity"], entry["mistakes"]) == ("nearest", 0.75, ["four"])
    assert diagnose(result({"q1 - 1", "q1 - 2"}), four) == []  # 2/4 < SIMILARITY
    assert diagnose(result({"q1 - 1"}), CATALOGUE) == []  # 1/2 with public_and_three


def test_full_marks_and_no_catalogue_name_nothing():
    assert diagnose(result(set()), CATALOGUE) == []
    assert diagnose(result({"q1 - 2"}), None) == []
    partial = [record("q1", "q1 - 1", False, True)]  # a question with points left to lose
    assert diagnose(partial, CATALOGUE) == []


def test_a_public_only_result_is_matched_on_the_public_cases_alone():
    """The public phase holds public cases only: mistakes whose signature has a public case
    apply, compared on that case, and they must agree on one hint (the public tests tell
    few mistakes apart); a hidden-only mistake never shows there."""
    public = result({"q1 - 1"}, public_only=True)
    disagreeing = Catalogue(
        "hw01", "v", (mistake("a", "q1 - 1", "q1 - 3"), mistake("b", "q1 - 1", "q1 - 2"))
    )
    assert diagnose(public, disagreeing) == []
    agreeing = Catalogue(
        "hw01",
        "v",
        (mistake("a", "q1 - 1", "q1 - 3", hint="одна"), mistake("b", "q1 - 1", hint="одна")),
    )
    [entry] = diagnose(public, agreeing)
    assert (entry["mistakes"], entry["hints"]) == (["a", "b"], ["одна"])
    assert diagnose(result(set(), public_only=True), CATALOGUE) == []


def test_a_mistake_whose_failures_elsewhere_are_missing_does_not_apply():
    """A mistake that also breaks q2 is not this result's when q2 passes."""
    spread = Catalogue("hw01", "v", (mistake("q1_and_q2", "q1 - 2", "q2 - 1"),))
    assert diagnose(result({"q1 - 2"}), spread) == []
    assert [d["question"] for d in diagnose(result({"q1 - 2", "q2 - 1"}), spread)] == ["q1", "q2"]


def test_results_json_carries_diagnoses_only_for_an_ok_run():
    ok = GradingResult("hw01", "s", "ok", 5.0, tests=result({"q1 - 2"}))
    assert to_gradescope(ok, CATALOGUE)["extra_data"]["diagnoses"][0]["question"] == "q1"
    timeout = GradingResult("hw01", "s", "timeout", 5.0, tests=result({"q1 - 2"}))
    assert to_gradescope(timeout, CATALOGUE)["extra_data"]["diagnoses"] == []


def test_before_publish_a_student_sees_hints_from_public_tests_only():
    agreeing = Catalogue("hw01", "v", (mistake("a", "q1 - 1", "q1 - 3", hint="одна"),))
    public = GradingResult("hw01", "s", "ok", 5.0, tests=result({"q1 - 1"}, public_only=True))
    shown = public_result(to_gradescope(public, agreeing)).to_dict()["diagnoses"]
    assert shown == [{"question": "q1", "hints": ["одна"]}]
    full = GradingResult("hw01", "s", "ok", 5.0, tests=result({"q1 - 1", "q1 - 3"}))
    assert to_gradescope(full, agreeing)["extra_data"]["diagnoses"]  # named for staff
    assert public_result(to_gradescope(full, agreeing)).to_dict()["diagnoses"] == []


def test_the_catalogue_file_round_trips_and_refuses_malformed_text(tmp_path):
    path = tmp_path / FILE
    assert load_catalogue(path) is None
    path.write_text(catalogue_json("hw01", "v", CATALOGUE.mistakes), encoding="utf-8")
    assert load_catalogue(path) == CATALOGUE
    for text in ["{", '{"format": 2}', json.dumps({"format": 1, "assignment": "hw01", "tests_version": "v", "mistakes": [{"name": ""}]})]:  # fmt: skip
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match="catalogue of mistakes"):
            load_catalogue(path)


def test_the_catalogue_is_part_of_the_bundle_version(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "q1.py").write_text("x = 1\n")
    before = content_version(tmp_path)
    (tmp_path / FILE).write_text(catalogue_json("hw01", "v", CATALOGUE.mistakes))
    assert content_version(tmp_path) != before


def _with_catalogue(course_root: Path, make_master, tmp_path: Path, hint: str, stale: bool = False):
    """The tiny master with a one-mistake catalogue whose signature is its hidden case."""
    import nbformat

    from autograder.authoring.release import build
    from autograder.course.config import load_course

    folder = course_root / "solutions" / "hw01"
    folder.mkdir(parents=True)
    nbformat.write(make_master(), folder / "hw01.ipynb")
    course = load_course(course_root)
    _, bundle_dir, _ = build(course, "hw01", tmp_path / "probe")
    version = "0" * 64 if stale else version_of_tests(bundle_dir / "tests")
    mistakes = [Mistake("relu_small", "q1", hint, {"q1": frozenset({element("q1 - 2", FAILURE)})})]
    (folder / FILE).write_text(catalogue_json("hw01", version, mistakes), encoding="utf-8")
    return course


def test_release_refuses_a_stale_catalogue(course_root, make_master, tmp_path):
    course = _with_catalogue(course_root, make_master, tmp_path, "ReLU обнуляет отрицательные значения.", stale=True)  # fmt: skip
    with pytest.raises(ReleaseRefused) as caught:
        release(course, "hw01")
    assert any("computed against other tests" in p for p in caught.value.problems)
    assert any("signatures.py hw01" in p for p in caught.value.problems)


@pytest.mark.parametrize(
    ("hint", "kind"),
    [
        ("Проверьте вход: torch.Generator().manual_seed(1234) даёт другой ответ.", "unshown number"),
        ("secret_input = torch.randn(7, generator=torch.Generator().manual_seed(1234))", "hidden test"),
        ("Напишите return x.clamp(min=0.0)  # clamp below", "solution"),
    ],
)  # fmt: skip
def test_release_refuses_a_hint_that_carries_a_secret(
    course_root, make_master, tmp_path, hint, kind
):
    course = _with_catalogue(course_root, make_master, tmp_path, hint)
    with pytest.raises(ReleaseRefused) as caught:
        release(course, "hw01")
    assert any(p.startswith(f"{kind} line in hint relu_small") for p in caught.value.problems)
    assert not any("computed against other tests" in p for p in caught.value.problems)
