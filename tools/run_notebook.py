"""Execute a notebook with some parameters changed, as its committed outputs are made.

Usage:
    python tools/run_notebook.py NOTEBOOK [NAME=VALUE ...] [--output PATH]

Each NAME=VALUE replaces the value of `NAME = ...` in the cell tagged `parameters` (VALUE is a
Python expression, written as is); a name that the cell does not assign is an error, so a typo
cannot silently run the defaults. The line keeps a comment saying what the default was. The
notebook runs from its own folder (relative paths such as `../runs` resolve as in Jupyter), with
no cell timeout, and is written to `--output` (default: in place) only once every cell has run.
TensorFlow's C++ start-up log lines (oneDNN, CUDA probing) are removed from the stored outputs;
`--strip-only` does only that, without executing.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor


def set_parameters(notebook, overrides: dict[str, str]) -> None:
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected one cell tagged 'parameters', found {len(cells)}")
    lines = cells[0].source.splitlines()
    for name, value in overrides.items():
        pattern = re.compile(rf"^{re.escape(name)}\s*=\s*(.*?)(\s*#.*)?$")
        for i, line in enumerate(lines):
            match = pattern.match(line)
            if match:
                default = match.group(1).strip()
                comment = match.group(2).strip().lstrip("#").strip() if match.group(2) else ""
                # A notebook executed before keeps its first default, not the previous run's value.
                earlier = re.match(r"this run's; default (.*?)(?: \((.*)\))?$", comment)
                if earlier:
                    default, comment = earlier.group(1), earlier.group(2) or ""
                lines[i] = f"{name} = {value}  # this run's; default {default}" + (
                    f" ({comment})" if comment else ""
                )
                break
        else:
            known = [m.group(1) for m in map(re.compile(r"^(\w+)\s*=").match, lines) if m]
            raise ValueError(
                f"parameter {name!r} is not set in the parameters cell; it sets {known}"
            )
    cells[0].source = "\n".join(lines)


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("parameters", nargs="*", metavar="NAME=VALUE")
    parser.add_argument("--output", type=Path, help="where to write it (default: in place)")
    parser.add_argument("--strip-only", action="store_true", help="only remove TF's log lines")
    args = parser.parse_args(argv)

    overrides = {}
    for item in args.parameters:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier() or not value:
            parser.error(f"expected NAME=VALUE, got {item!r}")
        overrides[name] = value
    if args.strip_only and overrides:
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
    set_parameters(notebook, overrides)
    start = time.perf_counter()
    ExecutePreprocessor(timeout=None, kernel_name="python3").preprocess(
        notebook, {"metadata": {"path": str(args.notebook.resolve().parent)}}
    )
    strip_tf_logs(notebook)
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, output)
    print(f"{args.notebook} -> {output}: executed in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
