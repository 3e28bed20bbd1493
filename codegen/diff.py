"""``python -m trunkline.codegen diff OLD NEW``: what changed between two spec versions.

The diff reads OpenAPI documents directly (JSON or YAML), so it works on any two versions
without running the generator. OLD and NEW are spec files or folders of specs; folders are
matched file by file on the file name without its extension. With ``--lock`` the old side is
the version the lock file pins and NEW is a candidate version to fetch (or a folder).

Operations are matched on method + path (path parameter names ignored, so renaming
``{Sid}`` does not look like a removal). For each change the output says how bad it is for
code written against the old version:

- ``breaking``: a removed spec, operation, parameter, request field, model or model field;
  a new required parameter or field; a request enum that lost values (narrowed); a
  changed type (other than a request type that got wider, such as integer → number).
- ``notable``: worth a look but existing calls keep working: a new or lost value in a
  response enum, a renamed operationId or path parameter, a different success response
  model, a format change that keeps the Python type, a deprecated operation.
- ``info``: additions that break nothing (new operations, optional parameters, fields).

Parameters are named by their wire name and by the Python keyword the generated method
takes (``DateCreated>`` → ``date_created_after``), so a user sees what breaks in their code.
Exit status: 0 when nothing breaks, 1 when something does, 2 on a usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from trunkline.codegen.naming import argument_name

__all__ = [
    "BREAKING",
    "INFO",
    "NOTABLE",
    "Change",
    "DiffInputError",
    "SpecDiff",
    "add_arguments",
    "diff_documents",
    "diff_paths",
    "diff_specs",
    "load_specs",
    "main",
    "python_name",
    "render_text",
]

BREAKING = "breaking"
NOTABLE = "notable"
INFO = "info"

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SPEC_SUFFIXES = (".json", ".yaml", ".yml")
# Nested request-body objects are followed this deep; deeper changes are rare and noisy.
_MAX_DEPTH = 4
# Values a request parameter may widen to without breaking a caller's existing argument.
_WIDENINGS = {("integer", "number"), ("int", "float")}


class DiffInputError(Exception):
    """An input could not be read as OpenAPI specs (exit status 2)."""


@attrs.frozen
class Change:
    """One difference between the old and the new specs.

    Attributes:
        spec: the spec's name (file name without extension).
        kind: what changed, e.g. ``parameter-removed`` or ``model-field-type-changed``.
        severity: ``breaking``, ``notable`` or ``info``.
        subject: the operation (``POST /v2/Services``) or model (``model verify.v2.service``)
            the change belongs to; empty for a whole spec.
        operation_id: the operation's id (new one if both exist), when the subject is one.
        name: the wire name of the parameter or field, if the change is about one.
        python_name: the Python keyword or attribute for ``name``, when there is one.
        location: ``path``, ``query``, ``header``, ``cookie`` or ``body`` for parameters.
        old: the old value (type, enum values, id…), when it helps.
        new: the new value.
        message: one readable sentence.
    """

    spec: str
    kind: str
    severity: str
    subject: str
    message: str
    operation_id: str | None = None
    name: str | None = None
    python_name: str | None = None
    location: str | None = None
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        """This change as a JSON-ready dict (``None`` values left out)."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen
class SpecDiff:
    """Every change between two sets of specs, in report order."""

    old: str
    new: str
    changes: tuple[Change, ...]
    specs_compared: int

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break code written against the old specs."""
        return tuple(c for c in self.changes if c.severity == BREAKING)

    def summary(self) -> dict[str, Any]:
        """Counts by kind and severity."""
        return {
            "specs_compared": self.specs_compared,
            "specs_changed": len({c.spec for c in self.changes}),
            "specs_added": sum(1 for c in self.changes if c.kind == "spec-added"),
            "specs_removed": sum(1 for c in self.changes if c.kind == "spec-removed"),
            "changes": len(self.changes),
            "breaking": len(self.breaking),
            "by_severity": dict(sorted(Counter(c.severity for c in self.changes).items())),
            "by_kind": dict(sorted(Counter(c.kind for c in self.changes).items())),
        }

    def to_json(self) -> dict[str, Any]:
        """The whole diff as a JSON-ready dict."""
        return {
            "old": self.old,
            "new": self.new,
            "summary": self.summary(),
            "changes": [c.to_json() for c in self.changes],
        }


def python_name(wire: str) -> str:
    """The keyword the generated method takes for a wire name (``DateCreated>`` →
    ``date_created_after``, ``From`` → ``from_``, ``Limit`` → ``limit_``).

    The generator's own naming function, so the diff prints exactly the generated names
    (a name clash inside one method, resolved with a location suffix, is not reproduced).
    """
    return argument_name(wire)


# --- reading specs -------------------------------------------------------------------------


def _read_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DiffInputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise DiffInputError(f"{path}: not valid JSON: {exc}") from exc
    else:
        # Imported by name: pyyaml ships no type stubs and is only needed for YAML specs.
        yaml = importlib.import_module("yaml")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise DiffInputError(f"{path}: not valid YAML: {exc}") from exc
    return data if isinstance(data, dict) else {}


def _is_openapi(doc: Mapping[str, Any]) -> bool:
    return "openapi" in doc and isinstance(doc.get("paths", {}), dict)


def load_specs(path: Path) -> dict[str, dict[str, Any]]:
    """Read one spec file, or every spec file in a folder, keyed by file name without suffix.

    Files in a folder that are hidden or are not OpenAPI documents are skipped.

    Raises:
        DiffInputError: the path is missing, a named file is not an OpenAPI document, a
            file does not parse, or a folder holds no spec, or two specs share a name.
    """
    if path.is_file():
        doc = _read_document(path)
        if not _is_openapi(doc):
            raise DiffInputError(f"{path}: not an OpenAPI document (no 'openapi' key)")
        return {path.stem: doc}
    if not path.is_dir():
        raise DiffInputError(f"{path}: no such file or folder")
    specs: dict[str, dict[str, Any]] = {}
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.suffix not in _SPEC_SUFFIXES:
            continue
        if not child.is_file():
            continue
        doc = _read_document(child)
        if not _is_openapi(doc):
            continue
        if child.stem in specs:
            raise DiffInputError(f"{path}: two specs are named {child.stem!r}")
        specs[child.stem] = doc
    if not specs:
        raise DiffInputError(f"{path}: no OpenAPI spec (*.json, *.yaml, *.yml) in this folder")
    return specs


# --- schemas -------------------------------------------------------------------------------


class _Resolver:
    """Follows local ``$ref``s of one document."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self._doc = doc

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return None
        node: Any = self._doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node

    def resolve(self, node: Any) -> Any:
        """``node`` with its ``$ref`` chain followed (the last reachable target)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            target = self.lookup(ref)
            if target is None:
                break
            node = target
        return node


def _ref_name(schema: Any) -> str | None:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return None


def _merged(schema: Any, res: _Resolver, depth: int = 0) -> dict[str, Any]:
    """``schema`` resolved, with the properties and required names of its ``allOf`` merged."""
    schema = res.resolve(schema)
    if not isinstance(schema, Mapping):
        return {}
    # The depth bound stops an allOf that (indirectly) includes itself.
    if "allOf" not in schema or depth > _MAX_DEPTH:
        return dict(schema)
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    props: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for part in schema.get("allOf") or []:
        sub = _merged(part, res, depth + 1)
        props.update(sub.get("properties") or {})
        required.extend(sub.get("required") or [])
        for key in ("type", "format", "enum", "items"):
            if key in sub and key not in merged:
                merged[key] = sub[key]
    if props:
        merged["properties"] = props
    if required:
        merged["required"] = required
    return merged


def _type_of(schema: Any, res: _Resolver, depth: int = 0) -> str:
    """A short type signature: ``string``, ``string(date-time)``, ``array[integer]``, ``any``."""
    schema = _merged(schema, res)
    if not schema or depth > _MAX_DEPTH:
        return "any"
    for combiner in ("oneOf", "anyOf"):
        if combiner in schema:
            parts = sorted({_type_of(s, res, depth + 1) for s in schema[combiner] or []})
            return parts[0] if len(parts) == 1 else f"{combiner}[{' | '.join(parts)}]"
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else "|".join(sorted(str(k) for k in kinds)) or "null"
    if kind is None:
        if "properties" in schema:
            kind = "object"
        elif "items" in schema:
            kind = "array"
        elif "enum" in schema:
            kind = "string"
        else:
            return "any"
    if kind == "array":
        return f"array[{_type_of(schema.get('items'), res, depth + 1)}]"
    fmt = schema.get("format")
    return f"{kind}({fmt})" if fmt else str(kind)


_STRING_FORMATS = {
    "date-time": "datetime",
    "date-time-rfc-2822": "datetime",
    "date": "date",
    "binary": "bytes",
    "byte": "str",
}


def _python_type(signature: str) -> str:
    """The Python type a signature maps to, to tell a real type change from a format tweak."""
    if signature.startswith("array[") and signature.endswith("]"):
        return f"list[{_python_type(signature[6:-1])}]"
    base, _, fmt = signature.partition("(")
    fmt = fmt.rstrip(")")
    if base == "string":
        return _STRING_FORMATS.get(fmt, "str")
    return {"integer": "int", "number": "float", "boolean": "bool", "object": "dict"}.get(
        base, signature
    )


def _loosened(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with some part of it made untyped (``any``)."""
    if after == "any":
        return True
    if before.startswith("array[") and after.startswith("array["):
        return _loosened(before[6:-1], after[6:-1])
    return False


