"""The limiter a client runs around every attempt: slots, pacing and 429 feedback.

A :class:`Limiter` holds the rules (:class:`Limits`) and a backend that keeps the shared
state: :class:`~trunkline.limits.LocalBackend` for one process, or
:class:`~trunkline.limits.RedisBackend` for every process and host that points at one
Redis. ``Twilio(limiter=...)`` installs :meth:`Limiter.middleware` as the innermost
middleware, so every attempt (a retry of a 429 too) takes its turn.

Per attempt: a Messages create waits for its sender's pace (GCRA), then the attempt takes
a concurrency slot of the account, keeps it while on the wire and gives it back on every
path (answer, error, cancellation, timeout). A waiter whose call deadline passes gets
:class:`~trunkline.ApiTimeoutError` (``request_sent=False``), never a slot. A 429 shrinks
the account's limit for everyone (AIMD); it grows back one step at a time.
"""

from __future__ import annotations

import asyncio
import itertools
import math
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qs

import attrs

from trunkline._errors import ApiConnectionError, ApiTimeoutError

if TYPE_CHECKING:
    from trunkline._client import Handler, Middleware
    from trunkline._transport import Request, Response

__all__ = [
    "Backend",
    "Lease",
    "Limiter",
    "LimiterUnavailableError",
    "Limits",
    "slot_timeout",
]

_MESSAGES_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
_SENDER_FIELDS = ("From", "MessagingServiceSid")
_CONCURRENT_HEADER = "Twilio-Concurrent-Requests"
# A shorter wait leaves the attempt's own time limit as the client set it (the transport
# reuses its timeout object for the common case).
_NOTICEABLE_WAIT = 0.001


class LimiterUnavailableError(ApiConnectionError):
    """The shared limiter could not be asked (Redis down or slow) and the policy is to fail closed.

    Nothing was sent (``request_sent`` is False), so the client's retry policy may try
    again within the call's deadline, as after a refused connection.
    """


def slot_timeout(what: str) -> ApiTimeoutError:
    """The error for a waiter whose call deadline passed before it got ``what``."""
    return ApiTimeoutError(f"the call's deadline passed before {what}", request_sent=False)


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value > 0:
        raise ValueError(f"{attribute.name} must be positive, not {value!r}")


def _at_least_one(_inst: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or value < 1):
        raise ValueError(f"{attribute.name} must be a whole number of at least 1, not {value!r}")


