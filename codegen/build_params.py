"""A method's arguments: its parameters and request body as typed, checked, documented arguments."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from trunkline.codegen import ir
from trunkline.codegen.build_ops import Op, is_text, json_schema, raw_media
from trunkline.codegen.build_types import Models, first_text
from trunkline.codegen.layout import MODELS
from trunkline.codegen.loader import Spec, pointer_join
from trunkline.codegen.naming import (
    RESERVED_ARGS,
    argument_name,
)
from trunkline.codegen.tree import is_param, segments

if TYPE_CHECKING:
    from trunkline.codegen.build import ProviderConfig

__all__ = ["Params"]

# Parameters the runtime drives for each paging strategy; they are not method arguments.
_PAGING_PARAMS = {
    "twilio_meta": ("PageSize", "Page", "PageToken"),
    "twilio_2010": ("PageSize", "Page", "PageToken"),
    "twilio_token": ("Size", "Token"),
    "twilio_camel_token": ("pageSize", "pageToken"),
    "signalwire_links": ("page_size", "page_number", "page_token"),
    "ziggeo_offset": ("limit", "skip"),
}


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


class Params:
    """The argument half of a unit builder (:class:`trunkline.codegen.build._UnitBuilder`)."""

    spec: Spec
    provider: ProviderConfig
    models: Models

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
        enum = self.models.enums.get(type_.enum.removeprefix(MODELS))
        return tuple(m.value for m in enum.members) if enum is not None else ()

    def _params(
        self, op: Op, paging: str | None, driven: tuple[str, ...] = ()
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
            type_ = self.models.type_of(schema, pointer, MODELS, hint=hint)
            return _argument(type_, location, self._enum_members(type_))

        for segment in segments(op.path):
            if not is_param(segment):
                continue
            for wire in re.findall(r"\{([^}]+)\}", segment):
                param, pointer = declared.pop(("path", wire), ({}, ""))
                str_type = ir.TypeRef("str")
                check = self._check(param.get("schema"), pointer_join(pointer, "schema"), str_type)
                style = _style(param, "path", {})
                add(
                    wire, "path", str_type, True, first_text(param.get("description")), check, style
                )
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
            doc = first_text(param.get("description"))
            resolved, _ = spec.resolve(schema, "#" + pointer_join(pointer, "schema"))
            style = _style(param, location, resolved)
            add(wire, location, type_, bool(param.get("required")), doc, check, style)
        body = op.node.get("requestBody")
        if body is not None:
            body, pointer = spec.resolve(body, "#" + pointer_join(op.pointer, "requestBody"))
            kind, schema, schema_pointer = json_schema(
                spec, body.get("content"), pointer_join(pointer.lstrip("#"), "content")
            )
            content = body.get("content") or {}
            encodings: dict[str, Any] = {}
            if kind in ("form", "multipart"):
                media = "multipart/form-data" if kind == "multipart" else _FORM_MEDIA
                found = (content.get(media) or {}).get("encoding")
                encodings = found if isinstance(found, dict) else {}
            raw = raw_media(content) if schema is None else None
            if raw is not None:
                # A binary or text body is the caller's own bytes or str, passed whole.
                whole = ir.TypeRef("str") if is_text(raw) else ir.TypeRef("bytes")
                doc = first_text(body.get("description")) or f"The request body, sent as ``{raw}``."
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
                    doc = first_text(body.get("description"), target.get("description"))
                    add("body", "body_object", free, bool(body.get("required")), doc)
                else:
                    for wire, prop, prop_pointer in props:
                        type_ = argument(prop, prop_pointer, "body", f"{op.segment}_{wire}")
                        target, _ = spec.resolve(prop, "#" + prop_pointer)
                        doc = first_text(prop.get("description"), target.get("description"))
                        check = self._check(prop, prop_pointer, type_)
                        encoding = encodings.get(wire)
                        style = None
                        if isinstance(encoding, dict) and (
                            "style" in encoding or "explode" in encoding
                        ):
                            style = _style(encoding, "query", target)
                        add(wire, "body", type_, wire in required, doc, check, style)
        return tuple(out), max_size
