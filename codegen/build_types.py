"""Schema types of one spec: its model and enum classes, and each schema's Python type.

:class:`Models` is the builder's type half: :mod:`trunkline.codegen.build` asks it the type of
every argument and result. The classes' names come from :mod:`trunkline.codegen.class_names`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trunkline.codegen import ir
from trunkline.codegen.class_names import ClassNames, enum_values
from trunkline.codegen.dcg import schema_classes
from trunkline.codegen.loader import Spec, pointer_join
from trunkline.codegen.naming import (
    enum_member,
    pascal,
    python_name,
    snake,
)

__all__ = ["Models", "enum_values", "first_text"]

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


def first_text(*texts: Any) -> str:
    for text in texts:
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())
    return ""


class Models:
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
        self.names = ClassNames(spec, self.classes)
        self.by_pointer = self.names.by_pointer
        self.models: dict[str, ir.ModelDef] = {}
        self.enums: dict[str, ir.EnumDef] = {}
        self.inline_enums: dict[tuple[str, frozenset[str]], str] = {}

    def _is_array(self, pointer: str) -> bool:
        node, _ = self.spec.resolve({"$ref": "#" + pointer}, "#" + pointer)
        return isinstance(node, dict) and node.get("type") == "array"

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
        for value in enum_values(node) or []:
            if value in seen:
                continue
            seen.add(value)
            base = enum_member(value)
            member, n = base, 2
            while member in used:
                member, n = f"{base}_{n}", n + 1
            used.add(member)
            members.append(ir.EnumMember(member, value))
        self.enums[cls] = ir.EnumDef(
            cls, schema, first_text(node.get("description")), tuple(members)
        )

    def inline_enum(self, hint: str, node: dict[str, Any]) -> str:
        """Name and record an enum declared inline (not under components).

        Inline enums of one position name (``services_inbound_method``, in both the create
        and the update of a resource) and the same values are one class.
        """
        key = (pascal(hint), frozenset(enum_values(node) or ()))
        cls = self.inline_enums.get(key)
        if cls is None:
            cls = self.inline_enums[key] = self.names.unique(key[0])
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
                ir.Field(name, wire, type_, first_text(prop.get("description")), wire in required)
            )
        present = {f.wire for f in fields}
        doc = first_text(node.get("description"))
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
        values = enum_values(node)
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
            cls = self.names.unique(pascal(hint))
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


def _untyped(node: dict[str, Any]) -> bool:
    """The schema states no type at all: no ``type``, composition or ``$ref``."""
    return not any(key in node for key in ("type", "$ref", "allOf", "oneOf", "anyOf", "not"))
