"""The course's staff in `autograder serve`: TAs and instructors, their login tokens and
browser sessions (kept apart from the students': a student's token or session never names a
staff member), the role every staff page checks on the server, and the audit trail.

`autograder staff add ID --role ta|instructor` or `autograder staff import FILE.csv`
(`staff_id,name,email,role`, all-or-nothing) adds them; `autograder staff tokens` issues
tokens as `autograder tokens issue` does for students: only the SHA-256 is stored, and a new
token revokes the old one (and every session opened with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from autograder.course.student_ids import StudentIdError, check_student_id
from autograder.errors import ServeError
from autograder.gradebook.database import (
    Gradebook,
    StaffAction,
    StaffMember,
    StaffSession,
    StaffToken,
    now,
)
from autograder.serve.roster import (
    IssuedToken,
    end_session,
    live_session,
    live_token,
    open_session,
    read_csv_rows,
    reissue,
)

TA, INSTRUCTOR = "ta", "instructor"
ROLES = (TA, INSTRUCTOR)
HEADER = ["staff_id", "name", "email", "role"]


@dataclass(frozen=True)
class StaffRow:
    staff_id: str
    name: str
    email: str | None
    role: str


@dataclass(frozen=True)
class Staff:
    """Who is asking on a staff page, as the server knows it."""

    staff_id: str
    name: str
    role: str

    @property
    def instructor(self) -> bool:
        return self.role == INSTRUCTOR


def staff_row(staff_id: str, name: str, email: str | None, role: str) -> StaffRow:
    """A checked row: an id of the course's id alphabet, a name, an email, a known role."""
    try:
        sid = check_student_id(staff_id or "")
    except StudentIdError as exc:
        raise ValueError(str(exc).replace("student", "staff")) from None
    name = (name or "").strip()
    if not name:
        raise ValueError(f"staff member {sid!r} has no name")
    email = (email or "").strip() or None
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise ValueError(f"staff member {sid!r}: {email!r} is not an email address")
    role = (role or "").strip().lower()
    if role not in ROLES:
        raise ValueError(f"staff member {sid!r}: role {role!r} is not one of {', '.join(ROLES)}")
    return StaffRow(sid, name[:256], email, role)


def read_staff_csv(path: Path) -> list[StaffRow]:
    """Rows of a `staff_id,name,email,role` CSV; every bad row is named in one ImportRejected."""
    return read_csv_rows(path, "staff list", _columns, lambda row: row.staff_id, "staff member")


def _columns(header: list[str], path: Path):
    if not {"staff_id", "name", "role"} <= set(header):
        raise ServeError(
            f"staff list {path}: header {','.join(header) or '(empty)'} is not {','.join(HEADER)}"
        )
    return lambda raw: staff_row(raw.get("staff_id"), raw.get("name"), raw.get("email"),
                                 raw.get("role"))  # fmt: skip


def add_staff(gradebook: Gradebook, rows: list[StaffRow]) -> tuple[int, int]:
    """Add or update staff members (a changed role takes effect on their next request);
    returns (added, updated)."""
    added = updated = 0
    with gradebook.transaction() as session:
        for row in rows:
            member = session.get(StaffMember, row.staff_id)
            if member is None:
                session.add(
                    StaffMember(id=row.staff_id, name=row.name, email=row.email, role=row.role)
                )
                added += 1
            else:
                member.name, member.email, member.role = row.name, row.email, row.role
                updated += 1
    return added, updated


def list_staff(gradebook: Gradebook) -> list[StaffRow]:
    with gradebook.transaction() as session:
        return [
            StaffRow(m.id, m.name, m.email, m.role)
            for m in session.scalars(select(StaffMember).order_by(StaffMember.id))
        ]


def issue_staff_tokens(
    gradebook: Gradebook, staff_ids: list[str] | None = None
) -> list[IssuedToken]:
    """A new token for every staff member (or those named); old tokens stop working."""
    issued = []
    with gradebook.transaction() as session:
        members = list(session.scalars(select(StaffMember).order_by(StaffMember.id)))
        if staff_ids is not None:
            unknown = set(staff_ids) - {m.id for m in members}
            if unknown:
                raise ServeError(f"not on the staff list: {', '.join(sorted(unknown))}")
            members = [m for m in members if m.id in set(staff_ids)]
        if not members:
            raise ServeError("no staff: run `autograder staff add ID --role ta|instructor` first")
        at = now()
        for member in members:
            token = reissue(session, StaffToken, "staff_id", member.id, at)
            issued.append(IssuedToken(member.id, member.name, member.email, token))
    return issued


def staff_login(gradebook: Gradebook, token: str) -> str | None:
    """A new session id for the staff member whose live token this is."""
    found = live_token(gradebook, StaffToken, "staff_id", token)
    if found is None:
        return None
    return open_session(gradebook, *found, model=StaffSession)


def session_staff(gradebook: Gradebook, sid: str | None) -> Staff | None:
    """The staff member of a live staff session, with the role the server has now."""
    staff_id = live_session(gradebook, StaffSession, StaffToken, "staff_id", sid)
    if staff_id is None:
        return None
    with gradebook.transaction() as session:
        member = session.get(StaffMember, staff_id)
        return Staff(member.id, member.name, member.role) if member is not None else None


def staff_logout(gradebook: Gradebook, sid: str | None) -> None:
    end_session(gradebook, sid, model=StaffSession)


def record_action(
    session: Session, staff: Staff, action: str, target: str, before: str, after: str
) -> None:
    """One line of the audit trail, in the transaction of the change it describes."""
    session.add(
        StaffAction(
            staff_id=staff.staff_id, action=action, target=target[:256], before=before, after=after
        )
    )


def actions(gradebook: Gradebook) -> list[StaffAction]:
    """The audit trail, oldest first."""
    with gradebook.transaction() as session:
        rows = list(session.scalars(select(StaffAction).order_by(StaffAction.id)))
        session.expunge_all()
        return rows