def _factor(_inst: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 < value < 1:
        raise ValueError(f"{attribute.name} must be between 0 and 1, not {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """What a limiter enforces for one account; every limit is optional.

    Args:
        concurrency: the most requests in flight at once (K), across every process that
            shares the backend.
        message_rate: Messages created per second per sender (``From`` or
            ``MessagingServiceSid``).
        message_burst: how many messages a sender may send back to back before the
            rate applies.
        adaptive: a 429 lowers the concurrency limit for everyone (times
            ``decrease_factor``); it grows back by one every ``recover_every`` seconds.
        min_concurrency: the lowest the adaptive limit goes.
        decrease_factor: the multiplicative decrease after a 429.
        recover_every: seconds per one-slot step back up; also the shortest time
            between two decreases (requests already in flight answer 429 too).
        lease_ttl: seconds a slot stays taken without its holder renewing it: the
            slots of a process that dies come back within this time.
    """

    concurrency: int | None = attrs.field(default=None, validator=_at_least_one)
    message_rate: float | None = attrs.field(default=None, validator=_positive)
    message_burst: int = attrs.field(default=1, validator=_at_least_one)
    adaptive: bool = True
    min_concurrency: int = attrs.field(default=1, validator=_at_least_one)
    decrease_factor: float = attrs.field(default=0.5, validator=_factor)
    recover_every: float = attrs.field(default=1.0, validator=_positive)
    lease_ttl: float = attrs.field(default=10.0, validator=_positive)

    def share(self, processes: int) -> Limits:
        """This process's part of the limits when ``processes`` share them without a backend."""
        if processes == 1:
            return self
        concurrency = self.concurrency
        if concurrency is not None:
            concurrency = max(1, concurrency // processes)
        rate = self.message_rate
        return attrs.evolve(
            self,
            concurrency=concurrency,
            min_concurrency=min(self.min_concurrency, concurrency or 1),
            message_rate=None if rate is None else rate / processes,
        )


class Lease:
    """One concurrency slot held by one attempt; :meth:`release` gives it back (once)."""

    __slots__ = ("_owner", "account", "id", "limits")

    def __init__(self, owner: Backend, account: str, lease_id: str, limits: Limits) -> None:
        self._owner: Backend | None = owner
        self.account = account
        self.id = lease_id
        self.limits = limits

    def release(self) -> None:
        """Give the slot back; a second call does nothing."""
        owner, self._owner = self._owner, None
        if owner is not None:
            owner.release(self)

    def __repr__(self) -> str:
        return f"<Lease {self.id} of {self.account}>"


class Backend(Protocol):
    """Where a limiter keeps its counts: one process's memory, or Redis."""

    stats: Counter[str]

    async def acquire(self, account: str, limits: Limits, deadline: float) -> Lease:
        """Wait for a concurrency slot until ``deadline`` (event loop time).

        Raises:
            ApiTimeoutError: the deadline passed first.
            LimiterUnavailableError: the backend cannot be asked and fails closed.
        """
        ...

    def release(self, lease: Lease) -> None:
        """Give a slot back without waiting (a shared backend does it in the background)."""
        ...

    async def pace(self, account: str, sender: str, limits: Limits, deadline: float) -> float:
        """Reserve the sender's next send; return the seconds to wait before it.

        Raises:
            ApiTimeoutError: the wait would end past ``deadline`` (nothing is reserved).
        """
        ...

    def cut(self, account: str, limits: Limits, observed: int | None) -> None:
        """Lower the account's adaptive limit after a 429 (``observed``: the
        ``Twilio-Concurrent-Requests`` the answer carried)."""
        ...

    async def aclose(self) -> None:
        """Finish background work and close what the backend opened."""
        ...


def _sender(content: bytes | None) -> str | None:
    if not content:
        return None
    form = parse_qs(content.decode("utf-8", "replace"))
    for field in _SENDER_FIELDS:
        values = form.get(field)
        if values and values[0]:
            return values[0]
    return None


def _observed(response: Response) -> int | None:
    value = response.header(_CONCURRENT_HEADER)
    if value is None:
        return None
    try:
        count = int(value.strip())
    except ValueError:
        return None
    return count if count > 0 else None


class Limiter:
    """Keeps every attempt of one or more clients within an account's limits.

    Args:
        backend: where counts live; a new :class:`~trunkline.limits.LocalBackend` (this
            process only) by default, :class:`~trunkline.limits.RedisBackend` to share
            them.
        account: the key the limits are counted under; by default the client's account
            SID (Twilio), else ``"default"``.
        concurrency, message_rate, message_burst, adaptive, min_concurrency,
        decrease_factor, recover_every, lease_ttl: see :class:`Limits`.

    Use it as ``async with Limiter(...) as limiter:`` (or ``await limiter.aclose()``),
    so background releases finish before the program ends.

    Raises:
        ValueError: a limit is malformed (named in the message).
    """

    def __init__(
        self,
        *,
        backend: Backend | None = None,
        account: str | None = None,
        concurrency: int | None = None,
        message_rate: float | None = None,
        message_burst: int = 1,
        adaptive: bool = True,
        min_concurrency: int = 1,
        decrease_factor: float = 0.5,
        recover_every: float = 1.0,
        lease_ttl: float = 10.0,
    ) -> None:
        if account is not None and (not account or "{" in account or "}" in account):
            raise ValueError("account must be a non-empty name without braces")
        self.limits = Limits(
            concurrency=concurrency,
            message_rate=message_rate,
            message_burst=message_burst,
            adaptive=adaptive,
            min_concurrency=min_concurrency,
            decrease_factor=decrease_factor,
            recover_every=recover_every,
            lease_ttl=lease_ttl,
        )
        if backend is None:
            from trunkline.limits._local import LocalBackend

            backend = LocalBackend()
        self.backend = backend
        self.account = account

    @property
    def stats(self) -> Mapping[str, int]:
        """Counts of what the backend did (slots granted, waits, fallbacks, refusals)."""
        return self.backend.stats

    async def __aenter__(self) -> Limiter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Wait for background releases and close the backend."""
        await self.backend.aclose()

    def middleware(self, account: str | None = None) -> Middleware:
        """The middleware that limits a client's attempts, counted under ``account``.

        The limiter's own ``account`` wins over the one given here.
        """
        key = self.account or account or "default"
        limits = self.limits
        backend = self.backend
        concurrency = limits.concurrency is not None
        adaptive = concurrency and limits.adaptive
        pace_messages = limits.message_rate is not None

        async def limit(request: Request, handler: Handler) -> Response:
            op = request.operation
            if op is None:
                return await handler(request)
            loop = asyncio.get_running_loop()
            timeout = request.timeout
            total = timeout.total if timeout is not None else None
            deadline = math.inf if total is None else loop.time() + total
            start = loop.time()
            if pace_messages and op.path == _MESSAGES_PATH and op.method == "POST":
                sender = _sender(request.content)
                if sender is not None:
                    wait = await backend.pace(key, sender, limits, deadline)
                    if wait > 0:
                        await asyncio.sleep(wait)
            lease = None
            if concurrency:
                lease = await backend.acquire(key, limits, deadline)
            try:
                late = loop.time() - start > _NOTICEABLE_WAIT
                if late and timeout is not None and total is not None:
                    # The wire gets what is left of the call's budget, not a fresh one.
                    left = max(deadline - loop.time(), 0.001)
                    request.timeout = timeout.with_total(left)
                response = await handler(request)
            finally:
                if lease is not None:
                    lease.release()
            if adaptive and response.status == 429:
                backend.cut(key, limits, _observed(response))
            return response

        return limit


_ids = itertools.count(1)


def next_id() -> int:
    """A number unique in this process, for lease ids."""
    return next(_ids)
