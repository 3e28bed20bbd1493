"""The generated clients driven against the emulator through every flow of the issue."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

import trunkline
from trunkline.testing import Emulator, Fault
from trunkline.tokens import WorkerCapability, ziggeo
from trunkline.tokens.push import PushKey, signature_fields
from trunkline.tokens.totp import Totp

from .conftest import Clock

ID = "user-1234"


async def _no_wait(delay: float) -> None:
    """A RetryPolicy sleep that returns at once: the fault tests count retries, not time."""


def v(field: Any) -> Any:
    """An enum field's wire value."""
    return field.value if isinstance(field, enum.Enum) else field


@pytest.fixture
async def tw(emu: Emulator) -> AsyncIterator[trunkline.Twilio]:
    async with emu.twilio() as client:
        yield client


async def _service(tw: trunkline.Twilio) -> str:
    return str((await tw.verify.v2.services.create(friendly_name="Acme")).sid)


async def _verified_totp(tw: trunkline.Twilio, service: str, clock: Clock) -> tuple[str, Totp]:
    factor = await tw.verify.v2.services.entities.factors.create(
        service, ID, factor_type="totp", friendly_name="phone", config_code_length=8
    )
    totp = Totp.from_uri(factor.binding["uri"])
    assert totp.digits == 8
    done = await tw.verify.v2.services.entities.factors.update(
        service, ID, factor.sid, auth_payload=totp.code(clock.now)
    )
    assert v(done.status) == "verified"
    return str(factor.sid), totp


async def test_wrong_credentials_raise_authentication_error(emu: Emulator) -> None:
    """A client with a wrong auth token gets AuthenticationError carrying code 20003."""
    async with trunkline.Twilio(emu.account_sid, "wrong-token", base_url=emu.url) as bad:
        with pytest.raises(trunkline.AuthenticationError) as caught:
            await bad.verify.v2.services.list()
    assert caught.value.status == 401
    assert caught.value.code == 20003


async def test_services_create_fetch_list(tw: trunkline.Twilio, emu: Emulator) -> None:
    """Services round-trip through the generated models; a missing one raises NotFoundError."""
    made = await tw.verify.v2.services.create(friendly_name="Acme", totp_issuer="Acme Inc")
    fetched = await tw.verify.v2.services.fetch(made.sid)
    assert fetched.friendly_name == "Acme"
    assert fetched.totp["issuer"] == "Acme Inc"
    assert isinstance(fetched.date_created, dt.datetime)
    assert [s.sid for s in await tw.verify.v2.services.list()] == [made.sid]
    with pytest.raises(trunkline.NotFoundError) as caught:
        await tw.verify.v2.services.fetch("VA" + "0" * 32)
    assert caught.value.code == 20404


async def test_totp_factor_lifecycle(tw: trunkline.Twilio, clock: Clock) -> None:
    """A TOTP factor is created, verified by code, listed, fetched and deleted."""
    service = await _service(tw)
    with pytest.raises(trunkline.BadRequestError, match=r"Config\.TimeStep"):
        await tw.verify.v2.services.entities.factors.create(
            service, ID, factor_type="totp", friendly_name="x", config_time_step=10
        )
    sid, _ = await _verified_totp(tw, service, clock)
    fetched = await tw.verify.v2.services.entities.factors.fetch(service, ID, sid)
    assert fetched.config["code_length"] == 8
    assert [f.sid for f in await tw.verify.v2.services.entities.factors.list(service, ID)] == [sid]
    assert await tw.verify.v2.services.entities.factors.delete(service, ID, sid) is None
    with pytest.raises(trunkline.NotFoundError):
        await tw.verify.v2.services.entities.factors.fetch(service, ID, sid)


async def test_totp_challenges(tw: trunkline.Twilio, clock: Clock) -> None:
    """A code on create approves a challenge; a wrong code on update denies one."""
    service = await _service(tw)
    sid, totp = await _verified_totp(tw, service, clock)
    approved = await tw.verify.v2.services.entities.challenges.create(
        service, ID, factor_sid=sid, auth_payload=totp.code(clock.now)
    )
    assert v(approved.status) == "approved"
    pending = await tw.verify.v2.services.entities.challenges.create(service, ID, factor_sid=sid)
    wrong = str((int(totp.code(clock.now)) + 1) % 10**8).zfill(8)
    denied = await tw.verify.v2.services.entities.challenges.update(
        service, ID, pending.sid, auth_payload=wrong
    )
    assert v(denied.status) == "denied"


