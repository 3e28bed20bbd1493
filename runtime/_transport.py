"""The transport seam: one protocol between the client and the network.

A :class:`Transport` sends one :class:`Request` and returns the whole :class:`Response`
(the body is read before ``send`` returns, so a connection goes back to the pool, or is
closed, before the caller sees the answer). Network failures come out as
:class:`~trunkline.ApiConnectionError` / :class:`~trunkline.ApiTimeoutError`, with
``request_sent=False`` only when the request certainly never left this process.

:class:`AiohttpTransport` is the default; :class:`MockTransport` hands every request to a
function, for tests. What the default transport guards against a hostile server:

* the body is read in pieces and counted after decompression, so neither a gzip bomb nor
  an endless chunked body can outgrow ``max_response_bytes``
  (:class:`~trunkline.ResponseTooLargeError`, connection closed);
* the URL goes to aiohttp already encoded, so yarl neither collapses ``.``/``..``
  segments nor decodes ``%2E``: what the client built is what the wire carries;
* aiohttp's own silent resend of an idempotent request on a stale keep-alive connection
  is off: every request on the wire is an attempt the client counted;
* an error's chain holds no aiohttp exception (they carry the request headers, and so
  the credentials), only our own error with aiohttp's message, query values removed;
* a session bound to another event loop is refused with a :class:`~trunkline.UsageError`
  instead of failing deep inside aiohttp.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import Awaitable, Callable, Mapping
from threading import get_ident as _thread_id
from typing import TYPE_CHECKING, Any, Protocol

from trunkline._errors import (
    ApiConnectionError,
    ApiTimeoutError,
    ResponseTooLargeError,
    TrunklineError,
    UsageError,
    ValidationError,
    safe_url,
)
from trunkline._operation import Operation, Timeout

if TYPE_CHECKING:
    import asyncio

    import aiohttp

__all__ = [
    "MAX_RESPONSE_BYTES",
    "AiohttpTransport",
    "MockTransport",
    "Request",
    "Response",
    "Transport",
]

_SENSITIVE = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
# A query inside an aiohttp message (``url='...?To=+1555...'``); its values stay out.
_QUERY_IN_TEXT = re.compile(r"\?[^\s'\")]*")
_READ_CHUNK = 1 << 16
_IDENTITY = frozenset({"", "identity"})

_NO_TIMEOUT_YET = object()

MAX_RESPONSE_BYTES = 16 * 1024 * 1024
"""The default limit on one response body, counted after decompression (16 MiB).

A Twilio page of 1,000 messages is about 1.5 MB of JSON, so ten times that still fits.
"""


class Request:
    """One HTTP request as the client built it.

    Args:
        method: the HTTP method, upper case.
        url: the absolute URL, already quoted, query included.
        headers: every header to send. The client reuses one mapping object for all
            requests that need no extra headers; transports must not modify it.
        content: the encoded body, or None.
        timeout: this attempt's limits (``total`` is what is left of the call's budget).
        operation: the API operation, when the request is one (None for token fetches
            and other internal requests).
        attempt: 1 for the first try, 2 for the first retry, and so on.
    """

    __slots__ = ("attempt", "content", "headers", "method", "operation", "timeout", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes | None = None,
        timeout: Timeout | None = None,
        operation: Operation | None = None,
        attempt: int = 1,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.content = content
        self.timeout = timeout
        self.operation = operation
        self.attempt = attempt

    def __repr__(self) -> str:
        # Headers hold credentials and query values personal data; a repr may end up in a
        # log or a traceback.
        template = self.operation.path if self.operation is not None else ""
        return f"<Request {self.method} {safe_url(self.url, template)} attempt={self.attempt}>"

    def redacted_headers(self) -> dict[str, str]:
        """The headers with credential-bearing values replaced by ``[redacted]``."""
        return {
            k: ("[redacted]" if k.lower() in _SENSITIVE else v) for k, v in self.headers.items()
        }


class Response:
    """One HTTP response, body fully read.

    Args:
        status: the HTTP status code.
        headers: the response headers (case-insensitive lookups when they come from
            aiohttp; a plain dict from a test keeps the case it was given).
        content: the raw body.
        json: for tests: a value to serialize as the body (sets ``Content-Type``).
        text: for tests: a string body, UTF-8 encoded.
    """

    __slots__ = ("content", "headers", "status")

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str] | None = None,
        content: bytes = b"",
        *,
        json: Any = None,
        text: str | None = None,
    ) -> None:
        self.status = status
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        if json is not None:
            content = _json.dumps(json).encode()
            if "Content-Type" not in self.headers:
                self.headers = {**self.headers, "Content-Type": "application/json"}
        elif text is not None:
            content = text.encode()
        self.content = content

    def json(self) -> Any:
        """The body decoded as JSON (None for an empty body)."""
        return _json.loads(self.content) if self.content else None

    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.content.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        """One header's value, looked up without regard to case."""
        value = self.headers.get(name)
        if value is None and not hasattr(self.headers, "getall"):
            lower = name.lower()
            for key, candidate in self.headers.items():
                if key.lower() == lower:
                    return candidate
        return value

    def __repr__(self) -> str:
        return f"<Response {self.status} {len(self.content)} bytes>"


