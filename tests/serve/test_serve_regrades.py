"""Regrade requests (issue #31): a student asks after publish, on one question of their own
graded receipt, once per question, in plain text of limited length; staff answer from their
queue, optionally with a manual score (the CLI's record), and the student reads the answer."""

from __future__ import annotations

from sqlalchemy import select

from autograder.course.config import load_course
from autograder.gradebook.database import RegradeRequest, ScoreChange
from autograder.serve.publishing import publish
from autograder.serve.staff import actions

from .conftest import (
    HONEST,
    csrf_of,
    grade_queue,
    login,
    notebook_bytes,
    staff_csrf,
    staff_login_page,
)

XSS = "<script>alert('x')</script>"


def graded_receipt(serve_course, client) -> str:
    sent = client.post(
        "/api/v1/homeworks/hw01/submissions",
        headers={"Authorization": f"Bearer {serve_course.tokens['alice']}"},
        files={"notebook": ("hw01.ipynb", notebook_bytes(HONEST), "application/json")},
    )
    assert sent.status_code == 201, sent.text
    assert set(grade_queue(serve_course)) == {"done"}
    return sent.json()["id"]


def requests_in(serve_course) -> list[RegradeRequest]:
    book = serve_course.gradebook()
    with book.transaction() as session:
        rows = list(session.scalars(select(RegradeRequest)))
        session.expunge_all()
    book.close()
    return rows


def test_a_request_before_publish_is_refused_and_the_form_is_not_shown(serve_course, client_for):
    client = client_for()
    public_id = graded_receipt(serve_course, client)
    login(client, serve_course.tokens["alice"])
    page = client.get(f"/receipts/{public_id}")
    assert 'id="regrade-form"' not in page.text
    sent = client.post(f"/receipts/{public_id}/regrade",
                       data={"question": "q1", "text": "почему?", "csrf": csrf_of(client)})  # fmt: skip
    assert sent.status_code == 403
    assert requests_in(serve_course) == []


def test_a_student_asks_once_per_question_and_reads_the_staff_answer(
    serve_course,
    client_for,
    staff_tokens,  # noqa: F811
):
    client = client_for()
    public_id = graded_receipt(serve_course, client)
    course = load_course(serve_course.root)
    book = serve_course.gradebook()
    publish(book, course, "hw01", by="prof", force=True)
    book.close()
    login(client, serve_course.tokens["alice"])
    assert 'id="regrade-form"' in client.get(f"/receipts/{public_id}").text
    form = {
        "question": "q1",
        "text": f"Тест не учёл граничный случай {XSS}",
        "csrf": csrf_of(client),
    }
    assert client.post(f"/receipts/{public_id}/regrade", data=form).status_code == 303
    again = client.post(f"/receipts/{public_id}/regrade", data=form)
    assert again.status_code == 409 and 'id="regrade-error"' in again.text
    long = client.post(f"/receipts/{public_id}/regrade", data={**form, "text": "я" * 2001})
    assert long.status_code == 400
    unknown = client.post(f"/receipts/{public_id}/regrade", data={**form, "question": "q9"})
    assert unknown.status_code == 400
    login(client, serve_course.tokens["bob"])  # someone else's receipt: not found
    stranger = client.post(f"/receipts/{public_id}/regrade", data={**form, "csrf": csrf_of(client)})
    assert stranger.status_code == 404
    assert [(r.student_id, r.question, r.status) for r in requests_in(serve_course)] == [
        ("alice", "q1", "open")
    ]

    staff = client_for()
    staff_login_page(staff, staff_tokens["ta1"])
    queue = staff.get("/staff/regrades").text
    assert XSS not in queue and "&lt;script&gt;" in queue
    request_id = requests_in(serve_course)[0].id
    answer = {"answer": "Да, случай пустого тензора: балл исправлен.", "points": "1.75",
              "csrf": staff_csrf(staff)}  # fmt: skip
    bad = staff.post(f"/staff/regrades/{request_id}/answer", data={**answer, "points": "9"})
    assert bad.status_code == 400 and requests_in(serve_course)[0].status == "open"
    assert staff.post(f"/staff/regrades/{request_id}/answer", data=answer).status_code == 303
    twice = staff.post(f"/staff/regrades/{request_id}/answer", data=answer)
    assert twice.status_code == 409

    book = serve_course.gradebook()
    with book.transaction() as session:
        change = session.scalars(select(ScoreChange)).one()
        assert (change.author, str(change.new_points)) == ("ta1", "1.75")
        assert change.reason.startswith("перепроверка q1: Да, случай пустого тензора")
    assert [(a.staff_id, a.action, a.target) for a in actions(book)] == [
        ("ta1", "regrade", "alice hw01 q1")
    ]
    book.close()
    login(client, serve_course.tokens["alice"])
    page = client.get(f"/receipts/{public_id}").text
    assert "Да, случай пустого тензора" in page and "Балл за задание изменён: 1.75" in page
    assert XSS not in page
