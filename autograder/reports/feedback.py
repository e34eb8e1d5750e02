"""feedback.html: one self-contained page per student, in Russian, written beside
results.json.

Built only from the results.json payload, which already holds nothing a student must not
see (hidden tests carry a fixed pass/fail text and the instructor's message, never their
source or expected values). Every piece of text is escaped: tracebacks and outputs come
from the student's code.

The page is a list of sections, each a small function of the payload:
    SECTIONS = [_total, _sandbox, _questions, _notebook_errors, _full_report]
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from autograder.grading.results import STATUS_MESSAGES, write_atomically

Payload = dict[str, Any]

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; white-space: pre-wrap; margin: 0; }
.ok { color: #17702a; } .fail { color: #b00020; } .note { color: #666; }
.total { font-size: 1.3rem; font-weight: bold; }
.hint { background: #fff8e1; border-left: 4px solid #f0b400; padding: .3rem .6rem; }
"""


def points(value: Any) -> str:
    """12.0 -> '12', 1.6 -> '1.6'; anything not a number is shown as given."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def question_of(test: Payload) -> str:
    """The question a test belongs to; older results.json files only have the otter name
    ('q1 - 2')."""
    question = (test.get("extra_data") or {}).get("question")
    return str(question) if question else str(test.get("name", "")).split(" - ")[0]


def group_by_question(tests: list[Payload]) -> dict[str, list[Payload]]:
    """Tests grouped by question, in the order the questions first appear."""
    groups: dict[str, list[Payload]] = {}
    for test in tests:
        groups.setdefault(question_of(test), []).append(test)
    return groups


def _total(payload: Payload, extra: Payload) -> str:
    most = extra.get("max_score", "?")
    lines = [f'<p class="total">Итог: {points(payload.get("score"))} из {points(most)} баллов</p>']
    if "raw_score" in extra:
        penalty = float(extra.get("late_penalty") or 0)
        lost_all = penalty > 0 and float(payload.get("score") or 0) == 0
        lines.append(
            f"<p>Работа сдана с опозданием на {escape(str(extra.get('late_days', '?')))} дн.: "
            f"без штрафа {points(extra['raw_score'])} б., штраф {points(penalty)} б."
            + (" Сдана позже последнего срока приёма и не засчитывается." if lost_all else "")
            + "</p>"
        )
    return "\n".join(lines)


def _sandbox(payload: Payload, extra: Payload) -> str:
    status = str(extra.get("status", "ok"))
    if status == "ok" and extra.get("notebook_errors"):
        text = (
            '<p class="ok">Ноутбук выполнен, ограничения по времени и памяти не превышены; '
            "в некоторых ячейках были ошибки (см. ниже).</p>"
        )
    elif status == "ok":
        text = '<p class="ok">Ноутбук выполнен; ограничения по времени и памяти не превышены.</p>'
    else:
        message = STATUS_MESSAGES.get(status) or f"Проверка завершилась со статусом «{status}»."
        text = f'<p class="fail">{escape(message)}</p>'
    limits = extra.get("limits") or {}
    facts = []
    if "total" in (extra.get("timings") or {}):
        facts.append(f"время проверки {points(round(extra['timings']['total'], 1))} с")
    if "notebook_seconds" in limits:
        facts.append(f"лимит на весь ноутбук {points(limits['notebook_seconds'])} с")
    if "test_seconds" in limits:
        facts.append(f"на один тест {points(limits['test_seconds'])} с")
    if "memory_mb" in limits:
        facts.append(f"память {points(limits['memory_mb'])} МБ")
    note = f'<p class="note">{escape("; ".join(facts))}</p>' if facts else ""
    return f"<h2>Выполнение</h2>\n{text}\n{note}"


def _test_row(test: Payload) -> str:
    passed = test.get("status") == "passed" or (
        "status" not in test and test.get("score", 0) >= test.get("max_score", 0)
    )
    hidden = test.get("visibility") != "visible"
    mark = '<span class="ok">пройден</span>' if passed else '<span class="fail">не пройден</span>'
    kind = "скрытый" if hidden else "открытый"
    return (
        f"<tr><td>{escape(str(test.get('name', '')))}</td><td>{kind}</td><td>{mark}</td>"
        f'<td class="num">{points(test.get("score"))} / {points(test.get("max_score"))}</td>'
        f"<td><pre>{escape(str(test.get('output', '')))}</pre></td></tr>"
    )


def hints_by_question(extra: Payload) -> dict[str, list[str]]:
    """The named likely mistakes (`extra_data.diagnoses`, grading.diagnoses) per question."""
    found: dict[str, list[str]] = {}
    for entry in extra.get("diagnoses") or []:
        hints = [str(h) for h in entry.get("hints") or [] if str(h).strip()]
        if hints:
            found.setdefault(str(entry.get("question", "")), []).extend(hints)
    return found


def hint_block(hints: list[str]) -> str:
    """A question's likely mistakes: one, or several that fail the same tests."""
    if not hints:
        return ""
    if len(hints) == 1:
        return f'<p class="hint">Возможная ошибка: {escape(hints[0])}</p>'
    items = "".join(f"<li>{escape(h)}</li>" for h in hints)
    return f'<div class="hint"><p>Похоже на одну из этих ошибок:</p><ul>{items}</ul></div>'


