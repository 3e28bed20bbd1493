"""Where a request goes: servers, host overrides, path templates and next-page links.

:class:`Urls` is the part of :class:`~trunkline._client.BaseClient` that turns an
operation's server and path template into the URL to send. A spec's server
(``https://{space}.signalwire.com``) is filled from the client's ``server_variables``,
its host passed through the provider's :meth:`Urls._resolve_host` (Twilio inserts region
and edge), then sent to ``base_url`` or a ``hosts`` override when one is set. Path values
are quoted (a SID needs none); a next-page link stays on the operation's own host.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import quote, urljoin, urlsplit

from trunkline._encoding import encode_query, quote_path_value
from trunkline._errors import PagingError, ValidationError, safe_url
from trunkline._operation import Operation, PathArg
from trunkline._validate import path_param, string

__all__ = ["Server", "Urls", "check_base_url", "compile_operation_path", "compile_path"]

_VAR = re.compile(r"\{([^{}]+)\}")
# Plain values skip quoting; "." and ".." do not count (quote_path_value refuses them).
_PLAIN = re.compile(r"(?!\.\.?$)[A-Za-z0-9._~-]+").fullmatch
# Characters a server's next-page link may hold as they are; anything else is quoted.
_LINK_SAFE = "/:?#[]@!$&'()*+,;=%~-._"

Template = tuple[str, tuple[tuple[str, str], ...]]
# An operation's path compiled with its checks: the text before the first parameter, then
# per parameter its name, the text after it, the shortest and longest value that passes
# the quick test, and its PathArg (None when the generated method checks it itself).
CompiledPath = tuple[str, tuple[tuple[str, str, int, int, PathArg | None], ...]]


class Server(NamedTuple):
    """One operation server as the client reaches it."""

    logical_origin: str
    actual_origin: str
    actual_base: str


def compile_path(path: str) -> Template:
    """``/a/{X}/b/{Y}`` -> ``("/a/", (("X", "/b/"), ("Y", "")))``."""
    parts = _VAR.split(path)
    return parts[0], tuple(zip(parts[1::2], parts[2::2], strict=True))


def compile_operation_path(op: Operation) -> CompiledPath:
    """``op.path`` split at its parameters, each with the bounds of its quick test."""
    prefix, pairs = compile_path(op.path)
    rules = {arg.wire: arg for arg in op.path_args}
    parts = []
    for name, literal in pairs:
        rule = rules.get(name)
        low, high = 1, sys.maxsize
        if rule is not None:
            low = max(rule.min_length or 1, 1)
            high = sys.maxsize if rule.max_length is None else rule.max_length
        parts.append((name, literal, low, high, rule))
    return prefix, tuple(parts)


def check_base_url(name: str, url: str) -> str:
    """``url`` as an origin plus path without a trailing slash, or a ValidationError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            f"{name} must be an http(s) URL like http://127.0.0.1:8080, not {url!r}"
        )
    if "@" in parts.netloc:
        raise ValidationError(f"{name} must not carry credentials; pass them to the client instead")
    if parts.query or parts.fragment:
        raise ValidationError(f"{name} must not have a query or fragment")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


