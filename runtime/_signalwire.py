"""The SignalWire client: project credentials, the space host and Fabric errors.

The generated ``trunkline.generated.signalwire.SignalWire`` subclasses
:class:`SignalWireClient` and adds the Fabric resources (``sw.fabric.subscriber_tokens``);
everything about talking to SignalWire lives here.

Every SignalWire space has its own host, ``<space>.signalwire.com``; requests authenticate
with HTTP basic auth, the project id as user name and an API token as password.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from trunkline._auth import BasicAuth
from trunkline._client import BaseClient, ErrorInfo, Middleware
from trunkline._errors import ValidationError
from trunkline._operation import TimeoutArg
from trunkline._paging import MAX_EMPTY_PAGES
from trunkline._retry import RetryPolicy
from trunkline._settings import env_setting, missing_settings
from trunkline._transport import MAX_RESPONSE_BYTES, Transport

if TYPE_CHECKING:
    import aiohttp

    from trunkline.limits import Limiter

__all__ = ["SPACE_DOMAIN", "SignalWireClient", "space_host"]

SPACE_DOMAIN = "signalwire.com"
"""The domain under which spaces get their host names."""

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def space_host(space: str) -> str:
    """The host of a space given as a name (``example``) or a host or URL.

    ``example``, ``example.signalwire.com`` and ``https://example.signalwire.com/`` all
    give ``example.signalwire.com``.

    Raises:
        ValueError: the value is empty or not a host name.
    """
    text = space.strip().lower()
    for scheme in ("https://", "http://"):
        if text.startswith(scheme):
            text = text[len(scheme) :]
    text = text.rstrip("/")
    if "." not in text:
        text = f"{text}.{SPACE_DOMAIN}"
    labels = text.split(".")
    if not text or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValidationError(
            f"space must be a space name like 'example' or a host like "
            f"'example.{SPACE_DOMAIN}', not {space!r}"
        )
    return text


class SignalWireClient(BaseClient):
    """A client for SignalWire's REST APIs on one space.

    Args:
        project_id: the project id (a UUID); ``SIGNALWIRE_PROJECT_ID`` by default.
        api_token: an API token of the project; ``SIGNALWIRE_API_TOKEN`` by default.
        space: the space, as its name (``example``) or host (``example.signalwire.com``);
            ``SIGNALWIRE_SPACE`` by default.
        base_url, hosts, session, transport, timeout, retry, max_connections,
        middlewares, prefetch, limiter, max_response_bytes, max_pages, max_empty_pages:
            as for :class:`~trunkline._client.BaseClient`.

    Raises:
        ValueError: a credential or the space is missing (the message names the argument
            and its environment variable), or the space is not a host name.
    """

    def __init__(
        self,
        project_id: str | None = None,
        api_token: str | None = None,
        *,
        space: str | None = None,
        base_url: str | None = None,
        hosts: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        timeout: TimeoutArg = None,
        retry: RetryPolicy | None = None,
        max_connections: int = 100,
        middlewares: Iterable[Middleware] = (),
        prefetch: bool = True,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        max_pages: int | None = None,
        max_empty_pages: int = MAX_EMPTY_PAGES,
        limiter: Limiter | None = None,
    ) -> None:
        project_id = project_id or env_setting("SIGNALWIRE_PROJECT_ID")
        api_token = api_token or env_setting("SIGNALWIRE_API_TOKEN")
        space = space or env_setting("SIGNALWIRE_SPACE")
        if not (project_id and api_token and space):
            raise missing_settings(
                "SignalWire settings",
                ("project_id", project_id, "SIGNALWIRE_PROJECT_ID"),
                ("api_token", api_token, "SIGNALWIRE_API_TOKEN"),
                ("space", space, "SIGNALWIRE_SPACE"),
            )
        self.project_id = project_id
        self.space_host = space_host(space)
        # The spec's server is https://{space}.signalwire.com; a space on another domain
        # fills {space} with its first label and _resolve_host swaps in the whole host.
        self._space_label = self.space_host.split(".", 1)[0]
        super().__init__(
            auth=BasicAuth(project_id, api_token),
            base_url=base_url,
            hosts=hosts,
            server_variables={"space": self._space_label},
            session=session,
            transport=transport,
            timeout=timeout,
            retry=retry,
            max_connections=max_connections,
            middlewares=middlewares,
            prefetch=prefetch,
            max_response_bytes=max_response_bytes,
            max_pages=max_pages,
            max_empty_pages=max_empty_pages,
            limiter=limiter,
        )

    @property
    def space(self) -> str:
        """The space's name (the first label of its host)."""
        return self._space_label

    def _resolve_host(self, host: str) -> str:
        if host == f"{self._space_label}.{SPACE_DOMAIN}":
            return self.space_host
        return host

    def _error_info(self, status: int, body: Any) -> ErrorInfo:
        """Read ``{"error": "..."}`` and the 422 ``{"errors": [{type, code, message,
        attribute, url}]}``; every field error is named in the message and kept in
        ``details``."""
        if not isinstance(body, Mapping):
            return ErrorInfo()
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            entries = [e for e in errors if isinstance(e, Mapping)]
            first = entries[0] if entries else {}
            parts = []
            for entry in entries:
                text = _text(entry.get("message")) or _text(entry.get("code")) or "invalid"
                attribute = _text(entry.get("attribute"))
                parts.append(f"{attribute}: {text}" if attribute else text)
            return ErrorInfo(
                code=_text(first.get("code")),
                message="; ".join(parts) or None,
                more_info=_text(first.get("url")),
                details=errors,
            )
        message = _text(body.get("error")) or _text(body.get("message"))
        return ErrorInfo(message=message, details=body.get("details"))

    def _repr_fields(self) -> list[str]:
        return [
            f"project_id={self.project_id!r}",
            f"space={self.space_host!r}",
            *super()._repr_fields(),
        ]


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None
