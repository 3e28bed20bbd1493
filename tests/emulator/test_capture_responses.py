"""trunkline.capture_responses(): status, headers and request id of each call, on the emulator."""

from __future__ import annotations

import asyncio

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response
from trunkline.testing import Emulator
from trunkline.testing._verify import SIGNATURE_FIELDS
from trunkline.tokens.totp import Totp

CHALLENGE = "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}"
IDENTITY = "user-1234"
SERVICE = "VA" + "1" * 32


async def _challenge(tw: trunkline.Twilio) -> tuple[str, str]:
    service = await tw.verify.v2.services.create(friendly_name="Acme")
    factor = await tw.verify.v2.services.entities.factors.create(
        service.sid, IDENTITY, factor_type="totp", friendly_name="phone"
    )
    code = Totp.from_uri(factor.binding["uri"]).code()
    await tw.verify.v2.services.entities.factors.update(
        service.sid, IDENTITY, factor.sid, auth_payload=code
    )
    challenge = await tw.verify.v2.services.entities.challenges.create(
        service.sid, IDENTITY, factor_sid=factor.sid
    )
    return service.sid, challenge.sid


async def test_a_fetch_records_status_headers_and_request_id(emu: Emulator) -> None:
    """A challenge fetch inside the block records its 200, the signature-fields header and id."""
    async with emu.twilio() as tw:
        service_sid, sid = await _challenge(tw)
        with trunkline.capture_responses() as responses:
            await tw.verify.v2.services.entities.challenges.fetch(service_sid, IDENTITY, sid)
    [only] = responses
    assert only is responses.last
    assert (only.status, only.method, only.path, only.attempt) == (200, "GET", CHALLENGE, 1)
    assert only.operation == "FetchChallenge"
    fields = only.headers["twilio-verify-signature-fields"]
    assert fields == only.headers["Twilio-Verify-Signature-Fields"]
    assert fields.split(",") == list(SIGNATURE_FIELDS)
    assert only.request_id is not None
    assert only.request_id.startswith("RQ")
    assert only.request_id == only.headers["Twilio-Request-Id"]


async def test_records_hold_no_filled_path_and_headers_are_read_only(emu: Emulator) -> None:
    """A record names the template, not the identity or SIDs, and its headers cannot change."""
    async with emu.twilio() as tw:
        service_sid, sid = await _challenge(tw)
        with trunkline.capture_responses() as responses:
            await tw.verify.v2.services.entities.challenges.fetch(service_sid, IDENTITY, sid)
    shown = repr(responses.last) + repr(responses)
    for value in (IDENTITY, service_sid, sid):
        assert value not in shown
        assert value not in responses.last.path
    with pytest.raises(TypeError):
        responses.last.headers["X-Extra"] = "1"  # type: ignore[index]


async def test_each_page_and_a_delete_are_recorded(emu: Emulator) -> None:
    """A listing of three pages records three responses, a delete its empty answer."""
    async with emu.twilio() as tw:
        service_sid, _ = await _challenge(tw)
        for _ in range(4):
            await tw.verify.v2.services.entities.create(service_sid, identity=f"user-{_:04d}-x")
        with trunkline.capture_responses() as responses:
            entities = await tw.verify.v2.services.entities.list(service_sid, page_size=2)
            await tw.verify.v2.services.delete(service_sid)
    assert len(entities) == 5
    assert [r.status for r in responses] == [200, 200, 200, 204]
    assert [r.method for r in responses] == ["GET", "GET", "GET", "DELETE"]
    assert responses[0].path == responses[2].path == "/v2/Services/{ServiceSid}/Entities"


async def test_tasks_started_inside_record_and_calls_outside_do_not(emu: Emulator) -> None:
    """Tasks gathered inside the block record into it; calls after it ends record nothing."""
    async with emu.twilio() as tw:
        service_sid, sid = await _challenge(tw)
        with trunkline.capture_responses() as responses:
            await asyncio.gather(
                *(
                    tw.verify.v2.services.entities.challenges.fetch(service_sid, IDENTITY, sid)
                    for _ in range(3)
                )
            )
        await tw.verify.v2.services.entities.challenges.fetch(service_sid, IDENTITY, sid)
    assert len(responses) == 3


async def test_blocks_nest() -> None:
    """A call inside an inner block is in both logs; one between them only in the outer."""
    ok = Response(200, {"Twilio-Request-Id": "RQ1"}, json={"sid": SERVICE})
    transport = MockTransport(lambda request: ok)
    async with trunkline.Twilio("AC" + "0" * 32, "token", transport=transport) as tw:
        with trunkline.capture_responses() as outer:
            await tw.verify.v2.services.fetch(SERVICE)
            with trunkline.capture_responses() as inner:
                await tw.verify.v2.services.fetch(SERVICE)
    assert (len(outer), len(inner)) == (2, 1)
    assert inner.last is outer.last


async def test_each_attempt_is_recorded_without_cookies() -> None:
    """A 503 retried into a 200 records both attempts; Set-Cookie never reaches a record."""
    answers = iter(
        [Response(503, {"Set-Cookie": "session=secret"}), Response(200, json={"sid": SERVICE})]
    )

    def handler(request: Request) -> Response:
        return next(answers)

    async def no_wait(delay: float) -> None:
        return None

    retry = trunkline.RetryPolicy(attempts=2, sleep=no_wait)
    transport = MockTransport(handler)
    async with trunkline.Twilio("AC" + "0" * 32, "token", transport=transport, retry=retry) as tw:
        with trunkline.capture_responses() as responses:
            await tw.verify.v2.services.fetch(SERVICE)
    assert [(r.status, r.attempt) for r in responses] == [(503, 1), (200, 2)]
    assert "Set-Cookie" not in responses[0].headers
    assert responses[0].request_id is None


def test_an_empty_log_has_no_last() -> None:
    """Asking for the last response of a block that received none is an IndexError."""
    with trunkline.capture_responses() as responses, pytest.raises(IndexError):
        _ = responses.last
