"""How long the exam import takes to judge big CSVs, as ratios against the plain
csv.reader pass over the same file (the floor: reading it at all), measured side by side.

  rows     a file at the row limit (MAX_ROWS valid rows): fully parsed and checked
  refused  one row more than the limit: refused once the limit is passed
  huge     a million rows (over the 10 MB cap): refused from its size, unread

    .venv/bin/python bench/exam_csv_stream.py
"""

from __future__ import annotations

import contextlib
import csv
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.errors import ImportRejected  # noqa: E402
from autograder.gradebook.exam_import import MAX_ROWS, read_exam_csv  # noqa: E402


def _write(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("student_id,points\n")
        handle.writelines(f"student{i},{i % 40}\n" for i in range(rows))
    return path


def _seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _baseline(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass


def _judge(path: Path) -> None:
    with contextlib.suppress(ImportRejected):  # a refusal is an answer too
        read_exam_csv(path, Decimal(40))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "rows": _write(Path(tmp) / "rows.csv", MAX_ROWS),
            "refused": _write(Path(tmp) / "refused.csv", MAX_ROWS + 1),
            "huge": _write(Path(tmp) / "huge.csv", 1_000_000),
        }
        for name, path in files.items():
            base, ours = _seconds(lambda p=path: _baseline(p)), _seconds(lambda p=path: _judge(p))
            size = path.stat().st_size / 2**20
            print(
                f"{name:8} {size:6.1f} MB  csv.reader {base:6.3f} s  import check {ours:6.3f} s  "
                f"ratio {ours / base:6.2f}"
            )


if __name__ == "__main__":
    main()