def _enum_of(schema: Any, res: _Resolver) -> tuple[str, ...] | None:
    """The enum values of a schema (or of its array items), as strings."""
    schema = _merged(schema, res)
    values = schema.get("enum")
    if values is None and schema.get("type") == "array":
        values = _merged(schema.get("items"), res).get("enum")
    if not isinstance(values, list):
        return None
    return tuple(str(v) for v in values if v is not None)


@attrs.frozen
class _Field:
    """A parameter or schema property reduced to what a caller depends on."""

    name: str
    location: str
    required: bool
    type: str
    enum: tuple[str, ...] | None
    python_name: str | None
    # The enclosing object's key for nested fields (names may contain dots themselves).
    parent: str | None = None


def _object_fields(
    schema: Any,
    res: _Resolver,
    *,
    location: str,
    follow_refs: bool,
    prefix: str = "",
    depth: int = 0,
    seen: frozenset[str] = frozenset(),
) -> dict[str, _Field]:
    """The properties of an object schema, nested inline objects flattened as ``a.b``.

    Args:
        follow_refs: descend into properties that ``$ref`` another object schema (request
            bodies); when false those are left to their own model's diff.
    """
    merged = _merged(schema, res)
    props = merged.get("properties") or {}
    required = set(merged.get("required") or [])
    fields: dict[str, _Field] = {}
    if not isinstance(props, Mapping):
        return fields
    for name, prop in props.items():
        key = f"{prefix}{name}"
        fields[key] = _Field(
            name=key,
            location=location,
            required=name in required,
            type=_type_of(prop, res),
            enum=_enum_of(prop, res),
            python_name=python_name(name) if not prefix else None,
            parent=prefix[:-1] or None,
        )
        sub = _merged(prop, res)
        ref = _ref_name(prop)
        if sub.get("type") == "array":
            ref = ref or _ref_name(sub.get("items"))
            sub = _merged(sub.get("items"), res)
        if depth >= _MAX_DEPTH or (ref is not None and (not follow_refs or ref in seen)):
            continue
        if sub.get("properties"):
            fields.update(
                _object_fields(
                    sub,
                    res,
                    location=location,
                    follow_refs=follow_refs,
                    prefix=f"{key}.",
                    depth=depth + 1,
                    seen=seen | ({ref} if ref else set()),
                )
            )
    return fields


