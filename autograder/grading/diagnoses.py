"""Naming the likely mistake: a submission's failures matched against the homework's
catalogue of mistakes (issue #30).

Every catalogued mistake of a homework (its mutation tests, `tests/hwNN/hwNN_mutants.py`)
that carries a student hint has a failure signature: per question, the test cases it fails
when graded with the homework's tests, each with how it failed (`element`: the case's name
and the failure's key — the test's own assertion by its constant message, any other
exception by its type; `grading.notebook.failure_key`). `tests/mutation/signatures.py`
computes them and writes `solutions/hwNN/diagnoses.json`; `autograder release` copies the
file into the grader bundle (part of the bundle's version) after checking that it was
computed against the very tests being released (`tests_version`).

At grading, each question that lost points is matched on the test cases the result holds
(a public-only result — `autograder serve`'s first phase — holds only the public ones, so
its hints come from the public tests alone):

- F: the question's failed cases with how they failed; for a mistake, S: its elements of
  that question whose case the result holds (a mistake with S empty does not apply);
- a mistake whose failures on the other questions are not all among the result's failures
  does not apply either (a mistake is the same everywhere it shows);
- exact: every mistake with S = F; otherwise the nearest: the mistakes with the highest
  Jaccard similarity |F ∩ S| / |F ∪ S|, if it is at least SIMILARITY;
- every tied mistake's hint is shown (equal hints once); no match, no hint. A result of the
  public cases alone names a mistake only when the tied mistakes agree on one hint: the
  public tests tell few mistakes apart, and a wrong hint before the deadline misleads.

A result that is not `ok` (a timeout, a crash) gets no diagnosis, nor does a question with
full points. Hints are concepts, never a hidden input, expected value or test source: the
release's leak check reads them too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.errors import ConfigError

FILE = "diagnoses.json"
FORMAT = 1
SIMILARITY = 0.75  # the least Jaccard similarity of a nearest match


@dataclass(frozen=True)
class Mistake:
    name: str
    question: str  # the question the mistake belongs to
    hint: str  # one line of Russian for the student
    failed: dict[str, frozenset[str]]  # question -> element() of each case it fails there


@dataclass(frozen=True)
class Catalogue:
    assignment: str
    tests_version: str  # bundle.version_of_tests() of the tests the signatures were computed with
    mistakes: tuple[Mistake, ...]


def element(case: str, failure: str) -> str:
    """One failed case of a signature: its name and how it failed."""
    return f"{case} | {failure}"


def case_of(item: str) -> str:
    return item.split(" | ", 1)[0]


def catalogue_json(assignment: str, version: str, mistakes: Iterable[Mistake]) -> str:
    """The file's text: stable order and layout, so a regenerated file diffs cleanly."""
    rows = [
        {
            "name": m.name,
            "question": m.question,
            "hint": m.hint,
            "failed": {q: sorted(names) for q, names in sorted(m.failed.items()) if names},
        }
        for m in mistakes
    ]
    data = {"format": FORMAT, "assignment": assignment, "tests_version": version, "mistakes": rows}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def load_catalogue(path: Path) -> Catalogue | None:
    """The catalogue at `path`, None if there is none; a malformed file raises ConfigError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: unreadable catalogue of mistakes ({exc})") from None
    try:
        if data["format"] != FORMAT:
            raise ValueError(f"format {data['format']!r}")
        mistakes = tuple(
            Mistake(
                name=_text(row["name"]),
                question=_text(row["question"]),
                hint=_text(row["hint"]),
                failed={
                    _text(q): frozenset(_text(n) for n in names)
                    for q, names in row["failed"].items()
                },
            )
            for row in data["mistakes"]
        )
        return Catalogue(_text(data["assignment"]), _text(data["tests_version"]), mistakes)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed catalogue of mistakes ({exc})") from None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {value!r}")
    return value


def _seen_elsewhere(
    mistake: Mistake, question: str, failed: dict[str, set[str]], held: dict[str, set[str]]
) -> bool:
    """Every failure the mistake makes on the other questions (those of cases the result
    holds) is among the result's failures."""
    for other, items in mistake.failed.items():
        if other == question:
            continue
        expected = {e for e in items if case_of(e) in held.get(other, set())}
        if not expected <= failed.get(other, set()):
            return False
    return True


def diagnose(tests: Sequence[Any], catalogue: Catalogue | None) -> list[dict[str, Any]]:
    """Per question that lost points, the catalogued mistakes its failures match (see the
    module's docstring). `tests`: the result's test records (name, question, score,
    max_score, passed). Each entry: question, match ("exact" | "nearest"), similarity,
    mistakes (names, for staff) and hints (for the student)."""
    if catalogue is None:
        return []
    public_only = not any(t.hidden for t in tests)
    held: dict[str, set[str]] = {}
    failed: dict[str, set[str]] = {}
    lost: dict[str, float] = {}
    for t in tests:
        held.setdefault(t.question, set()).add(t.name)
        if not t.passed:
            failed.setdefault(t.question, set()).add(element(t.name, t.failure))
        lost[t.question] = lost.get(t.question, 0.0) + (t.max_score - t.score)
    out = []
    for question in held:
        f = failed.get(question, set())
        if lost[question] <= 1e-9 or not f:
            continue
        scored = []
        for mistake in catalogue.mistakes:
            s = {e for e in mistake.failed.get(question, ()) if case_of(e) in held[question]}
            # a mistake whose failures elsewhere this result does not show is not this one
            if s and _seen_elsewhere(mistake, question, failed, held):
                scored.append((len(f & s) / len(f | s), mistake))
        if not scored:
            continue
        best = max(similarity for similarity, _ in scored)
        if best < SIMILARITY:
            continue
        chosen = [m for similarity, m in scored if similarity == best]
        hints = list(dict.fromkeys(m.hint for m in chosen))
        if public_only and len(hints) > 1:
            continue  # the public cases tell these mistakes apart no better: say nothing yet
        out.append(
            {
                "question": question,
                "match": "exact" if best == 1.0 else "nearest",
                "similarity": round(best, 3),
                "mistakes": [m.name for m in chosen],
                "hints": hints,
            }
        )
    return out
