"""Catalog items and the lookup every other part uses: `Catalog.item("eu-ai-act:art10(2)(f)")`
gives the item, its framework and its place in the framework's tree.

An item's parent is the longest other item of its framework whose id, followed by `(`, starts
its id: `annex-iv(2)` is the parent of `annex-iv(2)(d)`, `art10` of `art10(2)`. Items without
sub-items are the framework's *leaves*: the units coverage is counted in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from governance.errors import SourceLocation

SEPARATOR = ":"
"""Between a framework and an item: `eu-ai-act:annex-iv(2)(g)`."""


@dataclass(frozen=True)
class CatalogItem:
    framework: str
    """The framework's name, the prefix of a control: `eu-ai-act`."""
    id: str
    """The item within its framework: `annex-iv(2)(g)`."""
    title: str
    """One line in our own words (never the framework's text)."""
    defined_at: SourceLocation
    """Where the catalog file defines it."""

    @property
    def control(self) -> str:
        """How rules cite it: `eu-ai-act:annex-iv(2)(g)`."""
        return f"{self.framework}{SEPARATOR}{self.id}"


@dataclass(frozen=True)
class Framework:
    name: str
    title: str
    items: tuple[CatalogItem, ...]
    """In the catalog's order."""
    parents: Mapping[str, str | None] = field(repr=False)
    """Each item's parent item id (None at the top)."""

    def parent(self, item_id: str) -> str | None:
        return self.parents[item_id]

    def children(self, item_id: str) -> tuple[CatalogItem, ...]:
        return tuple(item for item in self.items if self.parents[item.id] == item_id)

    def is_leaf(self, item_id: str) -> bool:
        return not any(parent == item_id for parent in self.parents.values())

    def ancestors(self, item_id: str) -> tuple[str, ...]:
        """The item's parent, its parent's parent, ... (nearest first)."""
        found: list[str] = []
        parent = self.parents[item_id]
        while parent is not None:
            found.append(parent)
            parent = self.parents[parent]
        return tuple(found)

    @property
    def leaves(self) -> tuple[CatalogItem, ...]:
        with_children = set(self.parents.values())  # once: a catalog may hold many items
        return tuple(item for item in self.items if item.id not in with_children)

    def descendants(self) -> dict[str, tuple[str, ...]]:
        """Each item's sub-items at any depth, in the catalog's order (one pass over the
        items and their few ancestors, not one pass over all items per item)."""
        below: dict[str, list[str]] = {item.id: [] for item in self.items}
        for item in self.items:
            for ancestor in self.ancestors(item.id):
                below[ancestor].append(item.id)
        return {item_id: tuple(ids) for item_id, ids in below.items()}


@dataclass(frozen=True)
class Catalog:
    """Every framework known to an audit: the built-in catalogs and the user's."""

    frameworks: Mapping[str, Framework]
    files: tuple[Path, ...] = ()
    """The user's catalog files (the built-in ones are part of the tool)."""

    def item(self, control: str) -> CatalogItem | None:
        """The item a control names (`eu-ai-act:art10(2)(f)`), or None."""
        name, _, item_id = control.partition(SEPARATOR)
        framework = self.frameworks.get(name)
        if framework is None or not item_id:
            return None
        return next((item for item in framework.items if item.id == item_id), None)

    def framework_of(self, control: str) -> Framework | None:
        """The framework a control's prefix names, or None."""
        return self.frameworks.get(control.partition(SEPARATOR)[0])

    def controls(self) -> tuple[str, ...]:
        return tuple(i.control for f in self.frameworks.values() for i in f.items)


def framework(name: str, title: str, items: Iterable[CatalogItem]) -> Framework:
    """A framework with each item's parent worked out from the ids (see the module's doc)."""
    listed = tuple(items)
    ids = {item.id for item in listed}
    parents: dict[str, str | None] = {}
    for item in listed:
        prefixes = [item.id[:end] for end in range(len(item.id) - 1, 0, -1) if item.id[end] == "("]
        parents[item.id] = next((prefix for prefix in prefixes if prefix in ids), None)
    return Framework(name=name, title=title, items=listed, parents=parents)
