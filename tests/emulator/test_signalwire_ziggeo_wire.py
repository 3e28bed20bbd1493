"""SignalWire Fabric and Ziggeo in the emulator, over raw HTTP."""

from __future__ import annotations

import json
import uuid
from typing import Any

import aiohttp

from trunkline.testing import Emulator
from trunkline.tokens import ziggeo

from .conftest import Clock, basic

Session = aiohttp.ClientSession


async def _call(s: Session, method: str, path: str, status: int = 200, **kw: Any) -> Any:
    async with s.request(method, path, **kw) as r:
        text = await r.text()
        body = json.loads(text) if text else None
        assert r.status == status, body
        return body


def _sw(emu: Emulator) -> dict[str, str]:
    return {"Authorization": basic(emu.signalwire_project_id, emu.signalwire_api_token)}


def _zg(emu: Emulator) -> dict[str, str]:
    return {"Authorization": basic(emu.ziggeo_app_token, emu.ziggeo_private_key)}


async def test_signalwire_wrong_credentials(raw_http: Session, emu: Emulator) -> None:
    """Wrong SignalWire credentials (even Twilio's) get 401 with ``{"error": ...}``."""
    twilio = {"Authorization": basic(emu.account_sid, emu.auth_token)}
    body = await _call(
        raw_http,
        "POST",
        "/api/fabric/subscribers/tokens",
        401,
        json={"reference": "a@b.c"},
        headers=twilio,
    )
    assert set(body) == {"error"}


async def test_subscriber_token_refreshes_once(raw_http: Session, emu: Emulator) -> None:
    """A subscriber token pair's refresh token works exactly once and yields a new pair."""
    made = await _call(
        raw_http,
        "POST",
        "/api/fabric/subscribers/tokens",
        json={"reference": "ana@example.com"},
        headers=_sw(emu),
    )
    uuid.UUID(made["subscriber_id"])
    assert emu.signalwire.token_valid(made["token"])
    refresh = {"refresh_token": made["refresh_token"]}
    fresh = await _call(
        raw_http, "POST", "/api/fabric/subscribers/tokens/refresh", json=refresh, headers=_sw(emu)
    )
    assert set(fresh) == {"token", "refresh_token"}
    assert fresh["token"] != made["token"]
    again = await _call(
        raw_http,
        "POST",
        "/api/fabric/subscribers/tokens/refresh",
        401,
        json=refresh,
        headers=_sw(emu),
    )
    assert "already" in again["error"]
    same = await _call(
        raw_http,
        "POST",
        "/api/fabric/subscribers/tokens",
        json={"reference": "ana@example.com"},
        headers=_sw(emu),
    )
    assert same["subscriber_id"] == made["subscriber_id"]


async def test_subscriber_token_expiry(raw_http: Session, emu: Emulator, clock: Clock) -> None:
    """A token lives until its ``expire_at`` (two hours by default)."""
    made = await _call(
        raw_http,
        "POST",
        "/api/fabric/subscribers/tokens",
        json={"reference": "bo@example.com", "expire_at": int(clock.now) + 60},
        headers=_sw(emu),
    )
    default = await _call(
        raw_http,
        "POST",
        "/api/fabric/subscribers/tokens",
        json={"reference": "bo@example.com"},
        headers=_sw(emu),
    )
    clock.now += 61
    assert not emu.signalwire.token_valid(made["token"])
    assert emu.signalwire.token_valid(default["token"])
    clock.now += 2 * 3600
    assert not emu.signalwire.token_valid(default["token"])


async def test_signalwire_validation_errors(raw_http: Session, emu: Emulator) -> None:
    """Missing reference, a bad uuid or a short password answer 422 with field errors."""
    for body, attribute in (
        ({}, "reference"),
        ({"reference": "x", "application_id": "nope"}, "application_id"),
        ({"reference": "x", "password": "7chars!"}, "password"),
    ):
        answer = await _call(
            raw_http, "POST", "/api/fabric/subscribers/tokens", 422, json=body, headers=_sw(emu)
        )
        [error] = answer["errors"]
        assert error["attribute"] == attribute
        assert set(error) == {"type", "code", "message", "attribute", "url"}
    guests = await _call(
        raw_http,
        "POST",
        "/api/fabric/guests/tokens",
        422,
        json={"allowed_addresses": [str(uuid.uuid4())] * 11},
        headers=_sw(emu),
    )
    assert guests["errors"][0]["attribute"] == "allowed_addresses"
    guest = await _call(
        raw_http,
        "POST",
        "/api/fabric/guests/tokens",
        201,
        json={"allowed_addresses": [str(uuid.uuid4())]},
        headers=_sw(emu),
    )
    assert emu.signalwire.token_valid(guest["token"])


