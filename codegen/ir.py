"""The intermediate representation templates render: units, services, methods and containers.

Everything is decided, nothing left to compute. A spec becomes one :class:`Unit` (a Twilio
domain version such as ``verify.v2``, a domain without versions, or a whole provider) holding
its :class:`Resource` services and its models. Containers that only group units (``Twilio``,
``Verify``) are :class:`Container`. The models' part (types, fields, model and enum classes)
is :mod:`trunkline.codegen.ir_models`, re-exported here so ``ir.TypeRef`` stays the one name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from trunkline.codegen.ir_models import (
    EnumDef,
    EnumMember,
    Field,
    ModelDef,
    ModelModule,
    TypeRef,
    aliases,
    enum_lookup_name,
    export_order,
    import_order,
    pyrepr,
)

if TYPE_CHECKING:
    from trunkline.codegen.spec_client import SpecClientDef

__all__ = [
    "Check",
    "Child",
    "Container",
    "EnumDef",
    "EnumMember",
    "Field",
    "Method",
    "ModelDef",
    "ModelModule",
    "Param",
    "Resource",
    "TypeRef",
    "Unit",
    "doc_text",
    "enum_lookup_name",
    "export_order",
    "import_order",
    "pyrepr",
]


def doc_text(text: str) -> str:
    """Text made safe inside a triple-quoted docstring."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return text


def _docstring(summary: str, body: str, params: tuple[Param, ...], options: tuple[str, ...]) -> str:
    lines = [doc_text(summary)]
    if body:
        lines += ["", doc_text(body)]
    documented = [p for p in params if p.doc]
    if documented:
        lines += ["", "Args:"]
        lines += [f"    {p.name}: {doc_text(p.doc)}" for p in documented]
    if options:
        named = ", ".join(f"``{option}``" for option in options)
        lines += ["", f"Common options ({named}): see :mod:`trunkline.call_options`."]
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    # ``ruff format`` indents a docstring's lines to its body's level.
    text = "\n".join(lines[1:])
    return f'"""{lines[0]}\n{text}\n"""'


@attrs.frozen
class Check:
    """A constraint check from the spec, run on an argument before any I/O.

    Args:
        kind: the :mod:`trunkline._validate` function: ``string``, ``number``, ``array``,
            ``mapping``, ``date`` or ``date_time``.
        rules: its keyword arguments as ``(name, Python literal)`` pairs, in spec order
            (``("min_length", "8")``, ``("fmt", '"uuid"')``, ``("each", "_v.string")``).
    """

    kind: str
    rules: tuple[tuple[str, str], ...] = ()

    def wrap(self, name: str, value: str) -> str:
        """The call checking ``value`` (an expression) as the argument ``name``."""
        rules = "".join(f", {key}={literal}" for key, literal in self.rules)
        return f"_v.{self.kind}({pyrepr(name)}, {value}{rules})"


@attrs.frozen
class Param:
    """One argument of a service method.

    Args:
        name: the Python argument name (unique within the method).
        wire: the spec's parameter name.
        location: ``path``, ``query``, ``body``, ``header``, or ``body_object`` for a
            free-form body passed whole.
        type: its type.
        required: whether the caller must pass it.
        doc: its description.
        caller_default: for a path parameter the client can fill (Twilio ``AccountSid``).
        check: the spec's constraints on the value (formats, lengths, bounds), or None.
        style: the OpenAPI ``(style, explode)`` the value is serialized by, when it is not
            the plain encoding (``("deepObject", True)``), or None.
    """

    name: str
    wire: str
    location: str
    type: TypeRef
    required: bool
    doc: str
    caller_default: bool = False
    check: Check | None = None
    style: tuple[str, bool] | None = None

    @property
    def path_arg(self) -> str | None:
        """The ``_op.PathArg`` literal checking this path parameter in the runtime, if any.

        Lengths and emptiness (most SIDs) are checked where the runtime quotes the value;
        a format or a serialization style stays in the generated method (:attr:`expr`).
        """
        if self.location != "path" or self.style is not None:
            return None
        rules = dict(self.check.rules) if self.check is not None else {}
        if self.check is not None and (
            self.check.kind != "string" or set(rules) - {"min_length", "max_length"}
        ):
            return None
        args = [pyrepr(self.wire), pyrepr(self.name)]
        args += [f"{key}={rules[key]}" for key in ("min_length", "max_length") if key in rules]
        if self.caller_default:
            args.append("default=True")
        return f"_op.PathArg({', '.join(args)})"

    @property
    def expr(self) -> str:
        """The checked value sent on the wire, evaluated before any I/O."""
        name = pyrepr(self.name)
        if self.path_arg is not None:
            # The runtime checks it once it quotes it into the path (Operation.path_args).
            return self.name
        if self.location == "path":
            value = self.name
            if self.caller_default:
                value = f"{self.name} or self._caller.default_path_param({pyrepr(self.wire)})"
            value = f"_v.path_param({name}, {value})"
        else:
            value = self.name
            if self.required:
                value = f"_v.required({name}, {value})"
            if self.type.enum is not None:
                check = "enum_values" if self.type.enum_list else "enum_value"
                value = f"_v.{check}({name}, {value}, {self.type.enum})"
        if self.check is not None:
            value = self.check.wrap(self.name, value)
        if self.style is not None and self.location == "path":
            style, explode = self.style
            value = f"_enc.styled_path({pyrepr(style)}, {explode}, {pyrepr(self.wire)}, {value})"
        elif self.style is not None:
            style, explode = self.style
            value = f"_enc.styled({pyrepr(style)}, {explode}, {value})"
        return value

    @property
    def aliases(self) -> frozenset[str]:
        """The module aliases the argument's annotation and :attr:`expr` need."""
        found = set(aliases(self.type.argument))
        if self.path_arg is not None:
            return frozenset(found)
        if (
            self.location == "path"
            or self.check is not None
            or self.required
            or self.type.enum is not None
        ):
            found.add("_v")
        if self.style is not None:
            found.add("_enc")
        return frozenset(found)

    @property
    def positional(self) -> bool:
        """Path parameters the caller must pass come first, positionally."""
        return self.location == "path" and not self.caller_default

    @property
    def signature(self) -> str:
        """The argument as written in the ``def`` line."""
        if self.positional:
            return f"{self.name}: str"
        if self.location == "path":
            return f"{self.name}: str | None = None"
        if self.required:
            return f"{self.name}: {self.type.argument}"
        return f"{self.name}: {self.type.argument} | None = None"


