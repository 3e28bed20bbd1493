"""One webhook app per framework (aiohttp, Starlette/FastAPI), reached through a `deliver` call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from fastapi import Depends, FastAPI
from fastapi.responses import PlainTextResponse

from trunkline.receivers import IncomingMessage, Webhook, WebhookReceiver
from trunkline.receivers import aiohttp as tl_aiohttp
from trunkline.receivers import starlette as tl_starlette
from trunkline.twiml import MessagingResponse

TOKEN = "12345678901234567890123456789012"

Reply = tuple[int, str, bytes]  # status, content type (no parameters), body
Deliver = Callable[[str, Mapping[str, str], bytes], Awaitable[Reply]]


class Calls:
    """What the handlers saw: one entry per run, and how many runs should fail first."""

    def __init__(self) -> None:
        self.seen: list[Any] = []
        self.fail_next = 0

    def record(self, item: Any) -> None:
        self.seen.append(item)
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("handler failed")


def sms_reply(hook: Webhook) -> MessagingResponse:
    message = hook.parse(IncomingMessage.from_params)
    reply = MessagingResponse()
    reply.message(f"got {message.body}")
    return reply


@asynccontextmanager
async def aiohttp_app(receiver: WebhookReceiver, calls: Calls) -> AsyncIterator[Deliver]:
    @tl_aiohttp.twilio_webhook(receiver)
    async def sms(request: web.Request, hook: Webhook) -> MessagingResponse:
        calls.record(hook.params)
        return sms_reply(hook)

    async def event(request: web.Request) -> web.Response:
        hook = tl_aiohttp.get_webhook(request)
        calls.record(hook.json())
        return web.Response(text="ok")

    app = web.Application(middlewares=[tl_aiohttp.webhook_middleware(receiver, paths={"/json"})])
    app.router.add_post("/sms", sms)
    app.router.add_post("/json", event)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:

        async def deliver(target: str, headers: Mapping[str, str], body: bytes) -> Reply:
            response = await client.post(target, headers=dict(headers), data=body)
            return response.status, response.content_type, await response.read()

        yield deliver


@asynccontextmanager
async def fastapi_app(receiver: WebhookReceiver, calls: Calls) -> AsyncIterator[Deliver]:
    app = FastAPI()
    app.add_middleware(
        tl_starlette.TwilioWebhookMiddleware, receiver=receiver, paths={"/sms", "/json"}
    )

    @app.post("/sms")
    async def sms(
        hook: Annotated[Webhook, Depends(tl_starlette.twilio_webhook)],
    ) -> tl_starlette.TwiMLResponse:
        calls.record(hook.params)
        return tl_starlette.TwiMLResponse(sms_reply(hook))

    @app.post("/json")
    async def event(
        hook: Annotated[Webhook, Depends(tl_starlette.twilio_webhook)],
    ) -> PlainTextResponse:
        calls.record(hook.json())
        return PlainTextResponse("ok")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:

        async def deliver(target: str, headers: Mapping[str, str], body: bytes) -> Reply:
            response = await client.post(target, headers=dict(headers), content=body)
            content_type = response.headers.get("content-type", "").split(";")[0]
            return response.status_code, content_type, response.content

        yield deliver


APPS = {"aiohttp": aiohttp_app, "fastapi": fastapi_app}


@pytest.fixture(params=sorted(APPS))
def framework(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Builds the app of one framework around a receiver."""
    return APPS[request.param]


def json_body(data: Any) -> bytes:
    return json.dumps(data).encode()
