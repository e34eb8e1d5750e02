"""The attacks: each is the released hw01 student notebook with attack cells put in.

An attack's cells come from `payloads/<name>.py` (cells separated by `# %% cell` lines),
preceded by a prelude cell that defines `CTX` (what the attacker is assumed to know:
its token, the names the tests take, host paths, a port...), `TOKEN` and `report()`.
The prelude carries CTX as reversed JSON, so the token never appears in any file the
grader handles: finding it on the host later can only mean the attack put it there.
`report(**data)` raises the findings as a cell error, the one channel from a sandboxed
cell back to the test (see `reports()`).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import nbformat
from slowness import scaled

from autograder.grading.limits import Limits
from autograder.grading.results import GradingResult

PAYLOADS = Path(__file__).with_name("payloads")
CELL_BREAK = "# %% cell\n"
REPORT = "RuntimeError: AGSEC-REPORT "

# Small limits so that every bomb ends fast; wall seconds, stretched on a slower machine.
LIMITS = Limits(
    notebook_seconds=scaled(45),
    cell_seconds=scaled(20),
    test_seconds=scaled(5),
    memory_mb=1024,
    processes=32,
    file_size_mb=16,
    disk_mb=64,
    output_kb=64,
    threads=1,
)

# The honest runs (the solution, the probe that follows the poisoner) only need to be
# correct, not fast: a loaded machine must not turn them into timeouts. Memory and
# processes stay as tight as the attacks'.
CONTROL_LIMITS = replace(
    LIMITS, notebook_seconds=scaled(300), cell_seconds=scaled(120), test_seconds=scaled(20)
)
SEARCH_SECONDS = scaled(20)  # how long search_and_exec walks the filesystem (CTX)

PRELUDE = '''import json as _agsec_json

CTX = _agsec_json.loads({reversed_ctx!r}[::-1])
TOKEN = CTX["token"]


def report(**data):
    """Raise the findings as a cell error: the attack's one way to tell the test."""
    text = _agsec_json.dumps(data, default=repr).replace(CTX["session"], "<S>")
    raise RuntimeError("AGSEC-REPORT " + text[:1800])
