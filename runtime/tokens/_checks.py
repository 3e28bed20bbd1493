"""Argument checks shared by the token builders: clear errors before anything is signed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .._errors import ValidationError

__all__ = ["check_seconds", "check_sid", "check_text", "seconds", "sid", "text"]


def check_sid(prefix: str, name: str, value: object) -> str:
    """``value`` if it is a string SID starting with ``prefix``, else ValueError."""
    if not isinstance(value, str) or not value.startswith(prefix) or len(value) <= len(prefix):
        raise ValidationError(f"{name} must be a SID starting with {prefix}, not {value!r}")
    return value


def check_text(name: str, value: object) -> str:
    """``value`` if it is a non-empty string, else ValueError (the value is not echoed)."""
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{name} must be a non-empty string")
    return value


def check_seconds(name: str, value: object, *, positive: bool = False) -> int:
    """``value`` if it is a whole number of seconds (> 0 when ``positive``), else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < (1 if positive else 0):
        kind = "a positive number of seconds" if positive else "seconds since the epoch"
        raise ValidationError(f"{name} must be {kind}, not {value!r}")
    return value


Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]


def sid(prefix: str, *, optional: bool = False) -> Validator:
    """An attrs validator for a SID field with ``prefix`` (``None`` allowed if ``optional``)."""

    def validate(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (optional and value is None):
            check_sid(prefix, attribute.name, value)

    return validate


def text(*, optional: bool = False) -> Validator:
    """An attrs validator for a non-empty string field."""

    def validate(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (optional and value is None):
            check_text(attribute.name, value)

    return validate


def seconds(*, positive: bool = False, optional: bool = False) -> Validator:
    """An attrs validator for a whole-seconds field (a TTL when ``positive``, else a time)."""

    def validate(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (optional and value is None):
            check_seconds(attribute.name, value, positive=positive)

    return validate
