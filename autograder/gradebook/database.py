"""The gradebook: students, submissions, per-question and per-component scores, exam
scores and manual overrides, in any SQLAlchemy database (an SQLite file by default).

Every write runs in one transaction (`Gradebook.transaction()`): an error anywhere in a
command leaves the gradebook as it was. On SQLite each write transaction takes the write
lock up front (BEGIN IMMEDIATE), so concurrent writers queue instead of failing midway.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from autograder.errors import GradebookError
from autograder.gradebook import schema

DEFAULT_NAME = "gradebook.db"
ENV_VAR = "AUTOGRADER_GRADEBOOK"
BUSY_TIMEOUT_S = 60


class ExactPoints(TypeDecorator):
    """Decimal points stored as text: exact in every database, SQLite included."""

    impl = String(24)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


class UTCTime(TypeDecorator):
    """Timezone-aware datetimes, stored as UTC (SQLite keeps no zone of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Student(Base):
    __tablename__ = "students"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCTime, default=now)


class Submission(Base):
    """One graded (or failed) notebook. `received_at` is recorded by the grader itself;
    `submitted_at` is the time the late policy uses (LMS metadata or the file's time)."""

    __tablename__ = "submissions"
    # exactly-once recording: one file graded by one bundle is one row, however many times
    # a retried task, a second coordinator or a resumed run delivers its result
    __table_args__ = (
        Index(
            "uq_submissions_graded_once",
            "student_id",
            "component_id",
            "content_sha256",
            "bundle_version",
            unique=True,
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    component_id: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str] = mapped_column(Text)  # where the file came from
    content_sha256: Mapped[str] = mapped_column(String(64))
    bundle_version: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCTime)
    # how submitted_at was learned: zip (entry time), file (modification time), server
    # (autograder serve's receipt), client
    # (nbgrader's timestamp.txt, the student's own clock); NULL in gradebooks from before
    time_source: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    status: Mapped[str] = mapped_column(String(32))  # ok / timeout / memory / bad-notebook ...
    raw_points: Mapped[Decimal] = mapped_column(ExactPoints)
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    late_penalty: Mapped[Decimal] = mapped_column(ExactPoints)
    points: Mapped[Decimal] = mapped_column(ExactPoints)  # after the late policy
    results_json: Mapped[str | None] = mapped_column(Text)
    # the code cells as graded (outputs dropped), for `autograder report`'s similarity list;
    # NULL when the file did not parse as a notebook
    code_text: Mapped[str | None] = mapped_column(Text)
    questions: Mapped[list[QuestionScore]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class QuestionScore(Base):
    __tablename__ = "question_scores"
    __table_args__ = (UniqueConstraint("submission_id", "question"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    question: Mapped[str] = mapped_column(String(64))
    points: Mapped[Decimal] = mapped_column(ExactPoints)
    max_points: Mapped[Decimal] = mapped_column(ExactPoints)
    submission: Mapped[Submission] = relationship(back_populates="questions")


class ComponentScore(Base):
    """What counts for one student and component: the recorded score (from grading or an
    exam import) and, above it, a manual override if a TA set one."""

    __tablename__ = "component_scores"
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), primary_key=True)
    component_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    recorded_points: Mapped[Decimal | None] = mapped_column(ExactPoints)
    recorded_from: Mapped[str | None] = mapped_column(String(32))  # grading / exam-import
    raw_points: Mapped[Decimal | None] = mapped_column(ExactPoints)  # before the late policy
    late_penalty: Mapped[Decimal | None] = mapped_column(ExactPoints)
    late_note: Mapped[str | None] = mapped_column(Text)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    override_points: Mapped[Decimal | None] = mapped_column(ExactPoints)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[str | None] = mapped_column(String(128))
    override_at: Mapped[datetime | None] = mapped_column(UTCTime)
    updated_at: Mapped[datetime] = mapped_column(UTCTime, default=now, onupdate=now)

    @property
    def points(self) -> Decimal | None:
        """The score that counts: the override when there is one."""
        return self.override_points if self.override_points is not None else self.recorded_points


class ScoreChange(Base):
    """Audit trail: every manual change and import, with who, when and why."""

    __tablename__ = "score_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[str] = mapped_column(String(128), index=True)
    component_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))  # override / override-cleared / exam-import
    old_points: Mapped[Decimal | None] = mapped_column(ExactPoints)
    new_points: Mapped[Decimal | None] = mapped_column(ExactPoints)
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCTime, default=now)


# ---- students submitting through `autograder serve` (schema 0004) ----


class RosterEntry(Base):
    """A student on the course roster (`autograder roster import`)."""

    __tablename__ = "roster"
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    email: Mapped[str | None] = mapped_column(String(256))
    imported_at: Mapped[datetime] = mapped_column(UTCTime, default=now)


class LoginToken(Base):
    """A student's login token: only its SHA-256 is kept. Reissuing revokes the old one."""

    __tablename__ = "login_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCTime)


