"""The staff side of `autograder serve` (issue #31, first step): staff accounts with roles
and tokens, their login apart from the students', the course overview, publishing from the
page (instructor only, the CLI's deadline rule, the same Publication record), CSRF, and the
audit trail. Every staff route is tried with a student's session and with none."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from autograder.errors import ImportRejected, ServeError
from autograder.gradebook.database import Publication, ScoreChange, StaffToken
from autograder.serve.roster import hash_token
from autograder.serve.staff import (
    actions,
    issue_staff_tokens,
    read_staff_csv,
    session_staff,
    staff_login,
)

from .conftest import login, make_course, staff_csrf, staff_login_page

# every staff route that needs a staff session: method, path, form
STAFF_ROUTES = [
    ("get", "/staff", None),
    ("post", "/staff/homeworks/hw02/publish", {"force": "yes"}),
    ("post", "/staff/homeworks/hw01/publish", {"force": "yes"}),
    ("get", "/staff/gradebook", None),
    ("get", "/staff/gradebook.csv?kind=ours", None),
    ("get", "/staff/gradebook.csv?kind=moodle", None),
    ("get", "/staff/students/alice", None),
    ("post", "/staff/students/alice/score", {"component": "hw01", "points": "1", "reason": "x"}),
    ("get", "/staff/receipts/anything/feedback", None),
    ("get", "/staff/regrades", None),
    ("get", "/staff/homeworks/hw01", None),
    ("post", "/staff/jobs/public/1/retry", None),
    ("post", "/staff/regrades/1/answer", {"answer": "ok", "points": "1"}),
]


# ---------------------------------------------------------------- accounts and tokens


def test_staff_csv_rows_are_checked_all_or_nothing(tmp_path):
    good = tmp_path / "staff.csv"
    good.write_text("staff_id,name,email,role\nta1,Анна,,ta\nprof,Пётр,p@x.edu,Instructor\n")
    assert [(r.staff_id, r.role) for r in read_staff_csv(good)] == [
        ("ta1", "ta"),
        ("prof", "instructor"),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "staff_id,name,email,role\nta1,Анна,,ta\nta2,Ян,,admin\n,Без,,ta\nta1,Снова,,ta\n"
    )
    with pytest.raises(ImportRejected) as refused:
        read_staff_csv(bad)
    assert len(refused.value.problems) == 3
    assert "role 'admin'" in refused.value.problems[0] and "twice" in refused.value.problems[2]
    (tmp_path / "odd.csv").write_text("login,fio\nx,y\n")
    with pytest.raises(ServeError, match="staff_id,name,email,role"):
        read_staff_csv(tmp_path / "odd.csv")


def test_staff_tokens_are_hashes_and_reissue_revokes_the_old_token_and_its_sessions(
    serve_course, staff_tokens
):
    book = serve_course.gradebook()
    old = staff_tokens["ta1"]
    with book.transaction() as session:
        stored = {t.token_sha256 for t in session.scalars(select(StaffToken))}
    assert hash_token(old) in stored and old not in stored
    sid = staff_login(book, old)
    assert session_staff(book, sid).role == "ta"
    new = {t.student_id: t.token for t in issue_staff_tokens(book, ["ta1"])}["ta1"]
    assert staff_login(book, old) is None and session_staff(book, sid) is None
    assert session_staff(book, staff_login(book, new)).staff_id == "ta1"
    with pytest.raises(ServeError, match="not on the staff list: nobody"):
        issue_staff_tokens(book, ["nobody"])
    book.close()


def test_a_student_token_is_no_staff_token_and_back(serve_course, staff_tokens):
    book = serve_course.gradebook()
    assert staff_login(book, serve_course.tokens["alice"]) is None
    from autograder.serve.roster import login_token

    assert login_token(book, staff_tokens["prof"]) is None
    book.close()


def test_cli_adds_imports_lists_and_issues_staff_tokens(tmp_path, cli):
    root = make_course(tmp_path / "course")
    done = cli(root, "staff", "add", "prof", "--role", "instructor", "--name", "Пётр")
    assert done.returncode == 0, done.stderr
    assert cli(root, "staff", "add", "x", "--role", "admin").returncode == 1
    (tmp_path / "staff.csv").write_text("staff_id,name,email,role\nta1,Анна,,ta\n")
    assert cli(root, "staff", "import", str(tmp_path / "staff.csv")).returncode == 0
    listed = cli(root, "staff", "list").stdout.splitlines()
    assert [line.split()[:2] for line in listed] == [["prof", "instructor"], ["ta1", "ta"]]
    done = cli(root, "staff", "tokens", "--csv", str(tmp_path / "tokens.csv"))
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "tokens.csv").read_text().splitlines()
    assert lines[0] == "staff_id,name,email,token" and len(lines) == 3


# ---------------------------------------------------------------- the pages


def test_staff_log_in_and_see_the_course_overview(serve_course, client_for, staff_tokens):
    client = client_for()
    assert staff_login_page(client, staff_tokens["ta1"]).status_code == 303
    page = client.get("/staff")
    assert page.status_code == 200
    assert 'id="hw-hw01"' in page.text and 'id="hw-hw02"' in page.text
    assert "ассистент" in page.text and "publish-" not in page.text  # a TA sees no button
    client.cookies.clear()
    wrong = staff_login_page(client, "0" * 40)
    assert wrong.status_code == 401 and 'id="error"' in wrong.text


def test_no_staff_route_answers_a_student_or_a_stranger(serve_course, client_for, staff_tokens):
    client = client_for()
    refused = staff_login_page(client, serve_course.tokens["alice"])  # a student's own token
    assert refused.status_code == 401 and 'id="overview"' not in refused.text
    assert login(client, serve_course.tokens["alice"]).status_code == 303
    for method, path, form in STAFF_ROUTES:
        response = getattr(client, method)(path, **({"data": form} if form else {}))
        assert response.status_code in (200, 401, 403), path
        assert 'id="overview"' not in response.text, path  # at most the staff login form
        assert "alice" not in response.text.replace("/staff/students/alice", ""), path
    book = serve_course.gradebook()
    with book.transaction() as session:
        assert session.scalars(select(Publication)).all() == []
        assert session.scalars(select(ScoreChange)).all() == []
    book.close()


def test_a_ta_cannot_publish_and_an_instructor_can(serve_course, client_for, staff_tokens):
    client = client_for()
    staff_login_page(client, staff_tokens["ta1"])
    refused = client.post("/staff/homeworks/hw02/publish", data={"csrf": staff_csrf(client)})
    assert refused.status_code == 403
    staff_login_page(client, staff_tokens["prof"])
    done = client.post("/staff/homeworks/hw02/publish", data={"csrf": staff_csrf(client)})
    assert done.status_code == 303
    page = client.get("/staff")
    assert 'id="publish-hw02"' not in page.text and 'id="publish-hw01"' in page.text
    book = serve_course.gradebook()
    with book.transaction() as session:
        row = session.get(Publication, "hw02")
        assert (row.published_by, row.forced) == ("prof", False)  # what the CLI would record
    trail = [(a.staff_id, a.action, a.target, a.before, a.after) for a in actions(book)]
    assert trail == [("prof", "publish", "hw02", "not published", "published")]
    book.close()


def test_publishing_before_the_deadline_needs_the_same_confirmation_as_the_cli(
    serve_course, client_for, staff_tokens
):
    client = client_for()
    staff_login_page(client, staff_tokens["prof"])
    early = client.post("/staff/homeworks/hw01/publish", data={"csrf": staff_csrf(client)})
    assert early.status_code == 409 and 'id="error"' in early.text
    forced = client.post(
        "/staff/homeworks/hw01/publish", data={"csrf": staff_csrf(client), "force": "yes"}
    )
    assert forced.status_code == 303
    book = serve_course.gradebook()
    with book.transaction() as session:
        assert session.get(Publication, "hw01").forced is True
    assert [a.after for a in actions(book)] == ["published before the deadline"]
    book.close()


def test_staff_forms_need_their_csrf_token(serve_course, client_for, staff_tokens):
    client = client_for()
    staff_login_page(client, staff_tokens["prof"])
    for csrf in ("", "forged"):
        response = client.post("/staff/homeworks/hw02/publish", data={"csrf": csrf})
        assert response.status_code == 403
    other = client_for()  # another browser's page: its token is not this session's
    staff_login_page(other, staff_tokens["ta1"])
    response = client.post("/staff/homeworks/hw02/publish", data={"csrf": staff_csrf(other)})
    assert response.status_code == 403
    book = serve_course.gradebook()
    with book.transaction() as session:
        assert session.get(Publication, "hw02") is None
    assert actions(book) == []
    book.close()


def test_staff_logout_ends_the_session_for_every_copy_of_the_cookie(
    serve_course, client_for, staff_tokens
):
    client = client_for()
    staff_login_page(client, staff_tokens["prof"])
    copied = dict(client.cookies)
    client.post("/staff/logout", data={"csrf": staff_csrf(client)})
    thief = client_for()
    for name, value in copied.items():
        thief.cookies.set(name, value, path="/staff")
    assert 'id="overview"' not in thief.get("/staff").text


def test_the_overview_counts_submissions_grading_and_failures(
    serve_course, client_for, staff_tokens
):
    from .conftest import HONEST, grade_queue, notebook_bytes

    client = client_for()
    for student, marker in (("alice", "a"), ("alice", "b"), ("bob", "c")):
        sent = client.post(
            "/api/v1/homeworks/hw01/submissions",
            headers={"Authorization": f"Bearer {serve_course.tokens[student]}"},
            files={"notebook": ("hw01.ipynb", notebook_bytes(HONEST, marker), "application/json")},
        )
        assert sent.status_code == 201, sent.text
    staff_login_page(client, staff_tokens["ta1"])
    row = client.get("/staff").text.split('id="hw-hw01"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split("<td")[3:7]]
    assert cells == ["2", "3", "0", "3"]  # students, receipts, graded, waiting
    assert set(grade_queue(serve_course)) == {"done"}
    row = client.get("/staff").text.split('id="hw-hw01"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split("<td")[3:8]]
    assert cells == ["2", "3", "3", "0", "0"]


def test_a_ta_sets_a_manual_score_recorded_as_the_cli_records_it(
    serve_course, client_for, staff_tokens
):
    client = client_for()
    staff_login_page(client, staff_tokens["ta1"])
    page = client.get("/staff/students/alice")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    form = {"component": "hw01", "points": "1.5", "csrf": csrf,
            "reason": "проверено вручную <script>alert(1)</script>"}  # fmt: skip
    assert client.post("/staff/students/alice/score", data=form).status_code == 303
    too_many = client.post("/staff/students/alice/score", data={**form, "points": "99"})
    assert too_many.status_code == 400 and 'id="error"' in too_many.text
    no_reason = client.post("/staff/students/alice/score", data={**form, "reason": " "})
    assert no_reason.status_code == 400
    book = serve_course.gradebook()
    with book.transaction() as session:
        changes = session.scalars(select(ScoreChange)).all()
        assert [(c.author, c.kind, str(c.new_points)) for c in changes] == [
            ("ta1", "override", "1.50")
        ]
    trail = [(a.staff_id, a.action, a.target, a.before) for a in actions(book)]
    assert trail == [("ta1", "score", "alice hw01", "nothing")]
    book.close()
    for path in ("/staff/gradebook", "/staff/students/alice"):
        text = client.get(path).text
        assert "<script>alert" not in text and "&lt;script&gt;" in text  # escaped
        assert "✎" in text


def test_the_gradebook_page_sorts_finds_and_exports_as_the_cli_does(
    serve_course, client_for, staff_tokens
):
    import io

    from autograder.course.config import load_course
    from autograder.gradebook import exports, overrides, standings

    course = load_course(serve_course.root)
    book = serve_course.gradebook()
    overrides.set_override(book, course, "alice", "hw01", "1", reason="r", author="cli")
    overrides.set_override(book, course, "bob", "hw01", "1.75", reason="r", author="cli")
    client = client_for()
    staff_login_page(client, staff_tokens["ta1"])
    by_total = client.get("/staff/gradebook?sort=total").text
    assert by_total.index('id="row-bob"') < by_total.index('id="row-alice"')
    found = client.get("/staff/gradebook?q=ALI").text
    assert 'id="row-alice"' in found and 'id="row-bob"' not in found
    for kind, write in (("ours", standings.write_csv), ("moodle", exports.write_moodle),
                        ("canvas", exports.write_canvas)):  # fmt: skip
        expected = io.StringIO()
        write(standings.gradebook_rows(book, course), course, expected)
        got = client.get(f"/staff/gradebook.csv?kind={kind}")
        assert got.status_code == 200 and got.text == expected.getvalue(), kind
    assert client.get("/staff/gradebook.csv?kind=excel").status_code == 404
    book.close()


def test_staff_read_a_graded_receipt_s_full_feedback_before_publishing(
    serve_course, client_for, staff_tokens
):
    from .conftest import HONEST, grade_queue, notebook_bytes

    client = client_for()
    sent = client.post(
        "/api/v1/homeworks/hw01/submissions",
        headers={"Authorization": f"Bearer {serve_course.tokens['alice']}"},
        files={"notebook": ("hw01.ipynb", notebook_bytes(HONEST), "application/json")},
    )
    public_id = sent.json()["id"]
    grade_queue(serve_course)
    staff_login_page(client, staff_tokens["ta1"])
    page = client.get("/staff/students/alice").text
    assert f"/staff/receipts/{public_id}/feedback" in page
    feedback = client.get(f"/staff/receipts/{public_id}/feedback")
    assert feedback.status_code == 200 and "1.75" in feedback.text


def test_a_homework_page_shows_scores_pass_rates_and_the_queue_with_retry(
    serve_course, client_for, staff_tokens
):
    from autograder.gradebook.database import GradingJob

    from .conftest import BROKEN, HONEST, grade_queue, notebook_bytes

    client = client_for()
    for student, code in (("alice", HONEST), ("bob", BROKEN)):
        sent = client.post(
            "/api/v1/homeworks/hw01/submissions",
            headers={"Authorization": f"Bearer {serve_course.tokens[student]}"},
            files={"notebook": ("hw01.ipynb", notebook_bytes(code), "application/json")},
        )
        assert sent.status_code == 201, sent.text
    grade_queue(serve_course)
    staff_login_page(client, staff_tokens["ta1"])
    page = client.get("/staff/homeworks/hw01").text
    assert 'id="graded-students">2<' in page and "<svg" in page and "<rect" in page
    rates = page.split('id="pass-rates"', 1)[1].split("</table>", 1)[0]
    assert "q1" in rates and "1 из 2" in rates
    assert "Очередь пуста." in page
    book = serve_course.gradebook()
    with book.transaction() as session:  # a grader that failed for good on one receipt
        job = session.scalars(select(GradingJob)).first()
        job.status, job.tries, job.error = "error", 3, "worker died (system)"
        job_id = job.id
    book.close()
    page = client.get("/staff/homeworks/hw01").text
    assert f'id="retry-public-{job_id}"' in page and "worker died (system)" in page
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post(f"/staff/jobs/public/{job_id}/retry", data={"csrf": csrf}).status_code == 303
    again = client.post(f"/staff/jobs/public/{job_id}/retry", data={"csrf": csrf})
    assert again.status_code == 409
    book = serve_course.gradebook()
    with book.transaction() as session:
        assert session.get(GradingJob, job_id).status == "queued"
    assert [(a.action, a.before, a.after) for a in actions(book)] == [("retry", "error", "queued")]
    book.close()
    assert client.get("/staff/homeworks/hw09").status_code == 404
