"""Encoding of query strings, form bodies and JSON bodies.

The rules are the :class:`~trunkline._operation.Caller` contract: ``None`` is left out,
``bool`` is ``true``/``false``, a list or tuple becomes repeated keys
(``StatusCallbackEvent=a&StatusCallbackEvent=b``, never ``Key[]=``), a ``dict`` becomes a
JSON string, datetimes and dates ISO 8601 (UTC as ``Z``), enums their value. A JSON body
is the mapping itself, serialized with the same scalar rules.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from trunkline._errors import ValidationError

__all__ = ["encode_form", "encode_json", "encode_query", "encode_scalar", "quote_path_value"]

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


def _pairs(params: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            for item in value:
                if item is not None:
                    yield key, encode_scalar(item)
        else:
            yield key, encode_scalar(value)


def encode_form(params: Mapping[str, Any]) -> str:
    """``application/x-www-form-urlencoded`` text for a body."""
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in _pairs(params))


def encode_query(params: Mapping[str, Any]) -> str:
    """A query string (without the ``?``); spaces become ``%20``."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in _pairs(params))


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
