"""From a loaded spec to the intermediate representation (:mod:`trunkline.codegen.ir`).

All naming and typing decisions live here; templates only print what this decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, get_args

import attrs

from trunkline._operation import PagingKind
from trunkline.codegen import ir
from trunkline.codegen.dcg import SchemaClass, schema_classes
from trunkline.codegen.layout import MODELS, place_models
from trunkline.codegen.loader import Spec, pointer_join
from trunkline.codegen.naming import (
    RESERVED_ARGS,
    argument_name,
    enum_member,
    pascal,
    python_name,
    singular,
    snake,
)
from trunkline.codegen.paging_detect import detect, driven_params, response_headers
from trunkline.codegen.spec_client import GENERIC_BASE, build_spec_client, security_alternatives
from trunkline.codegen.tree import (
    CLIENT_MEMBERS,
    SHORTCUT_UNIT,
    SHORTCUTS,
    is_param,
    plan_tree,
    resource_key,
    segments,
)

__all__ = ["ProviderConfig", "build_containers", "build_unit"]

_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_PAGING_KINDS = get_args(PagingKind)
# Parameters the runtime drives for each paging strategy; they are not method arguments.
_PAGING_PARAMS = {
    "twilio_meta": ("PageSize", "Page", "PageToken"),
    "twilio_2010": ("PageSize", "Page", "PageToken"),
    "twilio_token": ("Size", "Token"),
    "twilio_camel_token": ("pageSize", "pageToken"),
    "signalwire_links": ("page_size", "page_number", "page_token"),
    "ziggeo_offset": ("limit", "skip"),
}
# ``self`` would clash with the first argument of the attrs-made ``__init__``.
_RESERVED_FIELDS = frozenset(
    {
        "raw",
        "extra",
        "from_dict",
        "str",
        "int",
        "float",
        "bool",
        "list",
        "dict",
        "cls",
        "data",
        "g",
        "self",
    }
)
_MODELS = MODELS


@attrs.frozen
class ProviderConfig:
    """How one provider's specs become a client.

    Args:
        name: the provider package (``twilio``).
        client: the client class name (``Twilio``).
        base: ``module:Class`` of the runtime client the class extends.
        caller_defaults: path parameters the client fills when left out (``AccountSid``).
    """

    name: str
    client: str
    base: str
    caller_defaults: tuple[str, ...] = ()

    @property
    def generic(self) -> bool:
        """The client is generated from the spec's own auth and servers (no hand-written one)."""
        return self.base == GENERIC_BASE


def _doc(*texts: Any) -> str:
    for text in texts:
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())
    return ""


