"""The gradebook: overrides, the exam import's all-or-nothing rule, the CSV, transactions
and concurrent writers."""

from __future__ import annotations

import csv
import io
import multiprocessing
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from autograder.course.config import load_course
from autograder.errors import ConfigError, GradebookError, ImportRejected
from autograder.gradebook.database import (
    Gradebook,
    ScoreChange,
    Student,
    component_score,
    resolve_url,
)
from autograder.gradebook.exam_import import import_exam
from autograder.gradebook.overrides import ScoreRefused, clear_override, set_override
from autograder.gradebook.standings import gradebook_rows, write_csv


@pytest.fixture
def gradebook(any_gradebook_url):
    """Every test here runs on SQLite and on a real PostgreSQL server."""
    book = Gradebook(any_gradebook_url)
    yield book
    book.close()


def _csv(tmp_path: Path, text: str, name: str = "exam.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _exam_points(gradebook, course) -> dict[str, Decimal | None]:
    return {row.student_id: row.cells["exam"].points for row in gradebook_rows(gradebook, course)}


def test_exam_only_student_gets_total_and_final(gradebook, course, tmp_path):
    import_exam(gradebook, course, _csv(tmp_path, "student_id,points\nivanov,35\n"), author="ta")
    [row] = gradebook_rows(gradebook, course)
    assert (row.student_id, row.total, row.final) == ("ivanov", 35, 4)
    assert all(row.cells[c].points is None for c in course.ids if c != "exam")


def test_student_with_nothing_is_zero_and_shows_missing(gradebook, course):
    with gradebook.transaction() as session:
        session.add(Student(id="empty"))
    [row] = gradebook_rows(gradebook, course)
    assert (row.total, row.final) == (0, 0)
    out = io.StringIO()
    write_csv([row], course, out)
    assert out.getvalue().splitlines()[1].startswith("empty,,,,,,,,0,0")


def test_fractional_points_sum_exactly(gradebook, course):
    for comp, pts in [("hw01", "14.35"), ("hw02", "9.9"), ("exam", "20.25")]:
        set_override(gradebook, course, "s1", comp, pts, reason="manual", author="ta")
    [row] = gradebook_rows(gradebook, course)
    assert row.total == Decimal("44.50")
    assert row.final == 4  # 4.45 rounds down


def test_override_wins_over_recorded_and_can_be_cleared(gradebook, course):
    with gradebook.transaction() as session:
        score = component_score(session, "s1", "hw01")
        score.recorded_points, score.recorded_from = Decimal(10), "grading"
    old, new = set_override(
        gradebook, course, "s1", "hw01", "13", reason="regrade q4", author="alice"
    )
    assert (old, new) == (10, 13)
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == 13 and row.cells["hw01"].overridden
    assert "alice" in row.cells["hw01"].note and "regrade q4" in row.cells["hw01"].note
    assert clear_override(gradebook, course, "s1", "hw01", reason="undo", author="bob") == 10
    with gradebook.transaction() as session:
        kinds = [(c.kind, c.author) for c in session.query(ScoreChange).order_by(ScoreChange.id)]
    assert kinds == [("override", "alice"), ("override-cleared", "bob")]


@pytest.mark.parametrize(
    ("component", "points", "error"),
    [
        ("hw09", "3", ConfigError),
        ("hw02", "10.5", ScoreRefused),
        ("exam", "-1", ScoreRefused),
        ("hw01", "many", ScoreRefused),
    ],
)
def test_bad_manual_scores_are_refused_and_change_nothing(
    gradebook, course, component, points, error
):
    with pytest.raises(error):
        set_override(gradebook, course, "s1", component, points, reason="x", author="ta")
    assert gradebook_rows(gradebook, course) == []


def test_exam_import_refuses_the_whole_file_and_lists_every_bad_row(gradebook, course, tmp_path):
    import_exam(
        gradebook,
        course,
        _csv(tmp_path, "student_id,points\nivanov,30\n", "first.csv"),
        author="ta",
    )
    bad = _csv(
        tmp_path,
        "student_id,points\n"
        "petrov,35\n"  # fine on its own
        "sidorov,41\n"  # above the maximum
        "smirnov,abc\n"  # not a number
        "petrov,20\n"  # duplicate
        "kuznetsov\n"  # missing field
        "ivanov,-2\n"  # negative
        "../etc,5\n",  # not a safe id
    )
    with pytest.raises(ImportRejected) as caught:
        import_exam(gradebook, course, bad, author="ta")
    lines = [p.split(":")[0] for p in caught.value.problems]
    assert lines == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8"]
    assert "first on line 2" in caught.value.problems[2]
    assert _exam_points(gradebook, course) == {"ivanov": Decimal(30)}  # nothing changed


@pytest.mark.parametrize(
    "text", ["id,points\nivanov,30\n", "student_id,score\nivanov,30\n", "", "student_id,points\n"]
)
def test_exam_import_refuses_a_wrong_header_or_no_rows(gradebook, course, tmp_path, text):
    with pytest.raises(ImportRejected):
        import_exam(gradebook, course, _csv(tmp_path, text), author="ta")
    assert gradebook_rows(gradebook, course) == []


def test_exam_import_reads_excel_exports(gradebook, course, tmp_path):
    # Excel in a Russian locale: BOM, semicolons, decimal commas
    path = _csv(tmp_path, "\ufeffstudent_id;points\r\nпетрова;37,5\r\n", encoding="utf-8")
    import_exam(gradebook, course, path, author="ta")
    assert _exam_points(gradebook, course) == {"петрова": Decimal("37.5")}


def test_exam_import_refuses_non_utf8(gradebook, course, tmp_path):
    path = _csv(tmp_path, "student_id,points\nпетрова,37\n", encoding="cp1251")
    with pytest.raises(ImportRejected, match="nothing imported") as caught:
        import_exam(gradebook, course, path, author="ta")
    assert "UTF-8" in caught.value.problems[0]


def test_gradebook_csv_round_trip_keeps_cyrillic_and_quotes(gradebook, course, tmp_path):
    set_override(
        gradebook, course, "Иванова Мария", "hw01", "12", reason='апелляция, "q3"', author="ta"
    )
    import_exam(
        gradebook,
        course,
        _csv(tmp_path, "student_id,points\nИванова Мария,33\nсидоров,40\n"),
        author="ta",
    )
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(gradebook_rows(gradebook, course), course, handle)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = "student_id,hw01,hw02,hw03,hw04,hw05,hw06,exam,total,final"
    assert path.read_text(encoding="utf-8").startswith(header)
    by_id = {r["student_id"]: r for r in rows}
    assert by_id["Иванова Мария"]["total"] == "45" and by_id["Иванова Мария"]["final"] == "5"
    assert 'апелляция, "q3"' in by_id["Иванова Мария"]["notes"]
    assert by_id["сидоров"]["hw01"] == "" and by_id["сидоров"]["final"] == "4"


def test_an_error_inside_a_transaction_leaves_the_previous_state(gradebook, course):
    set_override(gradebook, course, "s1", "hw01", "5", reason="first", author="ta")
    with pytest.raises(RuntimeError), gradebook.transaction() as session:
        component_score(session, "s1", "hw01").override_points = Decimal(15)
        component_score(session, "s2", "hw02").override_points = Decimal(10)
        session.flush()
        raise RuntimeError("crash mid-command")
    rows = gradebook_rows(gradebook, course)
    assert [(r.student_id, r.total) for r in rows] == [("s1", 5)]


def test_gradebook_location_from_env_and_url(course_root, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_GRADEBOOK", str(tmp_path / "elsewhere.db"))
    assert resolve_url(None, course_root) == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert resolve_url("sqlite:///x.db", course_root) == "sqlite:///x.db"
    pg = "postgresql+psycopg://ta@db.local/course"
    assert resolve_url("postgresql://ta@db.local/course", course_root) == pg
    assert resolve_url(pg, course_root) == pg
    monkeypatch.delenv("AUTOGRADER_GRADEBOOK")
    assert resolve_url(None, course_root) == f"sqlite:///{course_root / 'gradebook.db'}"
    with pytest.raises(GradebookError):
        Gradebook(f"sqlite:///{tmp_path / 'missing' / 'g.db'}")
    with pytest.raises(GradebookError):
        Gradebook("nosuchdb://whatever")


def _writer(root: str, url: str, worker: int, count: int) -> None:
    course = load_course(Path(root))
    book = Gradebook(url)
    for i in range(count):
        set_override(
            book, course, f"w{worker}-s{i}", "hw01", str(i % 15), reason="load", author=f"w{worker}"
        )
    book.close()


def test_concurrent_writers_on_one_sqlite_file(course, tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(course.root), url, w, 30)) for w in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    book = Gradebook(url)
    rows = gradebook_rows(book, course)
    assert len(rows) == 120
    assert {r.student_id: r.cells["hw01"].points for r in rows}["w3-s29"] == 14
    with sqlite3.connect(tmp_path / "shared.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM score_changes").fetchone() == (120,)


def test_concurrent_writers_on_one_postgresql_database(course, postgres_server):
    url = postgres_server.new_database()
    Gradebook(url).close()  # the schema first, as the first TA's command would
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(course.root), url, w, 30)) for w in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    book = Gradebook(url)
    rows = gradebook_rows(book, course)
    assert len(rows) == 120
    assert {r.student_id: r.cells["hw01"].points for r in rows}["w3-s29"] == 14
    with book.transaction() as session:
        assert session.query(ScoreChange).count() == 120
    book.close()