class Transport(Protocol):
    """Sends requests; owns whatever connections that takes."""

    async def send(self, request: Request) -> Response:
        """Send one request and read the whole response.

        Raises:
            ApiConnectionError: the connection failed or broke.
            ApiTimeoutError: a time limit of ``request.timeout`` ran out.
        """
        ...

    async def aclose(self) -> None:
        """Release every connection this transport opened (idempotent)."""
        ...


class AiohttpTransport:
    """The default transport: one pooled :class:`aiohttp.ClientSession`.

    The session is created on the first request, so a client can be built outside a
    running event loop. A session passed in is used as it is and never closed here.

    Args:
        session: a session of the caller's to use instead of our own.
        max_connections: the pool's limit on open connections (our own session only);
            requests beyond it wait for a free connection.
        default_headers: headers to install on our own session; a request whose
            ``headers`` is this very mapping object is sent without per-request headers,
            which saves aiohttp a merge on the hot path.
        max_response_bytes: the most body bytes read from one response, counted after
            decompression; more raises :class:`~trunkline.ResponseTooLargeError` and
            closes the connection.

    A session passed in gets aiohttp's silent resend on stale connections turned off
    (every request on the wire must be an attempt the client counted).
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        max_connections: int = 100,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        if max_connections < 1:
            raise ValidationError(f"max_connections must be at least 1, not {max_connections}")
        if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int):
            raise ValidationError("max_response_bytes must be a whole number of bytes")
        if max_response_bytes < 1:
            raise ValidationError(
                f"max_response_bytes must be at least 1, not {max_response_bytes}"
            )
        self._session = session
        self._owns_session = session is None
        self._max_connections = max_connections
        self._max_response_bytes = max_response_bytes
        self._default_headers = default_headers if self._owns_session else None
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._checked_thread: int | None = None
        # The last request's limits and their aiohttp form: one object serves every call
        # that passes no timeout of its own. The first request never matches the marker.
        self._last_timeout: object = _NO_TIMEOUT_YET
        self._last_client_timeout: aiohttp.ClientTimeout | None = None
        # aiohttp takes ~75 ms to import: a client that never sends needs none of it.
        self._timeout_errors: tuple[type[BaseException], ...] = ()
        self._client_errors: tuple[type[BaseException], ...] = ()
        self._unsent_errors: tuple[type[BaseException], ...] = ()
        if session is not None:
            self._load()

    def _load(self) -> None:
        import asyncio

        import aiohttp
        import yarl

        self._aiohttp = aiohttp
        self._url_class = yarl.URL
        self._running_loop = asyncio.get_running_loop
        self._timeout_errors = (aiohttp.ServerTimeoutError, TimeoutError)
        self._client_errors = (aiohttp.ClientError,)
        self._unsent_errors = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
        session = self._session
        if session is not None:
            _no_silent_resend(session)
            self._loop = getattr(session, "_loop", None)

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session in use, or None before the first request on our own session."""
        return self._session

    @property
    def owns_session(self) -> bool:
        """True when this transport created its session (and so closes it)."""
        return self._owns_session

    @property
    def is_open(self) -> bool:
        """True while our own session is open and needs :meth:`aclose`."""
        return self._owns_session and self._session is not None and not self._session.closed

    def _open(self) -> aiohttp.ClientSession:
        if self._closed:
            raise UsageError("this client is closed; create a new one")
        self._load()
        aiohttp = self._aiohttp
        connector = aiohttp.TCPConnector(limit=self._max_connections, limit_per_host=0)
        # The per-request timeout always wins; this only keeps aiohttp's own 5-minute
        # default from applying to requests that somehow carry none.
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=dict(self._default_headers) if self._default_headers else None,
            timeout=aiohttp.ClientTimeout(total=None),
            raise_for_status=False,
            # API calls authenticate with headers; a cookie a server sets must not ride
            # along on later calls, and skipping the jar saves work on every request.
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        _no_silent_resend(self._session)
        self._loop = self._running_loop()
        return self._session

    def _client_timeout(self, timeout: Timeout | None) -> aiohttp.ClientTimeout:
        if timeout is None:
            ct = self._aiohttp.ClientTimeout(total=None)
        else:
            # sock_connect, not connect: aiohttp's `connect` also counts the wait for a
            # free pooled connection, which a concurrency cap makes long on purpose.
            ct = self._aiohttp.ClientTimeout(
                total=timeout.total, sock_connect=timeout.connect, sock_read=timeout.read
            )
        self._last_timeout = timeout
        self._last_client_timeout = ct
        return ct

    async def send(self, request: Request) -> Response:
        """Send ``request`` on the pooled session and read the whole answer.

        Raises:
            UsageError: the session belongs to another event loop than the running one.
            ResponseTooLargeError: the body passed ``max_response_bytes``.
        """
        session = self._session
        if session is None:
            session = self._open()
        loop = self._loop
        # asyncio.get_running_loop makes a getpid system call each time on Python 3.11
        # (one per request, measured with strace): it runs only until it has passed once
        # on this thread, and again whenever the loop is not running or the thread differs.
        if loop is not None and (self._checked_thread != _thread_id() or not loop.is_running()):
            if self._running_loop() is not loop:
                raise UsageError(
                    "this client opened its connections on another event loop (a second "
                    "asyncio.run?); create one client per event loop, inside it"
                )
            self._checked_thread = _thread_id()
        headers = request.headers
        failure: TrunklineError
        # The error is raised after the except blocks, not inside them: aiohttp's
        # exception carries the request headers, and it must not ride along as
        # __context__ (or __cause__) of ours.
        try:
            # Awaited, not entered with `async with`, which costs four coroutine frames a
            # request; the finally below does what leaving it does: release the
            # connection, then wait for the task writing the request.
            resp = await session.request(
                request.method,
                # Already quoted: a str would let yarl collapse dot segments and decode %2E.
                self._url_class(request.url, encoded=True),
                headers=None if headers is self._default_headers else headers,
                data=request.content,
                timeout=self._last_client_timeout
                if request.timeout is self._last_timeout
                else self._client_timeout(request.timeout),
                allow_redirects=False,
            )
            try:
                length = resp.headers.get("Content-Length")
                if (
                    length is not None
                    and int(length) <= self._max_response_bytes
                    and "Content-Encoding" not in resp.headers
                ):
                    # The usual answer, inline: aiohttp stops an identity body at its
                    # Content-Length, so it cannot pass the limit.
                    content = await resp.read()
                else:
                    content = await self._read(resp, request)
            finally:
                resp.release()
                await resp.wait_for_close()
            return Response(resp.status, resp.headers, content)
        except self._timeout_errors as exc:
            sent = not isinstance(exc, self._unsent_errors)
            failure = ApiTimeoutError(_describe(exc, "timed out"), request_sent=sent)
        except self._client_errors as exc:
            sent = not isinstance(exc, self._unsent_errors)
            failure = ApiConnectionError(_describe(exc, "connection failed"), request_sent=sent)
        except OSError as exc:
            failure = ApiConnectionError(_describe(exc, "connection failed"))
        raise failure

    async def _read(self, resp: aiohttp.ClientResponse, request: Request) -> bytes:
        """The body, read in pieces and counted after decompression, up to the limit."""
        limit = self._max_response_bytes
        length = resp.content_length
        if length is not None and resp.headers.get("Content-Encoding", "") in _IDENTITY:
            if length <= limit:
                # aiohttp stops an identity body at its Content-Length.
                return await resp.read()
            resp.close()
            raise _too_large(resp.status, request, limit)
        # A body that arrived whole has handed its connection back to the pool already;
        # the protocol the response was read from is still reachable, and a connection
        # that sent too much must not be reused.
        protocol = getattr(resp, "_protocol", None)
        stream = resp.content
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = await stream.readany()
            if not chunk:
                return b"".join(parts)
            size += len(chunk)
            if size > limit:
                parts.clear()
                resp.close()
                if protocol is not None:
                    protocol.close()
                raise _too_large(resp.status, request, limit)
            parts.append(chunk)

    async def aclose(self) -> None:
        """Close our own session (a session passed in is left open)."""
        self._closed = True
        session = self._session
        if session is None or not self._owns_session or session.closed:
            return
        if self._loop is not None and self._running_loop() is not self._loop:
            # Its loop is gone or elsewhere; its connections cannot be closed from here.
            return
        await session.close()