# --- operations ----------------------------------------------------------------------------


@attrs.frozen
class _Operation:
    method: str
    path: str
    operation_id: str | None
    deprecated: bool
    params: dict[tuple[str, str], _Field]
    path_params: tuple[str, ...]
    body: dict[str, _Field]
    body_type: str | None
    response: str | None

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _operation(
    path: str, method: str, item: Mapping[str, Any], op: Mapping[str, Any], res: _Resolver
) -> _Operation:
    raw_params: dict[tuple[str, str], Mapping[str, Any]] = {}
    for source in (item.get("parameters") or [], op.get("parameters") or []):
        for prm in source:
            prm = res.resolve(prm)
            if isinstance(prm, Mapping) and "name" in prm:
                raw_params[(str(prm.get("in", "query")), str(prm["name"]))] = prm
    params: dict[tuple[str, str], _Field] = {}
    for (location, name), prm in raw_params.items():
        schema = prm.get("schema", {})
        params[(location, name)] = _Field(
            name=name,
            location=location,
            required=bool(prm.get("required")) or location == "path",
            type=_type_of(schema, res),
            enum=_enum_of(schema, res),
            python_name=python_name(name),
        )
    path_params = tuple(re.findall(r"{([^}]+)}", path))
    body: dict[str, _Field] = {}
    body_type: str | None = None
    request = res.resolve(op.get("requestBody"))
    if isinstance(request, Mapping):
        content = request.get("content") or {}
        preferred = [
            t for t in ("application/x-www-form-urlencoded", "application/json") if t in content
        ]
        choices = preferred or sorted(content)
        body_type = choices[0] if choices else None
        if body_type is not None:
            schema = (content.get(body_type) or {}).get("schema")
            body = _object_fields(schema, res, location="body", follow_refs=True)
            # A body that is not an object (an array, a string) is compared as one field.
            if not body and schema is not None and _type_of(schema, res) not in ("object", "any"):
                body["(body)"] = _Field(
                    name="(body)",
                    location="body",
                    required=bool(request.get("required")),
                    type=_type_of(schema, res),
                    enum=_enum_of(schema, res),
                    python_name=None,
                )
    return _Operation(
        method=method,
        path=path,
        operation_id=op.get("operationId"),
        deprecated=bool(op.get("deprecated")),
        params=params,
        path_params=path_params,
        body=body,
        body_type=body_type,
        response=_success_response(op, res),
    )


