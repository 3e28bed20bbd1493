"""A recording stand-in for Twilio Verify v2 on 127.0.0.1, answering with canned bodies.

Every request is recorded as it arrived on the wire (method, raw path, query pairs, form
pairs, headers) so tests can check exactly what generated code sent. Answers are shaped
like Twilio's (fields from the Verify v2 spec, plus one field the spec does not know).
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "verify-integration-auth-token"
SERVICE_SID = "VA" + "b" * 32
IDENTITY = "ff483d1ff591898a9942916050d2ca3f"
FACTOR_SID = "YF" + "c" * 32
CHALLENGE_SID = "YC" + "d" * 32
BASIC = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
ENTITY = f"/v2/Services/{SERVICE_SID}/Entities/{IDENTITY}"
ORIGIN = "https://verify.twilio.com"


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    headers: dict[str, str] = field(default_factory=dict)


def factor_body(**overrides: Any) -> dict[str, Any]:
    """A factor as Twilio renders it."""
    body: dict[str, Any] = {
        "sid": FACTOR_SID,
        "account_sid": ACCOUNT_SID,
        "service_sid": SERVICE_SID,
        "entity_sid": "YE" + "e" * 32,
        "identity": IDENTITY,
        "date_created": "2024-02-03T04:05:06Z",
        "date_updated": "2024-02-03T04:05:07Z",
        "friendly_name": "Ana's phone",
        "status": "unverified",
        "factor_type": "totp",
        "config": {"alg": "sha1", "code_length": 6, "skew": 1, "time_step": 30},
        "metadata": {"os": "Android"},
        "url": f"{ORIGIN}{ENTITY}/Factors/{FACTOR_SID}",
        "a_field_from_the_future": {"kept": True},
    }
    body.update(overrides)
    return body


def challenge_body(**overrides: Any) -> dict[str, Any]:
    """A challenge as Twilio renders it."""
    body: dict[str, Any] = {
        "sid": CHALLENGE_SID,
        "account_sid": ACCOUNT_SID,
        "service_sid": SERVICE_SID,
        "entity_sid": "YE" + "e" * 32,
        "identity": IDENTITY,
        "factor_sid": FACTOR_SID,
        "date_created": "2024-02-03T04:05:06Z",
        "date_updated": "2024-02-03T04:05:06Z",
        "date_responded": None,
        "expiration_date": "2024-02-03T05:05:06Z",
        "status": "pending",
        "responded_reason": "none",
        "details": {
            "message": "Hi! Mr. John Doe, would you like to sign up?",
            "date": "2024-02-03T04:05:06Z",
            "fields": [{"label": "Action", "value": "Sign up in portal"}],
        },
        "hidden_details": {"ip": "172.168.1.234"},
        "metadata": None,
        "factor_type": "push",
        "url": f"{ORIGIN}{ENTITY}/Challenges/{CHALLENGE_SID}",
        "links": {"notifications": f"{ORIGIN}{ENTITY}/Challenges/{CHALLENGE_SID}/Notifications"},
    }
    body.update(overrides)
    return body


class VerifyServer:
    """Routes for factors and challenges; list pages hold ``per_page`` items each."""

    def __init__(self, *, pages: int = 2, per_page: int = 2) -> None:
        self.pages = pages
        self.per_page = per_page
        self.requests: list[Recorded] = []
        self.base_url = ""
        self._server: TestServer | None = None

    async def _record(self, request: web.Request) -> Recorded:
        text = await request.text()
        recorded = Recorded(
            method=request.method,
            path=request.raw_path.split("?", 1)[0],
            query=parse_qsl(request.query_string, keep_blank_values=True),
            form=parse_qsl(text, keep_blank_values=True),
            headers=dict(request.headers),
        )
        self.requests.append(recorded)
        return recorded

    def _list(self, request: web.Request, key: str, make: Any) -> web.Response:
        number = int(request.query.get("Page", "0"))
        size = int(request.query.get("PageSize", str(self.per_page)))
        items = [make(number, i) for i in range(self.per_page)]
        url = f"{ORIGIN}{request.path}"
        # Like Twilio, the next link repeats the list's filters.
        filters = "".join(
            f"{k}={v}&"
            for k, v in request.query.items()
            if k not in ("Page", "PageSize", "PageToken")
        )
        nxt = None
        if number + 1 < self.pages:
            nxt = f"{url}?{filters}PageSize={size}&Page={number + 1}&PageToken=PT{key}{number}"
        meta = {
            "page": number,
            "page_size": size,
            "first_page_url": f"{url}?PageSize={size}&Page=0",
            "previous_page_url": None,
            "url": f"{url}?PageSize={size}&Page={number}",
            "next_page_url": nxt,
            "key": key,
        }
        return web.json_response({key: items, "meta": meta})

    async def create_factor(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        form = dict(recorded.form)
        binding: dict[str, Any] = {}
        if form.get("FactorType") == "totp":
            binding = {"secret": "GEZDGNBVGY3TQOJQ", "uri": "otpauth://totp/x?secret=GEZ"}
        return web.json_response(
            factor_body(
                friendly_name=form.get("FriendlyName"),
                factor_type=form.get("FactorType"),
                binding=binding,
                options=None,
            ),
            status=201,
        )

    async def fetch_factor(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response(factor_body(sid=request.match_info["Sid"], status="verified"))

    async def update_factor(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        form = dict(recorded.form)
        return web.json_response(
            factor_body(status="verified", friendly_name=form.get("FriendlyName", "Ana's phone"))
        )

    async def delete_factor(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.Response(status=204)

    async def list_factors(self, request: web.Request) -> web.Response:
        await self._record(request)
        return self._list(request, "factors", lambda n, i: factor_body(sid=f"YF{n:016d}{i:016d}"))

    async def create_challenge(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response(challenge_body(), status=201)

    async def fetch_challenge(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response(challenge_body(sid=request.match_info["Sid"]))

    async def update_challenge(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response(
            challenge_body(
                status="approved", date_responded="2024-02-03T04:06:00Z", responded_reason="none"
            )
        )

    async def list_challenges(self, request: web.Request) -> web.Response:
        await self._record(request)
        status = request.query.get("Status", "pending")
        return self._list(
            request,
            "challenges",
            lambda n, i: challenge_body(sid=f"YC{n:016d}{i:016d}", status=status),
        )

    def app(self) -> web.Application:
        app = web.Application()
        r = app.router
        r.add_post(f"{ENTITY}/Factors", self.create_factor)
        r.add_get(f"{ENTITY}/Factors", self.list_factors)
        r.add_get(f"{ENTITY}/Factors/{{Sid}}", self.fetch_factor)
        r.add_post(f"{ENTITY}/Factors/{{Sid}}", self.update_factor)
        r.add_delete(f"{ENTITY}/Factors/{{Sid}}", self.delete_factor)
        r.add_post(f"{ENTITY}/Challenges", self.create_challenge)
        r.add_get(f"{ENTITY}/Challenges", self.list_challenges)
        r.add_get(f"{ENTITY}/Challenges/{{Sid}}", self.fetch_challenge)
        r.add_post(f"{ENTITY}/Challenges/{{Sid}}", self.update_challenge)
        return app

    async def __aenter__(self) -> VerifyServer:
        self._server = TestServer(self.app(), host="127.0.0.1", port=0)
        await self._server.start_server()
        self.base_url = str(self._server.make_url("")).rstrip("/")
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        await self._server.close()


async def running(**kwargs: Any) -> AsyncIterator[VerifyServer]:
    """A fixture body: one server for one test."""
    async with VerifyServer(**kwargs) as server:
        yield server


def assert_form_post(recorded: Recorded, path: str, form: list[tuple[str, str]]) -> None:
    """The request was a form POST to ``path`` with exactly these pairs, with basic auth."""
    assert recorded.method == "POST"
    assert recorded.path == path
    assert recorded.query == []
    assert sorted(recorded.form) == sorted(form)
    assert recorded.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert recorded.headers["Authorization"] == BASIC