async def test_subscribers_crud_and_links_paging(raw_http: Session, emu: Emulator) -> None:
    """Subscribers are created, fetched, updated, deleted and listed page by page via links."""
    base = "/api/fabric/resources/subscribers"
    made = [
        await _call(
            raw_http, "POST", base, 201, json={"email": f"u{n}@example.com"}, headers=_sw(emu)
        )
        for n in range(7)
    ]
    first = made[0]
    assert first["type"] == "subscriber"
    assert first["subscriber"]["email"] == "u0@example.com"
    await _call(raw_http, "POST", base, 422, json={"email": "u0@example.com"}, headers=_sw(emu))
    changed = await _call(
        raw_http,
        "PUT",
        f"{base}/{first['id']}",
        json={"first_name": "Ana", "timezone": "Europe/Lisbon"},
        headers=_sw(emu),
    )
    assert changed["subscriber"]["first_name"] == "Ana"
    assert changed["subscriber"]["timezone"] == "Europe/Lisbon"
    await _call(raw_http, "DELETE", f"{base}/{first['id']}", 204, headers=_sw(emu))
    missing = await _call(raw_http, "GET", f"{base}/{first['id']}", 404, headers=_sw(emu))
    assert set(missing) == {"error"}
    seen, url, pages = [], f"{base}?page_size=3", 0
    while url:
        page = await _call(raw_http, "GET", url, headers=_sw(emu))
        seen += [item["id"] for item in page["data"]]
        url = page["links"].get("next")
        pages += 1
        assert url is None or url.startswith(emu.url)
    assert pages == 2
    assert seen == [m["id"] for m in made[1:]]


async def test_ziggeo_auth_tokens_crud(raw_http: Session, emu: Emulator, clock: Clock) -> None:
    """Auth tokens are created with form fields, found by token or key, updated and destroyed."""
    wrong = await _call(
        raw_http,
        "GET",
        "/v1/authtokens/x",
        401,
        headers={"Authorization": basic(emu.ziggeo_app_token, "bad")},
    )
    assert "error" in wrong
    form = {
        "grants": '{"read": {"resources": ["v1"]}}',
        "session_limit": "3",
        "volatile": "true",
        "key": "ana-upload",
        "expiration_date": str(int(clock.now) + 60),
    }
    made = await _call(raw_http, "POST", "/v1/authtokens/", data=form, headers=_zg(emu))
    assert made["grants"] == {"read": {"resources": ["v1"]}}
    assert made["session_limit"] == 3
    assert made["volatile"] is True
    by_key = await _call(raw_http, "GET", "/v1/authtokens/ana-upload", headers=_zg(emu))
    assert by_key["token"] == made["token"]
    updated = await _call(
        raw_http,
        "POST",
        f"/v1/authtokens/{made['token']}",
        data={"session_limit": "5"},
        headers=_zg(emu),
    )
    assert updated["session_limit"] == 5
    await _call(raw_http, "POST", "/v1/authtokens/", 400, data={"grants": "[1]"}, headers=_zg(emu))
    clock.now += 61
    await _call(raw_http, "GET", f"/v1/authtokens/{made['token']}", 404, headers=_zg(emu))
    other = await _call(raw_http, "POST", "/v1/authtokens/", data={}, headers=_zg(emu))
    await _call(raw_http, "DELETE", f"/v1/authtokens/{other['token']}", headers=_zg(emu))
    await _call(raw_http, "GET", f"/v1/authtokens/{other['token']}", 404, headers=_zg(emu))


async def test_ziggeo_client_token_check(raw_http: Session, emu: Emulator) -> None:
    """A client token made with the app's encryption key checks out; others are refused."""
    options = {"grants": {"read": {"resources": ["v1"]}}}
    good = ziggeo.generate(emu.ziggeo_app_token, emu.ziggeo_encryption_key, options)
    assert emu.ziggeo.check_client_token(good)["grants"] == options["grants"]
    check = "/_emulator/ziggeo/client-tokens/check"
    answer = await _call(raw_http, "POST", check, data={"token": good}, headers=_zg(emu))
    assert answer["options"]["application_token"] == emu.ziggeo_app_token
    stranger = ziggeo.generate("another-app", emu.ziggeo_encryption_key, options)
    wrong_key = ziggeo.generate(emu.ziggeo_app_token, "not-the-key", options)
    for token in (stranger, wrong_key, "00" * 40):
        await _call(raw_http, "POST", check, 401, data={"token": token}, headers=_zg(emu))


async def test_ziggeo_client_token_check_needs_credentials(
    raw_http: Session, emu: Emulator
) -> None:
    """The client-token check refuses callers without the app's token and private key."""
    good = ziggeo.generate(emu.ziggeo_app_token, emu.ziggeo_encryption_key, {})
    check = "/_emulator/ziggeo/client-tokens/check"
    wrong = {"Authorization": basic(emu.ziggeo_app_token, "not-the-private-key")}
    for headers in ({}, wrong):
        async with raw_http.post(check, data={"token": good}, headers=headers) as r:
            assert r.status == 401
            assert emu.ziggeo_app_token not in await r.text()


async def test_ziggeo_videos_page_by_offset(raw_http: Session, emu: Emulator) -> None:
    """The video index pages with skip and limit, newest first unless reversed."""
    emu.ziggeo.seed_videos(5)
    page = await _call(raw_http, "GET", "/v1/videos/?limit=2&skip=1", headers=_zg(emu))
    assert [v["key"] for v in page] == ["video-4", "video-3"]
    oldest = await _call(raw_http, "GET", "/v1/videos/?limit=1&reverse=true", headers=_zg(emu))
    assert oldest[0]["key"] == "video-1"
