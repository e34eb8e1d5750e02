"""The grader bundle: everything the trusted grader needs for one assignment.

Layout of a bundle directory (built by `autograder release`, read by the grader):

    bundle.json          assignment id, version, notebook name, question points, limit overrides,
                         and the reference solution's times the time limits were derived from
    tests/<question>.py  otter test files, exception or OK format (public and hidden cases)
    files/               data files the notebook needs; copied next to it in the sandbox
    diagnoses.json       optional: the catalogue of mistakes with their hints and failure
                         signatures (autograder.grading.diagnoses)

The bundle never enters the sandbox: only `files/` is copied into the working copy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.errors import ConfigError
from autograder.grading.diagnoses import FILE as DIAGNOSES_FILE
from autograder.grading.diagnoses import Catalogue, load_catalogue
from autograder.grading.limits import Limits

BUNDLE_FORMAT = 1


@dataclass(frozen=True)
class Bundle:
    root: Path
    assignment: str
    version: str  # sha256 over tests/ and files/: a changed test means a new version
    notebook: str  # the student notebook's file name, e.g. "hw01.ipynb"
    max_points: float
    questions: dict[str, float]  # question name -> points, in notebook order
    limits: Limits = field(default_factory=Limits)
    # {"cell_seconds": [per code cell], "notebook_seconds": s, "policy": {...}} from release
    reference: dict[str, Any] = field(default_factory=dict)
    # otter's `generate: seed`: set before every code cell (numpy + random, or seed_variable)
    seed: int | None = None
    seed_variable: str | None = None
    # library aliases (`np`, `F`, `stats`...) the reference solution binds to values of its
    # own: the question asks the student to define them, so tests take them from the
    # notebook; every other alias is always the grader's module
    student_aliases: frozenset[str] = frozenset()
    # the catalogue of mistakes released with the tests (diagnoses.json), read once with
    # the bundle; None if there is none
    catalogue: Catalogue | None = field(default=None, compare=False)

    @property
    def tests_dir(self) -> Path:
        return self.root / "tests"

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    def seed_settings(self) -> dict[str, Any] | None:
        """The seed as bundle.json keeps it."""
        if self.seed is None:
            return None
        return {"value": self.seed, "variable": self.seed_variable}

    def test_files(self) -> list[Path]:
        """Test files in question order."""
        return [self.tests_dir / f"{name}.py" for name in self.questions]


def _digest(root: Path, paths: Iterable[Path]) -> str:
    """sha256 over the paths (relative to root) and bytes of the files given, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_version(root: Path) -> str:
    """sha256 over the relative paths and bytes of everything under tests/ and files/, and
    of diagnoses.json where there is one (a bundle without it keeps its old version)."""
    paths = [
        path
        for sub in ("tests", "files")
        if (root / sub).is_dir()
        for path in sorted(p for p in (root / sub).rglob("*") if p.is_file())
    ]
    if (root / DIAGNOSES_FILE).is_file():
        paths.append(root / DIAGNOSES_FILE)
    return _digest(root, paths)


def version_of_tests(tests_dir: Path) -> str:
    """sha256 over the test files alone (`tests/*.py`): what a catalogue of mistakes was
    computed against (grading.diagnoses)."""
    return _digest(tests_dir.parent, sorted(tests_dir.glob("*.py")))


