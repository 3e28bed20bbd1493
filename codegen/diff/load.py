"""Spec files and folders to IR units, through the generator's own loader and builder.

Each spec is placed as ``generate`` places it (provider, container path), loaded by
:mod:`trunkline.codegen.loader` and built by :mod:`trunkline.codegen.build`, so the diff
sees the names and types the generated client has. Folders build in worker processes,
as ``generate`` does; a spec already built in this process is not built again.
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import attrs

from trunkline.codegen.diff.model import DiffInputError
from trunkline.codegen.ir import Unit
from trunkline.codegen.loader import SpecError

__all__ = ["SpecIR", "load_specs"]

_SPEC_SUFFIXES = (".json", ".yaml", ".yml")
_WORKERS = 2
# Pointers of the loader's errors that say "this file is no OpenAPI 3 document".
_NOT_OPENAPI = ("/openapi", "/swagger")


@attrs.frozen
class SpecIR:
    """One spec as the generator sees it, with the few document facts the IR leaves out.

    Args:
        name: the file name without its extension.
        unit: the IR the generator builds from it.
        deprecated: ``(METHOD, path)`` of the operations the spec marks deprecated.
        schemas: the names under ``components.schemas`` (a model named by one is a
            model of its own; any other is an inline part of the model holding it).
    """

    name: str
    unit: Unit
    deprecated: frozenset[tuple[str, str]]
    schemas: frozenset[str]


_built: dict[tuple[str, int, int], SpecIR] = {}


def _key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


@attrs.frozen
class _Failed:
    """A spec the loader or builder refused, as a worker process sends it back."""

    pointer: str
    message: str
    text: str


def _build(path: Path) -> SpecIR | _Failed:
    """Build one spec (runs in a worker process for folders)."""
    from trunkline.codegen.generate import build_ir, job_for

    try:
        spec, unit = build_ir(job_for(path))
    except SpecError as exc:
        # SpecError does not pickle (its constructor takes three arguments).
        return _Failed(exc.pointer, exc.message, str(exc))
    deprecated = {
        (method.upper(), str(route))
        for route, item in (spec.data.get("paths") or {}).items()
        if isinstance(item, dict)
        for method, op in item.items()
        if isinstance(op, dict) and op.get("deprecated")
    }
    schemas = (spec.data.get("components") or {}).get("schemas") or {}
    return SpecIR(path.stem, unit, frozenset(deprecated), frozenset(map(str, schemas)))


def _input_error(path: Path, failed: _Failed) -> DiffInputError:
    if failed.pointer == "/openapi":
        return DiffInputError(f"{path}: not an OpenAPI document (no 'openapi' key)")
    if not failed.pointer and failed.message.startswith("not valid JSON/YAML: "):
        dialect = "JSON" if path.suffix.lower() == ".json" else "YAML"
        detail = failed.message.removeprefix("not valid JSON/YAML: ")
        return DiffInputError(f"{path}: not valid {dialect}: {detail}")
    return DiffInputError(f"the generator cannot build this spec: {failed.text}")


def _build_all(paths: list[Path], *, skip_other: bool) -> dict[Path, SpecIR]:
    """Each path's IR; with ``skip_other`` a file that is no OpenAPI 3 document is left out."""
    found: dict[Path, SpecIR | _Failed] = {}
    todo: list[Path] = []
    for path in paths:
        try:
            cached = _built.get(_key(path))
        except OSError as exc:
            raise DiffInputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        if cached is not None:
            found[path] = cached
        else:
            todo.append(path)
    if len(todo) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=_WORKERS) as pool:
            found.update(zip(todo, pool.map(_build, todo), strict=True))
    else:
        found.update((path, _build(path)) for path in todo)
    built: dict[Path, SpecIR] = {}
    for path, result in found.items():
        if isinstance(result, SpecIR):
            built[path] = _built[_key(path)] = result
        elif not (skip_other and result.pointer in _NOT_OPENAPI):
            raise _input_error(path, result)
    return built


def load_specs(path: Path) -> dict[str, SpecIR]:
    """Build one spec file, or every spec file in a folder, keyed by file name without suffix.

    Files in a folder that are hidden or are not OpenAPI 3 documents are skipped.

    Raises:
        DiffInputError: the path is missing, a named file is not an OpenAPI document, a
            file does not parse or does not build, a folder holds no spec, or two specs
            share a name.
    """
    if path.is_file():
        return {spec.name: spec for spec in _build_all([path], skip_other=False).values()}
    if not path.is_dir():
        raise DiffInputError(f"{path}: no such file or folder")
    files = [
        child
        for child in sorted(path.iterdir())
        if not child.name.startswith(".") and child.suffix in _SPEC_SUFFIXES and child.is_file()
    ]
    specs: dict[str, SpecIR] = {}
    for child, result in _build_all(files, skip_other=True).items():
        if child.stem in specs:
            raise DiffInputError(f"{path}: two specs are named {child.stem!r}")
        specs[child.stem] = result
    if not specs:
        raise DiffInputError(f"{path}: no OpenAPI spec (*.json, *.yaml, *.yml) in this folder")
    return specs