class Urls:
    """Builds request URLs; a mixin of the client, so the call path gains no frame."""

    _base_url: str | None
    _hosts: dict[str, str]
    _server_variables: dict[str, str]
    _servers: dict[str, Server]
    # Credentials sent in the query (an API key), from the client's auth step.
    _auth_query: Mapping[str, str]

    def _init_urls(
        self,
        base_url: str | None,
        hosts: Mapping[str, str] | None,
        server_variables: Mapping[str, str] | None,
    ) -> None:
        self._base_url = check_base_url("base_url", base_url) if base_url else None
        self._hosts = {
            k.lower(): check_base_url(f"hosts[{k!r}]", v) for k, v in (hosts or {}).items()
        }
        self._server_variables = dict(server_variables or {})
        self._servers = {}

    def _resolve_host(self, host: str) -> str:
        """The host to contact for a spec's host (variables already filled).

        The default keeps it; Twilio inserts region and edge.
        """
        return host

    def default_path_param(self, name: str) -> str | None:
        """A value for a path parameter the caller left out; none by default."""
        return None

    def _server(self, server: str) -> Server:
        known = self._servers.get(server)
        if known is not None:
            return known
        filled = _VAR.sub(self._variable, server)
        parts = urlsplit(filled)
        if not parts.scheme or not parts.netloc:
            raise ValidationError(f"operation server {server!r} is not an absolute URL")
        host = self._resolve_host(parts.netloc.lower())
        logical = f"{parts.scheme}://{host}"
        actual = self._base_url or self._hosts.get(host) or self._hosts.get(parts.netloc.lower())
        actual_origin = actual or logical
        resolved = Server(logical, actual_origin, actual_origin + parts.path.rstrip("/"))
        self._servers[server] = resolved
        return resolved

    def _variable(self, match: re.Match[str]) -> str:
        name = match.group(1)
        value = self._server_variables.get(name)
        if not value:
            raise ValidationError(f"the server URL needs {name!r}, which this client was not given")
        return value

    def _target(self, op: Operation, path: Mapping[str, str | None]) -> str:
        """The operation's URL without a query: its server's base, then the filled path."""
        compiled: CompiledPath | None = op.compiled_path
        if compiled is None:
            compiled = compile_operation_path(op)
            object.__setattr__(op, "compiled_path", compiled)
        prefix, parts = compiled
        out = (self._servers.get(op.server) or self._server(op.server)).actual_base + prefix
        for name, literal, low, high, rule in parts:
            value = path.get(name)
            # The common case, a SID or plain identity of an allowed length, passes every
            # check and needs no quoting. ASCII letters and digits are settled by
            # bytes.isalnum, a table lookup a character (str.isalnum consults the Unicode
            # database, a regex its charset); neither lets an empty or dot segment by.
            if not (
                value.__class__ is str
                and low <= len(value) <= high
                and value.isascii()
                and value.encode().isalnum()
            ):
                value = self._path_value(op, name, rule, value)
            out += value + literal
        return out

    def _path_value(self, op: Operation, name: str, rule: PathArg | None, value: Any) -> str:
        """One path value the quick test did not pass: checked, defaulted and quoted."""
        if rule is None:
            if value is None:
                value = self.default_path_param(name)
                if value is None:
                    raise ValidationError(f"{op.id}: path parameter {name!r} is required")
        else:
            if rule.default and not value:
                value = self.default_path_param(name)
            value = string(
                rule.name,
                path_param(rule.name, value),
                min_length=rule.min_length,
                max_length=rule.max_length,
            )
        if value.__class__ is str and _PLAIN(value):
            return value
        return quote_path_value(name, value)

    def _url(
        self,
        op: Operation,
        path: Mapping[str, str | None],
        query: Mapping[str, Any] | None,
        auth_query: Mapping[str, str] | None = None,
    ) -> str:
        auth_query = self._auth_query if auth_query is None else auth_query
        return self._with_query(self._target(op, path), query, auth_query)

    @staticmethod
    def _with_query(
        url: str, query: Mapping[str, Any] | None, auth_query: Mapping[str, str]
    ) -> str:
        """``url`` with the query encoded after it, credentials first (nothing when empty)."""
        if auth_query:
            query = {**auth_query, **(query or {})}
        if query:
            qs = encode_query(query)
            if qs:
                return f"{url}?{qs}"
        return url

    def _follow(self, server: str, link: str) -> str:
        """The URL to send for a next-page link, kept on the operation's own host.

        The link is sent as the server wrote it (it goes to aiohttp as already encoded),
        except that characters a URL cannot hold as they are get percent-quoted.
        """
        resolved = self._server(server)
        link = quote(link, safe=_LINK_SAFE)
        if link.startswith("/"):
            return resolved.actual_origin + link
        lowered = link.lower()
        for origin in (resolved.logical_origin, resolved.actual_origin):
            if lowered.startswith(origin.lower()):
                rest = link[len(origin) :]
                if not rest or rest[0] in "/?":
                    return resolved.actual_origin + rest
        if "://" in link:
            raise PagingError(
                f"the next-page link {safe_url(link)!r} leaves {resolved.logical_origin};"
                " not following it"
            )
        return urljoin(resolved.actual_origin + "/", link)
