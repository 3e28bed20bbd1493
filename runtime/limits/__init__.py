"""Limits on an account's concurrency and a sender's message rate, per process or shared.

::

    limiter = Limiter(concurrency=20, message_rate=10, backend=RedisBackend("redis://..."))
    async with limiter, Twilio(limiter=limiter) as tw:
        ...

:class:`Limiter` is the rules and the middleware; :class:`LocalBackend` keeps the counts
in this process, :class:`RedisBackend` (``trunkline[redis]``) in a Redis that every
worker process and host shares. See the README's "Many workers, one account".
"""

from __future__ import annotations

from trunkline.limits._limiter import Backend, Lease, Limiter, LimiterUnavailableError, Limits
from trunkline.limits._local import LocalBackend
from trunkline.limits._redis import RedisBackend

__all__ = [
    "Backend",
    "Lease",
    "Limiter",
    "LimiterUnavailableError",
    "Limits",
    "LocalBackend",
    "RedisBackend",
]
