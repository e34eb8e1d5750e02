"""Shared fixtures: a course root in a temporary folder (a copy of the real config), an
empty gradebook in it, a tiny master notebook, and a tiny class graded once per session."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.course.config import Course, load_course
from autograder.gradebook.database import Gradebook, resolve_url

REPO = Path(__file__).resolve().parents[1]
# the tests every homework shares are written there: pytest shows their failing values too
pytest.register_assert_rewrite("mutation.suite")
pytest_plugins = ["suite_cost"]  # the suite time per folder, at the end of every run

# ---------------------------------------------------------------- parallel, and shared
# The suite runs on every core (pytest-xdist, `--dist loadgroup` in pyproject.toml). Tests
# sharing an expensive fixture go to ONE worker, so that it is built once per run: a whole
# folder whose session fixtures are its point (a homework's reference execution, the
# red-team run, the grader image's runs, JupyterLab), else the tests of one session fixture
# of ours, else those of one module-scoped fixture.
SHARED_FOLDERS = {"hw01", "hw02", "hw03", "security", "container", "otter_compat", "browser"}


def shared_group(item: pytest.Item) -> str | None:
    from suite_cost import folder_of  # the plugin, loaded by then

    folder = folder_of(item.nodeid)
    if folder in SHARED_FOLDERS or folder.startswith("hw"):
        return folder
    fixtures = item._fixtureinfo.name2fixturedefs  # pytest's own record of what it resolved
    ours = [(name, defs[-1]) for name, defs in sorted(fixtures.items()) if defs]
    ours = [(name, d) for name, d in ours if d.baseid.startswith("tests")]
    for scope in ("session", "module"):
        for name, definition in ours:
            if definition.scope == scope:
                return f"{definition.baseid}::{name}"
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist turns the markers into scheduling groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        group = shared_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    return root


@pytest.fixture
def course(course_root: Path) -> Course:
    return load_course(course_root)


@pytest.fixture
def gradebook(course: Course) -> Gradebook:
    book = Gradebook(resolve_url(None, course.root))
    yield book
    book.close()


@pytest.fixture
def repo_root() -> Path:
    return REPO


# A one-question master in otter-assign format (relu, 1 public + 1 hidden point).
SOLUTION = "def relu(x):\n    # BEGIN SOLUTION\n    return x.clamp(min=0.0)  # clamp below\n    # END SOLUTION"
PUBLIC = (
    '""" # BEGIN TEST CONFIG\npoints: 1\n""" # END TEST CONFIG\n'
    "def test_relu_public(relu):\n    import torch\n"
    "    assert torch.equal(relu(torch.tensor([-1.0, 2.0])), torch.tensor([0.0, 2.0]))\n"
    "test_relu_public(relu)"
)
HIDDEN = (
    '""" # BEGIN TEST CONFIG\npoints: 1\nhidden: true\nfailure_message: relu неверна на скрытых данных\n'
    '""" # END TEST CONFIG\n'
    "def test_relu_hidden(relu):\n    import torch\n"
    "    secret_input = torch.randn(7, generator=torch.Generator().manual_seed(1234))\n"
    "    assert torch.allclose(relu(secret_input), torch.relu(secret_input))\n"
    "test_relu_hidden(relu)"
)


