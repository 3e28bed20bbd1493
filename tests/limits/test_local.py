"""The limiter with the in-process backend, driven through a real client and MockTransport."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

import trunkline
from trunkline.limits import Lease, Limiter, Limits, LocalBackend

ACCOUNT_SID = "AC" + "1" * 32
CALL_SID = "CA" + "0" * 32


class Gauge:
    """A transport handler that counts requests in flight and holds each until released."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.in_flight = 0
        self.most = 0
        self.seen: list[str] = []
        self.gate = asyncio.Event()
        self.statuses = statuses or []

    async def __call__(self, request: trunkline.Request) -> trunkline.Response:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        self.seen.append(request.headers.get("X-Tag", ""))
        try:
            await self.gate.wait()
        finally:
            self.in_flight -= 1
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 429:
            return trunkline.Response(
                429,
                {"Twilio-Concurrent-Requests": "7"},
                json={"code": 20429, "message": "Too Many Requests"},
            )
        return trunkline.Response(200, json={"sid": CALL_SID})


def client(gauge: Gauge, limiter: Limiter, **kw: object) -> trunkline.Twilio:
    return trunkline.Twilio(
        ACCOUNT_SID,
        "token",
        transport=trunkline.MockTransport(gauge),
        limiter=limiter,
        **kw,  # type: ignore[arg-type]
    )


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_concurrency_caps_requests_in_flight() -> None:
    """With concurrency=2, a third concurrent call waits until one of the first two ends."""
    gauge, backend = Gauge(), LocalBackend()
    async with client(gauge, Limiter(concurrency=2, backend=backend)) as tw:
        calls = [asyncio.ensure_future(tw.api.v2010.calls.fetch(CALL_SID)) for _ in range(5)]
        await settle()
        assert gauge.in_flight == 2
        assert backend.in_flight(ACCOUNT_SID) == 2
        gauge.gate.set()
        await asyncio.gather(*calls)
    assert gauge.most == 2
    assert backend.in_flight(ACCOUNT_SID) == 0


async def test_waiters_get_slots_in_arrival_order() -> None:
    """Waiting calls are let through first come, first served."""
    gauge = Gauge()
    async with client(gauge, Limiter(concurrency=1)) as tw:
        calls = []
        for tag in "abcd":
            calls.append(
                asyncio.ensure_future(tw.api.v2010.calls.fetch(CALL_SID, headers={"X-Tag": tag}))
            )
            await settle()
        gauge.gate.set()
        await asyncio.gather(*calls)
    assert gauge.seen == list("abcd")


async def test_a_waiter_past_its_deadline_gets_a_timeout_not_a_slot() -> None:
    """A call whose deadline passes while it waits raises ApiTimeoutError, nothing sent."""
    gauge, backend = Gauge(), LocalBackend()
    async with client(gauge, Limiter(concurrency=1, backend=backend)) as tw:
        holder = asyncio.ensure_future(tw.api.v2010.calls.fetch(CALL_SID))
        await settle()
        with pytest.raises(trunkline.ApiTimeoutError) as caught:
            await tw.api.v2010.calls.fetch(CALL_SID, timeout=0.05)
        assert caught.value.request_sent is False
        assert "deadline" in str(caught.value)
        assert len(gauge.seen) == 1
        gauge.gate.set()
        await holder
    assert backend.in_flight(ACCOUNT_SID) == 0


@pytest.mark.parametrize("ending", ["error", "cancel"])
async def test_slots_come_back_on_error_and_cancellation(ending: str) -> None:
    """A call that fails or is cancelled while it holds a slot gives the slot back."""
    backend = LocalBackend()

    async def handler(request: trunkline.Request) -> trunkline.Response:
        if ending == "error":
            raise trunkline.ApiConnectionError("reset", request_sent=True)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    limiter = Limiter(concurrency=1, backend=backend)
    retry = trunkline.RetryPolicy(attempts=1)
    async with trunkline.Twilio(
        ACCOUNT_SID,
        "token",
        transport=trunkline.MockTransport(handler),
        limiter=limiter,
        retry=retry,
    ) as tw:
        call = asyncio.ensure_future(tw.api.v2010.calls.fetch(CALL_SID))
        await settle()
        if ending == "cancel":
            assert backend.in_flight(ACCOUNT_SID) == 1
            call.cancel()
        with pytest.raises((trunkline.ApiConnectionError, asyncio.CancelledError)):
            await call
    assert backend.in_flight(ACCOUNT_SID) == 0


