"""Support code for generated attrs models: decoding helpers, open enums, date parsing.

Generated models decode a response object with direct dict lookups and keep the object
itself as ``raw`` (no copy per item), so fields the spec does not know yet stay reachable
through :attr:`Model.extra`. Enums are open: a value the API adds later decodes to the
plain string instead of failing.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self, TypeVar, overload

import attrs

from trunkline._errors import ResponseShapeError

__all__ = [
    "EnumLookup",
    "Model",
    "OpenEnum",
    "as_is",
    "date",
    "enum_lookup",
    "iso_datetime",
    "list_of",
    "model_list",
    "nested",
    "new_model",
    "one_of",
    "one_of_list",
    "open_enum_list",
    "rfc2822_datetime",
    "union_of",
]

T = TypeVar("T")
E = TypeVar("E", bound="OpenEnum")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


class OpenEnum(enum.StrEnum):
    """Base of generated enums; members compare equal to their string values."""


@attrs.define(kw_only=True)
class Model:
    """Base of generated response models.

    ``raw`` is the decoded JSON object the model was built from, as received.

    A generated ``from_dict`` makes the instance with :func:`new_model` and sets every
    field itself rather than calling the keyword-only ``__init__`` (see there); a
    subclass that adds fields sets them in a ``from_dict`` of its own.
    """

    _wire_names: ClassVar[frozenset[str]] = frozenset()
    _required_wires: ClassVar[frozenset[str]] = frozenset()

    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Decode one JSON object; each generated model defines its own."""
        raise NotImplementedError

    @property
    def extra(self) -> dict[str, Any]:
        """The response fields this model's spec does not describe, by wire name."""
        known = self._wire_names
        return {key: value for key, value in self.raw.items() if key not in known}


new_model: Callable[[type[T]], T] = object.__new__
"""An instance of a generated model with no field set yet (``from_dict`` sets them all).

A keyword call of the attrs ``__init__`` binds each of a model's fields by name: 0.71 µs
for the 13 fields of a Verify factor, where the whole ``from_dict`` now takes 1.13
(``python bench/in_process.py decode``). Models have no validators, converters or
``__setattr__`` hooks, so the instance is the same; a test compares the two for every
generated model.
"""


def as_is(value: Any) -> Any:
    """The JSON value itself, for items the spec gives no model."""
    return value


class EnumLookup(dict[Any, E | str | None]):
    """Decodes an open enum's JSON value by subscription: ``table[value]``.

    ``table[value]`` is the member with that value, None for None, and ``str(value)`` for a
    value the enum does not know (one the API added later). Known values and None cost no
    Python call: generated models decode every enum field of every item through one.
    """

    __slots__ = ()

    def __missing__(self, key: Any) -> str:
        return str(key)


def enum_lookup(cls: type[E]) -> EnumLookup[E]:
    """The :class:`EnumLookup` of ``cls``, built once per enum when its module loads."""
    table: EnumLookup[E] = EnumLookup(cls._value2member_map_)
    table[None] = None
    return table


def open_enum_list(cls: type[E], value: Any) -> list[E | str] | None:
    """A list of open enum values, or None."""
    if value is None:
        return None
    lookup = cls._value2member_map_
    return [lookup.get(item, item) for item in value]


def iso_datetime(value: Any) -> _dt.datetime | None:
    """Parse an ISO 8601 date-time; None for None or a value that is not one."""
    if value is None:
        return None
    try:
        return _dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def rfc2822_datetime(value: Any) -> _dt.datetime | None:
    """Parse an RFC 2822 date-time (``Wed, 18 Aug 2010 20:01:40 +0000``), the 2010 API's form."""
    if value is None:
        return None
    try:
        # The fast path covers what Twilio sends; anything else goes to the stdlib parser.
        _, day, month, year, clock, zone = value.split()
        hour, minute, second = clock.split(":")
        sign = -1 if zone[0] == "-" else 1
        offset = sign * (int(zone[1:3]) * 60 + int(zone[3:5]))
        return _dt.datetime(
            int(year),
            _MONTHS[month],
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=_dt.UTC if offset == 0 else _dt.timezone(_dt.timedelta(minutes=offset)),
        )
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        pass
    # Imported here: only dates off Twilio's form get this far, and email.utils costs
    # ≈ 4 ms at import.
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def date(value: Any) -> _dt.date | None:
    """Parse an ISO 8601 calendar date; None for None or a value that is not one."""
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def nested(decode: Callable[[Mapping[str, Any]], T], value: Any) -> T | None:
    """Decode a nested object with ``decode``; None stays None, a non-object too."""
    if isinstance(value, Mapping):
        return decode(value)
    return None


