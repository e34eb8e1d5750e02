"""Submissions that lie instead of computing: patched comparisons, always-equal objects,
subclasses of tensors and floats, a hijacked IPython, tests smuggled into metadata,
printed scores. Each must score what the blank notebook scores, test by test."""

from __future__ import annotations

import json

import pytest

from autograder.grading.results import to_gradescope

LIARS = [
    "patched_asserts",
    "always_equal",
    "tensor_liars",
    "float_liars",
    "input_transformer",
]


@pytest.mark.parametrize("name", LIARS)
def test_lying_submission_scores_exactly_what_the_blank_scores(scores_like_blank, name):
    result = scores_like_blank(name)
    assert result.status == "ok"


def test_tests_in_notebook_metadata_are_ignored(scores_like_blank, blank):
    result = scores_like_blank("tampered_metadata")
    assert [(t.name, t.max_score, t.hidden) for t in result.tests] == [
        (t.name, t.max_score, t.hidden) for t in blank.tests
    ]


def test_printed_fake_scores_reach_neither_the_score_nor_the_results(scores_like_blank):
    result = scores_like_blank("printed_scores")
    results_json = json.dumps(to_gradescope(result), ensure_ascii=False)
    assert "FAKE-SCORE" not in results_json and "All test cases passed" not in results_json


def test_faked_validation_data_earns_nothing(scores_like_blank):
    # The public checks of q9, q10 and q14 rebuild the validation split themselves, so a
    # notebook that fakes digits_X_val / diab_X_val (plus constant "models") gains nothing.
    scores_like_blank("fake_validation")


def hidden_scores(result) -> list[tuple[str, float]]:
    return [(t.name, t.score) for t in result.tests if t.hidden]
