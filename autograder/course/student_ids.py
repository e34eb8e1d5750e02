"""Student ids: a file name stem or folder name, so they must be safe as both."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 128
MAX_BYTES = 240  # UTF-8; the id names a folder (OUT/<id>/), and file names stop at 255 bytes
# Letters (Cyrillic included) and digits, with . _ - @ and inner spaces; no leading dot.
_SAFE = re.compile(r"^[^\W_][\w.@ -]*$")


class StudentIdError(ValueError):
    """Not a usable student id."""


def check_student_id(raw: str) -> str:
    """The id, normalised (NFC, outer spaces stripped); a path-like or empty id raises."""
    student_id = unicodedata.normalize("NFC", raw).strip()
    if not student_id:
        raise StudentIdError("empty student id")
    if len(student_id) > MAX_LENGTH:
        raise StudentIdError(f"student id longer than {MAX_LENGTH} characters")
    if len(student_id.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise StudentIdError(f"student id longer than {MAX_BYTES} bytes: too long for a file name")
    if not _SAFE.match(student_id) or student_id != student_id.strip(". "):
        raise StudentIdError(
            f"{raw!r} is not a safe student id (letters, digits, '.', '_', '-', '@', spaces)"
        )
    return student_id
