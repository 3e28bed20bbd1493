"""Paging strategies for the common shapes of other vendors' list responses.

Each is built from the operation's ``paging_params`` (parameter names and where in the
body the next page is), which the generator reads from the spec or an overlay:

* ``next_link`` ``(size, path)``: a next-page URL in the body (``links.next``, ``next``);
* ``next_cursor`` ``(size, cursor, path)``: a cursor in the body (``next_cursor``,
  ``meta.next_cursor``, ``nextPageToken``) sent back as the ``cursor`` parameter;
* ``cursor_after`` ``(size, after, id)``: ``has_more`` true, and the last item's ``id``
  sent back as ``starting_after``;
* ``link_header`` ``(size,)``: an RFC 8288 ``Link: <url>; rel="next"`` response header;
* ``page_number`` ``(size, page, total_pages_path)``: pages counted from 1 up to a total,
  or without ``total_pages_path`` until a short or empty page;
* ``offset_total`` ``(size, offset, total_path)``: an offset moved by each page's items
  until it reaches a total, or without ``total_path`` until a short or empty page.

Only ``link_header`` reads the response's headers: its strategy says so with
``reads_headers``, and the client then hands it a :class:`HeadedBody` (other shapes get
the decoded body alone, at no extra cost).

The paging driver's bounds (``max_pages``, ``max_empty_pages``, repeated or non-string
links) apply to every shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from trunkline._errors import PagingError
from trunkline._operation import Operation
from trunkline._paging_strategies import PagingStrategy, ParsedPage, link, page_items

__all__ = ["SHAPES", "HeadedBody", "link_targets", "shape_strategy"]


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


class HeadedBody(NamedTuple):
    """A page's decoded body with the response's headers, for a strategy that reads them."""

    body: Any
    headers: Mapping[str, str]


# One link-value of RFC 8288: ``<target>`` and its ``; name=value`` parameters.
_VALUE = r'(?:"(?:[^"\\]|\\.)*"|[^;,\s]*)'
_LINK = re.compile(r"\s*<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*" + _VALUE + r")?)*)")
_PARAM = re.compile(r";\s*([^;,=\s]+)\s*(?:=\s*(" + _VALUE + r"))?")


def link_targets(header: str, rel: str) -> list[str]:
    """The targets of an RFC 8288 ``Link`` header value whose relation types include ``rel``.

    Relation types compare case-insensitively and ``rel`` may list several, space-separated
    (``rel="next last"``); a value that is not a link-value ends the reading.
    """
    found: list[str] = []
    pos = 0
    while pos < len(header):
        match = _LINK.match(header, pos)
        if match is None:
            break
        for name, value in _PARAM.findall(match.group(2)):
            if name.lower() != "rel":
                continue
            rels = value[1:-1] if value.startswith('"') else value
            if rel in rels.lower().split():
                found.append(match.group(1).strip())
            break
        pos = match.end()
        while pos < len(header) and header[pos] in " \t":
            pos += 1
        if pos < len(header) and header[pos] != ",":
            break
        pos += 1
    return found


def _header_values(headers: Mapping[str, str], name: str) -> list[str]:
    getall = getattr(headers, "getall", None)
    if getall is not None:
        return list(getall(name, ()))
    return [v for k, v in headers.items() if k.lower() == name]


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


def _more(items: Sequence[Any], size: Any) -> bool:
    """Whether a list without a total may go on: a full page does, a short or empty one not."""
    if not items:
        return False
    asked = _count(size, "page size")
    return asked is None or len(items) >= asked


class _LinkHeader(_Shape):
    reads_headers = True

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        if not isinstance(body, HeadedBody):
            raise PagingError("a Link-header list page needs the response's headers")
        items = page_items(body.body, op.items_key)
        found = [t for v in _header_values(body.headers, "link") for t in link_targets(v, "next")]
        previous = [
            t
            for v in _header_values(body.headers, "link")
            for t in link_targets(v, "prev") + link_targets(v, "previous")
        ]
        return ParsedPage(
            items,
            found[0] if found else None,
            previous=previous[0] if previous else None,
        )


class _PageNumber(_Shape):
    def __init__(self, page_size_param: str, page_param: str, total_path: str = "") -> None:
        super().__init__(page_size_param)
        self.page_param = page_param
        self.total_path = total_path

    def first_query(self, page_size: int | None) -> Mapping[str, Any]:
        return {**super().first_query(page_size), self.page_param: 1}

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        number = _count(query.get(self.page_param), self.page_param) or 1
        if self.total_path:
            total = _count(_at(body, self.total_path), self.total_path)
            more = total is not None and number < total
        else:
            more = _more(items, query.get(self.page_size_param or ""))
        page = self._page(body, items, {self.page_param: number + 1} if more else None)
        page.number = number
        return page


class _OffsetTotal(_Shape):
    def __init__(self, page_size_param: str, offset_param: str, total_path: str = "") -> None:
        super().__init__(page_size_param)
        self.offset_param = offset_param
        self.total_path = total_path

    def parse(self, body: Any, op: Operation, query: Mapping[str, Any]) -> ParsedPage:
        items = page_items(body, op.items_key)
        offset = _count(query.get(self.offset_param), self.offset_param) or 0
        after = offset + len(items)
        if self.total_path:
            total = _count(_at(body, self.total_path), self.total_path)
            more = bool(items) and total is not None and after < total
        else:
            more = _more(items, query.get(self.page_size_param or ""))
        return self._page(body, items, {self.offset_param: after} if more else None)


SHAPES: dict[str, Callable[..., PagingStrategy]] = {
    "next_link": _NextLink,
    "next_cursor": _NextCursor,
    "cursor_after": _CursorAfter,
    "link_header": _LinkHeader,
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
