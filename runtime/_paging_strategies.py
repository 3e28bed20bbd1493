"""Paging strategies: how one API's list pages hold their items and point at the next page.

A list operation names its strategy (:data:`~trunkline._operation.PagingKind`); a
:class:`PagingStrategy` knows how that API asks for a page size, where the items are in a
page, and how the next page is addressed: by a link (Twilio ``meta.next_page_url``,
Twilio 2010 ``next_page_uri``, SignalWire ``links.next``) or by query parameters (Ziggeo
``skip``/``limit``, Twilio ``meta.next_token`` sent back as ``Token``, Twilio's camelCase
``meta.nextToken`` sent back as ``pageToken``). :data:`STRATEGIES` holds them by name; a
provider client can add its own (see :class:`~trunkline._client.BaseClient`). The common
shapes of other vendors are in ``_paging_shapes.py``; the driver that fetches and bounds
pages is ``_paging.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from trunkline._errors import PagingError
from trunkline._operation import Operation

__all__ = [
    "STRATEGIES",
    "PageRef",
    "PagingStrategy",
    "ParsedPage",
    "link",
    "offset_strategy",
    "page_items",
    "signalwire_links",
    "twilio_2010",
    "twilio_camel_token",
    "twilio_meta",
    "twilio_token",
    "ziggeo_offset",
]

PageRef = str | Mapping[str, Any]
"""Where the next page is: a URL (absolute or relative to the host) or query parameters."""


def link(value: Any, name: str) -> str | None:
    """A next/previous link a strategy read from a page: a string, or None when absent.

    Raises:
        PagingError: the server put something else there (a number, list, object...).
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PagingError(f"the page's {name} is a {type(value).__name__}, not a link string")
    return value