def _tiny_master(solution_in_block: bool = True, extra_markdown: str = "") -> nbformat.NotebookNode:
    v4 = nbformat.v4
    solution_cells = [v4.new_code_cell(SOLUTION)]
    if solution_in_block:
        solution_cells = [
            v4.new_raw_cell("# BEGIN SOLUTION"),
            *solution_cells,
            v4.new_raw_cell("# END SOLUTION"),
        ]
    nb = v4.new_notebook(
        cells=[
            v4.new_raw_cell(
                "# ASSIGNMENT CONFIG\nname: hw01\ninit_cell: true\nexport_cell: false\n"
                "check_all_cell: false\nrun_tests: false\ntests:\n  files: true\n  ok_format: false\n"
            ),
            v4.new_markdown_cell("# Домашнее задание" + extra_markdown),
            v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 2"),
            v4.new_markdown_cell("Напишите `relu`."),
            *solution_cells,
            v4.new_raw_cell("# BEGIN TESTS"),
            v4.new_code_cell(PUBLIC),
            v4.new_code_cell(HIDDEN),
            v4.new_raw_cell("# END TESTS"),
            v4.new_raw_cell("# END QUESTION"),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


@pytest.fixture
def make_master():
    return _tiny_master


def install_tiny_bundle(
    course_root: Path, work: Path, limits: dict[str, Any] | None = None
) -> Path:
    """Put the tiny master under solutions/hw01, build it, and install its bundle at
    dist/hw01 (with `limits` overrides); returns the bundle folder. No grading involved."""
    from autograder.authoring.release import build
    from autograder.grading.bundle import load_bundle, write_bundle_json

    folder = course_root / "solutions" / "hw01"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(_tiny_master(), folder / "hw01.ipynb")
    _, bundle_dir, _ = build(load_course(course_root), "hw01", work)
    target = course_root / "dist" / "hw01"
    shutil.copytree(bundle_dir, target)
    if limits:
        b = load_bundle(target)
        write_bundle_json(
            target,
            assignment="hw01",
            notebook=b.notebook,
            max_points=b.max_points,
            questions=b.questions,
            limits=limits,
        )
    return target


@pytest.fixture
def tiny_bundle():
    return install_tiny_bundle


# ---------------------------------------------------------------- a graded class
# Tiny notebooks graded once per session against the tiny bundle, for the feedback pages,
# the instructor's report and the LMS exports. Each is the released notebook with the
# student's code in place of the `relu` stub, as students really submit.

ON_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=UTC).timestamp()
TWO_DAYS_LATE = datetime(2026, 10, 6, 12, 0, tzinfo=UTC).timestamp()  # deadline Oct 4 MSK

HONEST_A = '''def positive_part(values):
    """Elementwise max(values, 0)."""
    zero = values.new_zeros(values.shape)
    keep = values > zero
    return values.where(keep, zero)


def relu(x):
    return positive_part(x)
'''
# HONEST_A with other comments, blank lines and indentation: the same code
COPIED_A = """# my own work :)
def positive_part(values):
  # zero below, identity above
  zero = values.new_zeros(values.shape)

  keep = values > zero   # mask
  return values.where(keep, zero)

def relu(x):
  return positive_part(x)  # done
"""
HONEST_B = """def relu(x):
    out = x.clone()
    flat = out.view(-1)
    for i in range(flat.numel()):
        if flat[i] < 0:
            flat[i] = 0.0
    return out
"""
CLASS_CODE = {
    "alice": (HONEST_A, ON_TIME),
    "bob": (COPIED_A, ON_TIME),
    "carol": (HONEST_B, ON_TIME),
    "dave": ("def relu(x):\n    return x.clamp(min=0) if x.numel() == 2 else x", ON_TIME),
    "frank": ("def relu(x):\n    return x.clamp(min=0.0)", TWO_DAYS_LATE),
    "mallory": (
        "def relu(x):\n    raise ValueError('<script>alert(1)</script>')\n"
        "raise RuntimeError('<img src=x onerror=alert(2)>')",
        ON_TIME,
    ),
    "slowpoke": ("def relu(x):\n    while True:\n        pass", ON_TIME),
}


# the tiny master's catalogue of mistakes (grading.diagnoses): dave's relu, right on the
# public test's two elements only, fails the hidden case alone
TINY_MISTAKES = [
    ("relu_small_inputs_only", "q1", "ReLU обнуляет отрицательные элементы тензора любой формы.", ["q1 - 2"]),
    ("relu_identity", "q1", "ReLU — не тождественная функция: отрицательные значения становятся нулём.", ["q1 - 1", "q1 - 2"]),
]  # fmt: skip


def add_tiny_catalogue(bundle_dir: Path) -> None:
    """Put TINY_MISTAKES into a built tiny bundle as its diagnoses.json (bundle.json rewritten
    for the new version), as `autograder release` ships a master's catalogue."""
    from autograder.grading.bundle import version_of_tests, write_bundle_json
    from autograder.grading.diagnoses import (
        FILE,
        Mistake,
        catalogue_json,
        element,
    )

    # the tiny tests assert without a message: a failure is keyed by its type alone
    mistakes = [
        Mistake(n, q, h, {q: frozenset(element(c, "AssertionError") for c in cases)})
        for n, q, h, cases in TINY_MISTAKES
    ]
    text = catalogue_json("hw01", version_of_tests(bundle_dir / "tests"), mistakes)
    (bundle_dir / FILE).write_text(text, encoding="utf-8")
    meta = json.loads((bundle_dir / "bundle.json").read_text())
    write_bundle_json(
        bundle_dir,
        assignment=meta["assignment"],
        notebook=meta["notebook"],
        max_points=meta["max_points"],
        questions=meta["questions"],
        limits=meta.get("limits"),
        reference=meta.get("reference"),
        seed=meta.get("seed"),
        student_aliases=frozenset(meta.get("student_aliases", [])),
    )


@pytest.fixture
def tiny_catalogue():
    return add_tiny_catalogue


@dataclass
class GradedClass:
    root: Path
    course: Course
    gradebook: Gradebook
    results: Path  # results/<student_id>/{results.json, feedback.html}
    bundle_tests: Path  # the bundle's test files (hidden tests included)


def _submission(released: nbformat.NotebookNode, code: str | None, path: Path, when: float):
    if code is None:
        path.write_bytes(b"{not json")
    else:
        nb = copy.deepcopy(released)
        stub = next(c for c in nb.cells if c.cell_type == "code" and "def relu" in c.source)
        stub.source = code
        nbformat.write(nb, path)
    os.utime(path, (when, when))


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory) -> GradedClass:
    from autograder.authoring.release import build
    from autograder.batch import grade_batch
    from autograder.grading.bundle import load_bundle
    from autograder.intake import collect

    root = tmp_path_factory.mktemp("class") / "course"
    (root / "solutions" / "hw01").mkdir(parents=True)
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    nbformat.write(_tiny_master(), root / "solutions" / "hw01" / "hw01.ipynb")
    course = load_course(root)
    student_dir, bundle_dir, _ = build(course, "hw01", root.parent / "build")
    add_tiny_catalogue(bundle_dir)
    shutil.copytree(student_dir, root / "assignments" / "hw01")
    shutil.copytree(bundle_dir, root / "dist" / "hw01")
    bundle = load_bundle(root / "dist" / "hw01")
    # slowpoke's relu hangs: graded by a copy of the bundle whose tests time out sooner
    # (limits are not part of the bundle version), so the others keep the real limits
    hasty_dir = root.parent / "hasty-bundle"
    shutil.copytree(bundle_dir, hasty_dir)
    meta = json.loads((hasty_dir / "bundle.json").read_text())
    meta["limits"] = {"test_seconds": 2}
    (hasty_dir / "bundle.json").write_text(json.dumps(meta))
    hasty = load_bundle(hasty_dir)

    subs = root.parent / "subs"
    subs.mkdir()
    released = nbformat.read(root / "assignments" / "hw01" / "hw01.ipynb", as_version=4)
    for student, (code, when) in CLASS_CODE.items():
        _submission(released, code, subs / f"{student}.ipynb", when)
    _submission(released, None, subs / "erin.ipynb", ON_TIME)

    gradebook = Gradebook(resolve_url(None, root))
    results = root / "results"
    intake = collect([subs], root.parent / "staging", bundle.notebook)
    outcomes = []
    for graded_by, subset in [
        (bundle, [s for s in intake.submissions if s.student_id != "slowpoke"]),
        (hasty, [s for s in intake.submissions if s.student_id == "slowpoke"]),
    ]:
        batch = grade_batch(course, graded_by, gradebook, subset, results, jobs=2)
        outcomes.extend(batch.outcomes)
    assert {o.state for o in outcomes} <= {"graded", "failed"}, outcomes
    yield GradedClass(root, course, gradebook, results, bundle.tests_dir)
    gradebook.close()


def run_cli(
    cwd: Path, *args: str, gradebook: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`autograder ARGS` as a TA runs it: a real process in `cwd` (the course root), a
    wide terminal, the gradebook at `gradebook` (default: cwd/gradebook.db)."""
    full_env = {
        **os.environ,
        "AUTOGRADER_GRADEBOOK": str(gradebook or cwd / "gradebook.db"),
        "COLUMNS": "200",
        **(env or {}),
    }
    full_env.pop("AUTOGRADER_COURSE", None)
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def cli():
    return run_cli


# ---------------------------------------------------------------- a real PostgreSQL server
@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the session (tests/postgres/server.py); skipped, loudly,
    only where the server binaries are missing."""
    from postgres.server import start_server

    yield from start_server()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_gradebook_url(request, course: Course) -> str:
    """An empty gradebook: an SQLite file at the course root, then a fresh database on the
    real PostgreSQL server."""
    if request.param == "sqlite":
        return resolve_url(None, course.root)
    return request.getfixturevalue("postgres_server").new_database()
