"""The emulator: one aiohttp application serving every emulated API on 127.0.0.1.

Paths are the real services' paths, so a client pointed at the emulator with ``base_url``
sends every host here unchanged; paths several Twilio specs share take the host in front
(:attr:`Emulator.hosts`). The hand-written APIs' routes come first, the generic layer
(``_generic.py``) serves every other generated Twilio operation. Each provider
authenticates as it does for real: Twilio (accounts, subaccounts, API keys, OAuth bearer
tokens), SignalWire and Ziggeo by HTTP Basic with their own credentials, TaskRouter also by a
capability token (``X-Twilio-Token`` or ``Authorization: Bearer``) whose policies are enforced.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._accounts import Accounts
from ._callbacks import Callbacks
from ._calls import Calls
from ._catalog import Catalog
from ._core import Clock, TwilioProblem, as_response, new_sid, twilio_error
from ._faults import Faults
from ._generic import ACCOUNT, Generic
from ._lookups import Lookups
from ._messages import Messages
from ._signalwire import SignalWire, SignalWireProblem
from ._store import DEFAULT_LIMIT, Store
from ._taskrouter import TaskRouter, policy_allows
from ._verifications import Verifications
from ._verify import Verify
from ._ziggeo import Ziggeo, ZiggeoProblem

if TYPE_CHECKING:
    from trunkline.generated.signalwire import SignalWire as SignalWireClient
    from trunkline.generated.twilio import Twilio
    from trunkline.generated.ziggeo import Ziggeo as ZiggeoClient

__all__ = ["Emulator", "read_credentials"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_TWILIO_PREFIXES = ("/v2/Services", "/v1/Workspaces")
# Hosts whose paths go unprefixed, so the hand-written routes above the generic layer win.
_OWN_HOSTS = frozenset({"verify.twilio.com", "taskrouter.twilio.com"})
_ZIGGEO_PREFIXES = ("/v1/authtokens", "/v1/videos", "/_emulator/ziggeo/")


def _basic(request: web.Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (user, password) if sep else None


def _same(given: tuple[str, str] | None, user: str, password: str) -> bool:
    if given is None:
        return False
    # Bytes, because compare_digest refuses non-ASCII text (a stray byte must be a 401).
    same_user = hmac.compare_digest(given[0].encode(), user.encode())
    return same_user & hmac.compare_digest(given[1].encode(), password.encode())


def _capability_token(request: web.Request) -> str | None:
    token = request.headers.get("X-Twilio-Token")
    if token:
        return token
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


class Emulator:
    """A local, stateful stand-in for every Twilio operation, SignalWire and Ziggeo.

    Use it in-process::

        async with Emulator() as emu:
            async with emu.twilio() as tw:       # trunkline.Twilio(..., base_url=emu.url)
                service = await tw.verify.v2.services.create(friendly_name="demo")

    or as a command: ``python -m trunkline.testing --port 8080``.

    Args:
        host: the interface to listen on (loopback by default).
        port: the port; 0 picks a free one (see :attr:`url` once started).
        seed: seeds the fault-injection draws, so a run can be repeated exactly.
        clock: the emulator's time source (seconds since the epoch); :meth:`advance`
            moves it forward for tests of expiry.
        account_sid, auth_token, api_key, api_secret: Twilio credentials the emulator
            accepts; generated when not given.
        signalwire_project_id, signalwire_api_token: SignalWire credentials.
        ziggeo_app_token, ziggeo_private_key, ziggeo_encryption_key: Ziggeo credentials.
        store_limit: how many resources the generic layer keeps (the oldest go first).

    Beyond the hand-written APIs, every operation of every generated Twilio spec is served
    by a generic stateful layer; :attr:`messages`, :attr:`calls` and
    :attr:`verifications` add Twilio's rules where the API has them.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | str = 0,
        clock: Clock = time.time,
        account_sid: str | None = None,
        auth_token: str | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        signalwire_project_id: str | None = None,
        signalwire_api_token: str | None = None,
        ziggeo_app_token: str | None = None,
        ziggeo_private_key: str | None = None,
        ziggeo_encryption_key: str | None = None,
        store_limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.host = host
        self.port = port
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or secrets.token_hex(16)
        self.api_key = api_key or new_sid("SK")
        self.api_secret = api_secret or secrets.token_hex(16)
        self.signalwire_project_id = signalwire_project_id or _uuid()
        self.signalwire_api_token = signalwire_api_token or "PT" + secrets.token_hex(24)
        self.ziggeo_app_token = ziggeo_app_token or secrets.token_hex(16)
        self.ziggeo_private_key = ziggeo_private_key or secrets.token_hex(16)
        self.ziggeo_encryption_key = ziggeo_encryption_key or secrets.token_hex(16)
        self._base_clock = clock
        self._offset = 0.0
        self.faults = Faults(seed)
        self.verify = Verify(self.account_sid, self.now)
        self.taskrouter = TaskRouter(self.account_sid, self.now)
        self.signalwire = SignalWire(self.signalwire_project_id, self.now)
        self.ziggeo = Ziggeo(self.ziggeo_app_token, self.ziggeo_encryption_key, self.now)
        self.catalog = Catalog.load()
        self.store = Store(store_limit)
        self.accounts = Accounts(self.account_sid, self.auth_token, self.api_key, self.api_secret)
        self.callbacks = Callbacks(self.accounts.token)
        self.generic = Generic(self.catalog, self.store, self.now, self.account_sid)
        self.messages = Messages(self.now, self.callbacks)
        self.calls = Calls(self.now, self.callbacks)
        self.verifications = Verifications(self.now, self.verify.services)
        for api in (self.accounts, self.messages, self.calls, self.verifications, Lookups()):
            api.register(self.generic)
        self.accounts.seed(self.generic)
        self.app = self._build()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def __repr__(self) -> str:
        state = self._url or "not started"
        return f"<Emulator {state} account_sid={self.account_sid}>"

    # ----------------------------------------------------------------- time

    def now(self) -> float:
        """The emulator's current time, in seconds since the epoch."""
        return self._base_clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock forward (expiry of challenges, tokens, auth tokens)."""
        if seconds < 0:
            raise ValueError("the emulator's clock only moves forward")
        self._offset += seconds
        for hook in self.generic.before:
            hook()

    async def flush(self) -> None:
        """Wait until every status callback sent so far has been delivered."""
        await self.callbacks.flush()

    # ----------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The base URL to pass as ``base_url`` (``http://127.0.0.1:PORT``)."""
        if self._url is None:
            raise RuntimeError("the emulator is not running; use 'async with Emulator()'")
        return self._url

    async def start(self) -> str:
        """Start serving; returns :attr:`url`."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self.port = port
        self._url = f"http://{host}:{port}"
        return self._url

    async def close(self) -> None:
        """Stop serving and close every connection."""
        runner, self._runner, self._url = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ----------------------------------------------------------------- clients

    @property
    def hosts(self) -> dict[str, str]:
        """Where each Twilio host's requests go: the emulator, with the host in front of the
        path where several specs share a path (``http://127.0.0.1:P/chat.twilio.com``)."""
        url = self.url
        return {h: url if h in _OWN_HOSTS else f"{url}/{h}" for h in sorted(self.catalog.hosts)}

    def twilio(self, **options: Any) -> Twilio:
        """A ``trunkline.Twilio`` client for this emulator (options pass through)."""
        import trunkline

        if "base_url" not in options:
            options["hosts"] = {**self.hosts, **options.get("hosts", {})}
        return trunkline.Twilio(self.account_sid, self.auth_token, **options)

    def signalwire_client(self, **options: Any) -> SignalWireClient:
        """A ``trunkline.SignalWire`` client for this emulator (options pass through)."""
        import trunkline

        return trunkline.SignalWire(
            self.signalwire_project_id,
            self.signalwire_api_token,
            space="emulator",
            base_url=self.url,
            **options,
        )

    def ziggeo_client(self, **options: Any) -> ZiggeoClient:
        """A ``trunkline.Ziggeo`` client for this emulator (options pass through)."""
        import trunkline

        return trunkline.Ziggeo(
            self.ziggeo_app_token,
            self.ziggeo_private_key,
            encryption_key=self.ziggeo_encryption_key,
            base_url=self.url,
            **options,
        )

    # ----------------------------------------------------------------- application

    def _build(self) -> web.Application:
        app = web.Application(
            middlewares=[self.faults.middleware(), self._errors, self._authenticate],
            client_max_size=4 * 1024 * 1024,
        )
        for api in (self.verify, self.taskrouter, self.signalwire, self.ziggeo):
            api.add_routes(app.router)
        self._generic_resource = app.router.add_route("*", "/{tail:.*}", self._generic).resource
        return app

    async def _generic(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith(("/api/", *_ZIGGEO_PREFIXES)):
            raise web.HTTPNotFound()
        return await self.generic.handle(request)

    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Give routing errors the provider's error shape and tag Twilio responses."""
        twilio = not request.path.startswith(("/api/", *_ZIGGEO_PREFIXES))
        try:
            response = await handler(request)
        except (TwilioProblem, SignalWireProblem, ZiggeoProblem) as problem:
            response = as_response(problem)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            message = f"The requested resource {request.path} was not found"
            if exc.status != 404:
                message = f"{exc.reason} ({request.method} {request.path})"
            if twilio:
                code = 20004 if exc.status == 405 else 20000 + exc.status
                response = as_response(TwilioProblem(exc.status, code, message))
            elif request.path.startswith("/api/"):
                response = as_response(SignalWireProblem(exc.status, {"error": message}))
            else:
                response = as_response(ZiggeoProblem(exc.status, message))
        if twilio:
            response.headers["Twilio-Request-Id"] = new_sid("RQ")
        return response

    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        given = _basic(request)
        if path.startswith("/api/"):
            if not _same(given, self.signalwire_project_id, self.signalwire_api_token):
                raise SignalWireProblem(401, {"error": "Unauthorized"})
            return await handler(request)
        if path.startswith(_ZIGGEO_PREFIXES):
            if not _same(given, self.ziggeo_app_token, self.ziggeo_private_key):
                raise ZiggeoProblem(401, "Unauthorized: bad application token or private key")
            return await handler(request)
        token = _capability_token(request) if path.startswith("/v1/Workspaces") else None
        if token is not None:
            await self._authorize_capability(request, token)
            return await handler(request)
        generic = request.match_info.route.resource is self._generic_resource
        if generic and path.rstrip("/").endswith("/token"):
            # OAuth token endpoints take client credentials in the form, not Basic auth.
            return await handler(request)
        account = None
        if given is not None:
            account = self.accounts.authenticate(*given)
        else:
            scheme, _, value = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() == "bearer":
                account = self.accounts.bearer(value.strip())
        if account is None or (not generic and account != self.account_sid):
            twilio_error(401, 20003, "Authenticate")
        request[ACCOUNT] = account
        return await handler(request)

    async def _authorize_capability(self, request: web.Request, token: str) -> None:
        from trunkline.tokens import TokenError, decode

        try:
            claims = decode(token, self.auth_token, now=self.now())
        except TokenError as exc:
            twilio_error(401, 20003, f"Authenticate: capability token rejected ({exc})")
        if claims.get("account_sid", claims.get("iss")) != self.account_sid:
            twilio_error(403, 20403, "The capability token is for another account")
        form = await request.post() if request.method == "POST" else {}
        if not policy_allows(
            claims.get("policies"), request.method, request.path, request.query, form
        ):
            twilio_error(
                403,
                20403,
                f"The capability token does not allow {request.method} {request.path}"
                + (f" with {', '.join(sorted(form))}" if form else ""),
            )


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def dump_credentials(emu: Emulator) -> str:
    """The emulator's URL and credentials as JSON, for the command line."""
    return json.dumps(
        {
            "url": emu.url,
            "account_sid": emu.account_sid,
            "auth_token": emu.auth_token,
            "api_key": emu.api_key,
            "api_secret": emu.api_secret,
            "signalwire_project_id": emu.signalwire_project_id,
            "signalwire_api_token": emu.signalwire_api_token,
            "ziggeo_app_token": emu.ziggeo_app_token,
            "ziggeo_private_key": emu.ziggeo_private_key,
            "ziggeo_encryption_key": emu.ziggeo_encryption_key,
        },
        indent=2,
    )


async def read_credentials(stream: asyncio.StreamReader, timeout: float = 30) -> dict[str, str]:
    """Read the JSON that ``python -m trunkline.testing`` prints once it listens.

    For a program that starts the command as a subprocess: ``stream`` is its stdout. The
    object ends at the first line that is a lone ``}`` (:func:`dump_credentials` writes it
    indented).

    Raises:
        RuntimeError: the command ended before printing its credentials.
        TimeoutError: no full line came within ``timeout`` seconds.
    """
    lines: list[str] = []
    while not lines or lines[-1] != "}":
        line = await asyncio.wait_for(stream.readline(), timeout)
        if not line:
            raise RuntimeError("the emulator command ended before printing its credentials")
        lines.append(line.decode().rstrip())
    found: dict[str, str] = json.loads("\n".join(lines))
    return found
