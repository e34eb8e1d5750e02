"""The `autograder` command. Thin: parses options, calls the library, prints with rich.
Library errors become one red line and exit status 1; usage errors exit 2 (click); any
other exception is one line too ("run with --debug for the traceback"), exit 1."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from autograder.course.config import Course, find_course_root, load_course
from autograder.display import plain, print_gradebook, shown
from autograder.errors import AutograderError, OutputPathError, ServeError
from autograder.gradebook.database import ENV_VAR, Gradebook, resolve_url
from autograder.gradebook.exam_import import import_exam
from autograder.gradebook.overrides import clear_override, set_override
from autograder.gradebook.standings import format_points, gradebook_rows, write_csv

app = typer.Typer(
    help="Auto-graded homework for the course: grading, the gradebook and the course scheme.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
score_app = typer.Typer(help="Manual scores and overrides.", no_args_is_help=True)
exam_app = typer.Typer(help="Exam points.", no_args_is_help=True)
app.add_typer(score_app, name="score")
app.add_typer(exam_app, name="exam")
feedback_app = typer.Typer(help="Feedback for students.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
_debug = False  # --debug: let unexpected exceptions out with their traceback


@dataclass
class Settings:
    course_dir: Path | None
    gradebook_location: str | None

    def course(self) -> Course:
        return load_course(self.course_dir.resolve() if self.course_dir else find_course_root())

    def gradebook(self, course: Course) -> Gradebook:
        return Gradebook(resolve_url(self.gradebook_location, course.root))


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def _author(by: str | None) -> str:
    return by or os.environ.get("AUTOGRADER_USER") or getpass.getuser()


@app.callback()
def _options(
    ctx: typer.Context,
    course: Annotated[
        Path | None,
        typer.Option(help="Course root (holds course_config.py); default: nearest one up."),
    ] = None,
    gradebook: Annotated[
        str | None,
        typer.Option(
            envvar=ENV_VAR,
            help="Gradebook: a file path or an SQLAlchemy URL; default: gradebook.db at the course root.",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option(help="Show the full traceback of an unexpected error.")
    ] = False,
) -> None:
    global _debug
    _debug = debug
    ctx.obj = Settings(course, gradebook)


@app.command("course")
def show_course(ctx: typer.Context) -> None:
    """The components table and the grade rule."""
    course = _settings(ctx).course()
    policies = {c.late_policy for c in course.components if c.deadline}
    shared = len(policies) == 1
    table = Table(title=course.title or "Course")
    columns = ["id", "title", "max", "deadline"] + ([] if shared else ["late policy"])
    for name in columns:
        table.add_column(name, justify="right" if name == "max" else "left")
    for comp in course.components:
        deadline = comp.deadline.strftime("%Y-%m-%d %H:%M %Z") if comp.deadline else "—"
        policy = comp.late_policy.describe() if comp.deadline else "—"
        extra = [] if shared else [policy]
        table.add_row(comp.id, comp.title, format_points(comp.max_points), deadline, *extra)
    out.print(table)
    if shared:
        out.print(f"Late policy: {policies.pop().describe()}.")
    out.print(f"Grade rule: {course.describe_rule()}.")
    _print_time_limits(course)


def _print_time_limits(course: Course) -> None:
    """Time limits of each released bundle under dist/, and what they were derived from."""
    from autograder.grading.bundle import describe_time_limits, load_bundle

    for comp in course.components:
        if (course.root / "dist" / comp.id / "bundle.json").is_file():
            bundle = load_bundle(course.root / "dist" / comp.id)
            out.print(f"{comp.id} time limits: {describe_time_limits(bundle)}")


@score_app.command("set")
def score_set(
    ctx: typer.Context,
    student: Annotated[str, typer.Argument(help="Student id.")],
    component: Annotated[str, typer.Argument(help="Component id, e.g. hw01 or exam.")],
    points: Annotated[str, typer.Argument(help="Points, 0..max of the component.")],
    reason: Annotated[str, typer.Option(help="Why: kept in the gradebook with who and when.")],
    by: Annotated[
        str | None, typer.Option(help="Who sets it; default: $AUTOGRADER_USER or login.")
    ] = None,
) -> None:
    """Set a manual score; it overrides what grading recorded until cleared."""
    settings = _settings(ctx)
    course = settings.course()
    old, new = set_override(
        settings.gradebook(course),
        course,
        student,
        component,
        points,
        reason=reason,
        author=_author(by),
    )
    was = format_points(old) if old is not None else "nothing"
    out.print(
        plain(
            f"{student} {component}: {format_points(new)} (was {was}), by {_author(by)}: {reason}"
        ),
        markup=False,
    )


@score_app.command("clear")
def score_clear(
    ctx: typer.Context,
    student: Annotated[str, typer.Argument(help="Student id.")],
    component: Annotated[str, typer.Argument(help="Component id.")],
    reason: Annotated[str, typer.Option(help="Why the manual score is removed.")],
    by: Annotated[str | None, typer.Option(help="Who clears it.")] = None,
) -> None:
    """Remove a manual score so the recorded one counts again."""
    settings = _settings(ctx)
    course = settings.course()
    now_counts = clear_override(
        settings.gradebook(course), course, student, component, reason=reason, author=_author(by)
    )
    out.print(
        plain(
            f"{student} {component}: manual score removed; now counts {format_points(now_counts) or 'nothing'}"
        ),
        markup=False,
    )


@exam_app.command("import")
def exam_import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with header student_id,points (UTF-8).")],
    by: Annotated[
        str | None, typer.Option(help="Who imports; default: $AUTOGRADER_USER or login.")
    ] = None,
) -> None:
    """Import exam points: all rows or none."""
    settings = _settings(ctx)
    course = settings.course()
    summary = import_exam(settings.gradebook(course), course, file, author=_author(by))
    out.print(f"Imported exam points for {summary.imported} students ({summary.changed} changed).")
    if summary.hidden_by_override:
        out.print(
            "[yellow]A manual exam score still overrides the import for: "
            + shown(", ".join(summary.hidden_by_override))
            + " (autograder score clear STUDENT exam --reason ...)[/yellow]"
        )


gradebook_app = typer.Typer(
    help="Per student: hw01..hw06, exam, total, final grade.", invoke_without_command=True
)
app.add_typer(gradebook_app, name="gradebook")


@gradebook_app.callback()
def gradebook_cmd(
    ctx: typer.Context,
    csv_path: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write the gradebook to this CSV file ('-': stdout)."),
    ] = None,
    csv_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="CSV layout: default (our columns), moodle or canvas (their grade imports).",
        ),
    ] = "default",
) -> None:
    """Per student: hw01..hw06, exam, total, final grade."""
    from autograder.gradebook.exports import EXPORTS

    if ctx.invoked_subcommand is not None:
        return
    if csv_format != "default" and csv_format not in EXPORTS:
        raise typer.BadParameter(
            f"{csv_format!r}: choose default, {', '.join(EXPORTS)}", param_hint="--format"
        )
    if csv_format != "default" and csv_path is None:
        raise typer.BadParameter("needs --csv FILE (or --csv - for stdout)", param_hint="--format")
    settings = _settings(ctx)
    course = settings.course()
    rows = gradebook_rows(settings.gradebook(course), course)
    write = EXPORTS.get(csv_format, write_csv)
    if csv_path is not None and str(csv_path) == "-":
        write(rows, course, sys.stdout)
        return
    print_gradebook(out, rows, course)
    if csv_path is not None:
        try:
            with csv_path.open("w", encoding="utf-8", newline="") as handle:
                write(rows, course, handle)
        except OSError as exc:
            raise OutputPathError(f"--csv {csv_path}: cannot be written ({exc.strerror})") from None
        out.print(f"Wrote {len(rows)} rows to {shown(csv_path)} ({csv_format} format)")


@gradebook_app.command("upgrade")
def gradebook_upgrade(ctx: typer.Context) -> None:
    """Bring the gradebook's schema to this autograder's revision (back it up first)."""
    settings = _settings(ctx)
    course = settings.course()
    url = resolve_url(settings.gradebook_location, course.root)
    book = Gradebook(url, upgrade=True)
    change = book.upgraded
    book.close()
    if change is None or not change.changed:
        out.print(f"Gradebook schema is current ({change.after if change else '?'}).")
    else:
        out.print(f"Gradebook schema upgraded: {change.before or 'empty'} -> {change.after}.")


@app.command("report")
def report_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01.")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where the files go; default reports/<id>/.")
    ] = None,
    similarity: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="List pairs whose own code is at least this similar."),
    ] = 0.9,
) -> None:
    """Instructor summary from the gradebook: pass rates, scores histogram, slowest and
    failed submissions, near-identical code."""
    from autograder.display import print_report
    from autograder.reports.instructor import build_report

    settings = _settings(ctx)
    course = settings.course()
    course.component(assignment)
    target = _output_folder(out_dir or Path("reports") / assignment, "--out")
    report = build_report(
        course, settings.gradebook(course), assignment, target, threshold=similarity
    )
    print_report(out, report)


BACKEND_HELP = (
    "Isolation: auto (as root the warm pool 'zygote', else bubblewrap, else unshare, else none "
    "with a warning), zygote, bwrap, unshare, none."
)


def _check_backend(backend: str) -> str:
    from autograder.grading.sandbox.backends import BACKENDS

    if backend not in ("auto", *BACKENDS):
        raise typer.BadParameter(
            f"{backend!r}: choose auto, {', '.join(BACKENDS)}", param_hint="--backend"
        )
    return backend


def _output_folder(path: Path, option: str) -> Path:
    """`path` as a folder that exists (created if needed), or a one-line refusal."""
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"{option} {path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(f"{option} {path}: cannot be created ({exc.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputPathError(f"{option} {path}: not writable")
    return path


@app.command("release")
def release_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01.")],
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "auto",
    nbgrader_course: Annotated[str | None, typer.Option(help=NBGRADER_COURSE_HELP)] = None,
    exchange: Annotated[Path | None, typer.Option(help=EXCHANGE_HELP)] = None,
    nbgrader_root: Annotated[Path | None, typer.Option(help=NBGRADER_ROOT_HELP)] = None,
    accept_blank_score: Annotated[
        float | None,
        typer.Option(
            help="Accept that the blank notebook scores exactly this (a foreign otter master "
            "whose tests give points for nothing); otherwise it must score 0."
        ),
    ] = None,
) -> None:
    """Build assignments/<id>/ and the grader bundle dist/<id>/ from solutions/<id>/;
    refuses on leaks or when the solution does not score the maximum. With
    --nbgrader-course, also publish the student folder through nbgrader's exchange."""
    from autograder.authoring.release import release

    _check_backend(backend)
    course = _settings(ctx).course()
    nbc = _nbgrader_course(course, nbgrader_course, nbgrader_root, exchange)
    with out.status(
        f"Releasing {assignment}: otter assign, leak checks, grading the solution and the blank..."
    ):
        report = release(course, assignment, backend=backend, accept_blank_score=accept_blank_score)
    for check in report.checks:
        out.print(f"[green]✓[/green] {check}")
    questions = ", ".join(f"{q} {p:g}" for q, p in report.questions.items())
    out.print(f"Questions: {questions}")
    out.print(f"Student folder: {report.student_dir}\nGrader bundle:  {report.bundle_dir}")
    if nbc is not None:
        from autograder.nbgrader_exchange import release_assignment

        published = release_assignment(course, assignment, nbc)
        out.print(f"nbgrader exchange: {shown(published)} (students: Assignments → Fetch)")


