"""Pins the public types of the runtime and the generated Twilio surface.

Type-checked by ``make typecheck`` (mypy --strict), never run: a change that breaks what
users' type checkers see fails there. ``assert_type`` states the exact type expected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, assert_type

import trunkline
from trunkline._operation import ClosingAsyncIterator
from trunkline.generated.twilio.api.v2010 import models as api_models
from trunkline.generated.twilio.api.v2010.messages import MessageService
from trunkline.generated.twilio.verify.v2 import models


async def client_surface() -> None:
    retry = trunkline.RetryPolicy(attempts=5, wait_initial=0.1, wait_max=2, wait_jitter=0.1)
    async with trunkline.Twilio(
        "AC123",
        "token",
        region="ie1",
        edge="dublin",
        base_url="http://127.0.0.1:8080",
        timeout=trunkline.Timeout(total=30, connect=5),
        retry=retry,
        max_connections=20,
    ) as tw:
        assert_type(tw, trunkline.Twilio)
        factor = await tw.verify.v2.services.entities.factors.create(
            "VA1", "alice", friendly_name="Ana", factor_type="totp", timeout=5
        )
        assert_type(factor, models.NewFactor)
        challenge = await tw.verify.v2.services.entities.challenges.fetch("VA1", "alice", "YC1")
        assert_type(challenge.expiration_date, dt.datetime | None)
        page = await tw.verify.v2.services.entities.challenges.page("VA1", "alice", page_size=100)
        assert_type(page, trunkline.Page[models.Challenge])
        assert_type(page.items, list[models.Challenge])
        assert_type(page.has_next, bool)
        assert_type(await page.next_page(), trunkline.Page[models.Challenge] | None)
        stream = tw.verify.v2.services.entities.challenges.stream(
            "VA1", "alice", status="pending", limit=10
        )
        assert_type(stream, ClosingAsyncIterator[models.Challenge])
        async with contextlib.aclosing(
            tw.verify.v2.services.entities.challenges.stream("VA1", "alice")
        ) as items:
            async for item in items:
                assert_type(item, models.Challenge)
                break
        async with contextlib.aclosing(
            tw.verify.v2.services.entities.challenges.pages("VA1", "alice")
        ) as pages:
            async for one in pages:
                assert_type(one, trunkline.Page[models.Challenge])
        listed = await tw.verify.v2.services.entities.challenges.list("VA1", "alice", limit=10)
        assert_type(listed, list[models.Challenge])
        await tw.verify.v2.services.entities.factors.delete("VA1", "alice", "YF1")
        assert_type(tw.messages, MessageService)
        sent = await tw.messages.create(to="+15558675310", from_="+15017122661", body="hi")
        assert_type(sent, api_models.Message)
        # Date-time filters take a date or an aware datetime; enum arguments their values.
        calls = await tw.api.v2010.calls.list(
            start_time_after=dt.date(2024, 5, 1),
            start_time_before=dt.datetime(2024, 5, 2, tzinfo=dt.UTC),
            status="completed",
            limit=5,
        )
        assert_type(calls, list[api_models.Call])


def error_surface(err: trunkline.ApiError, conn: trunkline.ApiConnectionError) -> None:
    assert_type(err.status, int)
    assert_type(err.code, int | str | None)
    assert_type(err.message, str)
    assert_type(err.more_info, str | None)
    assert_type(err.request_id, str | None)
    assert_type(err.attempts, int)
    assert_type(err.details, Any)
    assert_type(conn.attempts, int)
    assert_type(conn.request_sent, bool)


async def middleware(request: trunkline.Request, handler: Any) -> trunkline.Response:
    response: trunkline.Response = await handler(request)
    assert_type(response.status, int)
    return response


def transport_surface() -> trunkline.Twilio:
    def answer(request: trunkline.Request) -> trunkline.Response:
        return trunkline.Response(200, json={"sid": "YF1"})

    mw: trunkline.Middleware = middleware
    return trunkline.Twilio(
        "AC123", "token", transport=trunkline.MockTransport(answer), middlewares=[mw]
    )


async def raw_responses(tw: trunkline.Twilio) -> None:
    with trunkline.capture_responses() as responses:
        await tw.verify.v2.services.fetch("VA" + "0" * 32)
    assert_type(responses, trunkline.ResponseLog)
    last = responses.last
    assert_type(last, trunkline.CapturedResponse)
    assert_type(last.status, int)
    assert_type(last.request_id, str | None)
    assert_type(last.headers.get("Twilio-Verify-Signature-Fields"), str | None)


async def options_once() -> None:
    opts: trunkline.ClientOptions = {"timeout": 5, "max_connections": 20, "prefetch": False}
    async with trunkline.Twilio("AC123", "token", **opts) as tw:
        assert_type(tw, trunkline.Twilio)
    trunkline.Twilio("AC123", "token", max_conections=20)  # type: ignore[call-arg]
    trunkline.SignalWire("p", "t", space="s", timeout="5")  # type: ignore[arg-type]