def _questions(payload: Payload, extra: Payload) -> str:
    parts = ["<h2>Баллы по заданиям</h2>"]
    hints = hints_by_question(extra)
    for question, tests in group_by_question(payload.get("tests") or []).items():
        got = sum(float(t.get("score") or 0) for t in tests)
        most = sum(float(t.get("max_score") or 0) for t in tests)
        parts.append(f"<h3>{escape(question)}: {points(got)} из {points(most)}</h3>")
        if block := hint_block(hints.get(question, [])):
            parts.append(block)
        parts.append(
            "<table><tr><th>тест</th><th>вид</th><th>результат</th>"
            '<th class="num">баллы</th><th>сообщение</th></tr>'
        )
        parts.extend(_test_row(t) for t in tests)
        parts.append("</table>")
    if len(parts) == 1:
        parts.append("<p>Тесты не запускались.</p>")
    return "\n".join(parts)


def _notebook_errors(payload: Payload, extra: Payload) -> str:
    errors = extra.get("notebook_errors") or []
    if not errors:
        return ""
    rows = [
        f'<tr><td class="num">{escape(str(e.get("cell", "?")))}</td>'
        f"<td>{escape(str(e.get('error', '')))}</td>"
        f"<td><pre>{escape(str(e.get('traceback', '')))}</pre></td></tr>"
        for e in errors
    ]
    return (
        "<h2>Ошибки при выполнении ноутбука</h2>\n"
        "<p>Ячейки с ошибками; остальные ячейки выполнены.</p>\n"
        '<table><tr><th class="num">ячейка</th><th>исключение</th><th>трассировка</th></tr>\n'
        + "\n".join(rows)
        + "\n</table>"
    )


def _full_report(payload: Payload, extra: Payload) -> str:
    text = str(payload.get("output", ""))
    if not text:
        return ""
    return (
        "<h2>Текст отчёта</h2>\n<details><summary>Показать полностью</summary>\n"
        f"<pre>{escape(text)}</pre>\n</details>"
    )


SECTIONS: list[Callable[[Payload, Payload], str]] = [
    _total,
    _sandbox,
    _questions,
    _notebook_errors,
    _full_report,
]


def render_feedback(payload: Payload, *, title: str = "") -> str:
    """The feedback page for one results.json payload; `title` is the homework's name."""
    extra = payload.get("extra_data") or {}
    assignment = str(extra.get("assignment", ""))
    heading = f"{assignment} — {title}" if title else assignment
    student = str(extra.get("student_id", ""))
    body = "\n".join(part for section in SECTIONS if (part := section(payload, extra)))
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Результаты проверки: {escape(assignment)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Результаты проверки: {escape(heading)}</h1>\n"
        f"<p>Студент: <b>{escape(student)}</b></p>\n{body}\n</body>\n</html>\n"
    )


def write_feedback(path: Path, payload: Payload, *, title: str = "") -> None:
    """Write feedback.html atomically (a reader never sees half a page)."""
    write_atomically(path, render_feedback(payload, title=title))