class _Models:
    """Collects the models and enums of one spec, naming each class once.

    datamodel-code-generator's parser decides the classes, their names and fields
    (:mod:`trunkline.codegen.dcg`); this class types and decodes each field from the raw
    schema. Schemas the parser does not see (inline enums of request parameters) get a
    class named after where they appear.

    Args:
        spec: the loaded spec.
        untyped_objects: a schema with no ``type`` is a JSON object. Twilio's specs write
            their object fields so (Verify's ``binding`` and ``config``: only ``nullable``
            and a description), and twilio-python types them ``Dict[str, object]``; in
            other specs an untyped schema is any JSON value. Only model fields take this:
            request arguments keep what the caller passes.
    """

    def __init__(self, spec: Spec, *, untyped_objects: bool = False) -> None:
        self.spec = spec
        self.untyped_objects = untyped_objects
        # A model without fields is a free-form object: a dict serves its users better.
        # The parser also names an "enum" after an array property (``tags``, whose items
        # are an enum or objects); the field is a list of its items, so no class for it.
        self.classes = [
            c
            for c in schema_classes(spec)
            if (c.kind == "enum" and not self._is_array(c.pointer)) or c.fields
        ]
        self.by_pointer: dict[str, tuple[str, str]] = {}
        self.models: dict[str, ir.ModelDef] = {}
        self.enums: dict[str, ir.EnumDef] = {}
        self.taken: set[str] = set()
        self.inline_enums: dict[tuple[str, frozenset[str]], str] = {}
        self._name_classes()

    def _is_array(self, pointer: str) -> bool:
        node, _ = self.spec.resolve({"$ref": "#" + pointer}, "#" + pointer)
        return isinstance(node, dict) and node.get("type") == "array"

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
            self.by_pointer[cls.pointer] = (self._unique(name(index)), cls.kind)
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
            values = frozenset(_enum_values(node) or ())
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
                name = self._unique(name)
                for cls in members:
                    self.by_pointer[cls.pointer] = (name, "enum")

    def _unique(self, base: str) -> str:
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name

    def build(self) -> None:
        for cls in self.classes:
            name, kind = self.by_pointer[cls.pointer]
            node, _ = self.spec.resolve({"$ref": "#" + cls.pointer}, "#" + cls.pointer)
            if kind == "enum":
                if name not in self.enums:
                    self._enum(name, cls.label, node)
            else:
                self._model(name, cls.label, node, cls.pointer, cls.fields)

    def _enum(self, cls: str, schema: str, node: dict[str, Any]) -> None:
        members: list[ir.EnumMember] = []
        used: set[str] = set()
        seen: set[str] = set()
        for value in _enum_values(node) or []:
            if value in seen:
                continue
            seen.add(value)
            base = enum_member(value)
            member, n = base, 2
            while member in used:
                member, n = f"{base}_{n}", n + 1
            used.add(member)
            members.append(ir.EnumMember(member, value))
        self.enums[cls] = ir.EnumDef(cls, schema, _doc(node.get("description")), tuple(members))

    def inline_enum(self, hint: str, node: dict[str, Any]) -> str:
        """Name and record an enum declared inline (not under components).

        Inline enums of one position name (``services_inbound_method``, in both the create
        and the update of a resource) and the same values are one class.
        """
        key = (pascal(hint), frozenset(_enum_values(node) or ()))
        cls = self.inline_enums.get(key)
        if cls is None:
            cls = self.inline_enums[key] = self._unique(key[0])
            self._enum(cls, hint, node)
        return cls

    def _properties(self, node: dict[str, Any], pointer: str) -> Iterator[tuple[str, Any, str]]:
        """``(wire, schema, pointer)`` of an object's properties, ``allOf`` parts merged.

        A wire name that several parts declare comes once, where it first appears, with
        the schema (and so the constraints) of the last part that declares it.
        """
        merged: dict[str, tuple[Any, str]] = {}
        for wire, prop, prop_pointer in self._walk(node, pointer):
            merged[wire] = (prop, prop_pointer)
        for wire, (prop, prop_pointer) in merged.items():
            yield wire, prop, prop_pointer

    def _walk(self, node: dict[str, Any], pointer: str) -> Iterator[tuple[str, Any, str]]:
        for index, part in enumerate(node.get("allOf") or []):
            sub_pointer = pointer_join(pointer, "allOf", index)
            sub, sub_pointer = self.spec.resolve(part, "#" + sub_pointer)
            yield from self._walk(sub, sub_pointer.lstrip("#"))
        props = node.get("properties") or {}
        if not isinstance(props, dict):
            raise self.spec.error(pointer_join(pointer, "properties"), "must be an object")
        for key, value in props.items():
            yield key, value, pointer_join(pointer, "properties", key)

    def _flag(self, prop: Any, pointer: str, flag: str) -> bool:
        """Whether a property schema (through its ``$ref``) says ``readOnly``/``writeOnly``."""
        if not isinstance(prop, dict):
            return False
        if prop.get(flag) is True:
            return True
        target, _ = self.spec.resolve(prop, "#" + pointer)
        return isinstance(target, dict) and target.get(flag) is True

    def request_properties(self, node: dict[str, Any], pointer: str) -> list[tuple[str, Any, str]]:
        """The properties a request body may carry: ``readOnly`` ones are the server's."""
        return [
            (wire, prop, prop_pointer)
            for wire, prop, prop_pointer in self._properties(node, pointer)
            if not self._flag(prop, prop_pointer, "readOnly")
        ]

    def _model(
        self, cls: str, schema: str, node: dict[str, Any], pointer: str, wires: tuple[str, ...]
    ) -> None:
        props = {wire: (prop, ptr) for wire, prop, ptr in self._properties(node, pointer)}
        required = self._required(node, pointer)
        fields: list[ir.Field] = []
        used: set[str] = set()
        for wire in wires:
            if wire not in props:
                continue
            prop, prop_pointer = props[wire]
            if not isinstance(prop, dict):
                raise self.spec.error(prop_pointer, "a property schema must be an object")
            if self._flag(prop, prop_pointer, "writeOnly"):
                # Sent by the client only (a password): no response carries it.
                continue
            base = python_name(snake(wire), _RESERVED_FIELDS)
            name, n = base, 2
            while name in used:
                name, n = f"{base}_{n}", n + 1
            used.add(name)
            type_ = self.type_of(prop, prop_pointer, "", hint=f"{cls}_{wire}")
            fields.append(
                ir.Field(name, wire, type_, _doc(prop.get("description")), wire in required)
            )
        present = {f.wire for f in fields}
        doc = _doc(node.get("description"))
        self.models[cls] = ir.ModelDef(
            cls, schema, doc, tuple(fields), tuple(w for w in required if w in present)
        )

    def _required(self, node: dict[str, Any], pointer: str) -> list[str]:
        """The wire names an object (with its ``allOf`` parts) requires, in spec order."""
        found: list[str] = []
        for index, part in enumerate(node.get("allOf") or []):
            sub, sub_pointer = self.spec.resolve(part, "#" + pointer_join(pointer, "allOf", index))
            if isinstance(sub, dict):
                found += self._required(sub, sub_pointer.lstrip("#"))
        for wire in node.get("required") or []:
            if isinstance(wire, str) and wire not in found:
                found.append(wire)
        return found

    def type_of(
        self, node: Any, pointer: str, prefix: str, *, hint: str, inline: bool = False
    ) -> ir.TypeRef:
        """The Python type of a schema, with model names qualified by ``prefix``.

        Inline objects with properties become models named from ``hint`` (their place:
        model and property, or operation); in a service (``prefix`` set) only where
        ``inline`` says so, for responses: an argument of object type takes a mapping.
        """
        if not isinstance(node, dict):
            raise self.spec.error(pointer, "a schema must be an object")
        ref = node.get("$ref")
        if isinstance(ref, str) and ref[1:] in self.by_pointer:
            name, kind = self.by_pointer[ref[1:]]
            return self._named(prefix + name, kind)
        if ref is not None:
            target, target_pointer = self.spec.resolve(node, "#" + pointer)
            return self.type_of(
                target, target_pointer.lstrip("#"), prefix, hint=hint, inline=inline
            )
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return self.type_of(
                all_of[0], pointer_join(pointer, "allOf", 0), prefix, hint=hint, inline=inline
            )
        if pointer in self.by_pointer:
            name, kind = self.by_pointer[pointer]
            return self._named(prefix + name, kind)
        union = self._union(node, pointer, prefix, hint=hint, inline=inline or prefix == "")
        if union is not None:
            return union
        values = _enum_values(node)
        if values is not None:
            return self._named(prefix + self.inline_enum(hint, node), "enum")
        declared = node.get("type")
        if isinstance(declared, list):
            others = [k for k in declared if k != "null"]
            declared = others[0] if len(others) == 1 else None
        fmt = node.get("format")
        if declared == "string":
            if fmt == "date-time":
                return ir.TypeRef(
                    "_dt.datetime",
                    "_m.iso_datetime({v})",
                    fast="None if (v := {v}) is None else _datetime_fromisoformat(v)",
                )
            if fmt == "date-time-rfc-2822":
                return ir.TypeRef("_dt.datetime", "_m.rfc2822_datetime({v})")
            if fmt == "date":
                return ir.TypeRef(
                    "_dt.date",
                    "_m.date({v})",
                    fast="None if (v := {v}) is None else _date_fromisoformat(v)",
                )
            return ir.TypeRef("str")
        if declared == "integer":
            return ir.TypeRef("int")
        if declared == "number":
            return ir.TypeRef("float")
        if declared == "boolean":
            return ir.TypeRef("bool")
        if declared == "array":
            # In a service class a method may be called ``list``, so the builtin is qualified.
            lst = "_b.list" if prefix else "list"
            items = node.get("items")
            if not isinstance(items, dict):
                return ir.TypeRef(f"{lst}[_t.Any]")
            item = self.type_of(
                items, pointer_join(pointer, "items"), prefix, hint=hint, inline=inline
            )
            if item.union and item.decode is not None:
                return ir.TypeRef(
                    f"{lst}[{item.annotation}]",
                    item.decode.replace("_m.one_of(", "_m.one_of_list(", 1),
                    arg_annotation=f"{lst}[_t.Any]",
                    union=True,
                )
            if item.model is not None:
                return ir.TypeRef(
                    f"{lst}[{item.model}]",
                    f"_m.model_list({item.model}.from_dict, {{v}})",
                    arg_annotation=f"{lst}[_abc.Mapping[str, _t.Any]]",
                    model=item.model,
                )
            if item.enum is not None:
                return ir.TypeRef(
                    f"{lst}[{item.enum} | str]",
                    f"_m.open_enum_list({item.enum}, {{v}})",
                    arg_annotation=f"{lst}[{item.enum} | str]",
                    enum=item.enum,
                    enum_list=True,
                )
            if item.decode is not None:
                return ir.TypeRef(f"{lst}[str]", arg_annotation=f"{lst}[{item.argument}]")
            return ir.TypeRef(f"{lst}[{item.annotation}]")
        if (node.get("properties") or node.get("allOf")) and (prefix == "" or inline):
            cls = self._unique(pascal(hint))
            self.by_pointer[pointer] = (cls, "model")
            wires = tuple(wire for wire, _, _ in self._properties(node, pointer))
            self._model(cls, hint, node, pointer, wires)
            return self._named(prefix + cls, "model")
        if (
            declared == "object"
            or node.get("properties")
            or "additionalProperties" in node
            or (self.untyped_objects and prefix == "" and _untyped(node))
        ):
            return ir.TypeRef("dict[str, _t.Any]", arg_annotation="_abc.Mapping[str, _t.Any]")
        return ir.TypeRef("_t.Any")

    def _union(
        self, node: dict[str, Any], pointer: str, prefix: str, *, hint: str, inline: bool
    ) -> ir.TypeRef | None:
        """The union of a ``oneOf``/``anyOf``, decoded by :func:`trunkline._models.one_of`.

        Members are models and JSON scalars; with a ``discriminator`` its value picks the
        model, else the first member that fits, in the spec's order. A member of any other
        kind (an array, an untyped schema) makes the whole value ``Any``.
        """
        keyword = "oneOf" if isinstance(node.get("oneOf"), list) else "anyOf"
        parts = node.get(keyword)
        if not isinstance(parts, list) or not parts:
            return None
        annotations: list[str] = []
        decoders: list[str] = []
        members: list[ir.TypeRef] = []
        by_ref: dict[str, str] = {}
        for index, part in enumerate(parts):
            title = part.get("title") if isinstance(part, dict) else None
            name = f"{hint}_{title}" if isinstance(title, str) else f"{hint}_option_{index + 1}"
            part_pointer = pointer_join(pointer, keyword, index)
            member = self.type_of(part, part_pointer, prefix, hint=name, inline=inline)
            if member.model is not None and member.annotation == member.model:
                annotation, decoder = member.model, member.model
                if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                    by_ref[part["$ref"]] = member.model
            elif member.annotation in _SCALARS and member.decode is None:
                annotation, decoder = member.annotation, member.annotation
            elif member.enum is not None:
                annotation, decoder = "str", "str"
            else:
                return ir.TypeRef("_t.Any")
            if annotation not in annotations:
                annotations.append(annotation)
                decoders.append(decoder)
                members.append(member)
        if len(members) == 1:
            return members[0]
        key, mapping = self._discriminator(node, by_ref)
        table = "{" + ", ".join(f"{ir.pyrepr(v)}: {m}" for v, m in mapping) + "}"
        args = f"({', '.join(decoders)},)" + (f", {ir.pyrepr(key)}, {table}" if key else "")
        return ir.TypeRef(
            " | ".join(annotations),
            f"_m.one_of({{v}}, {args})",
            arg_annotation="_t.Any",
            union=True,
        )

    def _discriminator(
        self, node: dict[str, Any], by_ref: dict[str, str]
    ) -> tuple[str | None, list[tuple[str, str]]]:
        """The discriminator's property and ``(value, model)`` pairs, or ``(None, [])``."""
        found = node.get("discriminator")
        if not isinstance(found, dict) or not isinstance(found.get("propertyName"), str):
            return None, []
        pairs: list[tuple[str, str]] = []
        mapping = found.get("mapping")
        if isinstance(mapping, dict):
            for value, ref in mapping.items():
                if isinstance(ref, str) and ref in by_ref:
                    pairs.append((str(value), by_ref[ref]))
        else:
            # Without a mapping the value is the schema's own name (OpenAPI's rule).
            for ref, model in by_ref.items():
                pairs.append((ref.rsplit("/", 1)[-1], model))
        return str(found["propertyName"]), pairs

    @staticmethod
    def _named(cls: str, kind: str) -> ir.TypeRef:
        if kind == "enum":
            return ir.TypeRef(f"{cls} | str", f"{ir.enum_lookup_name(cls)}[{{v}}]", enum=cls)
        return ir.TypeRef(
            cls,
            f"_m.nested({cls}.from_dict, {{v}})",
            arg_annotation="_abc.Mapping[str, _t.Any]",
            model=cls,
        )


