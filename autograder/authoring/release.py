"""Release: a master notebook (otter-assign format) -> the student folder
`assignments/<id>/` and the grader bundle `dist/<id>/`.

Steps, in order; any check that fails refuses the release and publishes nothing:
  1. otter assign builds the student notebook, public tests and full test files
  2. the student folder is normalised (nbformat 4.5, deterministic cell ids, no outputs, no
     test metadata) and gets submit.py, the client for `autograder serve`
  3. the bundle is assembled (all test files, from autograder/tests/ or from the autograder
     notebook's metadata where otter keeps them by default; data files; otter's seed; bundle.json)
  4. points of the tests add up to the component's maximum in course_config.py
  5. no solution line and no hidden-test line appears in any student file
  6. the solution notebook scores exactly the maximum, the blank student notebook 0
  7. the time limits are derived from the solution's own times, its cells, notebook and
     test cases (solutions/<id>/limits.json may set the policy, e.g. {"cell_factor": 5,
     "cell_floor": 20}, or any limit outright)
  8. where the master has a catalogue of mistakes (solutions/<id>/diagnoses.json, written by
     tests/mutation/signatures.py), it goes into the bundle: it must have been computed
     against these very tests, name only their questions and cases, and no hint may carry a
     solution or hidden-test line or a number the student notebook does not show
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import json
import pprint
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import nbformat

from autograder.authoring.leaks import find_hint_leaks, find_leaks
from autograder.course.config import Course
from autograder.errors import AutograderError, ConfigError
from autograder.grading.bundle import (
    Bundle,
    describe_time_limits,
    load_bundle,
    version_of_tests,
    write_bundle_json,
)
from autograder.grading.diagnoses import FILE as DIAGNOSES_FILE
from autograder.grading.diagnoses import Catalogue, case_of
from autograder.grading.limits import LimitPolicy, Limits
from autograder.grading.notebook import load_test_file
from autograder.grading.proxy import LIBRARY_ALIASES

OTTER_ARTIFACTS = {".zip"}  # otter's own autograder zip is not ours to ship
TEST_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,99}")  # a question's test file is <name>.py
LIMITS_FILE = "limits.json"  # optional, beside the master: the homework's limit settings
SUBMIT_CLIENT = Path(__file__).with_name("submit.py")  # released beside each homework
# per test case while the release measures the solution (the limit students get is derived)
MEASURING_TEST_SECONDS = 120.0


class ReleaseRefused(AutograderError):
    """The release failed a check; `problems` lists every reason (and `report` what the
    checks measured, when they got that far)."""

    def __init__(self, message: str, problems: list[str], report: ReleaseReport | None = None):
        super().__init__(message)
        self.problems = problems
        self.report = report


@dataclass
class ReleaseReport:
    assignment: str
    student_dir: Path
    bundle_dir: Path
    questions: dict[str, float] = field(default_factory=dict)
    solution_score: float | None = None
    blank_score: float | None = None
    solution_cells: list[float] = field(default_factory=list)  # seconds per code cell
    solution_seconds: float = 0.0  # the whole notebook
    solution_cases: list[float] = field(default_factory=list)  # seconds per test case
    checks: list[str] = field(default_factory=list)


def master_path(course: Course, assignment: str) -> Path:
    course.component(assignment)  # unknown ids are refused with the list of known ones
    path = course.root / "solutions" / assignment / f"{assignment}.ipynb"
    if not path.is_file():
        raise ConfigError(f"no master notebook at {path}")
    return path


def build(course: Course, assignment: str, out: Path) -> tuple[Path, Path, Path]:
    """Steps 1-3 into `out`: (student folder, bundle folder, solution notebook)."""
    master = master_path(course, assignment)
    otter_out = out / "otter"
    _otter_assign(master, otter_out)
    student_dir = out / "student"
    shutil.copytree(otter_out / "student", student_dir)
    for path in list(student_dir.rglob("*")):
        if path.suffix in OTTER_ARTIFACTS:
            path.unlink()
    notebook = student_dir / f"{assignment}.ipynb"
    _normalise(notebook, assignment)
    bundle_dir = out / "bundle"
    try:
        _assemble_bundle(
            otter_out / "autograder", student_dir, bundle_dir, assignment,
            catalogue=master.parent / DIAGNOSES_FILE,
        )  # fmt: skip
    except ConfigError as exc:  # a test otter wrote that we cannot load
        raise ReleaseRefused(
            f"{assignment}: release refused, nothing published", [str(exc)]
        ) from None
    write_submit_client(student_dir, assignment, course.submit_server_url)  # not in the bundle
    return student_dir, bundle_dir, otter_out / "autograder" / f"{assignment}.ipynb"


def write_submit_client(student_dir: Path, assignment: str, server_url: str | None) -> Path:
    """submit.py beside the student notebook (stdlib only), with the homework and the
    course's SUBMIT_SERVER_URL filled in."""
    source = SUBMIT_CLIENT.read_text(encoding="utf-8")
    for name, value in (("SERVER_URL", server_url), ("HOMEWORK", assignment)):
        line = f"{name} = None\n"
        if line not in source:
            raise ConfigError(f"{SUBMIT_CLIENT}: no `{line.strip()}` line to fill in")
        source = source.replace(line, f"{name} = {value!r}\n", 1)
    target = student_dir / SUBMIT_CLIENT.name
    target.write_text(source, encoding="utf-8")
    return target


