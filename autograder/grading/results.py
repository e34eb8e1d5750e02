"""The outcome of grading one submission, and its Gradescope results.json form.

What a student reads is in Russian. Hidden tests say only passed / not passed (plus the
instructor's failure_message and a hint of what went wrong); their source, tracebacks and
expected values never get here.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.course.scheme import LateOutcome
from autograder.grading.diagnoses import Catalogue, diagnose

STATUS_MESSAGES = {
    "ok": "",
    "timeout": "Превышено ограничение по времени: выполнение остановлено.",
    "memory": "Превышено ограничение по памяти: выполнение остановлено.",
    "crashed": "Процесс с вашим решением неожиданно завершился (sys.exit, os._exit, сигнал?).",
    "protocol-error": "Решение вмешалось в обмен данными с оценщиком; проверка прервана.",
    "bad-notebook": "Файл не удалось прочитать как ноутбук Jupyter.",
}

HIDDEN_PASSED = "Скрытый тест пройден."
HIDDEN_FAILED = "Скрытый тест не пройден."
PUBLIC_PASSED = "Тест пройден."
PUBLIC_FAILED = "Тест не пройден."


@dataclass(frozen=True)
class TestRecord:
    name: str
    question: str
    score: float
    max_score: float
    hidden: bool
    passed: bool
    output: str  # what the student sees about this test
    # how a failed case failed, for naming the likely mistake (grading.diagnoses): the
    # exception's type, with the message's first line for the test's own assertion; staff
    # side only, never written into results.json
    failure: str = ""


@dataclass(frozen=True)
class CellError:
    cell: int  # 1-based position of the cell in the notebook (all cells counted)
    error: str  # exception type name
    traceback: str  # short, the student's own frames only


@dataclass
class GradingResult:
    assignment: str
    student_id: str
    status: str  # ok | timeout | memory | crashed | protocol-error | bad-notebook
    max_score: float
    tests: list[TestRecord] = field(default_factory=list)
    notebook_errors: list[CellError] = field(default_factory=list)
    message: str = ""  # extra words for the student about the whole submission
    backend: str = ""  # isolation backend the worker ran under
    backend_warning: str | None = None  # for staff: weaker isolation than wanted
    limits_mechanism: str = ""  # cgroup-v2 | cgroup-v1 | rlimits: what held memory/processes
    limits_reference: dict[str, Any] = field(default_factory=dict)  # what time limits came from
    cell_seconds: list[float] = field(default_factory=list)  # per code cell, first run
    # per test case (name -> wall seconds): for the release's limits only, never shown (a
    # hidden case's time would tell about it)
    case_seconds: dict[str, float] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    bundle_version: str = ""
    code: list[str] = field(default_factory=list)  # the code cells graded; empty if unreadable

    @property
    def score(self) -> float:
        return round(math.fsum(t.score for t in self.tests), 6)

    def summary(self) -> str:
        """The top-level text a student reads."""
        lines = [f"Итог: {_points(self.score)} из {_points(self.max_score)} баллов."]
        for text in (STATUS_MESSAGES.get(self.status, ""), self.message):
            if text:
                lines.append(text)
        if self.notebook_errors:
            lines.append("Ошибки при выполнении ноутбука (остальные ячейки выполнены):")
            for err in self.notebook_errors:
                lines.append(f"- ячейка {err.cell}: {err.error}")
                lines.extend("    " + line for line in err.traceback.splitlines())
        return "\n".join(lines)


def _points(value: float) -> str:
    return f"{value:g}"


def to_gradescope(result: GradingResult, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """The result in Gradescope's results.json schema; with the bundle's catalogue of
    mistakes, `extra_data.diagnoses` names the likely mistake of each question that lost
    points (`grading.diagnoses`; none unless the run was ok)."""
    diagnoses = diagnose(result.tests, catalogue) if result.status == "ok" else []
    return {
        "score": result.score,
        "execution_time": round(result.timings.get("total", 0.0), 3),
        "output": result.summary(),
        "tests": [
            {
                "name": t.name,
                "score": t.score,
                "max_score": t.max_score,
                "status": "passed" if t.passed else "failed",
                "output": t.output,
                # hidden tests show only a sanitised pass/fail, once grades are published
                "visibility": "after_published" if t.hidden else "visible",
                "extra_data": {"question": t.question},
            }
            for t in result.tests
        ],
        "extra_data": {
            "assignment": result.assignment,
            "student_id": result.student_id,
            "status": result.status,
            "max_score": result.max_score,
            "backend": result.backend,
            "backend_warning": result.backend_warning,
            "limits_mechanism": result.limits_mechanism,
            "limits_reference": result.limits_reference,
            "limits": result.limits,
            "timings": result.timings,
            "bundle_version": result.bundle_version,
            # already in `output` for the student; kept structured for feedback.html
            "notebook_errors": [
                {"cell": e.cell, "error": e.error, "traceback": e.traceback}
                for e in result.notebook_errors
            ],
            "diagnoses": diagnoses,
        },
    }


def apply_late(payload: dict[str, Any], outcome: LateOutcome, max_points: float) -> dict[str, Any]:
    """Put the late policy's outcome into a results.json payload: the score becomes the
    points that count, and the student reads why."""
    if not outcome.is_late:
        return payload
    extra = payload["extra_data"]
    extra["raw_score"] = payload["score"]
    extra["late_days"] = outcome.days_late
    extra["late_penalty"] = float(outcome.penalty)
    payload["score"] = float(outcome.points)
    if outcome.points == 0 and outcome.penalty > 0:  # the whole score was taken
        text = f"Работа сдана с опозданием ({outcome.days_late} дн.) позже последнего срока приёма и не засчитывается."
    else:
        text = (
            f"Работа сдана с опозданием на {outcome.days_late} дн.: штраф {_points(float(outcome.penalty))} "
            f"балла, засчитано {_points(float(outcome.points))} из {_points(max_points)}."
        )
    payload["output"] = f"{payload['output']}\n{text}"
    return payload


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename, so a reader never
    sees half a results.json or feedback page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_results_json(path: Path, payload: dict[str, Any]) -> None:
    write_atomically(path, json.dumps(payload, ensure_ascii=False, indent=2))
