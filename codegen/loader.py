"""Reading a spec file and following its local ``$ref`` pointers.

What it accepts: OpenAPI 3.0 and 3.1, JSON or YAML, spread over several files of one folder
tree (see :mod:`trunkline.codegen.bundle`). YAML is read as ``yaml.safe_load`` reads it but
for timestamps: an unquoted ``2024-05-01`` stays the string the spec's JSON form would hold.
3.1 schemas are read as 3.0 ones (``type: [string, "null"]`` as ``type: string`` with
``nullable: true``), so the rest of the generator knows one dialect. Swagger 2.0 is refused.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from trunkline.codegen.bundle import Bundle, ExternalRefError

__all__ = ["Spec", "SpecError", "load_spec", "parse_document", "pointer_join"]


class SpecError(Exception):
    """A spec the generator cannot use; names the file and the JSON pointer of the problem."""

    def __init__(self, file: str, pointer: str, message: str) -> None:
        super().__init__(f"{file}: at {pointer or '/'}: {message}")
        self.file = file
        self.pointer = pointer
        self.message = message


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Extend a JSON pointer, escaping ``~`` and ``/`` in each part."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "/".join((pointer, *escaped))


class Spec:
    """One loaded OpenAPI document: its data, file name, content hash and ref resolver."""

    def __init__(
        self,
        path: Path,
        data: dict[str, Any],
        digest: str,
        files: tuple[Path, ...] = (),
        inputs: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.name = path.name
        self.data = data
        self.digest = digest
        self.files = files
        self.inputs = inputs
        """The other files the digest covers, relative to the spec's folder (overlay too)."""

    def error(self, pointer: str, message: str) -> SpecError:
        """A :class:`SpecError` for this file."""
        return SpecError(str(self.path), pointer.lstrip("#"), message)

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains from ``node`` (at ``pointer``) to the target and its pointer."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#"):
                raise self.error(
                    pointer_join(pointer, "$ref"), f"only local $refs are supported, got {ref!r}"
                )
            if ref in seen:
                raise self.error(pointer_join(pointer, "$ref"), f"$ref cycle through {ref!r}")
            seen.add(ref)
            node = self._lookup(ref, pointer)
            pointer = ref[1:]
        return node, pointer

    def _lookup(self, ref: str, at: str) -> Any:
        node: Any = self.data
        for raw in ref[1:].split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise self.error(pointer_join(at, "$ref"), f"$ref {ref!r} points at nothing")
        return node


def parse_document(path: Path, raw: bytes | None = None) -> Any:
    """The parsed content of a JSON or YAML file (YAML by suffix ``.yaml``/``.yml``).

    Raises:
        ValueError: the bytes are not valid JSON or YAML.
    """
    if raw is None:
        raw = path.read_bytes()
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            return yaml.load(raw, Loader=_YamlLoader)
        except yaml.YAMLError as exc:
            raise ValueError(str(exc)) from exc
    return json.loads(raw)


class _YamlLoader(yaml.SafeLoader):  # type: ignore[misc]
    """``yaml.SafeLoader`` that leaves timestamps as strings.

    A spec's dates are strings on the wire; as ``datetime`` objects they would reach JSON
    encoders and the model parser as values they cannot handle.
    """


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _as_30(schema: dict[str, Any]) -> None:
    """Rewrite a 3.1 schema's ways of saying null in 3.0's ``nullable`` (in place).

    ``type: [X, "null"]`` becomes ``type: X`` (several non-null types stay a list);
    ``type: "null"`` becomes a schema of no type; an ``anyOf``/``oneOf`` of one schema and
    ``{type: "null"}`` becomes that schema. Each sets ``nullable: true`` (and drops a null
    from the enum of a type array).
    """
    declared = schema.get("type")
    if declared == "null" or (isinstance(declared, list) and "null" in declared):
        others = [kind for kind in declared if kind != "null"] if isinstance(declared, list) else []
        if len(others) == 1:
            schema["type"] = others[0]
        elif others:
            schema["type"] = others
        else:
            del schema["type"]
        schema["nullable"] = True
        # 3.1 lists null among a nullable enum's values; the type says it already.
        values = schema.get("enum")
        if isinstance(values, list) and None in values:
            schema["enum"] = [value for value in values if value is not None]
    for keyword in ("anyOf", "oneOf"):
        parts = schema.get(keyword)
        if not isinstance(parts, list) or len(parts) != 2:
            continue
        nulls = [p for p in parts if isinstance(p, dict) and _is_null(p)]
        if len(nulls) != 1:
            continue
        (kept,) = [p for p in parts if p is not nulls[0]]
        if not isinstance(kept, dict):
            continue
        del schema[keyword]
        for key, value in kept.items():
            schema.setdefault(key, value)
        schema["nullable"] = True
        # The kept part is no longer a list member of its own: its null types are read here.
        _as_30(schema)


