"""The operations of a spec, read without typing: paths, servers, media types and auth kinds."""

from __future__ import annotations

from typing import Any

import attrs

from trunkline.codegen.loader import Spec, pointer_join
from trunkline.codegen.tree import is_param, resource_key, segments

__all__ = [
    "Op",
    "auth_kinds",
    "collect_ops",
    "is_json",
    "is_text",
    "json_schema",
    "op_error",
    "raw_media",
    "server_url",
]

_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


@attrs.define
class Op:
    path: str
    method: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    pointer: str
    resource_key: tuple[str, ...]
    segment: str
    path_type: str


def collect_ops(spec: Spec) -> list[Op]:
    ops: list[Op] = []
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
            ops.append(Op(path, method, node, item, op_pointer, op_key, key[-1], path_type))
    return ops


def server_url(spec: Spec, op: Op) -> str:
    for holder in (op.node, op.path_item, spec.data):
        servers = holder.get("servers")
        if isinstance(servers, list) and servers and isinstance(servers[0], dict):
            url = servers[0].get("url")
            if isinstance(url, str):
                return url.rstrip("/")
    raise op_error(spec, op, "no server URL (servers) for this operation")


def op_error(spec: Spec, op: Op, message: str) -> Exception:
    """A SpecError pointing at an operation."""
    return spec.error(op.pointer, message)


def json_schema(spec: Spec, content: Any, pointer: str) -> tuple[str | None, Any, str]:
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


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def is_text(media: str) -> bool:
    return media.startswith("text/") or media.endswith(("/xml", "+xml"))


def raw_media(content: Any) -> str | None:
    """The media type of a body passed whole (binary or text), when no schema'd kind fits."""
    if not isinstance(content, dict):
        return None
    for media in content:
        if isinstance(media, str) and not is_json(media) and "form" not in media:
            return media
    return None


_AUTH_KINDS = {("http", "basic"): "basic", ("http", "bearer"): "bearer", ("oauth2", ""): "oauth2"}


def auth_kinds(spec: Spec, op: Op) -> tuple[str, ...]:
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