_SCALARS = frozenset({"str", "int", "float", "bool"})
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


def _untyped(node: dict[str, Any]) -> bool:
    """The schema states no type at all: no ``type``, composition or ``$ref``."""
    return not any(key in node for key in ("type", "$ref", "allOf", "oneOf", "anyOf", "not"))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _rules(node: dict[str, Any], argument: str) -> ir.Check | None:
    """The string or number constraints of a schema whose argument type is ``argument``."""
    found: list[tuple[str, str]] = []
    if argument == "str":
        for key, wire in (("min_length", "minLength"), ("max_length", "maxLength")):
            # ``minLength: 0`` holds for every string; a check for it would only cost time.
            if _is_int(node.get(wire)) and (node[wire] > 0 or key == "max_length"):
                found.append((key, str(node[wire])))
        if node.get("format") in ("uuid", "email"):
            found.append(("fmt", ir.pyrepr(node["format"])))
        return ir.Check("string", tuple(found)) if found else None
    if argument in ("int", "float"):
        for key in ("minimum", "maximum"):
            if _is_number(node.get(key)):
                found.append((key, repr(node[key])))
        if found and argument == "int":
            found.append(("integer", "True"))
        return ir.Check("number", tuple(found)) if found else None
    return None


# The inequality filters Twilio spells as a suffix of the wire name (``StartTime<``): the
# query separator completes them, so ``StartTime<=2024-05-01`` means on or before.
_BOUNDS = {"<": "on or before", ">": "on or after"}


def _param_doc(wire: str, doc: str, values: tuple[str, ...]) -> str:
    """What a parameter's docstring line says: the spec's text, or a sentence naming the wire.

    An inequality filter says which bound it sends; an enum with no text lists its values.
    """
    bound = _BOUNDS.get(wire[-1:]) if len(wire) > 1 else None
    if bound is not None:
        return f"Sends ``{wire}`` (the query reads ``{wire}=value``: {bound} it). {doc}".rstrip()
    if doc:
        return doc
    text = f"Sent as ``{wire}``."
    if values:
        text += " One of " + ", ".join(f"``{v}``" for v in values) + "."
    return text


