"""The Twilio client: credentials, regions and edges, OAuth bearer tokens.

The generated ``trunkline.generated.twilio.Twilio`` subclasses :class:`TwilioClient` and
adds the domains (``tw.verify.v2...``); everything about talking to Twilio lives here.

Three ways to authenticate, tried in this order among the arguments given (or, when none
are given, among the environment variables):

* OAuth client credentials (``client_id`` + ``client_secret``; ``TWILIO_CLIENT_ID``,
  ``TWILIO_CLIENT_SECRET``): a bearer token from ``oauth.twilio.com/v2/token``, fetched
  once for all concurrent calls, cached, and renewed a margin before it expires. A call
  waits for the token only within its own deadline; the fetch itself is bounded by
  :data:`TOKEN_TIMEOUT`; after a failed fetch, calls fail at once for a short backoff
  (:data:`TOKEN_BACKOFF_INITIAL`, doubling to :data:`TOKEN_BACKOFF_MAX`) instead of each
  hitting a failing token endpoint again.
* API key (``api_key`` + ``api_secret`` with ``account_sid``; ``TWILIO_API_KEY``,
  ``TWILIO_API_SECRET``): HTTP basic auth with the key.
* Account SID + auth token (``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``): HTTP basic auth.

A bearer ``access_token`` (from Twilio's OAuth token API) may be given alone, sent on every
call, or beside Basic credentials: then it goes only to the operations whose spec accepts
a bearer token (Verify v2 services, verifications and verification checks), Basic to the
rest. An operation that takes only OAuth (the Organizations API) with a client holding only
Basic credentials is a ValueError before any request.
"""

from __future__ import annotations

import re
import time
from typing import ClassVar, Unpack

from trunkline._auth import (
    RENEW_MARGIN,
    TOKEN_BACKOFF_INITIAL,
    TOKEN_BACKOFF_MAX,
    TOKEN_TIMEOUT,
    Auth,
    BasicAuth,
    BearerAuth,
    ClientCredentials,
    basic_authorization,
)
from trunkline._client import BaseClient
from trunkline._errors import ValidationError
from trunkline._operation import Operation
from trunkline._options import ClientOptions
from trunkline._settings import env_setting, missing_settings

__all__ = [
    "RENEW_MARGIN",
    "TOKEN_BACKOFF_INITIAL",
    "TOKEN_BACKOFF_MAX",
    "TOKEN_OPERATION",
    "TOKEN_TIMEOUT",
    "TwilioClient",
    "basic_authorization",
]

TOKEN_OPERATION = Operation(
    id="CreateOauth2Token",
    method="POST",
    server="https://oauth.twilio.com",
    path="/v2/token",
    body="form",
)
"""Twilio's ``oauth.v2`` token endpoint (it takes no Authorization header)."""


_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def _host_label(name: str, value: str | None, example: str) -> str | None:
    if value is None:
        return None
    label = value.strip().lower()
    if not _LABEL.fullmatch(label):
        raise ValidationError(f"{name} must be one host name label like {example!r}, not {value!r}")
    return label