def write_bundle_json(
    root: Path,
    *,
    assignment: str,
    notebook: str,
    max_points: float,
    questions: dict[str, float],
    limits: dict[str, Any] | None = None,
    reference: dict[str, Any] | None = None,
    seed: dict[str, Any] | None = None,
    student_aliases: frozenset[str] | set[str] = frozenset(),
) -> Bundle:
    """Write bundle.json for a bundle whose tests/ and files/ are already in place."""
    Limits().with_overrides(limits)  # refuse bad overrides at release time, not grading time
    meta = {
        "format": BUNDLE_FORMAT,
        "assignment": assignment,
        "version": content_version(root),
        "notebook": notebook,
        "max_points": max_points,
        "questions": questions,
        "limits": limits or {},
        "reference": reference or {},
    }
    if seed is not None:  # only when otter set one, so older bundles read the same
        meta["seed"] = seed
    if student_aliases:  # likewise: only a master that asks for such a name has it
        meta["student_aliases"] = sorted(student_aliases)
    (root / "bundle.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return load_bundle(root)


def cached_bundle(cache: dict, course_root: Path, component_id: str) -> Bundle:
    """A released bundle read once per release: re-read when `autograder release` replaced it
    (bundle.json's mtime changed) while a long-running process holds `cache`."""
    path = course_root / "dist" / component_id
    stamp = (path / "bundle.json").stat().st_mtime_ns
    if component_id not in cache or cache[component_id][0] != stamp:
        cache[component_id] = (stamp, load_bundle(path))
    return cache[component_id][1]


def load_bundle(root: Path) -> Bundle:
    """Read and check a bundle directory; a missing or inconsistent bundle raises ConfigError."""
    meta_path = root / "bundle.json"
    try:
        meta = json.loads(meta_path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"no grader bundle at {root} (run `autograder release` first)") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{meta_path}: unreadable bundle.json ({exc})") from None
    if meta.get("format") != BUNDLE_FORMAT:
        raise ConfigError(f"{meta_path}: bundle format {meta.get('format')!r}, expected 1")
    bundle = Bundle(
        root=root,
        assignment=meta["assignment"],
        version=meta["version"],
        notebook=meta["notebook"],
        max_points=float(meta["max_points"]),
        questions={str(k): float(v) for k, v in meta["questions"].items()},
        limits=Limits().with_overrides(meta.get("limits")),
        reference=meta.get("reference") or {},
        student_aliases=frozenset(str(n) for n in meta.get("student_aliases", [])),
        catalogue=load_catalogue(root / DIAGNOSES_FILE),
        **_seed(meta.get("seed"), meta_path),
    )
    missing = [p.name for p in bundle.test_files() if not p.is_file()]
    if missing:
        raise ConfigError(f"{root}: bundle lacks test files {', '.join(missing)}")
    if content_version(root) != bundle.version:
        raise ConfigError(f"{root}: bundle contents do not match its version (edited by hand?)")
    return bundle


def _seed(raw: Any, meta_path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    value, variable = (raw.get("value"), raw.get("variable")) if isinstance(raw, dict) else (0, 0)
    if type(value) is not int or not (variable is None or str(variable).isidentifier()):
        raise ConfigError(f"{meta_path}: bad seed {raw!r}")
    return {"seed": value, "seed_variable": variable}


def describe_time_limits(bundle: Bundle) -> str:
    """One line for staff: the time limits and what they were derived from."""
    limits, ref = bundle.limits, bundle.reference
    text = (
        f"cell {limits.cell_seconds:g} s, notebook {limits.notebook_seconds:g} s, "
        f"test case {limits.test_seconds:g} s"
    )
    if not ref.get("cell_seconds"):
        return text + " (defaults or set by hand; no reference timing recorded)"
    policy = ref.get("policy", {})
    slowest = max(ref["cell_seconds"])
    test = ""
    if "slowest_test_seconds" in ref:
        test = (
            f", test case {ref['slowest_test_seconds']:.2f} s"
            f"; test = max({policy.get('test_floor', 0):g} s, {policy.get('test_factor', 0):g}"
            f" x test case) rounded up to {policy.get('test_step', 0):g} s"
        )
    return text + (
        f" (reference solution: slowest cell {slowest:.2f} s, notebook "
        f"{ref['notebook_seconds']:.2f} s{test}; "
        f"cell = max({policy.get('cell_floor', 0):g} s, {policy.get('cell_factor', 0):g} x cell), "
        f"notebook = max({policy.get('notebook_floor', 0):g} s, "
        f"{policy.get('notebook_factor', 0):g} x notebook))"
    )