def model_list(decode: Callable[[Mapping[str, Any]], T], value: Any) -> list[T] | None:
    """Decode a list of objects with ``decode``; None stays None."""
    if value is None:
        return None
    return [decode(item) for item in value]


def list_of(decode: Callable[[Mapping[str, Any]], T]) -> Callable[[Any], list[T]]:
    """The decoder of a response that is a JSON array of objects, each read with ``decode``."""

    def decode_list(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise ResponseShapeError("array", value)
        return [decode(item) for item in value]

    return decode_list


def _fits(member: type, value: Any, strict: bool) -> bool:
    if issubclass(member, Model):
        return isinstance(value, Mapping) and (not strict or member._required_wires <= value.keys())
    if isinstance(value, bool):
        return member is bool
    # A JSON number with no fraction comes as an int; it is a float member's value too.
    return isinstance(value, member) or (member is float and isinstance(value, int))


def one_of(
    value: Any,
    members: tuple[type, ...],
    key: str | None = None,
    mapping: Mapping[str, type[Model]] | None = None,
) -> Any:
    """Decode a ``oneOf``/``anyOf`` value to the member it is.

    With a discriminator (``key`` and ``mapping``) its value picks the model. Otherwise, or
    for a value the mapping does not know, the members are tried in the spec's order: the
    first model whose required fields are all present, or scalar type the value is; then
    the first model at all for an object. None stays None.

    Raises:
        ResponseShapeError: the value fits no member.
    """
    if value is None:
        return None
    if key is not None and mapping and isinstance(value, Mapping):
        chosen = mapping.get(str(value.get(key)))
        if chosen is not None:
            return chosen.from_dict(value)
    for strict in (True, False):
        for member in members:
            if _fits(member, value, strict):
                return member.from_dict(value) if issubclass(member, Model) else value
    raise ResponseShapeError(" | ".join(m.__name__ for m in members), value)


def one_of_list(
    value: Any,
    members: tuple[type, ...],
    key: str | None = None,
    mapping: Mapping[str, type[Model]] | None = None,
) -> list[Any] | None:
    """Decode a JSON array whose items are a ``oneOf``/``anyOf``, each by :func:`one_of`."""
    if value is None:
        return None
    return [one_of(item, members, key, mapping) for item in value]


@overload
def union_of(
    members: tuple[type[A], type[B]],
    key: str | None = None,
    mapping: Mapping[str, type[Model]] | None = None,
) -> Callable[[Any], A | B]: ...


@overload
def union_of(
    members: tuple[type[A], type[B], type[C]],
    key: str | None = None,
    mapping: Mapping[str, type[Model]] | None = None,
) -> Callable[[Any], A | B | C]: ...


@overload
def union_of(
    members: tuple[type[A], type[B], type[C], type[D]],
    key: str | None = None,
    mapping: Mapping[str, type[Model]] | None = None,
) -> Callable[[Any], A | B | C | D]: ...


def union_of(
    members: tuple[type, ...],
    key: str | None = None,
    mapping: Mapping[str, type[Model]] | None = None,
) -> Callable[[Any], Any]:
    """The decoder of a response that is a ``oneOf``/``anyOf``: :func:`one_of` on its body.

    Typed for up to four members (the generator returns ``Any`` for a larger union).
    """

    def decode_union(value: Any) -> Any:
        return one_of(value, members, key, mapping)

    return decode_union
