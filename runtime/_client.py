"""The provider-neutral client every provider client builds on: its settings and calls.

:class:`BaseClient` implements the :class:`~trunkline._operation.Caller` protocol that
generated services call. It holds the settings, headers and credentials and encodes
queries and bodies here; it builds URLs with :class:`~trunkline._urls.Urls`, sends through
the retry loop of :func:`~trunkline._sending.send`, reads error answers with
:class:`~trunkline._answers.Answers` (mixins and a bound function, so the call path keeps
its frames), and pages with :mod:`trunkline._paging`. About 500 lines because the Caller
protocol's six entry points (``request``, ``page``, ``pages``, ``stream``, ``list`` and the
pager they share) each carry their full signature and docstring.
It owns one transport (by default one pooled aiohttp session, opened on the first request)
and is used as ``async with client:`` or closed with ``await client.aclose()``.

What a provider client supplies (see ``_twilio.py`` for a full example):

* ``auth`` (constructor argument): an auth step (:mod:`trunkline._auth`): static
  headers computed once, or an OAuth token kept and renewed (``ClientCredentials``).
* ``server_variables`` (constructor argument): values for variables in an operation's
  server URL (``https://{space}.signalwire.com`` needs ``{"space": "example"}``).
* :meth:`BaseClient._resolve_host`: turns a spec host into the host to contact (Twilio
  inserts region and edge).
* :meth:`BaseClient._error_info`: reads the provider's error JSON into
  :class:`ErrorInfo` (code, message, more-info link, details).
* ``_request_id_header``: the response header that carries the provider's request id.
* ``_paging_strategies``: strategies by :attr:`Operation.paging` name; extend
  :data:`~trunkline._paging.STRATEGIES` for a provider's own.
* :meth:`BaseClient._auth_for`: another auth step for an operation whose spec accepts
  other credentials (Twilio's Verify takes its access token).
* :meth:`BaseClient.default_path_param`: defaults for path parameters (Twilio's
  ``AccountSid``).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, Unpack
from urllib.parse import parse_qsl, urlsplit

from trunkline._answers import Answers, ErrorInfo
from trunkline._auth import Auth
from trunkline._capture import capture_responses
from trunkline._encoding import encode_form, encode_json, encode_multipart, encode_query
from trunkline._errors import UsageError, ValidationError
from trunkline._operation import Operation, Timeout, TimeoutArg
from trunkline._options import ClientOptions, Middleware, check_options, merge_timeout
from trunkline._paging import (
    MAX_EMPTY_PAGES,
    STRATEGIES,
    Fetcher,
    Page,
    PageIterator,
    Pager,
    PagingStrategy,
    StreamIterator,
    collect,
)
from trunkline._paging_shapes import HeadedBody, shape_strategy
from trunkline._retry import RetryBudget, RetryPolicy
from trunkline._sending import Handler, chain, send
from trunkline._transport import (
    MAX_RESPONSE_BYTES,
    AiohttpTransport,
    Transport,
)
from trunkline._urls import Urls
from trunkline._version import VERSION

if TYPE_CHECKING:
    pass

__all__ = ["BaseClient", "ErrorInfo", "Handler", "Middleware"]

T = TypeVar("T")


_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
_BODY_KINDS = frozenset({"form", "json"})
_DEFAULT_TIMEOUT = Timeout(connect=10.0)
_PYTHON = "{}.{}.{}".format(*sys.version_info[:3])


class BaseClient(Urls, Answers):
    """A client for one provider's APIs: transport, auth, retries, timeouts and paging.

    Args:
        auth: how requests authenticate (:mod:`trunkline._auth`); None sends no
            credentials.
        server_variables: values for ``{variables}`` in operations' server URLs.
        options: the :class:`~trunkline._options.ClientOptions` (``base_url``, ``hosts``,
            ``session``, ``transport``, ``timeout``, ``retry``, ``max_connections``,
            ``middlewares``, ``prefetch``, ``max_response_bytes``, ``max_pages``,
            ``max_empty_pages``, ``limiter``), as keyword arguments.

    The client is bound to the event loop of its first request: one client per loop.

    Raises:
        ValidationError: an argument is malformed (named in the message).
    """

    _paging_strategies: ClassVar[Mapping[str, PagingStrategy]] = STRATEGIES
    # The retry loop, bound as a method so the call path gains no frame.
    _send = send

    def __init__(
        self,
        *,
        auth: Auth | None = None,
        server_variables: Mapping[str, str] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        check_options(options)
        retry = options.get("retry")
        session = options.get("session")
        self._max_response_bytes = options.get("max_response_bytes", MAX_RESPONSE_BYTES)
        self._max_pages = options.get("max_pages")
        self._max_empty_pages = options.get("max_empty_pages", MAX_EMPTY_PAGES)
        self._closed = False
        self._auth = auth if auth is not None else Auth()
        self._dynamic_auth = self._auth.dynamic
        self._auth_query = self._auth.query()
        self._init_urls(options.get("base_url"), options.get("hosts"), server_variables)
        self._retry = retry if retry is not None else RetryPolicy()
        self._retry_budget = RetryBudget(self._retry)
        self._timeout = merge_timeout(_DEFAULT_TIMEOUT, options.get("timeout"))
        budget = self._timeout.total if self._timeout.total is not None else self._retry.timeout
        self._budget = budget
        self._attempt_timeout = Timeout(
            total=budget, connect=self._timeout.connect, read=self._timeout.read
        )
        self._prefetch = options.get("prefetch", True)
        self._session = session
        self._max_connections = options.get("max_connections", 100)
        self._middlewares = tuple(options.get("middlewares", ()))
        if (limiter := options.get("limiter")) is not None:
            self._middlewares += (limiter.middleware(self.default_path_param("AccountSid")),)
        self._transport: Transport | None = options.get("transport")
        self._ready = False

    def _prepare(self) -> None:
        """Build headers, transport and middleware chain: once, before the first request.

        Deferred from the constructor because the User-Agent names aiohttp's version and
        aiohttp takes ~75 ms to import; building a client stays cheap.
        """
        if self._closed:
            raise UsageError("this client is closed; create a new one")
        import aiohttp

        self._user_agent = f"trunkline/{VERSION} (Python/{_PYTHON}; aiohttp/{aiohttp.__version__})"
        self._set_auth_headers(self._auth.headers())
        transport = self._transport
        if transport is None:
            transport = self._transport = AiohttpTransport(
                self._session,
                max_connections=self._max_connections,
                # With changing credentials the session cannot carry them.
                default_headers=None if self._dynamic_auth else self._headers,
                max_response_bytes=self._max_response_bytes,
            )
        self._handler: Handler = chain(transport.send, self._middlewares)
        self._ready = True

    # -- provider hooks -------------------------------------------------------------

    def _auth_for(self, op: Operation) -> Auth | None:
        """A static auth step for ``op`` in place of the client's, or None to keep it.

        Asked only for operations whose spec names its kinds of credentials
        (:attr:`Operation.auth`); a provider client picks one it holds, or raises
        ValueError naming what to pass when it holds none the operation accepts.
        """
        return None

    async def _fetch_token(self, op: Operation, content: bytes, limits: Timeout) -> Any:
        """Send an OAuth token request (a form body, no credentials): the auth step's I/O."""
        if not self._ready:
            self._prepare()
        url = self._target(op, {})
        return await self._send(op, url, content, self._form_headers_noauth, limits, False)

    # -- lifecycle ------------------------------------------------------------------

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client's transport and its connections (idempotent).

        A session passed in as ``session=`` stays open.
        """
        if self._closed:
            return
        self._closed = True
        await self._auth.aclose()
        if self._transport is not None:
            await self._transport.aclose()

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` was called."""
        return self._closed

    @property
    def transport(self) -> Transport:
        """The transport requests go through."""
        if not self._ready:
            self._prepare()
        assert self._transport is not None
        return self._transport

    @property
    def retry(self) -> RetryPolicy:
        """The client's retry policy."""
        return self._retry

    @property
    def timeout(self) -> Timeout:
        """The client's default limits (``total`` None means the retry policy's budget)."""
        return self._timeout

    @property
    def user_agent(self) -> str:
        """The User-Agent header the client sends."""
        if not self._ready:
            self._prepare()
        return self._user_agent

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if isinstance(transport, AiohttpTransport) and transport.is_open and not self._closed:
            warnings.warn(
                f"{type(self).__name__} was never closed: use `async with` or "
                "`await client.aclose()`",
                ResourceWarning,
                stacklevel=1,
                source=self,
            )

    def _repr_fields(self) -> list[str]:
        fields = []
        if self._base_url:
            fields.append(f"base_url={self._base_url!r}")
        return fields

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self._repr_fields())})"

    # -- building requests ----------------------------------------------------------

    def _set_auth_headers(self, auth_headers: Mapping[str, str]) -> None:
        base = {"User-Agent": self._user_agent, "Accept": _JSON}
        self._headers_noauth = base
        self._form_headers_noauth = {**base, "Content-Type": _FORM}
        if auth_headers:
            base = {**base, **auth_headers}
        self._auth_headers = auth_headers
        self._headers = base
        self._form_headers = {**base, "Content-Type": _FORM}
        self._json_headers = {**base, "Content-Type": _JSON}
        self._accept_headers: dict[tuple[str | None, str], Mapping[str, str]] = {}

    def _base_headers(self, kind: str | None, accept: str) -> Mapping[str, str]:
        """The headers for a body kind (form, json, None) and an ``Accept`` value."""
        base = (
            self._form_headers
            if kind == "form"
            else (self._json_headers if kind == "json" else self._headers)
        )
        if accept == _JSON:
            return base
        # Few operations answer another type (SCIM); each combination is built once.
        key = (kind, accept)
        found = self._accept_headers.get(key)
        if found is None:
            found = self._accept_headers[key] = {**base, "Accept": accept}
        return found

    async def _call_headers(
        self,
        base: Mapping[str, str],
        extra: Mapping[str, str] | None,
        kind: str | None,
        accept: str,
        timeout: TimeoutArg,
    ) -> Mapping[str, str]:
        if self._dynamic_auth:
            value = await self._auth.current(self._call_budget(timeout), self._fetch_token)
            if value is not self._auth_headers:
                self._set_auth_headers(value)
            base = self._base_headers(kind, accept)
        if extra:
            return {**base, **extra}
        return base

    async def _chosen_headers(
        self,
        chosen: Auth,
        kind: str | None,
        accept: str,
        extra: Mapping[str, str] | None,
        timeout: TimeoutArg,
    ) -> Mapping[str, str]:
        """Headers for an operation that takes other credentials than the client's own."""
        if chosen.dynamic:
            auth = await chosen.current(self._call_budget(timeout), self._fetch_token)
        else:
            auth = chosen.headers()
        base = self._form_headers_noauth if kind == "form" else self._headers_noauth
        content_type = {"Content-Type": _JSON} if kind == "json" else {}
        return {**base, **content_type, "Accept": accept, **auth, **(extra or {})}

    def _encode_body(
        self, op: Operation, body: Mapping[str, Any] | bytes | str | None
    ) -> tuple[bytes | None, str | None]:
        """The encoded body and its kind: ``form``, ``json``, or the Content-Type of a
        multipart or raw body."""
        if isinstance(body, bytes | str):
            content = body.encode() if isinstance(body, str) else body
            return content, op.content_type or "application/octet-stream"
        if op.body == "json":
            return encode_json(body or {}), "json"
        if op.body == "multipart":
            # A fresh boundary per body: a fixed one could occur inside a file.
            boundary = os.urandom(16).hex()
            content = encode_multipart(body or {}, boundary)
            return content, f"multipart/form-data; boundary={boundary}"
        if body is not None or op.body == "form":
            return encode_form(body or {}).encode(), "form"
        return None, None

    def _call_budget(self, timeout: TimeoutArg) -> float:
        """The seconds a call with ``timeout`` may take in all."""
        limits = self._attempt_timeout if timeout is None else self._call_timeout(timeout)
        return limits.total if limits.total is not None else self._budget

    def _call_timeout(self, timeout: TimeoutArg) -> Timeout:
        if timeout is None:
            return self._attempt_timeout
        merged = merge_timeout(self._timeout, timeout)
        total = merged.total if merged.total is not None else self._retry.timeout
        return merged.with_total(total)

    # -- the Caller protocol --------------------------------------------------------

    def request(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        *,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | bytes | str | None = None,
        timeout: TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
    ) -> Awaitable[Any]:
        """Send one request: awaiting it gives the decoded body (JSON, bytes or text), or None.

        A plain function that checks the arguments, builds the URL and headers, and hands
        back the retry loop's coroutine: one coroutine frame fewer on every call than an
        ``async def`` awaiting it (the generated methods await it at once, so for their
        callers nothing changes). Only a call that must first await credentials, or that
        adds headers of its own, goes through a coroutine of this client's.

        Raises:
            ValidationError: a path parameter is missing, empty or a dot segment, or a
                value cannot be encoded (raised by the call itself).
            ApiError: the API answered with an error status (after any retries).
            ApiConnectionError: no answer came back (``ApiTimeoutError`` for time limits).
        """
        if not self._ready:
            self._prepare()
        own_type = None
        if body is None and op.body is None:
            # A GET or DELETE: no body to encode (the most frequent call, kept short).
            content = kind = None
        else:
            content, kind = self._encode_body(op, body)
            # Multipart and raw bodies carry their own Content-Type (a boundary, a media
            # type), which the shared header sets do not hold.
            if kind is not None and kind not in _BODY_KINDS:
                own_type, kind = kind, None
        accept = op.accept
        idempotent = idempotent or op.idempotent
        if op.auth and (chosen := self._auth_for(op)) is not None:
            url = self._url(op, path, query, chosen.query())
            pending = self._chosen_headers(chosen, kind, accept, headers, timeout)
            return self._send_after(pending, op, url, content, own_type, timeout, idempotent)
        # The query-less call, the most frequent, skips _url's frame.
        url = self._target(op, path)
        if query or self._auth_query:
            url = self._with_query(url, query, self._auth_query)
        base = (
            self._headers if kind is None and accept == _JSON else self._base_headers(kind, accept)
        )
        if headers or self._dynamic_auth:
            pending = self._call_headers(base, headers, kind, accept, timeout)
            return self._send_after(pending, op, url, content, own_type, timeout, idempotent)
        if own_type is not None:
            base = {**base, "Content-Type": own_type}
        return self._send(op, url, content, base, timeout, idempotent)

    async def _send_after(
        self,
        headers: Awaitable[Mapping[str, str]],
        op: Operation,
        url: str,
        content: bytes | None,
        own_type: str | None,
        timeout: TimeoutArg,
        idempotent: bool,
    ) -> Any:
        """:meth:`request` for a call whose headers must be awaited first (credentials to
        fetch, headers of its own). The call's deadline starts when this coroutine runs, as
        the fast path's does in the retry loop, not when ``request`` was called."""
        started = self._retry.clock()
        base = await headers
        if own_type is not None:
            base = {**base, "Content-Type": own_type}
        return await self._send(op, url, content, base, timeout, idempotent, None, started)

    def _pager(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        decode: Callable[[Any], T],
        query: Mapping[str, Any] | None,
        page_size: int | None,
        limit: int | None,
        timeout: TimeoutArg,
        headers: Mapping[str, str] | None,
    ) -> Pager[T]:
        if not self._ready:
            self._prepare()
        if op.paging is None:
            raise ValidationError(f"{op.id} is not a list operation")
        strategy = (
            shape_strategy(op.paging, op.paging_params)
            if op.paging_params
            else self._paging_strategies.get(op.paging)
        )
        if strategy is None:
            raise ValidationError(f"{op.id}: no paging strategy named {op.paging!r}")
        if limit is not None and limit < 0:
            raise ValidationError(f"limit must not be negative, not {limit}")
        if page_size is not None and page_size < 1:
            raise ValidationError(f"page_size must be at least 1, not {page_size}")
        if page_size is None and limit:
            page_size = limit
        if page_size is not None and op.max_page_size is not None:
            page_size = min(page_size, op.max_page_size)
        merged = {k: v for k, v in (query or {}).items() if v is not None}
        merged.update(strategy.first_query(page_size))
        chosen = self._auth_for(op) if op.auth else None
        auth_query = self._auth_query if chosen is None else chosen.query()
        if auth_query:
            merged = {**auth_query, **merged}
        path_url = self._target(op, path)
        server = op.server
        accept = op.accept

        async def fetch(url: str) -> Any:
            started = None
            if chosen is not None:
                started = self._retry.clock()
                hdrs = await self._chosen_headers(chosen, None, accept, headers, timeout)
            else:
                hdrs = self._base_headers(None, accept)
                if headers or self._dynamic_auth:
                    started = self._retry.clock()
                    hdrs = await self._call_headers(hdrs, headers, None, accept, timeout)
            return await self._send(op, url, None, hdrs, timeout, True, "GET", started)

        def follow(link: str) -> str:
            url = self._follow(server, link)
            if not auth_query:
                return url
            # A next link the server wrote may lack the API key the first page carried.
            present = {k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
            missing = [k for k in auth_query if k not in present]
            if missing:
                extra = encode_query({k: auth_query[k] for k in missing})
                url += ("&" if "?" in url else "?") + extra
            return url

        fetcher: Fetcher = (
            _with_headers(fetch) if getattr(strategy, "reads_headers", False) else fetch
        )
        return Pager(
            fetcher,
            op,
            strategy,
            decode,
            path_url,
            merged,
            encode_query,
            follow,
            max_pages=self._max_pages,
            max_empty_pages=self._max_empty_pages,
        )

    async def page(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        decode: Callable[[Any], T],
        *,
        query: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        timeout: TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> Page[T]:
        """Fetch the first page of a list operation (``await page.next_page()`` goes on)."""
        pager = self._pager(op, path, decode, query, page_size, None, timeout, headers)
        return await pager.first()

    def pages(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        decode: Callable[[Any], T],
        *,
        query: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> PageIterator[T]:
        """Iterate the pages of a list operation, fetching one page ahead.

        ``limit`` caps the items handed out (the last page is cut short). Stopping early
        (``break``) cancels the fetch ahead; ``await it.aclose()`` also waits for it.
        """
        pager = self._pager(op, path, decode, query, page_size, limit, timeout, headers)
        return PageIterator(pager, limit=limit, prefetch=self._prefetch)

    def stream(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        decode: Callable[[Any], T],
        *,
        query: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> StreamIterator[T]:
        """Iterate the items of a list operation lazily, at most ``limit`` of them."""
        return StreamIterator(
            self.pages(
                op,
                path,
                decode,
                query=query,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                headers=headers,
            )
        )

    async def list(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        decode: Callable[[Any], T],
        *,
        query: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> list[T]:
        """Collect the items of a list operation, at most ``limit`` of them."""
        pages: AsyncIterator[Page[T]] = self.pages(
            op,
            path,
            decode,
            query=query,
            page_size=page_size,
            limit=limit,
            timeout=timeout,
            headers=headers,
        )
        return await collect(pages)


def _with_headers(fetch: Fetcher) -> Fetcher:
    """``fetch`` returning a :class:`HeadedBody`, for a strategy that reads headers.

    Only such a strategy pays for them: the response log the retry loop already fills
    is opened around each of its fetches.
    """

    async def fetch_headed(url: str) -> HeadedBody:
        with capture_responses() as log:
            body = await fetch(url)
        return HeadedBody(body, log.last.headers)

    return fetch_headed


_C = TypeVar("_C", bound=BaseClient)
