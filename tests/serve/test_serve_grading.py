"""The queue and the grading of receipts (the real sandbox, the tiny bundle), public
results before publishing, the full feedback after, and grader failures."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from autograder.errors import ServeError
from autograder.gradebook.database import ComponentScore, GradingJob, Submission
from autograder.serve.publishing import publish
from autograder.serve.queue import MAX_TRIES, claim, requeue_abandoned

from .conftest import (
    BROKEN,
    HIDDEN_MESSAGE,
    HIDDEN_NAME,
    HONEST,
    PUBLIC_ONLY,
    grade_queue,
    notebook_bytes,
)
from .test_serve_app import bearer, upload


def test_a_job_is_claimed_once_and_a_dead_servers_running_job_is_requeued(serve_course, client_for):
    client = client_for()
    upload(client, bearer(serve_course), notebook_bytes(HONEST))
    book = serve_course.gradebook()
    first = claim(book, "grader-a")
    assert first is not None and claim(book, "grader-b") is None
    assert requeue_abandoned(book) == 1  # as `serve` does on start
    again = claim(book, "grader-b")
    assert again.job_id == first.job_id
    with book.transaction() as session:
        assert session.get(GradingJob, again.job_id).tries == 2
    book.close()


def test_graded_receipts_show_public_tests_and_errors_but_nothing_hidden(serve_course, client_for):
    client = client_for()
    headers = bearer(serve_course)
    honest = upload(client, headers, notebook_bytes(PUBLIC_ONLY)).json()["id"]
    broken = upload(client, headers, notebook_bytes(BROKEN)).json()["id"]
    assert grade_queue(serve_course) == ["done"] * 4  # each: the public, then the hidden phase
    reply = client.get(f"/api/v1/receipts/{honest}", headers=headers).json()
    assert reply["grading"] == "done" and reply["published"] is False
    results = reply["results"]
    assert [t["name"] for t in results["public_tests"]] == ["q1_public_shape"]
    assert results["public_tests"][0]["status"] == "passed"
    assert results["hidden_tests_pending"] is True and "score" not in results
    bad = client.get(f"/api/v1/receipts/{broken}", headers=headers).json()["results"]
    assert bad["public_tests"][0]["status"] == "failed"
    assert bad["notebook_errors"][0]["error"] == "NameError"
    assert client.get(f"/api/v1/receipts/{honest}/feedback", headers=headers).status_code == 403
    # the gradebook has it, once, with the server's time
    book = serve_course.gradebook()
    with book.transaction() as session:
        rows = session.scalars(select(Submission)).all()
        assert sorted(r.time_source for r in rows) == ["server", "server"]
        assert sorted(r.raw_points for r in rows) == [0, 1]  # the hidden test failed both
        # the score follows the latest upload by server time: the broken one
        assert session.get(ComponentScore, ("alice", "hw01")).recorded_points == 0
    book.close()


def test_grading_again_after_a_crash_records_nothing_twice(serve_course, client_for):
    client = client_for()
    upload(client, bearer(serve_course), notebook_bytes(HONEST))
    grade_queue(serve_course)
    book = serve_course.gradebook()
    with book.transaction() as session:  # as if the server died before marking it done
        session.execute(GradingJob.__table__.update().values(status="running"))
    requeue_abandoned(book)
    assert grade_queue(serve_course) == ["done"]  # the public phase again; the hidden is done
    with book.transaction() as session:
        assert session.scalar(select(func.count(Submission.id))) == 1
    book.close()


def test_a_grader_failure_is_retried_and_uses_no_attempt(serve_course, client_for):
    client = client_for()
    headers = bearer(serve_course)
    receipt = upload(client, headers, notebook_bytes(HONEST)).json()
    # the grader's own problem: the bundle is gone (not the student's code)
    bundle_json = serve_course.root / "dist" / "hw01" / "bundle.json"
    saved = bundle_json.read_bytes()
    bundle_json.write_text("{broken")
    statuses = grade_queue(serve_course)
    assert statuses == ["queued"] * (MAX_TRIES - 1) + ["error"]
    reply = client.get(f"/api/v1/receipts/{receipt['id']}", headers=headers).json()
    assert reply["grading"] == "error" and reply["results"] is None
    [hw01] = [
        h for h in client.get("/api/v1/homeworks", headers=headers).json() if h["id"] == "hw01"
    ]
    assert hw01["attempts_left"] == 3
    bundle_json.write_bytes(saved)
    again = upload(client, headers, notebook_bytes(HONEST))  # the student sends it again
    assert again.status_code == 200 and again.json()["id"] == receipt["id"]
    assert grade_queue(serve_course) == ["done", "done"]  # its public and hidden phases


def test_publish_is_refused_before_the_deadline_unless_forced(serve_course, client_for, cli):
    book = serve_course.gradebook()
    from autograder.course.config import load_course

    course = load_course(serve_course.root)
    with pytest.raises(ServeError, match="has not passed"):
        publish(book, course, "hw01", by="teacher")
    done = cli(serve_course.root, "publish", "hw01")
    assert done.returncode == 1 and "--force" in done.stderr
    done = cli(serve_course.root, "publish", "hw01", "--force", "--by", "teacher")
    assert done.returncode == 0 and "before the deadline" in done.stdout
    assert publish(book, course, "hw02", by="teacher").forced is False  # its deadline passed
    book.close()


def test_after_publishing_the_student_sees_the_full_feedback(serve_course, client_for):
    client = client_for()
    headers = bearer(serve_course)
    receipt = upload(client, headers, notebook_bytes(PUBLIC_ONLY)).json()["id"]
    grade_queue(serve_course)
    book = serve_course.gradebook()
    from autograder.course.config import load_course

    publish(book, load_course(serve_course.root), "hw01", by="teacher", force=True)
    book.close()
    reply = client.get(f"/api/v1/receipts/{receipt}", headers=headers).json()
    assert reply["published"] is True and reply["feedback_url"] == f"/receipts/{receipt}/feedback"
    page = client.get(f"/api/v1/receipts/{receipt}/feedback", headers=headers)
    assert page.status_code == 200
    assert "Скрытый тест не пройден." in page.text and HIDDEN_MESSAGE in page.text
    assert HIDDEN_NAME in page.text and "Итог" in page.text


def test_grade_from_server_takes_each_students_latest_receipt_with_its_server_time(
    serve_course, client_for
):
    from dataclasses import replace

    from typer.testing import CliRunner

    from autograder.cli import app
    from autograder.course.config import load_course
    from autograder.gradebook.database import Receipt
    from autograder.serve.from_server import server_submissions

    client = client_for()
    first = upload(client, bearer(serve_course), notebook_bytes(PUBLIC_ONLY)).json()
    latest = upload(client, bearer(serve_course), notebook_bytes(HONEST)).json()
    upload(client, bearer(serve_course, "bob"), notebook_bytes(BROKEN))
    course = load_course(serve_course.root)
    book = serve_course.gradebook()
    chosen = server_submissions(book, course, "hw01", serve_course.data_dir)
    assert [(s.student_id, s.content_sha256) for s in chosen] == [
        ("alice", latest["sha256"]),
        ("bob", chosen[1].content_sha256),
    ]
    assert chosen[0].time_source == "server"
    assert chosen[0].submitted_at.isoformat() == latest["received_at"]
    # late work counting 0: the latest on-time receipt is the one that counts
    with book.transaction() as session:
        session.scalars(select(Receipt).where(Receipt.public_id == latest["id"])).one().late = True
    hw01 = course.component("hw01")
    strict = replace(hw01, late_policy=replace(hw01.late_policy, kind="reject"))
    strict_course = replace(course, components=(strict, *course.components[1:]))
    picked = server_submissions(book, strict_course, "hw01", serve_course.data_dir)
    assert picked[0].content_sha256 == first["sha256"]
    book.close()
    out = serve_course.root / "results"
    done = CliRunner().invoke(
        app,
        ["--course", str(serve_course.root), "--gradebook", serve_course.url,
         "grade", "hw01", "--from-server", "--out", str(out), "--no-pool"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.iterdir()) == ["alice", "bob"]
    neither = CliRunner().invoke(app, ["--course", str(serve_course.root), "grade", "hw01"])
    assert neither.exit_code == 2 and "not both" in neither.output
