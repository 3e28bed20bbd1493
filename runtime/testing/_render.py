"""Resources as the spec draws them: SIDs from patterns, dates in the spec's format, defaults.

The generic layer stores what a request said (wire names mapped to property names) plus
what the server adds, and renders it through the operation's response schema: a stored
value is made to fit its property's type, a missing one comes from the schema (its
default, its first enum value, null where nullable, an empty value of its type).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from ._catalog import Schemas

__all__ = ["conform", "fill", "render", "sid_prefix", "stamp"]

_PREFIX = re.compile(r"^\^?\(?([A-Z]{2})[|)\[]")
_DATE_FORMATS = frozenset({"date-time", "date-time-rfc-2822", "date"})
_STRICT = frozenset({"enum", "pattern"})


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile("")


def _sample(pattern: str) -> str:
    """A string matching a non-SID pattern, tried from its literal start (``^aia_asst_.+$``)."""
    literal = re.match(r"\^?([A-Za-z0-9_:-]*)", pattern)
    head = literal.group(1) if literal else ""
    for tail in ("", "x", "0" * 32, "a" * 32, "1"):
        if _compiled(pattern).fullmatch(head + tail):
            return head + tail
    return head


def sid_prefix(schema: Mapping[str, Any]) -> str | None:
    """The two letters a SID pattern starts with (``^(SM|MM)[0-9a-fA-F]{32}$`` → ``SM``)."""
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return None
    found = _PREFIX.match(pattern)
    return found.group(1) if found else None


def new_key(schema: Mapping[str, Any]) -> str:
    """A fresh SID for a property with a SID pattern (``ZZ`` when the pattern names none)."""
    return (sid_prefix(schema) or "ZZ") + secrets.token_hex(16)


def stamp(seconds: float, fmt: str | None) -> str:
    """A date in the property's format: RFC 2822 for the 2010 API, ISO 8601 otherwise."""
    moment = dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC)
    if fmt == "date-time-rfc-2822":
        return email.utils.format_datetime(moment)
    if fmt == "date":
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def fill(schemas: Schemas, schema: Any, now: float, depth: int = 0) -> Any:
    """A value for a property nobody set, taken from its schema."""
    schema = schemas.resolve(schema)
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("nullable"):
        return None
    kind = schema.get("type")
    if kind == "string":
        fmt = schema.get("format")
        if fmt in _DATE_FORMATS:
            return stamp(now, fmt)
        if sid_prefix(schema):
            return new_key(schema)
        if isinstance(schema.get("pattern"), str):
            return _sample(schema["pattern"])
        return "x" * int(schema.get("minLength") or 0)
    if kind in ("integer", "number"):
        low = schema.get("minimum")
        return low if isinstance(low, int | float) else 0
    if kind == "boolean":
        return False
    if kind == "array":
        count = int(schema.get("minItems") or 0)
        return [fill(schemas, schema.get("items") or {}, now, depth + 1) for _ in range(count)]
    if kind == "object" or "properties" in schema or "allOf" in schema:
        if depth > 6:
            return {}
        required = set(schema.get("required") or ())
        return {
            name: fill(schemas, prop, now, depth + 1)
            for name, prop in schemas.properties(schema).items()
            if name in required
        }
    return None


def _number(value: Any, integer: bool) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if integer else value
    try:
        return int(str(value)) if integer else float(str(value))
    except ValueError:
        return None


def conform(schemas: Schemas, schema: Any, value: Any, now: float) -> Any:
    """``value`` made to fit ``schema``, or the schema's fill when it cannot."""
    schema = schemas.resolve(schema)
    kind = schema.get("type")
    if value.__class__ is str and kind == "string" and not schema.keys() & _STRICT:
        return value
    if value is None:
        return None if schema.get("nullable") else fill(schemas, schema, now)
    if isinstance(value, list) and kind not in ("array", None):
        value = value[0] if value else None
        return conform(schemas, schema, value, now)
    enum = schema.get("enum")
    if enum:
        return value if value in enum else fill(schemas, schema, now)
    if kind == "string":
        if isinstance(value, Mapping):
            return json.dumps(value)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not _compiled(pattern).search(text):
            # A path named the resource by another name (a unique name): answer its SID.
            return new_key(schema) if sid_prefix(schema) else fill(schemas, schema, now)
        return text
    if kind in ("integer", "number"):
        number = _number(value, kind == "integer")
        return fill(schemas, schema, now) if number is None else number
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        return text == "true" if text in ("true", "false") else fill(schemas, schema, now)
    if kind == "array":
        items = value if isinstance(value, list) else [value]
        return [conform(schemas, schema.get("items") or {}, v, now) for v in items]
    if kind == "object":
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return fill(schemas, schema, now)
        return value if isinstance(value, Mapping) else fill(schemas, schema, now)
    return value


def render(schemas: Schemas, schema: Any, record: Mapping[str, Any], now: float) -> Any:
    """The JSON a response carries for ``record``, shaped by ``schema``."""
    props = schemas.properties(schema)
    if not props:
        resolved = schemas.resolve(schema)
        if resolved.get("type") not in (None, "object"):
            return conform(schemas, resolved, record.get("value"), now)
        return dict(record)
    return {
        name: conform(schemas, prop, record[name], now)
        if name in record
        else fill(schemas, prop, now)
        for name, prop in props.items()
    }
