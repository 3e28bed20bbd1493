"""An IR unit seen as a caller sees it: operations, parameters and model fields as records.

Every name and type comes from the IR: a parameter is its wire name and the keyword the
generated method takes, a type is the Python annotation a caller passes or reads (module
aliases of the generated code left out), enum values are the generated enum's members.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from trunkline.codegen.diff.load import SpecIR
from trunkline.codegen.ir import Check, Method, ModelDef, TypeRef

__all__ = ["Field", "Operation", "Side"]

# Nested request-body objects are followed this deep; deeper changes are rare and noisy.
_MAX_DEPTH = 4
# Module aliases of the generated code (``_models.``, ``_dt.``, ``_t.``): a user reads
# ``datetime``, not ``_dt.datetime``.
_ALIAS = re.compile(r"\b_[a-z]+\.")


# An enum argument's ``Literal[...]`` repeats the enum's values, which are compared on
# their own; the type shows what else the argument takes (``CallsTrim | str``).
_LITERAL = re.compile(r"\bLiteral\[[^\]]*\]")


def _py(annotation: str) -> str:
    return _LITERAL.sub("str", _ALIAS.sub("", annotation))


def _checks(check: Check) -> tuple[str, ...]:
    """A check's rules as a reader writes them (``fmt=uuid``, ``each=string``).

    ``date_ok`` is left out: that a date-time filter takes a date shows in its type.
    """
    return tuple(
        f"{key}={_py(literal).strip(chr(34))}" for key, literal in check.rules if key != "date_ok"
    )


@attrs.frozen
class Field:
    """A parameter, request field or model field reduced to what a caller depends on.

    ``shape`` is ``type`` with generated class names generalised: two types of the same
    shape differ only in a class's name.
    """

    name: str
    location: str
    required: bool
    type: str
    shape: str
    enum: tuple[str, ...] | None
    enum_class: str | None
    python_name: str | None
    # The enclosing object's key for nested fields (names may contain dots themselves).
    parent: str | None = None
    # The checks the generated method runs on the argument before any I/O (``max_length=64``).
    checks: tuple[str, ...] = ()


@attrs.frozen
class Operation:
    """One operation as a caller meets it: its Python call, parameters, body and result.

    ``call`` is the service attribute and method (``services.create``); ``response`` the
    schema name of the model a call (or each listed item) decodes to, or None if untyped.
    """

    method: str
    path: str
    operation_id: str
    call: str
    deprecated: bool
    paging: str | None
    params: dict[tuple[str, str], Field]
    path_params: tuple[str, ...]
    body: dict[str, Field]
    body_type: str | None
    response: str | None

    @property
    def label(self) -> str:
        """``METHOD /path``, as changes name their operation."""
        return f"{self.method} {self.path}"


class Side:
    """One version of one spec, indexed for comparing."""

    def __init__(self, spec: SpecIR) -> None:
        unit = spec.unit
        self.spec = spec
        self.models = {m.name: m for m in unit.models}
        self.enums = {e.name: tuple(m.value for m in e.members) for e in unit.enums}
        self.operations = self._operations()
        self.top_models = {
            m.schema: m for m in unit.models if m.schema in spec.schemas and m.fields
        }

    def record(
        self,
        type_: TypeRef,
        *,
        request: bool,
        name: str,
        location: str,
        required: bool,
        python_name: str | None,
        parent: str | None = None,
    ) -> Field:
        """A value of ``type_`` as compared: the argument type a caller passes (``request``)
        or the attribute type a caller reads, and the values of its enum, if any."""
        shown = _py(type_.argument if request else type_.annotation)
        shape = shown
        enum_class = _py(type_.enum) if type_.enum is not None else None
        if enum_class is not None:
            shape = "list[str]" if type_.enum_list else "str"
        elif type_.model is not None:
            shape = re.sub(rf"\b{re.escape(_py(type_.model))}\b", "model", shown)
        values = self.enums.get(enum_class) if enum_class is not None else None
        return Field(
            name, location, required, shown, shape, values, enum_class, python_name, parent
        )

    def nested(
        self,
        type_: TypeRef,
        *,
        request: bool,
        prefix: str,
        python_prefix: str | None,
        depth: int,
        seen: frozenset[str],
    ) -> Iterator[Field]:
        """The fields of the model ``type_`` holds, flattened as ``a.b``.

        A request follows every model (a caller builds the whole mapping); a response
        only inline ones, as a named model's fields belong to its own diff.
        """
        model = self.models.get(_py(type_.model)) if type_.model is not None else None
        if model is None or depth >= _MAX_DEPTH or model.name in seen:
            return
        if not request and model.schema in self.spec.schemas:
            return
        yield from self.fields(
            model,
            request=request,
            prefix=prefix,
            python_prefix=python_prefix,
            depth=depth + 1,
            seen=seen | {model.name},
        )

    def fields(
        self,
        model: ModelDef,
        *,
        request: bool,
        prefix: str = "",
        python_prefix: str | None = "",
        depth: int = 0,
        seen: frozenset[str] = frozenset(),
    ) -> Iterator[Field]:
        """A model's fields, and those of the models they hold (see :meth:`nested`)."""
        for f in model.fields:
            key = f"{prefix}{f.wire}"
            python = None if python_prefix is None else f"{python_prefix}{f.name}"
            yield self.record(
                f.type,
                request=request,
                name=key,
                location="body",
                required=f.required,
                python_name=python,
                parent=prefix[:-1] or None,
            )
            yield from self.nested(
                f.type,
                request=request,
                prefix=f"{key}.",
                python_prefix=None if python is None else f"{python}.",
                depth=depth,
                seen=seen,
            )

    def _operations(self) -> dict[str, Operation]:
        """The operations keyed by method + path with path parameter names blanked."""
        found: dict[str, Operation] = {}
        for resource in self.spec.unit.resources:
            for method in resource.methods:
                key = f"{method.http_method} {re.sub(r'{[^}]*}', '{}', method.path)}"
                if key in found:
                    # Two paths differ only in parameter names: fall back to the exact path.
                    key = f"{method.http_method} {method.path}"
                found[key] = self._operation(resource.attr, method)
        return found

    def _operation(self, attr: str, method: Method) -> Operation:
        params: dict[tuple[str, str], Field] = {}
        body: dict[str, Field] = {}
        for p in method.params:
            if p.location == "body_object":
                body["(body)"] = self.record(
                    p.type,
                    request=True,
                    name="(body)",
                    location="body",
                    required=p.required,
                    python_name=None,
                )
                continue
            field = self.record(
                p.type,
                request=True,
                name=p.wire,
                location=p.location,
                required=p.required,
                python_name=p.name,
            )
            if p.check is not None:
                field = attrs.evolve(field, checks=_checks(p.check))
            if p.location != "body":
                params[(p.location, p.wire)] = field
                continue
            body[p.wire] = field
            for nested in self.nested(
                p.type,
                request=True,
                prefix=f"{p.wire}.",
                python_prefix=None,
                depth=0,
                seen=frozenset(),
            ):
                body[nested.name] = nested
        returns = _py(method.returns).removesuffix(" | None")
        model = self.models.get(returns)
        return Operation(
            method=method.http_method,
            path=method.path,
            operation_id=method.op_id,
            call=f"{attr}.{method.name}",
            deprecated=(method.http_method, method.path) in self.spec.deprecated,
            paging=method.paging,
            params=params,
            path_params=tuple(p.wire for p in method.path_params),
            body=body,
            body_type=method.body,
            response=model.schema if model is not None else None,
        )
