"""nbgrader's exchange as a way to hand out homework and hand back feedback, for courses
whose students use the "Assignments" panel of JupyterLab (Fetch / Submit / Fetch Feedback).

Everything that touches the exchange goes through nbgrader's own Python API
(`nbgrader.apps.NbGraderAPI`): we only lay files out the way nbgrader's commands expect them
in an nbgrader course directory (default `<course root>/nbgrader/`):

    release/<hw>/                                 a copy of assignments/<hw>/ (what students fetch)
    submitted/<student>/<hw>/*.ipynb              written by `nbgrader collect`; graded by
                                                  `autograder grade <hw> <dir>/submitted`
    feedback/<student>/<hw>/<notebook>.html       our feedback.html, beside the submission's
                      + timestamp.txt, submission_secret.txt   (nbgrader hashes those)

nbgrader keeps its own database there (`nbgrader.db`); ours is never shared with it. Grading
never uses nbgrader: its collected layout is read by `autograder.intake`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.course.config import Course
from autograder.course.student_ids import StudentIdError, check_student_id
from autograder.errors import AutograderError

# what nbgrader's feedback release needs beside each feedback page
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


class ExchangeError(AutograderError):
    """nbgrader refused or failed a transfer; the message is nbgrader's own last words."""


@dataclass(frozen=True)
class NbgraderCourse:
    course_id: str
    root: Path  # the nbgrader course directory
    exchange: Path | None = None  # None: nbgrader's configured exchange

    @classmethod
    def for_course(
        cls, course: Course, course_id: str, root: Path | None, exchange: Path | None
    ) -> NbgraderCourse:
        """The nbgrader course beside `course` (default root `<course root>/nbgrader`)."""
        if not course_id or "/" in course_id or "+" in course_id or course_id.startswith("."):
            raise ExchangeError(f"nbgrader course id {course_id!r} is not usable")
        return cls(course_id, (root or course.root / "nbgrader").resolve(), exchange)

    def api(self) -> Any:
        """nbgrader's API on this course directory (nbgrader is imported only here)."""
        try:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory
            from traitlets.config import Config
        except ImportError as exc:
            raise ExchangeError(
                f"nbgrader is not installed ({exc.name}); install the [student] extra"
            ) from None
        config = Config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.course_id = self.course_id
        config.CourseDirectory.db_url = f"sqlite:///{self.root / 'nbgrader.db'}"
        # a re-release replaces what students fetch, as `autograder release` replaces
        # assignments/<hw>/; students who fetched already keep their copy
        config.ExchangeReleaseAssignment.force = True
        if self.exchange is not None:
            config.Exchange.root = str(self.exchange.resolve())
        self.root.mkdir(parents=True, exist_ok=True)
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _checked(result: dict[str, Any], what: str) -> str:
    log = (result.get("log") or "").strip()
    if not result.get("success"):
        lines = [line for line in (log or result.get("error") or "").splitlines() if line.strip()]
        raise ExchangeError(f"nbgrader {what} failed: {lines[-1] if lines else 'no reason given'}")
    return log


def release_assignment(course: Course, assignment: str, nbc: NbgraderCourse) -> Path:
    """Publish the released student folder `assignments/<hw>/` through nbgrader's
    `release_assignment`; returns the folder students fetch from."""
    source = course.root / "assignments" / assignment
    if not (source / f"{assignment}.ipynb").is_file():
        raise ExchangeError(f"{source} holds no released notebook: run `autograder release` first")
    staged = nbc.root / "release" / assignment
    if staged.exists():
        shutil.rmtree(staged)
    shutil.copytree(source, staged, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    api = nbc.api()
    _checked(api.release_assignment(assignment), "release_assignment")
    return Path(api.exchange.ReleaseAssignment(coursedir=api.coursedir, parent=api).root) / (
        f"{nbc.course_id}/outbound/{assignment}"
    )


@dataclass
class FeedbackReport:
    released: list[str]  # student ids whose feedback nbgrader published
    missing: list[str]  # collected but not graded (no feedback.html in the results folder)


def release_feedback(nbc: NbgraderCourse, assignment: str, results_dir: Path) -> FeedbackReport:
    """Lay each collected student's feedback.html out where nbgrader's `release_feedback`
    takes it, then run it, so students get it with "Fetch Feedback"."""
    submitted = nbc.root / "submitted"
    report = FeedbackReport([], [])
    folders = sorted(submitted.glob(f"*/{assignment}")) if submitted.is_dir() else []
    if not folders:
        raise ExchangeError(f"nothing collected for {assignment} under {submitted}")
    for folder in folders:
        if not all((folder / name).is_file() for name in SUBMISSION_FILES):
            continue  # not from `nbgrader submit`: nothing nbgrader could hand back
        try:
            student_id = check_student_id(folder.parent.name)
        except StudentIdError:
            continue  # intake lists it as a problem row when grading
        page = results_dir / student_id / "feedback.html"
        if not page.is_file():
            report.missing.append(student_id)
            continue
        target = nbc.root / "feedback" / folder.parent.name / assignment
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in SUBMISSION_FILES:
            shutil.copy2(folder / name, target / name)
        for notebook in sorted(folder.glob("*.ipynb")):  # nbgrader keys feedback by notebook
            shutil.copyfile(page, target / f"{notebook.stem}.html")
        report.released.append(student_id)
    if report.released:
        _checked(nbc.api().release_feedback(assignment), "release_feedback")
    return report
