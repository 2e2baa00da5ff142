"""ganlib's modules import in one direction: no cycle, and imports at the top of modules."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ganlib"
# Imported where used: TFDS is slow to import; google.colab exists only inside Colab.
DEFERRED = {"tensorflow_datasets", "google"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path):
    """(module imported, at top level?) for every import statement of a file."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if candidate in MODULES else base), id(node) in top


def _graph():
    return {
        name: {target for target, _ in _imports(path) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }


def test_no_import_cycle():
    graph = _graph()
    state, cycles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_submodule_imports_the_package_root():
    importers = sorted(name for name, targets in _graph().items() if "ganlib" in targets)
    assert importers == []


def test_imports_are_at_the_top_of_modules():
    late = sorted(
        f"{name}: {target}"
        for name, path in MODULES.items()
        for target, at_top in _imports(path)
        if not at_top and target.split(".")[0] not in DEFERRED and target != "__future__"
    )
    assert late == []
