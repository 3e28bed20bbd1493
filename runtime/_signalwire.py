"""The SignalWire client: project credentials, the space host and Fabric errors.

The generated ``trunkline.generated.signalwire.SignalWire`` subclasses
:class:`SignalWireClient` and adds the Fabric resources (``sw.fabric.subscriber_tokens``);
everything about talking to SignalWire lives here.

Every SignalWire space has its own host, ``<space>.signalwire.com``; requests authenticate
with HTTP basic auth, the project id as user name and an API token as password.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Unpack

from trunkline._auth import BasicAuth
from trunkline._client import BaseClient, ErrorInfo
from trunkline._errors import ValidationError
from trunkline._options import ClientOptions
from trunkline._settings import env_setting, missing_settings

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
        options: the :class:`~trunkline.ClientOptions` (``base_url``, ``timeout``,
            ``retry``, ``middlewares``, ...), as keyword arguments.

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
        **options: Unpack[ClientOptions],
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
            server_variables={"space": self._space_label},
            **options,
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
