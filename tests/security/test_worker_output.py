"""Regression: the worker's IPython shell must not keep cell output beyond what it reports.

IPython 9 copies every write to stdout/stderr and every display() into
`history_manager.outputs`, even with history disabled; the worker used to keep a whole
output flood that way (and ~0.8 KB per tiny write), so a chatty notebook ended in a
memory kill instead of having its output cut at Limits.output_kb.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FLOOD = """
import gc, tracemalloc
from autograder.grading.worker import make_shell, run_cell
shell = make_shell()
cell = '''
from IPython.display import display
for i in range(30):
    print(f"{i:08d}" * 2**17)
    display(f"{i:08d}" * 2**17)
for _ in range(100_000):
    print("y", end="")
'''
tracemalloc.start()
report = run_cell(shell, 1, cell, 60.0, 64 * 1024)
gc.collect()
kept, _ = tracemalloc.get_traced_memory()
print(report["error"], len(report["out"]), kept)
"""


def test_an_output_flood_is_cut_and_not_kept_by_the_worker_shell(tmp_path):
    env = {"PYTHONPATH": str(REPO), "IPYTHONDIR": str(tmp_path / "ipython"), "PATH": "/usr/bin"}
    done = subprocess.run(
        [sys.executable, "-c", FLOOD],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    error, reported, kept = done.stdout.split()
    assert error == "None" and int(reported) < 70 * 1024  # the cap, plus the cut note
    assert int(kept) < 8 * 2**20  # 60 MB went through; without the fix it all stays
