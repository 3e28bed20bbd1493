"""Twilio's specs as the contract tests read them: operations, parameters, patched copies.

Prism is stricter or narrower than Twilio's servers in a few places; the patches here
are applied to temporary copies of the specs that Prism serves, never to what the
generator reads:

- Array form fields: Prism only splits repeated form keys into an array when the
  request body's ``encoding`` says ``style: form, explode: true`` (OpenAPI's default for
  form bodies, which Prism does not apply), so each array property gets that encoding;
  one given by ``$ref`` or marked ``nullable`` is inlined without ``nullable`` (Prism does
  not split those at all).
- Object form fields: Twilio takes them as one JSON string (``RecordingRules={...}``);
  Prism expects an object exploded into form keys, so the copy types them as strings.
- Specs whose only security scheme is OAuth 2 (``iam_organizations``) are called with
  the client's OAuth mode, which fetches its bearer token from ``oauth.v2``'s
  ``/v2/token``; with every host sent to one Prism process, the copy also serves that
  path (taken from the ``oauth_v2`` spec with the schemas it uses).
- ``Content-Encoding`` response headers (Memory v1 says ``gzip``): Prism sends the example
  value over a body it never compressed, which no client can decode, so the copy drops them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

__all__ = [
    "FORM",
    "JSON_TYPES",
    "Param",
    "SpecOperation",
    "load_spec",
    "oauth_only",
    "operations",
    "patch_for_prism",
    "resolve",
    "skip_reason",
    "spec_name",
]

FORM = "application/x-www-form-urlencoded"
JSON_TYPES = ("application/json", "application/scim+json")
METHODS = ("get", "post", "put", "patch", "delete")
Location = Literal["path", "query", "header", "body"]


def spec_name(path: Path) -> str:
    """``twilio_verify_v2.json`` → ``verify_v2``."""
    return path.stem.removeprefix("twilio_")


def load_spec(path: Path) -> dict[str, Any]:
    """Read one spec file."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def resolve(doc: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s until ``node`` is not a reference."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"cannot resolve reference {ref!r}")
        seen.add(ref)
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _has_operations(doc: Mapping[str, Any]) -> bool:
    return any(m in item for item in doc.get("paths", {}).values() for m in METHODS)


def skip_reason(name: str, doc: Mapping[str, Any]) -> str | None:
    """Why a spec is not served, or None when it is."""
    if not _has_operations(doc):
        return "the spec has paths but no operations; Prism has nothing to serve"
    return None


@attrs.frozen
class Param:
    """One parameter of an operation: where it goes, its wire name and its resolved schema."""

    wire: str
    location: Location
    required: bool
    schema: Mapping[str, Any]


@attrs.frozen
class SpecOperation:
    """One operation of one spec, as the contract tests call it."""

    spec: str
    id: str
    method: str
    path: str
    path_type: str | None
    params: tuple[Param, ...]
    content_type: str | None
    body_schema: Mapping[str, Any] | None
    body_required: bool

    @property
    def label(self) -> str:
        """``verify_v2 CreateFactor (POST /v2/Services/{ServiceSid}/...)``."""
        return f"{self.spec} {self.id} ({self.method} {self.path})"


def _params(doc: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]) -> list[Param]:
    merged: dict[tuple[Location, str], Mapping[str, Any]] = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = resolve(doc, raw)
        merged[(param["in"], param["name"])] = param
    out = []
    for (location, name), param in merged.items():
        schema = resolve(doc, param.get("schema", {}))
        required = bool(param.get("required", False)) or location == "path"
        out.append(Param(wire=name, location=location, required=required, schema=schema))
    return out


def _flatten(doc: Mapping[str, Any], schema: Any) -> Mapping[str, Any]:
    """A body schema with the properties and required names of its ``allOf`` parts merged in."""
    schema = resolve(doc, schema)
    parts = schema.get("allOf")
    if not isinstance(parts, list) or schema.get("properties"):
        return dict(schema)
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in parts:
        flat = _flatten(doc, part)
        merged["properties"].update(flat.get("properties", {}))
        merged["required"].extend(flat.get("required", []))
    merged["required"].extend(schema.get("required", []))
    return merged


