"""Turns what a TA points the grader at — notebooks, folders, zips — into submissions:
who (student id), which file, when. Zips are read member by member with caps; nothing
from a zip is ever extracted outside the staging folder, and only notebooks are taken.

Naming rules (documented in the README):
  <student_id>.ipynb                      the file name stem is the student id
  <student_id>/<anything>.ipynb           the folder name is the student id
  <assignment>.ipynb inside <id>.zip/<id>/ a notebook named like the assignment takes the
                                          id of the zip or folder holding it
LMS bulk downloads ("download all submissions"):
  Moodle   <Full Name>_<participant id>_assignsubmission_file_/<file>.ipynb
           -> the full name (participant ids differ between assignments; names do not)
  Canvas   <lastfirst>[_LATE]_<user id>_<submission id>_<file>.ipynb
           -> lastfirst, the login-style name Canvas puts first
nbgrader's collected layout (`nbgrader collect`):
  submitted/<student>/<assignment>/<notebook>.ipynb + timestamp.txt
           -> the student folder's name; the time is timestamp.txt's, written by the
              student's own machine at `nbgrader submit` (time source "client", never
              trusted like a server's); other assignments' folders are passed over
Several notebooks for one student: the latest by submission time counts; the others are
reported as skipped.
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import dateutil.parser
import dateutil.tz

from autograder.course.student_ids import StudentIdError, check_student_id

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "__MACOSX", ".ipynb_checkpoints"}
NBGRADER_TIMESTAMP = "timestamp.txt"  # nbgrader submit writes it beside the notebooks
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_[a-z]+_?$")
CANVAS_FILE = re.compile(r"^(?P<name>[^_/]+)(?:_LATE)?_\d+_\d+_.+\.ipynb$", re.IGNORECASE)


def lms_student(name: str) -> str:
    """The student part of an LMS's folder or file name; other names pass unchanged."""
    if match := MOODLE_FOLDER.match(name):
        return match["name"]
    if match := CANVAS_FILE.match(name):
        return match["name"]
    return name


@dataclass(frozen=True)
class SubmissionFile:
    student_id: str
    path: Path  # a regular file we own (original or staged copy)
    source: str  # where it came from, for people
    submitted_at: datetime  # timezone-aware
    time_source: str  # "file" (modification time), "zip" (zip entry time), "client" (nbgrader)
    content_sha256: str


@dataclass(frozen=True)
class IntakeProblem:
    source: str
    message: str


@dataclass
class Intake:
    submissions: list[SubmissionFile]
    problems: list[IntakeProblem]
    skipped: list[SubmissionFile]  # older notebooks of a student who sent several


def collect(paths: list[Path], staging: Path, assignment_notebook: str) -> Intake:
    """Every submission under `paths`; zip members are staged under `staging`."""
    found: list[SubmissionFile] = []
    problems: list[IntakeProblem] = []
    stem = Path(assignment_notebook).stem
    for path in paths:
        if path.is_symlink() or not path.exists():
            problems.append(IntakeProblem(str(path), "no such file or folder (or a symlink)"))
        elif path.is_dir():
            _from_folder(path, stem, found, problems)
        elif path.suffix.lower() == ".zip":
            _from_zip(path, staging, stem, found, problems)
        elif path.suffix.lower() == ".ipynb":
            _add(found, problems, path.stem, path, str(path), stem, container=None)
        else:
            problems.append(IntakeProblem(str(path), "not a notebook (.ipynb), folder or zip"))
    return _latest_per_student(found, problems)


def _from_folder(folder: Path, stem: str, found: list, problems: list) -> None:
    for entry in sorted(folder.iterdir()):
        if entry.name in IGNORED_NAMES or entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(IntakeProblem(str(entry), "symlink ignored"))
        elif entry.is_dir():
            notebooks = sorted(p for p in entry.rglob("*.ipynb") if _plain_notebook(p, entry))
            notebooks = [nb for nb in notebooks if _nbgrader_assignment(nb) in (None, stem)]
            if not notebooks:
                problems.append(IntakeProblem(str(entry), "folder holds no notebook"))
            student = lms_student(entry.name)
            for nb in notebooks:
                when, problem = _nbgrader_time(nb)
                if problem:
                    problems.append(IntakeProblem(str(nb), problem))
                source = "client" if when else "file"
                _add(
                    found,
                    problems,
                    student,
                    nb,
                    str(nb),
                    stem,
                    container=student,
                    when=when,
                    time_source=source,
                )
        elif entry.suffix.lower() == ".ipynb":
            canvas = lms_student(entry.name)
            student = canvas if canvas != entry.name else entry.stem
            _add(found, problems, student, entry, str(entry), stem, container=folder.name)
        elif entry.suffix.lower() == ".zip":
            problems.append(IntakeProblem(str(entry), "zip inside a folder: pass it on its own"))
        else:
            problems.append(IntakeProblem(str(entry), "not a notebook (.ipynb); ignored"))


def _nbgrader_assignment(notebook: Path) -> str | None:
    """The assignment of a notebook in nbgrader's collected layout (its folder holds
    timestamp.txt); None for any other notebook."""
    return notebook.parent.name if (notebook.parent / NBGRADER_TIMESTAMP).is_file() else None


