"""The package's layers: imports point down only, and no two parts of the package import each
other. Every import counts, at module level or inside a function (a lazy import hides a cycle
as well as it hides a cost) or under `TYPE_CHECKING`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import governance

PACKAGE = Path(governance.__file__).parent

LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    # Lowest first. A part (a sub-package or a top-level module of `governance`) may import
    # parts of its own layer and of the layers above it in this table, never below.
    ("the process (how libraries load)", frozenset({"library_loading"})),
    ("text safety", frozenset({"text_escaping", "personal_data", "regular_files", "resources"})),
    (
        "shared vocabulary",
        frozenset({"errors", "severity", "vocabulary", "text_files", "json_documents", "hashing"}),
    ),
    ("config", frozenset({"config", "catalogs", "manifest", "waivers"})),
    ("data and model access", frozenset({"data", "model"})),
    ("checks", frozenset({"checks"})),
    ("policy (a rule holds a check's spec)", frozenset({"policy"})),
    ("engine", frozenset({"engine", "result_schema", "starter"})),
    ("render and report files", frozenset({"render", "report_files", "report_folder"})),
    ("reference (schemas and docs of the inputs)", frozenset({"reference"})),
    ("signing", frozenset({"signing"})),
    ("ci (reads report files the tool wrote)", frozenset({"ci"})),
    ("cli and the public API", frozenset({"cli", "__main__", "__init__"})),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _part(module: str) -> str:
    """The sub-package or top-level module a module belongs to (`__init__` for the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imported(module: str, path: Path) -> Iterator[str]:
    """The package's modules that `module` imports, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:  # `from package import module` imports the module
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


def _imports() -> dict[str, set[str]]:
    return {
        module: {name for name in _imported(module, path) if name in MODULES}
        for module, path in MODULES.items()
    }


def _part_imports() -> dict[str, set[tuple[str, str, str]]]:
    """For each part, the other parts it imports, with the importing and imported module."""
    edges: dict[str, set[tuple[str, str, str]]] = {}
    for module, imported in _imports().items():
        for name in imported:
            if _part(name) != _part(module):
                edges.setdefault(_part(module), set()).add((_part(name), module, name))
    return edges


def _layer_of(part: str) -> int:
    return next(index for index, (_, parts) in enumerate(LAYERS) if part in parts)


def test_the_walk_sees_lazy_and_type_checking_imports():
    imports = _imports()
    assert "governance.engine.run" in imports["governance"]  # inside `audit()`
    assert "governance.checks.context" in imports["governance.checks.interface"]


def test_every_part_of_the_package_has_a_layer():
    placed = [part for _, parts in LAYERS for part in parts]
    assert len(placed) == len(set(placed)), "a part is listed in two layers"
    assert {_part(module) for module in MODULES} == set(placed)


def test_no_two_parts_import_each_other():
    graph = {part: {target for target, _, _ in edges} for part, edges in _part_imports().items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        cycle = error.args[1]
        raise AssertionError(f"import cycle: {' -> '.join(cycle)}") from None


def test_imports_point_down_the_layers_only():
    upward = sorted(
        f"{module} imports {name} ({LAYERS[_layer_of(target)][0]} is above "
        f"{LAYERS[_layer_of(part)][0]})"
        for part, edges in _part_imports().items()
        for target, module, name in edges
        if _layer_of(target) > _layer_of(part)
    )
    assert upward == []