NBGRADER_COURSE_HELP = "nbgrader course id: also publish through nbgrader's exchange."
EXCHANGE_HELP = "nbgrader exchange directory; default: nbgrader's configured one."
NBGRADER_ROOT_HELP = "nbgrader course directory; default: nbgrader/ at the course root."


def _nbgrader_course(
    course: Course, course_id: str | None, root: Path | None, exchange: Path | None
):
    if course_id is None:
        if root is not None or exchange is not None:
            raise AutograderError("--exchange and --nbgrader-root go with --nbgrader-course")
        return None
    from autograder.nbgrader_exchange import NbgraderCourse

    return NbgraderCourse.for_course(course, course_id, root, exchange)


@feedback_app.command("release")
def feedback_release_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01.")],
    nbgrader_course: Annotated[str, typer.Option(help="nbgrader course id.")],
    results: Annotated[Path, typer.Option(help="The --out folder of `autograder grade`.")] = Path(
        "results"
    ),
    exchange: Annotated[Path | None, typer.Option(help=EXCHANGE_HELP)] = None,
    nbgrader_root: Annotated[Path | None, typer.Option(help=NBGRADER_ROOT_HELP)] = None,
) -> None:
    """Hand each collected student's feedback.html back through nbgrader's
    release_feedback ("Fetch Feedback" in the students' Assignments panel)."""
    from autograder.nbgrader_exchange import release_feedback

    course = _settings(ctx).course()
    course.component(assignment)
    nbc = _nbgrader_course(course, nbgrader_course, nbgrader_root, exchange)
    report = release_feedback(nbc, assignment, results)
    out.print(f"Feedback released through nbgrader for {len(report.released)} student(s).")
    if report.missing:
        names = shown(", ".join(report.missing))
        out.print(f"[yellow]Collected but not graded (no feedback.html): {names}[/yellow]")


