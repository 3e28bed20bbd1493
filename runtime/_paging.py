"""Pages of list operations, and lazy iteration with one page ahead.

The strategies that read each API's pages are in ``_paging_strategies.py`` (and the common
shapes of other vendors in ``_paging_shapes.py``); their names are re-exported here.

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
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl, urlsplit

from trunkline._errors import PagingError, safe_url
from trunkline._operation import Operation
from trunkline._paging_strategies import (
    STRATEGIES,
    PageRef,
    PagingStrategy,
    ParsedPage,
    link,
    offset_strategy,
    page_items,
    signalwire_links,
    twilio_2010,
    twilio_camel_token,
    twilio_meta,
    twilio_token,
    ziggeo_offset,
)

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "MAX_EMPTY_PAGES",
    "STRATEGIES",
    "Fetcher",
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

MAX_EMPTY_PAGES = 3
"""How many empty pages in a row that still point at a next page a list may return."""

_SCALARS = (str, int, float)


class Fetcher(Protocol):
    """Sends a GET for a page's URL and returns its decoded body."""

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
        fetch: Fetcher,
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