def _success_response(op: Mapping[str, Any], res: _Resolver) -> str | None:
    responses = op.get("responses") or {}
    # YAML reads ``200:`` as an int key, JSON as a string.
    for _, raw in sorted((str(s), r) for s, r in responses.items() if str(s).startswith("2")):
        response = res.resolve(raw)
        if not isinstance(response, Mapping):
            return None
        content = response.get("content") or {}
        for media in content.values():
            schema = (media or {}).get("schema")
            if schema is not None:
                return _ref_name(schema) or _type_of(schema, res)
        return None
    return None


def _operations(doc: Mapping[str, Any]) -> dict[str, _Operation]:
    """The operations of a spec keyed by method + path with path parameter names blanked."""
    res = _Resolver(doc)
    found: dict[str, _Operation] = {}
    for path, item in (doc.get("paths") or {}).items():
        item = res.resolve(item)
        if not isinstance(item, Mapping):
            continue
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            key = f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path)}"
            if key in found:
                # Two paths differ only in parameter names: fall back to the exact path.
                key = f"{method.upper()} {path}"
            found[key] = _operation(str(path), method, item, op, res)
    return found


def _models(doc: Mapping[str, Any]) -> dict[str, dict[str, _Field]]:
    """The object schemas of ``components.schemas`` and their (flattened) fields."""
    res = _Resolver(doc)
    schemas = (doc.get("components") or {}).get("schemas") or {}
    models: dict[str, dict[str, _Field]] = {}
    for name, schema in schemas.items():
        merged = _merged(schema, res)
        if merged.get("type") == "object" or "properties" in merged:
            models[str(name)] = _object_fields(merged, res, location="body", follow_refs=False)
    return models


# --- comparing -----------------------------------------------------------------------------


@attrs.define
class _Collector:
    spec: str
    changes: list[Change] = attrs.field(factory=list)

    def add(self, kind: str, severity: str, subject: str, message: str, **extra: Any) -> None:
        self.changes.append(Change(self.spec, kind, severity, subject, message, **extra))


def _listed(values: tuple[str, ...] | list[str], limit: int = 8) -> str:
    """Values for a message; long lists (some enums have hundreds) are cut, JSON keeps all."""
    shown = ", ".join(values[:limit])
    return shown if len(values) <= limit else f"{shown}, … ({len(values) - limit} more)"


def _describe(field: _Field) -> str:
    text = f"{field.name} ({field.python_name})" if field.python_name else field.name
    return text


