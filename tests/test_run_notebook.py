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


def parameters(nb):
    return nb.cells[1].source.splitlines()


def test_override_keeps_the_default_in_a_comment():
    nb = notebook('DATASET = "mnist"\nEPOCHS = 50  # the report\'s\nSEED = 0')
    run_notebook.set_parameters(nb, {"EPOCHS": "2", "DATASET": '"fashion_mnist"'})
    assert parameters(nb) == [
        'DATASET = "fashion_mnist"  # this run\'s; default "mnist"',
        "EPOCHS = 2  # this run's; default 50 (the report's)",
        "SEED = 0",
    ]
    assert nb.cells[2].source == "print(EPOCHS)"


def test_a_second_override_keeps_the_first_default():
    nb = notebook("EPOCHS = None  # None: the report's")
    run_notebook.set_parameters(nb, {"EPOCHS": "2"})
    run_notebook.set_parameters(nb, {"EPOCHS": "3"})
    assert parameters(nb) == ["EPOCHS = 3  # this run's; default None (None: the report's)"]


def test_unknown_parameter_names_the_known_ones():
    nb = notebook("EPOCHS = 50\nSEED = 0")
    with pytest.raises(ValueError, match=r"'EPOCH'.*\['EPOCHS', 'SEED'\]"):
        run_notebook.set_parameters(nb, {"EPOCH": "2"})


def test_a_notebook_without_one_parameters_cell_is_refused():
    nb = notebook("EPOCHS = 50")
    nb.cells[1].metadata["tags"] = []
    with pytest.raises(ValueError, match="found 0"):
        run_notebook.set_parameters(nb, {"EPOCHS": "2"})


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
