"""Builders for broken inputs, shared by the bad-input regression tests and the fuzz suite.

Zip members are damaged the way real tools damage them, by editing the bytes Python's
zipfile wrote: the general-purpose flag (bit 0: encrypted), the compression method
(9: Deflate64, which zipfile cannot read), the DOS date (0: no date) and the compressed
stream itself. Both the local header and the central directory entry are edited, as a
zip tool would write them.
"""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile
from pathlib import Path

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"


def notebook_bytes(*sources: str, minor: object = 5) -> bytes:
    """A small nbformat-4 notebook with one code cell per source."""
    cells = [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src, "outputs": []}
        | {"execution_count": None}
        for i, src in enumerate(sources)
    ]
    data = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": minor}
    return json.dumps(data).encode()


def write_zip(path: Path, members: dict[str, bytes], *, deflate: bool = True) -> Path:
    """A zip with these members (dated 2026-10-01 12:00), deflated unless told otherwise."""
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 10, 1, 12, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
    return path


def _headers(data: bytes, name: str) -> tuple[int, int]:
    """Offsets of the member's local header and central directory entry."""
    encoded = name.encode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # the name as stored: UTF-8, flagged or not
        [local] = [i.header_offset for i in zf.infolist() if _raw_name(i) == encoded]
    central = data.find(CENTRAL)
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == encoded:
            return local, central
        central = data.find(CENTRAL, central + 4)
    raise KeyError(name)


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    utf8 = info.flag_bits & 0x800
    return info.filename.encode("utf-8" if utf8 else "cp437")


def patch_member(
    path: Path,
    name: str,
    *,
    encrypted: bool = False,
    method: int | None = None,
    dos_date: int | None = None,
) -> None:
    """Set the encryption flag, the compression method or the DOS date of one member."""
    data = bytearray(path.read_bytes())
    local, central = _headers(bytes(data), name)
    for flags_at, method_at, date_at in (
        (local + 6, local + 8, local + 12),
        (central + 8, central + 10, central + 14),
    ):
        if encrypted:
            flags = struct.unpack_from("<H", data, flags_at)[0] | 0x1
            struct.pack_into("<H", data, flags_at, flags)
        if method is not None:
            struct.pack_into("<H", data, method_at, method)
        if dos_date is not None:
            struct.pack_into("<H", data, date_at, dos_date)
    path.write_bytes(bytes(data))


def corrupt_member(path: Path, name: str) -> None:
    """Overwrite the middle of one member's compressed stream with garbage."""
    data = bytearray(path.read_bytes())
    local, _ = _headers(bytes(data), name)
    name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
    size = struct.unpack_from("<I", data, local + 18)[0]
    start = local + 30 + name_len + extra_len
    garbage = bytes((0xFF, 0x00, 0xAA, 0x55) * 8)
    middle = start + max(0, size // 2 - len(garbage) // 2)
    data[middle : middle + len(garbage)] = garbage[: max(1, min(len(garbage), size - 2))]
    path.write_bytes(bytes(data))


def integrity(db: Path) -> str:
    """SQLite's own verdict on the gradebook file."""
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def exam_points(db: Path, student_id: str) -> object:
    """The recorded exam points of one student, straight from the gradebook tables."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT recorded_points FROM component_scores WHERE student_id = ? AND component_id = 'exam'",
            (student_id,),
        ).fetchone()
    return row[0] if row else None
