"""Argument checks generated service methods run before any I/O.

Each raises :class:`~trunkline.ValidationError` (a :class:`ValueError` too) naming the
Python argument and the rule it broke. The constraint checks (:func:`string`,
:func:`number`, :func:`array`, :func:`mapping`) carry what the spec states
(``format: uuid``/``email``, ``minLength``/``maxLength``, ``minimum``/``maximum``,
``minItems``/``maxItems``, ``format: date``/``date-time``); regex ``pattern``s are left
to the server. Every check
returns its value unchanged and lets None through at once, so an optional argument left
out costs one comparison.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from trunkline._encoding import encode_header
from trunkline._errors import ValidationError

__all__ = [
    "array",
    "date",
    "date_time",
    "enum_value",
    "enum_values",
    "mapping",
    "merge_headers",
    "number",
    "path_param",
    "required",
    "string",
]

T = TypeVar("T")

# Deliberately loose: the server owns the real rules; this only catches values that are
# plainly not an address (no @, blanks) before a round trip.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
# An argument whose name says it is a credential is never echoed in an error, only measured.
_SECRET = re.compile(r"password|secret|token|private_key|api_key", re.IGNORECASE)


def _kind(value: Any) -> str:
    kind = type(value).__name__
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _shown(name: str, value: Any) -> str:
    if _SECRET.search(name):
        if isinstance(value, str):
            return f"a str of length {len(value)}"
        return _kind(value)
    return repr(value)


def _bounds(low: float | None, high: float | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}{unit}" if low != high else f"exactly {low}{unit}"
    if low is not None:
        return f"at least {low}{unit}"
    return f"at most {high}{unit}"


def string(
    name: str,
    value: T,
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    fmt: str | None = None,
) -> T:
    """Check a string argument's length (``minLength``/``maxLength``) and ``format``.

    ``fmt`` is ``uuid`` or ``email``; other formats are not checked.
    """
    if value is None:
        return value
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {_kind(value)}")
    size = len(value)
    if (min_length is not None and size < min_length) or (
        max_length is not None and size > max_length
    ):
        wanted = _bounds(min_length, max_length, " characters")
        got = f"{size}" if _SECRET.search(name) else f"{size} ({value!r})"
        raise ValidationError(f"{name} must be {wanted} long, got {got}")
    if fmt == "uuid":
        # Imported here: few arguments are UUIDs, and uuid costs ≈ 0.5 ms at import.
        import uuid

        try:
            uuid.UUID(value)
        except ValueError:
            raise ValidationError(
                f"{name} must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (format: "
                f"uuid), got {_shown(name, value)}"
            ) from None
    elif fmt == "email" and not _EMAIL.fullmatch(value):
        raise ValidationError(
            f"{name} must be an email address like ana@example.com (format: email), "
            f"got {_shown(name, value)}"
        )
    return value


def number(
    name: str,
    value: T,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = False,
) -> T:
    """Check a number argument against ``minimum``/``maximum`` (inclusive).

    With ``integer`` a float is refused too; a bool is never a number here.
    """
    if value is None:
        return value
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (integer and not isinstance(value, int))
    ):
        kind = "a whole number" if integer else "a number"
        raise ValidationError(f"{name} must be {kind}, got {_shown(name, value)}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValidationError(
            f"{name} must be {_bounds(minimum, maximum, '')}, got {_shown(name, value)}"
        )
    return value


def array(
    name: str,
    value: T,
    *,
    min_items: int | None = None,
    max_items: int | None = None,
    each: Callable[..., Any] | None = None,
    **rules: Any,
) -> T:
    """Check a list argument's size (``minItems``/``maxItems``), then each item.

    ``each`` is :func:`string` or :func:`number`, called with ``rules`` on every item
    (named ``name[i]`` in errors).
    """
    if value is None:
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(f"{name} must be a list, got {_kind(value)}")
    items = value if isinstance(value, list | tuple) else list(value)
    size = len(items)
    if (min_items is not None and size < min_items) or (max_items is not None and size > max_items):
        wanted = _bounds(min_items, max_items, " items")
        raise ValidationError(f"{name} must hold {wanted}, got {size}")
    if each is not None:
        for index, item in enumerate(items):
            each(f"{name}[{index}]", item, **rules)
    if items is value:
        return value
    listed: T = items  # type: ignore[assignment]
    return listed


def date(name: str, value: T) -> T:
    """Check a ``format: date`` argument: a :class:`datetime.date`, not a datetime.

    A datetime is refused rather than cut to its date: which day it falls on depends on
    its time zone, and the server reads dates as UTC.
    """
    if value is None:
        return value
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        hint = " (pass its .date() in UTC)" if isinstance(value, _dt.datetime) else ""
        raise ValidationError(f"{name} must be a datetime.date, got {_kind(value)}{hint}")
    return value


def date_time(name: str, value: Any, *, date_ok: bool = False) -> Any:
    """Check a ``format: date-time`` argument and return it in UTC.

    A naive datetime is refused: it has no instant until a time zone is chosen, and
    guessing (local time? UTC?) would move a filter by hours without a word. With
    ``date_ok`` (query filters Twilio documents as ``YYYY-MM-DD`` too) a date passes as is.
    """
    if value is None:
        return value
    if isinstance(value, _dt.datetime):
        if value.utcoffset() is None:
            raise ValidationError(
                f"{name} must be a timezone-aware datetime (a naive one has no instant): "
                "give it a tzinfo, e.g. datetime.now(datetime.UTC)"
            )
        return value.astimezone(_dt.UTC)
    if date_ok and isinstance(value, _dt.date):
        return value
    wanted = "an aware datetime.datetime or a datetime.date" if date_ok else "an aware datetime"
    raise ValidationError(f"{name} must be {wanted}, got {_kind(value)}")


def mapping(name: str, value: T) -> T:
    """Check that an object argument is a mapping (it is sent as a JSON object)."""
    if value is not None and not isinstance(value, Mapping):
        raise ValidationError(
            f"{name} must be a mapping (sent as a JSON object), got {_kind(value)}"
        )
    return value


def path_param(name: str, value: Any) -> str:
    """Return a path parameter's value; raise when it is empty, not a string, or ``.``/``..``.

    A dot segment would name the parent (``..``) or the collection (``.``) instead.
    """
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{name} must be a non-empty string, got {_kind(value)}")
    if value in (".", ".."):
        raise ValidationError(f"{name} must not be {value!r}: a dot segment names another path")
    return value


def required(name: str, value: T | None) -> T:
    """Return a required argument's value; raise ValidationError when it is None."""
    if value is None:
        raise ValidationError(f"{name} is required")
    return value


def enum_value(name: str, value: T, allowed: type[enum.Enum]) -> T:
    """Return ``value`` when it is None or one of ``allowed``'s values; raise if not."""
    if value is not None and value not in allowed._value2member_map_:
        choices = ", ".join(repr(member.value) for member in allowed)
        raise ValidationError(f"{name} must be one of {choices}, got {value!r}")
    return value


def enum_values(name: str, values: Iterable[Any] | None, allowed: type[enum.Enum]) -> Any:
    """Check every item of a list argument against ``allowed``; return the list."""
    if values is None:
        return None
    if isinstance(values, str):
        raise ValidationError(f"{name} must be a list of values, got the string {values!r}")
    items = list(values)
    for item in items:
        enum_value(name, item, allowed)
    return items


def merge_headers(
    headers: Mapping[str, str] | None, params: Mapping[str, Any]
) -> Mapping[str, str] | None:
    """Add the header parameters that were given (not None) to the caller's extra headers.

    Values are encoded in OpenAPI's ``simple`` style (lists joined by commas).
    """
    given = {key: encode_header(value) for key, value in params.items() if value is not None}
    if not given:
        return headers
    if headers:
        return {**headers, **given}
    return given
