"""Auth steps: what a request carries to prove who sends it, decided without I/O.

An :class:`Auth` gives the headers (and, for an API key in the query, the query pairs) a
request needs. Static credentials (:class:`BasicAuth`, :class:`BearerAuth`,
:class:`ApiKeyAuth`) compute them once; :class:`ClientCredentials` (OAuth 2.0 client
credentials) keeps a bearer token and renews it through a ``fetch`` function the client
passes in, so the step itself does no I/O and is testable with a fake ``fetch``.

The token machinery keeps #12's hardening: one fetch serves every concurrent caller, a
caller waits only within its own deadline, one fetch is bounded by :data:`TOKEN_TIMEOUT`,
and after a failed fetch calls fail at once for a backoff (:data:`TOKEN_BACKOFF_INITIAL`,
doubling to :data:`TOKEN_BACKOFF_MAX`) instead of each hitting a failing endpoint again.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol
from urllib.parse import quote_plus

from trunkline._errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    TrunklineError,
    ValidationError,
)
from trunkline._operation import Operation, Timeout

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "TOKEN_BACKOFF_INITIAL",
    "TOKEN_BACKOFF_MAX",
    "TOKEN_TIMEOUT",
    "ApiKeyAuth",
    "Auth",
    "BasicAuth",
    "BearerAuth",
    "ClientCredentials",
    "Clock",
    "TokenFetch",
    "basic_authorization",
]

RENEW_MARGIN = 60.0
"""Renew a bearer token this many seconds before it expires (less for short-lived ones)."""

TOKEN_TIMEOUT = 10.0
"""The longest one OAuth token fetch may take, retries included, in seconds."""

TOKEN_BACKOFF_INITIAL = 1.0
"""After a failed token fetch, calls fail at once for this many seconds (doubling)."""

TOKEN_BACKOFF_MAX = 30.0
"""The longest wait between two token fetches after failures, in seconds."""

TOKEN_LIMITS = Timeout(total=TOKEN_TIMEOUT)
"""The limits of one token fetch."""

TokenFetch = Callable[[Operation, bytes, Timeout], Awaitable[Any]]
"""``await fetch(op, form_body, limits)``: POST a form body without credentials, return the
decoded JSON answer (the client's own retrying sender)."""

_NO_HEADERS: Mapping[str, str] = {}


class Clock(Protocol):
    """What token renewal reads the time from (the :mod:`time` module; a fake in tests)."""

    def time(self) -> float: ...

    def monotonic(self) -> float: ...


def basic_authorization(username: str, password: str) -> str:
    """An HTTP basic ``Authorization`` header value, built without aiohttp's BasicAuth."""
    raw = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _header_safe(name: str, value: str) -> str:
    # The value goes into a header: no line breaks, and never into the message.
    if not value or not value.isprintable():
        raise ValidationError(f"{name} must be a non-empty printable value")
    return value


class Auth:
    """One way of authenticating; the default sends nothing.

    ``kind`` names it the way an OpenAPI spec does (``basic``, ``bearer``, ``oauth2``,
    ``apiKey``). ``dynamic`` steps change their headers over time: the client asks
    :meth:`current` before each call (not each retry) and calls :meth:`forget` after a
    401; static ones are asked :meth:`headers` once.
    """

    kind: ClassVar[str] = "none"
    dynamic: ClassVar[bool] = False

    def headers(self) -> Mapping[str, str]:
        """The headers every request carries."""
        return _NO_HEADERS

    def query(self) -> Mapping[str, str]:
        """Query pairs every request carries (an API key sent in the query)."""
        return _NO_HEADERS

    async def current(self, wait: float, fetch: TokenFetch) -> Mapping[str, str]:
        """The headers for the next call; the same mapping while credentials are unchanged.

        ``wait`` is what is left of the call's budget, in seconds.
        """
        return self.headers()

    def forget(self) -> None:
        """Drop cached credentials the server refused (a 401)."""

    async def aclose(self) -> None:
        """Stop work in flight (a token fetch) when the client closes."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _HeaderAuth(Auth):
    __slots__ = ("_headers",)

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = headers

    def headers(self) -> Mapping[str, str]:
        return self._headers


class BasicAuth(_HeaderAuth):
    """HTTP Basic: user name and password (an empty password is allowed, ``sk_...:``)."""

    kind: ClassVar[str] = "basic"

    def __init__(self, username: str, password: str = "") -> None:
        if not username:
            raise ValidationError("the HTTP Basic user name must not be empty")
        if ":" in username:
            raise ValidationError("the HTTP Basic user name must not contain ':'")
        super().__init__({"Authorization": basic_authorization(username, password)})


class BearerAuth(_HeaderAuth):
    """A fixed bearer token (``Authorization: Bearer <token>``)."""

    kind: ClassVar[str] = "bearer"

    def __init__(self, token: str, *, name: str = "token") -> None:
        token = token.strip()
        if not token or any(c.isspace() for c in token) or not token.isprintable():
            raise ValidationError(f"{name} must be one non-empty token without spaces")
        super().__init__({"Authorization": f"Bearer {token}"})


class ApiKeyAuth(_HeaderAuth):
    """An API key in a header, the query or a cookie, under the spec's parameter name."""

    kind: ClassVar[str] = "apiKey"
    __slots__ = ("_query",)

    def __init__(
        self, name: str, value: str, location: Literal["header", "query", "cookie"] = "header"
    ) -> None:
        if not name or not name.isprintable():
            raise ValidationError("an API key needs a parameter name")
        value = _header_safe(f"the API key {name!r}", value)
        self._query: Mapping[str, str] = _NO_HEADERS
        if location == "header":
            super().__init__({name: value})
        elif location == "cookie":
            super().__init__({"Cookie": f"{name}={quote_plus(value)}"})
        elif location == "query":
            super().__init__(_NO_HEADERS)
            self._query = {name: value}
        else:
            raise ValidationError(f"an API key goes in a header, query or cookie, not {location!r}")

    def query(self) -> Mapping[str, str]:
        return self._query


class _Token:
    __slots__ = ("headers", "renew_at")

    def __init__(self, headers: Mapping[str, str], renew_at: float) -> None:
        self.headers = headers
        self.renew_at = renew_at


def jwt_exp(token: str) -> float | None:
    """The ``exp`` claim of a JWT, read without verifying (only to schedule renewal)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


class ClientCredentials(Auth):
    """OAuth 2.0 client credentials: a bearer token from ``token_op``, cached and renewed.

    The token is renewed a margin before it expires (its JWT ``exp``, else the answer's
    ``expires_in``, else an hour). ``scopes`` go in the token request when given;
    ``clock`` is where renewal reads the time; ``backoff`` is the first and the longest
    hold after a failed fetch, in seconds.
    """

    kind: ClassVar[str] = "oauth2"
    dynamic: ClassVar[bool] = True

    def __init__(
        self,
        token_op: Operation,
        client_id: str,
        client_secret: str,
        *,
        scopes: tuple[str, ...] = (),
        clock: Clock = time,
        backoff: tuple[float, float] = (TOKEN_BACKOFF_INITIAL, TOKEN_BACKOFF_MAX),
    ) -> None:
        self._op = token_op
        self._clock = clock
        self._backoff = backoff
        self._form = (
            "grant_type=client_credentials&client_id="
            + quote_plus(client_id)
            + "&client_secret="
            + quote_plus(client_secret)
            + ("&scope=" + quote_plus(" ".join(scopes)) if scopes else "")
        ).encode()
        self._token: _Token | None = None
        self._task: asyncio.Task[_Token] | None = None
        # (when the last fetch failed, how long to hold off, what went wrong)
        self._failure: tuple[float, float, str] | None = None

    def headers(self) -> Mapping[str, str]:
        token = self._token
        return token.headers if token is not None else _NO_HEADERS

    async def current(self, wait: float, fetch: TokenFetch) -> Mapping[str, str]:
        token = self._token
        now = self._clock.monotonic()
        if token is not None and now < token.renew_at:
            return token.headers
        import asyncio

        failure = self._failure
        if failure is not None and now < failure[0] + failure[1]:
            failed_at, hold, what = failure
            raise ApiConnectionError(
                f"the OAuth token fetch failed {now - failed_at:.1f} s ago ({what}); the next"
                f" try is in {failed_at + hold - now:.1f} s",
                request_sent=False,
            )
        task = self._task
        if task is None or task.done():
            task = asyncio.get_running_loop().create_task(self._fetch(fetch))
            task.add_done_callback(self._done)
            self._task = task
        # One fetch serves every caller; a caller cancelled or out of time while waiting
        # must not cancel the fetch the others are waiting for.
        try:
            token = await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            raise ApiTimeoutError(
                f"the call's {wait:.3g} s ran out while waiting for an OAuth token",
                request_sent=False,
            ) from None
        return token.headers

    def _done(self, task: asyncio.Task[_Token]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            self._failure = None
            return
        previous = self._failure
        first, longest = self._backoff
        hold = first if previous is None else previous[1] * 2
        what = str(error) if isinstance(error, TrunklineError) else type(error).__name__
        self._failure = (self._clock.monotonic(), min(hold, longest), what)

    async def _fetch(self, fetch: TokenFetch) -> _Token:
        issued = self._clock.time()
        body = await fetch(self._op, self._form, TOKEN_LIMITS)
        access = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(access, str) or not access:
            raise ApiError(
                200,
                "the OAuth token response has no access_token",
                method=self._op.method,
                url=self._op.server + self._op.path,
            )
        exp = jwt_exp(access)
        expires_in = body.get("expires_in")
        if exp is None and isinstance(expires_in, int | float):
            exp = issued + float(expires_in)
        lifetime = (exp - self._clock.time()) if exp is not None else 3600.0
        margin = min(RENEW_MARGIN, max(lifetime, 0.0) / 2)
        token = _Token(
            {"Authorization": f"Bearer {access}"}, self._clock.monotonic() + lifetime - margin
        )
        self._token = token
        return token

    def forget(self) -> None:
        self._token = None

    async def aclose(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            import asyncio

            task.cancel()
            await asyncio.wait((task,))
