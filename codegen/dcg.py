"""datamodel-code-generator as the model front end.

Its OpenAPI parser, run in-process on a spec's ``components/schemas``, decides which schemas
become classes (objects and enums, inline ones included), what each class is called and
which fields it has. The rest of the generator maps those classes back to the raw schema
nodes to type and decode each field (ISO 8601 and RFC 2822 date-times, open enums, nested
models) and renders them with trunkline's own templates as slotted attrs classes.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import attrs

from trunkline.codegen.loader import Spec, pointer_join

__all__ = ["SchemaClass", "schema_classes"]

_SCHEMAS = "#/components/schemas/"
_SPECIAL = "#-datamodel-code-generator-#"


@attrs.frozen
class SchemaClass:
    """One class the parser made from a schema.

    Args:
        kind: ``model`` or ``enum``.
        name: the parser's class name (``Recording``).
        pointer: the JSON pointer of the schema node it came from.
        label: the schema's name for docstrings (``api.v2010.account.recording``).
        qualifiers: parent names, nearest first, to tell apart classes of the same name.
        fields: the wire names of its fields, base classes' first, in the parser's order.
    """

    kind: str
    name: str
    pointer: str
    label: str
    qualifiers: tuple[str, ...]
    fields: tuple[str, ...]


def _check(spec: Spec, node: Any, pointer: str) -> None:
    """Fail on a malformed schema with its pointer, before the parser fails less precisely."""
    if not isinstance(node, dict):
        raise spec.error(pointer, "a schema must be an object")
    props = node.get("properties")
    if props is not None:
        if not isinstance(props, dict):
            raise spec.error(pointer_join(pointer, "properties"), "properties must be an object")
        for key, value in props.items():
            _check(spec, value, pointer_join(pointer, "properties", key))
    if "items" in node:
        _check(spec, node["items"], pointer_join(pointer, "items"))
    for keyword in ("allOf", "oneOf", "anyOf"):
        parts = node.get(keyword)
        if parts is None:
            continue
        if not isinstance(parts, list):
            raise spec.error(pointer_join(pointer, keyword), f"{keyword} must be a list")
        for index, part in enumerate(parts):
            _check(spec, part, pointer_join(pointer, keyword, index))
    ref = node.get("$ref")
    if ref is not None:
        spec.resolve(node, "#" + pointer)


def _for_parser(node: Any) -> Any:
    """``node`` without what the parser misreads: ``x-enum-descriptions`` as a mapping by
    value (the parser wants a list; the descriptions are not used for typing)."""
    if isinstance(node, list):
        return [_for_parser(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _for_parser(value)
        for key, value in node.items()
        if not (key == "x-enum-descriptions" and isinstance(value, dict))
    }


def _parser_results(spec: Spec) -> list[Any]:
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import PythonVersion
    from datamodel_code_generator.model import get_data_model_types
    from datamodel_code_generator.parser.openapi import OpenAPIParser

    types = get_data_model_types(
        DataModelType.DataclassesDataclass, target_python_version=PythonVersion.PY_311
    )
    components = spec.data.get("components") or {}
    schemas = components.get("schemas") or {}
    if not isinstance(schemas, dict):
        raise spec.error("/components/schemas", "schemas must be an object")
    for name, schema in schemas.items():
        _check(spec, schema, pointer_join("/components/schemas", name))
    document = {
        "openapi": spec.data.get("openapi", "3.0.1"),
        "info": spec.data.get("info") or {"title": spec.name, "version": "0"},
        "paths": {},
        "components": {"schemas": _for_parser(schemas)},
    }
    parser = OpenAPIParser(
        json.dumps(document),
        data_model_type=types.data_model,
        data_model_root_type=types.root_model,
        data_model_field_type=types.field_model,
        data_type_manager_type=types.data_type_manager,
        dump_resolve_reference_action=types.dump_resolve_reference_action,
        target_python_version=PythonVersion.PY_311,
    )
    # Unknown formats (phone-number, date-time-rfc-2822, ...) warn; they are typed here instead.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parser.parse_raw()
        except Exception as exc:
            raise spec.error("/components/schemas", f"datamodel-code-generator: {exc}") from exc
    return list(parser.results)


def _child(spec: Spec, node: Any, pointer: str, name: str) -> tuple[Any, str] | None:
    node, pointer = spec.resolve(node, "#" + pointer)
    pointer = pointer.lstrip("#")
    if not isinstance(node, dict):
        return None
    props = node.get("properties")
    if isinstance(props, dict) and name in props:
        return props[name], pointer_join(pointer, "properties", name)
    items = node.get("items")
    if isinstance(items, dict):
        return _child(spec, items, pointer_join(pointer, "items"), name)
    for index, part in enumerate(node.get("allOf") or []):
        found = _child(spec, part, pointer_join(pointer, "allOf", index), name)
        if found is not None:
            return found
    return None


def _locate(spec: Spec, path: str, kind: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The raw pointer, schema label and qualifiers of a parser reference path."""
    path = path.split(_SPECIAL, 1)[0]
    if not path.startswith(_SCHEMAS):
        return None
    name, *props = path[len(_SCHEMAS) :].split("/")
    schemas = (spec.data.get("components") or {}).get("schemas") or {}
    if name not in schemas:
        return None
    node: Any = schemas[name]
    pointer = pointer_join("/components/schemas", name)
    for prop in props:
        found = _child(spec, node, pointer, prop)
        if found is None:
            return None
        node, pointer = found
    if isinstance(node, dict) and "$ref" not in node and node.get("type") == "array":
        wanted = "enum" if kind == "enum" else "properties"
        items = node.get("items")
        if isinstance(items, dict) and wanted in items:
            pointer = pointer_join(pointer, "items")
    parents = [*name.split("."), *props]
    return pointer, "/".join([name, *props]), tuple(reversed(parents[:-1]))


def schema_classes(spec: Spec) -> list[SchemaClass]:
    """The classes datamodel-code-generator's parser makes from ``spec``'s schemas."""
    from datamodel_code_generator.model.enum import Enum

    results = _parser_results(spec)
    by_path = {r.reference.path: r for r in results}
    out: list[SchemaClass] = []

    def wires(result: Any, seen: set[str]) -> list[str]:
        names: list[str] = []
        for base in result.base_classes:
            ref = base.reference
            if ref is not None and ref.path in by_path and ref.path not in seen:
                seen.add(ref.path)
                names += wires(by_path[ref.path], seen)
        names += [field.original_name or field.name for field in result.fields]
        return names

    for result in results:
        if isinstance(result, Enum):
            kind = "enum"
        elif type(result).__name__ == "DataClass":
            kind = "model"
        else:
            continue
        located = _locate(spec, result.reference.path, kind)
        if located is None:
            continue
        pointer, label, qualifiers = located
        fields: list[str] = []
        if kind == "model":
            for wire in wires(result, {result.reference.path}):
                if wire not in fields:
                    fields.append(wire)
        out.append(SchemaClass(kind, result.class_name, pointer, label, qualifiers, tuple(fields)))
    return out