def _nbgrader_time(notebook: Path) -> tuple[datetime | None, str | None]:
    """The submission time nbgrader wrote beside the notebook (the student's clock), or
    (None, why) when there is none or it does not parse: then the file's time counts."""
    stamp = notebook.parent / NBGRADER_TIMESTAMP
    if not stamp.is_file():
        return None, None
    try:
        text = stamp.read_text(encoding="utf-8")[:200].strip()
        # nbgrader's default format is "%Y-%m-%d %H:%M:%S.%f %Z": a zone name last
        day, clock, *zone = text.split(" ")
        when = dateutil.parser.parse(f"{day} {clock}")
        tz = dateutil.tz.gettz(zone[0]) if zone else UTC
        if when.tzinfo is None and tz is None:
            raise ValueError(f"unknown time zone {zone[0]!r}")
    except (OSError, UnicodeDecodeError, ValueError, OverflowError) as exc:
        return None, f"{NBGRADER_TIMESTAMP} unreadable ({exc}); the file's time counts"
    return (when if when.tzinfo else when.replace(tzinfo=tz)).astimezone(UTC), None


def _plain_notebook(path: Path, top: Path) -> bool:
    parts = path.relative_to(top).parts
    return not path.is_symlink() and not any(p in IGNORED_NAMES or p.startswith(".") for p in parts)


def _from_zip(archive: Path, staging: Path, stem: str, found: list, problems: list) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_ENTRIES:
                problems.append(IntakeProblem(str(archive), f"more than {MAX_ZIP_ENTRIES} entries"))
                return
            if sum(m.file_size for m in members) > MAX_ZIP_TOTAL_BYTES:
                problems.append(IntakeProblem(str(archive), "unpacks to more than 2 GB"))
                return
            for member in members:
                _from_zip_member(zf, member, archive, staging, stem, found, problems)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        problems.append(IntakeProblem(str(archive), f"not a readable zip ({exc})"))


def _from_zip_member(zf, member, archive, staging, stem, found, problems) -> None:
    name = member.filename
    where = f"{archive}:{name}"
    if member.is_dir():
        return
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        problems.append(IntakeProblem(where, "unsafe path in zip (absolute or '..'); ignored"))
        return
    if stat.S_ISLNK(member.external_attr >> 16):
        problems.append(IntakeProblem(where, "symlink in zip; ignored"))
        return
    if any(p in IGNORED_NAMES or p.startswith(".") for p in parts):
        return
    if not name.lower().endswith(".ipynb"):
        problems.append(IntakeProblem(where, "not a notebook; ignored (never opened)"))
        return
    if len(parts) == 1:
        canvas = lms_student(parts[0])
        student = canvas if canvas != parts[0] else PurePosixPath(name).stem
        container = archive.stem
    else:
        student = container = lms_student(parts[0])
    if member.file_size > MAX_NOTEBOOK_BYTES:
        problems.append(IntakeProblem(where, "notebook larger than 50 MB"))
        return
    target = staging / hashlib.sha256(where.encode()).hexdigest()[:16] / "submission.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zf.open(member) as src, target.open("wb") as dst:
        data = src.read(MAX_NOTEBOOK_BYTES + 1)
        if len(data) > MAX_NOTEBOOK_BYTES:  # the header lied about the size
            problems.append(IntakeProblem(where, "notebook larger than 50 MB"))
            return
        dst.write(data)
    when = datetime(*member.date_time, tzinfo=UTC)
    _add(
        found,
        problems,
        student,
        target,
        where,
        stem,
        container=container,
        when=when,
        time_source="zip",
    )


def _add(
    found,
    problems,
    student,
    path: Path,
    source: str,
    stem: str,
    *,
    container,
    when=None,
    time_source="file",
) -> None:
    if student == stem and container:
        student = container  # hw01.ipynb inside ivanov/ -> ivanov
    try:
        student_id = check_student_id(student)
    except StudentIdError as exc:
        problems.append(IntakeProblem(source, str(exc)))
        return
    try:
        info = path.stat()
        if info.st_size > MAX_NOTEBOOK_BYTES:
            problems.append(IntakeProblem(source, "notebook larger than 50 MB"))
            return
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        when = when or datetime.fromtimestamp(info.st_mtime, tz=UTC)
    except OSError as exc:
        problems.append(IntakeProblem(source, f"cannot be read ({exc.strerror})"))
        return
    found.append(SubmissionFile(student_id, path, source, when, time_source, digest))


def _latest_per_student(found: list[SubmissionFile], problems: list[IntakeProblem]) -> Intake:
    by_student: dict[str, list[SubmissionFile]] = {}
    for sub in found:
        by_student.setdefault(sub.student_id, []).append(sub)
    latest, skipped = [], []
    for student_id in sorted(by_student):
        ordered = sorted(by_student[student_id], key=lambda s: (s.submitted_at, s.source))
        latest.append(ordered[-1])
        skipped.extend(ordered[:-1])
    return Intake(latest, problems, skipped)
