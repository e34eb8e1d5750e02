"""`autograder lti push`: after publishing, each student who launched from the LMS gets
their counting score (manual scores applied) on the homework's line item, through AGS, with
strictly increasing timestamps; twice is safe, transient failures are retried, students
the LMS never launched are counted as skipped, and nothing is sent before publishing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import httpx
import pytest
from serve.conftest import (
    HONEST,
    PUBLIC_ONLY,
    ServeCourse,
    add_course_staff,
    grade_queue,
    notebook_bytes,
    staff_csrf,
    staff_login_page,
)

from autograder.course.config import load_course
from autograder.errors import ServeError
from autograder.gradebook.overrides import set_override
from autograder.gradebook.standings import gradebook_rows
from autograder.serve.lti.passback import push_scores
from autograder.serve.publishing import publish
from autograder.serve.roster import RosterRow, import_roster

from .conftest import auth_form, launch, post_launch, start_lti


@pytest.fixture
def lti(tmp_path):
    """Students known to the LMS by their sourcedid (bob shares no e-mail); carol is on the
    roster but never opens the course in the LMS."""
    yield from start_lti(tmp_path, roster_claim="sourcedid")


def submit(lti, sub: str, homework: str, code: str) -> None:
    """The student launches the homework from the LMS and uploads a notebook."""
    with httpx.Client() as client:
        assert launch(client, lti, sub, f"rl-{homework}").status_code == 200
        page = client.get(lti.tool + "/homeworks")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        sent = client.post(
            f"{lti.tool}/homeworks/{homework}/upload",
            data={"csrf": csrf, "confirm_late": "yes"},
            files={"notebook": (f"{homework}.ipynb", notebook_bytes(code, sub))},
        )
        assert sent.status_code == 303, sent.text


def grade_and_publish(lti, homework: str) -> None:
    assert set(grade_queue(ServeCourse(lti.root, lti.url, {}, lti.root / "serve"))) <= {"done"}
    publish(lti.gradebook(), load_course(lti.root), homework, by="prof", force=True)


def push(lti, homework: str, **options):
    sleeps: list[float] = []
    report = push_scores(lti.gradebook(), load_course(lti.root), lti.config, homework,
                         sleep=sleeps.append, **options)  # fmt: skip
    return report, sleeps


def counting(lti, homework: str) -> dict[str, Decimal | None]:
    course = load_course(lti.root)
    return {r.student_id: r.cells[homework].points for r in gradebook_rows(lti.gradebook(), course)}


def hw01_item(lti) -> str:
    return next(i["id"] for i in lti.platform.line_items() if i.get("resourceLinkId") == "rl-hw01")


def test_each_launched_student_gets_the_counting_score_on_the_activitys_line_item(lti):
    import_roster(lti.gradebook(), [RosterRow("carol", "Карина Смирнова", None)])
    submit(lti, "lms-alice", "hw01", HONEST)
    submit(lti, "lms-bob", "hw01", PUBLIC_ONLY)
    grade_and_publish(lti, "hw01")
    course = load_course(lti.root)
    set_override(lti.gradebook(), course, "bob", "hw01", "1.5", reason="regrade", author="ta1")
    scores = counting(lti, "hw01")
    assert scores["alice"] == Decimal("1.75") and scores["bob"] == Decimal("1.5")

    report, _ = push(lti, "hw01")

    assert (report.sent, report.unchanged, report.failed, report.skipped) == (2, 0, [], ["carol"])
    item = hw01_item(lti)
    assert lti.platform.results(item) == {"lms-alice": 1.75, "lms-bob": 1.5}
    for post in lti.platform.score_posts(item):
        assert post["scoreMaximum"] == 1.75
        assert (post["activityProgress"], post["gradingProgress"]) == ("Completed", "FullyGraded")
    assert len(lti.platform.line_items()) == 1  # the activity's own column, none made


def test_nothing_is_sent_before_the_homework_is_published(lti):
    submit(lti, "lms-alice", "hw01", HONEST)
    grade_queue(ServeCourse(lti.root, lti.url, {}, lti.root / "serve"))
    with pytest.raises(ServeError, match="hw01 is not published"):
        push(lti, "hw01")
    assert lti.platform.score_posts(hw01_item(lti)) == []


def test_pushing_twice_leaves_one_score_each_and_a_resend_has_later_timestamps(lti):
    submit(lti, "lms-alice", "hw01", HONEST)
    submit(lti, "lms-bob", "hw01", PUBLIC_ONLY)
    grade_and_publish(lti, "hw01")
    first, _ = push(lti, "hw01")
    again, _ = push(lti, "hw01")
    resent, _ = push(lti, "hw01", resend=True)
    assert (first.sent, again.sent, again.unchanged, resent.sent) == (2, 0, 2, 2)
    item = hw01_item(lti)
    assert lti.platform.results(item) == {"lms-alice": 1.75, "lms-bob": 1.0}
    for sub in ("lms-alice", "lms-bob"):
        stamps = [datetime.fromisoformat(p["timestamp"]) for p in lti.platform.score_posts(item)
                  if p["userId"] == sub]  # fmt: skip
        assert len(stamps) == 2 and stamps[0] < stamps[1]


def test_a_changed_score_is_sent_again_without_resend(lti):
    submit(lti, "lms-alice", "hw01", HONEST)
    grade_and_publish(lti, "hw01")
    push(lti, "hw01")
    course = load_course(lti.root)
    set_override(lti.gradebook(), course, "alice", "hw01", "1", reason="copied", author="prof")
    report, _ = push(lti, "hw01")
    assert (report.sent, report.unchanged) == (1, 0)
    assert lti.platform.results(hw01_item(lti)) == {"lms-alice": 1.0}


def test_transient_failures_are_retried_and_lasting_ones_counted_until_the_next_run(lti):
    submit(lti, "lms-alice", "hw01", HONEST)
    submit(lti, "lms-bob", "hw01", PUBLIC_ONLY)
    grade_and_publish(lti, "hw01")
    lti.platform.fail_next(2, status=503)
    report, sleeps = push(lti, "hw01")
    assert (report.sent, report.failed, sleeps) == (2, [], [1.0, 4.0])

    course = load_course(lti.root)
    set_override(lti.gradebook(), course, "bob", "hw01", "0.5", reason="late", author="prof")
    lti.platform.fail_next(100, status=502)
    report, sleeps = push(lti, "hw01", delays=(0.0,))
    assert report.sent == 0 and len(report.failed) == 1 and "HTTP 502" in report.failed[0]
    assert report.failed[0].startswith("bob (lms-bob)")
    lti.platform.fail_next(0)
    report, _ = push(lti, "hw01")
    assert (report.sent, report.unchanged, report.failed) == (1, 1, [])
    assert lti.platform.results(hw01_item(lti)) == {"lms-alice": 1.75, "lms-bob": 0.5}


def test_a_refused_score_is_a_failure_not_retried(lti):
    submit(lti, "lms-alice", "hw01", HONEST)
    grade_and_publish(lti, "hw01")
    lti.platform.fail_next(1, status=400)
    report, sleeps = push(lti, "hw01")
    assert report.sent == 0 and sleeps == [] and "HTTP 400" in report.failed[0]


def test_a_homework_without_its_own_column_gets_one_made_once_by_tag(lti):
    submit(lti, "lms-alice", "hw02", HONEST)  # hw02's deadline has passed: late, 0 points
    with httpx.Client() as client:
        launch(client, lti, "lms-bob", "rl-hw02")  # bob opens it and submits nothing
    grade_and_publish(lti, "hw02")
    first, _ = push(lti, "hw02")
    second, _ = push(lti, "hw02", resend=True)
    made = [i for i in lti.platform.line_items() if i.get("tag") == "hw02"]
    assert len(made) == 1 and made[0]["scoreMaximum"] == 1.75 and made[0]["label"] == "Прошедшее"
    assert (first.sent, second.sent) == (2, 2)
    scores = counting(lti, "hw02")
    assert lti.platform.results(made[0]["id"]) == {"lms-alice": float(scores["alice"]),
                                                   "lms-bob": 0.0}  # fmt: skip
    bob_posts = [p for p in lti.platform.score_posts(made[0]["id"]) if p["userId"] == "lms-bob"]
    assert bob_posts[0]["comment"] == "Работа не сдана"


def test_the_cli_registers_a_platform_shows_the_urls_and_pushes(lti, cli):
    submit(lti, "lms-alice", "hw01", HONEST)
    grade_queue(ServeCourse(lti.root, lti.url, {}, lti.root / "serve"))
    refused = cli(lti.root, "lti", "push", "hw01")
    assert refused.returncode == 1 and "hw01 is not published" in refused.stderr
    published = cli(lti.root, "publish", "hw01", "--force", "--push")
    assert published.returncode == 0, published.stderr
    assert "1 sent, 0 unchanged, 1 skipped (no LMS user), 0 failed" in published.stdout
    assert lti.platform.results(hw01_item(lti)) == {"lms-alice": 1.75}
    shown = cli(lti.root, "lti", "show", "--url", "https://grader.example.edu")
    assert "Initiate login URL:    https://grader.example.edu/lti/login" in shown.stdout
    assert "Public keyset URL:     https://grader.example.edu/lti/jwks" in shown.stdout

    other = lti.root / "moodle" / "lti.json"
    made = cli(lti.root, "lti", "init", "--issuer", "https://moodle.example.edu",
               "--client-id", "Xy12", "--deployment-id", "3", "--lti-config", str(other))  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (other.parent / "private.key").stat().st_mode & 0o777 == 0o600
    listed = cli(lti.root, "lti", "show", "--url", "https://g", "--lti-config", str(other))
    assert "platform https://moodle.example.edu  client Xy12  deployments 3" in listed.stdout
    import json

    entry = json.loads(other.read_text())["https://moodle.example.edu"][0]
    assert entry["key_set_url"] == "https://moodle.example.edu/mod/lti/certs.php"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("{", "not a readable JSON file"),
        ('{"https://m.example": {"client_id": "x"}}', "missing deployment_ids"),
        ('{"moodle": {"client_id": "x"}}', "the issuer is the platform's URL"),
    ],
)
def test_a_broken_platforms_file_is_a_clear_error_at_start(lti, text, error):
    from autograder.serve.app import ServeSettings, create_app

    publish(lti.gradebook(), load_course(lti.root), "hw01", by="prof", force=True)
    lti.config.write_text(text)
    with pytest.raises(ServeError, match=error):
        create_app(ServeSettings(lti.root, lti.url, lti.root / "serve"))
    with pytest.raises(ServeError, match=error):
        push(lti, "hw01")


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (["--ssl-certfile", "cert.pem"], "--ssl-certfile and --ssl-keyfile go together"),
        (["--ssl-certfile", "cert.pem", "--ssl-keyfile", "key.pem"], "cert.pem: no such file"),
    ],
)
def test_serve_refuses_half_or_missing_tls_files_in_one_line(tmp_path, cli, options, error):
    from serve.conftest import make_course

    root = make_course(tmp_path / "course")
    done = cli(root, "serve", "--port", "1", *options)
    assert done.returncode == 1 and error in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_instructor_pushes_from_the_staff_overview_and_the_push_is_audited(lti):
    from autograder.serve.staff import actions

    submit(lti, "lms-alice", "hw01", HONEST)
    grade_and_publish(lti, "hw01")
    tokens = add_course_staff(lti.gradebook())
    with httpx.Client(base_url=lti.tool) as client:
        staff_login_page(client, tokens["ta1"])
        assert 'id="lti-push-hw01"' not in client.get("/staff").text
        refused = client.post("/staff/homeworks/hw01/lti-push", data={"csrf": staff_csrf(client)})
        assert refused.status_code == 403
        staff_login_page(client, tokens["prof"])
        assert 'id="lti-push-hw01"' in client.get("/staff").text
        assert 'id="lti-push-hw02"' not in client.get("/staff").text  # not published
        stale = client.post("/staff/homeworks/hw01/lti-push", data={"csrf": "forged"})
        assert stale.status_code == 403 and lti.platform.score_posts(hw01_item(lti)) == []
        done = client.post("/staff/homeworks/hw01/lti-push", data={"csrf": staff_csrf(client)})
        assert done.status_code == 200
        assert "отправлено 1, без изменений 0, пропущено 1" in done.text
        early = client.post("/staff/homeworks/hw02/lti-push", data={"csrf": staff_csrf(client)})
        assert early.status_code == 409 and "hw02 is not published" in early.text
    assert lti.platform.results(hw01_item(lti)) == {"lms-alice": 1.75}
    [pushed] = [a for a in actions(lti.gradebook()) if a.action == "lti_push"]
    assert (pushed.staff_id, pushed.target) == ("prof", "hw01")
    assert pushed.after == "sent 1, unchanged 0, skipped 1, failed 0"


def test_launch_replay_and_push_on_a_postgresql_gradebook(tmp_path, postgres_server):
    """The launch data, the one-time nonces and the scores sent, on the real PostgreSQL."""
    for lti in start_lti(tmp_path, "sourcedid", url=postgres_server.new_database()):
        with httpx.Client() as client:
            form = auth_form(client, lti, "lms-alice", "rl-hw01")
            assert post_launch(client, form).status_code == 200
            assert post_launch(client, form).status_code == 403  # replayed
        submit(lti, "lms-bob", "hw01", HONEST)
        grade_and_publish(lti, "hw01")
        first, _ = push(lti, "hw01")
        again, _ = push(lti, "hw01")
        assert (first.sent, again.unchanged) == (2, 2)
        assert lti.platform.results(hw01_item(lti)) == {"lms-alice": 0.0, "lms-bob": 1.75}


def test_a_course_of_a_platform_no_longer_registered_is_a_failure_by_name(lti):
    from autograder.serve.lti.config import Platform, init_platform

    submit(lti, "lms-alice", "hw01", HONEST)
    grade_and_publish(lti, "hw01")
    lti.config.unlink()  # the instructor re-registers another platform only
    init_platform(lti.config, Platform("https://other.example", "c", ("1",),
                  "https://other.example/a", "https://other.example/t", "https://other.example/k"))  # fmt: skip
    report, _ = push(lti, "hw01")
    assert report.sent == 0 and "the platform is no longer in" in report.failed[0]
