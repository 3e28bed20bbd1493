"""Remembering webhook deliveries by ``I-Twilio-Idempotency-Token``, so a retry runs once.

Twilio retries a webhook whose answer failed or timed out with the same token. The first
delivery *claims* the token; when it answers 2xx the answer is *saved* and a retry gets
that answer again without running the handler; when it fails the claim is *released* so
the retry runs it. A store is anything with the four coroutines of
:class:`IdempotencyStore`; :class:`MemoryIdempotencyStore` serves one process, and a
shared store (Redis, a database) serves many.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import attrs

__all__ = ["IdempotencyStore", "MemoryIdempotencyStore", "StoredReply"]


@attrs.frozen
class StoredReply:
    """The answer a webhook delivery got, to give its retries."""

    status: int
    body: bytes
    content_type: str | None = None


class IdempotencyStore(Protocol):
    """Where delivery tokens and their answers are kept (for ``ttl`` seconds)."""

    async def claim(self, key: str, ttl: float) -> bool:
        """Record ``key``; True if it was not there (this delivery is the first)."""
        ...

    async def load(self, key: str) -> StoredReply | None:
        """The answer saved for ``key``, or None (unknown, or its first delivery still runs)."""
        ...

    async def save(self, key: str, reply: StoredReply, ttl: float) -> None:
        """Keep ``reply`` as the answer for ``key``."""
        ...

    async def release(self, key: str) -> None:
        """Forget ``key`` (its delivery failed; a retry must run again)."""
        ...


class MemoryIdempotencyStore:
    """An :class:`IdempotencyStore` in this process's memory, bounded in entries.

    Args:
        max_entries: the most tokens kept; the oldest go first when it is full.
        clock: seconds on a monotonic clock (injectable for tests).
    """

    def __init__(
        self, *, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self._max = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, StoredReply | None]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _live(self, key: str) -> tuple[float, StoredReply | None] | None:
        entry = self._entries.get(key)
        if entry is not None and entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry

    async def claim(self, key: str, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        while len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]
        self._entries[key] = (self._clock() + ttl, None)
        return True

    async def load(self, key: str) -> StoredReply | None:
        entry = self._live(key)
        return entry[1] if entry is not None else None

    async def save(self, key: str, reply: StoredReply, ttl: float) -> None:
        self._entries[key] = (self._clock() + ttl, reply)

    async def release(self, key: str) -> None:
        self._entries.pop(key, None)
