"""Pages of list operations, paging strategies, and lazy iteration with one page ahead.

A list operation names its strategy (:data:`~trunkline._operation.PagingKind`); a
:class:`PagingStrategy` knows how that API asks for a page size, where the items are in a
page, and how the next page is addressed: by a link (Twilio ``meta.next_page_url``,
Twilio 2010 ``next_page_uri``, SignalWire ``links.next``) or by query parameters (Ziggeo
``skip``/``limit``, Twilio ``meta.next_token`` sent back as ``Token``, Twilio's camelCase
``meta.nextToken`` sent back as ``pageToken``). :data:`STRATEGIES`
holds them by name; a provider client can add its own (see
:class:`~trunkline._client.BaseClient`).

Iterating pages fetches page N+1 while the caller handles page N (at most one ahead, can
be switched off). A caller that stops early, by ``break`` or ``aclose()``, cancels the
fetch ahead, so no request stays pending and no connection stays open. Pages are not
retained: streaming any number of items keeps memory flat.

The driver (:class:`Pager`, :class:`Page`, :class:`PageIterator`) bounds every strategy
against a server whose pages never end; each bound raises :class:`~trunkline.PagingError`
naming what happened: a next-page link that repeats a page already seen, one that is
neither a string nor query parameters, one that asks for a page size past the
operation's maximum, more than ``max_empty_pages`` empty pages in a row that still point
at a next one, and more than ``max_pages`` pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl, urlsplit

from trunkline._errors import PagingError, safe_url
from trunkline._operation import Operation

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "MAX_EMPTY_PAGES",
    "STRATEGIES",
    "Page",
    "PageIterator",
    "Pager",
    "PagingStrategy",
    "ParsedPage",
    "StreamIterator",
    "collect",
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

T = TypeVar("T")

PageRef = str | Mapping[str, Any]
"""Where the next page is: a URL (absolute or relative to the host) or query parameters."""

MAX_EMPTY_PAGES = 3
"""How many empty pages in a row that still point at a next page a list may return."""

_SCALARS = (str, int, float)


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


class _TwilioMeta:
    """Twilio's versioned APIs: ``meta`` with ``next_page_url``, ``key``, ``page``."""

    page_size_param = "PageSize"

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {self.page_size_param: page_size} if page_size else {}

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


class _Twilio2010:
    """Twilio's 2010 API: top-level ``next_page_uri``, relative to the host."""

    page_size_param = "PageSize"

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {self.page_size_param: page_size} if page_size else {}

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


class _TwilioToken:
    """Twilio's token-paged lists (Numbers porting): ``meta.next_token`` goes back as ``Token``.

    The next page is the first page's URL with ``Token`` set; ``Size`` is the page size.
    """

    page_size_param = "Size"
    token_param = "Token"
    next_key = "next_token"
    previous_key = "previous_token"

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {self.page_size_param: page_size} if page_size else {}

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


class _SignalWireLinks:
    """SignalWire's REST APIs: ``data`` items and ``links.next`` (absolute)."""

    page_size_param = "page_size"

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {self.page_size_param: page_size} if page_size else {}

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


class _Fetcher(Protocol):
    async def __call__(self, url: str) -> Any: ...


