"""Scores back to the LMS through LTI Assignment and Grade Services (pylti1p3's client):
for every LMS course that launched us, the homework's line item (the one the LMS made for
the activity, else found or created by tag), then one score per student who launched from
there: the counting score of the gradebook (late penalty and manual scores applied), with
a timestamp strictly later than the last one sent. Only after publishing: the LMS shows
scores to students, and before publishing no score may depend on a hidden test."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException, ToolConfException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from sqlalchemy import select

from autograder.course.config import Course
from autograder.gradebook.database import (
    Gradebook,
    LtiContext,
    LtiMember,
    LtiResourceLink,
    LtiScore,
    LtiUser,
    RosterEntry,
    now,
)
from autograder.gradebook.standings import gradebook_rows
from autograder.serve.lti.adapter import ToolServiceConnector
from autograder.serve.lti.config import LtiError, tool_config
from autograder.serve.publishing import published

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TRANSIENT = {429, 500, 502, 503, 504}
RETRY_DELAYS_S = (1.0, 4.0, 15.0)  # then the score counts as failed; running again resends it
NOT_SUBMITTED = "Работа не сдана"


@dataclass
class PushReport:
    component_id: str
    sent: int = 0
    unchanged: int = 0  # the LMS already holds this score from an earlier push
    skipped: list[str] = field(default_factory=list)  # no LMS user: never launched from it
    failed: list[str] = field(default_factory=list)  # one line each: who or what, and why
    courses: int = 0


def push_scores(
    gradebook: Gradebook,
    course: Course,
    config: Path,
    component_id: str,
    *,
    resend: bool = False,
    delays: Iterable[float] = RETRY_DELAYS_S,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Send one homework's scores to every LMS course that launched it; safe to run again
    (an unchanged score is not resent unless `resend`; the LMS keeps one score per student)."""
    component = course.component(component_id)
    if not published(gradebook, component_id):
        raise LtiError(
            f"{component_id} is not published: the LMS shows scores to students, and before "
            f"publishing they may not depend on hidden tests (`autograder publish {component_id}`)"
        )
    tools = tool_config(config)
    points = {
        row.student_id: row.cells[component_id].points for row in gradebook_rows(gradebook, course)
    }
    retry = _Retry(tuple(delays), sleep)
    report = PushReport(component_id)
    linked: set[str] = set()
    for context, members in _contexts(gradebook):
        report.courses += 1
        linked.update(user.student_id for user in members)
        where = f"{context.title or context.context_id} ({context.issuer})"
        if not context.lineitems_url or SCORE_SCOPE not in context.scopes.split():
            report.failed.append(
                f"{where}: the LMS gave no grade service with the score scope in its launches "
                "(Moodle: 'IMS LTI Assignment and Grade Services' = grade sync and column management)"
            )
            continue
        try:
            registration = tools.find_registration_by_params(context.issuer, context.client_id)
        except (LtiException, ToolConfException):  # the platform was taken out of the file
            registration = None
        if registration is None:
            report.failed.append(f"{where}: the platform is no longer in {config}")
            continue
        service = AssignmentsGradesService(
            ToolServiceConnector(registration),
            {"scope": context.scopes.split(), "lineitems": context.lineitems_url},
        )
        try:
            item = retry(lambda: _line_item(gradebook, service, context, component))  # noqa: B023
        except (LtiException, requests.RequestException) as exc:
            report.failed.append(f"{where}: no line item for {component_id}: {_reason(exc)}")
            continue
        for user in members:
            _send_one(gradebook, service, item, user, points.get(user.student_id),
                      component.max_points, resend, retry, report)  # fmt: skip
    with gradebook.transaction() as session:
        roster = set(session.scalars(select(RosterEntry.student_id)))
    report.skipped = sorted((roster | {s for s, p in points.items() if p is not None}) - linked)
    return report


