"""The course roster and the students' login tokens.

`import_roster` reads a Moodle participants export (English or Russian headers) or a plain
`student_id,name,email` CSV, all-or-nothing. `issue_tokens` gives every rostered student a
fresh random token; only its SHA-256 is stored, and the new token revokes the old one.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from autograder.course.student_ids import StudentIdError, check_student_id
from autograder.errors import ImportRejected, ServeError
from autograder.gradebook.database import (
    Gradebook,
    LoginToken,
    RosterEntry,
    WebSession,
    ensure_student,
    now,
)

MAX_ROSTER_BYTES = 5 * 2**20
TOKEN_BYTES = 20  # 160 bits as 40 hex digits: no '-' to be taken for an option by a CLI
# Moodle's participants export, in its English and Russian interfaces
MOODLE_ID = ("ID number", "Идентификационный номер")
MOODLE_FIRST = ("First name", "Имя")
MOODLE_LAST = ("Last name", "Surname", "Фамилия")
MOODLE_EMAIL = ("Email address", "Адрес электронной почты")


@dataclass(frozen=True)
class RosterRow:
    student_id: str
    name: str
    email: str | None


@dataclass(frozen=True)
class IssuedToken:
    student_id: str
    name: str
    email: str | None
    token: str


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_match(token: str, stored_sha256: str) -> bool:
    """Constant-time comparison of a presented token with a stored hash."""
    return hmac.compare_digest(hash_token(token), stored_sha256)


def read_roster(path: Path) -> list[RosterRow]:
    """Rows of a roster CSV; every bad row is named in one ImportRejected."""
    return read_csv_rows(path, "roster", _columns, lambda row: row.student_id, "student")


def read_csv_rows(path: Path, what: str, columns, key, noun: str) -> list:
    """The checked rows of a small UTF-8 CSV (`,` or `;`), all or nothing: `columns(header,
    path)` gives the function that turns a raw row into a checked one (ValueError for a bad
    row), `key` a row's id, which must not repeat; every bad row is named in one
    ImportRejected."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ServeError(f"{what} {path}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_ROSTER_BYTES:
        raise ServeError(f"{what} {path}: larger than {MAX_ROSTER_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServeError(f"{what} {path}: not UTF-8 text (export the CSV as UTF-8)") from None
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    pick = columns(header, path)
    rows, problems, seen = [], [], set()
    for number, raw in enumerate(reader, start=2):
        try:
            row = pick(raw)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if key(row) in seen:
            problems.append(f"line {number}: {noun} {key(row)!r} appears twice")
        seen.add(key(row))
        rows.append(row)
    if problems:
        raise ImportRejected(
            f"{what} {path}: {len(problems)} bad row(s), nothing imported", problems
        )
    if not rows:
        raise ServeError(f"{what} {path}: no {noun}s in it")
    return rows


def _columns(header: list[str], path: Path):
    def first(names: tuple[str, ...]) -> str | None:
        return next((n for n in names if n in header), None)

    if {"student_id", "name"} <= set(header):
        return lambda raw: _row(raw.get("student_id"), raw.get("name"), raw.get("email"))
    id_col, first_col, last_col = first(MOODLE_ID), first(MOODLE_FIRST), first(MOODLE_LAST)
    email_col = first(MOODLE_EMAIL)
    if id_col and first_col and last_col:
        return lambda raw: _row(
            raw.get(id_col),
            f"{(raw.get(last_col) or '').strip()} {(raw.get(first_col) or '').strip()}",
            raw.get(email_col) if email_col else None,
        )
    raise ServeError(
        f"roster {path}: header {','.join(header) or '(empty)'} is neither student_id,name,email "
        "nor a Moodle participants export (ID number, First name, Last name, Email address)"
    )


def _row(student_id: str | None, name: str | None, email: str | None) -> RosterRow:
    try:
        sid = check_student_id(student_id or "")
    except StudentIdError as exc:
        raise ValueError(str(exc)) from None
    name = (name or "").strip()
    if not name:
        raise ValueError(f"student {sid!r} has no name")
    email = (email or "").strip() or None
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise ValueError(f"student {sid!r}: {email!r} is not an email address")
    return RosterRow(sid, name[:256], email)


def import_roster(gradebook: Gradebook, rows: list[RosterRow]) -> tuple[int, int]:
    """Add or update the roster; returns (added, updated). Nobody is removed."""
    added = updated = 0
    with gradebook.transaction() as session:
        for row in rows:
            student = ensure_student(session, row.student_id)
            student.name = row.name
            entry = session.get(RosterEntry, row.student_id)
            if entry is None:
                session.add(RosterEntry(student_id=row.student_id, name=row.name, email=row.email))
                added += 1
            else:
                entry.name, entry.email = row.name, row.email
                updated += 1
    return added, updated


def issue_tokens(gradebook: Gradebook, student_ids: list[str] | None = None) -> list[IssuedToken]:
    """A new token for every rostered student (or those named); old tokens stop working."""
    issued = []
    with gradebook.transaction() as session:
        entries = list(session.scalars(select(RosterEntry).order_by(RosterEntry.student_id)))
        if student_ids is not None:
            wanted = set(student_ids)
            unknown = wanted - {e.student_id for e in entries}
            if unknown:
                raise ServeError(f"not on the roster: {', '.join(sorted(unknown))}")
            entries = [e for e in entries if e.student_id in wanted]
        if not entries:
            raise ServeError("the roster is empty: run `autograder roster import FILE.csv` first")
        at = now()
        for entry in entries:
            token = reissue(session, LoginToken, "student_id", entry.student_id, at)
            issued.append(IssuedToken(entry.student_id, entry.name, entry.email, token))
    return issued


def reissue(session, model, owner: str, owner_id: str, at) -> str:
    """A new token of `model` (students' or staff's) for one owner; their live ones revoked."""
    session.execute(
        update(model)
        .where(getattr(model, owner) == owner_id, model.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    token = secrets.token_hex(TOKEN_BYTES)
    session.add(model(token_sha256=hash_token(token), **{owner: owner_id}))
    return token


def login_token(gradebook: Gradebook, token: str) -> tuple[str, int] | None:
    """(student, token row id) of a live token."""
    return live_token(gradebook, LoginToken, "student_id", token)


def live_token(gradebook: Gradebook, model, owner: str, token: str) -> tuple[str, int] | None:
    """(owner, token row id) of a live token of `model` (students' or staff's). The lookup is
    by the token's hash (an index probe reveals nothing about the token), then compared in
    constant time."""
    if not token or len(token) > 256:
        return None
    digest = hash_token(token)
    with gradebook.transaction() as session:
        row = session.scalars(
            select(model).where(model.token_sha256 == digest, model.revoked_at.is_(None))
        ).first()
        if row is None or not tokens_match(token, row.token_sha256):
            return None
        return getattr(row, owner), row.id


def student_for_token(gradebook: Gradebook, token: str) -> str | None:
    """The student a live token belongs to."""
    found = login_token(gradebook, token)
    return found[0] if found else None


def open_session(
    gradebook: Gradebook, student_id: str, token_id: int | None, model=WebSession
) -> str:
    """A new browser session for someone who just logged in (a student, or with
    `model=StaffSession` a staff member; `token_id` None: a student launched from the LMS);
    its random id (for the cookie). The server keeps only its hash."""
    sid = secrets.token_urlsafe(32)
    owner = "student_id" if model is WebSession else "staff_id"
    with gradebook.transaction() as session:
        session.add(model(sid_sha256=hash_token(sid), token_id=token_id, **{owner: student_id}))
    return sid


def session_student(gradebook: Gradebook, sid: str | None) -> str | None:
    """The student of a live session: not ended by logout, its login token not reissued."""
    return live_session(gradebook, WebSession, LoginToken, "student_id", sid)


def live_session(gradebook: Gradebook, model, token_model, owner: str, sid: str | None):
    """The owner of a live session of `model`: not ended, its login token not revoked."""
    if not sid or len(sid) > 256:
        return None
    with gradebook.transaction() as session:
        row = session.scalars(
            select(model).where(model.sid_sha256 == hash_token(sid), model.ended_at.is_(None))
        ).first()
        if row is None:
            return None
        if row.token_id is None:  # opened by an LTI launch: lives until logout or expiry
            return getattr(row, owner)
        token = session.get(token_model, row.token_id)
        return getattr(row, owner) if token is not None and token.revoked_at is None else None


def end_session(gradebook: Gradebook, sid: str | None, model=WebSession) -> None:
    """Logout: the session is dead for every copy of its cookie."""
    if not sid:
        return
    with gradebook.transaction() as session:
        for row in session.scalars(
            select(model).where(model.sid_sha256 == hash_token(sid), model.ended_at.is_(None))
        ):
            row.ended_at = now()


def write_tokens_csv(path: Path, issued: list[IssuedToken], id_column: str = "student_id") -> None:
    """student_id,name,email,token for a mail merge (the only copy of the tokens)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([id_column, "name", "email", "token"])
    for item in issued:
        writer.writerow([item.student_id, item.name, item.email or "", item.token])
    path.parent.mkdir(parents=True, exist_ok=True)
    # the tokens are passwords: readable by the instructor only
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