class Pager(Generic[T]):
    """Fetches the pages of one list call (the client builds one per call).

    Args:
        fetch: sends a GET for a URL (retries, timeout and headers applied) and returns
            the decoded JSON body.
        op: the list operation.
        strategy: how it pages.
        decode: turns one raw item into the caller's type.
        path_url: the operation's actual URL without a query.
        query: the first page's query parameters (page size included).
        encode_query: turns query parameters into a query string.
        follow: turns a next-page link into a URL to send to.
        max_pages: the most pages to fetch (None: no limit).
        max_empty_pages: the most empty pages in a row that may point at a next page.
    """

    __slots__ = (
        "_decode",
        "_encode_query",
        "_fetch",
        "_follow",
        "_path_url",
        "_size_param",
        "max_empty_pages",
        "max_pages",
        "op",
        "query",
        "strategy",
    )

    def __init__(
        self,
        fetch: _Fetcher,
        op: Operation,
        strategy: PagingStrategy,
        decode: Callable[[Any], T],
        path_url: str,
        query: Mapping[str, Any],
        encode_query: Callable[[Mapping[str, Any]], str],
        follow: Callable[[str], str],
        *,
        max_pages: int | None = None,
        max_empty_pages: int = MAX_EMPTY_PAGES,
    ) -> None:
        self._fetch = fetch
        self.op = op
        self.strategy = strategy
        self._decode = decode
        self._path_url = path_url
        self.query = query
        self._encode_query = encode_query
        self._follow = follow
        self.max_pages = max_pages
        self.max_empty_pages = max_empty_pages
        size = getattr(strategy, "page_size_param", None) or getattr(strategy, "limit_param", None)
        self._size_param: str | None = size if isinstance(size, str) else None

    def url_for(self, ref: PageRef | None) -> tuple[str, Mapping[str, Any]]:
        """The URL of the first page (``ref`` None) or of the page ``ref`` points at.

        Raises:
            PagingError: ``ref`` is neither a link nor query parameters of plain values, or
                it asks for a page size past the operation's maximum.
        """
        if ref is None:
            query: Mapping[str, Any] = self.query
        elif isinstance(ref, str):
            url = self._follow(ref)
            self._check_size(dict(parse_qsl(urlsplit(url).query)))
            return url, {}
        elif isinstance(ref, Mapping):
            if not all(isinstance(v, _SCALARS) and not isinstance(v, bool) for v in ref.values()):
                raise PagingError("the next page's query parameters are not plain values")
            query = {**self.query, **ref}
            self._check_size(query)
        else:
            raise PagingError(f"the next-page link is a {type(ref).__name__}, not a string")
        qs = self._encode_query(query)
        return (f"{self._path_url}?{qs}" if qs else self._path_url), query

    def _check_size(self, query: Mapping[str, Any]) -> None:
        name, most = self._size_param, self.op.max_page_size
        if name is None or most is None or name not in query:
            return
        try:
            asked = int(query[name])
        except (TypeError, ValueError):
            raise PagingError(f"the next page's {name} is not a number") from None
        if asked > most:
            raise PagingError(
                f"the next page asks for {name}={asked}, past {self.op.id}'s maximum of {most};"
                " not following it"
            )

    def check_next(self, page: Page[T]) -> None:
        """Raise when following ``page``'s next link would break a bound of the driver."""
        fetched, empty_run = page._run
        if self.max_pages is not None and fetched >= self.max_pages:
            raise PagingError(
                f"{self.op.id}: stopped after max_pages={self.max_pages} pages; the API still"
                " points at a next page"
            )
        if empty_run > self.max_empty_pages:
            raise PagingError(
                f"{self.op.id}: {empty_run} empty pages in a row still point at a next page;"
                " the list does not end"
            )

    async def fetch(
        self, url: str, query: Mapping[str, Any], after: Page[T] | None = None
    ) -> Page[T]:
        """Fetch and decode the page at ``url`` (the one ``after`` points at, if given)."""
        body = await self._fetch(url)
        parsed = self.strategy.parse(body, self.op, query)
        decode = self._decode
        items = [decode(item) for item in parsed.items]
        # The page keeps the decoded items only; the raw list can go.
        parsed.items = ()
        fetched, empty_run = after._run if after is not None else (0, 0)
        return Page(items, parsed, url, self, (fetched + 1, 0 if items else empty_run + 1))

    async def first(self) -> Page[T]:
        """Fetch the first page."""
        url, query = self.url_for(None)
        return await self.fetch(url, query)