def release(
    course: Course,
    assignment: str,
    *,
    backend: str = "auto",
    work: Path | None = None,
    accept_blank_score: float | None = None,
) -> ReleaseReport:
    """Build, check, and publish; raises ReleaseRefused without touching the old release.
    The build happens in a temporary folder, or in `work` (kept, e.g. for tests).
    `accept_blank_score`: the instructor accepts that the blank notebook scores exactly this
    (a foreign master whose tests give points for nothing, as otter would too)."""
    component = course.component(assignment)
    with contextlib.ExitStack() as stack:
        if work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="release-")))
        student_dir, bundle_dir, solution_nb = build(course, assignment, work)
        policy, explicit = limit_settings(course, assignment)
        bundle = _rewrite(load_bundle(bundle_dir), limits=explicit)
        report = ReleaseReport(assignment, student_dir, bundle_dir, dict(bundle.questions))
        problems = _check_points(bundle, component.max_points)
        master = nbformat.read(master_path(course, assignment), as_version=4)
        problems += [str(leak) for leak in find_leaks(master, bundle.test_files(), student_dir)]
        catalogue = bundle.catalogue
        if catalogue is not None:
            problems += _check_catalogue(bundle, catalogue)
            hints = {m.name: m.hint for m in catalogue.mistakes}
            problems += [
                str(leak)
                for leak in find_hint_leaks(master, bundle.test_files(), student_dir, hints)
            ]
        if not problems:
            problems += _check_scores(
                bundle, solution_nb, student_dir / bundle.notebook, report, backend,
                explicit, accept_blank_score,
            )  # fmt: skip
        if problems:
            raise ReleaseRefused(
                f"{assignment}: release refused, nothing published", problems, report
            )
        bundle = _rewrite(
            bundle,
            limits={
                **policy.derive(
                    report.solution_cells, report.solution_seconds, report.solution_cases
                ),
                **explicit,
            },
            reference={
                "cell_seconds": [round(t, 3) for t in report.solution_cells],
                "notebook_seconds": round(report.solution_seconds, 3),
                "slowest_test_seconds": round(max(report.solution_cases, default=0.0), 3),
                "policy": policy.to_dict(),
            },
        )
        report.checks = [
            f"test points add up to {component.max_points}",
            "no solution or hidden-test line in the student files",
            f"solution scores {report.solution_score:g}, blank notebook {report.blank_score:g}"
            + (" (accepted with --accept-blank-score)" if report.blank_score else ""),
            f"time limits: {describe_time_limits(bundle)}",
        ]
        if catalogue is not None:
            report.checks.append(
                f"{len(catalogue.mistakes)} named mistakes with hints, signatures computed "
                "against these tests, no hint leaks"
            )
        report.student_dir = _publish(student_dir, course.root / "assignments" / assignment)
        report.bundle_dir = _publish(bundle_dir, course.root / "dist" / assignment)
    return report


def limit_settings(course: Course, assignment: str) -> tuple[LimitPolicy, dict]:
    """The homework's limit policy and explicit limits from solutions/<id>/limits.json."""
    path = master_path(course, assignment).with_name(LIMITS_FILE)
    if not path.is_file():
        return LimitPolicy(), {}
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: expected an object of limit settings")
    try:
        return LimitPolicy.split(settings)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _rewrite(bundle: Bundle, **extra) -> Bundle:
    """bundle.json again, with new limits and/or reference times."""
    return write_bundle_json(
        bundle.root,
        assignment=bundle.assignment,
        notebook=bundle.notebook,
        max_points=bundle.max_points,
        questions=bundle.questions,
        **{
            "limits": None,
            "reference": bundle.reference or None,
            "seed": bundle.seed_settings(),
            "student_aliases": bundle.student_aliases,
            **extra,
        },
    )


def _otter_assign(master: Path, out: Path) -> None:
    from otter.assign import main as otter_assign  # slow import, only when releasing

    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            otter_assign(str(master), str(out), no_pdfs=True, no_run_tests=True)
    except Exception as exc:  # otter reports format errors as assorted exception types
        raise ReleaseRefused(
            f"{master}: otter assign failed",
            [f"{type(exc).__name__}: {exc}", *log.getvalue().splitlines()[-5:]],
        ) from None


