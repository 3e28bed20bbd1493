"""The IR of models: types, fields, model and enum classes, and the modules of a models package."""

from __future__ import annotations

import json
import re

import attrs

__all__ = [
    "EnumDef",
    "EnumMember",
    "Field",
    "ModelDef",
    "ModelModule",
    "TypeRef",
    "aliases",
    "enum_lookup_name",
    "export_order",
    "import_order",
    "pyrepr",
]


# Parsers the fast paths of ``from_dict`` call, bound once per models module.
_FAST_PARSERS = {
    "_datetime_fromisoformat": "_dt.datetime.fromisoformat",
    "_date_fromisoformat": "_dt.date.fromisoformat",
}


_ALIAS = re.compile(r"\b(_[a-z]+)\b")


def aliases(*fragments: str | None) -> frozenset[str]:
    """The module aliases (``_dt``, ``_m``) that source fragments of the IR name."""
    return frozenset(_ALIAS.findall(" ".join(f for f in fragments if f)))


def enum_lookup_name(enum: str) -> str:
    """The table decoding values of ``enum`` (``Color`` → ``_Color_by_value``, any prefix kept)."""
    head, dot, tail = enum.rpartition(".")
    return f"{head}{dot}_{tail}_by_value"


def import_order(name: str) -> tuple[int, tuple[str | int, ...], str]:
    """The sort key ruff's isort orders imported names and modules by.

    Constants first, then classes, then the rest; within each, case-insensitive with
    runs of digits compared as numbers (``Meta2`` before ``Meta10``).
    """
    rank = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    parts = tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name.lower()) if p)
    return rank, parts, name


