"""Zips that broke intake: every member is judged on its own, a member that cannot be
extracted becomes a refused submission or a problem naming it, and the members after it
are still read. Members are damaged with Python's zipfile plus hand-set header fields
(tests/bad_inputs.py), so each kind is exactly the one named."""

from __future__ import annotations

import zipfile

import pytest
from bad_inputs import corrupt_member, notebook_bytes, patch_member, write_zip

from autograder.intake import collect, member_name

NB = notebook_bytes("def relu(x):\n    return x\n" + "# padding\n" * 100)
MOODLE = "{}_{}_assignsubmission_file_/hw01.ipynb"


def _moodle(tmp_path, broken: str):
    names = {n: MOODLE.format(n, i) for i, n in enumerate(["Anna A", broken, "Zoe Z"], start=1)}
    archive = write_zip(tmp_path / "lms.zip", {member: NB for member in names.values()})
    return archive, names[broken]


def _collect(tmp_path, archive):
    return collect([archive], tmp_path / "stage", "hw01.ipynb")


def _by_student(intake):
    return {s.student_id: s for s in intake.submissions}


@pytest.mark.parametrize(
    ("damage", "status", "reason", "student_reason"),
    [
        (
            lambda z, m: patch_member(z, m, encrypted=True),
            "bad-archive",
            "encrypted",
            "зашифрован",
        ),
        (lambda z, m: corrupt_member(z, m), "bad-archive", "corrupt", "повреждён"),
        (
            lambda z, m: patch_member(z, m, method=9),
            "bad-archive",
            "Deflate64",
            "неподдерживаемым методом",
        ),
    ],
    ids=["encrypted", "corrupt-deflate", "deflate64"],
)
def test_a_member_that_cannot_be_extracted_is_refused_and_the_rest_are_taken(
    tmp_path, damage, status, reason, student_reason
):
    archive, member = _moodle(tmp_path, "Bob B")
    damage(archive, member)
    intake = _collect(tmp_path, archive)
    subs = _by_student(intake)
    assert sorted(subs) == ["Anna A", "Bob B", "Zoe Z"]
    assert subs["Anna A"].refused is None and subs["Zoe Z"].refused is None
    refused = subs["Bob B"].refused
    assert refused is not None and refused.status == status
    assert reason in refused.reason and student_reason in refused.student_reason
    assert subs["Bob B"].source.endswith(member)
    assert intake.problems == []


def test_a_refused_member_has_a_stable_digest_so_a_rerun_skips_it(tmp_path):
    archive, _ = _moodle(tmp_path, "Bob B")
    patch_member(archive, MOODLE.format("Bob B", 2), encrypted=True)
    first = _by_student(_collect(tmp_path, archive))["Bob B"]
    again = _by_student(_collect(tmp_path, archive))["Bob B"]
    assert first.content_sha256 == again.content_sha256


def test_a_dos_date_of_zero_keeps_the_member_and_the_ones_after_it(tmp_path):
    archive, member = _moodle(tmp_path, "Bob B")
    patch_member(archive, member, dos_date=0)
    intake = _collect(tmp_path, archive)
    subs = _by_student(intake)
    assert sorted(subs) == ["Anna A", "Bob B", "Zoe Z"]
    assert subs["Bob B"].refused is None
    assert subs["Bob B"].time_source == "file"  # the archive's own time stands in
    assert subs["Zoe Z"].time_source == "zip"


def test_a_long_cyrillic_name_is_a_problem_naming_the_member_not_a_crash(tmp_path):
    long_name = "Очень Длинное Имя Студента " * 5  # 135 characters, 250 bytes in UTF-8
    archive = write_zip(
        tmp_path / "lms.zip",
        {MOODLE.format("Anna A", 1): NB, MOODLE.format(long_name.strip(), 2): NB},
    )
    intake = _collect(tmp_path, archive)
    assert [s.student_id for s in intake.submissions] == ["Anna A"]
    [problem] = intake.problems
    assert "Очень Длинное" in problem.source and "longer than" in problem.message


def test_a_long_id_in_bytes_but_not_in_characters_is_refused(tmp_path):
    name = "Я" * 125  # 125 characters (under the 128 cap), 250 bytes: no folder can be named so
    archive = write_zip(tmp_path / "lms.zip", {MOODLE.format(name, 1): NB})
    [problem] = _collect(tmp_path, archive).problems
    assert "too long for a file name" in problem.message


def test_utf8_names_without_the_utf8_flag_are_read_as_written(tmp_path):
    archive = tmp_path / "infozip.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("placeholder", date_time=(2026, 10, 1, 12, 0, 0))
        zf.writestr(info, NB)
    # what Info-ZIP's zip writes: UTF-8 bytes, flag bit 11 unset
    name = MOODLE.format("Иван Петров", 7).encode()
    data = archive.read_bytes()
    data = data.replace(b"placeholder", name[:11], 2)  # same length keeps offsets valid
    archive.write_bytes(data)
    with zipfile.ZipFile(archive) as zf:
        [info] = zf.infolist()
        info.filename = name.decode("cp437")
        assert member_name(info) == name.decode()


def test_members_with_escape_sequences_in_their_names_are_problems(tmp_path):
    archive = write_zip(
        tmp_path / "lms.zip",
        {MOODLE.format("Anna A", 1): NB, MOODLE.format("Evil\x1b[2J\x1b]0;pwned\x07", 2): NB},
    )
    intake = _collect(tmp_path, archive)
    assert [s.student_id for s in intake.submissions] == ["Anna A"]
    [problem] = intake.problems
    assert "not a safe student id" in problem.message


def test_a_zip_that_is_not_a_zip_is_one_bad_archive_problem(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    [problem] = _collect(tmp_path, path).problems
    assert problem.status == "bad-archive" and "not a readable zip" in problem.message


def test_an_empty_zip_says_so(tmp_path):
    path = write_zip(tmp_path / "empty.zip", {"Anna A_1_assignsubmission_file_/": b""})
    [problem] = _collect(tmp_path, path).problems
    assert "holds no notebook" in problem.message


def test_a_name_flagged_utf8_that_is_not_utf8_says_so(tmp_path):
    archive = write_zip(tmp_path / "lms.zip", {"Иван/hw01.ipynb": NB})
    archive.write_bytes(archive.read_bytes().replace("Иван".encode(), b"\xff\xfe\xfd\xfc" * 2))
    [problem] = _collect(tmp_path, archive).problems
    assert problem.status == "bad-archive" and "not valid UTF-8" in problem.message