class WebSession(Base):
    """A browser session of `autograder serve` (schema 0005): the cookie carries a random
    id, the server keeps its SHA-256. Logout ends it here, so a cookie copied before is
    dead everywhere; reissuing the login token ends it too (its token is revoked)."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    # None: opened by an LTI launch from the course's LMS (schema 0007), not by a token
    token_id: Mapped[int | None] = mapped_column(ForeignKey("login_tokens.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCTime)


class Receipt(Base):
    """One uploaded notebook, with the server's time. Append-only: never updated or
    deleted; the same content again from the same student is the same receipt."""

    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint(
            "student_id", "component_id", "content_sha256", name="uq_receipts_content"
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # random, shown in URLs
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    component_id: Mapped[str] = mapped_column(String(32), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(64))  # generated; never the client's
    size_bytes: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCTime)
    late: Mapped[bool] = mapped_column(Boolean)
    attempt: Mapped[int] = mapped_column(Integer)  # 1-based, per student and homework


class _Job:
    """A durable queue entry, one per receipt: queued -> running -> done, or back to
    queued (a grader failure or a server that died), or error after the retries."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCTime)
    error: Mapped[str | None] = mapped_column(Text)  # for staff; never shown to students
    results_path: Mapped[str | None] = mapped_column(Text)  # the results this phase wrote


class GradingJob(_Job, Base):
    """The public phase of a receipt: the notebook and its public tests, all a student
    sees before publishing (its status is the receipt's state on the pages)."""

    __tablename__ = "grading_jobs"


class HiddenJob(_Job, Base):
    """The hidden phase (schema 0005): the full grading, recorded in the gradebook;
    queued when the public phase is done and never shown to students before publishing."""

    __tablename__ = "hidden_jobs"


class Publication(Base):
    """A homework whose full results students may see (`autograder publish`)."""

    __tablename__ = "publications"
    component_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    published_by: Mapped[str] = mapped_column(String(128))
    forced: Mapped[bool] = mapped_column(Boolean, default=False)  # before the deadline


# ---- the course's staff in `autograder serve` (schema 0006) ----


class StaffMember(Base):
    """A TA or an instructor (`autograder staff add`): who may use the staff pages."""

    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    email: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))  # "ta" or "instructor"
    added_at: Mapped[datetime] = mapped_column(UTCTime, default=now)


class StaffToken(Base):
    """A staff member's login token: only its SHA-256 is kept. Reissuing revokes the old one."""

    __tablename__ = "staff_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCTime)


class StaffSession(Base):
    """A staff browser session, kept as students' are (`WebSession`) but apart from them: a
    student's session never names a staff member."""

    __tablename__ = "staff_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("staff_tokens.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCTime)


class StaffAction(Base):
    """The audit trail of the staff pages: who did what, when, and the state before and
    after. Append-only."""

    __tablename__ = "staff_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    staff_id: Mapped[str] = mapped_column(String(128), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(256))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)


class RegradeRequest(Base):
    """A student's request to look again at one question of a graded, published receipt;
    staff answer it in text and may set a manual score with the answer as the reason."""

    __tablename__ = "regrade_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), index=True)
    student_id: Mapped[str] = mapped_column(String(128), index=True)
    component_id: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCTime, default=now)
    status: Mapped[str] = mapped_column(String(16), index=True)  # "open" or "answered"
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(128))
    answered_at: Mapped[datetime | None] = mapped_column(UTCTime)
    new_points: Mapped[Decimal | None] = mapped_column(ExactPoints)  # a score set with it


# ---- the course's LMS over LTI 1.3 (schema 0007) ----


class LtiLaunchValue(Base):
    """What pylti1p3 keeps between the OIDC login and the launch (a nonce, a state's
    parameters, a launch's claims), shared by every server process; a nonce is deleted
    when a launch uses it, so a replayed id_token finds none."""

    __tablename__ = "lti_launch_values"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    expires_at: Mapped[datetime] = mapped_column(UTCTime, index=True)


