"""Roster import (Moodle's export and a plain CSV) and login tokens."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import select

from autograder.errors import ImportRejected, ServeError
from autograder.gradebook.database import LoginToken, RosterEntry, resolve_url
from autograder.serve.roster import (
    hash_token,
    import_roster,
    issue_tokens,
    read_roster,
    student_for_token,
    write_tokens_csv,
)

from .conftest import make_course

MOODLE_RU = (
    "Имя,Фамилия,Идентификационный номер,Учреждение,Отдел,Адрес электронной почты\n"
    "Алиса,Иванова,st1001,Университет,ФКН,alice@example.edu\n"
    "Борис,Петров,st1002,Университет,ФКН,boris@example.edu\n"
)
MOODLE_EN = "First name;Last name;ID number;Email address\nCarol;King;st2001;carol@example.edu\n"


@pytest.fixture
def book(tmp_path):
    from autograder.gradebook.database import Gradebook

    root = make_course(tmp_path / "course")
    gradebook = Gradebook(resolve_url(None, root))
    yield gradebook
    gradebook.close()


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_moodle_participants_export_in_russian_becomes_the_roster(tmp_path, book):
    rows = read_roster(write(tmp_path, "moodle.csv", "\ufeff" + MOODLE_RU))
    assert [(r.student_id, r.name, r.email) for r in rows] == [
        ("st1001", "Иванова Алиса", "alice@example.edu"),
        ("st1002", "Петров Борис", "boris@example.edu"),
    ]
    assert import_roster(book, rows) == (2, 0)
    assert import_roster(book, rows) == (0, 2)  # a second import updates, adds nobody
    with book.transaction() as session:
        assert session.scalars(select(RosterEntry.student_id)).all() == ["st1001", "st1002"]


def test_moodle_export_with_english_headers_and_semicolons(tmp_path):
    rows = read_roster(write(tmp_path, "moodle.csv", MOODLE_EN))
    assert [(r.student_id, r.name) for r in rows] == [("st2001", "King Carol")]


def test_plain_csv_with_optional_email(tmp_path):
    rows = read_roster(write(tmp_path, "plain.csv", "student_id,name,email\nivanov,Иван Иванов,\n"))
    assert rows[0].student_id == "ivanov" and rows[0].email is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("student_id,name\n../etc,Взломщик\n", "line 2: '../etc' is not a safe student id"),
        ("student_id,name\nivanov,\n", "line 2: student 'ivanov' has no name"),
        ("student_id,name\na,A\na,B\n", "line 3: student 'a' appears twice"),
        ("student_id,name,email\na,A,not-an-address\n", "'not-an-address' is not an email address"),
    ],
)
def test_bad_rows_are_all_named_and_nothing_is_imported(tmp_path, text, expected):
    with pytest.raises(ImportRejected) as caught:
        read_roster(write(tmp_path, "bad.csv", text))
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (
            "login,fio\nx,y\n",
            "utf-8",
            "neither student_id,name,email nor a Moodle participants export",
        ),
        ("student_id,name\nivanov,Иван\n", "cp1251", "not UTF-8 text"),
        ("student_id,name\n", "utf-8", "no students in it"),
    ],
)
def test_unusable_files_are_refused_in_one_line(tmp_path, text, encoding, expected):
    with pytest.raises(ServeError, match=expected):
        read_roster(write(tmp_path, "bad.csv", text, encoding))


def test_cli_refuses_a_bad_roster_with_one_line_and_exit_1(tmp_path, cli):
    root = make_course(tmp_path / "course")
    bad = write(tmp_path, "bad.csv", "login,fio\nx,y\n")
    done = cli(root, "roster", "import", str(bad))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "error:" in done.stderr and "Moodle" in done.stderr


def test_tokens_are_stored_as_hashes_and_reissue_revokes_the_old_one(tmp_path, book):
    import_roster(book, read_roster(write(tmp_path, "moodle.csv", MOODLE_RU)))
    first = {t.student_id: t.token for t in issue_tokens(book)}
    with book.transaction() as session:
        stored = session.scalars(select(LoginToken.token_sha256)).all()
    assert set(stored) == {hash_token(t) for t in first.values()}
    assert not set(first.values()) & set(stored)  # never the token itself
    assert student_for_token(book, first["st1001"]) == "st1001"
    assert all(len(t) == 40 and set(t) <= set("0123456789abcdef") for t in first.values())
    second = {t.student_id: t.token for t in issue_tokens(book, ["st1001"])}
    assert student_for_token(book, first["st1001"]) is None  # revoked
    assert student_for_token(book, second["st1001"]) == "st1001"
    assert student_for_token(book, first["st1002"]) == "st1002"  # not reissued, still valid
    assert student_for_token(book, "") is None and student_for_token(book, "x" * 10_000) is None


def test_tokens_for_unknown_students_or_an_empty_roster_are_refused(book):
    with pytest.raises(ServeError, match="roster is empty"):
        issue_tokens(book)
    import_roster(book, read_roster_rows())
    with pytest.raises(ServeError, match="not on the roster: ghost"):
        issue_tokens(book, ["ghost"])


def read_roster_rows():
    from autograder.serve.roster import RosterRow

    return [RosterRow("a1", "A", None)]


def test_tokens_csv_for_a_mail_merge_is_private(tmp_path, book):
    import_roster(book, read_roster_rows())
    path = tmp_path / "tokens.csv"
    issued = issue_tokens(book)
    write_tokens_csv(path, issued)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().splitlines() == [
        "student_id,name,email,token",
        f"a1,A,,{issued[0].token}",
    ]


def test_cli_imports_and_issues_tokens(tmp_path, cli):
    root = make_course(tmp_path / "course")
    roster = write(tmp_path, "moodle.csv", MOODLE_RU)
    assert cli(root, "roster", "import", str(roster)).returncode == 0
    done = cli(root, "tokens", "issue", "--csv", str(tmp_path / "tokens.csv"))
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "tokens.csv").read_text().splitlines()
    assert len(lines) == 3 and lines[1].startswith("st1001,Иванова Алиса,alice@example.edu,")
