"""The generic layer on the wire: spec checks, Twilio's error body, SIDs, dates, paging, state.

Raw aiohttp requests, so what is asserted is what a client of any language receives.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from trunkline.testing import Emulator, read_credentials
from trunkline.testing._store import Store

from .conftest import basic

FROM = "+15017122661"


@pytest.fixture
async def api(twilio_emulator: Emulator) -> AsyncIterator[aiohttp.ClientSession]:
    auth = {"Authorization": basic(twilio_emulator.account_sid, twilio_emulator.auth_token)}
    async with aiohttp.ClientSession(twilio_emulator.url, headers=auth) as session:
        yield session


async def _json(response: aiohttp.ClientResponse) -> Any:
    return json.loads(await response.text())


def _messages(emu: Emulator) -> str:
    return f"/2010-04-01/Accounts/{emu.account_sid}/Messages.json"


async def test_enum_and_type_errors_name_the_parameter(
    api: aiohttp.ClientSession, twilio_emulator: Emulator
) -> None:
    """A value outside its enum or of the wrong type is a 400 in Twilio's shape naming it."""
    base = {"To": "+15558675310", "From": FROM, "Body": "x"}
    for extra, name in [({"TrafficType": "bogus"}, "TrafficType"), ({"Attempt": "two"}, "Attempt")]:
        async with api.post(_messages(twilio_emulator), data={**base, **extra}) as r:
            body = await _json(r)
        assert r.status == 400
        assert body["code"] == 20400
        assert name in body["message"]
        assert body["more_info"] == "https://www.twilio.com/docs/errors/20400"


async def test_missing_required_parameter_is_a_400(api: aiohttp.ClientSession) -> None:
    """A required parameter left out is refused before anything is stored."""
    async with api.post("/chat.twilio.com/v2/Services", data={}) as r:
        body = await _json(r)
    assert (r.status, body["code"]) == (400, 20400)
    assert "FriendlyName" in body["message"]


async def test_unknown_sid_is_twilio_404_and_wrong_method_405(
    api: aiohttp.ClientSession, twilio_emulator: Emulator
) -> None:
    """An unknown SID answers 404 / 20404; a method the path lacks answers 405 / 20004."""
    path = f"/2010-04-01/Accounts/{twilio_emulator.account_sid}/Messages/SM{'0' * 32}.json"
    async with api.get(path) as r:
        body = await _json(r)
    assert (r.status, body["code"], body["status"]) == (404, 20404, 404)
    async with api.put(_messages(twilio_emulator)) as r:
        assert (r.status, (await _json(r))["code"]) == (405, 20004)


async def test_sid_prefix_dates_and_links_follow_the_spec(api: aiohttp.ClientSession) -> None:
    """A Chat service gets an ``IS`` SID, ISO dates, its URL and links to its child lists."""
    async with api.post("/chat.twilio.com/v2/Services", data={"FriendlyName": "x"}) as r:
        service = await _json(r)
    assert service["sid"].startswith("IS")
    assert len(service["sid"]) == 34
    assert service["date_created"].endswith("Z")
    assert service["url"] == f"https://chat.twilio.com/v2/Services/{service['sid']}"
    assert service["links"]["channels"] == service["url"] + "/Channels"


async def test_hosts_sharing_a_path_keep_their_own_state(api: aiohttp.ClientSession) -> None:
    """``/v1/Services`` of Chat and of Sync are different collections, told apart by host."""
    async with api.post("/chat.twilio.com/v1/Services", data={"FriendlyName": "c"}) as r:
        chat = await _json(r)
    async with api.post("/sync.twilio.com/v1/Services", data={"FriendlyName": "s"}) as r:
        sync = await _json(r)
    assert (chat["sid"][:2], sync["sid"][:2]) == ("IS", "IS")
    async with api.get("/sync.twilio.com/v1/Services") as r:
        listed = await _json(r)
    assert [s["friendly_name"] for s in listed["services"]] == ["s"]
    assert listed["meta"]["key"] == "services"
    async with api.get(f"/chat.twilio.com/v1/Services/{sync['sid']}") as r:
        assert r.status == 404


async def test_update_merges_and_delete_removes(api: aiohttp.ClientSession) -> None:
    """An update changes only what it names; after a delete the resource is gone."""
    async with api.post("/chat.twilio.com/v2/Services", data={"FriendlyName": "old"}) as r:
        sid = (await _json(r))["sid"]
    path = f"/chat.twilio.com/v2/Services/{sid}"
    async with api.post(path, data={"ReadStatusEnabled": "true"}) as r:
        updated = await _json(r)
    assert (updated["friendly_name"], updated["read_status_enabled"]) == ("old", True)
    async with api.delete(path) as r:
        assert r.status == 204
    async with api.get(path) as r:
        assert r.status == 404


async def test_2010_lists_filter_by_date_and_page_by_uri(
    api: aiohttp.ClientSession, twilio_emulator: Emulator
) -> None:
    """``DateSent<``/``DateSent>`` compare dates; pages link with ``next_page_uri``."""
    for i in range(3):
        data = {"To": "+15558675310", "From": FROM, "Body": str(i)}
        async with api.post(_messages(twilio_emulator), data=data) as r:
            sent = await _json(r)
            assert sent["date_created"].endswith("+0000")
    twilio_emulator.advance(1)
    path = _messages(twilio_emulator)
    async with api.get(path, params={"DateSent>": "2000-01-01", "PageSize": "2"}) as r:
        first = await _json(r)
    assert [m["body"] for m in first["messages"]] == ["0", "1"]
    assert first["next_page_uri"].startswith(path + "?")
    async with api.get(first["next_page_uri"]) as r:
        second = await _json(r)
    assert [m["body"] for m in second["messages"]] == ["2"]
    assert second["next_page_uri"] is None
    async with api.get(path, params={"DateSent<": "2000-01-01"}) as r:
        assert (await _json(r))["messages"] == []


def test_store_keeps_a_bounded_number_of_resources() -> None:
    """Past its limit the store drops the oldest resources, so memory stays flat."""
    store = Store(limit=1000)
    for i in range(100_000):
        store.put(("", "h", "/c"), str(i), {"i": i})
    assert len(store) == 1000
    assert store.get(("", "h", "/c"), "99000") is not None
    assert store.get(("", "h", "/c"), "0") is None
    assert len(store.items(("", "h", "/c"))) == 1000


async def test_command_serves_every_spec() -> None:
    """``python -m trunkline.testing --port 0`` answers a generic create (Messages)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "trunkline.testing", "--port", "0", stdout=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        info = await read_credentials(proc.stdout)
        auth = {"Authorization": basic(info["account_sid"], info["auth_token"])}
        path = f"/2010-04-01/Accounts/{info['account_sid']}/Messages.json"
        data = {"To": "+15558675310", "From": FROM, "Body": "cli"}
        async with (
            aiohttp.ClientSession(info["url"], headers=auth) as s,
            s.post(path, data=data) as r,
        ):
            assert r.status == 201
            assert (await _json(r))["sid"].startswith("SM")
    finally:
        proc.terminate()
        await proc.wait()
