"""The provider-neutral client every provider client builds on.

:class:`BaseClient` implements the :class:`~trunkline._operation.Caller` protocol that
generated services call: it resolves hosts, fills and quotes paths, encodes queries and
bodies, authenticates, retries within one deadline, decodes answers and errors, and pages.
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

import contextlib
import json
import os
import re
import sys
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from trunkline._auth import Auth
from trunkline._encoding import (
    encode_form,
    encode_json,
    encode_multipart,
    encode_query,
    quote_path_value,
)
from trunkline._errors import (
    MAX_BODY_CHARS,
    ApiConnectionError,
    ApiError,
    PagingError,
    UsageError,
    ValidationError,
    error_class_for_status,
    safe_url,
)
from trunkline._operation import Operation, Timeout, TimeoutArg
from trunkline._paging import (
    MAX_EMPTY_PAGES,
    STRATEGIES,
    Page,
    PageIterator,
    Pager,
    PagingStrategy,
    StreamIterator,
    collect,
)
from trunkline._paging_shapes import shape_strategy
from trunkline._retry import (
    RETRY_STATUSES,
    RetryBudget,
    RetryPolicy,
    is_retryable,
    parse_retry_after,
)
from trunkline._transport import (
    MAX_RESPONSE_BYTES,
    AiohttpTransport,
    Request,
    Response,
    Transport,
)
from trunkline._version import VERSION

if TYPE_CHECKING:
    import logging

    import aiohttp

    from trunkline.limits import Limiter

__all__ = ["BaseClient", "ErrorInfo", "Handler", "Middleware"]

T = TypeVar("T")

Handler = Callable[[Request], Awaitable[Response]]
"""Sends one request: the transport, or the next middleware in the chain."""

Middleware = Callable[[Request, Handler], Awaitable[Response]]
"""``async def mw(request, handler) -> response``: wraps every attempt of every request.

Middlewares run outermost first, see each retry as its own request (``request.attempt``),
and may read ``request.operation`` for metrics and tracing.
"""

# logging costs ≈ 3 ms to import and aiohttp imports it anyway, so the "trunkline" logger is
# fetched when the first request goes out (``_logger()``), not when trunkline is imported.
_log: logging.Logger | None = None
_DEBUG = 10  # logging.DEBUG
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
_BODY_KINDS = frozenset({"form", "json"})
_VAR = re.compile(r"\{([^{}]+)\}")
# Plain values skip quoting; "." and ".." do not count (quote_path_value refuses them).
_PLAIN = re.compile(r"(?!\.\.?$)[A-Za-z0-9._~-]+").fullmatch
# Characters a server's next-page link may hold as they are; anything else is quoted.
_LINK_SAFE = "/:?#[]@!$&'()*+,;=%~-._"
# JSON between systems is UTF-8 (RFC 8259); decoding it directly skips json.loads's
# encoding detection, a measurable share of a small response's cost.
_stdlib_decode = json.JSONDecoder().decode
_DEFAULT_TIMEOUT = Timeout(connect=10.0)
_PYTHON = "{}.{}.{}".format(*sys.version_info[:3])


class ErrorInfo(NamedTuple):
    """What a provider's error body says."""

    code: int | str | None = None
    message: str | None = None
    more_info: str | None = None
    details: Any = None


class _Server(NamedTuple):
    logical_origin: str
    actual_origin: str
    actual_base: str


