"""The command line's own outcomes: an unknown backend is a usage error (not exit 0), an
unexpected exception is one line pointing at --debug, and names printed to the TA's
terminal carry no raw control characters."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from autograder import cli as cli_module
from autograder.batch import BatchReport, Outcome
from autograder.display import plain, print_batch, shown
from autograder.intake import Intake, IntakeProblem, SubmissionFile

EVIL = "Evil\x1b[2J\x1b]0;owned\x07\u202egnp.exe\ud800"


@pytest.mark.parametrize("command", ["grade hw01 .", "release hw01"])
def test_an_unknown_backend_is_a_usage_error(cli, course_root, command):
    proc = cli(course_root, *command.split(), "--backend", "nosuch")
    assert proc.returncode == 2
    assert "'nosuch': choose auto, zygote, bwrap, unshare, none" in proc.stderr


def _main(monkeypatch, *args: str) -> None:
    monkeypatch.setattr(sys, "argv", ["autograder", *args])
    cli_module.main()


@pytest.fixture
def broken_gradebook(monkeypatch, course_root):
    def explode(*_args, **_kwargs):
        raise ZeroDivisionError("the bug\nsecond line")

    monkeypatch.setattr(cli_module, "gradebook_rows", explode)
    monkeypatch.setenv("AUTOGRADER_GRADEBOOK", str(course_root / "gb.db"))
    return course_root


def test_an_unexpected_error_is_one_line_pointing_at_debug(monkeypatch, capsys, broken_gradebook):
    with pytest.raises(SystemExit) as caught:
        _main(monkeypatch, "--course", str(broken_gradebook), "gradebook")
    assert caught.value.code == 1
    err = " ".join(capsys.readouterr().err.split())  # rich wraps at the test's 80 columns
    assert err == (
        "error: unexpected ZeroDivisionError: the bug (run with --debug for the traceback)"
    )


def test_debug_lets_the_traceback_out(monkeypatch, broken_gradebook):
    with pytest.raises(ZeroDivisionError):
        _main(monkeypatch, "--debug", "--course", str(broken_gradebook), "gradebook")
    monkeypatch.setattr(cli_module, "_debug", False)


def test_control_characters_are_escaped_for_the_terminal():
    text = plain(EVIL)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)
    assert text == "Evil\\x1b[2J\\x1b]0;owned\\x07\\u202egnp.exe\\ud800"
    assert shown("[bold]x[/bold]") == "\\[bold]x\\[/bold]"
    assert plain("строка 1\nстрока 2", lines=True) == "строка 1\nстрока 2"


def test_the_batch_table_prints_hostile_names_escaped():
    sub = SubmissionFile(
        "ivanov", Path("x"), f"lms.zip:{EVIL}/hw01.ipynb", datetime.now(UTC), "zip", "0" * 64
    )
    report = BatchReport([Outcome(sub, "failed", status="bad-archive", message=EVIL)])
    intake = Intake([sub], [IntakeProblem(f"lms.zip:{EVIL}.ipynb", "not a safe student id")], [])
    buffer = io.StringIO()
    console = Console(file=buffer, width=400, force_terminal=True, color_system="standard")
    print_batch(console, report, intake, Path("res"))
    printed = buffer.getvalue()
    # rich's own colour codes are ESC [ ... m; the name's ESC [2J and OSC sequences are gone
    assert "\x1b[2J" not in printed and "\x1b]0;" not in printed and "\x07" not in printed
    assert "\u202e" not in printed
    assert "Evil\\x1b[2J" in printed