@app.command("grade")
def grade_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01.")],
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Notebooks, folders of notebooks, or LMS zips.")
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where results go: OUT/<student_id>/results.json.")
    ] = Path("results"),
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Submissions graded at once; default: the CPU count.")
    ] = None,
    regrade: Annotated[
        bool, typer.Option(help="Grade again even if this file and bundle were graded.")
    ] = False,
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "auto",
    pool: Annotated[
        bool,
        typer.Option(help="Fork submissions from a warm zygote; --no-pool starts each cold."),
    ] = True,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Grade on a Dask cluster: tcp://HOST:8786 (a scheduler with `autograder worker`s) or local:N."
        ),
    ] = None,
    tls_ca_file: Annotated[str | None, typer.Option(help="--cluster tls://: the CA file.")] = None,
    tls_cert: Annotated[str | None, typer.Option(help="--cluster tls://: our certificate.")] = None,
    tls_key: Annotated[str | None, typer.Option(help="--cluster tls://: our private key.")] = None,
    from_server: Annotated[
        bool,
        typer.Option(help="Grade each student's receipt from `autograder serve` (server time)."),
    ] = False,
    serve_data: Annotated[
        Path | None, typer.Option(help="With --from-server: the server's --data folder.")
    ] = None,
) -> None:
    """Grade submissions in sandboxes; write results.json per student and record scores."""
    import tempfile

    from autograder.batch import grade_batch
    from autograder.display import GradingProgress, print_batch, print_single
    from autograder.grading.bundle import load_bundle
    from autograder.intake import collect

    _check_backend(backend)
    settings = _settings(ctx)
    course = settings.course()
    course.component(assignment)
    _output_folder(out_dir, "--out")
    bundle = load_bundle(course.root / "dist" / assignment)
    gradebook = settings.gradebook(course)
    if bool(paths) == from_server:
        raise typer.BadParameter("give notebooks/folders/zips, or --from-server (not both)")
    with tempfile.TemporaryDirectory(prefix="intake-") as staging:
        if from_server:
            from autograder.intake import Intake
            from autograder.serve.from_server import server_submissions
            from autograder.serve.server import default_data_dir

            data_dir = serve_data or default_data_dir(course.root)
            intake = Intake(server_submissions(gradebook, course, assignment, data_dir), [], [])
        else:
            intake = collect(paths, Path(staging), bundle.notebook)
        with GradingProgress(out, len(intake.submissions)) as progress:
            if cluster:
                from autograder.cluster.coordinator import grade_on_cluster

                tls = {"tls-ca-file": tls_ca_file, "tls-cert": tls_cert, "tls-key": tls_key}
                report = grade_on_cluster(
                    course, bundle, gradebook, intake.submissions, out_dir,
                    cluster=cluster, regrade=regrade, backend=backend, tls=tls,
                    on_done=progress.done,
                )  # fmt: skip
            else:
                report = grade_batch(
                    course,
                    bundle,
                    gradebook,
                    intake.submissions,
                    out_dir,
                    jobs=jobs or os.cpu_count() or 1,
                    regrade=regrade,
                    backend=backend,
                    on_done=progress.done,
                    pool=pool,
                )
    graded = [o for o in report.outcomes if o.state in ("graded", "failed") and o.score is not None]
    if len(intake.submissions) == 1 and len(graded) == 1:
        print_single(out, out_dir / graded[0].submission.student_id / "results.json")
    print_batch(out, report, intake, out_dir)
    if report.interrupted:
        err.print(
            "[yellow]Stopped. Run the same command again to grade the rest; finished ones are kept.[/yellow]"
        )
        raise typer.Exit(130)


