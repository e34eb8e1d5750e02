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

Nothing a TA points at can block or crash intake: only regular files are opened (a FIFO
or device named *.ipynb is a problem row, never read), every folder listing and read is
guarded, and `member_refusal` is the one place that decides what a zip member may be.
A notebook member that cannot be extracted (encrypted, unsupported compression, corrupt
stream) still belongs to its student: it becomes a submission with `refused` set, which
batch grading turns into a `bad-archive` result naming the member.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
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
# what Python's zipfile can decompress; Deflate64 (9), PPMd, ... are refused by name
SUPPORTED_COMPRESSION = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
# everything reading a damaged zip can raise (zlib.error is not a BadZipFile)
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
)


def lms_student(name: str) -> str:
    """The student part of an LMS's folder or file name; other names pass unchanged."""
    if match := MOODLE_FOLDER.match(name):
        return match["name"]
    if match := CANVAS_FILE.match(name):
        return match["name"]
    return name


@dataclass(frozen=True)
class Refusal:
    """Why a student's notebook could not be taken from an archive: `status` for the
    tables, `reason` (English) for the TA, `student_reason` (Russian) for the student."""

    status: str
    reason: str
    student_reason: str


@dataclass(frozen=True)
class SubmissionFile:
    student_id: str
    path: Path  # a regular file we own (original or staged copy); for `refused`, the archive
    source: str  # where it came from, for people
    submitted_at: datetime  # timezone-aware
    time_source: str  # "file" (modification time), "zip" (zip entry time), "client" (nbgrader)
    content_sha256: str
    refused: Refusal | None = None  # set: not gradable, becomes an error result


@dataclass(frozen=True)
class IntakeProblem:
    source: str
    message: str
    status: str = "not graded"  # not graded / ignored / bad-archive / warning


@dataclass
class Intake:
    submissions: list[SubmissionFile]
    problems: list[IntakeProblem]
    skipped: list[SubmissionFile]  # older notebooks of a student who sent several


class _Unreadable(Exception):
    """A file that must not or cannot be read; the message is for the TA."""


def collect(paths: list[Path], staging: Path, assignment_notebook: str) -> Intake:
    """Every submission under `paths`; zip members are staged under `staging`."""
    found: list[SubmissionFile] = []
    problems: list[IntakeProblem] = []
    stem = Path(assignment_notebook).stem
    for path in paths:
        kind = _kind(path)
        if kind in ("missing", "symlink"):
            problems.append(IntakeProblem(str(path), "no such file or folder (or a symlink)"))
        elif kind == "dir" and path.suffix.lower() != ".ipynb":
            _from_folder(path, stem, found, problems)
        elif kind != "file":
            problems.append(IntakeProblem(str(path), _NOT_REGULAR.get(kind, kind)))
        elif path.suffix.lower() == ".zip":
            _from_zip(path, staging, stem, found, problems)
        elif path.suffix.lower() == ".ipynb":
            _add(found, problems, path.stem, path, str(path), stem, container=None)
        else:
            problems.append(IntakeProblem(str(path), "not a notebook (.ipynb), folder or zip"))
    return _latest_per_student(found, problems)


_NOT_REGULAR = {
    "dir": "a folder named like a notebook; ignored",
    "other": "not a regular file (a pipe, socket or device); never opened",
}