def _argument(type_: ir.TypeRef, location: str, values: tuple[str, ...]) -> ir.TypeRef:
    """The type a request argument takes: enums closed, dates as the spec's format allows.

    A response keeps its enums open (a newer API may add values), but a value the caller
    types is checked against the spec: ``Enum | Literal[...]`` makes a typo a type error
    and still accepts the enum's members. A ``date-time`` filter in the query also takes a
    ``date`` (Twilio documents ``YYYY-MM-DD`` for most of them); a ``date`` takes a date only.
    """
    if type_.enum is not None and values:
        closed = f"{type_.enum} | _t.Literal[{', '.join(ir.pyrepr(v) for v in values)}]"
        if type_.enum_list:
            closed = f"_abc.Sequence[{closed}]"
        return attrs.evolve(type_, arg_annotation=closed)
    if type_.annotation == "_dt.datetime" and type_.arg_annotation is None and location != "body":
        return attrs.evolve(type_, arg_annotation="_dt.datetime | _dt.date")
    return type_


_DATE_CHECKS = {
    "_dt.date": ir.Check("date"),
    "_dt.datetime": ir.Check("date_time"),
    "_dt.datetime | _dt.date": ir.Check("date_time", (("date_ok", "True"),)),
}


def _enum_values(node: dict[str, Any]) -> list[str] | None:
    values = node.get("enum")
    if not isinstance(values, list) or not values:
        return None
    if node.get("type") not in (None, "string") or not all(isinstance(v, str) for v in values):
        return None
    return values


@attrs.frozen
class _Listing:
    paging: str | None = None
    items_key: str | None = None
    returns: str = "_t.Any"
    decode: str | None = None
    schema: Any = None


def _item(item: ir.TypeRef) -> tuple[str, str | None]:
    if item.model is not None and "list[" not in item.annotation:
        return item.model, f"{item.model}.from_dict"
    return "_t.Any", None


@attrs.define
class _Op:
    path: str
    method: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    pointer: str
    resource_key: tuple[str, ...]
    segment: str
    path_type: str


def _collect_ops(spec: Spec) -> list[_Op]:
    ops: list[_Op] = []
    for path, item in (spec.data.get("paths") or {}).items():
        pointer = pointer_join("", "paths", path)
        if not isinstance(item, dict):
            raise spec.error(pointer, "a path item must be an object")
        item, _ = spec.resolve(item, "#" + pointer)
        parts = segments(path)
        key = resource_key(path)
        if key is None:
            raise spec.error(pointer, "the path has no literal segment to name a resource by")
        x_twilio = item.get("x-twilio") if isinstance(item.get("x-twilio"), dict) else {}
        path_type = x_twilio.get("pathType") or ("instance" if is_param(parts[-1]) else "list")
        for method in _HTTP_METHODS:
            if method not in item:
                continue
            node = item[method]
            op_pointer = pointer_join(pointer, method)
            if not isinstance(node, dict):
                raise spec.error(op_pointer, "an operation must be an object")
            x = node.get("x-trunkline")
            op_key = key
            if isinstance(x, dict) and x.get("resource"):
                op_key = ("@" + str(x["resource"]),)
            ops.append(_Op(path, method, node, item, op_pointer, op_key, key[-1], path_type))
    return ops


def _server(spec: Spec, op: _Op) -> str:
    for holder in (op.node, op.path_item, spec.data):
        servers = holder.get("servers")
        if isinstance(servers, list) and servers and isinstance(servers[0], dict):
            url = servers[0].get("url")
            if isinstance(url, str):
                return url.rstrip("/")
    raise op_error(spec, op, "no server URL (servers) for this operation")


def op_error(spec: Spec, op: _Op, message: str) -> Exception:
    """A SpecError pointing at an operation."""
    return spec.error(op.pointer, message)


def _json_schema(spec: Spec, content: Any, pointer: str) -> tuple[str | None, Any, str]:
    if not isinstance(content, dict):
        return None, None, pointer
    for media, body in content.items():
        kind = None
        if media == "application/x-www-form-urlencoded":
            kind = "form"
        elif media == "multipart/form-data":
            kind = "multipart"
        elif media == "application/json" or media.endswith("+json"):
            kind = "json"
        if kind and isinstance(body, dict) and "schema" in body:
            return kind, body["schema"], pointer_join(pointer, media, "schema")
    return None, None, pointer


_FORM_MEDIA = "application/x-www-form-urlencoded"
_DEFAULT_STYLES = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


def _style(param: dict[str, Any], location: str, schema: Any) -> tuple[str, bool] | None:
    """The ``(style, explode)`` a value is sent by, when it differs from the plain encoding.

    The plain encoding (repeated keys for lists, scalars as text) is OpenAPI's default
    for a query, a path and a header; only what a spec says otherwise is wrapped. An
    object in a query with no declared style stays a JSON string (Twilio's
    ``AddOnsData``, Ziggeo's ``grants``), the convention of the form APIs we speak to.
    """
    style = param.get("style")
    explode = param.get("explode")
    if style is None and explode is None:
        return None
    style = str(style or _DEFAULT_STYLES.get(location, "form"))
    explode = bool(style == "form" if explode is None else explode)
    kind = schema.get("type") if isinstance(schema, dict) else None
    plain = style == _DEFAULT_STYLES.get(location) and (
        kind not in ("array", "object") or (explode and kind == "array" and location == "query")
    )
    if plain or (location == "header" and kind != "object"):
        return None
    return style, explode


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _is_text(media: str) -> bool:
    return media.startswith("text/") or media.endswith(("/xml", "+xml"))


def _raw_media(content: Any) -> str | None:
    """The media type of a body passed whole (binary or text), when no schema'd kind fits."""
    if not isinstance(content, dict):
        return None
    for media in content:
        if isinstance(media, str) and not _is_json(media) and "form" not in media:
            return media
    return None


_AUTH_KINDS = {("http", "basic"): "basic", ("http", "bearer"): "bearer", ("oauth2", ""): "oauth2"}


