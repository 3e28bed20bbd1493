"""The client a spec without a hand-written one is generated onto: its own auth, servers, errors.

A generated subclass declares the spec's security schemes (:class:`Scheme`) and server
variables (:class:`Variable`) as class attributes, and passes what the caller gave:
credentials by argument name, server variable values, and options for
:class:`~trunkline._client.BaseClient`. Nothing here reads an environment variable unless
the caller names it (``env={"bearer_auth": "ACME_TOKEN"}``).

Each operation's ``auth`` lists the spec's alternatives (``security``): scheme names joined
by ``+`` when one requirement needs several, ``""`` when one needs none. The client sends
the first alternative it holds every credential of; an operation with no ``security`` gets
every scheme the client holds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple, Unpack
from urllib.parse import urlsplit

from trunkline._answers import _code, _text
from trunkline._auth import (
    ApiKeyAuth,
    Auth,
    BasicAuth,
    BearerAuth,
    ClientCredentials,
)
from trunkline._client import BaseClient, ErrorInfo
from trunkline._errors import ValidationError
from trunkline._operation import Operation
from trunkline._options import ClientOptions
from trunkline._transport import Response
from trunkline._urls import Server

if TYPE_CHECKING:
    pass

__all__ = ["ClientOptions", "Scheme", "SpecClient", "Variable"]

SchemeKind = Literal["basic", "bearer", "apiKey", "oauth2"]

REQUEST_ID_HEADERS = (
    "X-Request-Id",
    "Request-Id",
    "X-Amzn-RequestId",
    "X-Amz-Request-Id",
    "X-Correlation-Id",
    "X-Trace-Id",
)
"""Response headers that carry a request id, tried in this order."""

_VAR = re.compile(r"\{([^{}]+)\}")


class Scheme(NamedTuple):
    """One ``components.securitySchemes`` entry and the constructor arguments it takes.

    ``args`` are the argument names in order: ``(token,)`` for bearer and apiKey,
    ``(username, password)`` for basic, ``(client_id, client_secret, token)`` for OAuth 2
    (``token`` a ready access token, used when no client credentials are given).
    """

    name: str
    kind: SchemeKind
    args: tuple[str, ...]
    param: str = ""
    location: Literal["header", "query", "cookie"] = "header"
    token_url: str = ""
    scopes: tuple[str, ...] = ()


class Variable(NamedTuple):
    """A server URL variable: its wire name, argument name, default and allowed values."""

    name: str
    arg: str
    default: str | None = None
    enum: tuple[str, ...] = ()


def _credential(arg: str, given: Mapping[str, str | None], env: Mapping[str, str]) -> str | None:
    value = given.get(arg)
    if value is None and arg in env:
        value = os.environ.get(env[arg])
    return value


def _build(scheme: Scheme, values: list[str | None]) -> Auth | None:
    if scheme.kind == "basic":
        username, password = values
        if username is None and password is None:
            return None
        if not username:
            raise ValidationError(f"{scheme.args[1]} needs {scheme.args[0]} beside it")
        return BasicAuth(username, password or "")
    if scheme.kind == "oauth2":
        client_id, client_secret, token = values
        if client_id is not None or client_secret is not None:
            if not (client_id and client_secret):
                raise ValidationError(
                    f"pass both {scheme.args[0]} and {scheme.args[1]} for {scheme.name!r}"
                )
            if not scheme.token_url:
                raise ValidationError(f"{scheme.name!r} declares no clientCredentials tokenUrl")
            op = _token_operation(scheme.name, scheme.token_url)
            return ClientCredentials(op, client_id, client_secret, scopes=scheme.scopes)
        return BearerAuth(token, name=scheme.args[2]) if token is not None else None
    (value,) = values
    if value is None:
        return None
    if scheme.kind == "bearer":
        return BearerAuth(value, name=scheme.args[0])
    return ApiKeyAuth(scheme.param, value, scheme.location)


def _token_operation(scheme: str, token_url: str) -> Operation:
    parts = urlsplit(token_url)
    if not parts.scheme or not parts.netloc:
        raise ValidationError(f"the OAuth tokenUrl {token_url!r} is not an absolute URL")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Operation(
        id=f"{scheme}Token",
        method="POST",
        server=f"{parts.scheme}://{parts.netloc}",
        path=path,
        body="form",
    )


class _Combined(Auth):
    """Several schemes one requirement needs together (headers and query merged)."""

    def __init__(self, steps: tuple[Auth, ...]) -> None:
        self._steps = steps
        self._headers = {k: v for s in steps for k, v in s.headers().items()}
        self._query = {k: v for s in steps for k, v in s.query().items()}

    def headers(self) -> Mapping[str, str]:
        return self._headers

    def query(self) -> Mapping[str, str]:
        return self._query


class SpecClient(BaseClient):
    """A client for one spec's API, built from the spec's own security schemes and servers.

    Args:
        credentials: what the caller passed, by argument name (None: not given).
        server_variables: values for the spec's server variables, by argument name (None:
            the spec's default).
        env: environment variables to read a credential from when its argument is not
            given, by argument name; nothing else is read from the environment.
        options: as for :class:`~trunkline._client.BaseClient`; ``base_url`` replaces the
            spec's scheme, host and base path, so the server variables are not needed.

    Raises:
        ValidationError: a credential or variable is malformed or incomplete, or a
            variable's value is not one the spec allows.
    """

    _schemes: ClassVar[tuple[Scheme, ...]] = ()
    _variables: ClassVar[tuple[Variable, ...]] = ()

    def __init__(
        self,
        *,
        credentials: Mapping[str, str | None],
        server_variables: Mapping[str, str | None],
        env: Mapping[str, str] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        env = dict(env or {})
        known = {arg for scheme in self._schemes for arg in scheme.args}
        unknown = sorted(set(env) - known)
        if unknown:
            raise ValidationError(f"env names no credential argument: {', '.join(unknown)}")
        self._steps: dict[str, Auth] = {}
        for scheme in self._schemes:
            step = _build(scheme, [_credential(a, credentials, env) for a in scheme.args])
            if step is not None:
                self._steps[scheme.name] = step
        self._chosen: dict[str, Auth | None] = {}
        dynamic = [s for s in self._steps.values() if s.dynamic]
        # An OAuth token cannot be merged with static headers once: it goes alone.
        default = dynamic[0] if dynamic else _Combined(tuple(self._steps.values()))
        variables: dict[str, str] = {}
        for var in self._variables:
            value = server_variables.get(var.arg)
            if value is None:
                value = var.default
            if value is None:
                continue
            if var.enum and value not in var.enum:
                allowed = ", ".join(repr(v) for v in var.enum)
                raise ValidationError(f"{var.arg} must be one of {allowed}, not {value!r}")
            variables[var.name] = value
        super().__init__(auth=default, server_variables=variables, **options)

    def _auth_for(self, op: Operation) -> Auth | None:
        """The steps of the first of ``op``'s security alternatives this client holds."""
        for alternative in op.auth:
            if alternative in self._chosen:
                found = self._chosen[alternative]
            else:
                names = alternative.split("+") if alternative else []
                steps = [self._steps.get(name) for name in names]
                found = None
                if all(step is not None for step in steps):
                    held = tuple(step for step in steps if step is not None)
                    found = held[0] if len(held) == 1 else _Combined(held)
                self._chosen[alternative] = found
            if found is not None:
                return found
        wanted = " or ".join(self._arguments(alternative) for alternative in op.auth)
        raise ValidationError(f"{op.id} needs credentials this client was not given: {wanted}")

    def _arguments(self, alternative: str) -> str:
        by_name = {scheme.name: scheme for scheme in self._schemes}
        names = [by_name[n].args[0] for n in alternative.split("+") if n in by_name]
        return " and ".join(names) or "none"

    def _server(self, server: str) -> Server:
        if self._base_url is None and not _VAR.search(server) and urlsplit(server).netloc:
            return super()._server(server)
        known = self._servers.get(server)
        if known is not None:
            return known
        if self._base_url is not None:
            # base_url stands for scheme, host and base path: no variable is needed.
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(self._base_url))
            resolved = Server(origin, origin, self._base_url)
            self._servers[server] = resolved
            return resolved
        if not urlsplit(_VAR.sub("x", server)).netloc:
            raise ValidationError(
                f"the spec's server URL {server!r} is relative: pass base_url to say where"
            )
        return super()._server(server)

    def _request_id(self, response: Response) -> str | None:
        for name in REQUEST_ID_HEADERS:
            value = response.header(name)
            if value:
                return value
        return None

    def _error_info(self, status: int, body: Any) -> ErrorInfo:
        """Read the common error shapes.

        RFC 7807 problem details (``title``, ``detail``, ``type``), ``{error: {code,
        message}}``, ``{error, error_description}``, ``{errors: [...]}`` (objects or
        strings) and ``{message}``; a plain-text body is the message as it is.
        """
        if not isinstance(body, Mapping):
            return ErrorInfo()
        error = body.get("error")
        if isinstance(error, Mapping):
            return ErrorInfo(
                code=_code(error.get("code") or error.get("type")),
                message=_text(error.get("message") or error.get("detail")),
                more_info=_text(error.get("doc_url") or error.get("more_info")),
                details=error,
            )
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0]
            if isinstance(first, str):
                return ErrorInfo(message="; ".join(str(e) for e in errors), details=errors)
            if isinstance(first, Mapping):
                return ErrorInfo(
                    code=_code(first.get("code")),
                    message=_text(
                        first.get("message") or first.get("detail") or first.get("title")
                    ),
                    more_info=_text(first.get("url") or first.get("more_info")),
                    details=errors,
                )
        if "title" in body or "detail" in body:
            title, detail = _text(body.get("title")), _text(body.get("detail"))
            message = f"{title}: {detail}" if title and detail and title != detail else None
            kind = _text(body.get("type"))
            return ErrorInfo(
                code=_code(body.get("code")),
                message=message or detail or title,
                more_info=kind if kind and kind != "about:blank" else None,
                details=body.get("errors") or body.get("invalid_params"),
            )
        message = (
            body.get("message")
            or body.get("error_description")
            or body.get("error")
            or body.get("msg")
        )
        return ErrorInfo(
            code=_code(body.get("code")),
            message=_text(message),
            more_info=_text(body.get("more_info")),
            details=body.get("details"),
        )

    def _repr_fields(self) -> list[str]:
        held = ", ".join(sorted(self._steps)) or "none"
        return [f"auth={held!r}", *super()._repr_fields()]