def _kind(path: Path) -> str:
    """file / dir / symlink / other (FIFO, socket, device) / missing, from lstat alone:
    nothing is opened. A path that cannot even be examined is `cannot be examined (...)`."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:  # EACCES, ENAMETOOLONG, ELOOP
        return f"cannot be examined ({exc.strerror})"
    except ValueError:  # a NUL in the name
        return "cannot be examined (a NUL character in the name)"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _from_folder(folder: Path, stem: str, found: list, problems: list) -> None:
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(IntakeProblem(str(folder), f"folder cannot be listed ({exc.strerror})"))
        return
    for entry in entries:
        if entry.name in IGNORED_NAMES or entry.name.startswith("."):
            continue
        kind = _kind(entry)
        if kind == "symlink":
            problems.append(IntakeProblem(str(entry), "symlink ignored"))
        elif kind == "dir" and entry.suffix.lower() != ".ipynb":
            _from_student_folder(entry, stem, found, problems)
        elif kind != "file":
            problems.append(IntakeProblem(str(entry), _NOT_REGULAR.get(kind, kind)))
        elif entry.suffix.lower() == ".ipynb":
            canvas = lms_student(entry.name)
            student = canvas if canvas != entry.name else entry.stem
            _add(found, problems, student, entry, str(entry), stem, container=folder.name)
        elif entry.suffix.lower() == ".zip":
            problems.append(IntakeProblem(str(entry), "zip inside a folder: pass it on its own"))
        else:
            problems.append(
                IntakeProblem(str(entry), "not a notebook (.ipynb); ignored", "ignored")
            )


def _from_student_folder(entry: Path, stem: str, found: list, problems: list) -> None:
    try:
        candidates = sorted(p for p in entry.rglob("*.ipynb") if _plain_notebook(p, entry))
    except OSError as exc:
        problems.append(IntakeProblem(str(entry), f"folder cannot be listed ({exc.strerror})"))
        return
    notebooks = []
    for path in candidates:
        kind = _kind(path)
        if kind == "file":
            notebooks.append(path)
        elif kind != "symlink":
            problems.append(IntakeProblem(str(path), _NOT_REGULAR.get(kind, kind)))
    notebooks = [nb for nb in notebooks if _nbgrader_assignment(nb) in (None, stem)]
    if not notebooks:
        problems.append(IntakeProblem(str(entry), "folder holds no notebook"))
    student = lms_student(entry.name)
    for nb in notebooks:
        when, problem = _nbgrader_time(nb)
        if problem:
            problems.append(IntakeProblem(str(nb), problem, "warning"))
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
    return not any(p in IGNORED_NAMES or p.startswith(".") for p in parts)


def _from_zip(archive: Path, staging: Path, stem: str, found: list, problems: list) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_ENTRIES:
                problems.append(
                    IntakeProblem(
                        str(archive), f"more than {MAX_ZIP_ENTRIES} entries", "bad-archive"
                    )
                )
                return
            if sum(m.file_size for m in members) > MAX_ZIP_TOTAL_BYTES:
                problems.append(
                    IntakeProblem(str(archive), "unpacks to more than 2 GB", "bad-archive")
                )
                return
            before = len(found) + len(problems)
            for member in members:
                try:
                    _from_zip_member(zf, member, archive, staging, stem, found, problems)
                except ZIP_ERRORS as exc:  # one bad member never drops the ones after it
                    where = f"{archive}:{member_name(member)}"
                    problems.append(IntakeProblem(where, _safe_reason(exc), "bad-archive"))
            if len(found) + len(problems) == before:
                problems.append(IntakeProblem(str(archive), "zip holds no notebook"))
    except ZIP_ERRORS as exc:
        why = _safe_reason(exc)
        if isinstance(exc, UnicodeDecodeError):  # zipfile decodes every name on opening
            why = "a member name flagged UTF-8 is not valid UTF-8; re-create the zip"
        problems.append(IntakeProblem(str(archive), f"not a readable zip ({why})", "bad-archive"))


def member_refusal(member: zipfile.ZipInfo) -> Refusal | None:
    """Why this zip member cannot be extracted, judged from its header alone; None if it
    may be read (a corrupt stream is found while reading and refused the same way)."""
    if member.flag_bits & 0x1:
        return Refusal(
            "bad-archive",
            "encrypted (password-protected) member",
            "файл в архиве зашифрован паролем; загрузите ноутбук без пароля",
        )
    if member.compress_type not in SUPPORTED_COMPRESSION:
        return Refusal(
            "bad-archive",
            f"unsupported compression method {member.compress_type}"
            + (" (Deflate64)" if member.compress_type == 9 else ""),
            "файл в архиве сжат неподдерживаемым методом; загрузите ноутбук без архива "
            "или сожмите обычным zip",
        )
    return None


CORRUPT = Refusal(
    "bad-archive",
    "corrupt compressed data",
    "файл в архиве повреждён и не распаковывается; загрузите ноутбук заново",
)


def member_name(member: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it. Without the UTF-8 flag, zipfile decodes
    names as cp437; Info-ZIP's zip and many Windows tools store UTF-8 bytes without setting
    it, which turns Cyrillic names into mojibake. Those bytes are re-read as UTF-8 when they
    are valid UTF-8."""
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


def _from_zip_member(zf, member, archive, staging, stem, found, problems) -> None:
    name = member_name(member)
    where = f"{archive}:{name}"
    if member.is_dir():
        return
    skip = _member_skip(name, member)
    if skip is not None:
        if skip:
            problems.append(IntakeProblem(where, *skip))
        return
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if len(parts) == 1:
        canvas = lms_student(parts[0])
        student = canvas if canvas != parts[0] else PurePosixPath(name).stem
        container = archive.stem
    else:
        student = container = lms_student(parts[0])
    when, time_source = _member_time(member, archive)
    refusal = member_refusal(member)
    if refusal is None:
        target = staging / hashlib.sha256(where.encode("utf-8", "replace")).hexdigest()[:16]
        staged = _stage(zf, member, target / "submission.ipynb", where)
        if isinstance(staged, IntakeProblem):
            problems.append(staged)
            return
        refusal = CORRUPT if staged is None else None
    if refusal is not None:
        _add_refused(
            found, problems, student, archive, where, stem, container, when, refusal, member
        )
        return
    _add(
        found,
        problems,
        student,
        staged,
        where,
        stem,
        container=container,
        when=when,
        time_source=time_source,
    )


