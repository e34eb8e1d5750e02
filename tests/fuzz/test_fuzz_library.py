"""Properties of the library's input edges, in process (fast, many examples): whatever a
notebook, a zip, a CSV or a number holds, the answer is a value or the documented typed
refusal, and nothing is written outside the staging folder."""

from __future__ import annotations

import io
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from autograder.batch import BatchReport, Outcome
from autograder.course.scheme import LARGEST_POINTS, PointsError, parse_points
from autograder.display import print_batch
from autograder.errors import ImportRejected
from autograder.gradebook.exam_import import read_exam_csv
from autograder.grading.notebook import BadNotebook, read_code_cells
from autograder.intake import collect

from .strategies import arguments, exam_csvs, notebook_texts, zips

CONTROL = {chr(c) for c in range(0x20) if c != 0x0A} | {chr(c) for c in range(0x7F, 0xA0)}


def _files(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, fs in os.walk(root) for f in fs}


def test_any_notebook_text_is_cells_or_a_bad_notebook(run_property):
    @given(notebook_texts())
    def prop(raw: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "student.ipynb"
            path.write_bytes(raw)
            try:
                cells = read_code_cells(path)
            except BadNotebook as exc:
                str(exc).encode("utf-8")  # the reason itself can be stored and shown
                return
            for cell in cells:
                assert isinstance(cell["index"], int)
                cell["source"].encode("utf-8")
                assert "\x00" not in cell["source"]

    run_property(prop, examples=150)


def test_any_zip_is_submissions_and_rows_and_stays_in_staging(run_property):
    @given(st.data())
    def prop(data) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            archive = data.draw(zips(root / "lms.zip"))
            staging = root / "stage"
            intake = collect([archive], staging, "hw01.ipynb")
            for sub in intake.submissions + intake.skipped:
                if sub.refused is None:
                    assert staging in sub.path.parents and sub.path.is_file()
                else:
                    assert sub.path == archive and sub.refused.status == "bad-archive"
            assert all(f == archive or staging in f.parents for f in _files(root))
            # whatever the names, the TA's table holds no raw control character
            outcomes = [
                Outcome(s, "failed", status="bad-archive", message=s.source)
                for s in intake.submissions
            ]
            buffer = io.StringIO()
            print_batch(Console(file=buffer, width=300), BatchReport(outcomes), intake, root)
            assert not CONTROL & set(buffer.getvalue())

    run_property(prop, examples=120)


def test_any_points_value_is_bounded_points_or_a_points_error(run_property):
    values = st.one_of(
        arguments,
        st.floats(),
        st.decimals(),
        st.integers(),
        st.text(st.sampled_from("0123456789.,eE+-_ naifINF"), max_size=30),
    )

    @given(values)
    def prop(value) -> None:
        try:
            points = parse_points(value, maximum=Decimal(40))
        except PointsError as exc:
            assert str(exc)
            return
        assert Decimal(0) <= points <= Decimal(40) <= LARGEST_POINTS
        assert points == points.quantize(Decimal("0.01"))

    run_property(prop, examples=300)


def test_any_exam_csv_is_rows_or_one_refusal(run_property):
    @given(exam_csvs())
    def prop(raw: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "exam.csv"
            path.write_bytes(raw)
            try:
                rows = read_exam_csv(path, Decimal(40))
            except ImportRejected as exc:
                assert exc.problems and all(isinstance(p, str) for p in exc.problems)
                return
            assert rows and all(Decimal(0) <= p <= 40 for p in rows.values())

    run_property(prop, examples=150)