class LtiUser(Base):
    """An LMS user (issuer, client, `sub`) who launched, and the roster student they are."""

    __tablename__ = "lti_users"
    __table_args__ = (UniqueConstraint("issuer", "client_id", "sub", name="uq_lti_users"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    last_launch_at: Mapped[datetime] = mapped_column(UTCTime, default=now)


class LtiContext(Base):
    """A course of the LMS that launched us, with its Assignment and Grade Services
    endpoint (from its newest launch): where `autograder lti push` sends scores."""

    __tablename__ = "lti_contexts"
    __table_args__ = (
        UniqueConstraint("issuer", "client_id", "context_id", name="uq_lti_contexts"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(512), default="")
    lineitems_url: Mapped[str | None] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text, default="")  # space-separated AGS scopes
    updated_at: Mapped[datetime] = mapped_column(UTCTime, default=now)


class LtiMember(Base):
    """An LMS user launched from a context: their score goes to that context's line item."""

    __tablename__ = "lti_members"
    context_row: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id"), primary_key=True)
    user_row: Mapped[int] = mapped_column(ForeignKey("lti_users.id"), primary_key=True)


class LtiResourceLink(Base):
    """An activity of the LMS course that launches one homework (its custom parameter
    `homework`), and the line item the LMS made for it, if any."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (
        UniqueConstraint("context_row", "resource_link_id", name="uq_lti_resource_links"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    context_row: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id"), index=True)
    resource_link_id: Mapped[str] = mapped_column(String(255))
    component_id: Mapped[str | None] = mapped_column(String(32))
    lineitem_url: Mapped[str | None] = mapped_column(Text)


class LtiScore(Base):
    """The last score sent to one line item for one LMS user: AGS wants every later score's
    timestamp strictly greater, and an unchanged score need not be sent again."""

    __tablename__ = "lti_scores"
    __table_args__ = (UniqueConstraint("lineitem_url", "user_row", name="uq_lti_scores"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lineitem_url: Mapped[str] = mapped_column(String(1024))
    user_row: Mapped[int] = mapped_column(ForeignKey("lti_users.id"), index=True)
    points: Mapped[Decimal] = mapped_column(ExactPoints)
    sent_at: Mapped[datetime] = mapped_column(UTCTime)  # the score's AGS timestamp


def resolve_url(location: str | None, course_root: Path) -> str:
    """--gradebook / $AUTOGRADER_GRADEBOOK / course_root/gradebook.db, as an SQLAlchemy URL."""
    location = location or os.environ.get(ENV_VAR) or str(course_root / DEFAULT_NAME)
    for bare in ("postgresql://", "postgres://"):
        if location.startswith(bare):  # the driver the [postgres] extra installs
            return "postgresql+psycopg://" + location.removeprefix(bare)
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def _serialize_sqlite_writes(engine: Engine) -> None:
    # pysqlite's own transaction handling begins lazily and upgrades read locks to write
    # locks midway, which fails under concurrency; take the lock at BEGIN instead.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _lock_schema(conn) -> None:
    # two commands opening a new PostgreSQL gradebook at once must not both create it
    # (SQLite's BEGIN IMMEDIATE already serializes them)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(2026120120)")


class Gradebook:
    """A handle on one gradebook database: creates the schema in an empty one, refuses one
    whose schema is older or newer than this code's (see autograder.gradebook.schema)."""

    def __init__(self, url: str, *, upgrade: bool = False):
        self.url = url
        try:
            self.engine = create_engine(url)
        except (ArgumentError, ImportError, ValueError) as exc:
            raise GradebookError(f"gradebook URL {url!r} is not usable: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            db_path = self.engine.url.database
            if db_path and db_path != ":memory:" and not Path(db_path).parent.is_dir():
                raise GradebookError(f"gradebook folder {Path(db_path).parent} does not exist")
            _serialize_sqlite_writes(self.engine)
        self.upgraded: schema.Upgrade | None = None
        try:
            with self.engine.begin() as conn:
                _lock_schema(conn)
                where = self.engine.url.render_as_string()
                if upgrade:
                    self.upgraded = schema.upgrade(conn, where)
                else:
                    schema.ensure_current(conn, where)
        except SQLAlchemyError as exc:
            raise GradebookError(
                f"cannot open gradebook {url}: {exc.__class__.__name__}: {exc}"
            ) from None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose writes all land together or not at all."""
        session = Session(self.engine, expire_on_commit=False)
        try:
            with session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise GradebookError(f"gradebook write failed, nothing changed: {exc}") from None
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _insert_unless_there(session: Session, row: Base) -> None:
    # on PostgreSQL two transactions may both see no row and both insert it; the loser's
    # insert fails the key, its savepoint rolls back, and the winner's row is read instead
    # (SQLite's write lock already lets only one of them look at a time)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        pass


def ensure_student(session: Session, student_id: str) -> Student:
    student = session.get(Student, student_id)
    if student is None:
        _insert_unless_there(session, Student(id=student_id))
        student = session.get(Student, student_id)
    return student


def component_score(session: Session, student_id: str, component_id: str) -> ComponentScore:
    """The row for (student, component), created empty if needed."""
    ensure_student(session, student_id)
    key = (student_id, component_id)
    row = session.get(ComponentScore, key)
    if row is None:
        _insert_unless_there(
            session, ComponentScore(student_id=student_id, component_id=component_id)
        )
        row = session.get(ComponentScore, key)
    return row


def all_scores(session: Session) -> dict[str, dict[str, ComponentScore]]:
    """student id -> component id -> score row, for every student in the gradebook."""
    table: dict[str, dict[str, ComponentScore]] = {
        sid: {} for sid in session.scalars(select(Student.id).order_by(Student.id))
    }
    for row in session.scalars(select(ComponentScore)):
        table.setdefault(row.student_id, {})[row.component_id] = row
    return table