def _member_skip(name: str, member: zipfile.ZipInfo) -> tuple[str, ...] | None:
    """None for a notebook to take; else the problem (message, status), or () to pass
    over it silently (system files)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        return ("unsafe path in zip (absolute or '..'); ignored",)
    if stat.S_ISLNK(member.external_attr >> 16):
        return ("symlink in zip; ignored",)
    if any(p in IGNORED_NAMES or p.startswith(".") for p in parts):
        return ()
    if not name.lower().endswith(".ipynb"):
        return ("not a notebook; ignored (never opened)", "ignored")
    if member.file_size > MAX_NOTEBOOK_BYTES:
        return ("notebook larger than 50 MB",)
    return None


def _stage(zf, member, target: Path, where: str) -> Path | IntakeProblem | None:
    """The member copied to `target`; None when its stream is corrupt."""
    try:
        with zf.open(member) as src:
            data = src.read(MAX_NOTEBOOK_BYTES + 1)
    except ZIP_ERRORS:
        return None
    if len(data) > MAX_NOTEBOOK_BYTES:  # the header lied about the size
        return IntakeProblem(where, "notebook larger than 50 MB")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        return IntakeProblem(where, f"cannot be staged ({exc.strerror})")
    return target


def _member_time(member: zipfile.ZipInfo, archive: Path) -> tuple[datetime, str]:
    """The member's own time; a zero or impossible DOS date falls back to the archive's."""
    try:
        return datetime(*member.date_time, tzinfo=UTC), "zip"
    except ValueError:
        return datetime.fromtimestamp(archive.stat().st_mtime, tz=UTC), "file"


def _safe_reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200] if text.strip() else type(exc).__name__


def _student(student: str, stem: str, container: str | None) -> str:
    return container if (student == stem and container) else student  # hw01.ipynb in ivanov/


def _add_refused(found, problems, student, archive, where, stem, container, when, refusal, member):
    try:
        student_id = check_student_id(_student(student, stem, container))
    except StudentIdError as exc:
        problems.append(IntakeProblem(where, f"{refusal.reason}; {exc}", refusal.status))
        return
    # stable across runs, so a re-run skips it like any graded file
    identity = f"{member_name(member)}\0{member.CRC}\0{member.compress_size}\0{refusal.reason}"
    digest = hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()
    found.append(SubmissionFile(student_id, archive, where, when, "zip", digest, refusal))


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
    try:
        student_id = check_student_id(_student(student, stem, container))
    except StudentIdError as exc:
        problems.append(IntakeProblem(source, str(exc)))
        return
    try:
        data, mtime = _read_regular(path)
    except _Unreadable as exc:
        problems.append(IntakeProblem(source, str(exc)))
        return
    when = when or datetime.fromtimestamp(mtime, tz=UTC)
    digest = hashlib.sha256(data).hexdigest()
    found.append(SubmissionFile(student_id, path, _storable(source), when, time_source, digest))


def _storable(text: str) -> str:
    """`text` with undecodable file-name bytes (surrogate escapes) as U+FFFD, so it can be
    stored in the gradebook and written to results."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read_regular(path: Path) -> tuple[bytes, float]:
    """The bytes and modification time of a regular file of at most MAX_NOTEBOOK_BYTES.
    Opened non-blocking and checked with fstat, so a FIFO swapped in is never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise _Unreadable(f"cannot be read ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_NOTEBOOK_BYTES:
        os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Unreadable(_NOT_REGULAR["dir" if stat.S_ISDIR(info.st_mode) else "other"])
        raise _Unreadable("notebook larger than 50 MB")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(MAX_NOTEBOOK_BYTES + 1)
        except OSError as exc:
            raise _Unreadable(f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise _Unreadable("notebook larger than 50 MB")
    return data, info.st_mtime


def _latest_per_student(found: list[SubmissionFile], problems: list[IntakeProblem]) -> Intake:
    by_student: dict[str, list[SubmissionFile]] = {}
    for sub in found:
        by_student.setdefault(sub.student_id, []).append(sub)
    latest, skipped = [], []
    for student_id in sorted(by_student):
        ordered = sorted(by_student[student_id], key=lambda s: (s.submitted_at, s.source))
        latest.append(ordered[-1])
        skipped.extend(ordered[:-1])
    problems.extend(_case_clashes(sorted(by_student)))
    return Intake(latest, problems, skipped)


def _case_clashes(student_ids: list[str]) -> list[IntakeProblem]:
    """A warning for ids that differ only by letter case (`Ivanov`, `ivanov`): they are
    graded as different students, which is rarely what the TA wants."""
    groups: dict[str, list[str]] = {}
    for student_id in student_ids:
        groups.setdefault(student_id.casefold(), []).append(student_id)
    return [
        IntakeProblem(
            ", ".join(ids),
            "student ids differ only by letter case: graded as different students; "
            "rename the files if they are one person",
            "warning",
        )
        for ids in groups.values()
        if len(ids) > 1
    ]
