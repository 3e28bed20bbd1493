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
from trunkline.codegen.dcg import schema_classes
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
from trunkline.codegen.paging_detect import detect, driven_params
from trunkline.codegen.spec_client import GENERIC_BASE, build_spec_client, security_alternatives

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
_RESERVED_ATTRS = frozenset({"models", "self"})
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
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
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
        self._name_classes()

    def _is_array(self, pointer: str) -> bool:
        node, _ = self.spec.resolve({"$ref": "#" + pointer}, "#" + pointer)
        return isinstance(node, dict) and node.get("type") == "array"

    def _name_classes(self) -> None:
        # The parser's name first; a clash takes in parent names, nearest first, until unique,
        # and the least nested class keeps the short name (``Recording``, ``CallRecording``).
        depth = [0] * len(self.classes)

        def name(index: int) -> str:
            cls = self.classes[index]
            parents = reversed(cls.qualifiers[: depth[index]])
            return "".join(pascal(p) for p in parents) + cls.name

        while True:
            groups: dict[str, list[int]] = {}
            for index in range(len(self.classes)):
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
        for index, cls in enumerate(self.classes):
            self.by_pointer[cls.pointer] = (self._unique(name(index)), cls.kind)

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
        """Name and record an enum declared inline (not under components)."""
        cls = self._unique(pascal(hint))
        self._enum(cls, hint, node)
        return cls

    def _properties(self, node: dict[str, Any], pointer: str) -> Iterator[tuple[str, Any, str]]:
        for index, part in enumerate(node.get("allOf") or []):
            sub_pointer = pointer_join(pointer, "allOf", index)
            sub, sub_pointer = self.spec.resolve(part, "#" + sub_pointer)
            yield from self._properties(sub, sub_pointer.lstrip("#"))
        props = node.get("properties") or {}
        if not isinstance(props, dict):
            raise self.spec.error(pointer_join(pointer, "properties"), "must be an object")
        for key, value in props.items():
            yield key, value, pointer_join(pointer, "properties", key)

    def _model(
        self, cls: str, schema: str, node: dict[str, Any], pointer: str, wires: tuple[str, ...]
    ) -> None:
        props = {wire: (prop, ptr) for wire, prop, ptr in self._properties(node, pointer)}
        fields: list[ir.Field] = []
        used: set[str] = set()
        for wire in wires:
            if wire not in props:
                continue
            prop, prop_pointer = props[wire]
            if not isinstance(prop, dict):
                raise self.spec.error(prop_pointer, "a property schema must be an object")
            base = python_name(snake(wire), _RESERVED_FIELDS)
            name, n = base, 2
            while name in used:
                name, n = f"{base}_{n}", n + 1
            used.add(name)
            type_ = self.type_of(prop, prop_pointer, "", hint=f"{cls}_{wire}")
            fields.append(ir.Field(name, wire, type_, _doc(prop.get("description"))))
        self.models[cls] = ir.ModelDef(cls, schema, _doc(node.get("description")), tuple(fields))

    def type_of(self, node: Any, pointer: str, prefix: str, *, hint: str) -> ir.TypeRef:
        """The Python type of a schema, with model names qualified by ``prefix``."""
        if not isinstance(node, dict):
            raise self.spec.error(pointer, "a schema must be an object")
        ref = node.get("$ref")
        if isinstance(ref, str) and ref[1:] in self.by_pointer:
            name, kind = self.by_pointer[ref[1:]]
            return self._named(prefix + name, kind)
        if ref is not None:
            target, target_pointer = self.spec.resolve(node, "#" + pointer)
            return self.type_of(target, target_pointer.lstrip("#"), prefix, hint=hint)
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return self.type_of(all_of[0], pointer_join(pointer, "allOf", 0), prefix, hint=hint)
        if pointer in self.by_pointer:
            name, kind = self.by_pointer[pointer]
            return self._named(prefix + name, kind)
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
            item = self.type_of(items, pointer_join(pointer, "items"), prefix, hint=hint)
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
        if node.get("properties") and prefix == "":
            cls = self._unique(pascal(hint))
            self.by_pointer[pointer] = (cls, "model")
            wires = tuple(wire for wire, _, _ in self._properties(node, pointer))
            self._model(cls, hint, node, pointer, wires)
            return self._named(cls, "model")
        if declared == "object" or node.get("properties") or "additionalProperties" in node:
            return ir.TypeRef("dict[str, _t.Any]", arg_annotation="_abc.Mapping[str, _t.Any]")
        return ir.TypeRef("_t.Any")

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
    parents: list[str]
    path_type: str


def _segments(path: str) -> list[str]:
    return [s[:-5] if s.endswith(".json") else s for s in path.split("/") if s]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


