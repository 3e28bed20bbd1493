"""The generic layer's state: resources by collection, in creation order, with a memory bound.

A collection is named by its owner's scope (the account, for APIs whose paths do not
carry one), the host and the collection's filled path (``/v2/Services/VA.../Entities``);
a resource is a plain JSON object under its key (its SID, or whatever the instance path
names). The store holds at most ``limit`` resources: creating one more drops the oldest,
so memory stays flat however long a test or a bench runs.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

__all__ = ["DEFAULT_LIMIT", "CollectionKey", "Store"]

DEFAULT_LIMIT = 100_000
"""How many resources the store keeps before dropping the oldest."""

CollectionKey = tuple[str, str, str]
"""``(scope, host, collection path)``."""


class Store:
    """Resources of every collection, bounded in number."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError(f"the store limit must be at least 1, not {limit}")
        self.limit = limit
        self._collections: dict[CollectionKey, dict[str, dict[str, Any]]] = {}
        self._order: OrderedDict[tuple[CollectionKey, str], None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._order)

    def get(self, collection: CollectionKey, key: str) -> dict[str, Any] | None:
        """The resource ``key`` of ``collection``, or None."""
        found = self._collections.get(collection)
        return None if found is None else found.get(key)

    def put(self, collection: CollectionKey, key: str, record: dict[str, Any]) -> None:
        """Store (or replace) a resource; the oldest goes when the bound is passed."""
        bucket = self._collections.setdefault(collection, {})
        if key not in bucket:
            self._order[(collection, key)] = None
        bucket[key] = record
        while len(self._order) > self.limit:
            (old_collection, old_key), _ = self._order.popitem(last=False)
            old = self._collections.get(old_collection)
            if old is not None:
                old.pop(old_key, None)
                if not old:
                    del self._collections[old_collection]

    def delete(self, collection: CollectionKey, key: str) -> bool:
        """Remove a resource; False when there was none."""
        bucket = self._collections.get(collection)
        if bucket is None or key not in bucket:
            return False
        del bucket[key]
        self._order.pop((collection, key), None)
        if not bucket:
            del self._collections[collection]
        return True

    def items(self, collection: CollectionKey) -> list[dict[str, Any]]:
        """Every resource of ``collection``, oldest first."""
        return list(self._collections.get(collection, {}).values())

    def collections(self, host: str, path: str) -> list[CollectionKey]:
        """Every scope's collection at ``host`` and ``path`` (for the test-side views)."""
        return [key for key in self._collections if key[1] == host and key[2] == path]