def _auth(spec: Spec, op: _Op) -> tuple[str, ...]:
    """The kinds of credentials an operation accepts, when it is more than HTTP Basic.

    The operation's ``security`` (else the document's) lists alternatives; each scheme's
    kind comes from ``components.securitySchemes``. Basic alone, or no requirement at
    all, gives ``()``: the client sends what it was configured with.
    """
    security = op.node.get("security", spec.data.get("security"))
    if not isinstance(security, list):
        return ()
    schemes = (spec.data.get("components") or {}).get("securitySchemes") or {}
    kinds: list[str] = []
    for requirement in security:
        for name in requirement if isinstance(requirement, dict) else ():
            scheme, _ = spec.resolve(schemes.get(name), f"#/components/securitySchemes/{name}")
            if not isinstance(scheme, dict):
                raise spec.error(
                    pointer_join(op.pointer, "security"), f"unknown security scheme {name!r}"
                )
            kind_key = (str(scheme.get("type")), str(scheme.get("scheme", "")).lower())
            kind = _AUTH_KINDS.get(kind_key) or _AUTH_KINDS.get((kind_key[0], ""))
            if kind is not None and kind not in kinds:
                kinds.append(kind)
    return () if kinds in ([], ["basic"]) else tuple(kinds)


class _UnitBuilder:
    def __init__(self, spec: Spec, provider: ProviderConfig) -> None:
        self.spec = spec
        self.provider = provider
        # In 3.1 a schema of no type may be the loader's rewrite of ``type: "null"``.
        version = str(spec.data.get("openapi", ""))
        untyped = provider.name == "twilio" and version.startswith("3.0")
        self.models = _Models(spec, untyped_objects=untyped)
        self.models.build()

    def operation(self, op: _Op, used: set[str]) -> ir.Method:
        spec, node = self.spec, op.node
        op_id = str(node.get("operationId") or pascal(f"{op.method}_{op.path}"))
        found = node.get("x-trunkline")
        x: dict[str, Any] = found if isinstance(found, dict) else {}
        http = op.method.upper()
        (returns, decode), listing = self._response(op)
        paging, items_key = listing.paging, listing.items_key
        paging = x.get("paging", paging)
        if paging is not None and paging not in _PAGING_KINDS:
            raise spec.error(
                pointer_join(op.pointer, "x-trunkline", "paging"), f"unknown paging {paging!r}"
            )
        if x.get("items_key"):
            items_key = str(x["items_key"])
        paging_params = tuple(str(p) for p in x.get("paging_params") or ())
        array = isinstance(listing.schema, dict) and listing.schema.get("type") == "array"
        listed = listing.items_key or array
        if paging is None and self.provider.generic and http == "GET" and listed:
            headers = response_headers(spec, node)
            shape = detect(spec, self._query_names(op), listing.schema, headers)
            if shape is not None:
                paging, paging_params = shape
        if paging is not None and http != "GET":
            paging = None
        if paging == "twilio_camel_token" and self._requires(op, "pageToken"):
            # Without a token there is no first page to ask for: one page, fetched by token.
            paging = None
        if paging is not None:
            returns, decode = listing.returns, listing.decode
        name = x.get("method") or self._method_name(op, http, paging)
        if name == "fetch" and not paging and listing.items_key and self.provider.generic:
            # An unpaged list keeps the list name; ``fetch`` stays the instance GET's (a
            # path ending in its id), even when the instance holds an array (a pet's tags).
            name = name if op.path.rstrip("/").endswith("}") else "list"
        # A DELETE whose spec declares a body returns it decoded, as any other call.
        kind = "list" if paging else "delete" if http == "DELETE" and decode is None else "request"
        names = self._names(name, kind)
        if any(n in used for n in names):
            name = python_name(snake(op_id))
            names = self._names(name, kind)
            if any(n in used for n in names):
                raise spec.error(op.pointer, f"method name {name!r} is used twice on one resource")
        used.update(names)
        driven = driven_params(paging, paging_params) if paging and paging_params else ()
        params, max_size = self._params(op, paging, driven)
        max_page = x.get("max_page_size", max_size if paging else None)
        if paging in ("twilio_meta", "twilio_2010") and max_page is None:
            max_page = 1000
        accept, may_be_empty, response = self._media(op)
        body_kind, content_type = self._body_kind(op)
        if response != "json" and kind == "request":
            # A binary or text body is never "missing": an empty one is b"" or "".
            returns, decode = ("bytes" if response == "bytes" else "str"), None
            may_be_empty = False
        decoded = kind == "request" and decode is not None and response == "json"
        if decoded and may_be_empty:
            returns = f"{returns} | None"
        doc = _doc(node.get("description"), node.get("summary"))
        return ir.Method(
            name=names[0],
            kind=kind,
            const="_" + re.sub(r"\W", "_", names[0]).upper(),
            op_id=op_id,
            http_method=http,
            server=_server(spec, op),
            path=op.path,
            body=body_kind,
            content_type=content_type,
            response=response,
            paging=paging,
            items_key=items_key if paging else None,
            paging_params=paging_params if paging else (),
            max_page_size=int(max_page) if max_page is not None else None,
            summary=_doc(node.get("summary"), node.get("description")) or op_id,
            doc=doc if doc != _doc(node.get("summary")) else "",
            params=params,
            returns="None" if kind == "delete" else returns,
            decode=decode,
            page_name=names[1] if kind == "list" else "",
            pages_name=names[2] if kind == "list" else "",
            stream_name=names[3] if kind == "list" else "",
            accept=accept,
            requires_content=decoded and not may_be_empty,
            may_be_empty=decoded and may_be_empty,
            auth=(
                security_alternatives(spec, op.node, op.pointer)
                if self.provider.generic
                else _auth(spec, op)
            ),
        )

    @staticmethod
    def _op_id(op: _Op) -> str:
        return str(op.node.get("operationId") or pascal(f"{op.method}_{op.path}"))

    def _requires(self, op: _Op, wire: str) -> bool:
        """Whether the operation (or its path) declares ``wire`` as a required parameter."""
        for holder in (op.node, op.path_item):
            for raw in holder.get("parameters") or []:
                param, _ = self.spec.resolve(raw, "#" + op.pointer)
                if isinstance(param, dict) and param.get("name") == wire:
                    return bool(param.get("required"))
        return False

    @staticmethod
    def _names(name: str, kind: str) -> list[str]:
        if kind != "list":
            return [name]
        if name == "list":
            return ["list", "page", "pages", "stream"]
        return [name, f"{name}_page", f"{name}_pages", f"{name}_stream"]

    @staticmethod
    def _method_name(op: _Op, http: str, paging: str | None) -> str:
        if op.path_type == "list":
            return {"POST": "create", "GET": "list" if paging else "fetch"}.get(
                http, "delete" if http == "DELETE" else "update"
            )
        return {"GET": "fetch", "POST": "update", "DELETE": "delete"}.get(http, "update")

    def _body_kind(self, op: _Op) -> tuple[str | None, str | None]:
        """How the request body is encoded, and the media type of a binary or text one."""
        body = op.node.get("requestBody")
        if body is None:
            return None, None
        body, pointer = self.spec.resolve(body, "#" + pointer_join(op.pointer, "requestBody"))
        kind, _, _ = _json_schema(self.spec, body.get("content"), pointer_join(pointer, "content"))
        if kind is None and (media := _raw_media(body.get("content"))) is not None:
            return ("text" if _is_text(media) else "binary"), media
        return kind, None

    def _response(self, op: _Op) -> tuple[tuple[str, str | None], _Listing]:
        """The result type and decoder of a call, and how a list response holds its items."""
        responses = op.node.get("responses")
        if not isinstance(responses, dict):
            raise self.spec.error(pointer_join(op.pointer, "responses"), "responses are missing")
        for code in sorted(str(c) for c in responses):
            if not code.startswith("2"):
                continue
            pointer = pointer_join(op.pointer, "responses", code)
            response, pointer = self.spec.resolve(responses[code], "#" + pointer)
            _, schema, schema_pointer = _json_schema(
                self.spec, response.get("content"), pointer_join(pointer.lstrip("#"), "content")
            )
            if schema is None:
                continue
            target, target_pointer = self.spec.resolve(schema, "#" + schema_pointer)
            listing = attrs.evolve(
                self._listing(target, target_pointer.lstrip("#"), self._op_id(op)), schema=target
            )
            # A page's wrapper is the runtime's business; its items are what a call returns.
            hint = f"{self._op_id(op)}_response"
            inline = listing.paging is None
            type_ = self.models.type_of(schema, schema_pointer, _MODELS, hint=hint, inline=inline)
            if type_.model is not None and type_.annotation == type_.model:
                return (type_.model, f"{type_.model}.from_dict"), listing
            if type_.model is not None and type_.annotation == f"_b.list[{type_.model}]":
                return (type_.annotation, f"_m.list_of({type_.model}.from_dict)"), listing
            # :func:`trunkline._models.union_of` is typed for up to four members.
            if type_.union and type_.decode is not None and type_.annotation.count("|") < 4:
                decoder = type_.decode.replace("_m.one_of({v}, ", "_m.union_of(")
                return (type_.annotation, decoder), listing
            return ("_t.Any", None), listing
        return ("_t.Any", None), _Listing()

    def _media(self, op: _Op) -> tuple[str, bool, str]:
        """The ``Accept`` value for an operation's success replies, whether one has no body,
        and how a body is returned: ``json`` when any reply is JSON, else ``text`` for text
        and XML, ``bytes`` for the rest (octet-stream, images, ``format: binary``)."""
        types: list[str] = []
        others: list[str] = []
        empty = False
        for code, raw in (op.node.get("responses") or {}).items():
            if not str(code).startswith("2"):
                continue
            pointer = pointer_join(op.pointer, "responses", str(code))
            response, _ = self.spec.resolve(raw, "#" + pointer)
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict) or not content:
                empty = True
                continue
            for media in content:
                if _is_json(media) and media not in types:
                    types.append(media)
                elif not _is_json(media) and media not in others:
                    others.append(media)
        if types or not others:
            return ", ".join(types) or "application/json", empty, "json"
        kind = "text" if all(_is_text(media) for media in others) else "bytes"
        return ", ".join(others), empty, kind

    def _paging_kind(self, props: dict[str, Any], pointer: str) -> str | None:
        """How a response with these properties pages, if it is a list page at all.

        A ``meta`` object alone is not enough (a SCIM user has one): Twilio's pages say
        ``meta.next_page_url`` (or ``meta.next_token``, or camelCase ``meta.nextToken``,
        whose properties may come through ``allOf``), the 2010 API's ``next_page_uri``.
        """
        if "next_page_uri" in props:
            return "twilio_2010"
        meta = props.get("meta")
        if not isinstance(meta, dict):
            return None
        meta, meta_pointer = self.spec.resolve(
            meta, "#" + pointer_join(pointer, "properties", "meta")
        )
        if not isinstance(meta, dict):
            return None
        fields = {key for key, _, _ in self.models._properties(meta, meta_pointer.lstrip("#"))}
        if "next_page_url" in fields:
            return "twilio_meta"
        if "next_token" in fields:
            return "twilio_token"
        if "nextToken" in fields:
            return "twilio_camel_token"
        return None

    def _listing(self, schema: Any, pointer: str, op_id: str) -> _Listing:
        if not isinstance(schema, dict):
            return _Listing()
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            item = self.models.type_of(
                schema["items"],
                pointer_join(pointer, "items"),
                _MODELS,
                hint=f"{op_id}_response_item",
                inline=True,
            )
            return _Listing(None, None, *_item(item))
        props = schema.get("properties") or {}
        if not isinstance(props, dict):
            return _Listing()
        paging = self._paging_kind(props, pointer)
        for key, prop in props.items():
            prop_pointer = pointer_join(pointer, "properties", key)
            prop, prop_pointer = self.spec.resolve(prop, "#" + prop_pointer)
            if isinstance(prop, dict) and prop.get("type") == "array" and key != "meta":
                items = prop.get("items")
                if not isinstance(items, dict):
                    return _Listing(paging, key)
                item = self.models.type_of(
                    items,
                    pointer_join(prop_pointer.lstrip("#"), "items"),
                    _MODELS,
                    hint=f"{op_id}_response_{key}_item",
                    inline=True,
                )
                return _Listing(paging, key, *_item(item))
        return _Listing()

    def _check(self, schema: Any, pointer: str, type_: ir.TypeRef) -> ir.Check | None:
        """The spec's constraints on an argument of type ``type_`` as one check, or None.

        Formats ``uuid`` and ``email``, string lengths, number bounds and list sizes (with
        the items' own constraints) are checked; a regex ``pattern`` is not (Twilio's SID
        patterns stay the server's business), and neither is a string that is not a ``str``
        argument (a date, an enum).
        """
        if not isinstance(schema, dict):
            return None
        node, _ = self.spec.resolve(schema, "#" + pointer)
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            node, _ = self.spec.resolve(all_of[0], "#" + pointer_join(pointer, "allOf", 0))
        argument = type_.argument
        if argument == "_abc.Mapping[str, _t.Any]":
            return ir.Check("mapping")
        if argument in _DATE_CHECKS:
            return _DATE_CHECKS[argument]
        rules = _rules(node, argument)
        if argument.startswith(("list[", "_b.list[")) and isinstance(node.get("items"), dict):
            items, _ = self.spec.resolve(node["items"], "#" + pointer_join(pointer, "items"))
            item_type = argument.split("[", 1)[1][:-1]
            item_rules = _rules(items, item_type) if type_.enum is None else None
            sizes = [
                (key, str(node[wire]))
                for key, wire in (("min_items", "minItems"), ("max_items", "maxItems"))
                if _is_int(node.get(wire))
            ]
            if item_rules is not None:
                sizes.append(("each", f"_v.{item_rules.kind}"))
                sizes += item_rules.rules
            return ir.Check("array", tuple(sizes)) if sizes else None
        return rules

    def _enum_members(self, type_: ir.TypeRef) -> tuple[str, ...]:
        """The values of the enum an argument of ``type_`` takes (empty for no enum)."""
        if type_.enum is None:
            return ()
        enum = self.models.enums.get(type_.enum.removeprefix(_MODELS))
        return tuple(m.value for m in enum.members) if enum is not None else ()

    def _query_names(self, op: _Op) -> set[str]:
        names: set[str] = set()
        for holder in (op.path_item, op.node):
            for raw in holder.get("parameters") or []:
                param, _ = self.spec.resolve(raw, "#")
                if isinstance(param, dict) and param.get("in") == "query":
                    names.add(str(param.get("name")))
        return names

    def _params(
        self, op: _Op, paging: str | None, driven: tuple[str, ...] = ()
    ) -> tuple[tuple[ir.Param, ...], int | None]:
        spec = self.spec
        declared: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for holder, base in ((op.path_item, pointer_join(op.pointer, "..")), (op.node, op.pointer)):
            base = op.pointer.rsplit("/", 1)[0] if holder is op.path_item else op.pointer
            for index, raw in enumerate(holder.get("parameters") or []):
                pointer = pointer_join(base, "parameters", index)
                param, pointer = spec.resolve(raw, "#" + pointer)
                pointer = pointer.lstrip("#")
                if not isinstance(param, dict) or "name" not in param or "in" not in param:
                    raise spec.error(pointer, "a parameter needs a name and an 'in'")
                declared[(str(param["in"]), str(param["name"]))] = (param, pointer)
        skip = set(_PAGING_PARAMS.get(paging or "", ())) | set(driven)
        max_size: int | None = None
        used = set(RESERVED_ARGS)
        out: list[ir.Param] = []

        def add(
            wire: str,
            location: str,
            type_: ir.TypeRef,
            required: bool,
            doc: str,
            check: ir.Check | None = None,
            style: tuple[str, bool] | None = None,
        ) -> None:
            base = argument_name(wire)
            name = base
            if name in used:
                name = f"{base}_{location}"
            n = 2
            while name in used:
                name, n = f"{base}_{location}_{n}", n + 1
            used.add(name)
            # Only a leading path parameter is the client's own (``/Accounts/{AccountSid}/...``);
            # deeper in a path it names some other account.
            default = location == "path" and wire in self.provider.caller_defaults and not out
            doc = _param_doc(wire, doc, self._enum_members(type_))
            out.append(ir.Param(name, wire, location, type_, required, doc, default, check, style))

        def argument(schema: Any, pointer: str, location: str, hint: str) -> ir.TypeRef:
            node, _ = spec.resolve(schema, "#" + pointer) if isinstance(schema, dict) else ({}, "")
            if isinstance(node, dict) and node.get("format") == "binary":
                # A file: multipart takes a name and a type with it; elsewhere the bytes.
                return ir.TypeRef("bytes", arg_annotation="_enc.FileArg")
            items = node.get("items") if isinstance(node, dict) else None
            if isinstance(items, dict) and node.get("type") == "array":
                item, _ = spec.resolve(items, "#" + pointer_join(pointer, "items"))
                if isinstance(item, dict) and item.get("format") == "binary":
                    return ir.TypeRef("_b.list[bytes]", arg_annotation="_b.list[_enc.FileArg]")
            type_ = self.models.type_of(schema, pointer, _MODELS, hint=hint)
            return _argument(type_, location, self._enum_members(type_))

        for segment in segments(op.path):
            if not is_param(segment):
                continue
            for wire in re.findall(r"\{([^}]+)\}", segment):
                param, pointer = declared.pop(("path", wire), ({}, ""))
                str_type = ir.TypeRef("str")
                check = self._check(param.get("schema"), pointer_join(pointer, "schema"), str_type)
                style = _style(param, "path", {})
                add(wire, "path", str_type, True, _doc(param.get("description")), check, style)
        for (location, wire), (param, pointer) in declared.items():
            if location == "path":
                raise spec.error(pointer, f"path parameter {wire!r} is not in the path {op.path!r}")
            if location == "cookie":
                continue
            if wire in skip:
                maximum = (param.get("schema") or {}).get("maximum")
                sizes = ("PageSize", "Size", "pageSize", "page_size", "limit")
                if wire in sizes and isinstance(maximum, int):
                    max_size = maximum
                continue
            schema = param.get("schema") or {}
            type_ = argument(
                schema, pointer_join(pointer, "schema"), location, f"{op.segment}_{wire}"
            )
            check = self._check(schema, pointer_join(pointer, "schema"), type_)
            doc = _doc(param.get("description"))
            resolved, _ = spec.resolve(schema, "#" + pointer_join(pointer, "schema"))
            style = _style(param, location, resolved)
            add(wire, location, type_, bool(param.get("required")), doc, check, style)
        body = op.node.get("requestBody")
        if body is not None:
            body, pointer = spec.resolve(body, "#" + pointer_join(op.pointer, "requestBody"))
            kind, schema, schema_pointer = _json_schema(
                spec, body.get("content"), pointer_join(pointer.lstrip("#"), "content")
            )
            content = body.get("content") or {}
            encodings: dict[str, Any] = {}
            if kind in ("form", "multipart"):
                media = "multipart/form-data" if kind == "multipart" else _FORM_MEDIA
                found = (content.get(media) or {}).get("encoding")
                encodings = found if isinstance(found, dict) else {}
            raw = _raw_media(content) if schema is None else None
            if raw is not None:
                # A binary or text body is the caller's own bytes or str, passed whole.
                whole = ir.TypeRef("str") if _is_text(raw) else ir.TypeRef("bytes")
                doc = _doc(body.get("description")) or f"The request body, sent as ``{raw}``."
                add("body", "body_object", whole, bool(body.get("required")), doc)
            if schema is not None:
                target, target_pointer = spec.resolve(schema, "#" + schema_pointer)
                props = self.models.request_properties(target, target_pointer.lstrip("#"))
                required = set(target.get("required") or [])
                if not props:
                    # A free-form body (``properties: {}``) is passed whole.
                    free = ir.TypeRef(
                        "dict[str, _t.Any]", arg_annotation="_abc.Mapping[str, _t.Any]"
                    )
                    doc = _doc(body.get("description"), target.get("description"))
                    add("body", "body_object", free, bool(body.get("required")), doc)
                else:
                    for wire, prop, prop_pointer in props:
                        type_ = argument(prop, prop_pointer, "body", f"{op.segment}_{wire}")
                        target, _ = spec.resolve(prop, "#" + prop_pointer)
                        doc = _doc(prop.get("description"), target.get("description"))
                        check = self._check(prop, prop_pointer, type_)
                        encoding = encodings.get(wire)
                        style = None
                        if isinstance(encoding, dict) and (
                            "style" in encoding or "explode" in encoding
                        ):
                            style = _style(encoding, "query", target)
                        add(wire, "body", type_, wire in required, doc, check, style)
        return tuple(out), max_size


