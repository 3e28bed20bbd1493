"""When and how long to wait before sending a request again.

A :class:`RetryPolicy` says how many attempts a call may make, how the waits between them
grow (exponential backoff with random jitter) and how long the whole call may take. The
server's ``Retry-After`` (seconds, fractional seconds or an HTTP date) or
``retry-after-ms`` may lengthen the computed wait, never shorten it: ``Retry-After: 0``,
a negative number or a past date still waits the backoff, so a server cannot make
clients retry in a tight loop. A wait that would end past the call's deadline means
giving up now rather than sleeping in vain.

A :class:`RetryBudget` is shared by all calls of one client, as the AWS SDKs' standard
retry mode keeps one: each retry spends tokens (a retry after a timeout more), each
success refunds some, and with the budget spent no call retries. A server failing every
request then sees about one request per call instead of ``attempts`` per call, while an
isolated failure is still retried.

What is safe to repeat (see :func:`is_retryable`): statuses 429, 502, 503 and 504 and
connection failures, for idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, or a call
marked ``idempotent=True``). Any other request (a POST) is repeated only after a 429 or a
connection failure that happened before the request was sent: a POST that may have
reached the server is never sent twice.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from trunkline._errors import ApiConnectionError, ApiTimeoutError, ValidationError
from trunkline._values import Frozen

if TYPE_CHECKING:
    import random

__all__ = [
    "NO_RETRY",
    "RETRY_STATUSES",
    "RetryBudget",
    "RetryPolicy",
    "is_retryable",
    "parse_retry_after",
]

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Statuses that mean "try again later" rather than "this request is wrong"."""


def _positive(name: str, value: float) -> float:
    if not value > 0:
        raise ValidationError(f"RetryPolicy.{name} must be positive, not {value!r}")
    return value


def _not_negative(name: str, value: float) -> float:
    if not value >= 0:
        raise ValidationError(f"RetryPolicy.{name} must not be negative, not {value!r}")
    return value


def _at_least_one(name: str, value: int) -> int:
    if value < 1:
        raise ValidationError(f"RetryPolicy.{name} must be at least 1, not {value!r}")
    return value


def _tokens(name: str, value: int) -> int:
    if value < 0:
        raise ValidationError(f"RetryPolicy.{name} must be a whole number of tokens, not {value!r}")
    return value


async def _asyncio_sleep(delay: float) -> None:
    # asyncio is loaded by the time anything awaits; importing it here keeps it out of
    # `import trunkline` and client construction.
    import asyncio

    await asyncio.sleep(delay)


