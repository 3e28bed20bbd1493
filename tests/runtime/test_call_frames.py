"""The call path's frames: a generated call reaches the transport through the retry loop alone."""

from __future__ import annotations

import sys
from typing import Any

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response
from trunkline.generated.twilio.verify.v2 import factors as factors_module

ACCOUNT = "AC" + "a" * 32
SERVICE = "VA" + "1" * 32
IDENTITY = "ff483d1ff591898a9942916050d2ca3f"
FACTOR = "YF" + "2" * 32
FACTOR_BODY = {"sid": FACTOR, "status": "verified", "factor_type": "totp"}


def _frames_to_handler() -> list[str]:
    """``module:function`` of each frame above the caller, innermost first, up to asyncio."""
    names = []
    frame = sys._getframe(2)
    while frame is not None and "asyncio" not in frame.f_code.co_filename:
        module = frame.f_globals.get("__name__", "?")
        names.append(f"{module}:{frame.f_code.co_name}")
        frame = frame.f_back
    return names


async def test_a_generated_fetch_reaches_the_transport_through_the_retry_loop_only() -> None:
    """Between the generated method and the transport runs one trunkline frame, the retry loop."""
    seen: list[list[str]] = []

    def handler(request: Request) -> Response:
        seen.append(_frames_to_handler())
        return Response(200, json=FACTOR_BODY)

    async with trunkline.Twilio(ACCOUNT, "token", transport=MockTransport(handler)) as tw:
        factor = await tw.verify.v2.services.entities.factors.fetch(SERVICE, IDENTITY, FACTOR)
    assert factor.sid == FACTOR
    (frames,) = seen
    ours = [name for name in frames if name.startswith("trunkline")]
    assert ours == [
        "trunkline._transport:send",
        "trunkline._sending:send",
        "trunkline.generated.twilio.verify.v2.factors:fetch",
    ]


async def test_a_call_with_headers_of_its_own_awaits_them_in_one_more_frame() -> None:
    """Extra headers go through the client's ``_send_after`` and still arrive on the request."""
    seen: list[tuple[list[str], dict[str, str]]] = []

    def handler(request: Request) -> Response:
        seen.append((_frames_to_handler(), dict(request.headers)))
        return Response(200, json=FACTOR_BODY)

    async with trunkline.Twilio(ACCOUNT, "token", transport=MockTransport(handler)) as tw:
        factors = tw.verify.v2.services.entities.factors
        await factors.fetch(SERVICE, IDENTITY, FACTOR, headers={"X-Trace": "t1"})
    ((frames, headers),) = seen
    assert headers["X-Trace"] == "t1"
    assert headers["Authorization"].startswith("Basic ")
    ours = [name for name in frames if name.startswith("trunkline")]
    assert ours == [
        "trunkline._transport:send",
        "trunkline._sending:send",
        "trunkline._client:_send_after",
        "trunkline.generated.twilio.verify.v2.factors:fetch",
    ]


async def test_bad_path_values_still_fail_when_the_generated_call_is_awaited() -> None:
    """A generated call with a bad SID raises when awaited, not when called, and sends nothing."""
    transport = MockTransport(lambda request: Response(200, json=FACTOR_BODY))
    async with trunkline.Twilio(ACCOUNT, "token", transport=transport) as tw:
        pending: Any = tw.verify.v2.services.entities.factors.fetch("VA1", IDENTITY, FACTOR)
        with pytest.raises(trunkline.ValidationError, match="service_sid"):
            await pending
    assert transport.requests == []


async def test_a_call_with_its_own_headers_starts_its_deadline_when_awaited() -> None:
    """Time between calling ``request`` and awaiting it is not taken from the call's budget."""
    now = [100.0]
    budgets: list[float | None] = []

    def handler(request: Request) -> Response:
        assert request.timeout is not None
        budgets.append(request.timeout.total)
        return Response(200, json=FACTOR_BODY)

    policy = trunkline.RetryPolicy(timeout=30.0, clock=lambda: now[0])
    transport = MockTransport(handler)
    async with trunkline.Twilio(ACCOUNT, "token", transport=transport, retry=policy) as tw:
        pending = tw.request(
            factors_module._FETCH,
            {"ServiceSid": SERVICE, "Identity": IDENTITY, "Sid": FACTOR},
            headers={"X-Trace": "t1"},
        )
        now[0] += 20.0
        await pending
    assert budgets == [30.0]
