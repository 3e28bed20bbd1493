"""From a loaded spec to the intermediate representation: units, their services and containers.

All naming and typing decisions live in this module and the ``build_*`` ones it composes
(types in :mod:`~trunkline.codegen.build_types`, operations read from the spec in
:mod:`~trunkline.codegen.build_ops`, arguments in :mod:`~trunkline.codegen.build_params`,
results in :mod:`~trunkline.codegen.build_responses`); templates only print what they decide.
"""

from __future__ import annotations

import re
from typing import Any, get_args

import attrs

from trunkline._generic import SpecClient
from trunkline._operation import PagingKind
from trunkline.codegen import ir
from trunkline.codegen.build_ops import Op, auth_kinds, collect_ops, server_url
from trunkline.codegen.build_params import Params
from trunkline.codegen.build_responses import Responses
from trunkline.codegen.build_types import Models, first_text
from trunkline.codegen.layout import place_models
from trunkline.codegen.loader import Spec, pointer_join
from trunkline.codegen.naming import (
    pascal,
    python_name,
    singular,
    snake,
)
from trunkline.codegen.paging_detect import detect, driven_params, response_headers
from trunkline.codegen.spec_client import GENERIC_BASE, build_spec_client, security_alternatives
from trunkline.codegen.tree import (
    SHORTCUT_UNIT,
    SHORTCUTS,
    plan_tree,
)

__all__ = ["ProviderConfig", "build_containers", "build_unit"]

_PAGING_KINDS = get_args(PagingKind)
# A resource hung on a client class itself (a spec client with no domain or version level)
# must not hide one of the client's public members (the Caller protocol, lifecycle, settings).
_CLIENT_MEMBERS = frozenset(name for name in dir(SpecClient) if not name.startswith("_"))


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


class _UnitBuilder(Params, Responses):
    def __init__(self, spec: Spec, provider: ProviderConfig) -> None:
        self.spec = spec
        self.provider = provider
        # In 3.1 a schema of no type may be the loader's rewrite of ``type: "null"``.
        version = str(spec.data.get("openapi", ""))
        untyped = provider.name == "twilio" and version.startswith("3.0")
        self.models = Models(spec, untyped_objects=untyped)
        self.models.build()

    def operation(self, op: Op, used: set[str]) -> ir.Method:
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
        doc = first_text(node.get("description"), node.get("summary"))
        return ir.Method(
            name=names[0],
            kind=kind,
            const="_" + re.sub(r"\W", "_", names[0]).upper(),
            op_id=op_id,
            http_method=http,
            server=server_url(spec, op),
            path=op.path,
            body=body_kind,
            content_type=content_type,
            response=response,
            paging=paging,
            items_key=items_key if paging else None,
            paging_params=paging_params if paging else (),
            max_page_size=int(max_page) if max_page is not None else None,
            summary=first_text(node.get("summary"), node.get("description")) or op_id,
            doc=doc if doc != first_text(node.get("summary")) else "",
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
                else auth_kinds(spec, op)
            ),
        )

    def _requires(self, op: Op, wire: str) -> bool:
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
    def _method_name(op: Op, http: str, paging: str | None) -> str:
        if op.path_type == "list":
            return {"POST": "create", "GET": "list" if paging else "fetch"}.get(
                http, "delete" if http == "DELETE" else "update"
            )
        return {"GET": "fetch", "POST": "update", "DELETE": "delete"}.get(http, "update")

    def _query_names(self, op: Op) -> set[str]:
        names: set[str] = set()
        for holder in (op.path_item, op.node):
            for raw in holder.get("parameters") or []:
                param, _ = self.spec.resolve(raw, "#")
                if isinstance(param, dict) and param.get("in") == "query":
                    names.add(str(param.get("name")))
        return names


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
    ops = collect_ops(spec)
    grouped: dict[tuple[str, ...], list[Op]] = {}
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
        _CLIENT_MEMBERS if not path else (),
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
        doc=first_text(info.get("title")) or spec.name,
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
