"""The gradebook's schema revision, kept by Alembic (scripts in migrations/).

A new, empty database is brought to the newest revision when it is first opened. One at
an older revision is refused by every command until `autograder gradebook upgrade` has
run: a schema change is a step a TA takes on purpose (after a backup), never a side
effect of grading. A gradebook made before migrations existed has tables but no revision;
the upgrade adopts it at revision 0001, the schema it was written with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from autograder.errors import GradebookError

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema gradebooks had before migrations existed
OUR_TABLES = {"students", "submissions", "question_scores", "component_scores", "score_changes"}


@dataclass(frozen=True)
class Upgrade:
    before: str | None  # None: an empty database
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The revision this autograder's code expects."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current(conn: Connection) -> str | None:
    """The database's revision; BASELINE-before-adoption is reported as "unversioned"."""
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None and OUR_TABLES & set(inspect(conn).get_table_names()):
        return "unversioned"
    return revision


def ensure_current(conn: Connection, where: str) -> None:
    """Create the schema in an empty database; refuse one at another revision."""
    revision, wanted = current(conn), head()
    if revision == wanted:
        return
    if revision is None:
        command.upgrade(_config(conn), "head")
        return
    _refuse_newer(revision, where)
    raise GradebookError(
        f"gradebook {where} has an older schema ({revision}, this autograder needs {wanted}): "
        "back it up, then run `autograder gradebook upgrade`"
    )


def _refuse_newer(revision: str | None, where: str) -> None:
    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if revision not in (None, "unversioned") and revision not in known:
        raise GradebookError(
            f"gradebook {where} was written by a newer autograder (schema {revision}, "
            f"this one knows up to {head()}): update the autograder"
        )


def upgrade(conn: Connection, where: str) -> Upgrade:
    """Bring the database to the newest revision, in the caller's transaction."""
    before = current(conn)
    _refuse_newer(before, where)
    config = _config(conn)
    if before == "unversioned":
        _adopt(conn)
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
    return Upgrade(before, head())


def _adopt(conn: Connection) -> None:
    # gradebooks older than the code_text column got it added in place on open; one that
    # was never opened by that code lacks it, and the baseline schema has it
    inspector = inspect(conn)
    missing = OUR_TABLES - set(inspector.get_table_names())
    if missing:
        raise GradebookError(
            f"not an autograder gradebook, or a damaged one: tables {', '.join(sorted(missing))} missing"
        )
    columns = {c["name"] for c in inspector.get_columns("submissions")}
    if "code_text" not in columns:
        conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN code_text TEXT")
