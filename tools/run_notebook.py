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

A copy written elsewhere (e.g. `--output ../results/li_ye_comparison/NAME_fashion_mnist.ipynb`)
starts with a note naming its source and parameters; its Colab badge opens the copy itself (the
setup cell runs from the clone's notebooks/ folder there), and the relative links of its markdown
and HTML outputs, written relative to notebooks/, are rewritten relative to the copy's folder.
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
from urllib.parse import urlsplit

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


REPO = Path(__file__).resolve().parents[1]


def repository_path(path: Path) -> str | None:
    """`path` relative to the repository root, in POSIX form; None for a file outside it."""
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return None


def copy_note(source: Path, output: Path, parameters: dict):
    """The first cell of an executed copy kept elsewhere: which notebook it is, run how.

    The code's relative paths (`../runs`) are the source notebook's: in Colab the setup cell runs
    from the clone's notebooks/ folder, so the copy's badge (see `rewrite_colab_badges`) runs it
    as it was run; in a local Jupyter opened from the copy's folder they would point elsewhere,
    so the note sends the reader to the source to run it there.
    """
    name = repository_path(source) or source.name  # a notebook outside the repository: its name
    link = Path(os.path.relpath(source.resolve(), output.resolve().parent)).as_posix()
    settings = ", ".join(f"`{key} = {value!r}`" for key, value in parameters.items())
    return nbformat.v4.new_markdown_cell(
        f"*An executed copy of [`{name}`]({link})"
        + (f", run with {settings}" if settings else "")
        + ". Its Colab badge below opens this copy, which runs there with the same parameters. To"
        " run it in a local Jupyter, open that notebook and set the same parameters in its"
        " parameters cell.*"
    )


# A Colab badge's target: colab.research.google.com/github/OWNER/REPO/blob/BRANCH/PATH.ipynb.
COLAB_URL = re.compile(
    r"(https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/[^/\s)]+/)"
    r"[^\s)\"'<>]+?\.ipynb"
)


def rewrite_colab_badges(notebook, path: str) -> int:
    """Point the Colab links of markdown cells at `path`, the copy's path in the repository.

    The source's badge opens the source notebook with its defaults; the copy's must open the
    copy. Returns how many links changed.
    """
    changed = 0
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        source, count = COLAB_URL.subn(lambda match: match.group(1) + path, cell.source)
        if source != cell.source:
            cell.source = source
            changed += count
    return changed


# A link target in markdown, `](target)`, or in HTML, ` href="target"` / ` src='target'`.
LINK_TARGET = re.compile(r"""(\]\(<?|(?<![\w.-])(?:href|src)=["'])([^\s)"'<>]+)""")
LINKED_OUTPUTS = ("text/markdown", "text/html")


def relink(target: str, cwd: Path, folder: Path) -> str:
    """A link target relative to `cwd`, made relative to `folder`; URLs, data:, anchors and
    absolute paths come back unchanged."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or target.startswith(("/", "#", "?")):
        return target
    path, suffix = re.match(r"([^?#]*)(.*)", target).groups()
    moved = Path(os.path.relpath(Path(cwd) / path, Path(folder))).as_posix()
    return moved + ("/" if path.endswith("/") and not moved.endswith("/") else "") + suffix


def relink_outputs(notebook, cwd: Path, folder: Path) -> int:
    """Rewrite the relative links of the markdown and HTML outputs from `cwd` (where the notebook
    ran) to `folder` (where its copy is written); returns how many links changed."""
    changed = 0

    def replace(match):
        nonlocal changed
        target = relink(match.group(2), cwd, folder)
        changed += target != match.group(2)
        return match.group(1) + target

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in LINKED_OUTPUTS:
                if kind in data:
                    text = data[kind] if isinstance(data[kind], str) else "".join(data[kind])
                    data[kind] = LINK_TARGET.sub(replace, text)
    return changed


def make_copy(notebook, source: Path, output: Path, parameters: dict):
    """Turn an executed `notebook` of `source` into its copy at `output` (not `source` itself).

    Its Colab badge opens the copy (when it is in the repository); relative links of outputs
    follow the copy to its folder (when that is not the source's); the note comes first.
    """
    path = repository_path(output)
    if path is not None:
        rewrite_colab_badges(notebook, path)
    cwd, folder = source.resolve().parent, output.resolve().parent
    if folder != cwd:
        relink_outputs(notebook, cwd, folder)
    notebook.cells.insert(0, copy_note(source, output, parameters))
    return notebook


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
        make_copy(result, args.notebook, output, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(result, output)
    print(f"{args.notebook} -> {output}: executed in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
