"""The Ziggeo client: app credentials, the regional host, errors, and local auth tokens.

The generated ``trunkline.generated.ziggeo.Ziggeo`` subclasses :class:`ZiggeoClient` and
adds the resources (``zg.auth_tokens``, ``zg.videos``); everything about talking to Ziggeo
lives here.

Requests authenticate with HTTP basic auth, the application token as user name and the
private key as password. An application token starting with a region prefix (``r1``)
belongs to that region and its server API has a regional host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from trunkline._auth import BasicAuth
from trunkline._client import BaseClient, ErrorInfo
from trunkline._errors import ValidationError
from trunkline._options import ClientOptions
from trunkline._settings import env_setting, missing_settings

__all__ = ["DEFAULT_HOST", "REGION_HOSTS", "ZiggeoAuth", "ZiggeoClient", "server_host"]

DEFAULT_HOST = "srv-api.ziggeo.com"
"""The server API's host for applications in the default region."""

REGION_HOSTS: Mapping[str, str] = {"r1": "srv-api-eu-west-1.ziggeo.com"}
"""The server API's host by the region prefix of an application token."""


def server_host(app_token: str) -> str:
    """The server API host for an application token (regional for ``r1...`` tokens)."""
    for prefix, host in REGION_HOSTS.items():
        if app_token.startswith(prefix):
            return host
    return DEFAULT_HOST


class ZiggeoAuth:
    """Makes client auth tokens locally, for the Ziggeo browser and mobile SDKs.

    Reached as ``ziggeo.auth``; see :func:`trunkline.tokens.ziggeo.generate` for the
    format.
    """

    __slots__ = ("_app_token", "_encryption_key")

    def __init__(self, app_token: str, encryption_key: str | None) -> None:
        self._app_token = app_token
        self._encryption_key = encryption_key

    def generate(self, options: Mapping[str, Any] | None = None) -> str:
        """An encrypted client auth token carrying ``options`` (grants, limits, ...).

        Raises:
            ValueError: the client has no encryption key, or ``options`` is not JSON.
        """
        if not self._encryption_key:
            raise ValidationError(
                "Ziggeo client auth tokens need the application's encryption key: pass "
                "encryption_key= to the client or set ZIGGEO_ENCRYPTION_KEY"
            )
        from trunkline.tokens.ziggeo import generate

        return generate(self._app_token, self._encryption_key, options)

    def __repr__(self) -> str:
        return f"ZiggeoAuth(encryption_key={'set' if self._encryption_key else 'missing'})"


class ZiggeoClient(BaseClient):
    """A client for Ziggeo's server API.

    Args:
        app_token: the application token; ``ZIGGEO_APP_TOKEN`` by default. A token
            starting with ``r1`` selects the EU host.
        private_key: the application's private key; ``ZIGGEO_PRIVATE_KEY`` by default.
        encryption_key: the application's encryption key, needed only for
            :meth:`ZiggeoAuth.generate`; ``ZIGGEO_ENCRYPTION_KEY`` by default.
        options: the :class:`~trunkline.ClientOptions` (``base_url``, ``timeout``,
            ``retry``, ``middlewares``, ...), as keyword arguments.

    Raises:
        ValueError: the app token or private key is missing (the message names the
            argument and its environment variable).
    """

    def __init__(
        self,
        app_token: str | None = None,
        private_key: str | None = None,
        *,
        encryption_key: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        app_token = app_token or env_setting("ZIGGEO_APP_TOKEN")
        private_key = private_key or env_setting("ZIGGEO_PRIVATE_KEY")
        encryption_key = encryption_key or env_setting("ZIGGEO_ENCRYPTION_KEY")
        if not (app_token and private_key):
            raise missing_settings(
                "Ziggeo credentials",
                ("app_token", app_token, "ZIGGEO_APP_TOKEN"),
                ("private_key", private_key, "ZIGGEO_PRIVATE_KEY"),
            )
        self.app_token = app_token
        self.server_host = server_host(app_token)
        self.auth = ZiggeoAuth(app_token, encryption_key)
        super().__init__(
            auth=BasicAuth(app_token, private_key),
            **options,
        )

    def _resolve_host(self, host: str) -> str:
        if host == DEFAULT_HOST:
            return self.server_host
        return host

    def _error_info(self, status: int, body: Any) -> ErrorInfo:
        """Read ``{"error": ...}``, ``{"message": ...}`` or ``{"msg": ...}`` bodies."""
        if not isinstance(body, Mapping):
            return ErrorInfo()
        message = next(
            (v for k in ("error", "message", "msg") if isinstance(v := body.get(k), str) and v),
            None,
        )
        code = body.get("code")
        return ErrorInfo(
            code=code if isinstance(code, str | int) and not isinstance(code, bool) else None,
            message=message,
            details=body.get("details"),
        )

    def _repr_fields(self) -> list[str]:
        return [f"host={self.server_host!r}", *super()._repr_fields()]
