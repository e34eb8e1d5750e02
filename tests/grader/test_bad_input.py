"""Files that are not gradable notebooks: a clear result with score 0, never an exception."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import NUMPY_BLANK, NUMPY_SOLUTION, grade, results_json

from autograder.grading import notebook as checks


def write(tmp_path, data: bytes):
    path = tmp_path / "student.ipynb"
    path.write_bytes(data)
    return path


V3_NOTEBOOK = {
    "nbformat": 3,
    "nbformat_minor": 0,
    "metadata": {},
    "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "outputs": []}]}],
    "cells": [],
}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "пустой"),
        (b"   \n", "пустой"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary", "не является JSON"),
        (b"def relu(x): return x", "не является JSON"),
        (b'{"cells": [', "не является JSON"),
        (b"[1, 2, 3]", "нет списка ячеек"),
        (b'{"metadata": {}}', "нет списка ячеек"),
        (json.dumps(V3_NOTEBOOK).encode(), "nbformat 3"),
        (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [7]}', "повреждён"),
        (b"[" * 100_000, "не является JSON"),
    ],
)
def test_unreadable_files_give_a_bad_notebook_result(numpy_bundle, tmp_path, data, reason):
    result = grade(numpy_bundle, write(tmp_path, data))
    assert result.status == "bad-notebook" and result.score == 0
    assert reason in result.message
    assert len(result.tests) == 4 and not any(t.passed for t in result.tests)
    assert "прочитать как ноутбук" in json.loads(results_json(result))["output"]


def test_a_missing_file_is_a_bad_notebook(numpy_bundle, tmp_path):
    result = grade(numpy_bundle, tmp_path / "nowhere.ipynb")
    assert result.status == "bad-notebook" and "не читается" in result.message


def test_a_file_over_the_size_cap_is_refused_unread(numpy_bundle, tmp_path):
    path = tmp_path / "student.ipynb"
    with path.open("wb") as f:
        f.truncate(checks.NOTEBOOK_MAX_BYTES + 1)  # sparse: big on paper, nothing to read
    result = grade(numpy_bundle, path)
    assert result.status == "bad-notebook" and "слишком большой" in result.message


def with_huge_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="x" * 5_000_000)]
            cell.attachments = {}
    nbformat.write(nb, path)
    return path


def test_huge_outputs_are_stripped_before_grading(numpy_bundle, make_notebook):
    blank = with_huge_outputs(make_notebook(NUMPY_BLANK))
    solution = with_huge_outputs(make_notebook(NUMPY_SOLUTION))
    assert blank.stat().st_size > 20_000_000
    blank_result, solution_result = grade(numpy_bundle, blank), grade(numpy_bundle, solution)
    assert blank_result.status == "ok" and blank_result.score == 0
    assert solution_result.score == 5
    assert "xxxxxxxx" not in results_json(blank_result)


def test_reading_code_cells_keeps_notebook_positions(make_notebook):
    path = make_notebook(["md:# Задание", "x = 1", "md:text", "y = 2"])
    cells = checks.read_code_cells(path)
    assert cells == [{"index": 2, "source": "x = 1"}, {"index": 4, "source": "y = 2"}]