# Public members of the runtime client classes (Caller protocol, lifecycle, settings).
_CLIENT_MEMBERS = frozenset(
    {
        "aclose",
        "closed",
        "default_path_param",
        "list",
        "page",
        "pages",
        "request",
        "retry",
        "stream",
        "timeout",
        "transport",
        "user_agent",
    }
)


def _collect_ops(spec: Spec) -> list[_Op]:
    ops: list[_Op] = []
    for path, item in (spec.data.get("paths") or {}).items():
        pointer = pointer_join("", "paths", path)
        if not isinstance(item, dict):
            raise spec.error(pointer, "a path item must be an object")
        item, _ = spec.resolve(item, "#" + pointer)
        segments = _segments(path)
        literal = [i for i, s in enumerate(segments) if not _is_param(s)]
        if not literal:
            # "/" (an API's index) or "/{id}" alone: the resource is named "root".
            segments, literal = ["root", *segments], [0]
        last = literal[-1]
        key = tuple("{}" if _is_param(s) else s for s in segments[: last + 1])
        parents = [s for s in segments[:last] if not _is_param(s)]
        x_twilio = item.get("x-twilio") if isinstance(item.get("x-twilio"), dict) else {}
        path_type = x_twilio.get("pathType") or ("instance" if _is_param(segments[-1]) else "list")
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
            ops.append(
                _Op(
                    path, method, node, item, op_pointer, op_key, segments[last], parents, path_type
                )
            )
    return ops