def _compile_path(path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``/a/{X}/b/{Y}`` -> ``("/a/", (("X", "/b/"), ("Y", "")))``."""
    parts = _VAR.split(path)
    return parts[0], tuple(zip(parts[1::2], parts[2::2], strict=True))


def _chain(handler: Handler, middlewares: Iterable[Middleware]) -> Handler:
    for mw in reversed(list(middlewares)):
        handler = _link(mw, handler)
    return handler


def _link(mw: Middleware, inner: Handler) -> Handler:
    async def call(request: Request) -> Response:
        return await mw(request, inner)

    return call


class BaseClient:
    """A client for one provider's APIs: transport, auth, retries, timeouts and paging.

    Args:
        auth: how requests authenticate (:mod:`trunkline._auth`); None sends no
            credentials.
        base_url: send every request to this server instead (``http://127.0.0.1:8080``);
            the path is kept, a path in ``base_url`` goes in front of it.
        hosts: send requests for one host elsewhere (``{"verify.twilio.com":
            "http://127.0.0.1:8080"}``); ``base_url`` wins when both are given.
        server_variables: values for ``{variables}`` in operations' server URLs.
        session: an aiohttp session to use; it stays open when the client closes.
        transport: a transport to use instead of aiohttp (for example
            :class:`~trunkline.MockTransport`); closed with the client.
        timeout: default limits for every call, in seconds: a number is the whole call,
            a :class:`~trunkline.Timeout` sets total, connect and read separately.
        retry: the retry policy (default :class:`~trunkline.RetryPolicy()`).
        max_connections: the most connections open at once; more concurrent requests
            wait for one to free up (our own session only).
        middlewares: ``async (request, handler) -> response`` functions wrapped around
            every attempt, outermost first.
        prefetch: fetch the next page of a list while the caller handles the current one.
        max_response_bytes: the most bytes one response body may have, counted after
            decompression (our own aiohttp transport; default 16 MiB); past it the call
            raises :class:`~trunkline.ResponseTooLargeError`.
        max_pages: the most pages one list call fetches (None: no limit); past it the
            iteration raises :class:`~trunkline.PagingError`.
        max_empty_pages: the most empty pages in a row that still point at a next page
            before the iteration raises :class:`~trunkline.PagingError` (default 3).

        limiter: a :class:`~trunkline.limits.Limiter`, run as the innermost middleware so
            every attempt (a retry of a 429 too) takes a slot and keeps its pace.

    The client is bound to the event loop of its first request: one client per loop.

    Raises:
        ValidationError: an argument is malformed (named in the message).
    """

    _request_id_header: ClassVar[str] = "X-Request-Id"
    _paging_strategies: ClassVar[Mapping[str, PagingStrategy]] = STRATEGIES

    def __init__(
        self,
        *,
        auth: Auth | None = None,
        base_url: str | None = None,
        hosts: Mapping[str, str] | None = None,
        server_variables: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        timeout: TimeoutArg = None,
        retry: RetryPolicy | None = None,
        max_connections: int = 100,
        middlewares: Iterable[Middleware] = (),
        prefetch: bool = True,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        max_pages: int | None = None,
        max_empty_pages: int = MAX_EMPTY_PAGES,
        limiter: Limiter | None = None,
    ) -> None:
        if session is not None and transport is not None:
            raise ValidationError("pass either session or transport, not both")
        if max_connections < 1:
            raise ValidationError(f"max_connections must be at least 1, not {max_connections}")
        if max_pages is not None and max_pages < 1:
            raise ValidationError(f"max_pages must be at least 1 or None, not {max_pages!r}")
        if max_empty_pages < 0:
            raise ValidationError(f"max_empty_pages must not be negative, not {max_empty_pages!r}")
        self._max_response_bytes = max_response_bytes
        self._max_pages = max_pages
        self._max_empty_pages = max_empty_pages
        self._closed = False
        self._auth = auth if auth is not None else Auth()
        self._dynamic_auth = self._auth.dynamic
        self._auth_query = self._auth.query()
        self._base_url = _check_base_url("base_url", base_url) if base_url else None
        self._hosts = {
            k.lower(): _check_base_url(f"hosts[{k!r}]", v) for k, v in (hosts or {}).items()
        }
        self._server_variables = dict(server_variables or {})
        self._servers: dict[str, _Server] = {}
        self._templates: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
        self._retry = retry if retry is not None else RetryPolicy()
        self._retry_budget = RetryBudget(self._retry)
        self._timeout = _merge_timeout(_DEFAULT_TIMEOUT, timeout)
        budget = self._timeout.total if self._timeout.total is not None else self._retry.timeout
        self._budget = budget
        self._attempt_timeout = Timeout(
            total=budget, connect=self._timeout.connect, read=self._timeout.read
        )
        self._prefetch = prefetch
        self._session = session
        self._max_connections = max_connections
        self._middlewares = tuple(middlewares)
        if limiter is not None:
            self._middlewares += (limiter.middleware(self.default_path_param("AccountSid")),)
        self._transport: Transport | None = transport
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
        self._handler: Handler = _chain(transport.send, self._middlewares)
        self._ready = True

    # -- provider hooks -------------------------------------------------------------

    def _resolve_host(self, host: str) -> str:
        """The host to contact for a spec's host (variables already filled).

        The default keeps it; Twilio inserts region and edge.
        """
        return host

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
        url = self._server(op.server).actual_base + self._path(op, {})
        return await self._send(op, url, content, self._form_headers_noauth, limits, False)

    def _error_info(self, status: int, body: Any) -> ErrorInfo:
        """Read a provider's error JSON body (already decoded) into :class:`ErrorInfo`.

        The default reads Twilio's ``{code, message, more_info, details}``, OAuth's
        ``{error, error_description}`` and a JSON:API-like ``{errors: [...]}``.
        """
        if not isinstance(body, Mapping):
            return ErrorInfo()
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            first = errors[0]
            return ErrorInfo(
                code=_code(first.get("code")),
                message=_text(first.get("message") or first.get("detail")),
                more_info=_text(first.get("url") or first.get("more_info")),
                details=errors,
            )
        message = body.get("message") or body.get("error_description") or body.get("error")
        return ErrorInfo(
            code=_code(body.get("code")),
            message=_text(message),
            more_info=_text(body.get("more_info")),
            details=body.get("details"),
        )

    def default_path_param(self, name: str) -> str | None:
        """A value for a path parameter the caller left out; none by default."""
        return None

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

    def _server(self, server: str) -> _Server:
        known = self._servers.get(server)
        if known is not None:
            return known
        filled = _VAR.sub(self._variable, server)
        parts = urlsplit(filled)
        if not parts.scheme or not parts.netloc:
            raise ValidationError(f"operation server {server!r} is not an absolute URL")
        host = self._resolve_host(parts.netloc.lower())
        logical = f"{parts.scheme}://{host}"
        actual = self._base_url or self._hosts.get(host) or self._hosts.get(parts.netloc.lower())
        actual_origin = actual or logical
        resolved = _Server(logical, actual_origin, actual_origin + parts.path.rstrip("/"))
        self._servers[server] = resolved
        return resolved

    def _variable(self, match: re.Match[str]) -> str:
        name = match.group(1)
        value = self._server_variables.get(name)
        if not value:
            raise ValidationError(f"the server URL needs {name!r}, which this client was not given")
        return value

    def _path(self, op: Operation, path: Mapping[str, str]) -> str:
        template = op.path
        compiled = self._templates.get(template)
        if compiled is None:
            compiled = self._templates[template] = _compile_path(template)
        out, pairs = compiled
        for name, literal in pairs:
            value = path.get(name)
            if value is None:
                value = self.default_path_param(name)
                if value is None:
                    raise ValidationError(f"{op.id}: path parameter {name!r} is required")
            # The common case, a SID or plain identity, needs neither checks nor quoting.
            if value.__class__ is not str or not _PLAIN(value):
                value = quote_path_value(name, value)
            out += value + literal
        return out

    def _url(
        self,
        op: Operation,
        path: Mapping[str, str],
        query: Mapping[str, Any] | None,
        auth_query: Mapping[str, str] | None = None,
    ) -> str:
        url = self._server(op.server).actual_base + self._path(op, path)
        auth_query = self._auth_query if auth_query is None else auth_query
        if auth_query:
            query = {**auth_query, **(query or {})}
        if query:
            qs = encode_query(query)
            if qs:
                return f"{url}?{qs}"
        return url

    def _follow(self, server: str, link: str) -> str:
        """The URL to send for a next-page link, kept on the operation's own host.

        The link is sent as the server wrote it (it goes to aiohttp as already encoded),
        except that characters a URL cannot hold as they are get percent-quoted.
        """
        resolved = self._server(server)
        link = quote(link, safe=_LINK_SAFE)
        if link.startswith("/"):
            return resolved.actual_origin + link
        lowered = link.lower()
        for origin in (resolved.logical_origin, resolved.actual_origin):
            if lowered.startswith(origin.lower()):
                rest = link[len(origin) :]
                if not rest or rest[0] in "/?":
                    return resolved.actual_origin + rest
        if "://" in link:
            raise PagingError(
                f"the next-page link {safe_url(link)!r} leaves {resolved.logical_origin};"
                " not following it"
            )
        return urljoin(resolved.actual_origin + "/", link)

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
        merged = _merge_timeout(self._timeout, timeout)
        total = merged.total if merged.total is not None else self._retry.timeout
        return Timeout(total=total, connect=merged.connect, read=merged.read)

    # -- sending --------------------------------------------------------------------

    async def _send(
        self,
        op: Operation,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str],
        timeout: TimeoutArg,
        idempotent: bool,
        method: str | None = None,
        started: float | None = None,
    ) -> Any:
        """Send with retries inside one deadline; return the decoded JSON body or None.

        ``started`` is when the call began (``time.monotonic()``), when getting its
        credentials already took part of its budget.
        """
        limits = self._attempt_timeout if timeout is None else self._call_timeout(timeout)
        budget = limits.total if limits.total is not None else self._budget
        if method is None:
            method = op.method
        retry = self._retry
        tokens = self._retry_budget
        handler = self._handler
        log = _log or _logger()
        start = time.monotonic()
        deadline = (start if started is None else started) + budget
        if started is not None:
            limits = Timeout(
                total=max(deadline - start, 0.001), connect=limits.connect, read=limits.read
            )
        attempt = 0
        spent = 0
        while True:
            attempt += 1
            if attempt > 1:
                limits = Timeout(
                    total=max(deadline - time.monotonic(), 0.001),
                    connect=limits.connect,
                    read=limits.read,
                )
            request = Request(method, url, headers, content, limits, op, attempt)
            try:
                response = await handler(request)
            except ApiConnectionError as exc:
                exc.method, exc.url, exc.attempts = method, url, attempt
                exc.template = op.path
                if log.isEnabledFor(_DEBUG):
                    log.debug(
                        "%s %s failed after %.1f ms (attempt %d): %s",
                        method,
                        safe_url(url, op.path),
                        (time.monotonic() - start) * 1000,
                        attempt,
                        exc.message,
                    )
                if attempt < retry.attempts and is_retryable(idempotent=idempotent, error=exc):
                    delay = retry.wait(attempt)
                    cost = tokens.cost(exc)
                    if time.monotonic() + delay < deadline and tokens.spend(cost):
                        spent = cost
                        _log_retry(method, safe_url(url, op.path), delay, attempt)
                        await _sleep(delay)
                        continue
                raise
            status = response.status
            if log.isEnabledFor(_DEBUG):
                self._log_response(request, response, start)
            if 200 <= status < 300:
                tokens.refund(spent)
                body = response.content
                if not body:
                    if op.requires_content:
                        raise self._api_error(
                            response,
                            method,
                            url,
                            attempt,
                            f"{op.id}: the API answered {status} with no body, where the"
                            " spec promises one",
                            template=op.path,
                        )
                    return None
                if op.response != "json":
                    return body if op.response == "bytes" else _decode_text(body, response)
                try:
                    return _decode_json(body)
                except ValueError:
                    raise self._api_error(
                        response,
                        method,
                        url,
                        attempt,
                        "the response body is not valid JSON",
                        template=op.path,
                    ) from None
            if (
                status in RETRY_STATUSES
                and attempt < retry.attempts
                and is_retryable(idempotent=idempotent, status=status)
            ):
                delay = retry.wait(attempt, parse_retry_after(response.headers))
                cost = tokens.cost(None)
                if time.monotonic() + delay < deadline and tokens.spend(cost):
                    spent = cost
                    _log_retry(method, safe_url(url, op.path), delay, attempt)
                    await _sleep(delay)
                    continue
            if status == 401 and self._dynamic_auth:
                self._auth.forget()
            raise self._api_error(response, method, url, attempt, template=op.path)

    def _log_response(self, request: Request, response: Response, start: float) -> None:
        _logger().debug(
            "%s %s -> %d in %.1f ms (attempt %d, request id %s)",
            request.method,
            safe_url(request.url, request.operation.path if request.operation else ""),
            response.status,
            (time.monotonic() - start) * 1000,
            request.attempt,
            self._request_id(response),
        )

    def _request_id(self, response: Response) -> str | None:
        """The provider's request id of a response (``_request_id_header``)."""
        return response.header(self._request_id_header)

    def _api_error(
        self,
        response: Response,
        method: str,
        url: str,
        attempts: int,
        fallback: str | None = None,
        *,
        template: str = "",
    ) -> ApiError:
        raw = response.content
        text = raw[: MAX_BODY_CHARS * 4].decode("utf-8", "replace")[:MAX_BODY_CHARS]
        info = ErrorInfo()
        if fallback is None and raw:
            # RecursionError: a body nested deeper than the interpreter's stack.
            with contextlib.suppress(ValueError, RecursionError):
                info = self._error_info(response.status, json.loads(raw))
        message = fallback or info.message or text.strip() or _phrase(response.status)
        cls = error_class_for_status(response.status) if fallback is None else ApiError
        return cls(
            response.status,
            message,
            code=info.code,
            more_info=info.more_info,
            details=info.details,
            method=method,
            url=url,
            template=template,
            request_id=self._request_id(response),
            attempts=attempts,
            body=text,
        )

    # -- the Caller protocol --------------------------------------------------------

    async def request(
        self,
        op: Operation,
        path: Mapping[str, str],
        *,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | bytes | str | None = None,
        timeout: TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
    ) -> Any:
        """Send one request; return the decoded body (JSON, bytes or text), or None.

        Raises:
            ValidationError: a path parameter is missing, empty or a dot segment, or a
                value cannot be encoded.
            ApiError: the API answered with an error status (after any retries).
            ApiConnectionError: no answer came back (``ApiTimeoutError`` for time limits).
        """
        if not self._ready:
            self._prepare()
        content, kind = self._encode_body(op, body)
        # Multipart and raw bodies carry their own Content-Type (a boundary, a media type),
        # which the shared header sets do not hold.
        own_type = None if kind is None or kind in _BODY_KINDS else kind
        if own_type is not None:
            kind = None
        accept = op.accept
        started = None
        if op.auth and (chosen := self._auth_for(op)) is not None:
            url = self._url(op, path, query, chosen.query())
            started = time.monotonic()
            base = await self._chosen_headers(chosen, kind, accept, headers, timeout)
        else:
            url = self._url(op, path, query)
            base = self._base_headers(kind, accept)
            if headers or self._dynamic_auth:
                started = time.monotonic()
                base = await self._call_headers(base, headers, kind, accept, timeout)
        if own_type is not None:
            base = {**base, "Content-Type": own_type}
        return await self._send(
            op, url, content, base, timeout, idempotent or op.idempotent, started=started
        )

    def _pager(
        self,
        op: Operation,
        path: Mapping[str, str],
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
        path_url = self._server(op.server).actual_base + self._path(op, path)
        server = op.server
        accept = op.accept

        async def fetch(url: str) -> Any:
            started = None
            if chosen is not None:
                started = time.monotonic()
                hdrs = await self._chosen_headers(chosen, None, accept, headers, timeout)
            else:
                hdrs = self._base_headers(None, accept)
                if headers or self._dynamic_auth:
                    started = time.monotonic()
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

        return Pager(
            fetch,
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
        path: Mapping[str, str],
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
        path: Mapping[str, str],
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
        path: Mapping[str, str],
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
        path: Mapping[str, str],
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


_C = TypeVar("_C", bound=BaseClient)


def _merge_timeout(base: Timeout, override: TimeoutArg) -> Timeout:
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
    return Timeout(total=float(override), connect=base.connect, read=base.read)


def _check_base_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            f"{name} must be an http(s) URL like http://127.0.0.1:8080, not {url!r}"
        )
    if "@" in parts.netloc:
        raise ValidationError(f"{name} must not carry credentials; pass them to the client instead")
    if parts.query or parts.fragment:
        raise ValidationError(f"{name} must not have a query or fragment")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _decode_stdlib(body: bytes) -> Any:
    """Decode a JSON body with the standard library (ValueError for any failure)."""
    try:
        return _stdlib_decode(body.decode())
    except RecursionError:
        # A hostile body nested deeper than the interpreter's stack.
        raise ValueError("the JSON body is nested too deeply") from None


def _json_decoder() -> Callable[[bytes], Any]:
    """orjson's decoder when orjson is installed (the ``speed`` extra), else the stdlib's.

    Whatever orjson rejects goes on to the standard library, so a body is an error with
    either decoder or with neither; only the rare values the stdlib takes and orjson does
    not (NaN, lone surrogates, nesting past 1,024 levels) pay for the second try. One
    difference stays: orjson decodes integers beyond 64 bits as floats.
    """
    try:
        from orjson import loads
    except ImportError:
        return _decode_stdlib

    def decode(body: bytes) -> Any:
        try:
            return loads(body)
        except ValueError:
            return _decode_stdlib(body)

    return decode


def _decode_first(body: bytes) -> Any:
    # orjson pulls in dataclasses, uuid and inspect (≈ 14 ms on a bare interpreter, under
    # 1 ms once aiohttp is loaded), so it is chosen on the first decoded answer, not at import.
    global _decode_json
    _decode_json = _json_decoder()
    return _decode_json(body)


_decode_json: Callable[[bytes], Any] = _decode_first


def _logger() -> logging.Logger:
    global _log
    if _log is None:
        import logging

        _log = logging.getLogger("trunkline")
    return _log


def _log_retry(method: str, shown: str, delay: float, attempt: int) -> None:
    log = _logger()
    if log.isEnabledFor(_DEBUG):
        log.debug(
            "%s %s: retrying in %.2f s (attempt %d failed)",
            method,
            shown,
            delay,
            attempt,
        )


async def _sleep(delay: float) -> None:
    # asyncio is loaded by the time anything awaits; importing it here keeps it out of
    # `import trunkline` and client construction.
    import asyncio

    await asyncio.sleep(delay)


def _code(value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return value
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP status {status}"


def _decode_text(body: bytes, response: Response) -> str:
    """A text body decoded by its declared charset (UTF-8 when none is named)."""
    declared = response.header("Content-Type") or ""
    charset = "utf-8"
    for part in declared.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"')
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")
