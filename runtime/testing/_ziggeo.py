"""Ziggeo in the emulator: server-side auth tokens, the video index and client tokens.

A client auth token (made locally by ``trunkline.tokens.ziggeo.generate``) is checked the way
Ziggeo's edge checks it: it must decrypt with the application's encryption key and carry the
application's token.
"""

from __future__ import annotations

import json
import secrets
from typing import Any, NoReturn

import attrs
from aiohttp import web

from trunkline.tokens import TokenError
from trunkline.tokens.ziggeo import decrypt

from ._core import Clock, JSONDict

__all__ = ["AuthTokenRecord", "Ziggeo", "ZiggeoProblem"]


class ZiggeoProblem(web.HTTPException):
    """A Ziggeo-shaped error response: ``{"error": ..., "code": ...}``."""

    def __init__(self, status: int, message: str) -> None:
        self.status_code = status
        body = {"error": message, "code": str(status)}
        super().__init__(text=json.dumps(body), content_type="application/json")


def _fail(status: int, message: str) -> NoReturn:
    raise ZiggeoProblem(status, message)


@attrs.define
class AuthTokenRecord:
    """A server-side auth token and its limits."""

    token: str
    key: str | None
    volatile: bool
    hidden: bool
    expiration_date: int | None
    usage_expiration_time: int | None
    session_limit: int | None
    grants: JSONDict
    created: int


def _bool(form: Any, name: str, current: bool) -> bool:
    raw = form.get(name)
    if raw is None:
        return current
    text = str(raw).lower()
    if text not in ("true", "false", "1", "0"):
        _fail(400, f"{name} must be true or false")
    return text in ("true", "1")


def _int(form: Any, name: str, current: int | None) -> int | None:
    raw = form.get(name)
    if raw is None or raw == "":
        return current
    try:
        value = int(str(raw))
    except ValueError:
        _fail(400, f"{name} must be a whole number")
    if value < 0:
        _fail(400, f"{name} must not be negative")
    return value


class Ziggeo:
    """State and handlers of the emulated Ziggeo server API."""

    def __init__(self, app_token: str, encryption_key: str, clock: Clock) -> None:
        self.app_token = app_token
        self.encryption_key = encryption_key
        self.clock = clock
        self.auth_tokens: dict[str, AuthTokenRecord] = {}
        self.videos: list[JSONDict] = []

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the paths of the project's Ziggeo spec, plus the client-token check."""
        router.add_post("/v1/authtokens/", self.create_auth_token)
        router.add_get("/v1/authtokens/{token_or_key}", self.fetch_auth_token)
        router.add_post("/v1/authtokens/{token_or_key}", self.update_auth_token)
        router.add_delete("/v1/authtokens/{token_or_key}", self.delete_auth_token)
        router.add_get("/v1/videos/", self.list_videos)
        router.add_post("/_emulator/ziggeo/client-tokens/check", self.check_client_token_route)

    def check_client_token(self, token: str) -> dict[str, Any]:
        """The options inside a client auth token, if it is one made for this application.

        Raises:
            ValueError: the token does not decrypt with the application's encryption key, or
                it carries another application's token.
        """
        try:
            options = decrypt(token, self.encryption_key)
        except (TokenError, ValueError) as exc:
            raise ValueError("not a client token of this application") from exc
        if options.get("application_token") != self.app_token:
            raise ValueError("the client token carries another application's token")
        return options

    def seed_videos(self, count: int) -> None:
        """Add ``count`` ready videos to the index (newest last), e.g. to try paging."""
        start = len(self.videos)
        now = int(self.clock())
        for number in range(start, start + count):
            self.videos.append(
                {
                    "token": secrets.token_hex(16),
                    "key": f"video-{number + 1}",
                    "state": 5,
                    "state_string": "READY",
                    "duration": 12.5,
                    "created": now + number,
                    "tags": None,
                }
            )

    # ----------------------------------------------------------------- helpers

    def _json(self, r: AuthTokenRecord) -> JSONDict:
        return {
            "token": r.token,
            "key": r.key,
            "volatile": r.volatile,
            "hidden": r.hidden,
            "expiration_date": r.expiration_date,
            "usage_expiration_time": r.usage_expiration_time,
            "session_limit": r.session_limit,
            "grants": r.grants,
            "created": r.created,
        }

    def _lookup(self, request: web.Request) -> AuthTokenRecord:
        wanted = request.match_info["token_or_key"]
        found = self.auth_tokens.get(wanted) or next(
            (r for r in self.auth_tokens.values() if r.key == wanted), None
        )
        if found is None:
            _fail(404, "Auth token not found")
        if found.expiration_date is not None and self.clock() >= found.expiration_date:
            if found.volatile:
                del self.auth_tokens[found.token]
            _fail(404, "Auth token not found")
        return found

    def _apply(self, record: AuthTokenRecord, form: Any) -> None:
        record.volatile = _bool(form, "volatile", record.volatile)
        record.hidden = _bool(form, "hidden", record.hidden)
        record.expiration_date = _int(form, "expiration_date", record.expiration_date)
        record.usage_expiration_time = _int(
            form, "usage_expiration_time", record.usage_expiration_time
        )
        record.session_limit = _int(form, "session_limit", record.session_limit)
        raw = form.get("grants")
        if raw is not None:
            try:
                grants = json.loads(str(raw))
            except ValueError:
                _fail(400, "grants must be a JSON object")
            if not isinstance(grants, dict):
                _fail(400, "grants must be a JSON object")
            record.grants = grants

    # ----------------------------------------------------------------- handlers

    async def create_auth_token(self, request: web.Request) -> web.Response:
        form = await request.post()
        key = str(form.get("key") or "") or None
        if key is not None and any(r.key == key for r in self.auth_tokens.values()):
            _fail(400, "An auth token with this key already exists")
        record = AuthTokenRecord(
            secrets.token_hex(16), key, False, False, None, None, None, {}, int(self.clock())
        )
        self._apply(record, form)
        self.auth_tokens[record.token] = record
        return web.json_response(self._json(record))

    async def fetch_auth_token(self, request: web.Request) -> web.Response:
        return web.json_response(self._json(self._lookup(request)))

    async def update_auth_token(self, request: web.Request) -> web.Response:
        record = self._lookup(request)
        self._apply(record, await request.post())
        return web.json_response(self._json(record))

    async def delete_auth_token(self, request: web.Request) -> web.Response:
        record = self._lookup(request)
        del self.auth_tokens[record.token]
        return web.Response(status=200)

    async def list_videos(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", "50"))
            skip = int(query.get("skip", "0"))
        except ValueError:
            _fail(400, "limit and skip must be whole numbers")
        if not 1 <= limit <= 100 or skip < 0:
            _fail(400, "limit must be 1 to 100 and skip at least 0")
        reverse = query.get("reverse", "false").lower() == "true"
        rows = self.videos if reverse else self.videos[::-1]
        return web.json_response(rows[skip : skip + limit])

    async def check_client_token_route(self, request: web.Request) -> web.Response:
        form = await request.post()
        token = str(form.get("token") or "")
        if not token:
            _fail(400, "token is required")
        try:
            options = self.check_client_token(token)
        except ValueError as exc:
            _fail(401, str(exc))
        return web.json_response({"valid": True, "options": options})