def _resource_attrs(ops: list[_Op]) -> dict[tuple[str, ...], str]:
    """Name each resource; on a clash inside one spec the deeper ones take their parent's name."""
    explicit: dict[tuple[str, ...], str] = {}
    keys: dict[tuple[str, ...], list[str]] = {}
    for op in ops:
        x = op.node.get("x-trunkline") or {}
        if isinstance(x, dict) and x.get("resource"):
            explicit[op.resource_key] = str(x["resource"])
        chain = [snake(op.segment)] + [snake(singular(p)) for p in reversed(op.parents)]
        keys.setdefault(op.resource_key, chain)
    full = {op.resource_key for op in ops if _is_param((_segments(op.path) or [""])[-1])}
    depth = dict.fromkeys(keys, 1)

    def name(key: tuple[str, ...]) -> str:
        if key in explicit:
            return explicit[key]
        chain = keys[key]
        return "_".join(reversed(chain[: depth[key]]))

    while True:
        groups: dict[str, list[tuple[str, ...]]] = {}
        for key in keys:
            groups.setdefault(name(key), []).append(key)
        moved = False
        for group in groups.values():
            if len(group) < 2:
                continue
            # A full resource (one with instances) keeps the bare name before a singleton.
            rank = {k: (0 if k in full else 1, len(k)) for k in group}
            best = min(rank.values())
            keep = [k for k in group if rank[k] == best]
            for key in group:
                if key in explicit or (len(keep) == 1 and key == keep[0]):
                    continue
                if depth[key] < len(keys[key]):
                    depth[key] += 1
                    moved = True
        if not moved:
            break
    result: dict[tuple[str, ...], str] = {}
    used: set[str] = set()
    for key in keys:
        base = python_name(name(key), _RESERVED_ATTRS)
        attr, n = base, 2
        while attr in used:
            attr, n = f"{base}_{n}", n + 1
        used.add(attr)
        result[key] = attr
    return result


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
        if media == "application/x-www-form-urlencoded" or media == "multipart/form-data":
            kind = "form"
        elif media == "application/json" or media.endswith("+json"):
            kind = "json"
        if kind and isinstance(body, dict) and "schema" in body:
            return kind, body["schema"], pointer_join(pointer, media, "schema")
    return None, None, pointer


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
        self.models = _Models(spec)
        self.models.build()

    def operation(self, op: _Op, resource_attr: str, used: set[str]) -> ir.Method:
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
        if paging is None and self.provider.generic and http == "GET" and listing.items_key:
            shape = detect(spec, self._query_names(op), listing.schema)
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
            # An unpaged list keeps the list name; ``fetch`` stays the instance GET's.
            name = "list"
        kind = "list" if paging else "delete" if http == "DELETE" else "request"
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
        accept, may_be_empty = self._media(op)
        decoded = kind == "request" and decode is not None
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
            body=self._body_kind(op),
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

    def _body_kind(self, op: _Op) -> str | None:
        body = op.node.get("requestBody")
        if body is None:
            return None
        body, pointer = self.spec.resolve(body, "#" + pointer_join(op.pointer, "requestBody"))
        kind, _, _ = _json_schema(self.spec, body.get("content"), pointer_join(pointer, "content"))
        return kind

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
            type_ = self.models.type_of(schema, schema_pointer, _MODELS, hint="response")
            target, target_pointer = self.spec.resolve(schema, "#" + schema_pointer)
            listing = attrs.evolve(self._listing(target, target_pointer.lstrip("#")), schema=target)
            if type_.model is not None and "list[" not in type_.annotation:
                return (type_.model, f"{type_.model}.from_dict"), listing
            return ("_t.Any", None), listing
        return ("_t.Any", None), _Listing()

    def _media(self, op: _Op) -> tuple[str, bool]:
        """The ``Accept`` value for an operation's success replies, and whether one has no body."""
        types: list[str] = []
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
                if (media == "application/json" or media.endswith("+json")) and media not in types:
                    types.append(media)
        return ", ".join(types) or "application/json", empty

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

    def _listing(self, schema: Any, pointer: str) -> _Listing:
        if not isinstance(schema, dict):
            return _Listing()
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            item = self.models.type_of(
                schema["items"], pointer_join(pointer, "items"), _MODELS, hint="item"
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
                    items, pointer_join(prop_pointer.lstrip("#"), "items"), _MODELS, hint="item"
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
            out.append(ir.Param(name, wire, location, type_, required, doc, default, check))

        for segment in _segments(op.path):
            if not _is_param(segment):
                continue
            for wire in re.findall(r"\{([^}]+)\}", segment):
                param, pointer = declared.pop(("path", wire), ({}, ""))
                str_type = ir.TypeRef("str")
                check = self._check(param.get("schema"), pointer_join(pointer, "schema"), str_type)
                add(wire, "path", str_type, True, _doc(param.get("description")), check)
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
            type_ = self.models.type_of(
                schema, pointer_join(pointer, "schema"), _MODELS, hint=f"{op.segment}_{wire}"
            )
            check = self._check(schema, pointer_join(pointer, "schema"), type_)
            doc = _doc(param.get("description"))
            add(wire, location, type_, bool(param.get("required")), doc, check)
        body = op.node.get("requestBody")
        if body is not None:
            body, pointer = spec.resolve(body, "#" + pointer_join(op.pointer, "requestBody"))
            _, schema, schema_pointer = _json_schema(
                spec, body.get("content"), pointer_join(pointer.lstrip("#"), "content")
            )
            if schema is not None:
                target, target_pointer = spec.resolve(schema, "#" + schema_pointer)
                props = list(self.models._properties(target, target_pointer.lstrip("#")))
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
                        type_ = self.models.type_of(
                            prop, prop_pointer, _MODELS, hint=f"{op.segment}_{wire}"
                        )
                        target, _ = spec.resolve(prop, "#" + prop_pointer)
                        doc = _doc(prop.get("description"), target.get("description"))
                        check = self._check(prop, prop_pointer, type_)
                        add(wire, "body", type_, wire in required, doc, check)
        return tuple(out), max_size


def build_unit(
    spec: Spec, provider: ProviderConfig, path: tuple[str, ...], package: str
) -> ir.Unit:
    """Build the IR of one spec, generated as the container at ``path`` under ``package``."""
    builder = _UnitBuilder(spec, provider)
    ops = _collect_ops(spec)
    attrs_by_key = _resource_attrs(ops)
    if not path:
        # On the client class itself a resource must not hide one of the client's members.
        attrs_by_key = {k: f"{a}_" if a in _CLIENT_MEMBERS else a for k, a in attrs_by_key.items()}
    grouped: dict[tuple[str, ...], list[_Op]] = {}
    for op in ops:
        grouped.setdefault(op.resource_key, []).append(op)
    resources: list[ir.Resource] = []
    class_names: set[str] = set()
    for key, key_ops in grouped.items():
        attr = attrs_by_key[key]
        used: set[str] = set()
        methods = tuple(builder.operation(op, attr, used) for op in key_ops)
        base = pascal(singular(pascal(attr))) + "Service"
        cls, n = base, 2
        while cls in class_names:
            cls, n = f"{base}{n}", n + 1
        class_names.add(cls)
        module = attr if attr != "models" else "models_"
        doc = f"Operations on ``{key_ops[0].path}`` and its instances."
        resources.append(ir.Resource(attr, cls, module, doc, methods))
    info = spec.data.get("info") or {}
    is_root = not path
    container = ir.Container(
        package=package,
        class_name=provider.client if is_root else pascal("_".join(path)),
        doc=_doc(info.get("title")) or spec.name,
        children=tuple(
            sorted(
                (
                    ir.Child(
                        r.attr,
                        r.module,
                        r.class_name,
                        r.doc.replace("Operations on", "Services for"),
                    )
                    for r in resources
                ),
                key=lambda child: child.module,
            )
        ),
        base=provider.base if is_root else None,
        spec=spec.name,
        path=path,
        spec_client=build_spec_client(spec) if is_root and provider.generic else None,
    )
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
        out.append(
            ir.Container(
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