class TwilioClient(BaseClient):
    """A client for Twilio's REST APIs.

    Args:
        account_sid: the account (``AC...``); ``TWILIO_ACCOUNT_SID`` by default. Needed
            for auth token and API key auth, and as the default ``AccountSid`` of the
            2010 API's paths.
        auth_token: the account's auth token; ``TWILIO_AUTH_TOKEN`` by default.
        api_key: an API key SID (``SK...``); ``TWILIO_API_KEY`` by default.
        api_secret: the API key's secret; ``TWILIO_API_SECRET`` by default.
        client_id: an OAuth app's client id; ``TWILIO_CLIENT_ID`` by default.
        client_secret: the OAuth app's secret; ``TWILIO_CLIENT_SECRET`` by default.
        access_token: a bearer access token (the ``access_token`` Twilio's OAuth token
            API returns); alone it is sent on every call, beside account SID + auth token
            or an API key only on the operations whose spec accepts a bearer token.
        region: a Twilio region (``ie1``); ``TWILIO_REGION`` by default.
        edge: a Twilio edge location (``dublin``); ``TWILIO_EDGE`` by default. An edge
            without a region means region ``us1``.
        options: the :class:`~trunkline.ClientOptions` (``base_url``, ``timeout``,
            ``retry``, ``middlewares``, ...), as keyword arguments.

    Raises:
        ValueError: credentials are missing or incomplete (the message names what to
            pass or which environment variable to set).
    """

    _request_id_header: ClassVar[str] = "Twilio-Request-Id"

    def __init__(
        self,
        account_sid: str | None = None,
        auth_token: str | None = None,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        access_token: str | None = None,
        region: str | None = None,
        edge: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self.account_sid = account_sid or env_setting("TWILIO_ACCOUNT_SID")
        self.region = _host_label("region", region or env_setting("TWILIO_REGION"), "ie1")
        self.edge = _host_label("edge", edge or env_setting("TWILIO_EDGE"), "dublin")
        explicit = any(
            v is not None
            for v in (auth_token, api_key, api_secret, client_id, client_secret, access_token)
        )
        if not explicit:
            auth_token = env_setting("TWILIO_AUTH_TOKEN")
            api_key, api_secret = env_setting("TWILIO_API_KEY"), env_setting("TWILIO_API_SECRET")
            client_id, client_secret = (
                env_setting("TWILIO_CLIENT_ID"),
                env_setting("TWILIO_CLIENT_SECRET"),
            )
        auth: Auth
        self._bearer = (
            BearerAuth(access_token, name="access_token") if access_token is not None else None
        )
        if self._bearer is not None and (client_id or client_secret):
            raise ValueError("pass either access_token or client_id and client_secret, not both")
        if self._bearer is not None and not (auth_token or api_key or api_secret):
            self.auth_mode = "access_token"
            auth = self._bearer
        elif client_id or client_secret:
            _require(
                ("client_id", client_id, "TWILIO_CLIENT_ID"),
                ("client_secret", client_secret, "TWILIO_CLIENT_SECRET"),
            )
            assert client_id is not None
            assert client_secret is not None
            self.auth_mode = "oauth"
            # The module's clock and backoff, looked up now, so a test can fake them.
            auth = ClientCredentials(
                TOKEN_OPERATION,
                client_id,
                client_secret,
                clock=time,
                backoff=(TOKEN_BACKOFF_INITIAL, TOKEN_BACKOFF_MAX),
            )
        elif api_key or api_secret:
            _require(
                ("api_key", api_key, "TWILIO_API_KEY"),
                ("api_secret", api_secret, "TWILIO_API_SECRET"),
                ("account_sid", self.account_sid, "TWILIO_ACCOUNT_SID"),
            )
            assert api_key is not None
            assert api_secret is not None
            self.auth_mode = "api_key"
            auth = BasicAuth(api_key, api_secret)
        else:
            _require(
                ("account_sid", self.account_sid, "TWILIO_ACCOUNT_SID"),
                ("auth_token", auth_token, "TWILIO_AUTH_TOKEN"),
            )
            assert self.account_sid is not None
            assert auth_token is not None
            self.auth_mode = "auth_token"
            auth = BasicAuth(self.account_sid, auth_token)
        if self._bearer is not None and self.auth_mode != "access_token":
            self.auth_mode += "+access_token"
        self.api_key = api_key
        super().__init__(
            auth=auth,
            **options,
        )

    def default_path_param(self, name: str) -> str | None:
        """The client's account SID for the 2010 API's ``AccountSid``."""
        if name == "AccountSid":
            return self.account_sid
        return None

    def _auth_for(self, op: Operation) -> Auth | None:
        """The access token where the spec accepts a bearer token; else the client's own.

        OAuth and access-token clients send their bearer token everywhere (Twilio takes
        one beyond the operations its specs mark); a Basic-only client cannot call an
        operation that takes only OAuth.
        """
        if self._bearer is not None and ("bearer" in op.auth or "oauth2" in op.auth):
            return self._bearer
        if "basic" in op.auth or self.auth_mode in ("oauth", "access_token"):
            return None
        raise ValidationError(
            f"{op.id} takes {' or '.join(op.auth)} credentials, not HTTP Basic: pass"
            " client_id and client_secret (OAuth) or an access_token"
        )

    def _resolve_host(self, host: str) -> str:
        """Insert region and edge the way Twilio names its hosts.

        ``verify.twilio.com`` with edge ``dublin`` and region ``ie1`` becomes
        ``verify.dublin.ie1.twilio.com``; an edge alone implies region ``us1``.
        """
        if not (self.region or self.edge) or not host.endswith(".twilio.com"):
            return host
        pieces = host.split(".")
        product = pieces[0]
        edge = pieces[1] if len(pieces) == 5 else None
        region = pieces[-3] if len(pieces) in (4, 5) else None
        edge = self.edge or edge
        region = self.region or region or ("us1" if edge else None)
        return ".".join(p for p in (product, edge, region, "twilio", "com") if p)

    def _repr_fields(self) -> list[str]:
        fields = [f"account_sid={self.account_sid!r}", f"auth={self.auth_mode!r}"]
        if self.region:
            fields.append(f"region={self.region!r}")
        if self.edge:
            fields.append(f"edge={self.edge!r}")
        return fields + super()._repr_fields()


def _require(*fields: tuple[str, str | None, str]) -> None:
    if all(value for _, value, _ in fields):
        return
    raise missing_settings(
        "Twilio credentials",
        *fields,
        hint=". Pass account_sid and auth_token, api_key and api_secret with account_sid,"
        " client_id and client_secret, or an access_token.",
    )
