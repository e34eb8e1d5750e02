"""feedback.html per student: written beside results.json by batch grading, in Russian,
built from the results.json payload only, with every student-controlled text escaped."""

from __future__ import annotations

import json
import re

import pytest

from autograder.reports.feedback import render_feedback

STUDENTS = ["alice", "bob", "carol", "dave", "erin", "frank", "mallory", "slowpoke"]


def _page(graded_class, student: str) -> str:
    return (graded_class.results / student / "feedback.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_graded_student_gets_a_page(graded_class):
    pages = sorted(p.parent.name for p in graded_class.results.glob("*/feedback.html"))
    assert pages == STUDENTS


def test_page_is_the_rendering_of_results_json(graded_class):
    payload = json.loads((graded_class.results / "dave" / "results.json").read_text())
    title = graded_class.course.component("hw01").title
    assert _page(graded_class, "dave") == render_feedback(payload, title=title)


def test_page_shows_total_and_points_per_question(graded_class):
    page = _text(_page(graded_class, "dave"))
    assert "Итог: 1 из 2 баллов" in page
    assert "q1: 1 из 2" in page
    assert "q1 - 1 открытый пройден 1 / 1 Тест пройден." in page
    assert "q1 - 2 скрытый не пройден 0 / 1 Скрытый тест не пройден. relu неверна" in page
    assert "Базовые функции PyTorch" in page  # the homework's title


def test_late_page_shows_raw_score_and_penalty(graded_class):
    page = _text(_page(graded_class, "frank"))
    assert "Итог: 1.6 из 2 баллов" in page
    assert "опозданием на 2 дн.: без штрафа 2 б., штраф 0.4 б." in page


def test_work_past_the_last_day_is_said_not_to_count():
    payload = {
        "score": 0.0,
        "tests": [],
        "extra_data": {"max_score": 2, "raw_score": 2, "late_days": 9, "late_penalty": 2.0},
    }
    assert "штраф 2 б. Сдана позже последнего срока приёма и не засчитывается." in _text(
        render_feedback(payload)
    )


def test_on_time_page_mentions_no_penalty(graded_class):
    assert "штраф" not in _text(_page(graded_class, "alice")).split("Текст отчёта")[0]


@pytest.mark.parametrize(
    ("student", "status_text"),
    [
        ("alice", "Ноутбук выполнен; ограничения по времени и памяти не превышены."),
        ("slowpoke", "Превышено ограничение по времени"),
        ("erin", "Файл не удалось прочитать как ноутбук Jupyter."),
    ],
)
def test_page_shows_the_sandbox_status(graded_class, student, status_text):
    assert status_text in _text(_page(graded_class, student))


def test_student_html_in_tracebacks_and_outputs_is_escaped(graded_class):
    page = _page(graded_class, "mallory")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the public test's message
    assert "&lt;img src=x onerror=alert(2)&gt;" in page  # the notebook's own error
    text = _text(page)
    assert "в некоторых ячейках были ошибки" in text
    assert "Ошибки при выполнении ноутбука" in text
    assert re.search(r"\b4 RuntimeError\b", text)  # cell 4: the exception


def test_no_page_holds_hidden_test_source(graded_class):
    source = (graded_class.bundle_tests / "q1.py").read_text()
    hidden = source[source.index("def test_relu_hidden") :]
    hidden_lines = [line.strip() for line in hidden.splitlines() if len(line.strip()) > 12]
    assert any("secret_input" in line for line in hidden_lines)  # the check can fail
    for student in STUDENTS:
        page = _page(graded_class, student)
        for line in hidden_lines:
            assert line not in page, (student, line)
        assert "manual_seed" not in page and "1234" not in page


def test_tests_without_a_question_field_are_grouped_by_name():
    payload = {
        "score": 1,
        "output": "",
        "tests": [
            {"name": "q2 - 1", "score": 1, "max_score": 1, "status": "passed", "output": ""},
            {"name": "q2 - 2", "score": 0, "max_score": 2, "status": "failed", "output": ""},
        ],
        "extra_data": {"assignment": "hw01", "student_id": "x", "max_score": 3},
    }
    assert "q2: 1 из 3" in _text(render_feedback(payload))


def test_a_lost_question_names_the_likely_mistake_and_a_full_one_none(graded_class):
    """dave fails the hidden case alone: the tiny catalogue's mistake with exactly that
    signature is named, in results.json (for staff, with its name) and on the page."""
    payload = json.loads((graded_class.results / "dave" / "results.json").read_text())
    assert payload["extra_data"]["diagnoses"] == [
        {
            "question": "q1",
            "match": "exact",
            "similarity": 1.0,
            "mistakes": ["relu_small_inputs_only"],
            "hints": ["ReLU обнуляет отрицательные элементы тензора любой формы."],
        }
    ]
    assert "Возможная ошибка: ReLU обнуляет отрицательные элементы" in _text(
        _page(graded_class, "dave")
    )
    for student in ("alice", "slowpoke", "erin"):  # full marks; a timeout; not a notebook
        page = json.loads((graded_class.results / student / "results.json").read_text())
        assert page["extra_data"]["diagnoses"] == []
        assert "Возможная ошибка" not in _page(graded_class, student)