'''


@dataclass(frozen=True)
class Attack:
    name: str
    payloads: tuple[str, ...] = ()  # payload files, in order; default: (name,)
    where: str = "end"  # "end" of the notebook, or right "after_imports"
    limits: Limits = LIMITS
    tamper: Callable[[nbformat.NotebookNode], None] | None = None

    @property
    def sources(self) -> list[str]:
        cells = []
        for stem in self.payloads or (self.name,):
            text = (PAYLOADS / f"{stem}.py").read_text(encoding="utf-8")
            cells += [c.strip() for c in text.split(CELL_BREAK) if c.strip()]
        return cells


def tamper_metadata(nb: nbformat.NotebookNode) -> None:
    """Tests in the notebook's metadata (otter's own formats) that pass anything for
    15 points per question, plus nbgrader-style grade fields on every code cell."""
    passing = "def test_pass():\n    assert True\n"
    nb.metadata.setdefault("otter", {})["tests"] = {
        f"q{i}": {
            "name": f"q{i}",
            "points": 15,
            "suites": [{"cases": [{"code": ">>> True\nTrue", "hidden": False, "points": 15}]}],
            "source": passing,
        }
        for i in range(1, 15)
    }
    nb.metadata["otter"]["OK_FORMAT"] = True
    nb.metadata["autograder"] = {"score": 15, "max_score": 15}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata["nbgrader"] = {"grade": True, "points": 15, "solution": True}
            cell.metadata["otter"] = {"tests": passing, "points": 15}


ATTACKS = [
    Attack("patched_asserts"),
    Attack("always_equal"),
    Attack("tensor_liars"),
    Attack("float_liars"),
    Attack("fake_validation"),
    Attack("input_transformer", where="after_imports"),
    Attack("tampered_metadata", tamper=tamper_metadata),
    Attack("printed_scores"),
    Attack("search_and_exec", limits=replace(LIMITS, cell_seconds=scaled(30))),
    Attack("junk_fds"),
    Attack("connect_localhost"),
    Attack("raise_rlimits"),
    Attack("sys_exit"),
    Attack("os_exit"),
    Attack("kill_parent"),
    Attack("infinite_loop", limits=replace(LIMITS, cell_seconds=scaled(10))),
    Attack("sigterm_loop", limits=replace(LIMITS, notebook_seconds=scaled(15))),
    Attack("hang_in_call", limits=replace(LIMITS, test_seconds=scaled(2))),
    Attack("fork_bomb"),
    Attack("daemon"),
    Attack("memory_bomb"),
    Attack("memory_children"),
    Attack("disk_fill"),
    Attack("output_flood"),
    # about receiving and rebuilding 200 MB replies, not about time: on a loaded 2-core
    # machine a few of them took longer than the 5 s per test and the run was a timeout
    Attack("huge_replies", limits=replace(LIMITS, test_seconds=scaled(30))),
    Attack("runaway_thread"),
]
POISON = Attack("poison", payloads=("probe_lib", "poison"))
PROBE = Attack("poison_probe", payloads=("probe_lib", "probe"), limits=CONTROL_LIMITS)
KERNEL_OBJECTS = Attack("kernel_objects")
KERNEL_PROBE = Attack("kernel_objects_probe")
# what kernel_objects calls, by number on this machine (CTX["syscalls"])
KERNEL_CALLS = [
    "add_key",
    "request_key",
    "keyctl",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "unshare",
    "ptrace",
    "kexec_load",
]
FAKE_RESULTS = Attack("fake_results")
UNPICKLE = Attack("zip_pickle", payloads=("unpickle",))


def build_notebook(attack: Attack, ctx: dict[str, Any], base: Path, out: Path) -> Path:
    """`base` (the blank or the solution notebook) with the attack's cells put in."""
    nb = nbformat.read(base, as_version=4)
    reversed_ctx = json.dumps(ctx, ensure_ascii=True)[::-1]
    cells = [PRELUDE.format(reversed_ctx=reversed_ctx), *attack.sources]
    new = [nbformat.v4.new_code_cell(source) for source in cells]
    if attack.where == "after_imports":
        at = next(i for i, c in enumerate(nb.cells) if "import torch" in c.source) + 1
    else:
        at = len(nb.cells)
    nb.cells[at:at] = new
    if attack.tamper is not None:
        attack.tamper(nb)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out


def names_in_tests(test_files: list[Path]) -> tuple[list[str], list[str]]:
    """(every name the bundle's test functions take, the names of the hidden ones)."""
    taken, hidden = [], []
    for path in test_files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                taken += [a.arg for a in node.args.args]
                if node.name.endswith("_hidden"):
                    hidden.append(node.name)
    return list(dict.fromkeys(taken)), hidden


def reports(result: GradingResult) -> list[dict[str, Any]]:
    """What the attack's cells reported, in cell order."""
    found = []
    for error in result.notebook_errors:
        last = error.traceback.rstrip().splitlines()[-1] if error.traceback.strip() else ""
        if last.startswith(REPORT):
            found.append(json.loads(last[len(REPORT) :]))
    return found


def report_of(result: GradingResult) -> dict[str, Any]:
    """The attack's one report; fails the test if there is not exactly one."""
    found = reports(result)
    assert len(found) == 1, f"expected one report, got {len(found)}: {result.notebook_errors}"
    return found[0]


def reports_in_text(text: str) -> list[dict[str, Any]]:
    """Reports found in a results.json "output" (which quotes the cells' tracebacks)."""
    return [json.loads(m) for m in re.findall(r"AGSEC-REPORT (\{.*\})$", text, re.MULTILINE)]


def token_for(session: str, name: str) -> str:
    """The attack's token; the final dot keeps one token from being a prefix of another."""
    return f"{session}-{name}."
