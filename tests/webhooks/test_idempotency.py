"""Retries carrying the same I-Twilio-Idempotency-Token run the handler once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from trunkline.receivers import (
    BUSY,
    MemoryIdempotencyStore,
    StoredReply,
    Webhook,
    WebhookReceiver,
)

from .conftest import TOKEN, Calls
from .test_signatures import FORM, signed_form


async def test_replayed_token_answered_from_the_first_delivery(
    framework: Callable[..., Any],
) -> None:
    """A retry gets the first answer byte for byte; the handler runs once; new tokens run."""
    headers = signed_form(
        "http://hooks.example.com/sms",
        FORM,
        Host="hooks.example.com",
        I_Twilio_Idempotency_Token="tok-1",
    )
    calls = Calls()
    body = urlencode(FORM).encode()
    async with framework(WebhookReceiver(TOKEN), calls) as deliver:
        first = await deliver("/sms", headers, body)
        again = await deliver("/sms", headers, body)
        other = await deliver("/sms", {**headers, "I-Twilio-Idempotency-Token": "tok-2"}, body)
    assert first == again
    assert first[:2] == (200, "text/xml")
    assert other == first
    assert len(calls.seen) == 2


async def test_failed_delivery_runs_again(framework: Callable[..., Any]) -> None:
    """When the first delivery fails (500) its retry runs the handler again."""
    headers = signed_form(
        "http://hooks.example.com/sms",
        FORM,
        Host="hooks.example.com",
        I_Twilio_Idempotency_Token="tok-9",
    )
    calls = Calls()
    calls.fail_next = 1
    body = urlencode(FORM).encode()
    async with framework(WebhookReceiver(TOKEN), calls) as deliver:
        failed = await deliver("/sms", headers, body)
        retried = await deliver("/sms", headers, body)
    assert (failed[0], retried[0]) == (500, 200)
    assert len(calls.seen) == 2


async def test_without_store_every_delivery_runs(framework: Callable[..., Any]) -> None:
    """store=None turns deduplication off."""
    headers = signed_form(
        "http://hooks.example.com/sms",
        FORM,
        Host="hooks.example.com",
        I_Twilio_Idempotency_Token="t",
    )
    calls = Calls()
    async with framework(WebhookReceiver(TOKEN, store=None), calls) as deliver:
        for _ in range(2):
            await deliver("/sms", headers, urlencode(FORM).encode())
    assert len(calls.seen) == 2


def _hook(token: str | None) -> Webhook:
    return Webhook("POST", "https://h/x", {}, {}, b"", idempotency_token=token)


async def test_running_delivery_is_busy_and_tokens_expire() -> None:
    """A retry while the first still runs is BUSY; after the ttl a token is new again."""
    now = [0.0]
    store = MemoryIdempotencyStore(clock=lambda: now[0], max_entries=2)
    receiver = WebhookReceiver(TOKEN, store=store, ttl=10)
    assert await receiver.begin(_hook("a")) is None
    assert await receiver.begin(_hook("a")) == BUSY
    await receiver.end(_hook("a"), StoredReply(200, b"<Response />", "text/xml"))
    assert await receiver.begin(_hook("a")) == StoredReply(200, b"<Response />", "text/xml")
    assert await receiver.begin(_hook(None)) is None
    now[0] = 11.0
    assert await receiver.begin(_hook("a")) is None
    await receiver.begin(_hook("b"))
    await receiver.begin(_hook("c"))
    assert len(store) == 2


async def test_middleware_and_decorator_together_check_once() -> None:
    """The decorator behind the middleware neither re-checks nor claims the token twice."""
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from trunkline.receivers.aiohttp import twilio_webhook, webhook_middleware
    from trunkline.twiml import MessagingResponse

    receiver = WebhookReceiver(TOKEN)
    runs: list[str] = []

    @twilio_webhook(receiver)
    async def sms(request: web.Request, hook: Webhook) -> MessagingResponse:
        runs.append(hook.params["Body"])
        return MessagingResponse()

    app = web.Application(middlewares=[webhook_middleware(receiver)])
    app.router.add_post("/sms", sms)
    headers = signed_form(
        "http://hooks.example.com/sms",
        FORM,
        Host="hooks.example.com",
        I_Twilio_Idempotency_Token="x",
    )
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        first = await client.post("/sms", headers=headers, data=urlencode(FORM))
        again = await client.post("/sms", headers=headers, data=urlencode(FORM))
        assert (first.status, again.status) == (200, 200)
        assert await first.read() == await again.read()
    assert runs == ["MENU"]
