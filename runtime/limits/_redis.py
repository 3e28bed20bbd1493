"""The Redis backend: one account's limits shared by every process and host (``trunkline[redis]``).

Each operation is one Lua script (:mod:`trunkline.limits._lua`), loaded once per server
and run with ``EVALSHA`` (redis-py's script objects load it again after ``NOSCRIPT``, as
after a Redis restart). A slot is a lease in a sorted set with an expiry that the holding
process renews every ``lease_ttl / 3``; a process killed with ``kill -9`` stops renewing and
its slots come back within ``lease_ttl``.

Waiting: in each process at most ``min(K, 64)`` waiters of one account queue in Redis at
a time (the others wait their turn, in FIFO order, in the process), so a busy process
neither opens a connection per waiting call nor polls for each. A release hands the slot
to the first ticket and pushes to that waiter's list, which it waits on with ``BLPOP``;
it polls every ``poll`` seconds in case the holder of a slot died. Keys look like
``{prefix}:{<account>}:leases``: the braces are a Redis Cluster hash tag, so all of one
account's keys live on one node.

Every Redis call has a time limit (``timeout``, cut to what is left of the call's
deadline). When Redis fails or is slow, ``on_failure="open"`` carries on with an
in-process limiter holding ``K // expected_processes`` slots (and that share of each
rate); ``"closed"`` raises :class:`~trunkline.limits.LimiterUnavailableError`. Either way
one warning is logged when the outage starts and one when Redis answers again; between
them Redis is asked again at most every ``retry_every`` seconds.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from trunkline._errors import ApiTimeoutError
from trunkline.limits import _lua
from trunkline.limits._limiter import (
    Lease,
    LimiterUnavailableError,
    Limits,
    next_id,
    slot_timeout,
)
from trunkline.limits._local import LocalBackend

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.cluster import RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["RedisBackend"]

T = TypeVar("T")
_log = logging.getLogger("trunkline.limits")
_US = 1_000_000
# Waiters of one account that queue in Redis at once, per process (each blocks one
# connection in BLPOP).
_MOST_QUEUED = 64
# Connections of a backend's own client: the blocked waiters and as many other calls.
_POOL_SIZE = 2 * _MOST_QUEUED
# BLPOP's timeout 0 means "forever": never ask for less than this.
_SHORTEST_BLOCK = 0.01


class _Unavailable(Exception):
    """Redis failed or was too slow for this call."""


class RedisBackend:
    """Limits shared through one Redis (or Redis Cluster) by any number of processes.

    Args:
        redis: a ``redis://`` URL (the backend opens and closes the client), or a
            ``redis.asyncio.Redis`` / ``RedisCluster`` (left open; it must not have a
            socket timeout shorter than ``poll``, and its pool needs room for up to 64
            waiters blocked in ``BLPOP`` besides the other calls: a
            ``BlockingConnectionPool`` waits instead of failing when it is full).
        prefix: the first part of every key.
        timeout: the longest one Redis call may take, in seconds (cut to what is left of
            the API call's deadline).
        on_failure: ``"open"``: go on with an in-process share of the limits while Redis
            is unusable; ``"closed"``: raise :class:`LimiterUnavailableError`.
        expected_processes: how many processes share the limits, for the share each one
            takes when failing open (``K // expected_processes`` slots, at least one).
        retry_every: seconds between two tries of a Redis that failed.
        poll: the longest a waiter blocks before it looks again (for slots whose holder
            died); also sets how long a waiter's ticket outlives a dead waiter.

    Raises:
        ValueError: an argument is malformed (named in the message).
        ImportError: redis-py is missing (install ``trunkline[redis]``).
    """

    def __init__(
        self,
        redis: str | Redis | RedisCluster,
        *,
        prefix: str = "trunkline",
        timeout: float = 0.25,
        on_failure: Literal["open", "closed"] = "open",
        expected_processes: int = 1,
        retry_every: float = 1.0,
        poll: float = 1.0,
    ) -> None:
        if on_failure not in ("open", "closed"):
            raise ValueError(f"on_failure must be 'open' or 'closed', not {on_failure!r}")
        for name, value in (("timeout", timeout), ("retry_every", retry_every), ("poll", poll)):
            if not value > 0:
                raise ValueError(f"{name} must be positive, not {value!r}")
        if isinstance(expected_processes, bool) or expected_processes < 1:
            raise ValueError(f"expected_processes must be at least 1, not {expected_processes!r}")
        if not prefix or "{" in prefix or "}" in prefix:
            raise ValueError("prefix must be a non-empty name without braces")
        if isinstance(redis, str):
            from redis.asyncio import BlockingConnectionPool
            from redis.asyncio import Redis as _Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            # No socket timeout: a waiter's BLPOP blocks up to `poll`; every call has
            # its own time limit here instead. No retries inside redis-py either: a
            # failure goes to the failure policy at once. A call that finds every
            # connection busy waits for one (within its time limit) rather than fail.
            pool = BlockingConnectionPool.from_url(
                redis,
                max_connections=_POOL_SIZE,
                timeout=None,
                socket_timeout=None,
                socket_connect_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
            )
            self._client: Redis | RedisCluster = _Redis.from_pool(pool)
            self._owns_client = True
        else:
            self._client = redis
            self._owns_client = False
        self.prefix = prefix
        self.timeout = timeout
        self.on_failure = on_failure
        self.expected_processes = expected_processes
        self.retry_every = retry_every
        self.poll = poll
        self.stats: Counter[str] = Counter()
        self._fallback = LocalBackend()
        self._scripts: dict[str, AsyncScript] = {}
        self._turns: dict[str, asyncio.Semaphore] = {}
        self._held: dict[str, dict[str, Lease]] = {}
        self._releasing: dict[str, list[str]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._renewer: asyncio.Task[None] | None = None
        self._down_since: float | None = None
        self._loaded = False
        self._retry_at = 0.0
        # Lease ids name the process, so a slot in Redis can be traced to its holder.
        self._id_prefix = f"{os.getpid()}.{secrets.token_hex(4)}"

    def __repr__(self) -> str:
        return f"<RedisBackend prefix={self.prefix!r} on_failure={self.on_failure!r}>"

    # -- keys and calls -------------------------------------------------------------

    def keys(self, account: str) -> tuple[str, str, str, str]:
        """The account's leases, queue, queue expiries and state keys (one hash tag)."""
        base = f"{self.prefix}:{{{account}}}"
        return f"{base}:leases", f"{base}:queue", f"{base}:qexp", f"{base}:state"

    def _waiter_prefix(self, account: str) -> str:
        return f"{self.prefix}:{{{account}}}:wake:"

    def _script(self, source: str) -> AsyncScript:
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self._client.register_script(source)
        return script

    @property
    def unavailable(self) -> bool:
        """True while Redis is in an outage (between a failure and the next answer)."""
        return self._down_since is not None

    def _usable(self, now: float) -> bool:
        if self._down_since is None:
            return True
        if now < self._retry_at:
            return False
        # One call at a time tries Redis again; the others go on with the policy.
        self._retry_at = now + self.retry_every
        return True

    def _mark_down(self, reason: str) -> None:
        now = asyncio.get_running_loop().time()
        self._retry_at = now + self.retry_every
        if self._down_since is not None:
            return
        self._down_since = now
        self._loaded = False
        self.stats["outages"] += 1
        pool = getattr(self._client, "connection_pool", None)
        if pool is not None:
            # Idle connections are dead after a restart: each would fail once more and
            # end the outage's quiet with a new warning.
            self._spawn(pool.disconnect(inuse_connections=False))
        policy = (
            f"failing open with {self.expected_processes} process(es) sharing the limits"
            if self.on_failure == "open"
            else "failing closed (calls raise LimiterUnavailableError)"
        )
        _log.warning("limiter: Redis is unavailable (%s); %s until it answers", reason, policy)

    def _mark_up(self) -> None:
        since = self._down_since
        if since is not None:
            self._down_since = None
            took = asyncio.get_running_loop().time() - since
            _log.warning("limiter: Redis answers again after %.1f s of outage", took)

    async def _call(self, make: Callable[[], Awaitable[T]], deadline: float, block: float = 0) -> T:
        """Run one Redis call within ``timeout`` (plus ``block``) and the call's deadline."""
        now = asyncio.get_running_loop().time()
        own = self.timeout + block
        budget = min(own, deadline - now)
        if budget <= 0:
            raise slot_timeout("the limiter answered")
        try:
            async with asyncio.timeout(budget):
                result = await make()
        except TimeoutError:
            if budget < own:
                raise slot_timeout("the limiter answered") from None
            self._mark_down(f"no answer within {own:.2f} s")
            raise _Unavailable from None
        except (OSError, _redis_errors()) as exc:
            self._mark_down(type(exc).__name__)
            raise _Unavailable from None
        self._mark_up()
        return result

    def _run(self, source: str, keys: Sequence[str], args: Sequence[Any], deadline: float) -> Any:
        script = self._script(source)
        return self._call(lambda: script(keys=keys, args=args), deadline)

    async def _ask_and_wait(
        self, keys: Sequence[str], args: Sequence[Any], wake_key: str, block: float
    ) -> bool:
        """ACQUIRE and BLPOP on the waiter's list, pipelined; True once the slot is ours."""
        script = self._script(_lua.ACQUIRE)
        if not self._loaded:
            # A BLPOP behind an EVALSHA that Redis cannot run would block for nothing.
            await self._client.script_load(_lua.ACQUIRE)
            self._loaded = True
        pipe = self._client.pipeline(transaction=False)
        # Queued in the pipeline (redis-py types these as awaitables; they are not).
        pipe.evalsha(script.sha, len(keys), *keys, *args)  # type: ignore[unused-awaitable]
        pipe.blpop([wake_key], timeout=block)  # type: ignore[unused-awaitable]
        answer, popped = await pipe.execute(raise_on_error=False)
        if isinstance(answer, Exception):
            if _is_noscript(answer):
                self._loaded = False
                return False
            raise answer
        if answer == 0:
            self.stats["queued"] += 1
        return popped is not None and not isinstance(popped, Exception)

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- concurrency ----------------------------------------------------------------

    async def acquire(self, account: str, limits: Limits, deadline: float) -> Lease:
        """A shared slot; when Redis is unusable, whatever the failure policy says."""
        loop = asyncio.get_running_loop()
        if self._usable(loop.time()):
            turn = self._turns.get(account)
            if turn is None:
                turn = self._turns[account] = asyncio.Semaphore(
                    min(limits.concurrency or 1, _MOST_QUEUED)
                )
            try:
                async with asyncio.timeout_at(deadline):
                    await turn.acquire()
            except TimeoutError:
                self.stats["expired"] += 1
                raise slot_timeout("a concurrency slot came free") from None
            try:
                return await self._acquire_shared(account, limits, deadline)
            except _Unavailable:
                pass
            finally:
                turn.release()
        return await self._acquire_fallback(account, limits, deadline)

    async def _acquire_fallback(self, account: str, limits: Limits, deadline: float) -> Lease:
        if self.on_failure == "closed":
            self.stats["refused"] += 1
            raise LimiterUnavailableError(
                "the shared limiter (Redis) is unavailable and fails closed", request_sent=False
            )
        self.stats["fallback"] += 1
        share = limits.share(self.expected_processes)
        return await self._fallback.acquire(account, share, deadline)

    async def _acquire_shared(self, account: str, limits: Limits, deadline: float) -> Lease:
        lease_id = f"{self._id_prefix}.{next_id()}"
        keys = self.keys(account)
        wake = self._waiter_prefix(account)
        k = limits.concurrency or 1
        ttl = int(limits.lease_ttl * _US)
        step = int(limits.recover_every * _US)
        wait_ttl = int((4 * self.poll + 2 * self.timeout) * _US)
        args = (lease_id, k, ttl, wait_ttl, step, wake)
        loop = asyncio.get_running_loop()
        try:
            while True:
                block = min(self.poll, deadline - loop.time())
                if block <= 0:
                    raise slot_timeout("a concurrency slot came free")
                block = max(block, _SHORTEST_BLOCK)
                # Asking (or asking again: it renews the ticket and reaps dead holders)
                # and waiting for the hand-over are one round trip.
                round_trip = functools.partial(
                    self._ask_and_wait, keys, args, wake + lease_id, block
                )
                if await self._call(round_trip, deadline, block):
                    break
        except BaseException as exc:
            # Leave the queue, or give back a slot handed over as the wait ended.
            self._release_soon(account, lease_id, limits)
            if isinstance(exc, ApiTimeoutError):
                self.stats["expired"] += 1
            raise
        self.stats["granted"] += 1
        lease = Lease(self, account, lease_id, limits)
        self._held.setdefault(account, {})[lease_id] = lease
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.ensure_future(self._renew_forever())
        return lease

    def release(self, lease: Lease) -> None:
        """Free a shared slot in the background (a lost release expires with its lease)."""
        held = self._held.get(lease.account)
        if held is not None:
            held.pop(lease.id, None)
        self._release_soon(lease.account, lease.id, lease.limits)

    def _release_soon(self, account: str, lease_id: str, limits: Limits) -> None:
        # Releases of one loop iteration go to Redis together: one round trip for all.
        pending = self._releasing.get(account)
        if pending is None:
            pending = self._releasing[account] = []
            self._spawn(self._release_shared(account, limits))
        pending.append(lease_id)

    async def _release_shared(self, account: str, limits: Limits) -> None:
        await asyncio.sleep(0)
        ids = self._releasing.pop(account, [])
        loop = asyncio.get_running_loop()
        if not self._usable(loop.time()):
            return
        args = (
            limits.concurrency or 1,
            int(limits.lease_ttl * _US),
            int(limits.recover_every * _US),
            self._waiter_prefix(account),
            *ids,
        )
        try:
            await self._run(_lua.RELEASE, self.keys(account), args, loop.time() + self.timeout)
        except (_Unavailable, ApiTimeoutError):
            self.stats["lost_releases"] += len(ids)

    async def _renew_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while any(self._held.values()):
            shortest = min(
                lease.limits.lease_ttl for held in self._held.values() for lease in held.values()
            )
            await asyncio.sleep(shortest / 3)
            for account, held in list(self._held.items()):
                if not held or not self._usable(loop.time()):
                    continue
                ttl = int(min(lease.limits.lease_ttl for lease in held.values()) * _US)
                leases_key = self.keys(account)[0]
                try:
                    await self._run(
                        _lua.RENEW, [leases_key], (ttl, *held), loop.time() + self.timeout
                    )
                except (_Unavailable, ApiTimeoutError):
                    self.stats["lost_renewals"] += 1

    # -- rate and feedback ----------------------------------------------------------

    async def pace(self, account: str, sender: str, limits: Limits, deadline: float) -> float:
        """GCRA in one round trip: reserve the sender's next send; return the wait."""
        rate = limits.message_rate
        if rate is None:
            return 0.0
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._usable(now):
            interval = _US / rate
            tau = (limits.message_burst - 1) * interval
            longest = (deadline - now) * _US if deadline != float("inf") else 2**52
            key = f"{self.prefix}:{{{account}}}:rate:{sender}"
            try:
                wait = await self._run(_lua.PACE, [key], (interval, tau, longest), deadline)
            except _Unavailable:
                pass
            else:
                if wait < 0:
                    self.stats["expired"] += 1
                    raise slot_timeout("the sender's message rate allowed a send")
                return float(wait) / _US
        if self.on_failure == "closed":
            self.stats["refused"] += 1
            raise LimiterUnavailableError(
                "the shared limiter (Redis) is unavailable and fails closed", request_sent=False
            )
        return await self._fallback.pace(
            account, sender, limits.share(self.expected_processes), deadline
        )

    def cut(self, account: str, limits: Limits, observed: int | None) -> None:
        """Lower the shared limit after a 429 (in the background)."""
        self.stats["cuts"] += 1
        self._fallback.cut(account, limits.share(self.expected_processes), observed)
        self._spawn(self._cut_shared(account, limits, observed))

    async def _cut_shared(self, account: str, limits: Limits, observed: int | None) -> None:
        loop = asyncio.get_running_loop()
        if not self._usable(loop.time()):
            return
        args = (
            limits.concurrency or 1,
            int(limits.recover_every * _US),
            limits.min_concurrency,
            limits.decrease_factor,
            observed or 0,
        )
        state = self.keys(account)[3]
        try:
            await self._run(_lua.CUT, [state], args, loop.time() + self.timeout)
        except (_Unavailable, ApiTimeoutError):
            self.stats["lost_cuts"] += 1

    async def limit(self, account: str, limits: Limits) -> int:
        """The account's shared concurrency limit as last stored (K unless a 429 cut it).

        The climb back is applied when a slot is asked for, so this lags it until then.
        """
        state = self.keys(account)[3]
        loop = asyncio.get_running_loop()
        cur = await self._call(lambda: self._client.hget(state, "cur"), loop.time() + 1)
        k = limits.concurrency or 1
        return k if cur is None else min(k, int(cur))

    # -- lifecycle ------------------------------------------------------------------

    async def aclose(self) -> None:
        """Finish pending releases (within ``timeout``), stop renewing, close an owned client."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=self.timeout * 2)
        if self._renewer is not None:
            self._renewer.cancel()
            await asyncio.gather(self._renewer, return_exceptions=True)
            self._renewer = None
        if self._owns_client:
            await self._client.aclose()


def _is_noscript(error: Exception) -> bool:
    from redis.exceptions import NoScriptError

    return isinstance(error, NoScriptError)


def _redis_errors() -> type[Exception]:
    from redis.exceptions import RedisError

    return RedisError
