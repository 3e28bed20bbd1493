"""The Starlette side without FastAPI, the dependency without the middleware, and body limits."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import httpx
from fastapi import Depends, FastAPI
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from trunkline.receivers import Webhook, WebhookReceiver
from trunkline.receivers.starlette import (
    TwilioWebhookMiddleware,
    WebhookDependency,
    twilio_webhook,
)

from .conftest import TOKEN
from .test_signatures import FORM, signed_form

BODY = urlencode(FORM).encode()
# FastAPI resolves endpoint annotations in the module, so the dependency lives here.
checked = WebhookDependency(WebhookReceiver(TOKEN))
HEADERS = signed_form("http://hooks.example.com/sms", FORM, Host="hooks.example.com")


async def post(app: object, headers: dict[str, str], body: bytes = BODY) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        return await client.post("/sms", headers=headers, content=body)


async def test_plain_starlette_endpoint_behind_the_middleware() -> None:
    """A Starlette endpoint awaits twilio_webhook(request) for what the middleware checked."""

    async def sms(request: Request) -> Response:
        hook = await twilio_webhook(request)
        return PlainTextResponse(hook.params["Body"])

    app = Starlette(
        routes=[Route("/sms", sms, methods=["POST"])],
        middleware=[Middleware(TwilioWebhookMiddleware, receiver=WebhookReceiver(TOKEN))],
    )
    good = await post(app, HEADERS)
    bad = await post(app, {**HEADERS, "X-Twilio-Signature": "AAAA"})
    assert (good.status_code, good.text) == (200, "MENU")
    assert (bad.status_code, bad.content) == (403, b"")


async def test_dependency_alone_checks_the_signature() -> None:
    """Without the middleware, WebhookDependency(receiver) accepts signed and refuses tampered."""
    app = FastAPI()

    @app.post("/sms")
    async def sms(hook: Annotated[Webhook, Depends(checked)]) -> PlainTextResponse:
        return PlainTextResponse(hook.params["Body"])

    good = await post(app, HEADERS)
    tampered = await post(app, HEADERS, BODY.replace(b"MENU", b"STOP"))
    assert (good.status_code, good.text) == (200, "MENU")
    assert tampered.status_code == 403
    assert tampered.json() == {"detail": ""}


async def test_oversized_bodies_refused() -> None:
    """A body past max_body is refused with 413 before any signature work."""

    async def sms(request: Request) -> Response:
        return PlainTextResponse("never")

    receiver = WebhookReceiver(TOKEN, max_body=16)
    app = Starlette(
        routes=[Route("/sms", sms, methods=["POST"])],
        middleware=[Middleware(TwilioWebhookMiddleware, receiver=receiver)],
    )
    assert (await post(app, HEADERS)).status_code == 413
