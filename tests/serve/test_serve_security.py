"""Security: one student cannot reach another's receipts or feedback (by id, by path),
and before publishing no response carries a hidden test's name, message or points, nor
the total; checked by grepping every response body and header the server sent."""

from __future__ import annotations

import pytest

from autograder.course.config import load_course
from autograder.serve.publishing import publish

from .conftest import (
    HIDDEN_MESSAGE,
    HIDDEN_NAME,
    HIDDEN_POINTS,
    HONEST,
    PUBLIC_ONLY,
    TOTAL,
    grade_queue,
    login,
    notebook_bytes,
)
from .test_serve_app import bearer, upload

HIDDEN_WORDS = [
    HIDDEN_NAME,
    HIDDEN_MESSAGE,
    "Скрытый тест",
    "after_published",
    "Итог:",
    '"score": 1.75',
]


@pytest.fixture
def graded(serve_course, client_for):
    """alice and bob each uploaded a notebook, both graded."""
    client = client_for()
    ids = {
        "alice": upload(client, bearer(serve_course, "alice"), notebook_bytes(HONEST)).json()["id"],
        "bob": upload(client, bearer(serve_course, "bob"), notebook_bytes(PUBLIC_ONLY)).json()[
            "id"
        ],
    }
    assert grade_queue(serve_course) == ["done"] * 4  # public and hidden phases
    return client, ids


def visit_everything(client, serve_course, student: str, ids: dict[str, str]) -> None:
    """Every page and API call a student can make, with their own and the other's ids."""
    headers = bearer(serve_course, student)
    login(client, serve_course.tokens[student])
    for path in (
        "/",
        "/homeworks",
        "/api/v1/homeworks",
        "/api/v1/receipts",
        "/openapi.json",
        "/docs",
    ):
        client.get(path, headers=headers)
    for rid in ids.values():
        for path in (f"/receipts/{rid}", f"/receipts/{rid}/feedback", f"/api/v1/receipts/{rid}",
                     f"/api/v1/receipts/{rid}?wait=0.1", f"/api/v1/receipts/{rid}/feedback"):  # fmt: skip
            client.get(path, headers=headers)


def test_another_students_receipt_is_not_found_by_id_or_by_path(serve_course, graded):
    client, ids = graded
    alice = ids["alice"]
    headers = bearer(serve_course, "bob")
    assert client.get(f"/api/v1/receipts/{alice}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/receipts/{alice}/feedback", headers=headers).status_code == 404
    assert all(r["id"] != alice for r in client.get("/api/v1/receipts", headers=headers).json())
    login(client, serve_course.tokens["bob"])
    for path in (
        f"/receipts/{alice}",
        f"/receipts/{alice}/feedback",
        f"/receipts/{ids['bob']}/..%2F{alice}",
        f"/receipts/%2E%2E/receipts/{alice}",
        f"/uploads/{alice}.ipynb",
        f"/results/{alice}/alice/results.json",
        f"/serve/uploads/{alice}.ipynb",
    ):
        reply = client.get(path)
        assert reply.status_code == 404, path
        assert alice not in reply.text.replace(
            path, ""
        )  # the id only as the path echoed, if at all
    assert client.get(f"/receipts/{ids['bob']}").status_code == 200


def test_no_response_before_publishing_contains_hidden_results_or_the_total(serve_course, graded):
    client, ids = graded
    for student in ("alice", "bob"):
        visit_everything(client, serve_course, student, ids)
    bodies = serve_course.responses
    assert len(bodies) > 30
    stored = "".join(
        p.read_text() for p in (serve_course.data_dir / "results").rglob("results.json")
    )
    assert HIDDEN_NAME in stored and HIDDEN_MESSAGE in stored  # there to leak, and not leaked
    assert any('id="public-tests"' in body for body in bodies)  # the receipt page shows results
    assert any("q1_public_shape" in body for body in bodies)  # the public test is there
    for body in bodies:
        for word in HIDDEN_WORDS:
            assert word not in body, (word, body[:300])
        assert f">{HIDDEN_POINTS}<" not in body and f'"{HIDDEN_POINTS}"' not in body
        assert f": {HIDDEN_POINTS}" not in body and f":{HIDDEN_POINTS}" not in body
        assert f":{TOTAL}" not in body and f": {TOTAL}" not in body and f"{TOTAL} из" not in body


def test_after_publishing_each_student_sees_only_their_own_full_feedback(serve_course, graded):
    client, ids = graded
    book = serve_course.gradebook()
    publish(book, load_course(serve_course.root), "hw01", by="teacher", force=True)
    book.close()
    login(client, serve_course.tokens["alice"])
    own = client.get(f"/receipts/{ids['alice']}/feedback")
    assert own.status_code == 200 and HIDDEN_NAME in own.text and "1.75" in own.text
    assert client.get(f"/receipts/{ids['bob']}/feedback").status_code == 404
    page = client.get(f"/receipts/{ids['alice']}")
    assert 'id="feedback"' in page.text