async def test_push_challenge_through_clients(emu: Emulator, tw: trunkline.Twilio) -> None:
    """A push challenge with details is approved by a JWT over the header's fields."""
    seen: dict[str, Any] = {}

    async def keep(request: trunkline.Request, handler: Any) -> trunkline.Response:
        response: trunkline.Response = await handler(request)
        if "Twilio-Verify-Signature-Fields" in response.headers:
            seen["fields"] = signature_fields(
                json.loads(response.content), response.headers["Twilio-Verify-Signature-Fields"]
            )
        return response

    service = await _service(tw)
    key = PushKey.generate()
    factor = await tw.verify.v2.services.entities.factors.create(
        service,
        ID,
        factor_type="push",
        friendly_name="Pixel",
        binding_alg="ES256",
        binding_public_key=key.public_key,
        metadata={"os": "Android"},
    )
    assert factor.metadata == {"os": "Android"}
    await tw.verify.v2.services.entities.factors.update(
        service, ID, factor.sid, auth_payload=key.sign_factor(factor.sid)
    )
    expires = dt.datetime.fromtimestamp(emu.now() + 600, tz=dt.UTC)
    challenge = await tw.verify.v2.services.entities.challenges.create(
        service,
        ID,
        factor_sid=factor.sid,
        details_message="Pay $42?",
        details_fields=[{"label": "Amount", "value": "$42"}],
        hidden_details={"ip": "10.0.0.1"},
        expiration_date=expires,
    )
    assert challenge.details["fields"] == [{"label": "Amount", "value": "$42"}]
    assert challenge.hidden_details == {"ip": "10.0.0.1"}
    assert challenge.expiration_date == expires.replace(microsecond=0)
    async with emu.twilio(middlewares=[keep]) as phone:
        await phone.verify.v2.services.entities.challenges.fetch(service, ID, challenge.sid)
        with pytest.raises(trunkline.BadRequestError):
            await phone.verify.v2.services.entities.challenges.update(
                service,
                ID,
                challenge.sid,
                auth_payload=PushKey.generate().approve_challenge(seen["fields"]),
            )
        done = await phone.verify.v2.services.entities.challenges.update(
            service,
            ID,
            challenge.sid,
            auth_payload=key.approve_challenge(seen["fields"]),
            metadata={"os": "Android"},
        )
    assert v(done.status) == "approved"
    assert done.metadata == {"os": "Android"}


async def test_challenge_filters_paging_and_stream(
    emu: Emulator, tw: trunkline.Twilio, clock: Clock
) -> None:
    """Lists filter by factor and status, order both ways and page 1,000 at a time."""
    service = await _service(tw)
    sid, totp = await _verified_totp(tw, service, clock)
    await tw.verify.v2.services.entities.challenges.create(
        service, ID, factor_sid=sid, auth_payload=totp.code(clock.now)
    )
    seeded = emu.verify.seed_challenges(service, ID, sid, 2100, message="Seeded")
    page = await tw.verify.v2.services.entities.challenges.page(
        service, ID, page_size=1000, status="pending"
    )
    assert len(page.items) == 1000
    assert page.has_next
    second = await page.next_page()
    assert second is not None
    assert len(second.items) == 1000
    statuses: Counter[str] = Counter()
    async for challenge in tw.verify.v2.services.entities.challenges.stream(
        service, ID, page_size=1000
    ):
        statuses[v(challenge.status)] += 1
    assert statuses == {"pending": 2100, "approved": 1}
    [oldest] = await tw.verify.v2.services.entities.challenges.list(service, ID, limit=1)
    assert v(oldest.status) == "approved"
    [newest] = await tw.verify.v2.services.entities.challenges.list(
        service, ID, order="desc", limit=1
    )
    assert newest.sid == seeded[-1].sid
    approved = await tw.verify.v2.services.entities.challenges.list(
        service, ID, status="approved", factor_sid=sid
    )
    assert len(approved) == 1
    assert (
        await tw.verify.v2.services.entities.challenges.list(
            service, ID, factor_sid="YF" + "0" * 32
        )
        == []
    )
    limited = await tw.verify.v2.services.entities.challenges.list(
        service, ID, limit=1500, page_size=1000
    )
    assert len(limited) == 1500


async def test_expired_challenge_through_clients(
    emu: Emulator, tw: trunkline.Twilio, clock: Clock
) -> None:
    """An expired TOTP challenge reads as expired and refuses even the right code."""
    service = await _service(tw)
    sid, totp = await _verified_totp(tw, service, clock)
    challenge = await tw.verify.v2.services.entities.challenges.create(service, ID, factor_sid=sid)
    clock.now += 301
    assert (
        v(
            (
                await tw.verify.v2.services.entities.challenges.fetch(service, ID, challenge.sid)
            ).status
        )
        == "expired"
    )
    with pytest.raises(trunkline.BadRequestError, match="expired"):
        await tw.verify.v2.services.entities.challenges.update(
            service, ID, challenge.sid, auth_payload=totp.code(clock.now)
        )


