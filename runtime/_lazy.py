"""Deferred imports for generated packages: a service's models module and a models package's names.

Touching a service (``tw.verify.v2.services``) imports its module and builds its
operations, but not its models: those are attrs classes, and attrs with what it imports
was half of the cost of a first touch. A service module binds its models module as
``_models = _lazy.module(__name__, ".models.services")``; the first attribute read (the
first call's ``_models.Service.from_dict``) imports it and puts the real module in the
service module's globals, so every later call reads it at the speed of any global.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["exports", "module"]


class _Deferred:
    """Stands in for a module until the first attribute is read from it."""

    __slots__ = ("_binding", "_importer", "_name")

    def __init__(self, importer: str, name: str, binding: str) -> None:
        self._importer = importer
        self._name = name
        self._binding = binding

    def __getattr__(self, attribute: str) -> Any:
        # Only names not on the instance get here, which is every name a caller reads.
        real = import_module(self._name)
        importer = sys.modules.get(self._importer)
        if importer is not None and vars(importer).get(self._binding) is self:
            setattr(importer, self._binding, real)
        return getattr(real, attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def module(importer: str, relative: str, binding: str = "_models") -> Any:
    """The module ``relative`` to the package of module ``importer``, imported on first use.

    Args:
        importer: the ``__name__`` of the module binding it.
        relative: the module's name relative to the importer's package (``.models.x``).
        binding: the global of ``importer`` that holds it, replaced by the real module
            once imported.
    """
    name = importer.rpartition(".")[0] + relative
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    return _Deferred(importer, name, binding)


def exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of a generated ``models`` package.

    ``homes`` maps each class name to the submodule defining it; a class is imported from
    there on first use and stored in the package, so importing one service's models never
    builds the classes of the others, and later lookups cost nothing.
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
