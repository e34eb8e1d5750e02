"""How honest the named mistakes are (issue #30): each catalogued mistake's own failure
signature graded as if a student had made it, matched against the catalogue with its
entry present and with it held out (leave-one-out):

    PYTHONPATH=. python bench/diagnoses.py [hw04 hw05 hw06 ...]

prints per homework `diagnoses hwNN: present R/N/W, held out R/N/W` — right hint (its own
hint, or the same text, among those shown for its question), no hint, wrong hint (hints
shown, none of them its own) — for the results after publish (public and hidden cases)
and, on a second line, for the public phase (public cases only; a mistake that fails no
public case of its question is not counted there). Targets: present ≥ 95% right; held out,
wrong ≤ 10%.

The submissions are simulated from the signatures the release ships (diagnoses.json in the
bundle, computed by grading each mistake: tests/mutation/signatures.py): every case of the
bundle's tests passes except those the signature fails.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.diagnoses import Catalogue, Mistake, case_of, diagnose
from autograder.grading.notebook import load_test_file
from autograder.grading.results import TestRecord

ROOT = Path(__file__).resolve().parents[1]


def cases_of(bundle: Bundle) -> list[tuple[str, str, bool, float]]:
    """(question, case name, hidden, points) of every case of the bundle, in order."""
    out = []
    for path in bundle.test_files():
        parsed = load_test_file(path)
        out += [
            (parsed.name, c.name, bool(c.hidden), float(c.points or 0)) for c in parsed.test_cases
        ]
    return out


def submission(mistake: Mistake, cases, public_only: bool) -> list[TestRecord]:
    """The records grading a notebook with exactly this mistake gives."""
    how = {
        (question, case_of(item)): item.split(" | ", 1)[1]
        for question, items in mistake.failed.items()
        for item in items
    }
    records = []
    for question, name, hidden, points in cases:
        if public_only and hidden:
            continue
        failure = how.get((question, name))
        passed = failure is None
        score = points if passed else 0.0
        records.append(TestRecord(name, question, score, points, hidden, passed, "", failure or ""))
    return records


def verdict(mistake: Mistake, catalogue: Catalogue, records: list[TestRecord]) -> str:
    shown = [d for d in diagnose(records, catalogue) if d["question"] == mistake.question]
    if not shown:
        return "none"
    return "right" if mistake.hint in shown[0]["hints"] else "wrong"


def counts(catalogue: Catalogue, cases, public_only: bool) -> tuple[dict[str, int], dict[str, int]]:
    hidden = {name for _, name, is_hidden, _ in cases if is_hidden}
    present = {"right": 0, "none": 0, "wrong": 0}
    held = dict(present)
    for mistake in catalogue.mistakes:
        own = {case_of(item) for item in mistake.failed.get(mistake.question, ())}
        if public_only and not (own - hidden):
            continue
        records = submission(mistake, cases, public_only)
        present[verdict(mistake, catalogue, records)] += 1
        others = replace(
            catalogue, mistakes=tuple(m for m in catalogue.mistakes if m is not mistake)
        )
        held[verdict(mistake, others, records)] += 1
    return present, held


def line(hw: str, label: str, present: dict[str, int], held: dict[str, int]) -> str:
    def three(c: dict[str, int]) -> str:
        return f"{c['right']}/{c['none']}/{c['wrong']}"

    n = sum(present.values()) or 1
    return (
        f"diagnoses {hw}{label}: present {three(present)}, held out {three(held)}"
        f"   (present right {100 * present['right'] / n:.0f}%, held out wrong {100 * held['wrong'] / n:.0f}%)"
    )


def main(homeworks: list[str]) -> None:
    for hw in homeworks:
        bundle = load_bundle(ROOT / "dist" / hw)
        catalogue = bundle.catalogue
        if catalogue is None:
            print(f"diagnoses {hw}: no catalogue in dist/{hw} (release it first)")
            continue
        cases = cases_of(bundle)
        print(line(hw, "", *counts(catalogue, cases, public_only=False)))
        print(line(hw, " (public phase)", *counts(catalogue, cases, public_only=True)))


if __name__ == "__main__":
    main(sys.argv[1:] or ["hw04", "hw05", "hw06"])
