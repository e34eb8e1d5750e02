"""Builds a homework's master notebook (otter-assign format v1), solutions/hwNN/hwNN.ipynb,
from the cell sources in solutions/hwNN/source/.

The master is written as plain text so that it can be reviewed in a diff: each file in
source/ is a run of cells, every cell opened by a marker line `%% markdown`, `%% code` or
`%% raw`. Files are read in name order. Edit the sources, then run

    python solutions/build_master.py hw01          # writes solutions/hw01/hw01.ipynb
    python solutions/build_master.py hw01 --check  # exit 1 if hw01.ipynb is stale
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path

import nbformat

SOLUTIONS = Path(__file__).resolve().parent
MARKER = re.compile(r"^%% (markdown|code|raw)\s*$")
# otter pastes these messages into double-quoted Python strings without escaping
MESSAGE_KEY = re.compile(r"^(success_message|failure_message):")

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.11"},
}


class SourceError(ValueError):
    """A cell source file is malformed."""


def read_cells(path: Path) -> list[tuple[str, str]]:
    """(cell_type, source) pairs of one source file."""
    cells: list[tuple[str, list[str]]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = MARKER.match(line)
        if match:
            cells.append((match.group(1), []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise SourceError(f"{path.name}:{lineno}: text before the first cell marker")
    return [(kind, "\n".join(lines).strip("\n")) for kind, lines in cells]


def check_cell(path: Path, index: int, kind: str, source: str) -> None:
    """Refuse cells that otter would choke on later, with a message naming the cell."""
    where = f"{path.name}, cell {index + 1}"
    if not source.strip():
        raise SourceError(f"{where}: empty cell")
    if kind == "code":
        try:
            ast.parse(source)
        except SyntaxError as exc:
            raise SourceError(f"{where}: {exc}") from None
        for line in source.splitlines():
            if MESSAGE_KEY.match(line) and ('"' in line or "\\" in line):
                raise SourceError(f"{where}: a test message may not contain \" or \\")


def build_notebook(folder: Path) -> nbformat.NotebookNode:
    """The master notebook of the homework in `folder`, with stable cell ids so that
    rebuilding gives the same bytes."""
    cells = []
    for path in sorted((folder / "source").glob("*.cells")):
        for index, (kind, source) in enumerate(read_cells(path)):
            check_cell(path, index, kind, source)
            factory = getattr(nbformat.v4, f"new_{kind}_cell")
            cell = factory(source)
            digest = hashlib.sha256(f"{path.name}:{index}".encode()).hexdigest()[:12]
            cell["id"] = f"{path.stem.split('_', 1)[0]}-{index:03d}-{digest}"
            cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=METADATA)
    nbformat.validate(nb)
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homework", help="the homework id, e.g. hw01 (solutions/hw01/)")
    parser.add_argument("--check", action="store_true", help="only check that the master is fresh")
    args = parser.parse_args(argv)
    folder = SOLUTIONS / args.homework
    if not (folder / "source").is_dir():
        parser.error(f"{folder / 'source'} does not exist")
    master = folder / f"{args.homework}.ipynb"
    text = render(build_notebook(folder))
    if args.check:
        if not master.is_file() or master.read_text(encoding="utf-8") != text:
            print(f"{master} is stale: run {Path(__file__).name} {args.homework}", file=sys.stderr)
            return 1
        return 0
    master.write_text(text, encoding="utf-8")
    print(f"wrote {master}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
