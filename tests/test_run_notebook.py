"""tools/run_notebook.py: parameter overrides of committed real-run notebooks."""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

TOOL = Path(__file__).resolve().parents[1] / "tools" / "run_notebook.py"
spec = importlib.util.spec_from_file_location("run_notebook", TOOL)
run_notebook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebook)


def notebook(source):
    return new_notebook(
        cells=[
            new_code_cell("import os"),
            new_code_cell(source, metadata={"tags": ["parameters"]}),
            new_code_cell("print(EPOCHS)"),
        ]
    )


def test_parameters_are_python_literals_of_names_the_cell_sets():
    nb = notebook('DATASET = "mnist"\nEPOCHS = 50  # the report\'s\nSEED = 0')
    known = run_notebook.parameter_names(nb)
    assert known == ["DATASET", "EPOCHS", "SEED"]
    assert run_notebook.parse_parameters(['DATASET="fashion_mnist"', "EPOCHS=2"], known) == {
        "DATASET": "fashion_mnist",
        "EPOCHS": 2,
    }
    with pytest.raises(ValueError, match=r"must be a Python literal.*'twenty'"):
        run_notebook.parse_parameters(["EPOCHS=twenty"], known)


def test_unknown_parameter_names_the_known_ones():
    known = run_notebook.parameter_names(notebook("EPOCHS = 50\nSEED = 0"))
    with pytest.raises(ValueError, match=r"'EPOCH'.*\['EPOCHS', 'SEED'\]"):
        run_notebook.parse_parameters(["EPOCH=2"], known)


def test_a_notebook_without_one_parameters_cell_is_refused():
    nb = notebook("EPOCHS = 50")
    nb.cells[1].metadata["tags"] = []
    with pytest.raises(ValueError, match="found 0"):
        run_notebook.parameter_names(nb)


def test_papermill_executes_with_the_parameters_injected(tmp_path):
    path = tmp_path / "n.ipynb"
    nb = notebook("EPOCHS = 50")
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    run_notebook.main([str(path), "EPOCHS=2", "--output", str(tmp_path / "out.ipynb")])
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "EPOCHS = 2" in injected[0].source
    assert executed.cells[-1].outputs[0].text == "2\n"
    assert nbformat.read(path, as_version=4).cells[1].source == "EPOCHS = 50"
    # A copy kept elsewhere says first which notebook it executes, and with what.
    note = executed.cells[0]
    assert note.cell_type == "markdown" and "[`n.ipynb`](n.ipynb)" in note.source
    assert "`EPOCHS = 2`" in note.source


def test_bad_argument_is_refused_before_anything_runs(tmp_path, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook("EPOCHS = 50"), path)
    before = path.read_bytes()
    with pytest.raises(SystemExit):
        run_notebook.main([str(path), "EPOCHS"])
    assert "expected NAME=VALUE, got 'EPOCHS'" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_tensorflow_log_lines_are_stripped_and_other_stderr_kept():
    nb = notebook("EPOCHS = 50")
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text="WARNING: All log messages before absl::InitializeLog() is called are written\n"
            "I0000 00:00:1795470445.976782   15733 port.cc:153] oneDNN custom operations\n",
        ),
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text="E0000 00:00:17 cuda_platform.cc:52] failed call to cuInit\nUserWarning: kept\n",
        ),
        nbformat.v4.new_output("stream", name="stdout", text="I0000 stdout is never touched\n"),
    ]
    assert run_notebook.strip_tf_logs(nb) == 3
    assert [o.text for o in nb.cells[0].outputs] == [
        "UserWarning: kept\n",
        "I0000 stdout is never touched\n",
    ]


def test_strip_only_refuses_parameters_it_would_ignore(tmp_path, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook("EPOCHS = 50"), path)
    before = path.read_bytes()
    with pytest.raises(SystemExit):
        run_notebook.main([str(path), "EPOCHS=2", "--strip-only"])
    assert "takes no parameters; got ['EPOCHS=2']" in capsys.readouterr().err
    assert path.read_bytes() == before
