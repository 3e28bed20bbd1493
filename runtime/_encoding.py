"""Encoding of query strings, form, multipart and JSON bodies, and styled parameters.

The rules are the :class:`~trunkline._operation.Caller` contract: ``None`` is left out,
``bool`` is ``true``/``false``, a list or tuple becomes repeated keys
(``StatusCallbackEvent=a&StatusCallbackEvent=b``, never ``Key[]=``), a ``dict`` becomes a
JSON string, datetimes and dates ISO 8601 (UTC as ``Z``), enums their value. A JSON body
is the mapping itself, serialized with the same scalar rules.

A parameter whose spec declares another OpenAPI ``style``/``explode`` (or a form body
property whose ``encoding`` does) arrives wrapped in :class:`Styled`, and is serialized
as that style says: ``deepObject`` (``page[number]=2``), ``form`` with objects spread
into keys or lists joined by commas, ``spaceDelimited``, ``pipeDelimited`` in a query;
``simple``, ``label`` (``.a.b``) and ``matrix`` (``;id=a``) in a path; ``simple`` in a
header (see :func:`encode_header`).
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any
from urllib.parse import quote, quote_plus

from trunkline._errors import ValidationError

__all__ = [
    "FileArg",
    "Styled",
    "encode_form",
    "encode_header",
    "encode_json",
    "encode_multipart",
    "encode_query",
    "encode_scalar",
    "quote_path_value",
    "styled",
    "styled_path",
]

FileArg = bytes | IO[bytes] | tuple[str, bytes, str]
"""A file in a multipart body: its bytes, a binary file object, or ``(filename, bytes,
content_type)``."""


class Styled:
    """A parameter value with the OpenAPI ``style`` and ``explode`` it is serialized by."""

    __slots__ = ("explode", "style", "value")

    def __init__(self, style: str, explode: bool, value: Any) -> None:
        self.style = style
        self.explode = explode
        self.value = value

    def __repr__(self) -> str:
        return f"Styled({self.style!r}, explode={self.explode})"


def styled(style: str, explode: bool, value: Any) -> Styled | None:
    """``value`` wrapped for its style, or None (left out) when it is None."""
    return None if value is None else Styled(style, explode, value)


_SAFE_PATH = re.compile(r"[A-Za-z0-9._~-]+").fullmatch
_DOT_SEGMENTS = frozenset({".", ".."})


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return _iso(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return list(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if _is_decimal(value):
        return str(value)
    raise ValidationError(f"cannot encode a {type(value).__name__} as JSON")


def _is_decimal(value: Any) -> bool:
    # decimal costs ~1 ms to import and is rarely passed; checked only as a last resort.
    from decimal import Decimal

    return isinstance(value, Decimal)


def _iso(value: _dt.datetime) -> str:
    text = value.isoformat()
    # Twilio documents and echoes UTC as "Z"; "+00:00" is equivalent but less familiar.
    if text.endswith("+00:00"):
        return text[:-6] + "Z"
    return text


def encode_scalar(value: Any) -> str:
    """One value as text for a form or query string.

    Raises:
        ValidationError: for a value with no text form (bytes, arbitrary objects).
    """
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, enum.Enum):
        return encode_scalar(value.value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, _dt.datetime):
        return _iso(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(value, default=_json_default, separators=(",", ":"))
    if _is_decimal(value):
        return str(value)
    raise ValidationError(f"cannot encode a {type(value).__name__} as a form or query value")


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _items(value: Any) -> list[tuple[str, Any]] | list[Any]:
    if isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items() if v is not None]
    if isinstance(value, list | tuple | set | frozenset):
        return [v for v in value if v is not None]
    return [value]


def _styled_pairs(key: str, value: Styled) -> Iterable[tuple[str, str]]:
    """The ``(name, text)`` pairs of a styled query or form value."""
    inner, style = value.value, value.style
    if style == "deepObject":
        if not isinstance(inner, Mapping):
            raise ValidationError(f"{key} must be a mapping (style deepObject)")
        yield from _deep(key, inner)
        return
    items = _items(inner)
    if isinstance(inner, Mapping):
        if value.explode and style == "form":
            yield from ((k, encode_scalar(v)) for k, v in items)
        else:
            flat = [text for k, v in items for text in (k, encode_scalar(v))]
            yield key, _DELIMITERS.get(style, ",").join(flat)
    elif value.explode:
        yield from ((key, encode_scalar(item)) for item in items)
    else:
        yield key, _DELIMITERS.get(style, ",").join(encode_scalar(item) for item in items)


def _deep(prefix: str, value: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    # Nested objects nest the brackets (``filter[date][gte]``), as Rails and qs read them.
    for key, item in value.items():
        name = f"{prefix}[{key}]"
        if item is None:
            continue
        if isinstance(item, Mapping):
            yield from _deep(name, item)
        elif isinstance(item, list | tuple):
            yield from ((name, encode_scalar(i)) for i in item if i is not None)
        else:
            yield name, encode_scalar(item)


def _pairs(params: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            for item in value:
                if item is not None:
                    yield key, encode_scalar(item)
        elif isinstance(value, Styled):
            yield from _styled_pairs(key, value)
        else:
            yield key, encode_scalar(value)


def encode_form(params: Mapping[str, Any]) -> str:
    """``application/x-www-form-urlencoded`` text for a body."""
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in _pairs(params))


def encode_query(params: Mapping[str, Any]) -> str:
    """A query string (without the ``?``); spaces become ``%20``."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in _pairs(params))