def export_order(name: str) -> tuple[int, list[str | int]]:
    """The sort key of a name in ``__all__``, as ruff's RUF022 orders it.

    Constants (``KYT``) first, then classes, then the rest; within each, a natural sort.
    """
    category = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return category, [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def pyrepr(value: str) -> str:
    """A double-quoted Python string literal."""
    return json.dumps(value)


@attrs.frozen
class TypeRef:
    """A spec type as Python sees it.

    Args:
        annotation: the type of a model field (``_dt.datetime | None`` without the None).
        decode: an expression turning the JSON value ``{v}`` into that type, or None when the
            JSON value is used as is.
        arg_annotation: the type of a request argument carrying this type.
        enum: the enum class name checked on request arguments, or None.
        enum_list: True when the argument is a list of that enum.
        model: the model class this type decodes to, when it is one (or a list of one).
        fast: a cheaper expression for ``decode`` that raises TypeError or ValueError where
            ``decode`` would give None for a malformed value (``from_dict`` then falls back
            to ``decode``), or None when ``decode`` is already cheap.
        union: the type is a ``oneOf``/``anyOf`` of several members.

    ``annotation``, ``decode`` and ``fast`` are source fragments written against the module
    aliases of the generated files (``_m.iso_datetime({v})``), and the imports a file needs
    are read off them (:attr:`aliases`). They stay strings because replacing them is not
    cheap: the builder composes them (a list's decode wraps its item's, a union's is
    rewritten for a list or a result), so data in their place means a type tree (kind,
    items, members, model or enum name) and one expression module rendering it for fields,
    arguments and results alike, with every golden record checked against the change.
    """

    annotation: str
    decode: str | None = None
    arg_annotation: str | None = None
    enum: str | None = None
    enum_list: bool = False
    model: str | None = None
    fast: str | None = None
    union: bool = False

    @property
    def argument(self) -> str:
        """The annotation of a request argument of this type."""
        return self.arg_annotation or self.annotation

    def decode_expr(self, value: str) -> str:
        """The Python expression decoding ``value``."""
        return self.decode.replace("{v}", value) if self.decode else value

    @property
    def aliases(self) -> frozenset[str]:
        """The module aliases a model field of this type needs."""
        return aliases(self.annotation, self.decode, self.fast)

    def fast_expr(self, value: str) -> str:
        """The fast-path expression decoding ``value`` (see ``fast``)."""
        return (self.fast or self.decode or "{v}").replace("{v}", value)


# Wire names of response fields that carry a secret (shown masked in reprs): secrets,
# passwords, PINs, private and API keys, any kind of token, and Verify's factor `binding`
# (a TOTP seed, also inside its otpauth URI), matched as whole trailing words. Paging
# cursors (`next_token`) are positions in a list, not credentials.
_SECRET_FIELD = re.compile(
    r"(?:^|_)(?:secret|password|pin|private_key|api_key|write_key|token)$|^binding$",
    re.IGNORECASE,
)
_CURSOR = re.compile(r"(?:next|previous|page)_token", re.IGNORECASE)
# A flag named like a secret (voice v2's `direct_token: bool`) holds none; a number may
# (numbers v1's `port_out_pin`).
_NOT_SECRET_TYPES = frozenset({"bool"})


@attrs.frozen
class Field:
    """One model field: Python name, wire name, type, docs, and whether the schema requires it."""

    name: str
    wire: str
    type: TypeRef
    doc: str
    required: bool = False

    @property
    def secret(self) -> bool:
        """The field carries a secret: its model's repr shows it masked."""
        if self.type.annotation in _NOT_SECRET_TYPES:
            return False
        return _SECRET_FIELD.search(self.wire) is not None and not _CURSOR.fullmatch(self.wire)

    @property
    def getter(self) -> str:
        """The lookup of this field in ``from_dict`` (``g`` is the response's ``get``)."""
        return f"g({pyrepr(self.wire)})"


@attrs.frozen
class ModelDef:
    """An attrs model class decoded from a JSON object."""

    name: str
    schema: str
    doc: str
    fields: tuple[Field, ...]
    # Wire names the schema requires: how a ``oneOf`` without discriminator tells members apart.
    required: tuple[str, ...] = ()

    @property
    def prepared(self) -> tuple[tuple[str, Field], ...]:
        """``(local, field)`` for the fields ``from_dict`` decodes ahead, inside a ``try``.

        Their fast expressions raise on a malformed value; the locals are numbered, so no
        field name can shadow ``cls``, ``data`` or ``g``.
        """
        return tuple((f"d{i}", f) for i, f in enumerate(self.fields) if f.type.fast)

    def value_expr(self, field: Field) -> str:
        """What ``from_dict`` passes for ``field``: its prepared local or its decode."""
        for local, prepared in self.prepared:
            if prepared is field:
                return local
        return field.type.decode_expr(field.getter)


@attrs.frozen
class EnumMember:
    """One enum member: Python name and wire value."""

    name: str
    value: str


@attrs.frozen
class EnumDef:
    """An open string enum."""

    name: str
    schema: str
    doc: str
    members: tuple[EnumMember, ...]


@attrs.frozen
class ModelModule:
    """One module of a unit's ``models`` package: the classes it defines and those it imports.

    A service imports one of these (its own, named after the service module) and finds
    there every model and enum its operations take and return, and what those refer to.
    Classes two services share, or none uses, sit in modules of their own (names starting
    with ``_``) that the others import from.

    Args:
        name: the module name inside the ``models`` package.
        doc: its docstring.
        models: the model classes it defines.
        enums: the enums it defines.
        imports: ``(module, names)`` of the sibling modules it imports classes from.
    """

    name: str
    doc: str
    models: tuple[ModelDef, ...]
    enums: tuple[EnumDef, ...]
    imports: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def defined(self) -> tuple[str, ...]:
        """The names of the classes this module defines, in the order isort lists them."""
        return tuple(
            sorted(
                [*(e.name for e in self.enums), *(m.name for m in self.models)], key=import_order
            )
        )

    @property
    def exported(self) -> tuple[str, ...]:
        """What the module defines and what it imports, in ``__all__`` order."""
        imported = [name for _, names in self.imports for name in names]
        return tuple(sorted([*self.defined, *imported], key=export_order))

    @property
    def fast_parsers(self) -> tuple[tuple[str, str], ...]:
        """``(name, parser)`` for each parser a model's fast path calls, by name."""
        fast = " ".join(f.type.fast or "" for m in self.models for f in m.fields)
        return tuple(
            (name, parser)
            for name, parser in sorted(_FAST_PARSERS.items())
            if re.search(rf"\b{name}\(", fast)
        )

    @property
    def enum_lookups(self) -> tuple[tuple[str, str], ...]:
        """``(table, enum)`` for each enum a model field decodes through a table, by name."""
        enums = {
            f.type.enum
            for m in self.models
            for f in m.fields
            if f.type.enum is not None and not f.type.enum_list
        }
        return tuple((enum_lookup_name(enum), enum) for enum in sorted(enums))

    @property
    def model_imports(self) -> frozenset[str]:
        """The module aliases this module refers to."""
        found = {alias for m in self.models for f in m.fields for alias in f.type.aliases}
        if self.models:
            found |= {"_abc", "_t", "_attrs", "_e"}
        if any(f.secret for m in self.models for f in m.fields):
            found.add("_masked")
        if self.models or self.enums:
            found.add("_m")
        return frozenset(found)
