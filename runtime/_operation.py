"""The seam between generated services and the runtime.

Generated service classes describe each API operation once, as a module-level
:class:`Operation`, and hand it with the call's arguments to a :class:`Caller`
(every provider client is one). The runtime turns that into HTTP: it resolves the
host, fills and quotes the path, encodes query and body, authenticates, retries,
times out, pages and decodes errors. Generated code never touches aiohttp.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TypeVar

from trunkline._values import Frozen

if TYPE_CHECKING:
    from trunkline._paging import Page

__all__ = [
    "BodyKind",
    "Caller",
    "ClosingAsyncIterator",
    "Operation",
    "PagingKind",
    "PathArg",
    "ResponseKind",
    "Timeout",
    "TimeoutArg",
    "body_bytes",
    "body_text",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

BodyKind = Literal["form", "json", "multipart", "binary", "text"]
"""How a request body is encoded: form (repeated keys for lists), JSON, multipart form
data (files as parts), or the caller's own bytes (``binary``) or text (``text``)."""

ResponseKind = Literal["json", "bytes", "text"]
"""What a success body is handed back as: decoded JSON, the raw bytes, or text."""

PagingKind = Literal[
    "twilio_meta",
    "twilio_2010",
    "twilio_token",
    "twilio_camel_token",
    "signalwire_links",
    "ziggeo_offset",
    "next_link",
    "next_cursor",
    "cursor_after",
    "link_header",
    "page_number",
    "offset_total",
]
"""Which paging strategy a list operation follows."""


class ClosingAsyncIterator(Protocol[T_co]):
    """An async iterator that can be closed early (``contextlib.aclosing`` accepts it).

    Spelled out rather than derived from ``AsyncIterator``: Python 3.11 does not let a
    protocol inherit from that ABC.
    """

    def __aiter__(self) -> ClosingAsyncIterator[T_co]: ...

    async def __anext__(self) -> T_co: ...

    async def aclose(self) -> None:
        """Stop iterating and wait until the fetch ahead, if any, has let go."""
        ...


class Timeout(Frozen):
    """Time limits in seconds for one call; ``None`` leaves a limit to the client default.

    Args:
        total: the whole call, across every retry (the retry budget's deadline).
        connect: establishing one connection.
        read: waiting for the first byte of one response.
    """

    _fields = ("total", "connect", "read")
    __slots__ = _fields
    total: float | None
    connect: float | None
    read: float | None

    def __init__(
        self, total: float | None = None, connect: float | None = None, read: float | None = None
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "total", total)
        setattr_(self, "connect", connect)
        setattr_(self, "read", read)

    def with_total(self, total: float | None) -> Timeout:
        """These connect and read limits with another ``total``."""
        return Timeout(total, self.connect, self.read)


TimeoutArg = float | Timeout | None
"""A per-call timeout: seconds for the whole call, a :class:`Timeout`, or None."""


class PathArg(NamedTuple):
    """What the client checks of one path parameter's value before it builds the URL.

    An :class:`Operation` lists them once (``path_args``), so a generated method hands its
    path values over as they are and the check runs where the value is quoted into the
    path: a SID of the right length costs a length test, not a call per rule.

    Args:
        wire: the spec's parameter name, the value's key in the call's ``path``.
        name: the Python argument, as error messages name it.
        min_length: the spec's ``minLength``, if any.
        max_length: the spec's ``maxLength``, if any.
        default: the client fills the value when it is None or empty (Twilio's
            ``AccountSid``: the client's own account).
    """

    wire: str
    name: str
    min_length: int | None = None
    max_length: int | None = None
    default: bool = False


