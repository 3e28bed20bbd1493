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
import string
from collections.abc import Mapping
from typing import Any

from ._catalog import Schemas

__all__ = ["conform", "fill", "render", "sid_prefix", "stamp"]

_PREFIX = re.compile(r"^\^?\(?([A-Z]{2})[|)\[]")
_DATE_FORMATS = frozenset({"date-time", "date-time-rfc-2822", "date"})
_STRICT = frozenset({"enum", "pattern", "maxLength", "minLength", "format"})
# A key shaped as a literal prefix then character classes of fixed counts
# (``^know_knowledge_[0-7][0-9a-z]{25}$``, the TypeIDs of the 2025 APIs).
_SHAPED = re.compile(r"^\^([A-Za-z0-9_:-]*)((?:\[[^\]\\]+\](?:\{\d+\})?)+)\$$")
_CLASS = re.compile(r"\[([^\]\\]+)\](?:\{(\d+)\})?")
_DEPTH = 6


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


@functools.cache
def _alphabet(members: str) -> str:
    """The letters and digits a bracket class such as ``0-9a-zA-Z`` admits."""
    admits = _compiled(f"[{members}]")
    return "".join(c for c in string.digits + string.ascii_letters if admits.fullmatch(c))


def _shaped_key(schema: Mapping[str, Any]) -> str | None:
    """A random value for a prefix-then-classes pattern, or None when it is not one."""
    pattern = schema.get("pattern")
    found = _SHAPED.match(pattern) if isinstance(pattern, str) else None
    if found is None:
        return None
    parts = [found.group(1)]
    for members, count in _CLASS.findall(found.group(2)):
        alphabet = _alphabet(members)
        if not alphabet:
            return None
        parts.extend(secrets.choice(alphabet) for _ in range(int(count or 1)))
    return "".join(parts)


def new_key(schema: Mapping[str, Any]) -> str:
    """A fresh key for a property with a SID or TypeID pattern (``ZZ`` SID when it names none)."""
    prefix = sid_prefix(schema)
    if prefix is None:
        shaped = _shaped_key(schema)
        if shaped is not None:
            return shaped
    return (prefix or "ZZ") + secrets.token_hex(16)


def stamp(seconds: float, fmt: str | None) -> str:
    """A date in the property's format: RFC 2822 for the 2010 API, ISO 8601 otherwise."""
    moment = dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC)
    if fmt == "date-time-rfc-2822":
        return email.utils.format_datetime(moment)
    if fmt == "date":
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _discriminated(schemas: Schemas, schema: Mapping[str, Any], now: float, depth: int) -> Any:
    """A oneOf/anyOf filled by its first branch, its discriminator set to select that branch."""
    branch = (schema.get("oneOf") or schema.get("anyOf") or [{}])[0]
    value = fill(schemas, branch, now, depth)
    discriminator = schema.get("discriminator")
    if not isinstance(value, dict) or not isinstance(discriminator, Mapping):
        return value
    name = discriminator.get("propertyName")
    if not isinstance(name, str):
        return value
    ref = branch.get("$ref") if isinstance(branch, Mapping) else None
    mapped = [tag for tag, target in (discriminator.get("mapping") or {}).items() if target == ref]
    if mapped:
        value[name] = mapped[0]
    elif name not in value:
        # Without a mapping the tag is the branch's own value, or its schema name.
        own = schemas.properties(branch).get(name) or {}
        value[name] = (own.get("enum") or [str(ref or "").rsplit("/", 1)[-1]])[0]
    return value


def fill(schemas: Schemas, schema: Any, now: float, depth: int = 0) -> Any:
    """A value for a property nobody set, taken from its schema."""
    schema = schemas.resolve(schema)
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("nullable"):
        return None
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches and depth <= _DEPTH and not schema.keys() & {"properties", "allOf"}:
        # properties() draws a oneOf as its first branch: the fill takes the same one.
        return _discriminated(schemas, schema, now, depth + 1)
    kind = schema.get("type")
    if kind == "string":
        fmt = schema.get("format")
        if fmt in _DATE_FORMATS:
            return stamp(now, fmt)
        if sid_prefix(schema) or _shaped_key(schema):
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
        if depth > _DEPTH:
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


