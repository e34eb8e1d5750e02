"""What a student may see of a result, before and after `autograder publish`.

Before publishing, everything a student sees is a function of the notebook and the public
tests alone: the public phase's results (public.json: the public tests' name, points,
pass/fail, message; the notebook's own errors and what stopped it), never anything of the
hidden phase — its tests, their names, messages, points, status or time, the score or the
total stay in results.json on the server. After publishing: the full feedback.html
(autograder.reports.feedback) of the hidden phase.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from autograder.course.config import Course
from autograder.errors import ServeError
from autograder.gradebook.database import Gradebook, Publication, now
from autograder.grading.results import STATUS_MESSAGES
from autograder.reports.feedback import render_feedback

Payload = dict[str, Any]


@dataclass(frozen=True)
class PublicResult:
    status: str
    status_message: str
    tests: list[dict[str, Any]]  # public tests only
    notebook_errors: list[dict[str, Any]]
    hidden_tests_pending: bool  # there are more tests, shown after publishing
    # likely mistakes named from the public tests' failures alone: question, hints
    diagnoses: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_message": self.status_message,
            "public_tests": self.tests,
            "notebook_errors": self.notebook_errors,
            "hidden_tests_pending": self.hidden_tests_pending,
            "diagnoses": self.diagnoses,
        }


def read_payload(path: Path) -> Payload:
    """A results.json written by the grading processes."""
    return json.loads(path.read_text(encoding="utf-8"))


def public_result(payload: Payload) -> PublicResult:
    """Only what may be shown before publishing; built by picking fields, never by
    removing them, so a field results.json gains later stays hidden until chosen here."""
    extra = payload.get("extra_data") or {}
    status = str(extra.get("status", ""))
    tests = [
        {
            "name": str(t.get("name", "")),
            "status": str(t.get("status", "")),
            "score": t.get("score"),
            "max_score": t.get("max_score"),
            "output": str(t.get("output", "")),
        }
        for t in payload.get("tests", [])
        if t.get("visibility") == "visible"
    ]
    errors = [
        {
            "cell": e.get("cell"),
            "error": str(e.get("error", "")),
            "traceback": str(e.get("traceback", "")),
        }
        for e in extra.get("notebook_errors", [])
    ]
    if "hidden_tests_pending" in extra:  # the public phase's own results (autograder serve)
        hidden = bool(extra["hidden_tests_pending"])
    else:
        hidden = any(t.get("visibility") != "visible" for t in payload.get("tests", []))
    # hints only from a result that holds public tests alone (the public phase's): a full
    # result's diagnoses would tell which hidden tests failed
    only_public = all(t.get("visibility") == "visible" for t in payload.get("tests", []))
    diagnoses = [
        {"question": str(d.get("question", "")), "hints": [str(h) for h in d.get("hints") or []]}
        for d in (extra.get("diagnoses") or [] if only_public else [])
    ]
    return PublicResult(status, STATUS_MESSAGES.get(status, ""), tests, errors, hidden, diagnoses)


def full_feedback(payload: Payload, course: Course) -> str:
    """The full feedback page, for after publishing."""
    component = course.component(str((payload.get("extra_data") or {}).get("assignment", "")))
    return render_feedback(payload, title=component.title)


def published(gradebook: Gradebook, component_id: str) -> bool:
    with gradebook.transaction() as session:
        return session.get(Publication, component_id) is not None


def publish(
    gradebook: Gradebook,
    course: Course,
    component_id: str,
    *,
    by: str,
    force: bool = False,
    audit: Callable[[Session, Publication], None] | None = None,
) -> Publication:
    """Let students see their full results for one homework; refused before its deadline
    (students could still learn the hidden tests and resubmit) unless `force`. `audit`
    records a new publication in the same transaction (the staff pages' trail)."""
    component = course.component(component_id)
    at = now()
    early = component.deadline is not None and at <= component.deadline
    if early and not force:
        raise ServeError(
            f"{component_id}: the deadline {component.deadline.isoformat()} has not passed; "
            "publishing now shows the hidden tests to students who can still resubmit "
            "(use --force to publish anyway)"
        )
    with gradebook.transaction() as session:
        row = session.get(Publication, component_id)
        if row is None:
            row = Publication(
                component_id=component_id, published_at=at, published_by=by, forced=early
            )
            session.add(row)
            if audit is not None:
                audit(session, row)
        return row
