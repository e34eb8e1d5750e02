"""Notebook text that crashed the grader's own process, or ended without results. The one
place that makes a notebook's text safe is `read_code_cells`: lone surrogates and NUL
characters in code are replaced by U+FFFD (the notebook is otherwise valid, so it is
graded; a replaced character in code fails that cell on its own), and a notebook whose
structure is wrong is a bad-notebook with a Russian reason. (A whole grading run of a
notebook with a lone surrogate is in test_bad_input_moodle_zip.py.)"""

from __future__ import annotations

import json

import pytest
from bad_inputs import notebook_bytes

from autograder.grading.notebook import BadNotebook, read_code_cells


def _write(tmp_path, data: bytes):
    path = tmp_path / "student.ipynb"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1  # \ud83d", "x = 1  # \ufffd"),  # half of an emoji, as a broken paste leaves it
        ("s = '\udc80'", "s = '\ufffd'"),
        ("y = 2\x00", "y = 2\ufffd"),
    ],
    ids=["high-surrogate", "low-surrogate", "nul"],
)
def test_unencodable_characters_in_code_are_replaced(tmp_path, source, expected):
    path = _write(tmp_path, notebook_bytes("a = 0", source))
    cells = read_code_cells(path)
    assert [c["source"] for c in cells] == ["a = 0", expected]
    json.dumps(cells, ensure_ascii=False).encode("utf-8")  # storable and printable


def test_a_lone_surrogate_in_markdown_is_harmless(tmp_path):
    data = json.loads(notebook_bytes("a = 0"))
    data["cells"].append(
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "готово \ud83d"}
    )
    assert [c["source"] for c in read_code_cells(_write(tmp_path, json.dumps(data).encode()))] == [
        "a = 0"
    ]


@pytest.mark.parametrize("minor", ["five", True, -1, None, 4.5, [5]])
def test_a_nonsense_nbformat_minor_is_a_bad_notebook_with_a_reason(tmp_path, minor):
    with pytest.raises(BadNotebook, match="nbformat_minor"):
        read_code_cells(_write(tmp_path, notebook_bytes("a = 0", minor=minor)))


def test_a_true_nbformat_is_not_taken_for_version_1(tmp_path):
    data = json.loads(notebook_bytes("a = 0"))
    data["nbformat"] = True
    with pytest.raises(BadNotebook, match="не поддерживается"):
        read_code_cells(_write(tmp_path, json.dumps(data).encode()))


@pytest.mark.parametrize(
    "cell",
    [
        {"cell_type": "code", "source": 42, "metadata": {}, "outputs": []},
        {"cell_type": "code", "source": ["a", 1], "metadata": {}, "outputs": []},
        {"cell_type": "code", "source": "x", "metadata": [], "outputs": []},
        {"cell_type": "nosuch", "source": "x", "metadata": {}},
        {"cell_type": ["code"], "source": "x"},
    ],
)
def test_malformed_cells_are_a_damaged_notebook_never_an_exception(tmp_path, cell):
    data = json.loads(notebook_bytes("a = 0"))
    data["cells"].append(cell)
    with pytest.raises(BadNotebook, match="повреждён"):
        read_code_cells(_write(tmp_path, json.dumps(data).encode()))


def test_the_reason_shown_is_itself_safe(tmp_path):
    data = json.loads(notebook_bytes("a = 0"))
    data["nbformat_minor"] = "\ud800\x1b[2J"
    with pytest.raises(BadNotebook) as caught:
        read_code_cells(_write(tmp_path, json.dumps(data).encode()))
    str(caught.value).encode("utf-8")