def _normalise(notebook: Path, assignment: str) -> None:
    """nbformat 4.5 with deterministic cell ids and no outputs, so a re-release of the same
    master is byte-identical. Masters saved before 4.5 are upgraded first: cell ids exist
    only from 4.5 on."""
    nb = nbformat.read(notebook, as_version=4)
    if nb.nbformat_minor < 5:
        nb = nbformat.v4.upgrade(nb, from_version=4, from_minor=nb.nbformat_minor)
    for index, cell in enumerate(nb.cells):
        digest = hashlib.sha256(f"{assignment}:{index}:{cell.source}".encode()).hexdigest()
        cell.id = f"{assignment}-{index:03d}-{digest[:8]}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.get("otter", {}).pop("tests", None)  # tests travel in the bundle only
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        reason = str(exc.message).splitlines()[0][:200]
        raise ReleaseRefused(
            f"{assignment}: the student notebook otter built is not a valid notebook",
            [reason],
        ) from None
    nbformat.write(nb, notebook)


def _assemble_bundle(
    autograder_dir: Path,
    student_dir: Path,
    bundle_dir: Path,
    assignment: str,
    catalogue: Path | None = None,
) -> None:
    if catalogue is not None and catalogue.is_file():  # before bundle.json: in its version
        bundle_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(catalogue, bundle_dir / DIAGNOSES_FILE)
    tests = bundle_dir / "tests"
    if (autograder_dir / "tests").is_dir():  # `tests: files: true`
        shutil.copytree(autograder_dir / "tests", tests)
    else:  # otter's default: in the metadata of the autograder notebook (instructor output)
        write_metadata_tests(autograder_dir / f"{assignment}.ipynb", tests)
    files = bundle_dir / "files"
    files.mkdir()
    for path in sorted(student_dir.rglob("*")):
        rel = path.relative_to(student_dir)
        if path.is_file() and rel.parts[0] != "tests" and path.suffix != ".ipynb":
            (files / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, files / rel)
    questions: dict[str, float] = {}
    for test_file in sorted(tests.glob("*.py")):
        parsed = load_test_file(test_file)
        if f"{parsed.name}.py" != test_file.name:
            raise ConfigError(f"{test_file.name}: names question {parsed.name!r}, not its file")
        questions[parsed.name] = float(sum(tc.points or 0 for tc in parsed.test_cases))
    questions = dict(sorted(questions.items(), key=lambda item: _question_order(item[0])))
    write_bundle_json(
        bundle_dir,
        assignment=assignment,
        notebook=f"{assignment}.ipynb",
        max_points=sum(questions.values()),
        questions=questions,
        seed=otter_seed(autograder_dir / "otter_config.json"),
        student_aliases=student_aliases(autograder_dir / f"{assignment}.ipynb"),
    )