async def test_a_429_retry_goes_through_the_limiter_and_cuts_the_limit() -> None:
    """The client's retry of a 429 takes a slot again, under a limit the 429 lowered."""
    taken: list[int] = []

    class Counting(LocalBackend):
        async def acquire(self, account: str, limits: Limits, deadline: float) -> Lease:
            taken.append(self.limit(account) or limits.concurrency or 0)
            return await super().acquire(account, limits, deadline)

    gauge = Gauge(statuses=[429, 200])
    gauge.gate.set()
    backend = Counting()
    retry = trunkline.RetryPolicy(attempts=2, wait_initial=0.001)
    async with client(gauge, Limiter(concurrency=20, backend=backend), retry=retry) as tw:
        await tw.api.v2010.calls.fetch(CALL_SID)
    # Halved to 10, but the 429 said 7 were in flight: at most 6 fit.
    assert taken == [20, 6]
    assert backend.stats["cuts"] == 1


def test_the_adaptive_limit_halves_and_climbs_back_one_step_per_period() -> None:
    """AIMD: a 429 multiplies the limit by decrease_factor; it recovers +1 per recover_every."""
    now = [100.0]
    backend = LocalBackend(clock=lambda: now[0])
    limits = Limits(concurrency=20, recover_every=2.0)
    backend.cut("acct", limits, None)
    assert backend.limit("acct") == 10
    backend.cut("acct", limits, None)  # a second 429 of the same burst
    assert backend.limit("acct") == 10
    seen = []
    for _ in range(12):
        now[0] += 2.0
        seen.append(backend.limit("acct"))
    assert seen == [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20]
    for _ in range(6):
        now[0] += 2.0
        backend.cut("acct", limits, None)
    assert backend.limit("acct") == 1  # never below min_concurrency


async def test_messages_are_paced_per_sender() -> None:
    """GCRA per sender: the second message of a sender waits one interval, another sender not."""
    backend = LocalBackend()
    limits = Limits(message_rate=2.0)
    loop = asyncio.get_running_loop()
    far = loop.time() + 60
    first = await backend.pace("acct", "+15017122661", limits, far)
    second = await backend.pace("acct", "+15017122661", limits, far)
    other = await backend.pace("acct", "MG" + "0" * 32, limits, far)
    assert first == 0
    assert 0.4 < second <= 0.5
    assert other == 0
    with pytest.raises(trunkline.ApiTimeoutError):
        await backend.pace("acct", "+15017122661", limits, loop.time() + 0.1)


async def test_message_creates_are_keyed_by_from_or_messaging_service() -> None:
    """The middleware paces Messages create by its From, else its MessagingServiceSid."""
    senders: list[str] = []

    class Recording(LocalBackend):
        async def pace(self, account: str, sender: str, limits: Limits, deadline: float) -> float:
            senders.append(f"{account}/{sender}")
            return 0.0

    def handler(request: trunkline.Request) -> trunkline.Response:
        return trunkline.Response(201, json={"sid": "SM" + "0" * 32})

    limiter = Limiter(message_rate=10, backend=Recording())
    async with trunkline.Twilio(
        ACCOUNT_SID, "token", transport=trunkline.MockTransport(handler), limiter=limiter
    ) as tw:
        await tw.api.v2010.messages.create(to="+15558675310", from_="+15017122661", body="a")
        await tw.api.v2010.messages.create(
            to="+15558675310", messaging_service_sid="MG" + "2" * 32, body="b"
        )
        await tw.api.v2010.calls.fetch(CALL_SID)
    assert senders == [f"{ACCOUNT_SID}/+15017122661", f"{ACCOUNT_SID}/MG{'2' * 32}"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Limiter(concurrency=0), "concurrency must be a whole number of at least 1"),
        (lambda: Limiter(message_rate=-1), "message_rate must be positive"),
        (lambda: Limiter(decrease_factor=1.5), "decrease_factor must be between 0 and 1"),
        (lambda: Limiter(account="{AC}"), "account must be a non-empty name without braces"),
    ],
)
def test_bad_limits_are_named(make: Callable[[], Limiter], message: str) -> None:
    """A malformed limit raises ValueError naming it, before any request."""
    with pytest.raises(ValueError, match=message):
        make()


def test_a_share_of_the_limits_for_failing_open() -> None:
    """Limits.share(n) gives one of n processes K // n slots (at least one) and rate / n."""
    limits = Limits(concurrency=20, message_rate=10.0)
    assert limits.share(8) == Limits(concurrency=2, message_rate=1.25)
    assert Limits(concurrency=3).share(8).concurrency == 1
