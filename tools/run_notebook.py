"""Execute a notebook with some parameters set, with papermill, as its committed outputs are made.

Usage:
    python tools/run_notebook.py NOTEBOOK [NAME=VALUE ...] [--output PATH]

Each NAME=VALUE sets a name of the cell tagged `parameters` (VALUE is a Python literal: 20,
"mnist", None); papermill writes them into a cell tagged `injected-parameters` just after it, so
the executed notebook says what it was run with. A name the parameters cell does not assign is an
error (papermill only warns), so a typo cannot silently run the defaults. The notebook runs from
its own folder (relative paths such as `../runs` resolve as in Jupyter), with no cell timeout, and
is written to `--output` (default: in place) only once every cell has run. TensorFlow's C++
start-up log lines (oneDNN, CUDA probing) are removed from the stored outputs; `--strip-only`
does only that, without executing.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill


def parameter_names(notebook) -> list[str]:
    """The names the notebook's one cell tagged `parameters` assigns."""
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected one cell tagged 'parameters', found {len(cells)}")
    return [
        target.id
        for node in ast.parse(cells[0].source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]


def parse_parameters(items: list[str], known: list[str]) -> dict:
    """NAME=VALUE strings as a dict of Python values; ValueError naming what is wrong."""
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.isidentifier() or not text:
            raise ValueError(f"expected NAME=VALUE, got {item!r}")
        if name not in known:
            raise ValueError(
                f"parameter {name!r} is not set in the parameters cell; it sets {known}"
            )
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise ValueError(
                f"the value of {name} must be a Python literal (20, 'mnist', None); got {text!r}"
            ) from None
    return values


# TensorFlow's C++ logging (absl) writes to the kernel's stderr before Python can silence it.
TF_LOG_LINE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog|[IWE]\d{4} )")


def strip_tf_logs(notebook) -> int:
    """Remove TensorFlow's C++ log lines from stderr outputs; returns how many lines went."""
    removed = 0
    for cell in notebook.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = output.text.splitlines(keepends=True)
                rest = [line for line in lines if not TF_LOG_LINE.match(line)]
                removed += len(lines) - len(rest)
                if not "".join(rest).strip():
                    continue
                output.text = "".join(rest)
            kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    return removed


def copy_note(source: Path, output: Path, parameters: dict):
    """The first cell of an executed copy kept elsewhere: which notebook it is, run how.

    The copy's own Colab badge and relative paths are the source notebook's; opened from its
    folder it would look for runs in the wrong place, so the note sends the reader to the source.
    """
    repo = Path(__file__).resolve().parents[1]
    try:
        name = source.resolve().relative_to(repo).as_posix()
    except ValueError:  # a notebook outside the repository
        name = source.name
    link = Path(os.path.relpath(source.resolve(), output.resolve().parent)).as_posix()
    settings = ", ".join(f"`{key} = {value!r}`" for key, value in parameters.items())
    return nbformat.v4.new_markdown_cell(
        f"*An executed copy of [`{name}`]({link})"
        + (f", run with {settings}" if settings else "")
        + ". To run it yourself, open that notebook (its Colab badge below opens it) and set the same"
        " parameters in its parameters cell.*"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("parameters", nargs="*", metavar="NAME=VALUE")
    parser.add_argument("--output", type=Path, help="where to write it (default: in place)")
    parser.add_argument("--strip-only", action="store_true", help="only remove TF's log lines")
    args = parser.parse_args(argv)
    if args.strip_only and args.parameters:
        parser.error(
            f"--strip-only executes nothing, so it takes no parameters; got {args.parameters}"
        )
    notebook = nbformat.read(args.notebook, as_version=4)
    output = args.output or args.notebook
    if args.strip_only:
        removed = strip_tf_logs(notebook)
        nbformat.write(notebook, output)
        print(f"{args.notebook} -> {output}: {removed} TensorFlow log lines removed")
        return 0
    try:
        parameters = parse_parameters(args.parameters, parameter_names(notebook))
    except ValueError as error:
        parser.error(str(error))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        executed = Path(scratch) / args.notebook.name
        papermill.execute_notebook(
            str(args.notebook),
            str(executed),
            parameters=parameters,
            cwd=str(args.notebook.resolve().parent),
            kernel_name="python3",
            progress_bar=False,
        )
        result = nbformat.read(executed, as_version=4)
    strip_tf_logs(result)
    if output.resolve() != args.notebook.resolve():
        result.cells.insert(0, copy_note(args.notebook, output, parameters))
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(result, output)
    print(f"{args.notebook} -> {output}: executed in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
