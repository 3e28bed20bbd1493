"""Joining a spec and the local files its ``$ref``s name into one document.

The rest of the generator reads one document with ``#/...`` refs only. A ref into another
file is resolved against the referring file's folder and then:

- in a schema position (a ``schema``, a property, ``items``, an ``allOf`` part, ...) the
  target schema is hoisted into ``components/schemas`` and the ref points there. Its name is
  the last segment of the ref's pointer (the file's stem for a whole-file ref); when that
  name is already taken by another schema it becomes ``<stem>_<name>``, then gets a number.
  A root ``components/schemas`` entry that is only a ref to another file keeps its own name.
  Hoisting gives a schema one class however often it is referred to, and ends cycles: a
  schema is named before its own refs are followed.
- anywhere else (a path item, parameter, response, request body, ...) the target is inlined:
  OpenAPI has no cycles there, so one is refused.

Refs that leave the spec's folder tree or name a URL are refused. Every schema node met on
the way (the root document's too) is passed to a hook, which the loader uses to read 3.1
schemas as 3.0 ones.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["Bundle", "ExternalRefError"]

# Keywords whose value is a schema, a map of schemas or a list of schemas.
_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
    }
)
_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# Values, never refs, whatever keys they hold.
_DATA = frozenset({"example", "examples", "default", "enum", "const"})

_SCHEMAS = "#/components/schemas"

Key = tuple[Path, str]


class ExternalRefError(Exception):
    """A ``$ref`` the bundle cannot follow, with the referring file and JSON pointer."""

    def __init__(self, file: Path, pointer: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.pointer = pointer
        self.message = message


def _join(pointer: str, part: str | int) -> str:
    return f"{pointer}/{str(part).replace('~', '~0').replace('/', '~1')}"


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


class Bundle:
    """One walk over a root document that pulls in the files its refs name.

    Args:
        root: the spec file.
        data: its parsed content (changed in place).
        parse: reads another file; raises ValueError when it is not JSON/YAML.
        on_schema: called with every schema object before its children are walked.
    """

    def __init__(
        self,
        root: Path,
        data: dict[str, Any],
        parse: Callable[[Path], Any],
        on_schema: Callable[[dict[str, Any]], None],
    ) -> None:
        self.root = root.resolve()
        self.folder = self.root.parent
        self.parse = parse
        self.on_schema = on_schema
        self.docs: dict[Path, Any] = {self.root: data}
        components = data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self.schemas: dict[str, Any] = schemas if isinstance(schemas, dict) else {}
        self.names: dict[Key, str] = {}
        self.hoisted: dict[str, Any] = {}
        self.inlined: dict[Key, Any] = {}
        self.inlining: set[Key] = set()

    @property
    def files(self) -> list[Path]:
        """The other files pulled in, in the order they were first read."""
        return [path for path in self.docs if path != self.root]

    def run(self) -> dict[str, Any]:
        """The joined document."""
        data: dict[str, Any] = self.docs[self.root]
        self._reserve()
        for key in list(data):
            data[key] = self._walk(data[key], self.root, _join("", key), "other")
        if self.hoisted:
            components = data.setdefault("components", {})
            schemas = components.setdefault("schemas", {}) if isinstance(components, dict) else None
            if not isinstance(schemas, dict):
                raise ExternalRefError(
                    self.root,
                    "/components/schemas",
                    "must be an object to take other files' schemas",
                )
            schemas.update(self.hoisted)
        return data

    def _reserve(self) -> None:
        """Root schemas that only point at another file keep their name for the target."""
        for name, node in self.schemas.items():
            if isinstance(node, dict) and set(node) == {"$ref"} and isinstance(node["$ref"], str):
                pointer = _join("/components/schemas", name)
                key = self._target(node["$ref"], self.root, pointer)
                if key[0] != self.root and key not in self.names:
                    self.names[key] = name

    def _walk(self, node: Any, file: Path, pointer: str, mode: str) -> Any:
        """``node`` with its refs to other files replaced.

        ``mode`` says what ``node`` is: a ``schema``, a ``map`` or ``list`` of schemas, or
        ``other`` (any other OpenAPI object or value).
        """
        if isinstance(node, list):
            child = "schema" if mode == "list" else "other"
            return [self._walk(v, file, _join(pointer, i), child) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if mode == "map":
            return {k: self._walk(v, file, _join(pointer, k), "schema") for k, v in node.items()}
        if mode == "schema":
            # First: folding ``anyOf: [{$ref}, {type: "null"}]`` may bring a ref up here.
            self.on_schema(node)
        ref = node.get("$ref")
        if isinstance(ref, str):
            replaced = self._ref(node, ref, file, pointer, schema=mode == "schema")
            if replaced is not node:
                return replaced
        for key, value in list(node.items()):
            if mode == "schema":
                if key in _DATA or key == "$ref":
                    continue
                if key == "discriminator" and isinstance(value, dict):
                    self._mapping(value, file, _join(pointer, key))
                    continue
                child = (
                    "schema"
                    if key in _ONE
                    else "map"
                    if key in _MAP
                    else "list"
                    if key in _LIST
                    else "other"
                )
            elif key in ("example", "$ref"):
                continue
            elif key == "schema":
                child = "schema"
            elif key == "schemas" and pointer.endswith("/components"):
                child = "map"
            else:
                child = "other"
            node[key] = self._walk(value, file, _join(pointer, key), child)
        return node

    def _mapping(self, discriminator: dict[str, Any], file: Path, pointer: str) -> None:
        """Discriminator mapping values are refs too (a bare name, dotted or not, stays)."""
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return
        for value, ref in mapping.items():
            if isinstance(ref, str) and (
                "#" in ref or "/" in ref or ref.endswith((".json", ".yaml", ".yml"))
            ):
                at = _join(_join(pointer, "mapping"), value)
                local = self._ref({"$ref": ref}, ref, file, at, schema=True)
                mapping[value] = local["$ref"]

    def _ref(
        self, node: dict[str, Any], ref: str, file: Path, pointer: str, *, schema: bool
    ) -> Any:
        """The replacement of a ref object: itself when it already points into the root."""
        if file == self.root and ref.startswith("#"):
            return node
        key = self._target(ref, file, pointer)
        target_file, target_pointer = key
        # 3.1 lets a ref have siblings; they may name other files too.
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if siblings:
            siblings = self._walk(siblings, file, pointer, "schema" if schema else "other")
        if target_file == self.root:
            return {"$ref": "#" + target_pointer, **siblings}
        if schema:
            name = self._hoist(key, ref, file, pointer)
            return {"$ref": _join(_SCHEMAS, name), **siblings}
        if key in self.inlining:
            raise ExternalRefError(file, _join(pointer, "$ref"), f"$ref cycle through {ref!r}")
        if key not in self.inlined:
            self.inlining.add(key)
            target = copy.deepcopy(self._lookup(key, ref, file, pointer))
            self.inlined[key] = self._walk(target, target_file, target_pointer, "other")
            self.inlining.discard(key)
        inlined = self.inlined[key]
        return {**inlined, **siblings} if isinstance(inlined, dict) and siblings else inlined

    def _hoist(self, key: Key, ref: str, file: Path, pointer: str) -> str:
        name = self.names.get(key)
        if name is None:
            name = self._name(key)
            self.names[key] = name
        if name not in self.hoisted:
            self.hoisted[name] = {}
            target = copy.deepcopy(self._lookup(key, ref, file, pointer))
            self.hoisted[name] = self._walk(target, key[0], key[1], "schema")
        return name

    def _name(self, key: Key) -> str:
        target_file, target_pointer = key
        parts = _parts(target_pointer)
        base = parts[-1] if parts and parts[-1] else target_file.stem
        taken = set(self.schemas) | set(self.names.values())
        for candidate in (base, f"{target_file.stem}_{base}"):
            if candidate not in taken:
                return candidate
        n = 2
        while f"{target_file.stem}_{base}_{n}" in taken:
            n += 1
        return f"{target_file.stem}_{base}_{n}"

    def _target(self, ref: str, file: Path, pointer: str) -> Key:
        """The file and JSON pointer a ref names, checked to stay inside the spec's folder."""
        at = _join(pointer, "$ref")
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            raise ExternalRefError(
                file, at, f"$ref {ref!r} names a URL; only files beside the spec are read"
            )
        target = (file.parent / unquote(parts.path)).resolve() if parts.path else file
        if not target.is_relative_to(self.folder):
            raise ExternalRefError(file, at, f"$ref {ref!r} leaves the spec's folder {self.folder}")
        fragment = unquote(parts.fragment)
        if fragment and not fragment.startswith("/"):
            raise ExternalRefError(file, at, f"$ref {ref!r}: the part after # must start with /")
        return target, fragment

    def _document(self, path: Path, file: Path, at: str, ref: str) -> Any:
        if path not in self.docs:
            if not path.is_file():
                raise ExternalRefError(file, at, f"$ref {ref!r}: no file at {path}")
            try:
                self.docs[path] = self.parse(path)
            except ValueError as exc:
                raise ExternalRefError(
                    file, at, f"$ref {ref!r}: {path} is not valid JSON/YAML: {exc}"
                ) from exc
        return self.docs[path]

    def _lookup(self, key: Key, ref: str, file: Path, pointer: str) -> Any:
        at = _join(pointer, "$ref")
        node = self._document(key[0], file, at, ref)
        for part in _parts(key[1]):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise ExternalRefError(file, at, f"$ref {ref!r} points at nothing")
        return node