class Page(Generic[T]):
    """One page of a list: its items and where the neighbouring pages are.

    Iterating a page or taking ``len()`` works on its items; ``await page.next_page()``
    fetches the next one.
    """

    __slots__ = ("_pager", "_parsed", "_run", "items", "request_url")

    def __init__(
        self,
        items: list[T],
        parsed: ParsedPage,
        request_url: str,
        pager: Pager[T] | None,
        run: tuple[int, int] = (1, 0),
    ) -> None:
        self.items = items
        self._parsed = parsed
        self.request_url = request_url
        self._pager = pager
        # (pages fetched so far including this one, empty pages in a row ending here)
        self._run = run

    @property
    def next_url(self) -> str | None:
        """The next page's link as the API gave it (None for offset paging)."""
        ref = self._parsed.next
        return ref if isinstance(ref, str) else None

    @property
    def previous_url(self) -> str | None:
        """The previous page's link as the API gave it, if any."""
        ref = self._parsed.previous
        return ref if isinstance(ref, str) else None

    @property
    def page_number(self) -> int | None:
        """The page's number as the API counts (Twilio: from 0)."""
        return self._parsed.number

    @property
    def page_size(self) -> int | None:
        """The page size the API applied."""
        return self._parsed.size

    @property
    def url(self) -> str | None:
        """The page's own URL as the API gave it."""
        return self._parsed.url

    @property
    def meta(self) -> Mapping[str, Any]:
        """The raw paging metadata (Twilio ``meta``, SignalWire ``links``, ...)."""
        return self._parsed.meta

    @property
    def has_next(self) -> bool:
        """True when the API says there is a next page."""
        return self._parsed.next is not None

    @property
    def has_previous(self) -> bool:
        """True when the API says there is a previous page."""
        return self._parsed.previous is not None

    def _neighbour_url(
        self, ref: PageRef | None, forward: bool = False
    ) -> tuple[str, Mapping[str, Any]] | None:
        if ref is None or self._pager is None:
            return None
        if forward:
            self._pager.check_next(self)
        url, query = self._pager.url_for(ref)
        if url == self.request_url:
            raise PagingError(f"the next-page link repeats the page it came from: {safe_url(url)}")
        return url, query

    async def next_page(self) -> Page[T] | None:
        """Fetch the next page, or return None on the last page.

        Raises:
            PagingError: the next-page link points back at this page or off the API's
                host, or a bound of the driver is reached (see the module docstring).
        """
        target = self._neighbour_url(self._parsed.next, forward=True)
        if target is None or self._pager is None:
            return None
        return await self._pager.fetch(*target, self)

    async def previous_page(self) -> Page[T] | None:
        """Fetch the previous page, or return None on the first page."""
        target = self._neighbour_url(self._parsed.previous)
        if target is None or self._pager is None:
            return None
        return await self._pager.fetch(*target)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<Page number={self.page_number} items={len(self.items)} has_next={self.has_next}>"


def _retrieve(task: asyncio.Task[Any]) -> None:
    # A fetch ahead that fails after the caller stopped must not log "exception never
    # retrieved"; a caller still iterating gets the error when it awaits the task.
    if not task.cancelled():
        task.exception()


class _Canceller:
    __slots__ = ("_task",)

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self._task = task

    def __call__(self, _owner: asyncio.Task[Any]) -> None:
        if not self._task.done():
            self._task.cancel()