def operations(name: str, doc: Mapping[str, Any]) -> Iterator[SpecOperation]:
    """Every operation of a spec, in the spec's order."""
    for path, item in doc.get("paths", {}).items():
        path_type = item.get("x-twilio", {}).get("pathType")
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            params = _params(doc, item, op)
            content_type = None
            body_schema: Mapping[str, Any] | None = None
            body = op.get("requestBody")
            body_required = False
            if body is not None:
                body = resolve(doc, body)
                body_required = bool(body.get("required", False))
                content_type, media = next(iter(body["content"].items()))
                body_schema = _flatten(doc, media.get("schema", {}))
                required = set(body_schema.get("required", []))
                if content_type == FORM:
                    for wire, prop in body_schema.get("properties", {}).items():
                        params.append(
                            Param(
                                wire=wire,
                                location="body",
                                required=wire in required,
                                schema=resolve(doc, prop),
                            )
                        )
            yield SpecOperation(
                spec=name,
                id=str(op["operationId"]),
                method=method.upper(),
                path=path,
                path_type=path_type,
                params=tuple(params),
                content_type=content_type,
                body_schema=body_schema,
                body_required=body_required,
            )


TOKEN_PATH = "/v2/token"


def oauth_only(doc: Mapping[str, Any]) -> bool:
    """Whether every security requirement of the spec names only OAuth 2 schemes."""
    schemes = doc.get("components", {}).get("securitySchemes", {})
    required = [name for req in doc.get("security", []) for name in req]
    return bool(required) and all(
        resolve(doc, schemes.get(name, {})).get("type") == "oauth2" for name in required
    )


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _add_token_path(patched: dict[str, Any], source: Mapping[str, Any]) -> None:
    item = source.get("paths", {}).get(TOKEN_PATH)
    if item is None or TOKEN_PATH in patched.get("paths", {}):
        return
    patched["paths"][TOKEN_PATH] = copy.deepcopy(dict(item))
    pending = list(_refs(item))
    while pending:
        ref = pending.pop()
        parts = ref.removeprefix("#/").split("/")
        if len(parts) != 3 or parts[0] != "components":
            continue
        section = patched.setdefault("components", {}).setdefault(parts[1], {})
        if parts[2] not in section:
            node = source["components"][parts[1]][parts[2]]
            section[parts[2]] = copy.deepcopy(node)
            pending.extend(_refs(node))


def _drop_content_encoding(doc: Mapping[str, Any], response: Any) -> None:
    headers = resolve(doc, response).get("headers") if isinstance(response, Mapping) else None
    if isinstance(headers, dict):
        headers.pop("Content-Encoding", None)


def patch_for_prism(
    doc: Mapping[str, Any], *, token_source: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A copy of ``doc`` with the Prism work-arounds the module docstring lists.

    ``token_source`` is the ``oauth_v2`` spec, used for OAuth-only specs.
    """
    patched: dict[str, Any] = copy.deepcopy(dict(doc))
    if token_source is not None and oauth_only(doc):
        _add_token_path(patched, token_source)
    for item in patched.get("paths", {}).values():
        for method in METHODS:
            op = item.get(method)
            for response in (op or {}).get("responses", {}).values():
                _drop_content_encoding(patched, response)
            if op is None or "requestBody" not in op:
                continue
            body = resolve(patched, op["requestBody"])
            media = body.get("content", {}).get(FORM)
            if media is None:
                continue
            schema = resolve(patched, media.get("schema", {}))
            props = schema.get("properties", {})
            for wire, prop in list(props.items()):
                if resolve(patched, prop).get("type") == "object":
                    props[wire] = {"type": "string", "description": "JSON text"}
            arrays = [
                wire
                for wire, prop in schema.get("properties", {}).items()
                if resolve(patched, prop).get("type") == "array"
            ]
            if arrays:
                encoding = media.setdefault("encoding", {})
                for wire in arrays:
                    encoding.setdefault(wire, {}).update(style="form", explode=True)
                    # Prism splits repeated keys only for a plain array: not one behind a
                    # $ref, nor a nullable one (9.0.0's UseCaseCategories is both).
                    inline = copy.deepcopy(resolve(patched, props[wire]))
                    inline.pop("nullable", None)
                    props[wire] = inline
    return patched
