"""SignalWire Fabric in the emulator: subscriber and guest tokens, and subscribers.

Tokens are opaque random strings with an expiry; each refresh token can be traded for a new
pair exactly once. Lists answer ``{data, links}`` and page through ``links.next``. Errors use
SignalWire's shapes: ``{"error": ...}``, or ``{"errors": [...]}`` for invalid fields (422).
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any, NoReturn

import attrs
from aiohttp import web
from yarl import URL

from ._core import Clock, JSONDict, iso, origin

__all__ = ["IssuedToken", "SignalWire", "SignalWireProblem", "SubscriberRecord"]

_BASE = "/api/fabric"
_DEFAULT_TTL = 2 * 3600.0
_REFRESH_TTL = 24 * 3600.0
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_PROFILE = (
    "first_name",
    "last_name",
    "display_name",
    "job_title",
    "country",
    "region",
    "company_name",
)


class SignalWireProblem(web.HTTPException):
    """A SignalWire-shaped error response with any JSON body."""

    def __init__(self, status: int, body: JSONDict) -> None:
        self.status_code = status
        super().__init__(text=json.dumps(body), content_type="application/json")


def _fail(status: int, message: str) -> NoReturn:
    raise SignalWireProblem(status, {"error": message})


def _invalid(attribute: str, code: str, message: str) -> NoReturn:
    raise SignalWireProblem(
        422,
        {
            "errors": [
                {
                    "type": "validation_error",
                    "code": code,
                    "message": message,
                    "attribute": attribute,
                    "url": "https://developer.signalwire.com/rest/overview/error-codes",
                }
            ]
        },
    )


@attrs.define
class SubscriberRecord:
    """A subscriber resource and its profile."""

    id: str
    subscriber_id: str
    email: str
    profile: dict[str, str | None]
    created: float
    updated: float
    password: str | None = attrs.field(default=None, repr=False)


@attrs.define
class IssuedToken:
    """A subscriber or guest token the emulator handed out."""

    kind: str
    subscriber_id: str | None
    expires: float
    allowed_addresses: tuple[str, ...] = ()


class SignalWire:
    """State and handlers of the emulated SignalWire Fabric API."""

    def __init__(self, project_id: str, clock: Clock) -> None:
        self.project_id = project_id
        self.clock = clock
        self.subscribers: dict[str, SubscriberRecord] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.refresh_tokens: dict[str, tuple[str, float]] = {}
        self.used_refresh_tokens: set[str] = set()

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the Fabric paths of the project's SignalWire spec."""
        router.add_post(_BASE + "/subscribers/tokens", self.create_subscriber_token)
        router.add_post(_BASE + "/subscribers/tokens/refresh", self.refresh_subscriber_token)
        router.add_post(_BASE + "/guests/tokens", self.create_guest_token)
        router.add_get(_BASE + "/resources/subscribers", self.list_subscribers)
        router.add_post(_BASE + "/resources/subscribers", self.create_subscriber)
        router.add_get(_BASE + "/resources/subscribers/{id}", self.fetch_subscriber)
        router.add_put(_BASE + "/resources/subscribers/{id}", self.update_subscriber)
        router.add_patch(_BASE + "/resources/subscribers/{id}", self.update_subscriber)
        router.add_delete(_BASE + "/resources/subscribers/{id}", self.delete_subscriber)

    def token_valid(self, token: str) -> bool:
        """Whether a subscriber or guest token was issued here and has not expired."""
        issued = self.tokens.get(token)
        return issued is not None and self.clock() < issued.expires

    # ----------------------------------------------------------------- helpers

    async def _json(self, request: web.Request) -> JSONDict:
        try:
            body = await request.json()
        except ValueError:
            _fail(400, "The request body is not valid JSON")
        if not isinstance(body, dict):
            _fail(400, "The request body must be a JSON object")
        return body

    def _record(self, request: web.Request) -> SubscriberRecord:
        found = self.subscribers.get(request.match_info["id"])
        if found is None:
            _fail(404, "Not Found")
        return found

    def _resource_json(self, r: SubscriberRecord) -> JSONDict:
        return {
            "id": r.id,
            "project_id": self.project_id,
            "display_name": r.profile.get("display_name"),
            "type": "subscriber",
            "created_at": iso(r.created),
            "updated_at": iso(r.updated),
            "subscriber": {"id": r.subscriber_id, "email": r.email, **r.profile},
        }

    def _profile(self, body: Mapping[str, Any], *, timezone_key: str) -> dict[str, str | None]:
        profile: dict[str, str | None] = {}
        for name in (*_PROFILE, timezone_key):
            if name in body:
                value = body[name]
                if value is not None and not isinstance(value, str):
                    _invalid(name, "invalid_parameter", f"{name} must be a string")
                profile["timezone" if name == timezone_key else name] = value
        return profile

    def _password(self, body: Mapping[str, Any]) -> str | None:
        password = body.get("password")
        if password is None:
            return None
        if not isinstance(password, str) or not 8 <= len(password) <= 72:
            _invalid("password", "invalid_parameter", "password must be 8 to 72 characters")
        return password

    def _expiry(self, body: Mapping[str, Any]) -> float:
        now = self.clock()
        expire_at = body.get("expire_at")
        if expire_at is None:
            return now + _DEFAULT_TTL
        if isinstance(expire_at, bool) or not isinstance(expire_at, int):
            _invalid("expire_at", "invalid_parameter", "expire_at must be Unix seconds")
        if expire_at <= now:
            _invalid("expire_at", "invalid_parameter", "expire_at must lie in the future")
        return float(expire_at)

    def _new_subscriber(
        self, email: str, profile: dict[str, str | None], password: str | None
    ) -> SubscriberRecord:
        now = self.clock()
        record = SubscriberRecord(
            str(uuid.uuid4()),
            str(uuid.uuid4()),
            email,
            {"timezone": None, **{k: None for k in _PROFILE}, **profile},
            now,
            now,
            password,
        )
        self.subscribers[record.id] = record
        return record

    def _pair(self, subscriber_id: str, expires: float) -> tuple[str, str]:
        token = "swst_" + secrets.token_urlsafe(32)
        refresh = "swrt_" + secrets.token_urlsafe(32)
        self.tokens[token] = IssuedToken("subscriber", subscriber_id, expires)
        self.refresh_tokens[refresh] = (subscriber_id, self.clock() + _REFRESH_TTL)
        return token, refresh

    # ----------------------------------------------------------------- tokens

    async def create_subscriber_token(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        reference = body.get("reference")
        if not isinstance(reference, str) or not reference:
            _invalid("reference", "missing_required_parameter", "reference is required")
        application_id = body.get("application_id")
        if application_id is not None:
            try:
                uuid.UUID(str(application_id))
            except ValueError:
                _invalid("application_id", "invalid_parameter", "application_id must be a uuid")
        expires = self._expiry(body)
        password = self._password(body)
        profile = self._profile(body, timezone_key="time_zone")
        record = next((r for r in self.subscribers.values() if r.email == reference), None)
        if record is None:
            record = self._new_subscriber(reference, profile, password)
        token, refresh = self._pair(record.subscriber_id, expires)
        return web.json_response(
            {"subscriber_id": record.subscriber_id, "token": token, "refresh_token": refresh}
        )

    async def refresh_subscriber_token(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        refresh = body.get("refresh_token")
        if not isinstance(refresh, str) or not refresh:
            _invalid("refresh_token", "missing_required_parameter", "refresh_token is required")
        if refresh in self.used_refresh_tokens:
            _fail(401, "The refresh token was already used")
        entry = self.refresh_tokens.pop(refresh, None)
        if entry is None:
            _fail(401, "Unknown refresh token")
        self.used_refresh_tokens.add(refresh)
        subscriber_id, refresh_expires = entry
        if self.clock() >= refresh_expires:
            _fail(401, "The refresh token has expired")
        token, new_refresh = self._pair(subscriber_id, self.clock() + _DEFAULT_TTL)
        return web.json_response({"token": token, "refresh_token": new_refresh})

    async def create_guest_token(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        addresses = body.get("allowed_addresses")
        if not isinstance(addresses, list) or not 1 <= len(addresses) <= 10:
            _invalid(
                "allowed_addresses",
                "invalid_parameter",
                "allowed_addresses must list 1 to 10 address ids",
            )
        for address in addresses:
            try:
                uuid.UUID(str(address))
            except ValueError:
                _invalid("allowed_addresses", "invalid_parameter", f"{address!r} is not a uuid")
        token = "swgt_" + secrets.token_urlsafe(32)
        self.tokens[token] = IssuedToken(
            "guest", None, self._expiry(body), tuple(str(a) for a in addresses)
        )
        return web.json_response({"token": token}, status=201)

    # ----------------------------------------------------------------- subscribers

    async def create_subscriber(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        email = body.get("email")
        if not isinstance(email, str) or not email:
            _invalid("email", "missing_required_parameter", "email is required")
        if not _EMAIL.match(email):
            _invalid("email", "invalid_parameter", "email is not an email address")
        if any(r.email == email for r in self.subscribers.values()):
            _invalid("email", "taken", "a subscriber with this email already exists")
        record = self._new_subscriber(
            email, self._profile(body, timezone_key="timezone"), self._password(body)
        )
        return web.json_response(self._resource_json(record), status=201)

    async def fetch_subscriber(self, request: web.Request) -> web.Response:
        return web.json_response(self._resource_json(self._record(request)))

    async def update_subscriber(self, request: web.Request) -> web.Response:
        record = self._record(request)
        body = await self._json(request)
        if "email" in body:
            email = body["email"]
            if not isinstance(email, str) or not _EMAIL.match(email):
                _invalid("email", "invalid_parameter", "email is not an email address")
            record.email = email
        password = self._password(body)
        if password is not None:
            record.password = password
        record.profile.update(self._profile(body, timezone_key="timezone"))
        record.updated = self.clock()
        return web.json_response(self._resource_json(record))

    async def delete_subscriber(self, request: web.Request) -> web.Response:
        record = self._record(request)
        del self.subscribers[record.id]
        return web.Response(status=204)

    async def list_subscribers(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            size = int(query.get("page_size", "50"))
            number = int(query.get("page_number", "0"))
            start = (
                int(query.get("page_token", "PA0")[2:])
                if "page_token" in query
                else (number * size)
            )
        except ValueError:
            _fail(400, "page_size, page_number and page_token must be numbers")
        if not 1 <= size <= 1000 or number < 0 or start < 0:
            _fail(400, "page_size must be 1 to 1000 and page_number at least 0")
        rows = list(self.subscribers.values())
        chunk = rows[start : start + size]
        base = URL(origin(request) + request.path)

        def link(page: int, offset: int) -> str:
            params = {"page_number": str(page), "page_size": str(size)}
            if offset:
                params["page_token"] = f"PA{offset}"
            return str(base.with_query(params))

        links: JSONDict = {"self": link(number, start), "first": link(0, 0)}
        if start + size < len(rows):
            links["next"] = link(number + 1, start + size)
        if start > 0:
            links["prev"] = link(max(number - 1, 0), max(start - size, 0))
        return web.json_response({"data": [self._resource_json(r) for r in chunk], "links": links})
