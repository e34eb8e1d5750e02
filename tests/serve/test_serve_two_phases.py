"""Before publish, everything a student sees is a function of the notebook and the public
tests alone. Two notebooks that behave the same on the public test's input and differently
only on the hidden one (right, wrong, raising, crashing the worker) give byte-identical
views — JSON and pages — once their public phase is done, and nothing changes when the
hidden phase finishes; only after publishing do they differ."""

from __future__ import annotations

import re

import pytest

from autograder.course.config import load_course
from autograder.serve.publishing import publish

from .conftest import (
    HONEST,
    TEST_FILE,
    csrf_of,
    grade_queue,
    login,
    make_course,
    notebook_bytes,
    roster_with_tokens,
)
from .test_serve_app import upload

# Each is right on the public test's input (a 2-element tensor) and only there.
ON_HIDDEN_INPUTS = {
    "wrong": "def relu(x):\n    return x.clamp(min=0.0) if x.numel() == 2 else x",
    "raises": "def relu(x):\n    if x.numel() != 2:\n        raise ValueError(str(x.tolist()))\n"
    "    return x.clamp(min=0.0)",
    "crashes": "import os\n\ndef relu(x):\n    if x.numel() != 2:\n        os._exit(3)\n"
    "    return x.clamp(min=0.0)",
}


@pytest.fixture(params=[False, True], ids=["scored-per-case", "all-or-nothing"])
def two_phase_course(request, tmp_path):
    from autograder.gradebook.database import resolve_url

    from .conftest import ServeCourse

    root = make_course(tmp_path / "course")
    if request.param:  # the public case's points vanish when any case fails
        tests = root / "dist" / "hw01" / "tests" / "q1.py"
        tests.write_text(TEST_FILE.replace('name = "q1"', 'name = "q1"\nall_or_nothing = True'))
        from autograder.grading.bundle import write_bundle_json

        write_bundle_json(  # the version follows the new test file
            root / "dist" / "hw01", assignment="hw01", notebook="hw01.ipynb",
            max_points=1.75, questions={"q1": 1.75},
        )  # fmt: skip
    url = resolve_url(None, root)
    return ServeCourse(root, url, roster_with_tokens(root, url), root / "serve")


def _student_view(client, receipt_id: str, token: str) -> tuple[dict, str]:
    """(the API's JSON, the receipt page) with what names the receipt itself taken out."""
    headers = {"Authorization": f"Bearer {token}"}
    data = client.get(f"/api/v1/receipts/{receipt_id}", headers=headers).json()
    page = client.get(f"/receipts/{receipt_id}").text
    for key in ("id", "received_at", "sha256"):
        page = page.replace(str(data.pop(key)), f"<{key}>")
    page = re.sub(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d МСК", "<time>", page)
    page = re.sub(r'name="csrf" value="[^"]+"', 'name="csrf"', page)
    page = re.sub(r'<b id="student">[^<]+</b>', '<b id="student"></b>', page)  # who is logged in
    return data, page


@pytest.mark.parametrize("variant", sorted(ON_HIDDEN_INPUTS))
def test_notebooks_differing_only_on_hidden_inputs_look_the_same_until_published(
    two_phase_course, variant
):
    from fastapi.testclient import TestClient

    from autograder.serve.app import ServeSettings, create_app

    course = two_phase_course
    clients, views = {}, {}
    for student, code in (("alice", HONEST), ("bob", ON_HIDDEN_INPUTS[variant])):
        app = create_app(ServeSettings(course.root, course.url, course.data_dir))
        clients[student] = client = TestClient(app, follow_redirects=False)
        headers = {"Authorization": f"Bearer {course.tokens[student]}"}
        reply = upload(client, headers, notebook_bytes(code))
        assert reply.status_code == 201, reply.text
        login(client, course.tokens[student])
        views[student] = reply.json()["id"]

    statuses = _grade(course, hidden=False)  # the public phase only
    assert statuses == ["done", "done"]
    after_public = {s: _student_view(clients[s], views[s], course.tokens[s]) for s in clients}
    assert after_public["alice"] == after_public["bob"]
    assert after_public["bob"][0]["grading"] == "done"

    assert grade_queue(course) == ["done", "done"]  # the hidden phase, recorded
    after_hidden = {s: _student_view(clients[s], views[s], course.tokens[s]) for s in clients}
    assert after_hidden == after_public  # nothing of it shows

    book = course.gradebook()
    publish(book, load_course(course.root), "hw01", by="test", force=True)
    book.close()
    feedback = {
        s: clients[s].get(f"/api/v1/receipts/{views[s]}/feedback", headers={
            "Authorization": f"Bearer {course.tokens[s]}"}).text
        for s in clients
    }  # fmt: skip
    assert feedback["alice"] != feedback["bob"]  # published: the hidden results, at last
    for client in clients.values():
        client.post("/logout", data={"csrf": csrf_of(client)})
        client.close()


def _grade(course, *, hidden: bool) -> list[str]:
    from autograder.serve.grader import work_once

    book = course.gradebook()
    statuses = []
    config = load_course(course.root)
    while (status := work_once(config, book, course.data_dir, "t", hidden=hidden)) is not None:
        statuses.append(status)
    book.close()
    return statuses
