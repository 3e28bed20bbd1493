"""The base of the runtime's immutable settings (Operation, Timeout, RetryPolicy), without attrs.

attrs, with the ``inspect`` and ``platform`` modules it imports, was about half of what
importing trunkline, making a client and touching a service cost (28 of 62 ms by
``-X importtime``). The runtime's own value classes are therefore plain slotted classes on
this base, and attrs loads with the first generated model, on a service's first call.

A subclass names the fields that make up its identity in ``_fields`` (they are compared,
hashed and shown by ``repr``, in that order), declares ``__slots__`` as those plus any it
keeps beside them, and sets them in ``__init__`` with ``object.__setattr__``; afterwards
assignment raises.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

__all__ = ["Frozen"]


class Frozen:
    """An immutable value: equal, hashed and shown by its ``_fields``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def _key(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.__class__.__qualname__, *self._key()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    # copy, deepcopy and pickle set slots through __setattr__ unless told otherwise.
    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _slots(type(self)) if hasattr(self, name)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return names
