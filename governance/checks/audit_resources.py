"""Things a check builds once per audit and shares between its rules (a scanner's process
pool, say), closed when the audit ends."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar


class Closeable(Protocol):
    def close(self) -> None: ...


T = TypeVar("T", bound=Closeable)


class AuditResources:
    def __init__(self) -> None:
        self._items: dict[Hashable, Any] = {}

    def shared(self, key: Hashable, factory: Callable[[], T]) -> T:
        """The resource for `key`, made by `factory` on first use in this audit."""
        if key not in self._items:
            self._items[key] = factory()
        item: T = self._items[key]
        return item

    def close(self) -> None:
        """Close every resource, most recent first."""
        items, self._items = list(self._items.values()), {}
        for item in reversed(items):
            item.close()
