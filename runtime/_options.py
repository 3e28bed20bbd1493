"""The options every client takes beside its credentials, declared once.

:class:`ClientOptions` names them for type checkers: each client's constructor takes them
as keyword arguments (``**options: Unpack[ClientOptions]``), so ``trunkline.Twilio(...,
timeout=5)`` is checked, and a set of them can be kept as one typed value and passed on
(``opts: trunkline.ClientOptions = {"timeout": 5, "max_connections": 20}``, then
``trunkline.Twilio(sid, token, **opts)``). :func:`check_options` refuses unknown names
and values out of range; the client fills in the defaults its docstring names.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, TypedDict

from trunkline._errors import ValidationError
from trunkline._operation import Timeout, TimeoutArg
from trunkline._transport import Request, Response, Transport

if TYPE_CHECKING:
    import aiohttp

    from trunkline._retry import RetryPolicy
    from trunkline.limits import Limiter

__all__ = ["ClientOptions", "Middleware", "check_options", "merge_timeout"]

Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]
"""``async def mw(request, handler) -> response``: wraps every attempt of every request.

Middlewares run outermost first, see each retry as its own request (``request.attempt``),
and may read ``request.operation`` for metrics and tracing.
"""


class ClientOptions(TypedDict, total=False):
    """What every client takes beside its credentials; all optional.

    Attributes:
        base_url: send every request to this server instead (``http://127.0.0.1:8080``);
            the path is kept, a path in ``base_url`` goes in front of it.
        hosts: send requests for one host elsewhere (``{"verify.twilio.com":
            "http://127.0.0.1:8080"}``); ``base_url`` wins when both are given.
        session: an aiohttp session to use; it stays open when the client closes.
        transport: a transport to use instead of aiohttp (for example
            :class:`~trunkline.MockTransport`); closed with the client.
        timeout: default limits for every call, in seconds: a number is the whole call,
            a :class:`~trunkline.Timeout` sets total, connect and read separately.
        retry: the retry policy (default :class:`~trunkline.RetryPolicy()`).
        max_connections: the most connections open at once (default 100); more
            concurrent requests wait for one to free up (our own session only).
        middlewares: ``async (request, handler) -> response`` functions wrapped around
            every attempt, outermost first.
        prefetch: fetch the next page of a list while the caller handles the current one
            (default True).
        max_response_bytes: the most bytes one response body may have, counted after
            decompression (our own aiohttp transport; default 16 MiB); past it the call
            raises :class:`~trunkline.ResponseTooLargeError`.
        max_pages: the most pages one list call fetches (None: no limit); past it the
            iteration raises :class:`~trunkline.PagingError`.
        max_empty_pages: the most empty pages in a row that still point at a next page
            before the iteration raises :class:`~trunkline.PagingError` (default 3).
        limiter: a :class:`~trunkline.limits.Limiter`, run as the innermost middleware so
            every attempt (a retry of a 429 too) takes a slot and keeps its pace.
    """

    base_url: str | None
    hosts: Mapping[str, str] | None
    session: aiohttp.ClientSession | None
    transport: Transport | None
    timeout: TimeoutArg
    retry: RetryPolicy | None
    max_connections: int
    middlewares: Iterable[Middleware]
    prefetch: bool
    max_response_bytes: int
    max_pages: int | None
    max_empty_pages: int
    limiter: Limiter | None


def check_options(options: ClientOptions) -> None:
    """Refuse an option this version does not know, or a value out of range.

    Raises:
        TypeError: an unknown option (the name is in the message), as for any keyword.
        ValidationError: a value is out of range (named in the message).
    """
    unknown = options.keys() - ClientOptions.__annotations__.keys()
    if unknown:
        raise TypeError(f"unexpected client option(s): {', '.join(sorted(unknown))}")
    if options.get("session") is not None and options.get("transport") is not None:
        raise ValidationError("pass either session or transport, not both")
    connections = options.get("max_connections", 1)
    if connections < 1:
        raise ValidationError(f"max_connections must be at least 1, not {connections}")
    pages = options.get("max_pages")
    if pages is not None and pages < 1:
        raise ValidationError(f"max_pages must be at least 1 or None, not {pages!r}")
    empty = options.get("max_empty_pages", 0)
    if empty < 0:
        raise ValidationError(f"max_empty_pages must not be negative, not {empty!r}")


def merge_timeout(base: Timeout, override: TimeoutArg) -> Timeout:
    """``override`` (a ``timeout`` option or argument) over ``base``, or a ValidationError."""
    if override is None:
        return base
    if isinstance(override, Timeout):
        return Timeout(
            total=override.total if override.total is not None else base.total,
            connect=override.connect if override.connect is not None else base.connect,
            read=override.read if override.read is not None else base.read,
        )
    if isinstance(override, bool) or not isinstance(override, int | float):
        raise ValidationError(f"timeout must be seconds or a Timeout, not {override!r}")
    if not override > 0 or override == float("inf"):
        raise ValidationError(f"timeout must be a positive number of seconds, not {override!r}")
    return base.with_total(float(override))
