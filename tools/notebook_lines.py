"""Count each notebook's own lines of code: non-blank, non-comment lines of its code cells.

Usage: python tools/notebook_lines.py [NOTEBOOK.py ...]   (default: every notebooks/*.py source)
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def own_lines(source: Path) -> int:
    """Lines of code of a jupytext source's code cells, without blank lines and comments."""
    notebook = jupytext.read(source)
    return sum(
        1
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


def main(argv=None) -> int:
    paths = [Path(p) for p in (argv or sys.argv[1:])] or sorted(
        p for p in NOTEBOOKS.glob("*.py") if p.stem != "conftest"
    )
    for path in paths:
        print(f"{own_lines(path):4d}  {path.stem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