@app.command("worker")
def worker_cmd(
    scheduler: Annotated[str, typer.Argument(help="The Dask scheduler, e.g. tcp://10.0.0.1:8786.")],
    slots: Annotated[
        int, typer.Option(min=1, help="Submissions graded at once here (one process each).")
    ] = 1,
    backend: Annotated[str, typer.Option(help="Isolation: auto, bwrap or unshare.")] = "auto",
    name: Annotated[str | None, typer.Option(help="Worker name shown by the scheduler.")] = None,
    tls_ca_file: Annotated[str | None, typer.Option(help="TLS: CA file (dask's own).")] = None,
    tls_cert: Annotated[str | None, typer.Option(help="TLS: this worker's certificate.")] = None,
    tls_key: Annotated[str | None, typer.Option(help="TLS: this worker's private key.")] = None,
) -> None:
    """Join a Dask scheduler as grading worker(s): wraps `dask worker --nworkers N
    --nthreads 1`; refuses without a real sandbox or with another autograder version."""
    from autograder.cluster.worker_host import run_worker

    tls = {"tls-ca-file": tls_ca_file, "tls-cert": tls_cert, "tls-key": tls_key}
    raise typer.Exit(run_worker(scheduler, slots, backend=backend, tls=tls, name=name))


@app.command("bundle")
def bundle_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01.")],
    gradescope: Annotated[
        bool, typer.Option(help="Write the zip Gradescope's autograder upload takes.")
    ] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Zip path; default dist/<id>-gradescope.zip.")
    ] = None,
) -> None:
    """Show the released grader bundle; with --gradescope, package it for Gradescope."""
    from importlib.metadata import requires

    from autograder.authoring.gradescope_zip import build_gradescope_zip
    from autograder.grading.bundle import load_bundle

    course = _settings(ctx).course()
    course.component(assignment)
    bundle = load_bundle(course.root / "dist" / assignment)
    questions = ", ".join(f"{q} {p:g}" for q, p in bundle.questions.items())
    out.print(f"{bundle.assignment}: {bundle.root} (version {bundle.version[:12]}); {questions}")
    if not gradescope:
        return
    torch_pin = next(
        r for r in requires("course-autograder") or [] if r.replace(" ", "").startswith("torch==")
    )
    target = out_file or course.root / "dist" / f"{assignment}-gradescope.zip"
    project_root = Path(__file__).resolve().parents[1]
    build_gradescope_zip(bundle, project_root, target, torch_pin.split("==", 1)[1].strip())
    out.print(f"Gradescope autograder zip: {target}")