def _compare_fields(
    out: _Collector,
    subject: str,
    old: Mapping[Any, _Field],
    new: Mapping[Any, _Field],
    *,
    prefix: str,
    noun: str,
    request: bool,
    operation_id: str | None = None,
) -> None:
    """Compare parameters / request fields (``request``) or model fields (response side)."""

    def emit(kind: str, severity: str, field: _Field, message: str, **extra: Any) -> None:
        out.add(
            f"{prefix}-{kind}",
            severity,
            subject,
            message,
            operation_id=operation_id,
            name=field.name,
            python_name=field.python_name,
            location=field.location if request else None,
            **extra,
        )

    old_names = {f.name for f in old.values()}

    def where(field: _Field) -> str:
        return f" in {field.location}" if request and noun == "parameter" else ""

    for key in [k for k in old if k not in new]:
        field = old[key]
        emit("removed", BREAKING, field, f"removed {noun} {_describe(field)}{where(field)}")
    for key in [k for k in new if k not in old]:
        field = new[key]
        # A required member of a new optional object breaks nobody: old calls omit the object.
        if request and field.required and (field.parent is None or field.parent in old_names):
            emit(
                "added",
                BREAKING,
                field,
                f"added required {noun} {_describe(field)}{where(field)}",
                new=field.type,
            )
        else:
            if not request:
                optional = ""
            elif field.required:
                optional = f", required within the new {field.parent}"
            else:
                optional = ", optional"
            emit(
                "added",
                INFO,
                field,
                f"added {noun} {_describe(field)}{where(field)}: {field.type}{optional}",
                new=field.type,
            )
    for key in [k for k in new if k in old]:
        before, after = old[key], new[key]
        label = _describe(after)
        if request and not before.required and after.required:
            emit("required", BREAKING, after, f"{noun} {label} is now required")
        elif request and before.required and not after.required:
            emit("optional", INFO, after, f"{noun} {label} is no longer required")
        if before.type != after.type:
            old_py, new_py = _python_type(before.type), _python_type(after.type)
            widened = request and (
                (old_py, new_py) in _WIDENINGS or (before.type, after.type) in _WIDENINGS
            )
            # A response field that becomes untyped still holds what it held; a request
            # parameter that loses its type accepts what it accepted.
            loosened = _loosened(before.type, after.type) or (
                not request and _loosened(after.type, before.type)
            )
            severity = NOTABLE if old_py == new_py or widened or loosened else BREAKING
            emit(
                "type-changed",
                severity,
                after,
                f"{noun} {label}: type {before.type} → {after.type}",
                old=before.type,
                new=after.type,
            )
        if before.enum is not None or after.enum is not None:
            old_values, new_values = before.enum or (), after.enum or ()
            if before.enum is None or after.enum is None:
                # An enum appearing narrows a free value; one disappearing widens it.
                narrowed = before.enum is None
                emit(
                    "enum-introduced" if narrowed else "enum-dropped",
                    (BREAKING if narrowed else INFO) if request else NOTABLE,
                    after,
                    f"{noun} {label}: now restricted to {len(new_values)} values: "
                    f"{_listed(new_values, 4)}"
                    if narrowed
                    else f"{noun} {label}: no longer restricted to listed values",
                    old=list(old_values) or None,
                    new=list(new_values) or None,
                )
                continue
            added = [v for v in new_values if v not in old_values]
            removed = [v for v in old_values if v not in new_values]
            if removed:
                emit(
                    "enum-removed",
                    BREAKING if request else NOTABLE,
                    after,
                    f"{noun} {label}: enum values removed: {_listed(removed)}",
                    old=removed,
                )
            if added:
                emit(
                    "enum-added",
                    INFO if request else NOTABLE,
                    after,
                    f"{noun} {label}: enum values added: {_listed(added)}",
                    new=added,
                )


def _compare_operation(out: _Collector, old: _Operation, new: _Operation) -> None:
    subject = new.label
    op_id = new.operation_id or old.operation_id
    if old.path != new.path:
        out.add(
            "path-parameter-renamed",
            NOTABLE,
            subject,
            f"path was {old.path}",
            operation_id=op_id,
            old=old.path,
            new=new.path,
        )
    if old.operation_id != new.operation_id:
        out.add(
            "operation-id-changed",
            NOTABLE,
            subject,
            f"operationId {old.operation_id} → {new.operation_id}",
            operation_id=op_id,
            old=old.operation_id,
            new=new.operation_id,
        )
    if new.deprecated and not old.deprecated:
        out.add("operation-deprecated", NOTABLE, subject, "now deprecated", operation_id=op_id)
    # Path parameters are positional, so they are matched by position, not by name.
    old_params = dict(old.params)
    new_params = dict(new.params)
    for old_name, new_name in zip(old.path_params, new.path_params, strict=False):
        if old_name != new_name and ("path", old_name) in old_params:
            old_params[("path", new_name)] = attrs.evolve(
                old_params.pop(("path", old_name)), name=new_name
            )
    _compare_fields(
        out,
        subject,
        old_params,
        new_params,
        prefix="parameter",
        noun="parameter",
        request=True,
        operation_id=op_id,
    )
    if old.body_type != new.body_type and old.body_type and new.body_type:
        out.add(
            "request-body-type-changed",
            NOTABLE,
            subject,
            f"request body {old.body_type} → {new.body_type}",
            operation_id=op_id,
            old=old.body_type,
            new=new.body_type,
        )
    _compare_fields(
        out,
        subject,
        old.body,
        new.body,
        prefix="request-field",
        noun="request field",
        request=True,
        operation_id=op_id,
    )
    if old.response != new.response:
        out.add(
            "response-changed",
            NOTABLE,
            subject,
            f"success response {old.response or 'empty'} → {new.response or 'empty'}",
            operation_id=op_id,
            old=old.response,
            new=new.response,
        )


