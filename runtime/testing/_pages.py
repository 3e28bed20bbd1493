"""List pages in each spec's own shape: ``meta`` links, the 2010 API's URIs, tokens.

Every shape pages the same way underneath (an offset into the matching resources,
handed out as ``PT<offset>`` tokens); what differs is where the page says so. The page
object is rendered through the operation's response schema, with the names Twilio's
shapes use filled from the page's position: ``meta.next_page_url`` and friends,
``next_page_uri``/``start``/``end`` for the 2010 API, ``meta.next_token`` for token
paging, and ``nextPageToken``-style camelCase names where a spec uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from ._catalog import OpSpec
from ._core import TwilioProblem
from ._render import conform, fill

__all__ = ["MAX_PAGE_SIZE", "render_page"]

MAX_PAGE_SIZE = 1000
_DEFAULT_SIZE = 50
_SIZE_NAMES = ("PageSize", "Size", "pageSize")
_TOKEN_NAMES = ("PageToken", "Token", "pageToken")
_OWN = frozenset({*_SIZE_NAMES, *_TOKEN_NAMES, "Page"})


def _int(name: str, raw: str | None, low: int, high: int | None, code: int) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.lstrip("-").isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        raise TwilioProblem(400, code, f"Invalid parameter {name}: {raw!r}")
    return int(raw)


def _first(query: Mapping[str, str], names: Sequence[str]) -> tuple[str, str | None]:
    for name in names:
        if name in query:
            return name, query[name]
    return names[0], None


def render_page(
    op: OpSpec,
    path: str,
    query: Mapping[str, str],
    items: Sequence[Any],
    render_item: Callable[[Any], Any],
    now: float,
    code: int,
) -> Any:
    """One page of ``items`` for ``op`` at ``path`` (filled, no host), as its schema draws it."""
    size_name, raw_size = _first(query, _SIZE_NAMES)
    size = _int(size_name, raw_size, 1, MAX_PAGE_SIZE, code) or _DEFAULT_SIZE
    page = _int("Page", query.get("Page"), 0, None, code) or 0
    token_name, token = _first(query, _TOKEN_NAMES)
    if token:
        if not (token.startswith("PT") and token[2:].isdigit()):
            raise TwilioProblem(400, code, f"Invalid parameter {token_name}")
        start = int(token[2:])
    else:
        start = page * size
    chunk = items[start : start + size]
    has_next = start + size < len(items)
    filters = [(k, v) for k, v in query.items() if k not in _OWN]

    def uri(number: int, offset: int | None) -> str:
        params = [*filters, ("PageSize", str(size)), ("Page", str(number))]
        if offset is not None:
            params.append(("PageToken", f"PT{offset}"))
        return f"{path}?{urlencode(params)}"

    next_token = f"PT{start + size}" if has_next else None
    previous_token = f"PT{max(start - size, 0)}" if start > 0 else None
    host = f"https://{op.host}"
    known: dict[str, Any] = {
        "page": page,
        "page_size": size,
        "pageSize": size,
        "key": op.items,
        "first_page_url": host + uri(0, None),
        "url": host + uri(page, start if token else None),
        "previous_page_url": host + uri(page - 1, max(start - size, 0)) if start > 0 else None,
        "next_page_url": host + uri(page + 1, start + size) if has_next else None,
        "first_page_uri": uri(0, None),
        "uri": uri(page, start if token else None),
        "previous_page_uri": uri(page - 1, max(start - size, 0)) if start > 0 else None,
        "next_page_uri": uri(page + 1, start + size) if has_next else None,
        "start": start,
        "end": start + max(len(chunk) - 1, 0),
        "next_token": next_token,
        "previous_token": previous_token,
        "nextPageToken": next_token,
        "previousPageToken": previous_token,
        "next_page_token": next_token,
        "previous_page_token": previous_token,
    }
    return _shape(op, op.response, known, [render_item(i) for i in chunk], now, 0)


def _shape(
    op: OpSpec, schema: Any, known: Mapping[str, Any], items: list[Any], now: float, depth: int
) -> Any:
    out: dict[str, Any] = {}
    for name, prop in op.schemas.properties(schema).items():
        if name == op.items and depth == 0:
            out[name] = items
        elif name in known:
            out[name] = conform(op.schemas, prop, known[name], now)
        elif op.schemas.properties(prop) and depth < 2:
            out[name] = _shape(op, prop, known, items, now, depth + 1)
        else:
            out[name] = fill(op.schemas, prop, now)
    return out