class ParsedPage:
    """What a strategy read from one page's body.

    Args:
        items: the raw (undecoded) items.
        next: where the next page is, or None on the last page.
        previous: where the previous page is, if the API says.
        number: the page's number, if the API says.
        size: the page size, if the API says.
        url: this page's own URL, if the API says.
        meta: the raw paging metadata, for whoever needs more.
    """

    __slots__ = ("items", "meta", "next", "number", "previous", "size", "url")

    def __init__(
        self,
        items: Sequence[Any],
        next: PageRef | None,
        previous: PageRef | None = None,
        number: int | None = None,
        size: int | None = None,
        url: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.items = items
        self.next = next
        self.previous = previous
        self.number = number
        self.size = size
        self.url = url
        self.meta: Mapping[str, Any] = meta if meta is not None else {}

    def __repr__(self) -> str:
        return f"ParsedPage(items={len(self.items)}, next={self.next!r})"


class PagingStrategy(Protocol):
    """How one API pages its lists."""

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        """Query parameters that ask for the first page (page size included)."""
        ...

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        """Read one page's body; ``query`` is what was asked for (offset strategies)."""
        ...


def page_items(body: Any, key: str | None) -> Sequence[Any]:
    """The items of a list page: under ``key``, or the body's first list, or the body itself."""
    if isinstance(body, list):
        return body
    if not isinstance(body, Mapping):
        raise PagingError(f"a list page must be a JSON object or array, not {type(body).__name__}")
    if key is not None:
        items = body.get(key)
        if isinstance(items, list):
            return items
        if items is None and key not in body:
            raise PagingError(f"the list page has no {key!r} member")
        return [] if items is None else [items]
    for value in body.values():
        if isinstance(value, list):
            return value
    raise PagingError("the list page holds no list of items")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _SizedFirstPage:
    """The first page is asked for by its page size alone, under ``page_size_param``."""

    page_size_param: str

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {self.page_size_param: page_size} if page_size else {}


class _TwilioMeta(_SizedFirstPage):
    """Twilio's versioned APIs: ``meta`` with ``next_page_url``, ``key``, ``page``."""

    page_size_param = "PageSize"

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        meta = body.get("meta") if isinstance(body, Mapping) else None
        if not isinstance(meta, Mapping):
            meta = {}
        # The spec names the items; a response's own ``meta.key`` is only a fallback, since
        # mocks and some APIs fill it with a placeholder ("string") or a stale name.
        key = op.items_key or meta.get("key")
        return ParsedPage(
            items=page_items(body, key if isinstance(key, str) else None),
            next=link(meta.get("next_page_url"), "meta.next_page_url"),
            previous=link(meta.get("previous_page_url"), "meta.previous_page_url"),
            number=_int(meta.get("page")),
            size=_int(meta.get("page_size")),
            url=meta.get("url"),
            meta=meta,
        )


_2010_META = (
    "end",
    "first_page_uri",
    "next_page_uri",
    "page",
    "page_size",
    "previous_page_uri",
    "start",
    "uri",
)


class _Twilio2010(_SizedFirstPage):
    """Twilio's 2010 API: top-level ``next_page_uri``, relative to the host."""

    page_size_param = "PageSize"

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        if not isinstance(body, Mapping):
            raise PagingError("a 2010 API list page must be a JSON object")
        key = op.items_key
        if key is None:
            key = next((k for k, v in body.items() if isinstance(v, list)), None)
        return ParsedPage(
            items=page_items(body, key),
            next=link(body.get("next_page_uri"), "next_page_uri"),
            previous=link(body.get("previous_page_uri"), "previous_page_uri"),
            number=_int(body.get("page")),
            size=_int(body.get("page_size")),
            url=body.get("uri"),
            meta={k: body[k] for k in _2010_META if k in body},
        )


class _TwilioToken(_SizedFirstPage):
    """Twilio's token-paged lists (Numbers porting): ``meta.next_token`` goes back as ``Token``.

    The next page is the first page's URL with ``Token`` set; ``Size`` is the page size.
    """

    page_size_param = "Size"
    token_param = "Token"
    next_key = "next_token"
    previous_key = "previous_token"

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        meta = body.get("meta") if isinstance(body, Mapping) else None
        if not isinstance(meta, Mapping):
            meta = {}
        next_token = link(meta.get(self.next_key), f"meta.{self.next_key}")
        previous_token = link(meta.get(self.previous_key), f"meta.{self.previous_key}")
        return ParsedPage(
            items=page_items(body, self._items_key(op, meta)),
            next={self.token_param: next_token} if next_token else None,
            previous={self.token_param: previous_token} if previous_token else None,
            size=self._size(meta, query),
            meta=meta,
        )

    def _items_key(self, op: Operation, meta: Mapping[str, Any]) -> str | None:
        return op.items_key

    def _size(self, meta: Mapping[str, Any], query: Mapping[str, Any]) -> int | None:
        return _int(query.get(self.page_size_param))


class _TwilioCamelToken(_TwilioToken):
    """Twilio's newer APIs (Conversations v2, Intelligence v3, Knowledge v2, Memory, ...).

    ``pageSize`` asks for a page size and ``meta.nextToken`` goes back as ``pageToken``
    on the first page's URL. The items sit under the key the spec names (``items``,
    ``conversations``, ``chunks``), else under ``meta.key``; ``meta.pageSize`` is the
    number of items this page holds.
    """

    page_size_param = "pageSize"
    token_param = "pageToken"
    next_key = "nextToken"
    previous_key = "previousToken"

    def _items_key(self, op: Operation, meta: Mapping[str, Any]) -> str | None:
        key = op.items_key or meta.get("key")
        return key if isinstance(key, str) else None

    def _size(self, meta: Mapping[str, Any], query: Mapping[str, Any]) -> int | None:
        return _int(meta.get("pageSize"))


class _SignalWireLinks(_SizedFirstPage):
    """SignalWire's REST APIs: ``data`` items and ``links.next`` (absolute)."""

    page_size_param = "page_size"

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        links = body.get("links") if isinstance(body, Mapping) else None
        if not isinstance(links, Mapping):
            links = {}
        return ParsedPage(
            items=page_items(body, op.items_key or "data"),
            next=link(links.get("next"), "links.next"),
            previous=link(links.get("prev") or links.get("previous"), "links.prev"),
            url=links.get("self"),
            meta=links,
        )


class _Offset:
    """Offset paging: ``skip`` items and take ``limit``; a short page is the last one."""

    def __init__(
        self, limit_param: str = "limit", skip_param: str = "skip", default_size: int = 50
    ) -> None:
        self.limit_param = limit_param
        self.skip_param = skip_param
        self.default_size = default_size

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {self.limit_param: page_size or self.default_size, self.skip_param: 0}

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        size = int(query.get(self.limit_param) or self.default_size)
        skip = int(query.get(self.skip_param) or 0)
        more = len(items) >= size and len(items) > 0
        return ParsedPage(
            items=items,
            next={self.limit_param: size, self.skip_param: skip + len(items)} if more else None,
            previous=(
                {self.limit_param: size, self.skip_param: max(0, skip - size)} if skip else None
            ),
            number=skip // size if size else None,
            size=size,
            meta={self.limit_param: size, self.skip_param: skip},
        )


twilio_meta: PagingStrategy = _TwilioMeta()
twilio_2010: PagingStrategy = _Twilio2010()
twilio_token: PagingStrategy = _TwilioToken()
twilio_camel_token: PagingStrategy = _TwilioCamelToken()
signalwire_links: PagingStrategy = _SignalWireLinks()
ziggeo_offset: PagingStrategy = _Offset()


def offset_strategy(
    *, limit_param: str = "limit", skip_param: str = "skip", default_size: int = 50
) -> PagingStrategy:
    """An offset strategy with other parameter names or another default page size."""
    return _Offset(limit_param=limit_param, skip_param=skip_param, default_size=default_size)


STRATEGIES: dict[str, PagingStrategy] = {
    "twilio_meta": twilio_meta,
    "twilio_2010": twilio_2010,
    "twilio_token": twilio_token,
    "twilio_camel_token": twilio_camel_token,
    "signalwire_links": signalwire_links,
    "ziggeo_offset": ziggeo_offset,
}
"""The built-in strategies by :data:`~trunkline._operation.PagingKind`."""