def student_aliases(solution_notebook: Path) -> set[str]:
    """Library aliases (`stats`, `F`...) the reference solution binds to values of its own
    at top level (assignments, defs, classes; never imports): names its questions ask the
    student to define, which tests must then take from the notebook."""
    bound: set[str] = set()
    for cell in nbformat.read(solution_notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            bound |= _bound_names(node)
    return bound & set(LIBRARY_ALIASES)


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    return {name for target in targets for name in _target_names(target)}


def _target_names(target: ast.expr) -> set[str]:
    """Names an assignment target binds (`a`, `a, (b, *c)`; not `x[i]` or `x.y`)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        return {name for element in target.elts for name in _target_names(element)}
    return set()


def write_metadata_tests(autograder_notebook: Path, tests: Path) -> None:
    """Write the tests otter keeps in `metadata.otter.tests` of the autograder notebook as
    test files, one per question: OK-format specs as otter's own `test = {...}` files,
    exception-format tests as the source otter stored."""
    meta = nbformat.read(autograder_notebook, as_version=4).metadata.get("otter", {})
    specs = meta.get("tests") or {}
    if not isinstance(specs, dict):
        raise ConfigError(f"{autograder_notebook.name}: metadata.otter.tests is not a mapping")
    tests.mkdir(parents=True)
    ok_format = meta.get("OK_FORMAT", True) is not False
    for name, spec in specs.items():
        if not isinstance(name, str) or not TEST_NAME.fullmatch(name):
            raise ConfigError(f"{autograder_notebook.name}: test name {name!r} is not a file name")
        if ok_format and isinstance(spec, dict):
            text = f"OK_FORMAT = True\n\ntest = {pprint.pformat(spec, sort_dicts=False)}\n"
        elif not ok_format and isinstance(spec, str):
            text = spec
        else:
            kind = "an OK-format spec" if ok_format else "exception-test source"
            raise ConfigError(f"{autograder_notebook.name}: the test {name!r} is not {kind}")
        (tests / f"{name}.py").write_text(text, encoding="utf-8")


def otter_seed(config_path: Path) -> dict | None:
    """otter's `generate: seed` (and `seed_variable`) from the otter_config.json otter assign
    wrote, as bundle.json keeps it; None when the assignment sets no seed."""
    if not config_path.is_file():
        return None
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{config_path.name}: not readable JSON ({exc})") from None
    seed, variable = config.get("seed"), config.get("seed_variable")
    if seed is None:
        return None
    if type(seed) is not int or (variable is not None and not str(variable).isidentifier()):
        raise ConfigError(f"{config_path.name}: seed {seed!r} / seed_variable {variable!r}")
    return {"value": seed, "variable": variable}


def _question_order(name: str) -> tuple:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


def _check_catalogue(bundle: Bundle, catalogue: Catalogue) -> list[str]:
    """The catalogue of mistakes belongs to exactly these tests."""
    source = f"solutions/{bundle.assignment}/{DIAGNOSES_FILE}"
    if catalogue.assignment != bundle.assignment:
        return [f"{source} is {catalogue.assignment}'s catalogue"]
    if catalogue.tests_version != version_of_tests(bundle.tests_dir):
        return [
            f"{source} was computed against other tests: run "
            f"`python tests/mutation/signatures.py {bundle.assignment}`"
        ]
    cases = {
        parsed.name: {case.name for case in parsed.test_cases}
        for parsed in (load_test_file(path) for path in bundle.test_files())
    }
    problems = []
    for mistake in catalogue.mistakes:
        unknown = {mistake.question, *mistake.failed} - set(cases)
        unknown |= {
            case_of(item)
            for q, items in mistake.failed.items()
            for item in items
            if case_of(item) not in cases.get(q, set())
        }
        if unknown:
            problems.append(f"{source}: {mistake.name} names unknown tests {sorted(unknown)}")
    return problems


def _check_points(bundle: Bundle, maximum: Decimal) -> list[str]:
    total = Decimal(str(sum(bundle.questions.values())))
    if total != maximum:
        listing = ", ".join(f"{q} {p:g}" for q, p in bundle.questions.items())
        return [f"test points add up to {total}, course_config.py says {maximum} ({listing})"]
    return []


def measuring_limits(limits: Limits, explicit: dict) -> Limits:
    """The limits the release grades the solution and the blank notebook under: the
    homework's, with MEASURING_TEST_SECONDS per test case unless `explicit` (limits.json)
    sets `test_seconds` outright; the case limit students get is derived afterwards."""
    if "test_seconds" in explicit:
        return limits
    return replace(limits, test_seconds=max(limits.test_seconds, MEASURING_TEST_SECONDS))


def _check_scores(
    bundle: Bundle,
    solution_nb: Path,
    blank_nb: Path,
    report: ReleaseReport,
    backend: str,
    explicit: dict,
    accept_blank_score: float | None = None,
) -> list[str]:
    """The solution must score the maximum and the blank notebook nothing. Unless the
    homework sets `test_seconds` outright, both are graded with MEASURING_TEST_SECONDS per
    test case, and the limit students get is derived from the solution's slowest case."""
    from autograder.grading.notebook import grade_notebook

    problems = []
    limits = measuring_limits(bundle.limits, explicit)
    solution = grade_notebook(
        bundle, solution_nb, student_id="release-solution", limits=limits, backend=backend
    )
    blank = grade_notebook(
        bundle, blank_nb, student_id="release-blank", limits=limits, backend=backend
    )
    report.solution_score, report.blank_score = solution.score, blank.score
    report.solution_cells = solution.cell_seconds
    report.solution_seconds = solution.timings.get("notebook", 0.0)
    report.solution_cases = list(solution.case_seconds.values())
    if solution.score != bundle.max_points:
        failed = [t.name for t in solution.tests if t.score < t.max_score]
        problems.append(
            f"the solution scores {solution.score:g} of {bundle.max_points:g} (status {solution.status}); "
            f"failing: {', '.join(failed) or '-'}"
        )
    accepted = accept_blank_score or 0
    if abs(blank.score - accepted) > 1e-9:
        passed = [t.name for t in blank.tests if t.score > 0]
        problems.append(
            f"the blank notebook scores {blank.score:g}, not {accepted:g}; passing: "
            f"{', '.join(passed) or '-'}"
            + (
                f" (if that is intended, release with --accept-blank-score {blank.score:g})"
                if blank.score > 0
                else ""
            )
        )
    return problems


def _publish(source: Path, target: Path) -> Path:
    """Replace `target` with `source`: the old copy is removed only once the new one is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.new")
    old = target.with_name(f".{target.name}.old")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(source, staging)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
