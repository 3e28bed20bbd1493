"""Which common paging shape a list operation of another vendor's spec follows, if any.

Read from the query parameters the operation takes, the properties of its response
(nested objects followed through ``$ref`` and ``allOf``) and the headers its success
response documents (an RFC 8288 ``Link``). The answer is a paging kind of
``runtime/_paging_shapes.py`` and its ``paging_params``; the first shape that fits wins,
in the order below (a cursor before a link, both before counting pages, a total before
none). Without a total, counting needs both a page (or offset) and a page size parameter:
the last page is the first short one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trunkline.codegen.loader import Spec

__all__ = ["Shape", "detect", "driven_params", "response_headers"]

Shape = tuple[str, tuple[str, ...]]

_SIZE = (
    "limit",
    "per_page",
    "page_size",
    "pageSize",
    "maxResults",
    "page[size]",
    "size",
)
_CURSOR_PARAMS = ("cursor", "next_cursor", "page_token", "pageToken", "after", "page[after]")
_CURSOR_PATHS = (
    "next_cursor",
    "nextCursor",
    "nextPageToken",
    "next_page_token",
    "meta.next_cursor",
    "meta.nextCursor",
    "response_metadata.next_cursor",
    "pagination.next_cursor",
    "pagination.nextCursor",
    "cursor",
    "meta.cursor",
)
_LINK_PATHS = ("links.next", "next", "meta.next", "pagination.next", "_links.next.href")
_PAGE_PARAMS = ("page", "page[number]", "page_number", "pageNumber")
_TOTAL_PAGES = (
    "total_pages",
    "totalPages",
    "meta.total_pages",
    "meta.totalPages",
    "meta.page_count",
    "meta.pagination.total_pages",
    "pagination.total_pages",
    "pagination.totalPages",
)
_OFFSET_PARAMS = ("offset", "skip", "start", "page[offset]")
_TOTALS = (
    "total",
    "total_count",
    "totalCount",
    "count",
    "meta.total",
    "meta.total_count",
    "pagination.total",
    "meta.pagination.total",
)


def _properties(spec: Spec, node: Any, depth: int = 0) -> dict[str, Any]:
    node, _ = spec.resolve(node, "#")
    if not isinstance(node, dict) or depth > 8:
        return {}
    found: dict[str, Any] = {}
    for part in node.get("allOf") or ():
        found.update(_properties(spec, part, depth + 1))
    props = node.get("properties")
    if isinstance(props, dict):
        found.update(props)
    return found


def _has(spec: Spec, schema: Any, path: str) -> bool:
    node = schema
    for part in path.split("."):
        props = _properties(spec, node)
        if part not in props:
            return False
        node = props[part]
    return True


def _first(names: tuple[str, ...], within: set[str]) -> str:
    return next((n for n in names if n in within), "")


def _first_path(spec: Spec, schema: Any, paths: tuple[str, ...]) -> str:
    return next((p for p in paths if _has(spec, schema, p)), "")


def response_headers(spec: Spec, operation: Any) -> set[str]:
    """The headers (lower case) the success responses of an ``operation`` node document."""
    found: set[str] = set()
    responses = operation.get("responses") if isinstance(operation, dict) else None
    for code, raw in (responses or {}).items():
        if not str(code).startswith("2"):
            continue
        response, _ = spec.resolve(raw, "#")
        headers = response.get("headers") if isinstance(response, dict) else None
        if isinstance(headers, dict):
            found.update(str(name).lower() for name in headers)
    return found


def detect(
    spec: Spec, query: set[str], schema: Any, headers: frozenset[str] | set[str] = frozenset()
) -> Shape | None:
    """The shape of a list response ``schema`` asked for with the ``query`` parameters,
    whose success response documents ``headers`` (lower case)."""
    size = _first(_SIZE, query)
    if _has(spec, schema, "has_more") and "starting_after" in query:
        return "cursor_after", (size, "starting_after", "id")
    cursor_param = _first(_CURSOR_PARAMS, query)
    cursor_path = _first_path(spec, schema, _CURSOR_PATHS)
    if cursor_param and cursor_path:
        return "next_cursor", (size, cursor_param, cursor_path)
    link_path = _first_path(spec, schema, _LINK_PATHS)
    if link_path:
        return "next_link", (size, link_path)
    if "link" in headers:
        return "link_header", (size,)
    page_param = _first(_PAGE_PARAMS, query)
    total_pages = _first_path(spec, schema, _TOTAL_PAGES)
    if page_param and total_pages:
        return "page_number", (size, page_param, total_pages)
    offset_param = _first(_OFFSET_PARAMS, query)
    total = _first_path(spec, schema, _TOTALS)
    if offset_param and total:
        return "offset_total", (size, offset_param, total)
    # ``count`` names a page size only beside a page number (Blockfrost's lists).
    counted = size or ("count" if "count" in query else "")
    if page_param and counted:
        return "page_number", (counted, page_param)
    if offset_param and size:
        return "offset_total", (size, offset_param)
    return None


def driven_params(kind: str, params: tuple[str, ...]) -> tuple[str, ...]:
    """The query parameters the runtime sets for a shape (not method arguments)."""
    driven = params[:1] if kind in ("next_link", "cursor_after", "link_header") else params[:2]
    if kind == "cursor_after":
        driven += (params[1],)
    return tuple(p for p in driven if p)
