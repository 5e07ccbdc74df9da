"""The architecture stays one-way: checks speak to the data layer only through the engine-neutral
interface (`governance.data.engine.DataEngine`), never to an engine. No module under
`governance/checks/` imports DuckDB, PySpark or an engine's own module, and none writes SQL; the
DuckDB engine implements every operation of the interface."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import governance
from governance.data.engine import DataEngine
from governance.data.store import DatasetStore

CHECKS = Path(governance.__file__).parent / "checks"
ENGINE_NEUTRAL = frozenset(
    {
        "governance.data.engine",
        "governance.data.column_types",
        "governance.data.candidate_patterns",
    }
)
"""The data layer's modules a check may import: the interface and engine-neutral vocabulary."""
ENGINES = ("duckdb", "pyspark", "sqlglot", "ibis")
SQL = re.compile(r"\b(SELECT|INSERT|CREATE|GROUP BY|ORDER BY|WHERE|UNPIVOT|FILTER \()\b|\?::")
"""SQL as it is written in this package (upper-case keywords, `?::TYPE` parameters)."""


def _check_modules() -> list[Path]:
    return sorted(CHECKS.rglob("*.py"))


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _forbidden(module: str) -> bool:
    if module.split(".")[0] in ENGINES:
        return True
    if module == "governance.data" or module.startswith("governance.data."):
        return not any(
            module == allowed or module.startswith(f"{allowed}.") for allowed in ENGINE_NEUTRAL
        )
    return False


def _strings(tree: ast.Module) -> Iterator[str]:
    """Every string literal, f-strings' literal parts included (docstrings too: a docstring
    quoting SQL is a sign the SQL is nearby)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


@pytest.mark.parametrize("path", _check_modules(), ids=lambda p: str(p.relative_to(CHECKS)))
def test_a_check_imports_no_engine(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = sorted({m for m in _imports(tree) if _forbidden(m)})
    assert not imported, f"{path.name} imports {imported}: use governance.data.engine"


@pytest.mark.parametrize("path", _check_modules(), ids=lambda p: str(p.relative_to(CHECKS)))
def test_a_check_writes_no_sql(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = sorted({m.group(0) for text in _strings(tree) for m in SQL.finditer(text)})
    assert not found, f"{path.name} holds SQL ({found}): ask the data engine instead"


def test_the_guards_catch_an_engine_import_and_sql() -> None:
    """The guards above would fail on a check written the old way."""
    old_way = ast.parse(
        "import duckdb\n"
        "from governance.data.store import quote_identifier\n"
        "def f(store, table):\n"
        "    return store.query('d', lambda table: f'SELECT count(*) FROM {table}')\n"
    )
    assert [m for m in _imports(old_way) if _forbidden(m)] == [
        "duckdb",
        "governance.data.store",
        "governance.data.store.quote_identifier",
    ]
    assert any(SQL.search(text) for text in _strings(old_way))
    assert not _forbidden("governance.data.engine") and not _forbidden("numpy")


def _operations() -> list[str]:
    return sorted(
        name
        for name, member in vars(DataEngine).items()
        if callable(member) and not name.startswith("_")
    )


@pytest.mark.parametrize("operation", _operations())
def test_the_duckdb_engine_implements_each_operation_with_its_parameters(operation: str) -> None:
    declared = inspect.signature(getattr(DataEngine, operation))
    implemented = inspect.signature(getattr(DatasetStore, operation))
    assert list(implemented.parameters) == list(declared.parameters)


def test_the_interface_has_no_escape_hatch() -> None:
    """No operation takes SQL text or hands out a relation, a connection or raw batches."""
    operations = _operations()
    assert {"profile_columns", "confusion_counts", "proxy_counts", "rank_counts"} <= set(operations)
    assert not {"query", "table", "connection", "each_record_batch"} & set(operations)