def encode_header(value: Any) -> str:
    """A header parameter's value in OpenAPI's ``simple`` style.

    A list is joined by commas (``a,b``); an object is ``k,v,k2,v2``, or ``k=v,k2=v2``
    when :class:`Styled` says ``explode``; a scalar as in a query.
    """
    explode = False
    if isinstance(value, Styled):
        value, explode = value.value, value.explode
    if isinstance(value, Mapping):
        items = [(str(k), encode_scalar(v)) for k, v in value.items() if v is not None]
        if explode:
            return ",".join(f"{k}={v}" for k, v in items)
        return ",".join(text for pair in items for text in pair)
    if isinstance(value, list | tuple):
        return ",".join(encode_scalar(item) for item in value if item is not None)
    return encode_scalar(value)


def _file_part(value: Any) -> tuple[str | None, bytes, str] | None:
    """``(filename, content, content type)`` when ``value`` is a file, None otherwise."""
    if isinstance(value, bytes | bytearray | memoryview):
        return None, bytes(value), "application/octet-stream"
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], bytes | bytearray):
        return str(value[0]), bytes(value[1]), str(value[2])
    read = getattr(value, "read", None)
    if callable(read):
        content = read()
        if not isinstance(content, bytes):
            raise ValidationError("a file object in a multipart body must be opened in binary mode")
        name = getattr(value, "name", None)
        filename = os.path.basename(name) if isinstance(name, str) else None
        return filename, content, "application/octet-stream"
    return None


def _quoted_name(text: str) -> str:
    # RFC 7578 §4.2: quotes and line breaks in a field or file name are percent-encoded.
    return text.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def encode_multipart(params: Mapping[str, Any], boundary: str) -> bytes:
    """A ``multipart/form-data`` body (RFC 7578) with ``boundary``.

    Files (see :data:`FileArg`) become parts with a filename and their content type;
    lists become one part per item; a mapping a JSON part; other values text parts
    encoded as in a form.
    """
    out = bytearray()
    for key, value in params.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            header = f'Content-Disposition: form-data; name="{_quoted_name(key)}"'
            part = _file_part(item)
            if part is not None:
                filename, content, content_type = part
                if filename is not None:
                    header += f'; filename="{_quoted_name(filename)}"'
                header += f"\r\nContent-Type: {content_type}"
            elif isinstance(item, Mapping):
                content = json.dumps(item, default=_json_default, separators=(",", ":")).encode()
                header += "\r\nContent-Type: application/json"
            else:
                content = encode_scalar(item).encode()
            out += f"--{boundary}\r\n{header}\r\n\r\n".encode() + content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def encode_json(body: Mapping[str, Any]) -> bytes:
    """A JSON body: ``None`` members dropped at the top level, scalars as in a form."""
    clean = {k: v for k, v in body.items() if v is not None}
    return json.dumps(clean, default=_json_default, separators=(",", ":")).encode()


def quote_path_value(name: str, value: Any) -> str:
    """A path parameter's value, percent-quoted so it stays one path segment.

    Raises:
        ValidationError: when the value is empty or None, or a dot segment (``.`` or
            ``..``): each would address another resource (URL parsers collapse dot
            segments, and a server may decode ``%2E`` back to a dot first).
    """
    if isinstance(value, _Rendered):
        return value
    if value is None or value == "":
        raise ValidationError(f"path parameter {name!r} must be a non-empty string")
    text = value if isinstance(value, str) else encode_scalar(value)
    if text in _DOT_SEGMENTS:
        raise ValidationError(
            f"path parameter {name!r} must not be {text!r}: a dot segment names another path"
        )
    # SIDs and most identities need no quoting; checking first skips quote()'s encode step.
    if _SAFE_PATH(text):
        return text
    return quote(text, safe="")


class _Rendered(str):
    """A path value its style has serialized (and quoted) already: sent as it is."""

    __slots__ = ()


def styled_path(style: str, explode: bool, name: str, value: Any) -> str:
    """A path parameter's value serialized by its ``style`` (see :func:`_styled_path`)."""
    return _Rendered(_styled_path(name, Styled(style, explode, value)))


def _styled_path(name: str, value: Styled) -> str:
    """A ``simple``, ``label`` or ``matrix`` path value (RFC 6570 ``{x}``, ``{.x}``, ``{;x}``)."""
    inner = value.value
    items = _items(inner)
    if isinstance(inner, Mapping):
        texts = (
            [f"{quote_path_value(name, k)}={quote_path_value(name, v)}" for k, v in items]
            if value.explode
            else [quote_path_value(name, t) for k, v in items for t in (k, v)]
        )
    else:
        texts = [quote_path_value(name, item) for item in items]
    if not texts:
        raise ValidationError(f"path parameter {name!r} must not be empty")
    if value.style == "label":
        return "." + ("." if value.explode else ",").join(texts)
    if value.style == "matrix":
        key = quote(name, safe="")
        if value.explode and not isinstance(inner, Mapping):
            return "".join(f";{key}={text}" for text in texts)
        if value.explode:
            return "".join(f";{text}" for text in texts)
        return f";{key}=" + ",".join(texts)
    return ",".join(texts)
