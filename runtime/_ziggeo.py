"""The Ziggeo client: app credentials, the regional host, errors, and local auth tokens.

The generated ``trunkline.generated.ziggeo.Ziggeo`` subclasses :class:`ZiggeoClient` and
adds the resources (``zg.auth_tokens``, ``zg.videos``); everything about talking to Ziggeo
lives here.

Requests authenticate with HTTP basic auth, the application token as user name and the
private key as password. An application token starting with a region prefix (``r1``)
belongs to that region and its server API has a regional host.
"""

from __future__ import annotations

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
        base_url, hosts, session, transport, timeout, retry, max_connections,
        middlewares, prefetch, limiter, max_response_bytes, max_pages, max_empty_pages:
            as for :class:`~trunkline._client.BaseClient`.

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
            base_url=base_url,
            hosts=hosts,
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
