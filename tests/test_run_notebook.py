"""tools/run_notebook.py: parameter overrides of committed real-run notebooks."""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

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


BADGE = (
    "[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/{}.ipynb)"
)


def test_the_copys_colab_badge_opens_the_copy():
    nb = notebook("EPOCHS = 50")
    nb.cells.insert(0, new_markdown_cell("# Title\n\n" + BADGE.format("li_ye_comparison") + "\n"))
    code_before = nb.cells[1].source
    copy = "results/li_ye_comparison/li_ye_comparison_fashion_mnist.ipynb"
    assert run_notebook.rewrite_colab_badges(nb, copy) == 1
    assert (
        "(https://colab.research.google.com/github/ganlib/ganlib/blob/main/" + copy + ")"
        in nb.cells[0].source
    )
    assert "notebooks/li_ye_comparison.ipynb" not in nb.cells[0].source
    assert nb.cells[0].source.startswith("# Title\n\n[![Open in Colab](https://colab.research")
    assert nb.cells[1].source == code_before  # only markdown cells


def test_a_copy_in_the_repository_gets_its_own_badge_and_relinked_outputs():
    repo = run_notebook.REPO
    source = repo / "notebooks" / "li_ye_comparison.ipynb"
    output = repo / "results" / "li_ye_comparison" / "li_ye_comparison_fashion_mnist.ipynb"
    nb = notebook("EPOCHS = 50")
    nb.cells.insert(0, new_markdown_cell(BADGE.format("li_ye_comparison")))
    nb.cells[-1].outputs = [
        new_output(
            "display_data",
            {"text/markdown": "[epochs.html](../results/li_ye_comparison/a/epochs.html)"},
        )
    ]
    run_notebook.make_copy(nb, source, output, {"DATASET": "fashion_mnist"})
    assert nb.cells[0].source.startswith(
        "*An executed copy of [`notebooks/li_ye_comparison.ipynb`]"
    )
    assert "](../../notebooks/li_ye_comparison.ipynb)" in nb.cells[0].source
    assert (
        "/blob/main/results/li_ye_comparison/li_ye_comparison_fashion_mnist.ipynb)"
        in nb.cells[1].source
    )
    assert nb.cells[-1].outputs[0].data["text/markdown"] == "[epochs.html](a/epochs.html)"


def test_relative_links_of_outputs_follow_the_copy_to_its_folder(tmp_path):
    cwd, folder = tmp_path / "notebooks", tmp_path / "results" / "li_ye_comparison"
    nb = notebook("EPOCHS = 50")
    markdown = (
        "Every epoch: [epochs.html](../results/li_ye_comparison/cdcgan_fashion_mnist/epochs.html),"
        " [docs](../docs/metrics.md#fid), [web](https://example.org/a.html), [here](#top),"
        " ![gif](../runs/li_ye/cgan/training.gif), [abs](/tmp/x.html), `../runs/x` as code"
    )
    html = (
        '<a href="../results/li_ye_comparison/x/epochs.html">x</a>'
        " <img src=\"data:image/png;base64,iVBOR\"> <img src='../runs/a.png'>"
        ' <a href="mailto:a@b.c">m</a> <a href="http://x.org/y">y</a>'
    )
    nb.cells[2].outputs = [
        new_output("display_data", {"text/markdown": markdown, "text/plain": "<Markdown>"}),
        new_output("execute_result", {"text/html": html}, execution_count=1),
        new_output("stream", name="stdout", text="[not a link](../results/x)\n"),
    ]
    nb.cells[1].source = "[source](../results/x)"  # code cells' sources stay as written
    assert run_notebook.relink_outputs(nb, cwd, folder) == 5
    data = nb.cells[2].outputs[0].data
    assert data["text/markdown"] == (
        "Every epoch: [epochs.html](cdcgan_fashion_mnist/epochs.html),"
        " [docs](../../docs/metrics.md#fid), [web](https://example.org/a.html), [here](#top),"
        " ![gif](../../runs/li_ye/cgan/training.gif), [abs](/tmp/x.html), `../runs/x` as code"
    )
    assert data["text/plain"] == "<Markdown>"
    assert nb.cells[2].outputs[1].data["text/html"] == (
        '<a href="x/epochs.html">x</a>'
        " <img src=\"data:image/png;base64,iVBOR\"> <img src='../../runs/a.png'>"
        ' <a href="mailto:a@b.c">m</a> <a href="http://x.org/y">y</a>'
    )
    assert nb.cells[2].outputs[2].text == "[not a link](../results/x)\n"
    assert nb.cells[1].source == "[source](../results/x)"


def test_a_copy_beside_its_source_keeps_its_links(tmp_path):
    source, output = tmp_path / "n.ipynb", tmp_path / "n_fashion.ipynb"
    nb = notebook("EPOCHS = 50")
    nb.cells.insert(0, new_markdown_cell(BADGE.format("n")))
    nb.cells[-1].outputs = [new_output("display_data", {"text/markdown": "[e](../runs/e.html)"})]
    run_notebook.make_copy(nb, source, output, {})
    assert nb.cells[-1].outputs[0].data["text/markdown"] == "[e](../runs/e.html)"
    # Outside the repository the copy has no repository path: the badge is left as it was.
    assert nb.cells[1].source == BADGE.format("n")
    assert nb.cells[0].source.startswith("*An executed copy of [`n.ipynb`](n.ipynb)")