def _no_silent_resend(session: aiohttp.ClientSession) -> None:
    # aiohttp resends an idempotent request once, unseen, when a kept-alive connection
    # turns out stale; that resend would be a request no middleware saw and no attempt
    # counted. The client's own retry policy covers the case instead.
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False


def _too_large(status: int, request: Request, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        status,
        f"the response body is larger than max_response_bytes ({limit} bytes); "
        "stopped reading and closed the connection",
        method=request.method,
        url=request.url,
        template=request.operation.path if request.operation is not None else "",
        attempts=request.attempt,
    )


def _describe(exc: BaseException, fallback: str) -> str:
    text = _QUERY_IN_TEXT.sub("?…", str(exc))
    name = type(exc).__name__
    return f"{name}: {text}" if text else f"{name}: {fallback}"


Handler = Callable[[Request], "Response | Awaitable[Response]"]


class MockTransport:
    """A transport that answers every request by calling ``handler(request)``.

    The handler may be a plain function or a coroutine function; it may raise
    :class:`~trunkline.ApiConnectionError` to act out a network failure.

    Args:
        handler: builds the response to one request.
        record: keep every request in :attr:`requests` (turn off for long runs).
    """

    def __init__(self, handler: Handler, *, record: bool = True) -> None:
        self._handler = handler
        self._record = record
        self.requests: list[Request] = []
        self.closed = False

    async def send(self, request: Request) -> Response:
        """Record the request and return the handler's response."""
        if self.closed:
            raise UsageError("this transport is closed")
        if self._record:
            self.requests.append(request)
        result = self._handler(request)
        # inspect costs ≈ 10 ms at import; only a test's transport needs it.
        import inspect

        if inspect.isawaitable(result):
            result = await result
        return result

    async def aclose(self) -> None:
        """Mark the transport closed."""
        self.closed = True
