"""Two IRs in, change records out: what changed between two versions of each spec.

Both sides come from the generator's own loader and builder (:mod:`.load`) and are read as
a caller sees them (:mod:`.view`), so each change names the wire name and the Python name
the generated client has. Operations are matched on method + path (path parameter names
ignored, so renaming ``{Sid}`` does not look like a removal). The severity says how bad a
change is for code written against the old version:

- ``breaking``: a removed spec, operation, parameter, request field, model or model field;
  a new required parameter or field; a renamed Python method, keyword or attribute; a
  request enum that lost values (narrowed); an operation that started or stopped paging;
  a changed Python type (other than a request type that got wider, such as int → float).
- ``notable``: worth a look but existing calls keep working: a new or lost value in a
  response enum, a renamed operationId, path parameter or generated class, a different
  success response model, another paging style, a deprecated operation, a new check the
  method runs on an argument before any request (a ``uuid`` format, a length bound).
- ``info``: additions that break nothing (new operations, optional parameters, fields),
  and checks dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from trunkline.codegen.diff.load import SpecIR, load_specs
from trunkline.codegen.diff.model import BREAKING, INFO, NOTABLE, Change, DiffInputError, SpecDiff
from trunkline.codegen.diff.view import Field, Operation, Side

__all__ = ["diff_paths", "diff_sides", "diff_specs"]

# A request argument may widen this way without breaking a caller's existing value.
_WIDENINGS = {("int", "float"), ("list[int]", "list[float]")}


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


def _describe(field: Field) -> str:
    return f"{field.name} ({field.python_name})" if field.python_name else field.name


def _loosened(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with some part of it made untyped (``Any``)."""
    if after in ("Any", "dict[str, Any]", "Mapping[str, Any]") and before != "Any":
        return after == "Any" or before.startswith(("dict[", "Mapping["))
    if before.startswith("list[") and after.startswith("list["):
        return _loosened(before[5:-1], after[5:-1])
    return False


def _type_severity(before: Field, after: Field, *, request: bool) -> str | None:
    """How bad a type change is, or None when the Python type did not change."""
    if before.type == after.type:
        return None
    if before.shape == after.shape:
        # Only a generated class's name changed; an enum appearing is its own change.
        same_kind = (before.enum_class is None) == (after.enum_class is None)
        return NOTABLE if same_kind else None
    widened = request and (before.shape, after.shape) in _WIDENINGS
    # A response field that becomes untyped still holds what it held; a request
    # parameter that loses its type accepts what it accepted.
    loosened = _loosened(before.shape, after.shape) or (
        not request and _loosened(after.shape, before.shape)
    )
    return NOTABLE if widened or loosened else BREAKING


def _compare_fields(
    out: _Collector,
    subject: str,
    old: Mapping[Any, Field],
    new: Mapping[Any, Field],
    *,
    prefix: str,
    noun: str,
    request: bool,
    operation_id: str | None = None,
) -> None:
    """Compare parameters / request fields (``request``) or model fields (response side)."""

    def emit(kind: str, severity: str, field: Field, message: str, **extra: Any) -> None:
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

    def where(field: Field) -> str:
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
            continue
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
        _compare_field(emit, noun, old[key], new[key], request=request)


class _Emit(Protocol):
    def __call__(
        self, kind: str, severity: str, field: Field, message: str, **extra: Any
    ) -> None: ...


def _compare_field(emit: _Emit, noun: str, before: Field, after: Field, *, request: bool) -> None:
    """One parameter or field present in both versions: name, required-ness, type, enum."""
    label = _describe(after)
    renamed = before.python_name != after.python_name and before.python_name and after.python_name
    # A path parameter is positional: a new name is the path's change, reported with it.
    if renamed and after.location != "path":
        emit(
            "renamed",
            BREAKING,
            after,
            f"{noun} {after.name}: Python name {before.python_name} → {after.python_name}",
            old=before.python_name,
            new=after.python_name,
        )
    if request and not before.required and after.required:
        emit("required", BREAKING, after, f"{noun} {label} is now required")
    elif request and before.required and not after.required:
        emit("optional", INFO, after, f"{noun} {label} is no longer required")
    if before.checks != after.checks:
        # A new rule may refuse, before any request, a value the old method sent.
        tightened = bool(set(after.checks) - set(before.checks))
        emit(
            "checks-changed",
            NOTABLE if tightened else INFO,
            after,
            f"{noun} {label}: checks {', '.join(before.checks) or 'none'} → "
            f"{', '.join(after.checks) or 'none'}",
            old=list(before.checks) or None,
            new=list(after.checks) or None,
        )
    severity = _type_severity(before, after, request=request)
    if severity is not None:
        emit(
            "type-changed",
            severity,
            after,
            f"{noun} {label}: type {before.type} → {after.type}",
            old=before.type,
            new=after.type,
        )
    if before.enum is None and after.enum is None:
        return
    old_values, new_values = before.enum or (), after.enum or ()
    if before.enum is None or after.enum is None:
        # An enum appearing narrows a free value; one disappearing widens it.
        narrowed = before.enum is None
        emit(
            "enum-introduced" if narrowed else "enum-dropped",
            (BREAKING if narrowed else INFO) if request else NOTABLE,
            after,
            f"{noun} {label}: type {before.type} → {after.type}, "
            + (
                f"now restricted to {len(new_values)} values: {_listed(new_values, 4)}"
                if narrowed
                else "no longer restricted to listed values"
            ),
            old=list(old_values) or None,
            new=list(new_values) or None,
        )
        return
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


