"""Shared pieces of the emulator: clock, SIDs, dates, Twilio errors and Twilio list pages."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

from aiohttp import web
from multidict import MultiDictProxy
from yarl import URL

__all__ = [
    "Clock",
    "JSONDict",
    "TwilioProblem",
    "as_response",
    "bad_param",
    "form_bool",
    "form_int",
    "form_json_object",
    "iso",
    "new_sid",
    "not_found",
    "origin",
    "parse_iso",
    "twilio_error",
    "twilio_page",
]

Clock = Callable[[], float]
"""Seconds since the epoch; the emulator's notion of now (tests may move it)."""

JSONDict = dict[str, Any]
T = TypeVar("T")

_MAX_PAGE_SIZE = 1000
_DEFAULT_PAGE_SIZE = 50


def new_sid(prefix: str) -> str:
    """A Twilio-style SID: two letters then 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def iso(seconds: float | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, to the second, as Twilio's v1/v2 APIs write dates."""
    if seconds is None:
        return None
    stamp = dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> float:
    """Parse an ISO 8601 date-time (``Z`` or an offset; naive means UTC) into epoch seconds."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    stamp = dt.datetime.fromisoformat(text)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp()


def origin(request: web.Request) -> str:
    """The scheme and host the client used, so every URL we hand out leads back to us."""
    return f"{request.scheme}://{request.host}"


class TwilioProblem(web.HTTPException):
    """A Twilio-shaped error response: ``{code, message, more_info, status}``."""

    def __init__(
        self, status: int, code: int, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.status_code = status
        body = {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        super().__init__(text=json.dumps(body), content_type="application/json", headers=headers)


def as_response(exc: web.HTTPException) -> web.Response:
    """An error response as a plain response (aiohttp deprecates returning exceptions)."""
    return web.Response(status=exc.status, body=exc.body, headers=exc.headers)


def twilio_error(status: int, code: int, message: str) -> NoReturn:
    """Stop the handler with a Twilio error response."""
    raise TwilioProblem(status, code, message)


def bad_param(message: str, code: int = 60200) -> NoReturn:
    """A 400 for a parameter that breaks the service's rules (Verify's code by default)."""
    twilio_error(400, code, message)


def not_found(request: web.Request) -> NoReturn:
    """Twilio's 404 for an unknown resource."""
    twilio_error(404, 20404, f"The requested resource {request.path} was not found")


def form_int(
    form: MultiDictProxy[Any] | Mapping[str, Any],
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    code: int = 60200,
) -> int | None:
    """An integer form field (absent → None), checked against an inclusive range."""
    raw = form.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError:
        bad_param(f"Invalid parameter {name}: {raw!r} is not an integer", code)
    if (low is not None and value < low) or (high is not None and value > high):
        bad_param(f"Invalid parameter {name}: must be between {low} and {high}", code)
    return value


def form_bool(form: MultiDictProxy[Any] | Mapping[str, Any], name: str) -> bool | None:
    """A ``true``/``false`` form field (absent → None)."""
    raw = form.get(name)
    if raw is None or raw == "":
        return None
    text = str(raw).lower()
    if text not in ("true", "false"):
        bad_param(f"Invalid parameter {name}: expected true or false", 20001)
    return text == "true"


def form_json_object(
    form: MultiDictProxy[Any] | Mapping[str, Any], name: str, *, code: int = 60200
) -> JSONDict | None:
    """A form field that carries a JSON object as a string (``Metadata``, ``Attributes``)."""
    raw = form.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(str(raw))
    except ValueError:
        bad_param(f"Invalid parameter {name}: not valid JSON", code)
    if not isinstance(value, dict):
        bad_param(f"Invalid parameter {name}: expected a JSON object", code)
    return value


def twilio_page(
    request: web.Request, items: Sequence[T], key: str, render: Callable[[T], JSONDict]
) -> web.Response:
    """One page of a Twilio v1/v2 list: the items under ``key`` plus ``meta``.

    ``PageToken`` (``PT<offset>``, as handed out in ``next_page_url``) wins over ``Page``;
    other query parameters (the filters) are carried into every page URL. Only the
    page's own records are rendered.
    """
    query = request.query
    page_size = form_int(query, "PageSize", low=1, high=_MAX_PAGE_SIZE, code=20001)
    size = page_size if page_size is not None else _DEFAULT_PAGE_SIZE
    page = form_int(query, "Page", low=0, code=20001) or 0
    token = query.get("PageToken")
    if token:
        if not (token.startswith("PT") and token[2:].isdigit()):
            bad_param("Invalid parameter PageToken", 20001)
        start = int(token[2:])
    else:
        start = page * size
    chunk = items[start : start + size]
    base = origin(request) + request.path
    filters = [(k, v) for k, v in query.items() if k not in ("PageSize", "Page", "PageToken")]

    def url(number: int, offset: int | None) -> str:
        params = [*filters, ("PageSize", str(size)), ("Page", str(number))]
        if offset is not None:
            params.append(("PageToken", f"PT{offset}"))
        return str(URL(base).with_query(params))

    has_next = start + size < len(items)
    meta = {
        "page": page,
        "page_size": size,
        "first_page_url": url(0, None),
        "previous_page_url": url(page - 1, max(start - size, 0)) if start > 0 else None,
        "url": url(page, start if token else None),
        "next_page_url": url(page + 1, start + size) if has_next else None,
        "key": key,
    }
    return web.json_response({key: [render(item) for item in chunk], "meta": meta})