def _tree_paths(spec: Spec) -> list[tuple[str, str | None, str | None]]:
    """Each path of the spec with its ``x-twilio.parent`` and ``mountName``, in spec order."""
    out: list[tuple[str, str | None, str | None]] = []
    for path, item in (spec.data.get("paths") or {}).items():
        x = item.get("x-twilio") if isinstance(item, dict) else None
        found = x if isinstance(x, dict) else {}
        parent, mount = found.get("parent"), found.get("mountName")
        out.append(
            (
                str(path),
                parent if isinstance(parent, str) else None,
                mount if isinstance(mount, str) else None,
            )
        )
    return out


def _child(resource: ir.Resource) -> ir.Child:
    return ir.Child(
        resource.attr,
        resource.module,
        resource.class_name,
        resource.doc.replace("Operations on", "Services for"),
    )


def build_unit(
    spec: Spec, provider: ProviderConfig, path: tuple[str, ...], package: str
) -> ir.Unit:
    """Build the IR of one spec, generated as the container at ``path`` under ``package``."""
    builder = _UnitBuilder(spec, provider)
    ops = _collect_ops(spec)
    grouped: dict[tuple[str, ...], list[_Op]] = {}
    for op in ops:
        grouped.setdefault(op.resource_key, []).append(op)
    methods: dict[tuple[str, ...], tuple[ir.Method, ...]] = {}
    for key, key_ops in grouped.items():
        used: set[str] = set()
        methods[key] = tuple(builder.operation(op, used) for op in key_ops)
    nodes = plan_tree(
        _tree_paths(spec),
        set(grouped),
        {op.resource_key: op.resource_key[0][1:] for op in ops if op.resource_key[0][:1] == "@"},
        {key: {n for m in ms for n in m.names} for key, ms in methods.items()},
        provider.caller_defaults,
        CLIENT_MEMBERS if not path else (),
    )
    resources: list[ir.Resource] = []
    class_names: set[str] = set()
    for key, node in nodes.items():
        base = pascal(singular(pascal(node.module.rstrip("_")))) + "Service"
        cls, n = base, 2
        while cls in class_names:
            cls, n = f"{base}{n}", n + 1
        class_names.add(cls)
        if key in grouped:
            doc = f"Operations on ``{grouped[key][0].path}`` and its instances."
        else:
            doc = f"The resources under ``{node.path}``."
        resources.append(
            ir.Resource(node.attr, cls, node.module, doc, methods.get(key, ()), tree=node.tree)
        )
    by_key = {key: r for key, r in zip(nodes, resources, strict=True)}
    resources = [
        attrs.evolve(
            r,
            children=tuple(
                sorted(
                    (_child(by_key[k]) for k, n in nodes.items() if n.parent == key),
                    key=lambda c: c.module,
                )
            ),
        )
        for key, r in by_key.items()
    ]
    info = spec.data.get("info") or {}
    is_root = not path
    container = ir.Container(
        package=package,
        class_name=provider.client if is_root else pascal("_".join(path)),
        doc=_doc(info.get("title")) or spec.name,
        children=tuple(
            sorted((_child(r) for r in resources if len(r.tree) == 1), key=lambda c: c.module)
        ),
        base=provider.base if is_root else None,
        spec=spec.name,
        path=path,
        spec_client=build_spec_client(spec) if is_root and provider.generic else None,
    )
    shortcuts: tuple[ir.Child, ...] = ()
    if (provider.name, path) == SHORTCUT_UNIT:
        top = {r.attr: r for r in resources if len(r.tree) == 1}
        shortcuts = tuple(_child(top[name]) for name in SHORTCUTS if name in top)
    models = builder.models
    placed, modules = place_models(
        resources, tuple(models.models.values()), tuple(models.enums.values()), container.doc
    )
    return ir.Unit(
        provider=provider.name,
        path=path,
        spec=spec.name,
        digest=spec.digest,
        container=container,
        resources=placed,
        models=tuple(models.models.values()),
        enums=tuple(models.enums.values()),
        model_modules=modules,
        shortcuts=shortcuts,
    )