def _contexts(gradebook: Gradebook) -> list[tuple[LtiContext, list[LtiUser]]]:
    """Every LMS course that launched us, with the users who launched from it."""
    with gradebook.transaction() as session:
        found = []
        for context in session.scalars(select(LtiContext).order_by(LtiContext.id)):
            users = session.scalars(
                select(LtiUser)
                .join(LtiMember, LtiMember.user_row == LtiUser.id)
                .where(LtiMember.context_row == context.id)
                .order_by(LtiUser.student_id)
            ).all()
            found.append((context, list(users)))
        return found


def _line_item(gradebook: Gradebook, service: AssignmentsGradesService, context, component):
    """The activity's own line item (the LMS made it when the activity launches this
    homework with grade sync on), else the one tagged with the homework, made if missing."""
    with gradebook.transaction() as session:
        bound = session.scalars(
            select(LtiResourceLink.lineitem_url).where(
                LtiResourceLink.context_row == context.id,
                LtiResourceLink.component_id == component.id,
                LtiResourceLink.lineitem_url.is_not(None),
            )
        ).first()
    if bound:
        return LineItem({"id": bound, "scoreMaximum": float(component.max_points)})
    wanted = (
        LineItem()
        .set_tag(component.id)
        .set_resource_id(component.id)
        .set_label(component.title)
        .set_score_maximum(float(component.max_points))
    )
    return service.find_or_create_lineitem(wanted, find_by="tag")


def _send_one(gradebook, service, item, user: LtiUser, points: Decimal | None,
              maximum: Decimal, resend: bool, retry, report) -> None:  # fmt: skip
    given = points if points is not None else Decimal(0)
    with gradebook.transaction() as session:
        last = _last_score(session, item.get_id(), user)
        last_points, last_at = (last.points, last.sent_at) if last else (None, None)
    if last_points == given and not resend:
        report.unchanged += 1
        return
    sent_at: list[datetime] = []

    def send():
        at = _after(last_at if not sent_at else sent_at[-1])
        sent_at.append(at)
        grade = (
            Grade()
            .set_score_given(float(given))
            .set_score_maximum(float(maximum))
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_timestamp(at.isoformat(timespec="milliseconds"))
            .set_user_id(user.sub)
        )
        if points is None:
            grade.set_comment(NOT_SUBMITTED)
        return service.put_grade(grade, item)

    try:
        retry(send)
    except (LtiException, requests.RequestException) as exc:
        report.failed.append(f"{user.student_id} ({user.sub}): {_reason(exc)}")
        return
    with gradebook.transaction() as session:
        row = _last_score(session, item.get_id(), user)
        if row is None:
            row = LtiScore(lineitem_url=item.get_id(), user_row=user.id)
            session.add(row)
        row.points, row.sent_at = given, sent_at[-1]
    report.sent += 1


def _last_score(session, lineitem_url: str, user: LtiUser) -> LtiScore | None:
    return session.scalars(
        select(LtiScore).where(LtiScore.lineitem_url == lineitem_url, LtiScore.user_row == user.id)
    ).first()


def _after(last: datetime | None) -> datetime:
    """Now, or a millisecond after the last score sent (AGS: strictly later, and a clock
    that stepped back must not make the LMS drop the score)."""
    at = now()
    at = at.replace(microsecond=at.microsecond // 1000 * 1000)
    if last is not None and at <= last:
        at = last + timedelta(milliseconds=1)
    return at


class _Retry:
    """Transient failures (429, 5xx, a dropped connection) are tried again after each delay."""

    def __init__(self, delays: tuple[float, ...], sleep: Callable[[float], None]):
        self.delays, self.sleep = delays, sleep

    def __call__(self, action):
        for delay in (*self.delays, None):
            try:
                return action()
            except LtiServiceException as exc:
                if delay is None or exc.response.status_code not in TRANSIENT:
                    raise
            except (requests.ConnectionError, requests.Timeout):
                if delay is None:
                    raise
            self.sleep(delay)


def _reason(exc: Exception) -> str:
    if isinstance(exc, LtiServiceException):
        status = exc.response.status_code
        body = (exc.response.text or "").strip().replace("\n", " ")[:200]
        if status == 409:
            return f"HTTP 409: the LMS holds a later score timestamp ({body})"
        return f"HTTP {status} from {exc.response.url}: {body}"
    return f"{type(exc).__name__}: {exc}"