@attrs.frozen
class Method:
    """One operation as a service method (a list operation yields four methods from this).

    Args:
        name: the method name (``create``); for list operations the ``list`` name, with the
            ``page``, ``pages`` and ``stream`` names beside it.
        kind: ``request`` (one call, decoded result), ``delete`` (returns None) or ``list``.
        const: the module-level constant holding the :class:`Operation`.
        returns: the annotation of the (item) result.
        decode: the callable decoding the result or one item, or None for the JSON as is.
        accept: the media type(s) the operation answers with, for the ``Accept`` header.
        content_type: the media type of a binary or text request body.
        response: how a success body is returned: ``json``, ``bytes`` or ``text``.
        requires_content: every success reply has a body: an empty one is an error.
        may_be_empty: the spec also allows an empty success reply: the decoded method
            returns None for it.
        auth: the kinds of credentials the spec accepts (``basic``, ``bearer``,
            ``oauth2``), when it offers more than HTTP Basic; empty otherwise.
    """

    name: str
    kind: str
    const: str
    op_id: str
    http_method: str
    server: str
    path: str
    body: str | None
    paging: str | None
    items_key: str | None
    max_page_size: int | None
    summary: str
    doc: str
    params: tuple[Param, ...]
    returns: str
    decode: str | None
    page_name: str = ""
    pages_name: str = ""
    stream_name: str = ""
    accept: str = "application/json"
    content_type: str | None = None
    response: str = "json"
    requires_content: bool = False
    may_be_empty: bool = False
    auth: tuple[str, ...] = ()
    paging_params: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every method name this operation gives its class (four for a list)."""
        if self.kind != "list":
            return (self.name,)
        return (self.name, self.page_name, self.pages_name, self.stream_name)

    @property
    def auth_literal(self) -> str:
        """``auth`` as a Python tuple literal."""
        items = ", ".join(pyrepr(kind) for kind in self.auth)
        return f"({items},)" if len(self.auth) == 1 else f"({items})"

    def call_lines(self, extras: tuple[str, ...]) -> tuple[str, ...]:
        """The arguments of the runtime call, one line each (``ruff format`` indents them)."""
        lines = [f"{self.const},"]
        if self.path_params:
            lines.append("{")
            lines += [f"{pyrepr(p.wire)}: {p.expr}," for p in self.path_params]
            lines.append("},")
        else:
            lines.append("{},")
        if self.kind == "list":
            lines.append(f"{self.decoder},")
        for keyword, params in (("query", self.query), ("body", self.body_params)):
            if params:
                lines.append(f"{keyword}={{")
                lines += [f"{pyrepr(p.wire)}: {p.expr}," for p in params]
                lines.append("},")
        lines += [f"body={p.expr}," for p in self.params if p.location == "body_object"]
        lines += [f"{name}={name}," for name in extras]
        lines.append("timeout=timeout,")
        if self.headers:
            lines.append("headers=_v.merge_headers(")
            lines.append("headers,")
            lines.append("{")
            lines += [f"{pyrepr(p.wire)}: {p.expr}," for p in self.headers]
            lines.append("},")
            lines.append("),")
        else:
            lines.append("headers=headers,")
        if self.kind != "list" and self.posts:
            lines.append("idempotent=idempotent,")
        return tuple(lines)

    @property
    def aliases(self) -> frozenset[str]:
        """The module aliases the method's signature, call and result need."""
        found = set(aliases(self.returns, self.decode))
        for param in self.params:
            found |= param.aliases
        if self.headers:
            found.add("_v")
        if self.may_be_empty:
            found.add("_m")
        if self.kind == "list":
            found |= {"_b", "_paging", *aliases(self.decoder)}
        return frozenset(found)

    @property
    def raw_reader(self) -> str | None:
        """The runtime function typing a binary or text result (``_op.body_bytes``), if any."""
        if self.response == "json":
            return None
        return "_op.body_bytes" if self.response == "bytes" else "_op.body_text"

    @property
    def decoder(self) -> str:
        """The callable decoding one list item."""
        return self.decode or "_m.as_is"

    def docstring(self, suffix: str = "", extra: Sequence[str] = ()) -> str:
        """The method's docstring literal.

        Every argument is documented in signature order; the options every method shares
        (``extra`` are the signature lines of those this variant adds, ``page_size`` ...)
        are named in one line pointing at their documentation.
        """
        summary = self.summary.rstrip(".") + (f" ({suffix})." if suffix else ".")
        options = [line.split(":", 1)[0] for line in extra]
        if self.posts and self.kind != "list":
            options.append("idempotent")
        options += ["timeout", "headers"]
        params = self.positional + self.keyword
        return _docstring(summary, self.doc, params, tuple(options))

    @property
    def path_params(self) -> tuple[Param, ...]:
        """Parameters that fill the path."""
        return tuple(p for p in self.params if p.location == "path")

    @property
    def path_args(self) -> tuple[str, ...]:
        """The ``_op.PathArg`` literals of the operation's runtime-checked path parameters."""
        return tuple(arg for p in self.path_params if (arg := p.path_arg) is not None)

    @property
    def positional(self) -> tuple[Param, ...]:
        """Path parameters passed positionally."""
        return tuple(p for p in self.params if p.positional)

    @property
    def keyword(self) -> tuple[Param, ...]:
        """Everything else, keyword-only: required ones first, in spec order."""
        rest = [p for p in self.params if not p.positional]
        return tuple(sorted(rest, key=lambda p: not (p.required and p.location != "path")))

    @property
    def query(self) -> tuple[Param, ...]:
        """Query parameters."""
        return tuple(p for p in self.params if p.location == "query")

    @property
    def body_params(self) -> tuple[Param, ...]:
        """Body parameters."""
        return tuple(p for p in self.params if p.location == "body")

    @property
    def headers(self) -> tuple[Param, ...]:
        """Header parameters."""
        return tuple(p for p in self.params if p.location == "header")

    @property
    def checks(self) -> tuple[Param, ...]:
        """Parameters with a check before I/O (required, enum or a spec constraint)."""
        return tuple(
            p
            for p in self.params
            if p.check is not None
            or (p.location != "path" and (p.required or p.type.enum is not None))
        )

    @property
    def posts(self) -> bool:
        """Whether the method takes ``idempotent=`` (POST and PATCH may repeat an effect)."""
        return self.http_method in ("POST", "PATCH")


