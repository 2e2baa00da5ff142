"""The notebooks' sources: each .ipynb is paired with a jupytext percent .py, and they agree."""

from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def test_every_notebook_has_its_source_and_every_source_its_notebook():
    sources = sorted(p.stem for p in NOTEBOOKS.glob("*.py") if p.stem != "conftest")
    assert NAMES and sources == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_the_notebook_holds_exactly_its_source(name):
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert notebook.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    # papermill's cell of the parameters a committed run was executed with is not in the source.
    cells = [
        (c.cell_type, c.source)
        for c in notebook.cells
        if "injected-parameters" not in c.metadata.get("tags", [])
    ]
    expected = [(c.cell_type, c.source) for c in source.cells]
    assert cells == expected, f"run `make sync` after editing notebooks/{name}.py"
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters' (papermill)"
