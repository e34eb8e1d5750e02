"""Schema migrations: a new gradebook is created at the newest revision, an older one is
refused until `autograder gradebook upgrade`, and upgrading a gradebook written by the
code before migrations loses nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from autograder.errors import GradebookError
from autograder.gradebook import schema
from autograder.gradebook.database import Base, Gradebook, Submission

FIXTURES = Path(__file__).parent / "fixtures"
OLD = FIXTURES / "gradebook-0001.sqlite"  # made by fixtures/make_base_gradebook.py


def _tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


@pytest.fixture
def old_gradebook(course_root: Path) -> Path:
    target = course_root / "gradebook.db"
    shutil.copy(OLD, target)
    return target


def test_a_new_gradebook_is_created_at_the_newest_revision(any_gradebook_url):
    book = Gradebook(any_gradebook_url)
    with book.engine.connect() as conn:
        assert schema.current(conn) == schema.head()
        # the migrations build exactly the schema the models describe
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    book.close()


def test_every_command_refuses_an_older_gradebook_with_one_line(old_gradebook, course_root, cli):
    before = old_gradebook.read_bytes()
    with pytest.raises(GradebookError, match="autograder gradebook upgrade"):
        Gradebook(f"sqlite:///{old_gradebook}")
    for args in (["gradebook"], ["score", "set", "ivanov", "hw01", "3", "--reason", "x"]):
        done = cli(course_root, *args, gradebook=old_gradebook)
        assert done.returncode == 1
        [line] = done.stderr.strip().splitlines()
        assert "older schema" in line and "autograder gradebook upgrade" in line
    assert old_gradebook.read_bytes() == before


def test_upgrading_the_old_gradebook_loses_nothing(old_gradebook, course_root, cli):
    before = _tables(old_gradebook)
    done = cli(course_root, "gradebook", "upgrade", gradebook=old_gradebook)
    assert done.returncode == 0, done.stderr
    assert f"unversioned -> {schema.head()}" in done.stdout
    after = _tables(old_gradebook)
    assert after.pop("alembic_version") == [(schema.head(),)]
    # the one file the old code recorded twice (a --regrade) is one row now: the one the
    # score points to; everything else is as it was, row for row
    ivanov = {r[0] for r in before["submissions"] if r[1] == "ivanov"}
    counted = {r[7] for r in before["component_scores"] if r[:2] == ("ivanov", "hw01")}
    assert len(ivanov) == 2 and len(counted) == 1
    dropped = ivanov - counted
    # rows as they were, with the columns later revisions add (time_source, 0003) empty
    assert after["submissions"] == [
        (*r, None) for r in before["submissions"] if r[0] not in dropped
    ]
    assert after["question_scores"] == [r for r in before["question_scores"] if r[1] not in dropped]
    for table in ("students", "component_scores", "score_changes"):
        assert after[table] == before[table], table
    shown = cli(course_root, "gradebook", "--csv", "-", gradebook=old_gradebook)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (FIXTURES / "gradebook-0001.csv").read_text(encoding="utf-8")


def test_upgrade_twice_is_a_no_op_and_the_upgraded_book_records(old_gradebook, course_root, cli):
    assert cli(course_root, "gradebook", "upgrade", gradebook=old_gradebook).returncode == 0
    again = cli(course_root, "gradebook", "upgrade", gradebook=old_gradebook)
    assert again.returncode == 0 and "current" in again.stdout
    book = Gradebook(f"sqlite:///{old_gradebook}")
    with book.transaction() as session:
        assert session.query(Submission).count() == 5  # six recorded, one twice
    book.close()


def test_a_gradebook_from_a_newer_autograder_is_refused(course_root):
    db = course_root / "gradebook.db"
    Gradebook(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(GradebookError, match="newer autograder"):
        Gradebook(f"sqlite:///{db}")
    with pytest.raises(GradebookError, match="newer autograder"):
        Gradebook(f"sqlite:///{db}", upgrade=True)


def test_a_gradebook_from_before_the_code_column_gains_it_on_upgrade(course_root):
    db = course_root / "gradebook.db"
    Gradebook(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:  # as the first gradebooks were: no code, no revision
        conn.execute("ALTER TABLE submissions DROP COLUMN code_text")
        conn.execute("DROP TABLE alembic_version")
        conn.execute("DROP INDEX uq_submissions_graded_once")
    with pytest.raises(GradebookError, match="older schema"):
        Gradebook(f"sqlite:///{db}")
    Gradebook(f"sqlite:///{db}", upgrade=True).close()
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(submissions)")}
    assert "code_text" in columns
    Gradebook(f"sqlite:///{db}").close()  # current now
