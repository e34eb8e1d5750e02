"""Paths that blocked or silently dropped work: FIFOs and folders named *.ipynb, one
unreadable path among several, ids that differ only by case. Each becomes a row; none
blocks (nothing but a regular file is ever opened)."""

from __future__ import annotations

import os

import pytest
from bad_inputs import notebook_bytes

from autograder.grading.notebook import BadNotebook, read_code_cells
from autograder.intake import collect

NB = notebook_bytes("x = 1")


def _collect(tmp_path, *paths):
    return collect(list(paths), tmp_path / "stage", "hw01.ipynb")


def _messages(intake) -> dict[str, str]:
    return {os.path.basename(p.source): p.message for p in intake.problems}


@pytest.fixture
def class_folder(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ivanov.ipynb").write_bytes(NB)
    return folder


def test_a_fifo_named_like_a_notebook_given_directly_is_never_opened(tmp_path, class_folder):
    fifo = tmp_path / "petrov.ipynb"
    os.mkfifo(fifo)  # no writer: opening it for reading would block forever
    intake = _collect(tmp_path, fifo, class_folder / "ivanov.ipynb")
    assert [s.student_id for s in intake.submissions] == ["ivanov"]
    assert "not a regular file" in _messages(intake)["petrov.ipynb"]


def test_a_fifo_in_a_submissions_folder_is_a_row(tmp_path, class_folder):
    os.mkfifo(class_folder / "petrov.ipynb")
    os.mkdir(class_folder / "sidorov")
    os.mkfifo(class_folder / "sidorov" / "hw01.ipynb")
    intake = _collect(tmp_path, class_folder)
    assert [s.student_id for s in intake.submissions] == ["ivanov"]
    messages = _messages(intake)
    assert "not a regular file" in messages["petrov.ipynb"]
    assert "not a regular file" in messages["hw01.ipynb"]


def test_the_notebook_reader_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "student.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(BadNotebook, match="это не файл"):
        read_code_cells(fifo)


def test_a_folder_named_like_a_notebook_is_said_not_skipped(tmp_path, class_folder):
    (class_folder / "petrov.ipynb").mkdir()
    (class_folder / "sidorov").mkdir()
    (class_folder / "sidorov" / "draft.ipynb").mkdir()
    intake = _collect(tmp_path, class_folder, tmp_path / "class" / "petrov.ipynb")
    assert [s.student_id for s in intake.submissions] == ["ivanov"]
    sources = [p.source for p in intake.problems]
    assert sum("a folder named like a notebook" in p.message for p in intake.problems) == 3
    assert any(s.endswith("sidorov") for s in sources)  # and it holds no notebook


def test_one_unreadable_path_among_several_is_a_row_and_the_rest_is_taken(tmp_path, class_folder):
    too_long = tmp_path / ("x" * 300 + ".ipynb")  # ENAMETOOLONG even to look at
    intake = _collect(tmp_path, too_long, class_folder, tmp_path / "missing.ipynb")
    assert [s.student_id for s in intake.submissions] == ["ivanov"]
    messages = [p.message for p in intake.problems]
    assert any("cannot be examined (File name too long)" in m for m in messages)
    assert any("no such file" in m for m in messages)


def test_ids_that_differ_only_by_case_are_warned_about(tmp_path, class_folder):
    (class_folder / "Ivanov.ipynb").write_bytes(NB)
    intake = _collect(tmp_path, class_folder)
    assert [s.student_id for s in intake.submissions] == ["Ivanov", "ivanov"]
    [warning] = intake.problems
    assert warning.status == "warning" and "differ only by letter case" in warning.message
    assert warning.source == "Ivanov, ivanov"


def test_undecodable_file_names_are_stored_readably_or_refused(tmp_path, class_folder):
    folder = os.fsencode(class_folder)
    os.mkdir(os.path.join(folder, b"petrov"))
    with open(os.path.join(folder, b"petrov", b"\xff\xfe.ipynb"), "wb") as handle:
        handle.write(NB)  # a name from a Windows zip tool, not UTF-8
    with open(os.path.join(folder, b"\xff.ipynb"), "wb") as handle:
        handle.write(NB)
    intake = _collect(tmp_path, class_folder)
    subs = {s.student_id: s for s in intake.submissions}
    assert sorted(subs) == ["ivanov", "petrov"]
    subs["petrov"].source.encode("utf-8")  # storable in the gradebook
    assert subs["petrov"].source.endswith("petrov/\ufffd\ufffd.ipynb")
    [problem] = intake.problems
    assert "not a safe student id" in problem.message