async def test_taskrouter_flow_and_worker_token(emu: Emulator, tw: trunkline.Twilio) -> None:
    """Workers, tasks and reservations work; a worker token is checked against its policies."""
    tr = tw.taskrouter.v1.workspaces
    ws = await tr.create(friendly_name="Support")
    [available] = await tr.activities.list(ws.sid, friendly_name="Available")
    worker = await tr.workers.create(ws.sid, friendly_name="Ana", attributes='{"lang": "pt"}')
    task = await tr.tasks.create(ws.sid, attributes='{"call": "CA1"}')
    assert v(task.assignment_status) == "pending"
    # Signed at the emulator's (frozen) time: on a slow machine the wall clock has moved on
    # since the fixture read it, and a token starting later is not valid yet.
    base = WorkerCapability.new(
        worker.sid, ws.sid, account_sid=emu.account_sid, auth_token=emu.auth_token
    ).starting_at(int(emu.now()))
    reader = {"X-Twilio-Token": base.token()}
    writer = {"X-Twilio-Token": base.allow_activity_updates().allow_reservation_updates().token()}
    assert (await tr.workers.fetch(ws.sid, worker.sid, headers=reader)).friendly_name == "Ana"
    with pytest.raises(trunkline.PermissionDeniedError):
        await tr.workers.update(ws.sid, worker.sid, activity_sid=available.sid, headers=reader)
    with pytest.raises(trunkline.PermissionDeniedError):
        await tr.workers.update(ws.sid, worker.sid, friendly_name="Eve", headers=writer)
    updated = await tr.workers.update(
        ws.sid, worker.sid, activity_sid=available.sid, headers=writer
    )
    assert updated.activity_name == "Available"
    [reservation] = await tr.workers.reservations.list(ws.sid, worker.sid, headers=writer)
    accepted = await tr.tasks.reservations.update(
        ws.sid, task.sid, reservation.sid, reservation_status="accepted", headers=writer
    )
    assert v(accepted.reservation_status) == "accepted"
    assert v((await tr.tasks.fetch(ws.sid, task.sid)).assignment_status) == "assigned"
    expired = base.with_ttl(60).starting_at(int(emu.now()) - 120).token()
    with pytest.raises(trunkline.AuthenticationError):
        await tr.workers.fetch(ws.sid, worker.sid, headers={"X-Twilio-Token": expired})


async def test_signalwire_through_client(emu: Emulator) -> None:
    """Subscriber tokens refresh once; guests get tokens; subscribers page over 3 pages."""
    async with emu.signalwire_client() as sw:
        pair = await sw.fabric.subscriber_tokens.create(reference="ana@example.com")
        fresh = await sw.fabric.subscriber_tokens.refresh(refresh_token=pair.refresh_token)
        assert emu.signalwire.token_valid(fresh.token)
        with pytest.raises(trunkline.AuthenticationError):
            await sw.fabric.subscriber_tokens.refresh(refresh_token=pair.refresh_token)
        guest = await sw.fabric.guest_tokens.create(
            allowed_addresses=["3fa85f64-5717-4562-b3fc-2c963f66afa6"]
        )
        assert emu.signalwire.token_valid(guest.token)
        made = await sw.fabric.subscribers.create(email="bo@example.com", first_name="Bo")
        changed = await sw.fabric.subscribers.update(made.id, last_name="Silva")
        assert changed.subscriber.last_name == "Silva"
        for number in range(5):
            await sw.fabric.subscribers.create(email=f"u{number}@example.com")
        pages = [p async for p in sw.fabric.subscribers.pages(page_size=3)]
        assert [len(p.items) for p in pages] == [3, 3, 1]
        await sw.fabric.subscribers.delete(made.id)
        with pytest.raises(trunkline.NotFoundError):
            await sw.fabric.subscribers.fetch(made.id)


