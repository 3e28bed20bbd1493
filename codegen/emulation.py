"""The emulator's view of one spec: a compact JSON data file written beside the generated package.

``trunkline.testing`` serves every generated operation from these files, so the runtime
never imports the generator and an installed wheel needs no ``specs/`` folder. Each file
holds, per operation, what the emulator checks and renders (method, server, path template,
wire parameters with their schemas, body encoding, paging shape and item key, the success
status and response schema, the resource's dependent child paths) and the spec's component
schemas with prose and vendor extensions stripped, ``$ref``s kept.
"""

from __future__ import annotations

import json
from typing import Any

from trunkline.codegen import ir
from trunkline.codegen.loader import Spec

__all__ = ["DATA_FILE", "emulation_files"]

DATA_FILE = "_emulation.json"
_DROP = frozenset({"description", "summary", "title", "example", "examples", "externalDocs"})
_FORM = "application/x-www-form-urlencoded"


def _strip(node: Any, names: bool = False) -> Any:
    """``node`` without prose, examples and ``x-`` extensions, recursively.

    ``names`` marks a mapping of property names (``properties``), whose keys all stay.
    """
    if isinstance(node, dict):
        return {
            key: _strip(value, key == "properties" and not names)
            for key, value in node.items()
            if names or (key not in _DROP and not str(key).startswith("x-"))
        }
    if isinstance(node, list):
        return [_strip(value) for value in node]
    return node


def _resolve(spec: Spec, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node, _ = spec.resolve(node, "#")
    return node


def _params(spec: Spec, item: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(spec, raw)
        merged[(str(param["in"]), str(param["name"]))] = param
    return [
        {
            "name": name,
            "in": location,
            "required": bool(param.get("required")) or location == "path",
            "schema": _strip(param.get("schema") or {}),
        }
        for (location, name), param in merged.items()
    ]


def _body(spec: Spec, op: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]], Any]:
    body = _resolve(spec, op.get("requestBody"))
    if not isinstance(body, dict) or not body.get("content"):
        return None, [], None
    media_type, media = next(iter(body["content"].items()))
    schema = _resolve(spec, (media or {}).get("schema") or {})
    if media_type != _FORM:
        return "json", [], _strip(schema)
    required = set(schema.get("required") or ())
    fields = [
        {"name": name, "in": "body", "required": name in required, "schema": _strip(prop)}
        for name, prop in (schema.get("properties") or {}).items()
    ]
    return "form", fields, None


def _success(spec: Spec, op: dict[str, Any]) -> tuple[int, Any]:
    for code in sorted(str(c) for c in op.get("responses") or {}):
        if not code.startswith("2"):
            continue
        response = _resolve(spec, op["responses"][code])
        for media in (response.get("content") or {}).values():
            if isinstance(media, dict) and "schema" in media:
                return int(code), _strip(media["schema"])
        return int(code), None
    return 200, None


def _dependents(item: dict[str, Any]) -> dict[str, Any]:
    found = (item.get("x-twilio") or {}).get("dependentProperties") or {}
    return {
        str(name): {"url": str(dep["resource_url"]), "mapping": dict(dep.get("mapping") or {})}
        for name, dep in found.items()
        if isinstance(dep, dict) and dep.get("resource_url")
    }


def _operation(spec: Spec, method: ir.Method) -> dict[str, Any]:
    item = spec.data["paths"][method.path]
    op = item[method.http_method.lower()]
    body, fields, body_schema = _body(spec, op)
    status, response = _success(spec, op)
    return {
        "id": method.op_id,
        "method": method.http_method,
        "server": method.server,
        "path": method.path,
        "path_type": (item.get("x-twilio") or {}).get("pathType"),
        "paging": method.paging,
        "items": method.items_key,
        "params": [*_params(spec, item, op), *fields],
        "body": body,
        "body_schema": body_schema,
        "status": status,
        "response": response,
        "dependents": _dependents(item),
    }


def emulation_files(spec: Spec, unit: ir.Unit) -> dict[tuple[str, ...], str]:
    """The data file of one generated unit, keyed like :func:`render.render_unit`'s files."""
    if not unit.resources:
        return {}
    operations = [_operation(spec, m) for r in unit.resources for m in r.methods]
    schemas = ((spec.data.get("components") or {}).get("schemas")) or {}
    data = {
        "spec": unit.spec,
        "provider": unit.provider,
        "operations": operations,
        "schemas": _strip(schemas),
    }
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    return {(unit.provider, *unit.path, DATA_FILE): text + "\n"}