class RetryPolicy(Frozen):
    """How a client retries.

    Args:
        attempts: the most times one request is sent, the first time included
            (1 turns retries off).
        wait_initial: the wait before the first retry, in seconds; it doubles per retry.
        wait_max: the longest computed wait, in seconds (a server's ``Retry-After`` may
            ask for more and is honoured while it fits the budget).
        wait_jitter: up to this many seconds, drawn at random, are added to each computed
            wait so that many clients do not retry in lockstep.
        timeout: the budget of a whole call, every attempt and wait included, in
            seconds; used when neither the call nor the client sets ``Timeout.total``.
        wait_min: the shortest wait between two attempts, in seconds, whatever the
            server's ``Retry-After`` says.
        budget: the retry tokens one client holds (0 turns every retry off); shared by
            all its calls.
        retry_cost: the tokens one retry spends.
        timeout_cost: the tokens a retry after a timeout spends.
        success_refund: the tokens a call that succeeded at its first attempt gives back
            (one that succeeded after retries gives back what its last retry cost).
        clock: seconds from a monotonic clock; deadlines are measured on it.
        sleep: ``async sleep(seconds)``, awaited between attempts. Tests pass a clock and
            a sleep that advance fake time together, so retries never really wait.
    """

    # clock and sleep are how the policy is run, not what it is: left out of eq and repr.
    _fields = (
        "attempts",
        "wait_initial",
        "wait_max",
        "wait_jitter",
        "timeout",
        "wait_min",
        "budget",
        "retry_cost",
        "timeout_cost",
        "success_refund",
    )
    __slots__ = (*_fields, "clock", "sleep")
    attempts: int
    wait_initial: float
    wait_max: float
    wait_jitter: float
    timeout: float
    wait_min: float
    budget: int
    retry_cost: int
    timeout_cost: int
    success_refund: int
    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]

    def __init__(
        self,
        *,
        attempts: int = 3,
        wait_initial: float = 0.5,
        wait_max: float = 10.0,
        wait_jitter: float = 0.5,
        timeout: float = 60.0,
        wait_min: float = 0.05,
        budget: int = 500,
        retry_cost: int = 5,
        timeout_cost: int = 10,
        success_refund: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "attempts", _at_least_one("attempts", attempts))
        setattr_(self, "wait_initial", _not_negative("wait_initial", wait_initial))
        setattr_(self, "wait_max", _not_negative("wait_max", wait_max))
        setattr_(self, "wait_jitter", _not_negative("wait_jitter", wait_jitter))
        setattr_(self, "timeout", _positive("timeout", timeout))
        setattr_(self, "wait_min", _not_negative("wait_min", wait_min))
        setattr_(self, "budget", _tokens("budget", budget))
        setattr_(self, "retry_cost", _tokens("retry_cost", retry_cost))
        setattr_(self, "timeout_cost", _tokens("timeout_cost", timeout_cost))
        setattr_(self, "success_refund", _tokens("success_refund", success_refund))
        setattr_(self, "clock", clock)
        setattr_(self, "sleep", sleep)

    def backoff(self, retry: int, rng: random.Random | None = None) -> float:
        """The computed wait before retry number ``retry`` (1 for the first retry)."""
        base = min(self.wait_max, self.wait_initial * 2.0 ** (retry - 1))
        if self.wait_jitter:
            # Imported here: only a retry gets this far, and random costs ≈ 0.8 ms at import.
            import random

            base += (rng or random).uniform(0.0, self.wait_jitter)
        return base

    def wait(
        self, retry: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """The wait before retry number ``retry``, given the server's ``Retry-After``.

        The server may ask for longer than the computed backoff, never for less, and the
        wait is never below ``wait_min``.
        """
        computed = self.backoff(retry, rng)
        if retry_after is not None and retry_after > computed:
            computed = retry_after
        return max(computed, self.wait_min)


class RetryBudget:
    """The retry tokens one client's calls share (see :class:`RetryPolicy`).

    Not thread-safe, like the client: one event loop uses it.
    """

    __slots__ = ("_policy", "full", "tokens")

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        # The most tokens the budget holds: a success on a full budget refunds nothing.
        self.full = policy.budget
        self.tokens = policy.budget

    def cost(self, error: ApiConnectionError | None) -> int:
        """The tokens a retry after ``error`` (None: after an error status) spends."""
        policy = self._policy
        return policy.timeout_cost if isinstance(error, ApiTimeoutError) else policy.retry_cost

    def spend(self, cost: int) -> bool:
        """Take ``cost`` tokens for one retry; False (nothing taken) when too few are left."""
        if cost > self.tokens:
            return False
        self.tokens -= cost
        return True

    def refund(self, last_cost: int) -> None:
        """A call succeeded; ``last_cost`` is what its last retry spent (0: none)."""
        gain = last_cost or self._policy.success_refund
        self.tokens = min(self._policy.budget, self.tokens + gain)


NO_RETRY = RetryPolicy(attempts=1)
"""A policy that sends every request once."""


def is_retryable(
    *, idempotent: bool, status: int | None = None, error: ApiConnectionError | None = None
) -> bool:
    """Whether an attempt that ended with ``status`` or ``error`` may be repeated.

    Args:
        idempotent: the request cannot duplicate an effect when repeated.
        status: the answer's HTTP status, when there was an answer.
        error: the connection failure, when there was none.
    """
    if error is not None:
        return idempotent or not error.request_sent
    if status in RETRY_STATUSES:
        return idempotent or status == 429
    return False


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait in seconds a server asked for, or None if it asked for none.

    Reads ``retry-after-ms`` (milliseconds) first, then ``Retry-After`` as seconds
    (fractions allowed) or as an HTTP date. A date in the past or a negative number reads
    as 0 (which :meth:`RetryPolicy.wait` raises to the backoff); an unreadable value is
    ignored.

    Args:
        headers: the response headers; looked up as ``retry-after-ms`` /
            ``Retry-After`` and their lower-case forms.
        now: the current Unix time, for dates (defaults to the clock).
    """
    ms = _header(headers, "retry-after-ms")
    if ms is not None:
        seconds = _number(ms)
        if seconds is not None:
            return seconds / 1000.0
    value = _header(headers, "retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    # Imported here: dates are rare, and email.utils costs ~6 ms at startup.
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # HTTP dates are always GMT; "-0000" parses as naive.
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    if hasattr(headers, "getall"):
        return None
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if math.isnan(value) or math.isinf(value):
        return None
    return max(0.0, value)