class PageIterator(Generic[T]):
    """Iterates the pages of a list, fetching one page ahead.

    Args:
        pager: fetches the pages.
        limit: stop once this many items were handed out (the last page is cut short).
        prefetch: fetch page N+1 while the caller handles page N.
    """

    def __init__(self, pager: Pager[T], *, limit: int | None = None, prefetch: bool = True) -> None:
        self._pager = pager
        self._remaining = limit
        self._prefetch = prefetch
        self._started = False
        self._next: tuple[str, Mapping[str, Any], Page[T]] | None = None
        self._task: asyncio.Task[Page[T]] | None = None
        self._owner: tuple[asyncio.Task[Any], _Canceller] | None = None
        self._pending_error: PagingError | None = None
        self._seen: set[int] = set()
        self._done = limit is not None and limit <= 0

    def __aiter__(self) -> PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._done:
            raise StopAsyncIteration
        try:
            if not self._started:
                self._started = True
                url, query = self._pager.url_for(None)
                self._seen.add(hash(url))
                page = await self._pager.fetch(url, query)
            elif self._task is not None:
                task = self._take_task()
                page = await task
            elif self._pending_error is not None:
                raise self._pending_error
            elif self._next is not None:
                (url, query, after), self._next = self._next, None
                page = await self._pager.fetch(url, query, after)
            else:
                raise StopAsyncIteration
        except BaseException:
            self._finish()
            raise
        if self._remaining is not None:
            if len(page.items) >= self._remaining:
                del page.items[self._remaining :]
                self._remaining = 0
                self._done = True
                return page
            self._remaining -= len(page.items)
        self._plan_next(page)
        return page

    def _plan_next(self, page: Page[T]) -> None:
        ref = page._parsed.next
        if ref is None or (not page.items and not isinstance(ref, str)):
            self._done = True
            return
        try:
            self._pager.check_next(page)
            url, query = self._pager.url_for(ref)
        except PagingError as exc:
            self._pending_error = exc
            return
        key = hash(url)
        if key in self._seen:
            self._pending_error = PagingError(
                f"the next-page link repeats a page already fetched: {safe_url(url)}"
            )
            return
        self._seen.add(key)
        if self._prefetch:
            # asyncio is imported here, not at module level: it is always loaded by the
            # time anything iterates, and `import trunkline` stays cheaper without it.
            import asyncio

            task = asyncio.get_running_loop().create_task(self._pager.fetch(url, query, page))
            task.add_done_callback(_retrieve)
            self._task = task
            # The fetch ahead must not outlive the task iterating: when that task ends
            # (cancelled, failed, or returned without closing us) the fetch is cancelled
            # at once, without waiting for this iterator to be garbage collected.
            owner = asyncio.current_task()
            if owner is not None:
                cancel = _Canceller(task)
                owner.add_done_callback(cancel)
                self._owner = (owner, cancel)
        else:
            self._next = (url, query, page)

    def _take_task(self) -> asyncio.Task[Page[T]]:
        task = self._task
        assert task is not None
        self._task = None
        if self._owner is not None:
            owner, cancel = self._owner
            self._owner = None
            owner.remove_done_callback(cancel)
        return task

    def _finish(self) -> None:
        self._done = True
        self._next = None
        if self._task is not None:
            task = self._take_task()
            if not task.done():
                task.cancel()

    async def aclose(self) -> None:
        """Stop iterating: cancel the fetch ahead and wait until it has let go."""
        task = self._task
        self._finish()
        if task is not None:
            import asyncio

            # wait() does not raise the task's outcome, which no longer matters to anyone,
            # yet still lets a cancellation of our own caller through.
            await asyncio.wait((task,))

    def __del__(self) -> None:
        # Dropped mid-list (``break``): cancel the fetch ahead now and unhook it from the
        # iterating task, so a long-lived task that breaks out of many lists keeps nothing.
        # RuntimeError: the loop is already closed, and its tasks went with it.
        if self._task is not None:
            with contextlib.suppress(RuntimeError):
                self._finish()


class StreamIterator(Generic[T]):
    """Iterates the items of a list lazily, page by page, one page fetched ahead.

    Args:
        pages: the page iterator to draw from.
    """

    def __init__(self, pages: PageIterator[T]) -> None:
        self._pages = pages
        self._items: Iterator[T] = iter(())

    def __aiter__(self) -> StreamIterator[T]:
        return self

    async def __anext__(self) -> T:
        for item in self._items:
            return item
        async for page in self._pages:
            self._items = iter(page.items)
            for item in self._items:
                return item
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Stop iterating: cancel the fetch ahead and wait until it has let go."""
        self._items = iter(())
        await self._pages.aclose()


async def collect(iterator: AsyncIterator[Page[T]]) -> list[T]:
    """Every item of every page of ``iterator``, in order."""
    out: list[T] = []
    async for page in iterator:
        out.extend(page.items)
    return out
