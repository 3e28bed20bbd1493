"""Argument checks generated service methods run before any I/O.

Each raises :class:`ValueError` naming the Python argument and what was wrong.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

__all__ = ["enum_value", "enum_values", "merge_headers", "path_param", "required"]

T = TypeVar("T")


def path_param(name: str, value: Any) -> str:
    """Return a path parameter's value; raise ValueError when it is empty or not a string."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def required(name: str, value: T | None) -> T:
    """Return a required argument's value; raise ValueError when it is None."""
    if value is None:
        raise ValueError(f"{name} is required")
    return value


def enum_value(name: str, value: T, allowed: type[enum.Enum]) -> T:
    """Return ``value`` when it is None or one of ``allowed``'s values; raise ValueError if not."""
    if value is not None and value not in allowed._value2member_map_:
        choices = ", ".join(repr(member.value) for member in allowed)
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def enum_values(name: str, values: Iterable[Any] | None, allowed: type[enum.Enum]) -> Any:
    """Check every item of a list argument against ``allowed``; return the list."""
    if values is None:
        return None
    if isinstance(values, str):
        raise ValueError(f"{name} must be a list of values, got the string {values!r}")
    items = list(values)
    for item in items:
        enum_value(name, item, allowed)
    return items


def merge_headers(
    headers: Mapping[str, str] | None, params: Mapping[str, Any]
) -> Mapping[str, str] | None:
    """Add the header parameters that were given (not None) to the caller's extra headers."""
    given = {
        key: ("true" if value else "false") if isinstance(value, bool) else str(value)
        for key, value in params.items()
        if value is not None
    }
    if not given:
        return headers
    if headers:
        return {**headers, **given}
    return given