roster_app = typer.Typer(
    help="The course roster (who may log in to `autograder serve`).", no_args_is_help=True
)
app.add_typer(roster_app, name="roster")
tokens_app = typer.Typer(
    help="Students' login tokens for `autograder serve`.", no_args_is_help=True
)
app.add_typer(tokens_app, name="tokens")


@roster_app.command("import")
def roster_import_cmd(
    ctx: typer.Context,
    csv_file: Annotated[
        Path, typer.Argument(help="Moodle participants export, or student_id,name,email.")
    ],
) -> None:
    """Add or update students from a CSV; all-or-nothing."""
    from autograder.serve.roster import import_roster, read_roster

    settings = _settings(ctx)
    rows = read_roster(csv_file)
    added, updated = import_roster(settings.gradebook(settings.course()), rows)
    out.print(f"Roster: {added} added, {updated} updated ({len(rows)} in {shown(csv_file)})")


@tokens_app.command("issue")
def tokens_issue_cmd(
    ctx: typer.Context,
    csv_path: Annotated[
        Path | None,
        typer.Option("--csv", help="Write student_id,name,email,token here (mode 0600)."),
    ] = None,
    student: Annotated[
        list[str] | None, typer.Option(help="Only these students (repeat); default: all.")
    ] = None,
) -> None:
    """A new login token per student (the old one stops working); only hashes are kept."""
    from autograder.serve.roster import issue_tokens, write_tokens_csv

    settings = _settings(ctx)
    if csv_path is not None and (csv_path.is_dir() or not csv_path.parent.is_dir()):
        raise OutputPathError(f"--csv {csv_path}: not a file in an existing folder")
    issued = issue_tokens(settings.gradebook(settings.course()), student)
    if csv_path is None:
        for item in issued:
            out.print(f"{item.student_id}\t{item.token}", markup=False)
    else:
        write_tokens_csv(csv_path, issued)
        out.print(f"Issued {len(issued)} tokens to {shown(csv_path)}; the old ones are revoked.")