def _is_null(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    return declared == "null" or declared == ["null"]


def load_spec(path: Path) -> Spec:
    """Load a JSON or YAML OpenAPI 3.0/3.1 document and the files it refers to.

    Raises:
        SpecError: the file is not an OpenAPI 3 document (a Swagger 2.0 one is told to be
            converted first), or a ``$ref`` to another file cannot be followed.
    """
    raw = path.read_bytes()
    try:
        data = parse_document(path, raw)
    except ValueError as exc:
        raise SpecError(str(path), "", f"not valid JSON/YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(str(path), "", "the document is not an object")
    version = data.get("openapi")
    if version is None and "swagger" in data:
        raise SpecError(
            str(path),
            "/swagger",
            f"a Swagger {data['swagger']} document; convert it to OpenAPI 3 first "
            "(for example with swagger2openapi), then generate from the converted file",
        )
    if not isinstance(version, str) or not version.startswith("3."):
        raise SpecError(str(path), "/openapi", f"expected OpenAPI 3.0 or 3.1, got {version!r}")
    if not isinstance(data.get("paths", {}), dict):
        raise SpecError(str(path), "/paths", "paths must be an object")
    bundle = Bundle(path, data, parse_document, _as_30)
    try:
        data = bundle.run()
    except ExternalRefError as exc:
        file = path if exc.file == bundle.root else exc.file
        raise SpecError(str(file), exc.pointer, exc.message) from exc
    inputs = [str(file.relative_to(bundle.folder)) for file in bundle.files]
    overlay = overlay_path(path)
    # Named even while it does not exist, so adding one later regenerates.
    inputs.append(overlay.name)
    if overlay.is_file():
        apply_overlay(data, overlay)
    digest = spec_digest(path, inputs, raw)
    return Spec(path, data, digest, tuple(bundle.files), tuple(inputs))


OVERLAY_SUFFIX = ".trunkline.yaml"
_OVERLAY_KEYS = frozenset({"paging", "paging_params", "items_key", "method", "max_page_size"})


def overlay_path(spec: Path) -> Path:
    """Where a spec's overlay sits: ``acme.yaml`` → ``acme.trunkline.yaml`` beside it."""
    return spec.with_name(spec.stem + OVERLAY_SUFFIX)


def apply_overlay(data: dict[str, Any], overlay: Path) -> None:
    """Put an overlay's per-operation hints into the operations' ``x-trunkline`` blocks.

    The overlay is our own small YAML, kept beside a vendor's spec so the spec stays as
    published::

        operations:
          listWidgets: {paging: next_cursor, paging_params: [limit, cursor, next_cursor]}
          GET /gadgets: {paging: link_header, paging_params: [per_page]}

    Raises:
        SpecError: the overlay is malformed, names an operation the spec lacks (by
            operationId, or by method and path), or a hint this generator does not know.
    """
    try:
        loaded = parse_document(overlay)
    except ValueError as exc:
        raise SpecError(str(overlay), "", f"not valid YAML: {exc}") from exc
    hints = loaded.get("operations") if isinstance(loaded, dict) else None
    if not isinstance(hints, dict):
        raise SpecError(str(overlay), "/operations", "an overlay needs an operations mapping")
    by_id: dict[str, dict[str, Any]] = {}
    for path, item in (data.get("paths") or {}).items():
        for method, op in item.items() if isinstance(item, dict) else ():
            if not isinstance(op, dict):
                continue
            # Many specs name no operationIds: ``GET /blocks/{hash}/txs`` names one too.
            by_id[f"{str(method).upper()} {path}"] = op
            if isinstance(op.get("operationId"), str):
                by_id[op["operationId"]] = op
    for op_id, values in hints.items():
        where = f"/operations/{op_id}"
        if op_id not in by_id:
            raise SpecError(str(overlay), where, f"the spec has no operation {op_id!r}")
        if not isinstance(values, dict) or not set(values) <= _OVERLAY_KEYS:
            known = ", ".join(sorted(_OVERLAY_KEYS))
            raise SpecError(str(overlay), where, f"hints must be a mapping of {known}")
        node = by_id[op_id]
        node["x-trunkline"] = {**(node.get("x-trunkline") or {}), **values}


def spec_digest(path: Path, inputs: list[str], raw: bytes | None = None) -> str:
    """The hash of a spec and the other files it read (``inputs``, relative to its folder).

    A change in a referred file must regenerate: its name and bytes join the digest. A
    referred file that has gone changes the digest too.
    """
    digest = hashlib.sha256(path.read_bytes() if raw is None else raw)
    for name in inputs:
        file = path.parent / name
        content = file.read_bytes() if file.is_file() else b"\0missing"
        digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()
