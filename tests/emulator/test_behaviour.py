"""The API rules on top of the generic layer: Messages, Calls, Verify codes, Lookups, accounts.

These tests use the pytest plugin's fixtures (``twilio_emulator``, ``twilio_client``), as
any project that installs trunkline would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

import trunkline
from trunkline._errors import ApiError
from trunkline.testing import Emulator
from trunkline.webhooks import RequestValidator

TO, FROM = "+15558675310", "+15017122661"


class Receiver:
    """A local aiohttp handler that keeps every status callback and checks its signature."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bool]] = []
        self.token = ""
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        valid = RequestValidator(self.token).validate(self.url, form, signature)
        self.calls.append((form, valid))
        return web.Response(status=204)


@pytest.fixture
async def receiver(twilio_emulator: Emulator) -> AsyncIterator[Receiver]:
    got = Receiver()
    got.token = twilio_emulator.auth_token
    app = web.Application()
    app.router.add_post("/status", got.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    got.url = f"http://{host}:{port}/status"
    yield got
    await runner.cleanup()


async def test_message_moves_to_delivered_and_reports_signed_callbacks(
    twilio_client: Any, twilio_emulator: Emulator, receiver: Receiver
) -> None:
    """A message goes queued → sent → delivered with the clock; each step is POSTed, signed."""
    messages = twilio_client.api.v2010.messages
    sent = await messages.create(to=TO, from_=FROM, body="hi", status_callback=receiver.url)
    assert sent.sid.startswith("SM")
    assert sent.status == "queued"
    assert (
        sent.uri == f"/2010-04-01/Accounts/{twilio_emulator.account_sid}/Messages/{sent.sid}.json"
    )
    twilio_emulator.advance(1)
    assert (await messages.fetch(sent.sid)).status == "sent"
    twilio_emulator.advance(1)
    fetched = await messages.fetch(sent.sid)
    await twilio_emulator.flush()
    assert fetched.status == "delivered"
    assert fetched.date_sent is not None
    assert [(c["MessageStatus"], ok) for c, ok in receiver.calls] == [
        ("sent", True),
        ("delivered", True),
    ]
    assert receiver.calls[0][0]["MessageSid"] == sent.sid
    assert [m["body"] for m in twilio_emulator.messages.sent] == ["hi"]


async def test_message_rules_answer_twilios_codes(twilio_client: Any) -> None:
    """A To that is no phone number is 21211, a missing body 21602, a missing sender 21603."""
    messages = twilio_client.api.v2010.messages
    cases = [
        ({"to": "5551234", "from_": FROM, "body": "x"}, 21211),
        ({"to": TO, "from_": FROM}, 21602),
        ({"to": TO, "body": "x"}, 21603),
    ]
    for kwargs, code in cases:
        with pytest.raises(ApiError) as caught:
            await messages.create(**kwargs)
        assert (caught.value.status, caught.value.code) == (400, code)


async def test_message_list_filters_and_pages_in_the_2010_shape(twilio_client: Any) -> None:
    """``To`` filters by equality; pages follow ``next_page_uri`` until every message is read."""
    messages = twilio_client.api.v2010.messages
    for i in range(5):
        await messages.create(to=TO if i % 2 else "+15558675311", from_=FROM, body=str(i))
    matching = [m.body async for m in messages.stream(to=TO, page_size=1)]
    assert matching == ["1", "3"]
    page = await messages.page(page_size=2)
    assert len(page.items) == 2
    assert page.next_url is not None


async def test_call_progresses_and_reports_the_events_asked_for(
    twilio_client: Any, twilio_emulator: Emulator, receiver: Receiver
) -> None:
    """A call rings, is answered and completes; only the requested events are POSTed."""
    call = await twilio_client.api.v2010.calls.create(
        to=TO,
        from_=FROM,
        url="https://example.com/twiml",
        status_callback=receiver.url,
        status_callback_event=["ringing", "completed"],
    )
    assert call.sid.startswith("CA")
    assert call.status == "queued"
    twilio_emulator.advance(5)
    fetched = await twilio_client.api.v2010.calls.fetch(call.sid)
    await twilio_emulator.flush()
    assert fetched.status == "completed"
    assert fetched.duration == "3"
    assert [(c["CallStatus"], ok) for c, ok in receiver.calls] == [
        ("ringing", True),
        ("completed", True),
    ]


async def test_verify_sms_code_approves_and_wrong_code_stays_pending(
    twilio_client: Any, twilio_emulator: Emulator
) -> None:
    """A wrong code leaves the verification pending; the code sent approves it, then it is gone."""
    verify = twilio_client.verify.v2.services
    service = await verify.create(friendly_name="demo")
    started = await verify.verifications.create(service.sid, to=TO, channel="sms")
    assert started.status == "pending"
    assert started.sid.startswith("VE")
    code = twilio_emulator.verifications.code_for(TO)
    wrong = await verify.verification_checks.create(service.sid, to=TO, code="000000" + "1")
    assert wrong.status == "pending"
    assert wrong.valid is False
    right = await verify.verification_checks.create(service.sid, to=TO, code=code)
    assert right.status == "approved"
    assert right.valid is True
    with pytest.raises(ApiError) as caught:
        await verify.verification_checks.create(service.sid, to=TO, code=code)
    assert (caught.value.status, caught.value.code) == (404, 20404)


async def test_verify_limits_sends_checks_and_lifetime(
    twilio_client: Any, twilio_emulator: Emulator
) -> None:
    """Six sends in ten minutes is 60203, a sixth check 60202, and a code expires in ten."""
    verify = twilio_client.verify.v2.services
    service = (await verify.create(friendly_name="demo")).sid
    for _ in range(5):
        await verify.verifications.create(service, to=TO, channel="sms")
    with pytest.raises(ApiError) as caught:
        await verify.verifications.create(service, to=TO, channel="sms")
    assert (caught.value.status, caught.value.code) == (429, 60203)
    for _ in range(5):
        await verify.verification_checks.create(service, to=TO, code="999999")
    with pytest.raises(ApiError) as caught:
        await verify.verification_checks.create(service, to=TO, code="999999")
    assert (caught.value.status, caught.value.code) == (429, 60202)
    other = "+15558675399"
    await verify.verifications.create(service, to=other, channel="call")
    twilio_emulator.advance(600)
    with pytest.raises(ApiError) as caught:
        await verify.verification_checks.create(
            service, to=other, code=twilio_emulator.verifications.sent[-1][2]
        )
    assert caught.value.code == 20404


async def test_verify_channels_check_the_destination(twilio_client: Any) -> None:
    """Email needs an address and the phone channels E.164 (60200); each channel is sent."""
    verify = twilio_client.verify.v2.services
    service = (await verify.create(friendly_name="demo")).sid
    for channel, to in [("email", "ana@example.com"), ("whatsapp", TO), ("call", TO)]:
        started = await verify.verifications.create(service, to=to, channel=channel)
        assert started.channel == channel
    for channel, to in [("email", "not-an-address"), ("sms", "12345")]:
        with pytest.raises(ApiError) as caught:
            await verify.verifications.create(service, to=to, channel=channel)
        assert (caught.value.status, caught.value.code) == (400, 60200)
    with pytest.raises(ApiError) as caught:
        await verify.verifications.create("VA" + "0" * 32, to=TO, channel="sms")
    assert caught.value.code == 20404


async def test_lookups_v2_answers_deterministically(twilio_client: Any) -> None:
    """A known E.164 number is valid with country and national format; others are invalid."""
    numbers = twilio_client.lookups.v2.phone_numbers
    us = await numbers.fetch("+14155550100")
    assert (us.valid, us.country_code, us.national_format) == (True, "US", "(415) 555-0100")
    gb = await numbers.fetch("+447911123456")
    assert (gb.valid, gb.country_code, gb.calling_country_code) == (True, "GB", "44")
    bad = await numbers.fetch("+1415")
    assert bad.valid is False
    assert [str(e.value) for e in bad.validation_errors] == ["TOO_SHORT"]


async def test_subaccount_and_api_key_are_credentials_scoped_to_their_data(
    twilio_client: Any, twilio_emulator: Emulator
) -> None:
    """A subaccount's token and a new API key authenticate; a subaccount sees only its data."""
    sub = await twilio_client.api.v2010.accounts.create(friendly_name="team")
    assert sub.sid.startswith("AC")
    assert sub.owner_account_sid == twilio_emulator.account_sid
    key = await twilio_client.api.v2010.keys.create(friendly_name="ci")
    hosts = twilio_emulator.hosts
    async with trunkline.Twilio(sub.sid, sub.auth_token, hosts=hosts) as as_sub:
        mine = await as_sub.api.v2010.messages.create(to=TO, from_=FROM, body="sub")
        assert mine.account_sid == sub.sid
        with pytest.raises(ApiError) as caught:
            await as_sub.api.v2010.messages.create(
                to=TO, from_=FROM, body="x", account_sid=twilio_emulator.account_sid
            )
        assert caught.value.code == 20404
    async with trunkline.Twilio(
        twilio_emulator.account_sid, api_key=key.sid, api_secret=key.secret, hosts=hosts
    ) as as_key:
        assert (await as_key.api.v2010.messages.fetch(mine.sid, account_sid=sub.sid)).body == "sub"
    async with trunkline.Twilio(sub.sid, "wrong-token", hosts=hosts) as wrong:
        with pytest.raises(ApiError) as caught:
            await wrong.api.v2010.messages.create(to=TO, from_=FROM, body="x")
        assert (caught.value.status, caught.value.code) == (401, 20003)


async def test_verify_service_update_and_delete_act_on_the_hand_written_state(
    twilio_client: Any,
) -> None:
    """``services.update`` changes what ``fetch`` answers; ``delete`` removes the service."""
    services = twilio_client.verify.v2.services
    service = await services.create(friendly_name="before")
    updated = await services.update(service.sid, friendly_name="after", code_length=8)
    assert (updated.friendly_name, updated.code_length) == ("after", 8)
    fetched = await services.fetch(service.sid)
    assert (fetched.friendly_name, fetched.code_length) == ("after", 8)
    with pytest.raises(ApiError) as caught:
        await services.update(service.sid, code_length=3)
    assert (caught.value.status, caught.value.code) == (400, 60200)
    await services.delete(service.sid)
    with pytest.raises(ApiError) as caught:
        await services.fetch(service.sid)
    assert caught.value.code == 20404


async def test_callbacks_reach_loopback_urls_only(
    twilio_client: Any, twilio_emulator: Emulator
) -> None:
    """A status callback for a host off this machine is recorded as not delivered, never sent."""
    await twilio_client.api.v2010.messages.create(
        to=TO, from_=FROM, body="x", status_callback="https://example.com/status"
    )
    twilio_emulator.advance(2)
    await twilio_emulator.flush()
    deliveries = twilio_emulator.callbacks.deliveries
    assert [(d.params["MessageStatus"], d.status, d.error) for d in deliveries] == [
        ("sent", None, "not a loopback URL"),
        ("delivered", None, "not a loopback URL"),
    ]
