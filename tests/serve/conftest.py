"""A small course for the submission server: one homework (hw01, 2 points) with a tiny
bundle of one public and one hidden test, a roster of two students with tokens, and a
FastAPI TestClient on it. Grading the tiny bundle costs a second or two."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder.gradebook.database import Gradebook, resolve_url
from autograder.serve.roster import RosterRow, import_roster, issue_tokens

HIDDEN_NAME = "zebra_hidden_check"  # a hidden test's name no response may contain
HIDDEN_MESSAGE = "okapi-secret-failure"  # its failure message
HIDDEN_POINTS = "0.75"
TOTAL = "1.75"  # public 1 + hidden 0.75

TEST_FILE = f'''\
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = 1.75

@test_case(name="q1_public_shape", points=1, hidden=False)
def test_public(relu):
    import torch
    assert torch.equal(relu(torch.tensor([-1.0, 2.0])), torch.tensor([0.0, 2.0]))

@test_case(name="{HIDDEN_NAME}", points={HIDDEN_POINTS}, hidden=True, failure_message="{HIDDEN_MESSAGE}")
def test_hidden(relu):
    import torch
    x = torch.randn(5, generator=torch.Generator().manual_seed(7))
    assert torch.allclose(relu(x), torch.relu(x))
'''

CONFIG = """
from datetime import datetime
from zoneinfo import ZoneInfo
MSK = ZoneInfo("Europe/Moscow")
COURSE_TITLE = "Тестовый курс"
COMPONENTS = [
    dict(id="hw01", title="Функции", max_points=1.75, deadline=datetime(2099, 1, 1, tzinfo=MSK), attempts=3),
    dict(id="hw02", title="Прошедшее", max_points=1.75, deadline=datetime(2020, 1, 1, tzinfo=MSK)),
    dict(id="exam", title="Экзамен", max_points=6.5, deadline=None),
]
MAX_TOTAL = 10
FINAL_GRADE_DIVISOR = 1
FINAL_GRADE_ROUNDING = "half_up"
LATE_POLICY = dict(kind="per_day", grace_minutes=0, percent_per_day=10, max_days_late=100000)
ATTEMPTS = 5
"""

HONEST = "def relu(x):\n    return x.clamp(min=0.0)"
PUBLIC_ONLY = "def relu(x):\n    return x.clamp(min=0.0) if x.numel() == 2 else x"
BROKEN = "def relu(x):\n    raise ValueError('нет')\nundefined_name"


def notebook_bytes(code: str, marker: str = "") -> bytes:
    """A notebook with the student's relu (and a comment to make its content unique)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(code + (f"\n# {marker}" if marker else ""))]
    nb.cells[0].id = "cell-1"  # the same code gives the same bytes
    return nbformat.writes(nb).encode()


def write_bundle(root: Path, component: str) -> None:
    from autograder.grading.bundle import write_bundle_json

    bundle = root / "dist" / component
    (bundle / "tests").mkdir(parents=True)
    (bundle / "files").mkdir()
    (bundle / "tests" / "q1.py").write_text(TEST_FILE)
    write_bundle_json(
        bundle, assignment=component, notebook=f"{component}.ipynb", max_points=1.75,
        questions={"q1": 1.75},
    )  # fmt: skip


def make_course(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "course_config.py").write_text(CONFIG)
    write_bundle(root, "hw01")
    write_bundle(root, "hw02")
    return root


@dataclass
class ServeCourse:
    root: Path
    url: str
    tokens: dict[str, str]
    data_dir: Path
    responses: list[str] = field(default_factory=list)  # every body a student received

    def gradebook(self) -> Gradebook:
        return Gradebook(self.url)


def roster_with_tokens(root: Path, url: str) -> dict[str, str]:
    book = Gradebook(url)
    import_roster(book, [RosterRow("alice", "Алиса Иванова", "alice@example.edu"),
                         RosterRow("bob", "Боб Петров", None)])  # fmt: skip
    tokens = {t.student_id: t.token for t in issue_tokens(book)}
    book.close()
    return tokens


@pytest.fixture
def serve_course(tmp_path) -> ServeCourse:
    root = make_course(tmp_path / "course")
    url = resolve_url(None, root)
    return ServeCourse(root, url, roster_with_tokens(root, url), root / "serve")


@pytest.fixture
def client_for(serve_course) -> Iterator[Callable[..., object]]:
    """A TestClient on the app; every response body is kept in serve_course.responses."""
    from fastapi.testclient import TestClient

    from autograder.serve.app import ServeSettings, create_app

    made = []

    def make(**overrides):
        settings = ServeSettings(
            serve_course.root, serve_course.url, serve_course.data_dir, **overrides
        )
        app = create_app(settings)

        @app.middleware("http")
        async def keep_bodies(request, call_next):
            response = await call_next(request)
            body = b"".join([chunk async for chunk in response.body_iterator])
            serve_course.responses.append(
                body.decode("utf-8", "replace") + json.dumps(dict(response.headers))
            )
            from starlette.responses import Response

            return Response(body, response.status_code, dict(response.headers))

        client = TestClient(app, follow_redirects=False)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def login(client, token: str):
    """Log in through the form, as a browser does (the CSRF token from the login page)."""
    client.cookies.clear()  # a new visitor
    page = client.get("/")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return client.post("/login", data={"token": token, "csrf": csrf})


def csrf_of(client) -> str:
    page = client.get("/homeworks")
    return page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def grade_queue(serve_course: ServeCourse) -> list[str]:
    """Run the grading loop in this process until the queue is empty; the jobs' statuses."""
    from autograder.course.config import load_course
    from autograder.serve.grader import work_once

    course = load_course(serve_course.root)
    book = serve_course.gradebook()
    statuses = []
    while (status := work_once(course, book, serve_course.data_dir, "test")) is not None:
        statuses.append(status)
    book.close()
    return statuses


@pytest.fixture
def staff_tokens(serve_course) -> dict[str, str]:
    """A TA (ta1) and an instructor (prof) with their login tokens."""
    return add_course_staff(serve_course.gradebook())


def add_course_staff(book: Gradebook) -> dict[str, str]:
    """ta1 and prof on the course's staff; their login tokens."""
    from autograder.serve.staff import add_staff, issue_staff_tokens, staff_row

    add_staff(book, [staff_row("ta1", "Анна Ассистентова", None, "ta"),
                     staff_row("prof", "Пётр Преподаватель", "prof@example.edu", "instructor")])  # fmt: skip
    tokens = {t.student_id: t.token for t in issue_staff_tokens(book)}
    book.close()
    return tokens


def staff_login_page(client, token: str):
    """Log in at /staff through the form, as a browser does."""
    client.cookies.clear()
    page = client.get("/staff")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return client.post("/staff/login", data={"token": token, "csrf": csrf})


def staff_csrf(client) -> str:
    return client.get("/staff").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
