"""Arguments for every operation, synthesized from the spec alone.

Each parameter gets a Python value that satisfies its schema (enum values, strings that
match SID patterns and length limits, numbers within bounds, date-times, URIs, phone
numbers) and the keyword name the agreed naming gives it: snake_case of the wire name,
dots to underscores, ``X>``/``X<`` to ``x_after``/``x_before``, a trailing underscore
on Python keywords.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ._spec import JSON_TYPES, Param, SpecOperation, resolve

__all__ = [
    "PAGING_PARAMS",
    "VARIANTS",
    "WHOLE_BODY",
    "Argument",
    "CallPlan",
    "PatternError",
    "plan_call",
    "python_name",
    "sample",
    "sample_pattern",
]

# List operations take these through ``page_size`` (and the runtime's paging), not by name.
PAGING_PARAMS = frozenset({"PageSize", "Page", "PageToken"})
# Token-paged lists (twilio_token) drive these instead; no other operation has them.
TOKEN_PAGING_PARAMS = frozenset({"Size", "Token"})
# camelCase token lists (twilio_camel_token) drive these on GET; a POST takes them by name.
CAMEL_PAGING_PARAMS = frozenset({"pageSize", "pageToken"})
# Each operation is called twice: with what the spec requires, and with everything it lists.
VARIANTS = (("required arguments", False), ("every argument", True))
# The wire name of an argument that is a whole free-form JSON body.
WHOLE_BODY = "*"
# Sent by the runtime itself (a caller's value would replace the client's credentials) or
# by aiohttp (compression): a sample value would misdescribe the body or the answer.
RUNTIME_HEADERS = frozenset({"Authorization", "Accept-Encoding", "Content-Encoding"})
SAMPLE_DATETIME = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
SAMPLE_DATE = dt.date(2024, 5, 6)
SAMPLE_PHONE = "+15005550006"
SAMPLE_URI = "https://example.com/contract"
SAMPLE_EMAIL = "contract@example.com"
SAMPLE_UUID = "123e4567-e89b-12d3-a456-426614174000"
_HEX = "0123456789abcdef"
_INEQUALITIES = (("<=", "_on_or_before"), (">=", "_on_or_after"), ("<", "_before"), (">", "_after"))


class PatternError(ValueError):
    """A pattern uses regular-expression syntax the sampler does not handle."""


def python_name(wire: str) -> str:
    """The keyword argument name for a wire name (``DateCreated>`` → ``date_created_after``)."""
    suffix = ""
    for mark, word in _INEQUALITIES:
        if wire.endswith(mark):
            wire, suffix = wire[: -len(mark)], word
            break
    words = re.sub(r"[^0-9A-Za-z]+", "_", wire)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", words)
    name = words.strip("_").lower() + suffix
    return f"{name}_" if keyword.iskeyword(name) else name


def _class_chars(body: str) -> str:
    chars: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            chars.extend(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            chars.append(body[i])
            i += 1
    return "".join(chars)


def sample_pattern(pattern: str) -> str:
    """A string matching ``pattern`` (anchored or not), built from a small regex subset.

    Handles literals, ``.``, character classes with ranges, ``(a|b)`` groups, ``{n}`` /
    ``{n,m}`` counts and ``+``/``*``/``?`` (taken once); anything else raises
    :class:`PatternError` so a new pattern shape is noticed rather than guessed at.
    """
    body = pattern.removeprefix("^").removesuffix("$")
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "[":
            end = body.index("]", i)
            options = _class_chars(body[i + 1 : end])
            i = end + 1
        elif ch == "(":
            end = body.index(")", i)
            after = body[end + 1 :]
            optional = re.match(r"\{0(,\d*)?\}|\?|\*", after)
            if optional:
                # A group that may be left out (``(,BU[0-9a-f]{32}){0,19}``) is left out.
                i = end + 1 + optional.end()
                continue
            options_list = body[i + 1 : end].split("|")
            if any(re.search(r"[\[\](){}*+?\\.]", o) for o in options_list):
                raise PatternError(f"unsupported group in pattern {pattern!r}")
            out.append(options_list[0])
            i = end + 1
            continue
        elif ch == ".":
            options = "x"
            i += 1
        elif ch in "\\*+?{}|^$":
            raise PatternError(f"unsupported syntax {ch!r} in pattern {pattern!r}")
        else:
            options = ch
            i += 1
        count = 1
        if i < len(body) and body[i] == "{":
            end = body.index("}", i)
            count = int(body[i + 1 : end].split(",")[0])
            i = end + 1
        elif i < len(body) and body[i] in "+*?":
            i += 1
        if options == ch:
            out.append(ch * count)
        else:
            hexish = [c for c in _HEX if c in options]
            pool = hexish or list(options)
            out.append("".join(pool[k % len(pool)] for k in range(count)))
    value = "".join(out)
    if not re.fullmatch(body, value):
        raise PatternError(f"sample {value!r} does not match pattern {pattern!r}")
    return value


def _sample_string(schema: Mapping[str, Any]) -> Any:
    fmt = schema.get("format")
    if "pattern" in schema:
        return sample_pattern(str(schema["pattern"]))
    if fmt == "date-time":
        return SAMPLE_DATETIME
    if fmt == "date":
        return SAMPLE_DATE
    if fmt in ("uri", "endpoint"):
        return SAMPLE_URI
    if fmt == "email":
        return SAMPLE_EMAIL
    if fmt == "uuid":
        return SAMPLE_UUID
    if fmt == "phone-number":
        return SAMPLE_PHONE
    if fmt == "iso-country-code":
        return "US"
    if fmt == "twiml":
        return "<Response><Say>contract</Say></Response>"
    text = "contract"
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None and len(text) > int(high):
        text = text[: int(high)]
    return text


def _sample_number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low = schema.get("minimum")
    high = schema.get("maximum")
    value: float = 1 if integer else 1.5
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return int(value) if integer else float(value)


def sample(doc: Mapping[str, Any], schema: Mapping[str, Any], depth: int = 0) -> Any:
    """A Python value that satisfies ``schema`` (references resolved against ``doc``)."""
    schema = resolve(doc, schema)
    if depth > 8:
        raise ValueError("schema nests too deeply to sample")
    for combinator in ("allOf", "oneOf", "anyOf"):
        # ``type: object`` beside ``oneOf`` still leaves the shape to the alternatives.
        if combinator in schema and ("type" not in schema or not schema.get("properties")):
            parts = [resolve(doc, s) for s in schema[combinator]]
            if combinator != "allOf":
                return sample(doc, parts[0], depth + 1)
            # A constrained scalar (``allOf: [{$ref: a SID pattern}]``) keeps its type; an
            # object takes every part's properties.
            merged: dict[str, Any] = {"properties": {}, "required": []}
            for part in parts:
                merged.update({k: v for k, v in part.items() if k not in merged})
                merged["properties"].update(part.get("properties", {}))
                merged["required"].extend(part.get("required", []))
            if merged["properties"] or "type" not in merged:
                merged["type"] = "object"
            return sample(doc, merged, depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return _sample_string(schema)
    if kind == "integer":
        return _sample_number(schema, integer=True)
    if kind == "number":
        return _sample_number(schema, integer=False)
    if kind == "boolean":
        return True
    if kind == "array":
        items = schema.get("items") or {"type": "string"}
        first = sample(doc, items, depth + 1)
        resolved = resolve(doc, items)
        if resolved.get("type", "string") == "string" and not (
            "enum" in resolved or "pattern" in resolved or "format" in resolved
        ):
            return ["contract-a", "contract-b"]
        # Two distinct enum values show that a list goes out as repeated keys.
        values = list(dict.fromkeys(resolved.get("enum", [])))[:2]
        if len(values) == 2:
            return values
        low = int(schema.get("minItems", 1))
        return [first] * max(low, 1)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = schema.get("required", [])
        extra = schema.get("additionalProperties")
        if not props and isinstance(extra, Mapping) and extra:
            # A map of typed values (``{channel: settings}``) needs a value of that type.
            return {"contract": sample(doc, extra, depth + 1)}
        if not props:
            return {"contract": "value"}
        return {key: sample(doc, props[key], depth + 1) for key in required if key in props}
    return {"contract": "value"}


@attrs.frozen
class Argument:
    """One argument of a planned call: its Python name and value, and where it goes."""

    name: str
    wire: str
    location: str
    value: Any


@attrs.frozen
class CallPlan:
    """How to call one operation's generated method: positional path values, keywords."""

    operation: SpecOperation
    positional: tuple[Argument, ...]
    keywords: tuple[Argument, ...]
    default_account: bool

    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments as a dict."""
        return {a.name: a.value for a in self.keywords}


def _path_order(op: SpecOperation) -> list[str]:
    return re.findall(r"\{([^}]+)\}", op.path)


def plan_call(doc: Mapping[str, Any], op: SpecOperation, *, optional: bool = True) -> CallPlan:
    """Arguments for ``op``: every required parameter and, with ``optional``, every other.

    The 2010 API's ``AccountSid`` path parameter is left to the client's default account.
    Paging parameters and runtime-owned headers are left out; a JSON body's top-level
    properties become keywords (nested values as dicts and lists), and a free-form JSON
    body (no properties) is passed whole as ``body``.
    """
    by_wire = {p.wire: p for p in op.params if p.location == "path"}
    positional: list[Argument] = []
    default_account = False
    for wire in _path_order(op):
        param = by_wire.get(wire, Param(wire, "path", True, {"type": "string"}))
        if wire == "AccountSid" and op.path.startswith("/2010-04-01/Accounts/{AccountSid}"):
            default_account = True
            continue
        value = sample(doc, param.schema)
        positional.append(Argument(python_name(wire), wire, "path", value))
    keywords: list[Argument] = []
    # A body the spec marks required but whose fields are all optional still needs a field.
    body_needs_fields = op.body_required and not any(
        p.required for p in op.params if p.location == "body"
    )
    for param in op.params:
        if param.location == "path" or param.wire in PAGING_PARAMS:
            continue
        if param.location == "query" and param.wire in TOKEN_PAGING_PARAMS:
            continue
        if (
            op.method == "GET"
            and param.location == "query"
            and param.wire in CAMEL_PAGING_PARAMS
            and not param.required
        ):
            continue
        if param.location == "header" and param.wire in RUNTIME_HEADERS:
            continue
        if not (param.required or optional or body_needs_fields):
            continue
        value = sample(doc, param.schema)
        keywords.append(Argument(python_name(param.wire), param.wire, param.location, value))
    if op.content_type in JSON_TYPES and op.body_schema is not None:
        schema = resolve(doc, op.body_schema)
        required = set(schema.get("required", []))
        if not schema.get("properties") and (optional or op.body_required):
            # A free-form JSON body has no fields to name; the method takes it whole.
            # A body that is one of several shapes (``oneOf``) gets a sample of the first.
            keywords.append(Argument("body", WHOLE_BODY, "body", sample(doc, schema)))
        for wire, prop in schema.get("properties", {}).items():
            if resolve(doc, prop).get("readOnly") is True:
                # The server's field (an id it assigns): the method takes no argument for it.
                continue
            if wire in required or optional or (body_needs_fields and not required):
                value = sample(doc, prop)
                keywords.append(Argument(python_name(wire), wire, "body", value))
    return CallPlan(
        operation=op,
        positional=tuple(positional),
        keywords=tuple(keywords),
        default_account=default_account,
    )