class Operation(Frozen):
    """One API operation as the spec describes it.

    Args:
        id: the spec's operationId (``CreateChallenge``), for logs and hooks.
        method: the HTTP method, upper case.
        server: the spec's server URL (``https://verify.twilio.com``); it may hold
            variables in braces (``https://{space}.signalwire.com``) the client fills.
        path: the path template with the spec's parameter names
            (``/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges``).
        body: how the request body is encoded, or None when it has none.
        content_type: the ``Content-Type`` of a ``binary`` or ``text`` body
            (``application/octet-stream``, ``application/xml``).
        paging: the paging strategy of a list operation, or None.
        items_key: the response property that holds a list page's items.
        max_page_size: the largest page size the API accepts (Twilio: 1000).
        idempotent: True when repeating the request cannot duplicate an effect; left
            out, True for GET, HEAD, OPTIONS, PUT and DELETE, False for POST and PATCH.
        accept: the ``Accept`` header: the media type(s) the spec says the operation
            answers with (``application/scim+json``); any ``+json`` type decodes as JSON.
        response: how a success body is returned: JSON decoded, or as ``bytes`` (binary
            media types) or ``str`` (``text/*`` and XML), per the spec's response media.
        requires_content: every success answer the spec describes has a body, so an
            empty one (a 204) raises :class:`~trunkline.ApiError` naming the operation
            instead of handing None to a method that decodes a model.
        auth: the kinds of credentials the spec accepts (``"basic"``, ``"bearer"``,
            ``"oauth2"``) when it offers more than HTTP Basic; empty means the client's
            credentials as configured. A provider client picks among them per call
            (a generated spec client: the spec's scheme names, see ``_generic.py``).
        paging_params: for a paging shape (``next_cursor``, ...), its parameter names
            and where the next page is in the body (see ``_paging_shapes.py``).
        path_args: the checks of the path parameters (see :class:`PathArg`); a path
            parameter not listed arrives checked by the generated method, or unchecked
            from hand-written code (then it only must not be empty or a dot segment).
    """

    _fields = (
        "id",
        "method",
        "server",
        "path",
        "body",
        "paging",
        "items_key",
        "max_page_size",
        "idempotent",
        "accept",
        "content_type",
        "response",
        "requires_content",
        "auth",
        "paging_params",
        "path_args",
    )
    __slots__ = (*_fields, "compiled_path")
    id: str
    method: str
    server: str
    path: str
    body: BodyKind | None
    paging: PagingKind | None
    items_key: str | None
    max_page_size: int | None
    idempotent: bool
    accept: str
    content_type: str | None
    response: ResponseKind
    requires_content: bool
    auth: tuple[str, ...]
    paging_params: tuple[str, ...]
    path_args: tuple[PathArg, ...]
    # The path template compiled with path_args, filled in by the client on first use
    # (trunkline._urls); not part of the operation's identity.
    compiled_path: Any

    def __init__(
        self,
        id: str,
        method: str,
        server: str,
        path: str,
        body: BodyKind | None = None,
        paging: PagingKind | None = None,
        items_key: str | None = None,
        max_page_size: int | None = None,
        idempotent: bool | None = None,
        accept: str = "application/json",
        content_type: str | None = None,
        response: ResponseKind = "json",
        requires_content: bool = False,
        auth: tuple[str, ...] = (),
        paging_params: tuple[str, ...] = (),
        path_args: tuple[PathArg, ...] = (),
    ) -> None:
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")
        setattr_ = object.__setattr__
        setattr_(self, "id", id)
        setattr_(self, "method", method)
        setattr_(self, "server", server)
        setattr_(self, "path", path)
        setattr_(self, "body", body)
        setattr_(self, "paging", paging)
        setattr_(self, "items_key", items_key)
        setattr_(self, "max_page_size", max_page_size)
        setattr_(self, "idempotent", idempotent)
        setattr_(self, "accept", accept)
        setattr_(self, "content_type", content_type)
        setattr_(self, "response", response)
        setattr_(self, "requires_content", requires_content)
        setattr_(self, "auth", auth)
        setattr_(self, "paging_params", paging_params)
        setattr_(self, "path_args", path_args)
        setattr_(self, "compiled_path", None)


def body_bytes(value: Any) -> bytes:
    """A binary response body as the runtime hands it back (an empty one is ``b""``)."""
    return value if isinstance(value, bytes) else b""


def body_text(value: Any) -> str:
    """A text response body as the runtime hands it back (an empty one is ``""``)."""
    return value if isinstance(value, str) else ""


class Caller(Protocol):
    """What a generated service needs of a client.

    ``path`` maps the spec's path parameter names to values (quoted by the runtime);
    ``query`` and ``body`` map wire names to Python values, ``None`` values left out.
    Values are encoded by type: ``bool`` as ``true``/``false``, lists as repeated keys
    (form and query), ``dict`` as a JSON string in a form or query, datetimes as ISO
    8601, enums by value. A JSON body is sent as the mapping itself, a multipart body as
    parts (files among them), a ``binary`` or ``text`` body as the bytes or str given.
    """

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
        """Send one request: awaiting it gives the decoded body (see ``Operation.response``)
        or None. An ``async def`` satisfies this as well as a function returning a coroutine."""
        ...

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
        """Fetch the first page of a list operation."""
        ...

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
    ) -> ClosingAsyncIterator[Page[T]]:
        """Iterate the pages of a list operation, fetching one page ahead."""
        ...

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
    ) -> ClosingAsyncIterator[T]:
        """Iterate the items of a list operation lazily, at most ``limit`` of them."""
        ...

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
        ...

    def default_path_param(self, name: str) -> str | None:
        """A value for a path parameter the caller left out (Twilio: ``AccountSid``)."""
        ...