def _compare_operation(out: _Collector, old: Operation, new: Operation) -> None:
    subject = new.label
    op_id = new.operation_id or old.operation_id

    def add(kind: str, severity: str, message: str, **extra: Any) -> None:
        out.add(kind, severity, subject, message, operation_id=op_id, **extra)

    if old.path != new.path:
        add("path-parameter-renamed", NOTABLE, f"path was {old.path}", old=old.path, new=new.path)
    # The operationId is a spec's label; the Python method is what callers call.
    for before, after, kind, severity, what in (
        (old.operation_id, new.operation_id, "operation-id-changed", NOTABLE, "operationId"),
        (old.call, new.call, "method-renamed", BREAKING, "Python method"),
    ):
        if before != after:
            add(kind, severity, f"{what} {before} → {after}", old=before, new=after)
    if new.deprecated and not old.deprecated:
        add("operation-deprecated", NOTABLE, "now deprecated")
    if old.paging != new.paging:
        # Paging on or off changes the methods (``list``/``page``/``stream`` or one call).
        add(
            "paging-changed",
            BREAKING if old.paging is None or new.paging is None else NOTABLE,
            f"paging {old.paging or 'none'} → {new.paging or 'none'}",
            old=old.paging,
            new=new.paging,
        )
    # Path parameters are positional, so they are matched by position, not by name.
    old_params = dict(old.params)
    for old_name, new_name in zip(old.path_params, new.path_params, strict=False):
        if old_name != new_name and ("path", old_name) in old_params:
            old_params[("path", new_name)] = attrs.evolve(
                old_params.pop(("path", old_name)), name=new_name
            )
    _compare_fields(
        out,
        subject,
        old_params,
        new.params,
        prefix="parameter",
        noun="parameter",
        request=True,
        operation_id=op_id,
    )
    if old.body_type != new.body_type and old.body_type and new.body_type:
        add(
            "request-body-type-changed",
            NOTABLE,
            f"request body {old.body_type} → {new.body_type}",
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
        add(
            "response-changed",
            NOTABLE,
            f"success response {old.response or 'untyped'} → {new.response or 'untyped'}",
            old=old.response,
            new=new.response,
        )


def diff_sides(spec: str, old: Side, new: Side) -> list[Change]:
    """Every change between two versions of one spec."""
    out = _Collector(spec)
    old_ops, new_ops = old.operations, new.operations
    for key in sorted(old_ops.keys() | new_ops.keys(), key=lambda k: (k.split(" ", 1)[1], k)):
        if key in old_ops and key in new_ops:
            _compare_operation(out, old_ops[key], new_ops[key])
            continue
        op, kind, severity = (
            (old_ops[key], "removed", BREAKING) if key in old_ops else (new_ops[key], "added", INFO)
        )
        out.add(
            f"operation-{kind}",
            severity,
            op.label,
            f"operation {kind} ({op.call})",
            operation_id=op.operation_id,
            python_name=op.call,
        )
    old_models, new_models = old.top_models, new.top_models
    for name in sorted(old_models.keys() | new_models.keys()):
        subject = f"model {name}"
        if name not in new_models:
            cls = old_models[name].name
            out.add("model-removed", BREAKING, subject, f"model removed ({cls})", python_name=cls)
            continue
        cls = new_models[name].name
        if name not in old_models:
            out.add("model-added", INFO, subject, f"model added ({cls})", python_name=cls)
            continue
        if old_models[name].name != cls:
            out.add(
                "model-renamed",
                NOTABLE,
                subject,
                f"Python class {old_models[name].name} → {cls}",
                python_name=cls,
                old=old_models[name].name,
                new=cls,
            )
        _compare_fields(
            out,
            subject,
            {f.name: f for f in old.fields(old_models[name], request=False)},
            {f.name: f for f in new.fields(new_models[name], request=False)},
            prefix="model-field",
            noun="field",
            request=False,
        )
    return out.changes


def _spec_summary(side: Side) -> str:
    return f"{len(side.operations)} operations, {len(side.top_models)} models"


def diff_specs(
    old: Mapping[str, SpecIR],
    new: Mapping[str, SpecIR],
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> SpecDiff:
    """Compare two sets of built specs keyed by name (as ``load_specs`` returns them)."""
    changes: list[Change] = []
    if len(old) == 1 and len(new) == 1:
        # Two single files are compared with each other whatever their names.
        (old_spec,), ((new_name, new_spec),) = old.values(), new.items()
        changes.extend(diff_sides(new_name, Side(old_spec), Side(new_spec)))
        return SpecDiff(old_label, new_label, tuple(changes), 1)
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            summary = _spec_summary(Side(old[name]))
            changes.append(Change(name, "spec-removed", BREAKING, "", f"spec removed ({summary})"))
        elif name not in old:
            summary = _spec_summary(Side(new[name]))
            changes.append(Change(name, "spec-added", INFO, "", f"spec added ({summary})"))
        else:
            changes.extend(diff_sides(name, Side(old[name]), Side(new[name])))
    return SpecDiff(old_label, new_label, tuple(changes), len(old.keys() & new.keys()))


def diff_paths(
    old: Path, new: Path, *, old_label: str | None = None, new_label: str | None = None
) -> SpecDiff:
    """Compare two spec files or two folders of specs.

    Raises:
        DiffInputError: an input is missing, unreadable or does not build, or a file is
            compared with a folder.
    """
    if old.is_dir() != new.is_dir() and old.exists() and new.exists():
        raise DiffInputError(f"cannot compare a file with a folder: {old} and {new}")
    return diff_specs(
        load_specs(old),
        load_specs(new),
        old_label=old_label or str(old),
        new_label=new_label or str(new),
    )
