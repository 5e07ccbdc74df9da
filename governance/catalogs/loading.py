"""Reading catalog files: the built-in ones shipped under `policies/catalogs/`, and the user's,
which a policy declares with `catalogs:`. A file is validated on load; an item id defined twice
(in one file or across files) is an error naming both places."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field

from governance.catalogs.items import SEPARATOR, Catalog, CatalogItem, framework
from governance.config.suggestions import did_you_mean
from governance.config.validation import FrozenModel, parse_model
from governance.config.yaml_document import YamlDocument, load_yaml_document
from governance.errors import InputError
from governance.resources import resource_dir

FRAMEWORK_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ITEM_PATTERN = r"^[A-Za-z0-9§][A-Za-z0-9_.()§-]*$"


class CatalogEntry(FrozenModel):
    """One item of a framework."""

    id: Annotated[str, Field(pattern=ITEM_PATTERN, max_length=64)]
    """The item within its framework, as rules cite it after the framework's name and a colon
    (`annex-iv(2)(d)` in `eu-ai-act:annex-iv(2)(d)`)."""
    title: Annotated[str, Field(min_length=1, max_length=200)]
    """One line saying what the item asks, in your own words."""


class CatalogFile(FrozenModel):
    """A control catalog: a framework's name, its title and its items."""

    framework: Annotated[str, Field(pattern=FRAMEWORK_PATTERN, max_length=40)]
    """The prefix rules cite its items with (`acme-ai` for `acme-ai:sec-1`). A framework may
    span several files: each adds items."""
    title: Annotated[str, Field(min_length=1, max_length=120)]
    """The framework's name in reports."""
    items: Annotated[tuple[CatalogEntry, ...], Field(min_length=1)]
    """The framework's items, in the order reports list them."""


def builtin_catalog_files() -> tuple[Path, ...]:
    return tuple(sorted((resource_dir("policies") / "catalogs").glob("*.yaml")))


@cache
def _builtin_items() -> tuple[tuple[str, str, tuple[CatalogItem, ...]], ...]:
    return tuple(_read(path) for path in builtin_catalog_files())


def builtin_catalog() -> Catalog:
    """The catalogs shipped with the tool."""
    return load_catalog(())


def load_catalog(user_files: Iterable[Path]) -> Catalog:
    """The built-in catalogs with the user's `user_files` (real paths, already confined)."""
    files = tuple(dict.fromkeys(user_files))
    parts = [*_builtin_items(), *(_read(path) for path in files)]
    titles: dict[str, str] = {}
    items: dict[str, list[CatalogItem]] = {}
    seen: dict[str, CatalogItem] = {}
    for name, title, defined in parts:
        titles.setdefault(name, title)
        for item in defined:
            earlier = seen.get(item.control)
            if earlier is not None:
                raise _duplicate(item, earlier)
            seen[item.control] = item
            items.setdefault(name, []).append(item)
    frameworks = {name: framework(name, titles[name], items[name]) for name in titles}
    return Catalog(frameworks=frameworks, files=files)


def unknown_control(catalog: Catalog, control: str) -> str | None:
    """Why `control` names no catalog item, with the nearest one, or None when it does."""
    if catalog.item(control) is not None:
        return None
    name, colon, _ = control.partition(SEPARATOR)
    if not colon or name not in catalog.frameworks:
        known = ", ".join(sorted(catalog.frameworks))
        meant = did_you_mean(control, catalog.controls()) or did_you_mean(name, catalog.frameworks)
        return (
            f"control '{control}' names no known framework{meant}; a control is "
            f"FRAMEWORK:ITEM, with FRAMEWORK one of {known} or a framework of a catalog the "
            "policy declares in 'catalogs'"
        )
    framework_items = (item.control for item in catalog.frameworks[name].items)
    return (
        f"control '{control}' is not an item of the {catalog.frameworks[name].title} catalog"
        f"{did_you_mean(control, framework_items)}"
    )


def _read(path: Path) -> tuple[str, str, tuple[CatalogItem, ...]]:
    document = load_yaml_document(path, "control catalog")
    if not isinstance(document.data, dict):
        raise document.error("a control catalog must be a mapping with 'framework' and 'items'")
    parsed = parse_model(CatalogFile, document)
    items = tuple(
        CatalogItem(
            framework=parsed.framework,
            id=entry.id,
            title=entry.title,
            defined_at=document.locate(("items", index, "id")),
        )
        for index, entry in enumerate(parsed.items)
    )
    _check_unique_within(items, document)
    return parsed.framework, parsed.title, items


def _check_unique_within(items: tuple[CatalogItem, ...], document: YamlDocument) -> None:
    seen: dict[str, CatalogItem] = {}
    for item in items:
        if item.id in seen:
            raise _duplicate(item, seen[item.id])
        seen[item.id] = item


def _duplicate(item: CatalogItem, earlier: CatalogItem) -> InputError:
    first = earlier.defined_at
    return InputError(
        f"catalog item '{item.control}' is defined twice (first in {first.file}, line "
        f"{first.line})",
        location=item.defined_at,
        hint="give each item its own id; a framework's items may span files, but each id once",
    )