staff_app = typer.Typer(
    help="The course's TAs and instructors (the staff pages of `autograder serve`).",
    no_args_is_help=True,
)
app.add_typer(staff_app, name="staff")


@staff_app.command("add")
def staff_add_cmd(
    ctx: typer.Context,
    staff_id: Annotated[str, typer.Argument(help="Login id, e.g. ivanov_ta.")],
    role: Annotated[str, typer.Option(help="ta or instructor (publishing is the instructor's).")],
    name: Annotated[str | None, typer.Option(help="Full name (default: the id).")] = None,
    email: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Add a staff member, or change one's name, email or role."""
    from autograder.serve.staff import add_staff, staff_row

    settings = _settings(ctx)
    try:
        row = staff_row(staff_id, name or staff_id, email, role)
    except ValueError as exc:
        raise ServeError(str(exc)) from None
    added, _ = add_staff(settings.gradebook(settings.course()), [row])
    out.print(f"{row.staff_id} ({row.role}) {'added' if added else 'updated'}")


@staff_app.command("import")
def staff_import_cmd(
    ctx: typer.Context,
    csv_file: Annotated[Path, typer.Argument(help="A CSV of staff_id,name,email,role.")],
) -> None:
    """Add or update staff members from a CSV; all-or-nothing."""
    from autograder.serve.staff import add_staff, read_staff_csv

    settings = _settings(ctx)
    rows = read_staff_csv(csv_file)
    added, updated = add_staff(settings.gradebook(settings.course()), rows)
    out.print(f"Staff: {added} added, {updated} updated ({len(rows)} in {shown(csv_file)})")


@staff_app.command("list")
def staff_list_cmd(ctx: typer.Context) -> None:
    """Every staff member with their role."""
    from autograder.serve.staff import list_staff

    settings = _settings(ctx)
    for row in list_staff(settings.gradebook(settings.course())):
        out.print(f"{row.staff_id}\t{row.role}\t{row.name}\t{row.email or ''}", markup=False)


@staff_app.command("tokens")
def staff_tokens_cmd(
    ctx: typer.Context,
    csv_path: Annotated[
        Path | None,
        typer.Option("--csv", help="Write staff_id,name,email,token here (mode 0600)."),
    ] = None,
    member: Annotated[
        list[str] | None, typer.Option("--staff", help="Only these (repeat); default: all.")
    ] = None,
) -> None:
    """A new login token per staff member (the old one and its sessions stop working)."""
    from autograder.serve.roster import write_tokens_csv
    from autograder.serve.staff import issue_staff_tokens

    settings = _settings(ctx)
    if csv_path is not None and (csv_path.is_dir() or not csv_path.parent.is_dir()):
        raise OutputPathError(f"--csv {csv_path}: not a file in an existing folder")
    issued = issue_staff_tokens(settings.gradebook(settings.course()), member)
    if csv_path is None:
        for item in issued:
            out.print(f"{item.student_id}\t{item.token}", markup=False)
    else:
        write_tokens_csv(csv_path, issued, id_column="staff_id")
        out.print(f"Issued {len(issued)} tokens to {shown(csv_path)}; the old ones are revoked.")


LTI_CONFIG_HELP = "The LTI platforms file; default $AUTOGRADER_LTI_CONFIG or <course>/lti/lti.json."


@app.command("serve")
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on (put a TLS proxy in front).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Grading processes.")] = 2,
    data: Annotated[
        Path | None, typer.Option(help="Uploads, results, cookie key; default <course>/serve/.")
    ] = None,
    max_upload_mb: Annotated[int, typer.Option(min=1, max=100)] = 25,
    secure_cookies: Annotated[
        bool, typer.Option(help="Cookies only over HTTPS (set this behind the TLS proxy).")
    ] = False,
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "auto",
    pool: Annotated[
        bool,
        typer.Option(help="Each grader forks submissions from a warm zygote; --no-pool: cold."),
    ] = True,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="Address of a reverse proxy whose X-Forwarded-For is believed (repeatable); "
            "none by default: the client address is the connection's."
        ),
    ] = None,
    lti_config: Annotated[
        Path | None, typer.Option(help=LTI_CONFIG_HELP + " LTI is on when it exists.")
    ] = None,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(help="Serve HTTPS with this certificate (PEM) instead of behind a proxy."),
    ] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="Its private key (PEM).")] = None,
) -> None:
    """Students log in, upload notebooks, get receipts and public results (/api/v1/, /docs)."""
    from autograder.serve.app import ServeSettings
    from autograder.serve.lti.config import config_path as lti_config_path
    from autograder.serve.lti.config import read_platforms
    from autograder.serve.server import default_data_dir, run_server

    _check_backend(backend)
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise ServeError("--ssl-certfile and --ssl-keyfile go together")
    for path in (ssl_certfile, ssl_keyfile):
        if path is not None and not path.is_file():
            raise ServeError(f"{path}: no such file")
    settings = _settings(ctx)
    course = settings.course()
    url = resolve_url(settings.gradebook_location, course.root)
    data_dir = _output_folder(data or default_data_dir(course.root), "--data")
    serve_settings = ServeSettings(
        course.root, url, data_dir, max_upload_mb * 2**20,
        secure_cookies=secure_cookies or ssl_certfile is not None, lti_config=lti_config,
    )  # fmt: skip
    scheme = "https" if ssl_certfile else "http"

    def ready(requeued: int, homeworks: list[str]) -> None:
        out.print(
            f"Serving {', '.join(homeworks)} on {scheme}://{host}:{port} with {workers} grading "
            f"process(es); {requeued} unfinished job(s) requeued. Ctrl-C stops."
        )
        lti = lti_config_path(course.root, lti_config)
        if lti.exists():
            issuers = sorted({p.issuer for p in read_platforms(lti)})
            out.print(f"LTI 1.3 launches from {', '.join(issuers)} ({shown(lti)}).", markup=False)

    run_server(
        serve_settings,
        host=host,
        port=port,
        workers=workers,
        backend=backend,
        pool=pool,
        trusted_proxies=trusted_proxy or [],
        on_ready=ready,
        tls=(ssl_certfile, ssl_keyfile) if ssl_certfile else None,
    )