def diff_documents(spec: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change between two versions of one spec."""
    out = _Collector(spec)
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(old_ops.keys() | new_ops.keys(), key=lambda k: (k.split(" ", 1)[1], k)):
        if key not in new_ops:
            op = old_ops[key]
            out.add(
                "operation-removed",
                BREAKING,
                op.label,
                "operation removed",
                operation_id=op.operation_id,
            )
        elif key not in old_ops:
            op = new_ops[key]
            out.add(
                "operation-added", INFO, op.label, "operation added", operation_id=op.operation_id
            )
        else:
            _compare_operation(out, old_ops[key], new_ops[key])
    old_models, new_models = _models(old), _models(new)
    for name in sorted(old_models.keys() | new_models.keys()):
        subject = f"model {name}"
        if name not in new_models:
            out.add("model-removed", BREAKING, subject, "model removed")
        elif name not in old_models:
            out.add("model-added", INFO, subject, "model added")
        else:
            _compare_fields(
                out,
                subject,
                old_models[name],
                new_models[name],
                prefix="model-field",
                noun="field",
                request=False,
            )
    return out.changes


def _spec_summary(doc: Mapping[str, Any]) -> str:
    ops = len(_operations(doc))
    models = len(_models(doc))
    return f"{ops} operations, {models} models"


def diff_specs(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> SpecDiff:
    """Compare two sets of specs keyed by name (as ``load_specs`` returns them)."""
    changes: list[Change] = []
    if len(old) == 1 and len(new) == 1:
        # Two single files are compared with each other whatever their names.
        (_, old_doc), (new_name, new_doc) = next(iter(old.items())), next(iter(new.items()))
        changes.extend(diff_documents(new_name, old_doc, new_doc))
        return SpecDiff(old_label, new_label, tuple(changes), 1)
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            changes.append(
                Change(
                    name, "spec-removed", BREAKING, "", f"spec removed ({_spec_summary(old[name])})"
                )
            )
        elif name not in old:
            changes.append(
                Change(name, "spec-added", INFO, "", f"spec added ({_spec_summary(new[name])})")
            )
        else:
            changes.extend(diff_documents(name, old[name], new[name]))
    return SpecDiff(old_label, new_label, tuple(changes), len(old.keys() & new.keys()))


def diff_paths(
    old: Path, new: Path, *, old_label: str | None = None, new_label: str | None = None
) -> SpecDiff:
    """Compare two spec files or two folders of specs.

    Raises:
        DiffInputError: an input is missing or unreadable, or a file is compared with a folder.
    """
    if old.is_dir() != new.is_dir() and old.exists() and new.exists():
        raise DiffInputError(f"cannot compare a file with a folder: {old} and {new}")
    return diff_specs(
        load_specs(old),
        load_specs(new),
        old_label=old_label or str(old),
        new_label=new_label or str(new),
    )


# --- output --------------------------------------------------------------------------------

_MARKS = {BREAKING: "!", NOTABLE: "*", INFO: " "}


def _grouped(changes: tuple[Change, ...]) -> Iterator[tuple[str, list[tuple[str, list[Change]]]]]:
    by_spec: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        by_spec.setdefault(change.spec, {}).setdefault(change.subject, []).append(change)
    for spec, subjects in by_spec.items():
        yield spec, list(subjects.items())


def render_text(diff: SpecDiff, *, breaking_only: bool = False) -> str:
    """The diff as readable text, grouped by spec and by operation or model."""
    lines = [f"spec diff: {diff.old} → {diff.new}"]
    shown = diff.breaking if breaking_only else diff.changes
    for spec, subjects in _grouped(shown):
        count = sum(1 for c in diff.changes if c.spec == spec)
        breaking = sum(1 for c in diff.breaking if c.spec == spec)
        lines.append("")
        lines.append(f"{spec}: {count} changes, {breaking} breaking")
        for subject, changes in subjects:
            if not subject:
                for change in changes:
                    lines.append(f"  {_MARKS[change.severity]} {change.message}")
                continue
            op_id = next((c.operation_id for c in changes if c.operation_id), None)
            head = f"  {subject}" + (f"  [{op_id}]" if op_id else "")
            if len(changes) == 1 and changes[0].kind.endswith(("operation-added", "model-added")):
                lines.append(f"{_MARKS[changes[0].severity]} {head.strip()}: {changes[0].message}")
                continue
            if len(changes) == 1 and changes[0].kind.endswith(
                ("operation-removed", "model-removed")
            ):
                lines.append(f"! {head.strip()}: {changes[0].message}")
                continue
            lines.append(head)
            for change in changes:
                lines.append(f"    {_MARKS[change.severity]} {change.message}")
    summary = diff.summary()
    lines.append("")
    lines.append(
        f"{summary['changes']} changes, {summary['breaking']} breaking, across "
        f"{summary['specs_changed']} specs; {summary['specs_compared']} specs in both versions, "
        f"{summary['specs_added']} added, {summary['specs_removed']} removed "
        "(! breaking, * notable)"
    )
    if summary["by_kind"]:
        kinds = ", ".join(f"{kind} {n}" for kind, n in summary["by_kind"].items())
        lines.append(f"by kind: {kinds}")
    return "\n".join(lines) + "\n"


# --- command line --------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options to ``parser``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="OLD NEW",
        help="two spec files or folders of specs; with --lock only NEW, a version or a folder",
    )
    parser.add_argument(
        "--lock",
        action="store_true",
        help="compare the lock file's pinned version (fetched if needed) with NEW",
    )
    parser.add_argument("--lock-file", help="the lock file for --lock (default: the project's)")
    parser.add_argument(
        "--upstream-dir",
        help="with --lock: the folder that holds fetched spec versions (default: specs/.upstream)",
    )
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument(
        "--breaking-only", action="store_true", help="text output: list only breaking changes"
    )


def _lock_inputs(args: argparse.Namespace) -> tuple[tuple[Path, str], tuple[Path, str]]:
    """The pinned version's folder and the candidate's, fetched as needed, with labels."""
    from trunkline.codegen.specs import DEFAULT_LOCK, UPSTREAM_DIR, SpecFetchError, fetch, load_lock

    if len(args.paths) != 1:
        raise DiffInputError("--lock takes one argument: the candidate version (or a folder)")

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        lock = load_lock(Path(args.lock_file) if args.lock_file else DEFAULT_LOCK)
        root = Path(args.upstream_dir) if args.upstream_dir else UPSTREAM_DIR
        old_dir, _ = fetch(lock, root=root, log=log)
        old = (old_dir, f"{lock.package}@{lock.version} (locked)")
        candidate = Path(args.paths[0])
        if candidate.exists():
            return old, (candidate, str(candidate))
        new_lock = attrs.evolve(lock, version=args.paths[0], integrity=None)
        new_dir, _ = fetch(new_lock, root=root, verify_integrity=False, log=log)
    except SpecFetchError as exc:
        raise DiffInputError(str(exc)) from exc
    return old, (new_dir, f"{new_lock.package}@{new_lock.version}")


def main(args: argparse.Namespace) -> int:
    """Run the diff; return 0 (nothing breaks), 1 (something breaks) or 2 (bad input)."""
    started = time.perf_counter()
    try:
        if args.lock:
            (old, old_label), (new, new_label) = _lock_inputs(args)
        elif len(args.paths) != 2:
            raise DiffInputError("give two spec files or folders: OLD NEW (or --lock VERSION)")
        else:
            old, new = Path(args.paths[0]), Path(args.paths[1])
            old_label, new_label = str(old), str(new)
        diff = diff_paths(old, new, old_label=old_label, new_label=new_label)
    except DiffInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        payload = diff.to_json()
        payload["summary"]["seconds"] = round(time.perf_counter() - started, 3)
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(diff, breaking_only=args.breaking_only))
        print(f"took {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 1 if diff.breaking else 0