@attrs.frozen
class Resource:
    """One service class: the operations on one collection and its instances.

    Args:
        attr: its attribute name on its parent (or the unit).
        tree: the attribute names from the unit down to it (``services``, ``entities``).
        children: the resources hanging under it, lazily imported.
        models_module: the module of the models package the service imports as
            ``_models``, if it uses any.
    """

    attr: str
    class_name: str
    module: str
    doc: str
    methods: tuple[Method, ...]
    models_module: str | None = None
    tree: tuple[str, ...] = ()
    children: tuple[Child, ...] = ()

    @property
    def imports(self) -> frozenset[str]:
        """The module aliases the service module refers to."""
        return frozenset(alias for m in self.methods for alias in m.aliases)


@attrs.frozen
class Child:
    """A lazily imported attribute of a container: a sub-container or a service."""

    attr: str
    module: str
    class_name: str
    doc: str


@attrs.frozen
class Container:
    """A class grouping children (``Twilio`` → domains, ``Verify`` → versions).

    ``base`` names ``module:Class`` for the provider's client class, whose instance is its own
    caller; other containers receive the caller.
    """

    package: str
    class_name: str
    doc: str
    children: tuple[Child, ...]
    base: str | None = None
    spec: str = ""
    path: tuple[str, ...] = ()
    # The module (relative to the client's package) whose ``Shortcuts`` mixin the client
    # class also extends, when it has shortcuts.
    shortcuts: str | None = None
    # The generated constructor of a spec with no hand-written client (its root only).
    spec_client: SpecClientDef | None = None

    @property
    def base_module(self) -> str:
        """The module of the base class."""
        return (self.base or ":").split(":")[0]

    @property
    def base_class(self) -> str:
        """The base class name."""
        return (self.base or ":").split(":")[1]


@attrs.frozen
class Unit:
    """Everything one spec generates: a container of services plus its models."""

    provider: str
    path: tuple[str, ...]
    spec: str
    digest: str
    container: Container
    resources: tuple[Resource, ...]
    models: tuple[ModelDef, ...]
    enums: tuple[EnumDef, ...]
    model_modules: tuple[ModelModule, ...] = ()
    # Resources the provider's client also offers at its top level (``tw.messages``).
    shortcuts: tuple[Child, ...] = ()

    @property
    def operations(self) -> int:
        """How many spec operations the unit covers."""
        return sum(len(r.methods) for r in self.resources)
