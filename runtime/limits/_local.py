"""The in-process backend: one process's slots, pace and adaptive limit, in memory.

Waiting is FIFO (a queue of futures per account); a waiter whose deadline passes leaves
the queue with :class:`~trunkline.ApiTimeoutError`, and a slot handed to it at that very
moment is passed on. The Redis backend falls back to one of these when it fails open.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Callable

from trunkline.limits._limiter import Lease, Limits, next_id, slot_timeout

__all__ = ["LocalBackend"]


class _Gate:
    """One account's slots and adaptive limit."""

    __slots__ = ("at", "cur", "cut_at", "in_flight", "limits", "waiters")

    def __init__(self, limits: Limits) -> None:
        self.in_flight = 0
        self.waiters: deque[asyncio.Future[None]] = deque()
        self.limits = limits
        self.cur: int | None = None
        self.at = 0.0
        self.cut_at = -float("inf")

    def limit(self, now: float) -> int:
        """K, or the adaptive limit while it climbs back after a 429 (one step per period)."""
        k = self.limits.concurrency or 1
        cur = self.cur
        if cur is None:
            return k
        steps = int((now - self.at) / self.limits.recover_every)
        if steps > 0:
            cur += steps
            if cur >= k:
                self.cur = None
                return k
            self.cur = cur
            self.at += steps * self.limits.recover_every
        return cur

    def cut(self, now: float, observed: int | None) -> None:
        limits = self.limits
        current = self.limit(now)
        if now - self.cut_at < limits.recover_every:
            return
        new = int(current * limits.decrease_factor)
        if observed is not None:
            new = min(new, observed - 1)
        self.cur = max(new, limits.min_concurrency)
        self.at = self.cut_at = now

    def wake(self, now: float) -> None:
        limit = self.limit(now)
        while self.waiters and self.in_flight < limit:
            waiter = self.waiters.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)


class LocalBackend:
    """Limits for the clients of one process.

    Args:
        clock: seconds on a monotonic clock, for the adaptive limit's steps (tests pass
            a fake one); deadlines are always event loop time.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._gates: dict[str, _Gate] = {}
        self._tats: dict[tuple[str, str], float] = {}
        self.stats: Counter[str] = Counter()

    def _gate(self, account: str, limits: Limits) -> _Gate:
        gate = self._gates.get(account)
        if gate is None:
            gate = self._gates[account] = _Gate(limits)
        gate.limits = limits
        return gate

    def limit(self, account: str) -> int | None:
        """The account's concurrency limit right now (None before its first request)."""
        gate = self._gates.get(account)
        return None if gate is None else gate.limit(self._clock())

    def in_flight(self, account: str) -> int:
        """How many slots of the account are held."""
        gate = self._gates.get(account)
        return 0 if gate is None else gate.in_flight

    async def acquire(self, account: str, limits: Limits, deadline: float) -> Lease:
        """Take a slot now if one is free and nobody waits, else wait in line."""
        gate = self._gate(account, limits)
        lease = Lease(self, account, f"local.{next_id()}", limits)
        if not gate.waiters and gate.in_flight < gate.limit(self._clock()):
            gate.in_flight += 1
            self.stats["granted"] += 1
            return lease
        waiter = asyncio.get_running_loop().create_future()
        gate.waiters.append(waiter)
        self.stats["waited"] += 1
        try:
            async with asyncio.timeout_at(deadline):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                # Handed a slot just as the wait ended: pass it on.
                gate.in_flight -= 1
                gate.wake(self._clock())
            else:
                waiter.cancel()
            if isinstance(exc, TimeoutError):
                self.stats["expired"] += 1
                raise slot_timeout("a concurrency slot came free") from None
            raise
        self.stats["granted"] += 1
        return lease

    def release(self, lease: Lease) -> None:
        """Free the slot and hand it to the first waiter."""
        gate = self._gates[lease.account]
        gate.in_flight -= 1
        gate.wake(self._clock())

    async def pace(self, account: str, sender: str, limits: Limits, deadline: float) -> float:
        """GCRA: reserve the sender's next theoretical arrival time; return the wait."""
        rate = limits.message_rate
        if rate is None:
            return 0.0
        interval = 1.0 / rate
        tau = (limits.message_burst - 1) * interval
        now = asyncio.get_running_loop().time()
        key = (account, sender)
        tat = max(self._tats.get(key, now), now)
        wait = max(tat - tau - now, 0.0)
        if now + wait > deadline:
            self.stats["expired"] += 1
            raise slot_timeout("the sender's message rate allowed a send")
        self._tats[key] = tat + interval
        return wait

    def cut(self, account: str, limits: Limits, observed: int | None) -> None:
        """Lower the account's limit after a 429."""
        self._gate(account, limits).cut(self._clock(), observed)
        self.stats["cuts"] += 1

    async def aclose(self) -> None:
        """Nothing runs in the background here."""
