"""The issue's "done when", tried as a TA would: a Moodle bulk download in which one
student's notebook is encrypted and another's is corrupt. Everyone else is graded; those
two become error rows (status bad-archive) naming their files, with a Russian reason in
their results.json.

The zip is made by real zip tooling: Debian's Info-ZIP `zip` (as on a TA's machine), with
`-P` (the non-interactive form of `zip -e`) for the encrypted member, which writes the
traditional PKWARE encryption every zip reader knows. The corrupt member is a deflated
stream with bytes overwritten after zipping, as a broken download leaves it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bad_inputs import corrupt_member, notebook_bytes

RELU = "def relu(x):\n    return x.clamp(min=0)\n"
# a broken emoji pasted into a comment: a lone surrogate, cleaned by the notebook reader
RELU_WITH_BROKEN_EMOJI = RELU + "# готово \ud83d\n"
ON_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=UTC).timestamp()  # hw01 is due Oct 4
FOLDER = "{name}_{pid}_assignsubmission_file_"
STUDENTS = {
    "Анна Смирнова": (101, RELU),
    "Борис Орлов": (102, RELU_WITH_BROKEN_EMOJI),
    "Вера Зайцева": (103, RELU),  # encrypted
    "Глеб Носов": (104, RELU + "x = 1\n" * 200),  # corrupt (long enough to damage mid-stream)
}

pytestmark = pytest.mark.skipif(shutil.which("zip") is None, reason="needs Info-ZIP zip")


def _moodle_zip(tmp_path: Path) -> Path:
    download = tmp_path / "download"
    for name, (pid, code) in STUDENTS.items():
        folder = download / FOLDER.format(name=name, pid=pid)
        folder.mkdir(parents=True)
        (folder / "hw01.ipynb").write_bytes(notebook_bytes(code))
        os.utime(folder / "hw01.ipynb", (ON_TIME, ON_TIME))  # zip keeps it as the entry time
    archive = tmp_path / "hw01-submissions.zip"
    plain = [FOLDER.format(name=n, pid=p) for n, (p, _) in STUDENTS.items() if n != "Вера Зайцева"]
    secret = FOLDER.format(name="Вера Зайцева", pid=103) + "/hw01.ipynb"
    env = {"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    subprocess.run(["zip", "-q", "-r", str(archive), *plain], cwd=download, env=env, check=True)
    subprocess.run(
        ["zip", "-q", "-P", "secret", str(archive), secret], cwd=download, env=env, check=True
    )
    corrupt_member(archive, FOLDER.format(name="Глеб Носов", pid=104) + "/hw01.ipynb")
    return archive


def test_encrypted_and_corrupt_members_are_error_rows_and_the_rest_is_graded(
    course_root, tmp_path, tiny_bundle, cli
):
    # a shared, loaded machine must not turn a correct relu into a timeout
    tiny_bundle(course_root, tmp_path / "build", limits={"test_seconds": 120})
    archive = _moodle_zip(tmp_path)
    proc = cli(
        course_root, "grade", "hw01", str(archive), "--out", "res", "--jobs", "1",
        env={"COLUMNS": "400"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    results = {
        p.parent.name: json.loads(p.read_text(encoding="utf-8"))
        for p in (course_root / "res").glob("*/results.json")
    }
    assert {k: (v["score"], v["extra_data"]["status"]) for k, v in results.items()} == {
        "Анна Смирнова": (2, "ok"),
        "Борис Орлов": (2, "ok"),
        "Вера Зайцева": (0, "bad-archive"),
        "Глеб Носов": (0, "bad-archive"),
    }
    assert "зашифрован паролем" in results["Вера Зайцева"]["output"]
    assert "повреждён" in results["Глеб Носов"]["output"]
    rows = [line for line in proc.stdout.splitlines() if "bad-archive" in line]
    assert len(rows) == 2
    [encrypted] = [r for r in rows if "Вера Зайцева" in r]
    [corrupt] = [r for r in rows if "Глеб Носов" in r]
    assert "Вера Зайцева_103_assignsubmission_file_/hw01.ipynb" in encrypted
    assert "encrypted" in encrypted
    assert "Глеб Носов_104_assignsubmission_file_/hw01.ipynb" in corrupt
    assert "corrupt" in corrupt
    gradebook = cli(course_root, "gradebook", "--csv", "-").stdout.splitlines()
    assert [line.split(",")[:2] for line in gradebook[1:]] == [
        ["Анна Смирнова", "2"],
        ["Борис Орлов", "2"],
        ["Вера Зайцева", "0"],
        ["Глеб Носов", "0"],
    ]
