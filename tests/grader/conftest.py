"""Fixtures for the grader's tests: small bundles with hand-written otter test files, and
notebooks built from lists of cell sources. Everything runs real worker processes."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from slowness import scaled

from autograder.grading.bundle import Bundle, write_bundle_json
from autograder.grading.limits import Limits
from autograder.grading.notebook import WorkerSession, grade_notebook, read_code_cells
from autograder.grading.proxy import WorkerClient
from autograder.grading.results import GradingResult, to_gradescope

# A secret seed and an expected value that must never reach a student's results.
HIDDEN_MARKERS = ("SECRET_SEED_9137", "4217", "np.maximum", "HIDDEN_SOURCE_MARKER")

NUMPY_TESTS = {
    "q1": """
        from otter.test_files import test_case

        OK_FORMAT = False
        name = "q1"
        points = 3

        @test_case(points=1, hidden=False)
        def test_relu_small(relu):
            import numpy as np
            out = relu(np.array([-1.0, 0.0, 2.0]))
            assert isinstance(out, np.ndarray), "relu должна вернуть np.ndarray"
            assert np.allclose(out, [0.0, 0.0, 2.0]), f"получено {out}"

        @test_case(points=2, hidden=True, failure_message="relu неверна на случайных входах")
        def test_relu_random(relu):
            import numpy as np
            SECRET_SEED_9137 = 9137
            rng = np.random.default_rng(SECRET_SEED_9137)
            x = rng.normal(size=(4, 5))
            expected = np.maximum(x, 0)  # HIDDEN_SOURCE_MARKER
            assert np.allclose(relu(x), expected), f"expected {expected}"
    """,
    "q2": """
        from otter.test_files import test_case

        OK_FORMAT = False
        name = "q2"
        points = 2

        @test_case(points=1, hidden=True)
        def test_answer(answer):
            assert answer == 4217, "HIDDEN_SOURCE_MARKER: the answer is 4217"

        @test_case(points=1, hidden=True)
        def test_scale(scale):
            assert scale(3, 7) == 21, "scale(3, 7) should be 21 HIDDEN_SOURCE_MARKER"
    """,
}

OTTER_INIT = 'import otter\ngrader = otter.Notebook("hw00.ipynb")'
NUMPY_SOLUTION = [
    OTTER_INIT,
    "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0)",
    'grader.check("q1")',
    "answer = 4217\n\ndef scale(x, k):\n    return x * k",
    'grader.check("q2")',
    "grader.check_all()",
]
NUMPY_BLANK = [
    OTTER_INIT,
    "import numpy as np\n\ndef relu(x):\n    ...",
    'grader.check("q1")',
    "answer = ...\n\ndef scale(x, k):\n    ...",
    'grader.check("q2")',
]

# wall seconds, stretched on a slower machine (tests/slowness.py)
FAST = Limits(
    notebook_seconds=scaled(60), cell_seconds=scaled(30), test_seconds=scaled(5), memory_mb=3072
)


@pytest.fixture
def make_bundle(tmp_path: Path) -> Callable[..., Bundle]:
    """make_bundle({"q1": source, ...}, files={"data.txt": "..."}) -> Bundle."""

    def make(tests: dict[str, str], files: dict[str, str] | None = None) -> Bundle:
        root = tmp_path / "bundle"
        (root / "tests").mkdir(parents=True)
        (root / "files").mkdir()
        for name, source in tests.items():
            (root / "tests" / f"{name}.py").write_text(textwrap.dedent(source))
        for name, text in (files or {}).items():
            (root / "files" / name).write_text(text)
        questions = {name: 0.0 for name in tests}
        return write_bundle_json(
            root, assignment="hw00", notebook="hw00.ipynb", max_points=5, questions=questions
        )

    return make


@pytest.fixture
def numpy_bundle(make_bundle: Callable[..., Bundle]) -> Bundle:
    return make_bundle(NUMPY_TESTS)


@pytest.fixture
def make_notebook(tmp_path: Path) -> Callable[..., Path]:
    """make_notebook(["code", ...], metadata={...}) -> path of an nbformat 4 notebook.
    Cells starting with "md:" become markdown cells."""
    counter = iter(range(1000))

    def make(cells: list[str], metadata: dict | None = None) -> Path:
        nb = nbformat.v4.new_notebook(metadata=metadata or {})
        for source in cells:
            if source.startswith("md:"):
                nb.cells.append(nbformat.v4.new_markdown_cell(source[3:]))
            else:
                nb.cells.append(nbformat.v4.new_code_cell(source))
        path = tmp_path / f"nb{next(counter)}" / "student.ipynb"
        path.parent.mkdir()
        nbformat.write(nb, path)
        return path

    return make


def grade(bundle: Bundle, notebook: Path, limits: Limits = FAST) -> GradingResult:
    return grade_notebook(bundle, notebook, student_id="student", limits=limits)


def passed(result: GradingResult) -> dict[str, bool]:
    return {t.name: t.passed for t in result.tests}


def results_json(result: GradingResult) -> str:
    return json.dumps(to_gradescope(result), ensure_ascii=False)


@contextmanager
def running_worker(bundle: Bundle, notebook: Path, limits: Limits = FAST) -> Iterator[WorkerClient]:
    """A live worker that has executed `notebook`, for talking to it through proxies."""
    session = WorkerSession(bundle, read_code_cells(notebook), limits, "auto")
    try:
        session.start()
        client = session.ready_client()
        client.deadline = None
        yield client
    finally:
        session.stop()
