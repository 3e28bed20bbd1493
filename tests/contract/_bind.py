"""Finding the generated method for each spec operation, reached the way users reach it.

Each generated service module holds its operations as module-level
:class:`trunkline._operation.Operation` constants (``id`` is the spec's operationId) and
one service class whose methods name those constants. The index maps every operationId
of a spec to the attribute path on the client (``("verify", "v2", "services", "entities",
"factors")``) and the method name (``create``; ``page`` for list operations), by walking
the unit the spec produced (found through the generator's manifest) down its lazy
children, the way a user's attribute lookups reach them.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from trunkline._operation import Operation

__all__ = ["GENERATED_ROOT", "Binding", "BindingError", "index_spec", "resolve_method"]

GENERATED_ROOT = Path(__file__).resolve().parents[2] / "generated" / "twilio"
PACKAGE = "trunkline.generated.twilio"


class BindingError(Exception):
    """The generated package does not hold what the spec needs."""


@attrs.frozen
class Binding:
    """Where the generated method of one operation lives."""

    attrs_path: tuple[str, ...]
    method: str
    operation: Operation
    service_class: str


def _unit_folders(root: Path) -> dict[str, Path]:
    """Spec file stem (``twilio_verify_v2``) → the folder of the package it generated.

    Read from the generator's manifest (``generated/_manifest.json``), which names the
    spec file of every generated unit.
    """
    manifest = root.parent / "_manifest.json"
    try:
        units = json.loads(manifest.read_text(encoding="utf-8"))["specs"]
    except (OSError, ValueError, KeyError) as exc:
        raise BindingError(f"cannot read the generated manifest {manifest}: {exc}") from exc
    return {
        Path(str(unit["spec"])).stem: root.parent / key
        for key, unit in units.items()
        if isinstance(unit, dict) and "spec" in unit
    }


def _is_list_variant(name: str, kind: str) -> bool:
    return name == kind or name.endswith(f"_{kind}")


def _bindings_of(module: ModuleType, attrs_path: tuple[str, ...]) -> dict[str, Binding]:
    constants = {
        name: value for name, value in vars(module).items() if isinstance(value, Operation)
    }
    exported = getattr(module, "__all__", [])
    classes = [getattr(module, n) for n in exported if inspect.isclass(getattr(module, n, None))]
    out: dict[str, Binding] = {}
    for cls in classes:
        for name, func in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(func):
                continue
            used = [c for c in func.__code__.co_names if c in constants]
            for const in used:
                op = constants[const]
                # A list operation has list/page/pages/stream; the contract calls ``page``.
                if op.paging is not None and not _is_list_variant(name, "page"):
                    continue
                out[op.id] = Binding(attrs_path, name, op, cls.__name__)
    return out


def index_spec(spec_stem: str, root: Path = GENERATED_ROOT) -> dict[str, Binding]:
    """Every operationId of one spec → its :class:`Binding`.

    Raises:
        BindingError: the spec generated nothing under ``root``.
    """
    folder = _unit_folders(root).get(spec_stem)
    if folder is None:
        raise BindingError(f"no generated package under {root} says it came from {spec_stem}")
    unit = folder.relative_to(root).parts
    container = importlib.import_module(".".join((PACKAGE, *unit)))
    (name,) = [n for n in container.__all__ if inspect.isclass(getattr(container, n))]
    out: dict[str, Binding] = {}
    # Services only keep their caller, so a walk without a client reaches every one.
    for chain, service in _walk(getattr(container, name)(None)):
        out.update(_bindings_of(sys.modules[type(service).__module__], (*unit, *chain)))
    return out


def _walk(node: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every service below ``node`` with its attribute path, through the lazy children."""
    for attr, member in sorted(vars(type(node)).items()):
        if isinstance(member, functools.cached_property):
            child = getattr(node, attr)
            yield (*prefix, attr), child
            yield from _walk(child, (*prefix, attr))


def resolve_method(client: Any, binding: Binding) -> Callable[..., Any]:
    """The bound method on ``client``, reached through its attributes (lazy loading included).

    Raises:
        BindingError: an attribute on the way is missing.
    """
    target = client
    for step, attr in enumerate(binding.attrs_path):
        try:
            target = getattr(target, attr)
        except AttributeError as exc:
            walked = ".".join(binding.attrs_path[:step])
            raise BindingError(f"client.{walked} has no attribute {attr!r}") from exc
    method = getattr(target, binding.method, None)
    if method is None:
        path = ".".join(binding.attrs_path)
        raise BindingError(f"client.{path} has no method {binding.method!r}")
    return method  # type: ignore[no-any-return]