def build_containers(
    provider: ProviderConfig, package: str, unit_paths: list[tuple[str, ...]]
) -> list[ir.Container]:
    """The grouping containers above the units: the client class and domain classes."""
    children: dict[tuple[str, ...], set[str]] = {}
    for path in unit_paths:
        for depth in range(len(path)):
            children.setdefault(path[:depth], set()).add(path[depth])
    units = set(unit_paths)
    out: list[ir.Container] = []
    for prefix in sorted(children):
        if prefix in units:
            continue
        is_root = not prefix
        kids = tuple(
            ir.Child(
                name,
                name,
                pascal("_".join((*prefix, name))),
                f"The ``{'.'.join((*prefix, name))}`` API.",
            )
            for name in sorted(children[prefix])
        )
        shortcuts = None
        shortcut_provider, shortcut_unit = SHORTCUT_UNIT
        if is_root and provider.name == shortcut_provider and shortcut_unit in units:
            shortcuts = ".".join(shortcut_unit) + "._shortcuts"
            clash = set(SHORTCUTS) & {kid.attr for kid in kids}
            if clash:
                raise ValueError(f"shortcuts named like domains: {sorted(clash)}")
        out.append(
            ir.Container(
                shortcuts=shortcuts,
                package=".".join((package, *prefix)),
                class_name=provider.client if is_root else pascal("_".join(prefix)),
                doc=f"{provider.client} API client."
                if is_root
                else f"The ``{'.'.join(prefix)}`` domain.",
                children=kids,
                base=provider.base if is_root else None,
                path=prefix,
            )
        )
    return out
