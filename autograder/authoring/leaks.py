"""Leak checks on released files: no solution line and no hidden-test line may appear in
anything a student receives. Checked on the produced files, never assumed.

A line counts as secret only when it is specific to the solution or the hidden tests: lines
that also appear in the material students legitimately get (prompts, provided code, public
tests) and very short lines (`return x`, `import torch`) are not evidence of a leak.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

MIN_SECRET_CHARS = 12
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".txt", ".json", ".yaml", ".yml", ".csv"}


@dataclass(frozen=True)
class Leak:
    file: str
    line: str
    kind: str  # "solution" / "hidden test"

    def __str__(self) -> str:
        return f"{self.kind} line in {self.file}: {self.line!r}"


def solution_lines(master: nbformat.NotebookNode) -> tuple[set[str], set[str]]:
    """(lines marked as solution, lines of provided code), both stripped. Provided code is
    what students get on purpose: code cells outside test blocks and solution markers. A
    secret line repeated in a markdown prompt is still a leak."""
    secret, provided = set(), set()
    in_tests = False
    for cell in master.cells:
        if cell.cell_type == "raw":
            head = cell.source.strip().upper()
            in_tests = head.startswith("# BEGIN TESTS") or (
                in_tests and not head.startswith("# END TESTS")
            )
        if cell.cell_type != "code" or in_tests:
            continue
        inside = False
        for raw in cell.source.splitlines():
            line = raw.strip()
            if line.endswith("# END SOLUTION"):
                inside = False
            elif line.startswith("# BEGIN SOLUTION"):
                inside = True
            elif inside or line.endswith("# SOLUTION"):
                secret.add(line.removesuffix("# SOLUTION").strip())
            else:
                provided.add(line)
    return secret, provided


def hidden_test_lines(test_file: Path) -> tuple[set[str], set[str]]:
    """(lines of hidden test-case functions, lines of public ones) of an otter test file."""
    source = test_file.read_text(encoding="utf-8")
    lines = source.splitlines()
    hidden, public = set(), set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        body = {ln.strip() for ln in lines[node.lineno - 1 : node.end_lineno]}
        (hidden if _is_hidden(node) else public).update(body)
    return hidden - public, public


def _is_hidden(func: ast.FunctionDef) -> bool:
    for deco in func.decorator_list:
        if isinstance(deco, ast.Call):
            for kw in deco.keywords:
                if (
                    kw.arg == "hidden"
                    and isinstance(kw.value, ast.Constant)
                    and kw.value.value is True
                ):
                    return True
    return False


def student_text_lines(folder: Path) -> dict[str, set[str]]:
    """Every text line a student receives, per file (notebooks: sources, outputs, metadata)."""
    found: dict[str, set[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".ipynb":
            found[rel] = _strings_lines(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix in TEXT_SUFFIXES:
            found[rel] = {
                ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()
            }
        else:  # binary data: look for secrets in its bytes as text too
            found[rel] = {ln.strip() for ln in path.read_bytes().decode("latin-1").splitlines()}
    return found


def _strings_lines(value) -> set[str]:
    out: set[str] = set()
    if isinstance(value, str):
        out.update(ln.strip() for ln in value.splitlines())
    elif isinstance(value, list):
        for item in value:
            out |= _strings_lines(item)
    elif isinstance(value, dict):
        for item in value.values():
            out |= _strings_lines(item)
    return out


def _specific(line: str) -> bool:
    """Long enough to be evidence, and not an import (imports reveal nothing)."""
    return len(line) >= MIN_SECRET_CHARS and not line.startswith(("import ", "from "))


def secret_lines(
    master: nbformat.NotebookNode, hidden_tests: list[Path]
) -> list[tuple[str, set[str]]]:
    """(kind, lines) of what no student may receive: specific solution lines and hidden-test
    lines that the provided code and the public tests do not also show."""
    sol_secret, provided = solution_lines(master)
    test_secret: set[str] = set()
    test_public: set[str] = set()
    for path in hidden_tests:
        hidden, public = hidden_test_lines(path)
        test_secret |= hidden
        test_public |= public
    return [
        ("solution", {ln for ln in sol_secret - provided - test_public if _specific(ln)}),
        ("hidden test", {ln for ln in test_secret - test_public - provided if _specific(ln)}),
    ]


def find_leaks(
    master: nbformat.NotebookNode, hidden_tests: list[Path], student_dir: Path
) -> list[Leak]:
    """Secret lines found in the student folder."""
    secrets = secret_lines(master, hidden_tests)
    leaks = []
    for rel, lines in student_text_lines(student_dir).items():
        for kind, secret in secrets:
            leaks.extend(Leak(rel, line, kind) for line in sorted(secret & lines))
    return leaks


# a number standing alone, not a digit inside a name (float32, log2, q1)
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?(?![\w])")


def find_hint_leaks(
    master: nbformat.NotebookNode,
    hidden_tests: list[Path],
    student_dir: Path,
    hints: dict[str, str],
) -> list[Leak]:
    """Hints (name -> text) that carry a secret: a solution or hidden-test line inside the
    text, or a number the student's files never show (an expected value, a hidden size)."""
    secrets = secret_lines(master, hidden_tests)
    shown: set[str] = set()
    for lines in student_text_lines(student_dir).values():
        for line in lines:
            shown.update(NUMBER.findall(line))
    leaks = []
    for name, hint in sorted(hints.items()):
        for kind, secret in secrets:
            leaks.extend(
                Leak(f"hint {name}", line, kind) for line in sorted(secret) if line in hint
            )
        leaks.extend(
            Leak(f"hint {name}", number, "unshown number")
            for number in NUMBER.findall(hint)
            if number not in shown
        )
    return leaks
