"""Paging strategies for the common shapes of other vendors' list responses.

Each is built from the operation's ``paging_params`` (parameter names and where in the
body the next page is), which the generator reads from the spec or an overlay:

* ``next_link`` ``(size, path)``: a next-page URL in the body (``links.next``, ``next``);
* ``next_cursor`` ``(size, cursor, path)``: a cursor in the body (``next_cursor``,
  ``meta.next_cursor``, ``nextPageToken``) sent back as the ``cursor`` parameter;
* ``cursor_after`` ``(size, after, id)``: ``has_more`` true, and the last item's ``id``
  sent back as ``starting_after``;
* ``page_number`` ``(size, page, total_pages_path)``: pages counted from 1 up to a total;
* ``offset_total`` ``(size, offset, total_path)``: an offset moved by each page's items
  until it reaches a total.

The paging driver's bounds (``max_pages``, ``max_empty_pages``, repeated or non-string
links) apply to every shape.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from trunkline._errors import PagingError
from trunkline._operation import Operation
from trunkline._paging_strategies import PagingStrategy, ParsedPage, link, page_items

__all__ = ["SHAPES", "shape_strategy"]


def _at(body: Any, path: str) -> Any:
    node = body
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _count(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise PagingError(f"the page's {what} is not a number") from None
    return value


def _cursor(value: Any, what: str) -> str | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PagingError(f"the page's {what} is a {type(value).__name__}, not a cursor")
    return value


class _Shape:
    """Common to every shape: the page size parameter and the items."""

    def __init__(self, page_size_param: str) -> None:
        self.page_size_param = page_size_param or None

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        if page_size and self.page_size_param:
            return {self.page_size_param: page_size}
        return {}

    def _page(self, body: Any, items: Sequence[Any], next: Any) -> ParsedPage:
        meta = body.get("meta") if isinstance(body, Mapping) else None
        return ParsedPage(items, next, meta=meta if isinstance(meta, Mapping) else None)


class _NextLink(_Shape):
    def __init__(self, page_size_param: str, path: str) -> None:
        super().__init__(page_size_param)
        self.path = path

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        return self._page(body, items, link(_at(body, self.path), self.path))


class _NextCursor(_Shape):
    def __init__(self, page_size_param: str, cursor_param: str, path: str) -> None:
        super().__init__(page_size_param)
        self.cursor_param = cursor_param
        self.path = path

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        cursor = _cursor(_at(body, self.path), self.path)
        return self._page(body, items, {self.cursor_param: cursor} if cursor else None)


class _CursorAfter(_Shape):
    def __init__(self, page_size_param: str, after_param: str, id_key: str) -> None:
        super().__init__(page_size_param)
        self.after_param = after_param
        self.id_key = id_key or "id"

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        more = _at(body, "has_more")
        if more is not None and not isinstance(more, bool):
            raise PagingError("the page's has_more is not true or false")
        if not more or not items:
            return self._page(body, items, None)
        last = items[-1]
        after = _cursor(last.get(self.id_key) if isinstance(last, Mapping) else None, "last id")
        if after is None:
            raise PagingError(f"has_more is true but the last item has no {self.id_key!r}")
        return self._page(body, items, {self.after_param: after})


class _PageNumber(_Shape):
    def __init__(self, page_size_param: str, page_param: str, total_path: str) -> None:
        super().__init__(page_size_param)
        self.page_param = page_param
        self.total_path = total_path

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {**super().first_query(page_size), self.page_param: 1}

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        number = _count(query.get(self.page_param), self.page_param) or 1
        total = _count(_at(body, self.total_path), self.total_path)
        more = total is not None and number < total
        page = self._page(body, items, {self.page_param: number + 1} if more else None)
        page.number = number
        return page


class _OffsetTotal(_Shape):
    def __init__(self, page_size_param: str, offset_param: str, total_path: str) -> None:
        super().__init__(page_size_param)
        self.offset_param = offset_param
        self.total_path = total_path

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        offset = _count(query.get(self.offset_param), self.offset_param) or 0
        total = _count(_at(body, self.total_path), self.total_path)
        after = offset + len(items)
        more = bool(items) and total is not None and after < total
        return self._page(body, items, {self.offset_param: after} if more else None)


SHAPES: dict[str, Callable[..., PagingStrategy]] = {
    "next_link": _NextLink,
    "next_cursor": _NextCursor,
    "cursor_after": _CursorAfter,
    "page_number": _PageNumber,
    "offset_total": _OffsetTotal,
}
"""The shape strategies by paging kind."""


@functools.cache
def shape_strategy(kind: str, params: tuple[str, ...]) -> PagingStrategy:
    """The strategy of a shape for an operation's ``paging_params``.

    Raises:
        PagingError: the kind is not a shape, or the parameters do not fit it.
    """
    cls = SHAPES.get(kind)
    if cls is None:
        raise PagingError(f"no paging shape named {kind!r}")
    try:
        strategy = cls(*params)
    except TypeError:
        raise PagingError(f"paging {kind!r} takes other parameters than {params!r}") from None
    return strategy
