"""A worker's reply, believed only after a check: `result_from_json` rebuilds the
GradingResult from its JSON text field by field, as strictly as the sandbox worker's
protocol replies are checked; `lost_worker_result` is the error result of a submission
whose grading killed its worker every time it was tried."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

from autograder.grading.bundle import Bundle
from autograder.grading.results import CellError, GradingResult, TestRecord
from autograder.intake import SubmissionFile

STATUSES = {"ok", "timeout", "memory", "crashed", "protocol-error", "bad-notebook"}
LOST_WORKER = (
    "Проверка этой работы {n} раз подряд обрывалась вместе с обработчиком (сбой на стороне "
    "оценщика, не в тестах); работа не оценена, обратитесь к преподавателю."
)


class ResultRejected(ValueError):
    """A worker's reply is not a well-formed grading result for this submission."""


def _check(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if isinstance(value, bool) and kind is not bool:  # bool is an int to isinstance
        raise ResultRejected(f"{what}: expected {kind}, got a bool")
    if not isinstance(value, kind):
        raise ResultRejected(f"{what}: expected {kind}, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ResultRejected(f"{what}: not a finite number")
    return value


def _record(data: Any, cls: type, what: str) -> dict[str, Any]:
    _check(data, dict, what)
    names = {f.name for f in fields(cls)}
    if set(data) != names:
        raise ResultRejected(f"{what}: fields {sorted(set(data) ^ names)} unexpected or missing")
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def result_from_json(text: str, bundle: Bundle, sub: SubmissionFile) -> GradingResult:
    """Rebuild a worker's reply as a GradingResult, refusing anything that is not exactly
    the shape `grade_task` sends for this submission and this bundle."""
    number = (int, float)
    try:
        data = json.loads(_check(text, str, "reply"), parse_constant=_no_constant)
    except ValueError as exc:
        raise ResultRejected(f"reply is not JSON: {exc}") from None
    _record(data, GradingResult, "result")
    for key in ("assignment", "student_id", "status", "message", "backend", "bundle_version"):
        _check(data[key], str, key)
    if data["status"] not in STATUSES:
        raise ResultRejected(f"status {data['status']!r} unknown")
    expected = {
        "assignment": bundle.assignment,
        "student_id": sub.student_id,
        "bundle_version": bundle.version,
    }
    for key, value in expected.items():
        if data[key] != value:
            raise ResultRejected(f"{key} {data[key]!r}, expected {value!r}")
    if _check(data["max_score"], number, "max_score") != bundle.max_points:
        raise ResultRejected(f"max_score {data['max_score']} is not the bundle's")
    if data["backend_warning"] is not None:
        _check(data["backend_warning"], str, "backend_warning")
    for key in ("limits", "timings"):
        for name, value in _check(data[key], dict, key).items():
            _check(value, (int, float, str) if key == "limits" else number, f"{key}.{name}")
    code = [_check(c, str, "code cell") for c in _check(data["code"], list, "code")]
    tests = []
    for i, raw in enumerate(_check(data["tests"], list, "tests")):
        t = _record(raw, TestRecord, f"tests[{i}]")
        for key in ("name", "question", "output", "failure"):
            _check(t[key], str, f"tests[{i}].{key}")
        for key in ("hidden", "passed"):
            _check(t[key], bool, f"tests[{i}].{key}")
        score, most = (_check(t[k], number, f"tests[{i}].{k}") for k in ("score", "max_score"))
        if t["question"] not in bundle.questions or not 0 <= score <= most:
            raise ResultRejected(f"tests[{i}]: question or points out of range")
        tests.append(TestRecord(**t))
    errors = []
    for i, raw in enumerate(_check(data["notebook_errors"], list, "notebook_errors")):
        e = _record(raw, CellError, f"notebook_errors[{i}]")
        _check(e["cell"], int, "cell")
        _check(e["error"], str, "error")
        _check(e["traceback"], str, "traceback")
        errors.append(CellError(**e))
    return GradingResult(**{**data, "tests": tests, "notebook_errors": errors, "code": code})


def lost_worker_result(bundle: Bundle, sub: SubmissionFile, attempts: int) -> GradingResult:
    """The error result of a submission whose grading killed its worker every time."""
    return GradingResult(
        assignment=bundle.assignment,
        student_id=sub.student_id,
        status="crashed",
        max_score=bundle.max_points,
        message=LOST_WORKER.format(n=attempts),
        bundle_version=bundle.version,
    )