@app.command("publish")
def publish_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01.")],
    force: Annotated[bool, typer.Option(help="Publish before the deadline.")] = False,
    by: Annotated[
        str | None, typer.Option(help="Who publishes (default: $AUTOGRADER_USER or login).")
    ] = None,
    push: Annotated[
        bool, typer.Option(help="Then send the scores to the LMS (as `autograder lti push`).")
    ] = False,
    lti_config: Annotated[Path | None, typer.Option(help=LTI_CONFIG_HELP)] = None,
) -> None:
    """Let students see hidden tests and totals of one homework in `autograder serve`."""
    from autograder.serve.publishing import publish

    settings = _settings(ctx)
    course = settings.course()
    row = publish(settings.gradebook(course), course, assignment, by=_author(by), force=force)
    note = " (before the deadline)" if row.forced else ""
    out.print(f"{assignment} published {row.published_at.isoformat()} by {row.published_by}{note}")
    if push:
        _push(settings, course, assignment, lti_config, resend=False)


lti_app = typer.Typer(
    help="The course's LMS over LTI 1.3: launch from Moodle, scores back to its gradebook.",
    no_args_is_help=True,
)
app.add_typer(lti_app, name="lti")


@lti_app.command("init")
def lti_init_cmd(
    ctx: typer.Context,
    issuer: Annotated[
        str, typer.Option(help="Platform ID (Moodle: its URL, e.g. https://moodle.example.edu).")
    ],
    client_id: Annotated[str, typer.Option(help="Client ID the LMS gave the tool.")],
    deployment_id: Annotated[list[str], typer.Option(help="Deployment ID (repeatable).")],
    auth_login_url: Annotated[
        str | None, typer.Option(help="Default for Moodle: <issuer>/mod/lti/auth.php.")
    ] = None,
    auth_token_url: Annotated[
        str | None, typer.Option(help="Default for Moodle: <issuer>/mod/lti/token.php.")
    ] = None,
    key_set_url: Annotated[
        str | None, typer.Option(help="Default for Moodle: <issuer>/mod/lti/certs.php.")
    ] = None,
    roster_claim: Annotated[
        str, typer.Option(help="How a launch names the student: email, sourcedid or sub.")
    ] = "email",
    lti_config: Annotated[Path | None, typer.Option(help=LTI_CONFIG_HELP)] = None,
) -> None:
    """Register one LMS platform (Moodle's URLs by default); make the tool's key on first use."""
    from autograder.serve.lti.config import Platform, config_path, init_platform, read_platforms

    course = _settings(ctx).course()
    path = config_path(course.root, lti_config)
    base = issuer.rstrip("/")
    platform = Platform(
        issuer, client_id, tuple(deployment_id),
        auth_login_url or f"{base}/mod/lti/auth.php",
        auth_token_url or f"{base}/mod/lti/token.php",
        key_set_url or f"{base}/mod/lti/certs.php", roster_claim,
    )  # fmt: skip
    made = init_platform(path, platform)
    read_platforms(path)  # the file as written must load
    key = "a new key pair" if made else "the existing key pair"
    out.print(f"{shown(path)}: {issuer} (client {client_id}) registered with {key}.")
    out.print("The tool's URLs for the LMS: `autograder lti show --url https://<this server>`.")


