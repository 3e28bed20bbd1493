"""Reading a spec file and following its local ``$ref`` pointers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

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

    def __init__(self, path: Path, data: dict[str, Any], digest: str) -> None:
        self.path = path
        self.name = path.name
        self.data = data
        self.digest = digest

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
        import yaml  # type: ignore[import-untyped]

        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise ValueError(str(exc)) from exc
    return json.loads(raw)


def load_spec(path: Path) -> Spec:
    """Load a JSON or YAML OpenAPI 3.0/3.1 document; SpecError when it is not one."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        data = parse_document(path, raw)
    except ValueError as exc:
        raise SpecError(str(path), "", f"not valid JSON/YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(str(path), "", "the document is not an object")
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SpecError(str(path), "/openapi", f"expected OpenAPI 3.0 or 3.1, got {version!r}")
    if not isinstance(data.get("paths", {}), dict):
        raise SpecError(str(path), "/paths", "paths must be an object")
    return Spec(path, data, digest)
