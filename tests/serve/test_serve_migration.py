"""Schema 0004 adds the serve tables to an existing gradebook and keeps its rows."""

from __future__ import annotations

import sqlite3

import pytest

from autograder.errors import GradebookError
from autograder.gradebook import schema
from autograder.gradebook.database import Gradebook

SERVE_TABLES = {"roster", "login_tokens", "receipts", "grading_jobs", "publications"}


def test_a_0003_gradebook_gains_the_serve_tables_on_upgrade(tmp_path):
    db = tmp_path / "gradebook.db"
    Gradebook(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:  # as revision 0003 left it, with a student in it
        for table in SERVE_TABLES:
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
        conn.execute(
            "INSERT INTO students (id, name, created_at) VALUES ('ivanov', 'И', '2026-01-01')"
        )
    with pytest.raises(GradebookError, match="older schema"):
        Gradebook(f"sqlite:///{db}")
    Gradebook(f"sqlite:///{db}", upgrade=True).close()
    with sqlite3.connect(db) as conn:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert conn.execute("SELECT id FROM students").fetchall() == [("ivanov",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            schema.head(),
        )
    assert tables >= SERVE_TABLES
