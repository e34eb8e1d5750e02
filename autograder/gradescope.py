"""The Gradescope contract: one submission in, one results.json out.

    $AUTOGRADER_ROOT/submission/   what the student uploaded (a notebook, maybe more files)
    $AUTOGRADER_ROOT/source/       the autograder zip, unpacked: bundle/ is the grader bundle
    $AUTOGRADER_ROOT/results/results.json

AUTOGRADER_ROOT defaults to /autograder, so the same code runs inside the container and,
for tests, on a temporary tree. Whatever the submission is, a results.json is written.
AUTOGRADER_REQUIRE_BACKEND (the image sets "bwrap") makes it refuse, before any student
code runs, where that sandbox does not work: results.json says why, and the exit is 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from autograder.errors import AutograderError, SandboxError
from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.results import GradingResult, to_gradescope, write_results_json

DEFAULT_ROOT = Path("/autograder")
REQUIRE_ENV = "AUTOGRADER_REQUIRE_BACKEND"
REFUSED_OUTPUT = (
    "Работа не проверена: проверяющая система запущена без изоляции, которой требует курс. "
    "Это не ошибка в вашем решении; сообщите преподавателю."
)


def find_notebook(submission: Path, expected_name: str) -> Path | None:
    """The uploaded notebook: the one named like the assignment's, else the only one."""
    notebooks = sorted(
        p for p in submission.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    named = [p for p in notebooks if p.name == expected_name]
    if named:
        return named[0]
    return notebooks[0] if len(notebooks) == 1 else None


def weaker_isolation(required: str) -> str | None:
    """Why grading must not start: no sandbox backend as strong as `required` works here
    (None when one does)."""
    from autograder.grading.sandbox import available_backends
    from autograder.grading.sandbox.backends import BACKENDS

    if required not in BACKENDS:
        known = ", ".join(BACKENDS)
        return f"refusing to grade: {REQUIRE_ENV}={required!r} is not a sandbox backend (known: {known})"
    working = available_backends()
    if BACKENDS.index(working[0]) <= BACKENDS.index(required):
        return None
    return (
        f"refusing to grade: {REQUIRE_ENV}={required} but the strongest sandbox that works "
        f"here is {working[0]!r}; give the container the privileges docker/README.md lists"
    )


def refuse(bundle: Bundle, student_id: str, reason: str, results_json: Path) -> None:
    """Write a results.json that grades nothing and says why, then raise SandboxError."""
    result = GradingResult(
        assignment=bundle.assignment,
        student_id=student_id,
        status="refused",
        max_score=bundle.max_points,
        backend_warning=reason,
        bundle_version=bundle.version,
    )
    payload = to_gradescope(result)
    payload["output"] = REFUSED_OUTPUT
    write_results_json(results_json, payload)
    raise SandboxError(reason)


def run(root: Path) -> dict:
    """Grade root/submission with root/source/bundle and write root/results/results.json."""
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    bundle = load_bundle(root / "source" / "bundle")
    student_id = os.environ.get("AUTOGRADER_STUDENT_ID", "submission")
    required = os.environ.get(REQUIRE_ENV, "")
    reason = weaker_isolation(required) if required else None
    if reason:
        refuse(bundle, student_id, reason, results_dir / "results.json")
    notebook = find_notebook(root / "submission", bundle.notebook)
    if notebook is None:
        result = GradingResult(
            assignment=bundle.assignment,
            student_id=student_id,
            status="bad-notebook",
            max_score=bundle.max_points,
            message=f"Не найден ноутбук для сдачи: загрузите один файл {bundle.notebook}.",
            bundle_version=bundle.version,
        )
    else:
        from autograder.grading.notebook import grade_notebook

        # A requirement, once checked, is the backend used (a container grades one
        # submission: the warm pool would only add its start-up); else what was asked.
        backend = os.environ.get("AUTOGRADER_BACKEND", "auto")
        if required:
            from autograder.grading.sandbox import available_backends

            backend = required if required in available_backends() else "auto"
        result = grade_notebook(bundle, notebook, student_id=student_id, backend=backend)
    payload = to_gradescope(result, bundle.catalogue)
    write_results_json(results_dir / "results.json", payload)
    return payload


def main() -> None:
    root = Path(os.environ.get("AUTOGRADER_ROOT", DEFAULT_ROOT))
    try:
        payload = run(root)
    except AutograderError as exc:  # a broken bundle or tree: the staff's problem, said plainly
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    extra = payload["extra_data"]
    print(
        f"{extra['student_id']}: {payload['score']:g}/{extra['max_score']:g} ({extra['status']}, sandbox {extra['backend']})"
    )
    if extra.get("backend_warning"):
        print(f"warning: {extra['backend_warning']}", file=sys.stderr)


if __name__ == "__main__":
    main()
