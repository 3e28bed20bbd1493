"""The generated client of a spec with no hand-written one: its schemes, variables and name.

Read from the spec's ``components.securitySchemes``, ``security`` and ``servers``; the
template (``container.py.jinja``) renders it onto :class:`trunkline._generic.SpecClient`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from trunkline.codegen.naming import pascal, python_name, snake

if TYPE_CHECKING:
    from trunkline.codegen.loader import Spec

__all__ = [
    "GENERIC_BASE",
    "ClientScheme",
    "ServerVariable",
    "SpecClientDef",
    "build_spec_client",
    "client_names",
    "security_alternatives",
]

GENERIC_BASE = "trunkline._generic:SpecClient"
"""The runtime class every generated spec client extends."""

# The constructor's own keywords (and ClientOptions'): an argument the spec names so gets a
# suffix instead.
_TAKEN = frozenset(
    {
        "self",
        "env",
        "options",
        "base_url",
        "hosts",
        "session",
        "transport",
        "timeout",
        "retry",
        "max_connections",
        "middlewares",
        "prefetch",
        "max_response_bytes",
        "max_pages",
        "max_empty_pages",
        "limiter",
    }
)


@attrs.frozen
class ClientScheme:
    """One security scheme as the runtime's ``Scheme`` takes it, plus argument docs."""

    name: str
    kind: str
    args: tuple[str, ...]
    docs: tuple[str, ...]
    param: str = ""
    location: str = "header"
    token_url: str = ""
    scopes: tuple[str, ...] = ()


@attrs.frozen
class ServerVariable:
    """A server URL variable: wire name, argument, default and allowed values."""

    name: str
    arg: str
    default: str | None
    enum: tuple[str, ...]
    doc: str

    @property
    def annotation(self) -> str:
        """The argument's type: a Literal of the allowed values when the spec lists them."""
        if not self.enum:
            return "str | None"
        return "_t.Literal[" + ", ".join(repr(v) for v in self.enum) + "] | None"


@attrs.frozen
class SpecClientDef:
    """What the generated ``__init__`` takes and declares."""

    schemes: tuple[ClientScheme, ...]
    variables: tuple[ServerVariable, ...]

    @property
    def credential_args(self) -> tuple[tuple[str, str], ...]:
        """``(argument, doc)`` of every credential argument, in scheme order."""
        return tuple(
            (arg, doc)
            for scheme in self.schemes
            for arg, doc in zip(scheme.args, scheme.docs, strict=True)
        )


def client_names(spec: Spec, name: str | None = None) -> tuple[str, str]:
    """The package and class name of a spec's client: from ``name`` or ``info.title``."""
    title = name or str((spec.data.get("info") or {}).get("title") or spec.path.stem)
    package = python_name(snake(title))
    return package, pascal(package)


def _schemes(spec: Spec) -> dict[str, Any]:
    found = (spec.data.get("components") or {}).get("securitySchemes") or {}
    return found if isinstance(found, dict) else {}


def security_alternatives(spec: Spec, node: dict[str, Any], pointer: str) -> tuple[str, ...]:
    """An operation's ``security`` as the runtime reads it (``a+b`` together, ``""`` none).

    An operation without ``security`` (and a document without one) gives ``()``: the
    client sends every credential it holds.
    """
    security = node.get("security", spec.data.get("security"))
    if not isinstance(security, list):
        return ()
    if not security:
        return ("",)
    schemes = _schemes(spec)
    out: list[str] = []
    for requirement in security:
        names = sorted(requirement) if isinstance(requirement, dict) else []
        for name in names:
            if name not in schemes:
                raise spec.error(pointer + "/security", f"unknown security scheme {name!r}")
        joined = "+".join(names)
        if joined not in out:
            out.append(joined)
    return tuple(out)


def _scheme(spec: Spec, name: str, node: Any, taken: set[str]) -> ClientScheme | None:
    scheme, _ = spec.resolve(node, f"#/components/securitySchemes/{name}")
    if not isinstance(scheme, dict):
        return None
    base = python_name(snake(name))

    def arg(suffix: str) -> str:
        wanted = f"{base}_{suffix}" if suffix else base
        while wanted in taken or wanted in _TAKEN:
            wanted += "_auth"
        taken.add(wanted)
        return wanted

    kind = str(scheme.get("type"))
    what = f"the {name!r} scheme"
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return ClientScheme(
            name,
            "basic",
            (arg("username"), arg("password")),
            (f"HTTP Basic user name ({what})", f"HTTP Basic password ({what}; may be empty)"),
        )
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return ClientScheme(name, "bearer", (arg(""),), (f"a bearer token ({what})",))
    if kind == "apiKey":
        location = str(scheme.get("in", "header"))
        param = str(scheme.get("name", ""))
        if location not in ("header", "query", "cookie") or not param:
            raise spec.error(f"/components/securitySchemes/{name}", "apiKey needs name and in")
        doc = f"the API key sent as {location} {param!r} ({what})"
        return ClientScheme(name, "apiKey", (arg(""),), (doc,), param=param, location=location)
    if kind in ("oauth2", "openIdConnect"):
        flow = ((scheme.get("flows") or {}).get("clientCredentials")) or {}
        token_url = str(flow.get("tokenUrl", "")) if isinstance(flow, dict) else ""
        if not token_url:
            # Other flows need a browser: the caller brings the access token they gave.
            return ClientScheme(name, "bearer", (arg("token"),), (f"an access token ({what})",))
        scopes = tuple(sorted((flow.get("scopes") or {}) if isinstance(flow, dict) else {}))
        return ClientScheme(
            name,
            "oauth2",
            (arg("client_id"), arg("client_secret"), arg("token")),
            (
                f"an OAuth client id, for client credentials ({what})",
                f"the OAuth client secret ({what})",
                f"a ready OAuth access token ({what})",
            ),
            token_url=token_url,
            scopes=scopes,
        )
    return None


def _variables(spec: Spec, taken: set[str]) -> tuple[ServerVariable, ...]:
    holders: list[dict[str, Any]] = [spec.data]
    for item in (spec.data.get("paths") or {}).values():
        if isinstance(item, dict):
            holders.append(item)
            holders += [op for op in item.values() if isinstance(op, dict)]
    found: dict[str, ServerVariable] = {}
    for holder in holders:
        servers = holder.get("servers")
        if not (isinstance(servers, list) and servers and isinstance(servers[0], dict)):
            continue
        for wire, var in (servers[0].get("variables") or {}).items():
            if wire in found or not isinstance(var, dict):
                continue
            arg = python_name(snake(wire))
            while arg in taken or arg in _TAKEN:
                arg += "_value"
            taken.add(arg)
            default = var.get("default")
            enum = tuple(str(v) for v in var.get("enum") or ())
            doc = " ".join(str(var.get("description") or "").split())
            found[wire] = ServerVariable(
                wire,
                arg,
                str(default) if default is not None else None,
                enum,
                doc or f"the server URL's {{{wire}}}",
            )
    return tuple(found.values())


def build_spec_client(spec: Spec) -> SpecClientDef:
    """The schemes and variables of a spec's generated client."""
    taken: set[str] = set()
    schemes = tuple(
        s
        for name, node in sorted(_schemes(spec).items())
        if (s := _scheme(spec, name, node, taken))
    )
    return SpecClientDef(schemes, _variables(spec, taken))
