"""OK-format test cases (otter's default: doctest-style `>>>` examples), run on the TRUSTED
side under the same trust model as exception tests.

Each case runs its examples in this process, in a fresh namespace of its own:

- the names an example reads are filled from the student's namespace as for exception tests
  (data rebuilt as exact base types, other objects as proxies, library names such as `np`
  as the trusted modules; builtins stay this process's own, a notebook cannot rebind them);
- `print` and the value of each top-level expression statement are captured here, into this
  case's buffer (no process-wide redirection, so threads grading others are not disturbed);
- the captured text is compared with the expected output as doctest compares it
  (`doctest.OutputChecker`, default flags, as otter's `run_doctest` uses), and an expected
  traceback by its last line.

Where the expected text would depend on text the student controls, the case fails:
- an output that shows a student's object (a proxy's repr: a function, a DataFrame, any
  object that stays in the worker) is never compared, since the worker could make its
  repr read like the expected text;
- what the student's own code prints inside the worker is not seen (the worker's stdout
  goes nowhere), so an example whose expected output is printed by the student's function
  fails; examples that print data from the test itself (`print(x)`) work.

`type()` and `isinstance()` on a student's object answer from the type NAME the worker
reports (`proxy.RemoteType`): enough for `assert type(s) == pd.Series`, but a claim, never
proof; masters should check values too, as otter's own examples do.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import io
from typing import Any

from autograder.grading.proxy import (
    OPAQUE_MARK,
    StudentNamespace,
    WorkerLost,
    remote_isinstance,
    remote_type,
)

MAX_REPORT = 1500  # characters of expected/got text shown to the student
DISPLAY = "__ok_display__"
OPAQUE_HINT = (
    "в ответе объект из решения ({shown}); его текстовое представление оценщик не сравнивает, "
    "проверьте значение (данные), а не объект"
)


class _Capture:
    """The current example's output buffer."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def print(self, *args: Any, sep: str | None = " ", end: str | None = "\n", **kw: Any) -> None:
        file = kw.pop("file", None)
        builtins.print(*args, sep=sep, end=end, file=self.buffer if file is None else file, **kw)

    def display(self, value: Any) -> None:
        if value is not None:
            self.buffer.write(repr(value) + "\n")


class _DisplayExpressions(ast.NodeTransformer):
    """`expr` statements become `__ok_display__(expr)`, as the interactive ('single') mode
    doctest compiles with would echo them; not inside function or class bodies."""

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = ast.Call(ast.Name(DISPLAY, ast.Load()), [node.value], [])
        return ast.copy_location(ast.Expr(call), node)

    def visit_FunctionDef(self, node: ast.AST) -> ast.AST:
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = visit_FunctionDef


def compile_example(source: str, name: str) -> tuple[Any, set[str]]:
    """(code object, names the example reads but does not bind itself)."""
    tree = ast.parse(source, filename=name, mode="exec")
    reads, binds = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            binds.add(node.name)
        elif isinstance(node, ast.arg):
            binds.add(node.arg)
        elif isinstance(node, ast.alias):
            binds.add((node.asname or node.name).split(".")[0])
    tree = ast.fix_missing_locations(_DisplayExpressions().visit(tree))
    return compile(tree, name, "exec"), reads - binds


def trusted_builtins(capture: _Capture) -> dict[str, Any]:
    """This process's builtins, with output captured and type queries that understand proxies."""
    table = dict(vars(builtins))
    table.update(print=capture.print, type=remote_type, isinstance=remote_isinstance)
    return table


def run_ok_case(body: str, env: StudentNamespace, name: str, hidden: bool) -> tuple[bool, str]:
    """Run one OK-format case; (passed, hint for the student). A hidden case's hint never
    shows its examples or expected values. WorkerLost and StudentError propagate only
    through the examples' own handling: an exception is an outcome compared like doctest."""
    capture = _Capture()
    globs: dict[str, Any] = {
        "__builtins__": trusted_builtins(capture),
        "__name__": "__main__",
        DISPLAY: capture.display,
    }
    checker = doctest.OutputChecker()
    try:
        examples = [e for e in doctest.DocTestParser().parse(body, name) if type(e) is not str]
    except ValueError as exc:  # a malformed doctest is the instructor's problem
        raise ValueError(f"{name}: not a doctest ({exc})") from None
    for example in examples:
        code, reads = compile_example(example.source, name)
        for read in sorted(reads):
            if read not in globs and read not in globs["__builtins__"]:
                value = env.get(read, _MISSING)
                if value is not _MISSING:
                    globs[read] = value
        capture.buffer = io.StringIO()
        raised = None
        try:
            exec(code, globs)
        except WorkerLost:
            raise
        except Exception as exc:
            raised = exception_line(exc)
        got = capture.buffer.getvalue()
        if OPAQUE_MARK in got:
            return False, "" if hidden else OPAQUE_HINT.format(shown=_cut(got.strip(), 200))
        if raised is None:
            ok = example.exc_msg is None and checker.check_output(example.want, got, 0)
        else:
            ok = example.exc_msg is not None and checker.check_output(example.exc_msg, raised, 0)
        if not ok:
            return False, "" if hidden else failure_report(example, got, raised)
    return True, ""


_MISSING = object()


def exception_line(exc: BaseException) -> str:
    """The last line of a traceback, as doctest compares it: `Type: message`. For the
    student's exceptions the worker's type name, not our StudentError wrapper's."""
    type_name = getattr(exc, "type_name", None) or type(exc).__name__
    message = getattr(exc, "message", None) if hasattr(exc, "type_name") else str(exc)
    return f"{type_name}: {message}\n" if message else f"{type_name}\n"


def failure_report(example: doctest.Example, got: str, raised: str | None) -> str:
    want = example.want if example.exc_msg is None else example.exc_msg
    lines = ["Пример:", _cut(example.source.rstrip(), 500), "Ожидалось:"]
    lines.append(_cut(want.rstrip(), MAX_REPORT) or "(ничего)")
    if raised is not None:
        lines += ["Возникло исключение:", _cut(raised.rstrip(), MAX_REPORT)]
    else:
        lines += ["Получено:", _cut(got.rstrip(), MAX_REPORT) or "(ничего)"]
    return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