def _fits(schema: Mapping[str, Any], text: str) -> bool:
    """Whether ``text`` keeps the string rules of ``schema`` (length, pattern, date format)."""
    if len(text) > int(schema.get("maxLength", len(text))):
        return False
    if len(text) < int(schema.get("minLength") or 0):
        return False
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _compiled(pattern).search(text):
        return False
    return _is_date(text, schema.get("format"))


def _is_date(text: str, fmt: Any) -> bool:
    try:
        if fmt == "date-time-rfc-2822":
            email.utils.parsedate_to_datetime(text)
        elif fmt == "date-time":
            dt.datetime.fromisoformat(text)
        elif fmt == "date":
            dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def _conform_object(
    schemas: Schemas, schema: Mapping[str, Any], value: Mapping[str, Any], now: float, depth: int
) -> dict[str, Any]:
    """``value`` with its known properties conformed and the missing required ones filled."""
    props = schemas.properties(schema)
    out = dict(value)
    if depth > _DEPTH or not props:
        return out
    for name, prop in props.items():
        if name in out:
            out[name] = conform(schemas, prop, out[name], now, depth + 1)
    for name in schema.get("required") or ():
        if name not in out and name in props:
            out[name] = fill(schemas, props[name], now, depth + 1)
    return out


def _branch(schema: Mapping[str, Any], value: Mapping[str, Any]) -> Any:
    """The oneOf/anyOf branch ``value``'s discriminator names, else the first one."""
    branches = schema.get("oneOf") or schema.get("anyOf") or [{}]
    discriminator = schema.get("discriminator")
    if isinstance(discriminator, Mapping):
        tag = value.get(str(discriminator.get("propertyName")))
        target = (discriminator.get("mapping") or {}).get(tag)
        for branch in branches:
            if isinstance(branch, Mapping) and target is not None and branch.get("$ref") == target:
                return branch
    return branches[0]


def conform(schemas: Schemas, schema: Any, value: Any, now: float, depth: int = 0) -> Any:
    """``value`` made to fit ``schema``, or the schema's fill when it cannot."""
    schema = schemas.resolve(schema)
    kind = schema.get("type")
    if (
        isinstance(value, Mapping)
        and (schema.get("oneOf") or schema.get("anyOf"))
        and not schema.keys() & {"properties", "allOf"}
        and depth <= _DEPTH
    ):
        return conform(schemas, _branch(schema, value), value, now, depth + 1)
    if value.__class__ is str and kind == "string" and not schema.keys() & _STRICT:
        return value
    if value is None:
        return None if schema.get("nullable") else fill(schemas, schema, now, depth)
    if isinstance(value, list) and kind not in ("array", None):
        value = value[0] if value else None
        return conform(schemas, schema, value, now, depth)
    enum = schema.get("enum")
    if enum:
        return value if value in enum else fill(schemas, schema, now, depth)
    if kind == "string":
        if isinstance(value, Mapping):
            return json.dumps(value)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if _fits(schema, text):
            return text
        # A path named the resource by another name (a unique name): answer its SID.
        return new_key(schema) if sid_prefix(schema) else fill(schemas, schema, now, depth)
    if kind in ("integer", "number"):
        number = _number(value, kind == "integer")
        return fill(schemas, schema, now, depth) if number is None else number
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        return text == "true" if text in ("true", "false") else fill(schemas, schema, now, depth)
    if kind == "array":
        items = value if isinstance(value, list) else [value]
        return [conform(schemas, schema.get("items") or {}, v, now, depth + 1) for v in items]
    if kind == "object" or "properties" in schema or "allOf" in schema:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return fill(schemas, schema, now, depth)
        if not isinstance(value, Mapping):
            return fill(schemas, schema, now, depth)
        return _conform_object(schemas, schema, value, now, depth)
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
