"""Hypothesis strategies for hostile inputs: names, notebook JSON, zips, CSVs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from bad_inputs import corrupt_member, notebook_bytes, patch_member
from hypothesis import strategies as st

# every kind of character a name can carry: controls, escapes, Cyrillic, bidi overrides
NAME_CHARS = st.characters(codec="utf-8", exclude_characters="\x00/\\")
HOSTILE_BITS = st.sampled_from(
    ["\x1b[2J", "\x1b]0;t\x07", "\u202e", "..", " ", "_", "Иван Петров", "hw01", "Я" * 130, "\t"]
)
names = st.lists(st.one_of(st.text(NAME_CHARS, max_size=12), HOSTILE_BITS), max_size=4).map("".join)
# argv can carry neither NUL nor lone surrogates
ARG_CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
arguments = st.one_of(
    st.text(ARG_CHARS, max_size=30),
    st.sampled_from(["1e309", "1e30", "nan", "-1", "40.001", "١٢", "0x10", "--help", "-"]),
)

ANY_CHARS = st.characters(exclude_categories=())  # lone surrogates and NUL included
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(ANY_CHARS, max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)
CELL_KEYS = ["cell_type", "source", "metadata", "outputs", "execution_count", "id", "attachments"]
TOP_KEYS = ["cells", "metadata", "nbformat", "nbformat_minor"]


@st.composite
def notebook_texts(draw) -> bytes:
    """A notebook's bytes: valid, with some fields replaced by nonsense, then maybe cut or
    with bytes flipped."""
    sources = draw(st.lists(st.text(ANY_CHARS, max_size=30), max_size=3))
    data = json.loads(notebook_bytes(*sources))
    cells = list(data["cells"])  # kept apart: "cells" itself may be replaced below
    for _ in range(draw(st.integers(0, 3))):
        if cells and draw(st.booleans()):
            cell = draw(st.sampled_from(cells))
            cell[draw(st.sampled_from(CELL_KEYS))] = draw(json_values)
        else:
            data[draw(st.sampled_from(TOP_KEYS))] = draw(json_values)
    raw = json.dumps(data).encode()
    damage = draw(st.sampled_from(["none", "none", "cut", "flip", "bytes"]))
    if damage == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "flip" and raw:
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1 :]
    elif damage == "bytes":
        raw = draw(st.binary(max_size=200))
    return raw


MEMBER_DAMAGE = ["none", "none", "encrypted", "deflate64", "date0", "corrupt"]


@st.composite
def member_names(draw) -> str:
    folder = draw(names)
    kind = draw(st.sampled_from(["moodle", "canvas", "plain", "nested", "raw"]))
    if kind == "moodle":
        return f"{folder}_{draw(st.integers(0, 10**6))}_assignsubmission_file_/hw01.ipynb"
    if kind == "canvas":
        return f"{folder}_{draw(st.integers(0, 99))}_{draw(st.integers(0, 99))}_hw01.ipynb"
    if kind == "nested":
        return f"{folder}/{draw(names)}/{draw(names)}.ipynb"
    if kind == "plain":
        return f"{folder}.ipynb"
    return draw(st.text(NAME_CHARS | st.just("/"), max_size=40)) or "x"


@st.composite
def zips(draw, path: Path, *, gradable: bool = True) -> Path:
    """A zip at `path` with hostile member names, payloads and damaged members; with
    `gradable` false, no member is a valid notebook (nothing would start a sandbox)."""
    members: dict[str, tuple[bytes, str]] = {}
    for _ in range(draw(st.integers(0, 5))):
        payload = draw(notebook_texts()) if gradable else draw(st.binary(max_size=300))
        if not gradable and payload.lstrip().startswith(b"{"):
            payload = b"#" + payload  # never JSON, so never a notebook that would run
        members[draw(member_names())] = (payload, draw(st.sampled_from(MEMBER_DAMAGE)))
    with zipfile.ZipFile(path, "w") as zf:
        for name, (data, _) in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 10, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    for name, (data, damage) in members.items():
        if damage == "encrypted":
            patch_member(path, name, encrypted=True)
        elif damage == "deflate64":
            patch_member(path, name, method=9)
        elif damage == "date0":
            patch_member(path, name, dos_date=0)
        elif damage == "corrupt" and len(data) > 8:
            corrupt_member(path, name)
    if draw(st.integers(0, 9)) == 0:  # now and then the archive itself is cut short
        raw = path.read_bytes()
        path.write_bytes(raw[: draw(st.integers(0, len(raw)))])
    return path


@st.composite
def exam_csvs(draw) -> bytes:
    """An exam CSV: a plausible header and rows with hostile fields, or raw bytes."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=300))
    sep = draw(st.sampled_from([",", ";"]))
    header = draw(st.sampled_from(["student_id,points", "student_id;points", "id,points", ""]))
    field = st.one_of(arguments, names, st.just("9" * 200_000), st.just('"unclosed'))
    rows = draw(st.lists(st.lists(field, min_size=1, max_size=3), max_size=6))
    text = header + "\n" + "\n".join(sep.join(row) for row in rows)
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8", "surrogatepass")