async def test_ziggeo_through_client(emu: Emulator) -> None:
    """Auth tokens are created, fetched by key, updated and destroyed; client tokens check out."""
    async with emu.ziggeo_client() as zg:
        made = await zg.auth_tokens.create(
            grants={"read": {"resources": ["v1"]}}, session_limit=2, volatile=True
        )
        assert made.grants == {"read": {"resources": ["v1"]}}
        changed = await zg.auth_tokens.update(made.token, session_limit=4)
        assert changed.session_limit == 4
        assert (await zg.auth_tokens.fetch(made.token)).session_limit == 4
        await zg.auth_tokens.delete(made.token)
        with pytest.raises(trunkline.NotFoundError):
            await zg.auth_tokens.fetch(made.token)
    token = ziggeo.generate(emu.ziggeo_app_token, emu.ziggeo_encryption_key, {"grants": {}})
    assert emu.ziggeo.check_client_token(token)["application_token"] == emu.ziggeo_app_token


async def test_faults_never_duplicate_a_create(emu: Emulator) -> None:
    """With 20% 503s and 10% dropped connections on 500 creates and fetches, every fetch
    succeeds, every create succeeds once or raises, and no retry makes a duplicate."""
    policy = trunkline.RetryPolicy(
        attempts=20, wait_initial=0.001, wait_max=0.002, wait_jitter=0.0, sleep=_no_wait
    )
    async with emu.twilio(retry=policy) as tw:
        service = await _service(tw)
        factors = "/v2/Services/*/Entities/*/Factors"
        creates = emu.faults.add("POST", factors, Fault(error_rate=0.2, drop_after_rate=0.1))
        fetches = emu.faults.add("GET", factors + "/*", Fault(error_rate=0.2, drop_after_rate=0.1))
        gate = asyncio.Semaphore(8)
        outcomes: dict[int, Any] = {}

        async def one(number: int) -> None:
            async with gate:
                try:
                    factor = await tw.verify.v2.services.entities.factors.create(
                        service, ID, factor_type="totp", friendly_name=f"factor-{number}"
                    )
                except trunkline.TrunklineError as exc:
                    outcomes[number] = exc
                    return
                fetched = await tw.verify.v2.services.entities.factors.fetch(
                    service, ID, factor.sid
                )
                assert fetched.friendly_name == f"factor-{number}"
                outcomes[number] = factor.sid

        async with asyncio.TaskGroup() as group:
            for number in range(500):
                group.create_task(one(number))

    held = Counter(f.friendly_name for f in emu.verify.factors.values())
    assert max(held.values()) == 1
    assert creates.hits == 500
    assert creates.injected["error"] > 50
    assert creates.injected["drop_after"] > 20
    assert fetches.injected["error"] + fetches.injected["drop_after"] > 50
    for number, outcome in outcomes.items():
        name = f"factor-{number}"
        if isinstance(outcome, str):
            assert emu.verify.factors[outcome].friendly_name == name
        elif isinstance(outcome, trunkline.ServerError):
            assert outcome.status == 503
            assert name not in held
        else:
            assert isinstance(outcome, trunkline.ApiConnectionError), repr(outcome)
            assert held[name] == 1
    assert len(outcomes) == 500
    succeeded = sum(isinstance(o, str) for o in outcomes.values())
    assert succeeded == 500 - creates.injected["error"] - creates.injected["drop_after"]


async def test_client_rides_out_every_fault_kind_on_reads(emu: Emulator) -> None:
    """Reads succeed through 429s, HTML 502s, truncated bodies and drops, given retries."""
    policy = trunkline.RetryPolicy(
        attempts=30, wait_initial=0.001, wait_max=0.002, wait_jitter=0.0, sleep=_no_wait
    )
    async with emu.twilio(retry=policy) as tw:
        service = await _service(tw)
        rule = emu.faults.add(
            "GET",
            "/v2/Services/*",
            Fault(
                rate_limit_rate=0.15,
                retry_after=0.01,
                non_json_rate=0.15,
                truncate_rate=0.15,
                drop_before_rate=0.15,
            ),
        )
        for _ in range(40):
            assert (await tw.verify.v2.services.fetch(service)).sid == service
    assert set(rule.injected) == {"rate_limit", "non_json", "truncate", "drop_before"}


async def test_non_json_error_body_is_kept(emu: Emulator) -> None:
    """When every answer is an HTML 502, the error raised carries the page's text."""
    policy = trunkline.RetryPolicy(attempts=2, wait_initial=0.001, wait_jitter=0.0, sleep=_no_wait)
    async with emu.twilio(retry=policy) as tw:
        service = await _service(tw)
        emu.faults.add("GET", "/v2/Services/*", Fault(non_json_rate=1.0))
        with pytest.raises(trunkline.ServerError) as caught:
            await tw.verify.v2.services.fetch(service)
    assert caught.value.status == 502
    assert "Bad Gateway" in str(caught.value)
    assert caught.value.attempts == 2
