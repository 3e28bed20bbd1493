"""Class names of a spec's models and enums: the parser's names, made unique and stable."""

from __future__ import annotations

import re
from typing import Any

from trunkline.codegen.dcg import SchemaClass
from trunkline.codegen.loader import Spec
from trunkline.codegen.naming import pascal, singular

__all__ = ["ClassNames", "enum_values"]


class ClassNames:
    """The name of each class of a spec, by schema pointer, and the names taken so far.

    Args:
        spec: the loaded spec.
        classes: the classes the parser found that become a model or an enum.
    """

    def __init__(self, spec: Spec, classes: list[SchemaClass]) -> None:
        self.spec = spec
        self.classes = classes
        self.by_pointer: dict[str, tuple[str, str]] = {}
        self.taken: set[str] = set()
        self._name_classes()

    def _name_classes(self) -> None:
        # The parser's name first; a clash takes in parent names, nearest first, until unique,
        # and the least nested class keeps the short name (``Recording``, ``CallRecording``).
        depth = [0] * len(self.classes)
        bases = [_position_name(cls) for cls in self.classes]
        short: dict[SchemaClass, tuple[str, str]] = {}
        for cls in self.classes:
            parts = _short_enum(cls) if cls.kind == "enum" else None
            if parts is not None:
                short[cls] = parts
        rest = [i for i, cls in enumerate(self.classes) if cls not in short]

        def name(index: int) -> str:
            cls = self.classes[index]
            parents = reversed(cls.qualifiers[: depth[index]])
            return "".join(pascal(p) for p in parents) + bases[index]

        while True:
            groups: dict[str, list[int]] = {}
            for index in rest:
                groups.setdefault(name(index), []).append(index)
            moved = False
            for group in groups.values():
                if len(group) < 2:
                    continue
                shallowest = min(len(self.classes[i].qualifiers) for i in group)
                keep = [i for i in group if len(self.classes[i].qualifiers) == shallowest]
                for index in group:
                    if len(keep) == 1 and index == keep[0]:
                        continue
                    if depth[index] < len(self.classes[index].qualifiers):
                        depth[index] += 1
                        moved = True
            if not moved:
                break
        for index in rest:
            cls = self.classes[index]
            self.by_pointer[cls.pointer] = (self.unique(name(index)), cls.kind)
        self._name_enums(short)

    def _name_enums(self, found: dict[SchemaClass, tuple[str, str]]) -> None:
        """Name the enums Twilio's spec names ``<model>_enum_<name>`` by ``<name>`` alone.

        ``new_factor_enum_factor_statuses`` is ``FactorStatus`` (``call_enum_status`` is
        ``CallStatus``: one word alone says too little); enums of one short name and the
        same values are one class. Where different enums share a short name, the one most
        schemas use keeps it (the first by schema name on a tie) and the others take their
        model's name in front (``AccessTokenFactorType``); all do when a model has the
        name, and where a model has that name too the enum keeps the spec's
        (``CallEnumEvent``). A clash left after that gets a number, in schema order.
        """
        groups: dict[str, dict[frozenset[str], list[SchemaClass]]] = {}
        for cls, (_, base) in found.items():
            node, _ = self.spec.resolve({"$ref": "#" + cls.pointer}, "#" + cls.pointer)
            values = frozenset(enum_values(node) or ())
            groups.setdefault(base, {}).setdefault(values, []).append(cls)
        for base in sorted(groups):
            variants = sorted(
                groups[base].values(), key=lambda m: (-len(m), min(c.label for c in m))
            )
            free = base not in self.taken
            for rank, members in enumerate(variants):
                members.sort(key=lambda c: c.label)
                name = base if free and rank == 0 else found[members[0]][0]
                if name in self.taken:
                    # A model has the name (``CallEvent``): the spec's own name is stable.
                    name = members[0].name
                name = self.unique(name)
                for cls in members:
                    self.by_pointer[cls.pointer] = (name, "enum")

    def unique(self, base: str) -> str:
        """``base``, or ``base`` numbered from 2 when a class already has it; taken from now on."""
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name


_TWILIO_ENUM = re.compile(r"([A-Z][A-Za-z0-9]*?)Enum([A-Z][A-Za-z0-9]*)")
_WORD = re.compile(r"[A-Z][a-z0-9]*|[0-9]+")


def _short_enum(cls: SchemaClass) -> tuple[str, str] | None:
    """``(qualified, short)`` names of a component enum like ``factor_enum_factor_statuses``.

    ``FactorFactorStatus`` and ``FactorStatus``; ``CallStatus`` for both of
    ``call_enum_status``.
    """
    if "/" in cls.label:
        return None
    found = _TWILIO_ENUM.fullmatch(cls.name)
    if found is None:
        return None
    words = _WORD.findall(found.group(2))
    if not words:
        return None
    short = "".join(words[:-1]) + pascal(singular(words[-1]))
    qualified = found.group(1) + short
    # One word (``call_enum_status``) says too little alone: ``CallStatus``.
    return qualified, qualified if len(words) == 1 else short


def _position_name(cls: SchemaClass) -> str:
    """The class name of ``cls`` from its place, without the parser's clash counter.

    The parser numbers inline classes of one name in the order it meets them (``Type1``,
    ``BusinessInformation2``), so adding a schema anywhere could rename them; the name of
    the property they sit at (``Type``) is stable, and a clash is settled by parent names.
    """
    wire = re.split(r"[/.]", cls.label)[-1]
    base = re.sub(r"[0-9]+$", "", cls.name)
    if base and not wire[-1:].isdigit():
        return base
    return cls.name


def enum_values(node: dict[str, Any]) -> list[str] | None:
    """The values of a string enum schema, or None when it is none."""
    values = node.get("enum")
    if not isinstance(values, list) or not values:
        return None
    if node.get("type") not in (None, "string") or not all(isinstance(v, str) for v in values):
        return None
    return values