@lti_app.command("show")
def lti_show_cmd(
    ctx: typer.Context,
    url: Annotated[str, typer.Option(help="This server's public https URL, as students reach it.")],
    lti_config: Annotated[Path | None, typer.Option(help=LTI_CONFIG_HELP)] = None,
) -> None:
    """What to enter in the LMS's tool settings, and the platforms registered here."""
    from autograder.serve.lti.config import config_path, read_platforms

    course = _settings(ctx).course()
    path = config_path(course.root, lti_config)
    platforms = read_platforms(path)
    base = url.rstrip("/")
    for label, value in (
        ("Tool URL", f"{base}/lti/launch"),
        ("Initiate login URL", f"{base}/lti/login"),
        ("Redirection URI(s)", f"{base}/lti/launch"),
        ("Public keyset URL", f"{base}/lti/jwks"),
    ):
        out.print(f"{label + ':':22} {value}", markup=False)
    for p in platforms:
        out.print(
            f"platform {p.issuer}  client {p.client_id}  deployments {', '.join(p.deployment_ids)}"
            f"  roster by {p.roster_claim}",
            markup=False,
        )


@lti_app.command("push")
def lti_push_cmd(
    ctx: typer.Context,
    assignment: Annotated[str, typer.Argument(help="Homework id, e.g. hw01 (published).")],
    resend: Annotated[
        bool, typer.Option(help="Send every score, also those the LMS already holds.")
    ] = False,
    lti_config: Annotated[Path | None, typer.Option(help=LTI_CONFIG_HELP)] = None,
) -> None:
    """Send a published homework's counting scores to the LMS's gradebook (AGS)."""
    settings = _settings(ctx)
    _push(settings, settings.course(), assignment, lti_config, resend=resend)


def _push(settings, course, assignment: str, lti_config: Path | None, resend: bool) -> None:
    from autograder.serve.lti.config import config_path
    from autograder.serve.lti.passback import push_scores

    report = push_scores(
        settings.gradebook(course), course, config_path(course.root, lti_config), assignment,
        resend=resend,
    )  # fmt: skip
    out.print(
        f"{assignment} to the LMS ({report.courses} course(s)): {report.sent} sent, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped (no LMS user), "
        f"{len(report.failed)} failed"
    )
    if report.skipped:
        out.print(
            "skipped (never launched from the LMS): " + ", ".join(report.skipped), markup=False
        )
    for line in report.failed:
        err.print(f"  failed: {line}", markup=False)
    if report.failed:
        raise typer.Exit(1)


def main() -> None:
    """Console entry point: every error is one line (plus the rows an import refused)."""
    try:
        app()
    except AutograderError as exc:
        err.print("[red]error:[/red] " + shown(exc), soft_wrap=True)  # one line, unwrapped
        for problem in getattr(exc, "problems", []):
            err.print(f"  {plain(problem)}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("[yellow]Stopped.[/yellow]")
        sys.exit(130)
    except Exception as exc:
        if _debug:
            raise
        first = (str(exc).splitlines() or [""])[0][:300]
        err.print(
            f"[red]error:[/red] unexpected {type(exc).__name__}: {shown(first)} "
            "(run with --debug for the traceback)"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
