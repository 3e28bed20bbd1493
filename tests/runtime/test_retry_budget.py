"""A floor under every wait between attempts, and a client-wide retry budget."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable

import pytest

import trunkline
from trunkline._retry import RetryBudget, RetryPolicy
from trunkline._transport import MockTransport, Request, Response
from trunkline._twilio import TwilioClient

from .conftest import ACCOUNT_SID, AUTH_TOKEN, FETCH, PATH, FakeTime


def _client(handler: Callable[[Request], Response], retry: RetryPolicy) -> TwilioClient:
    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN, transport=MockTransport(handler), retry=retry)


PAST = email.utils.formatdate(time.time() - 3600, usegmt=True)


@pytest.mark.parametrize("header", ["0", "-5", "0.0", PAST, "retry-after-ms: 0"])
async def test_retry_after_cannot_remove_the_backoff(header: str, fake_time: FakeTime) -> None:
    """Retry-After of 0, negative or a past date still waits the backoff, never under wait_min."""
    name, _, value = header.rpartition(": ")
    answers = iter([Response(503, {name or "Retry-After": value}), Response(200, json={})])
    policy = fake_time.policy(attempts=2, wait_initial=0.2, wait_jitter=0.0, wait_min=0.05)
    async with _client(lambda r: next(answers), policy) as client:
        assert await client.request(FETCH, PATH) == {}
    assert fake_time.waits == [0.2]


async def test_a_longer_retry_after_is_honoured(fake_time: FakeTime) -> None:
    """A server asking for more than the backoff gets its wait."""
    answers = iter([Response(429, {"Retry-After": "1.5"}), Response(200, json={})])
    policy = fake_time.policy(attempts=2, wait_initial=0.2, wait_jitter=0.0)
    async with _client(lambda r: next(answers), policy) as client:
        await client.request(FETCH, PATH)
    assert fake_time.waits == [1.5]


def test_wait_min_is_a_floor_under_every_wait() -> None:
    """With no backoff and no jitter configured, waits are still wait_min."""
    policy = RetryPolicy(wait_initial=0.0, wait_jitter=0.0, wait_min=0.1)
    assert [policy.wait(n, after) for n, after in [(1, None), (2, 0.0), (3, -1.0)]] == [0.1] * 3


async def test_a_server_failing_everything_sees_few_retries(fake_time: FakeTime) -> None:
    """300 concurrent calls (attempts=5) against constant 503s send under 2 requests a call."""
    policy = fake_time.policy(attempts=5, wait_initial=0.001, wait_jitter=0.0)
    async with _client(lambda r: Response(503), policy) as client:
        results = await asyncio.gather(
            *(client.request(FETCH, PATH) for _ in range(300)), return_exceptions=True
        )
        requests = len(client.transport.requests)  # type: ignore[attr-defined]
    assert all(isinstance(r, trunkline.ServerError) for r in results)
    assert requests / 300 < 2
    assert requests == 300 + 500 // 5


async def test_an_isolated_failure_is_retried_and_successes_refill(fake_time: FakeTime) -> None:
    """After the budget is spent, successes refund tokens and a lone 503 is retried again."""
    state = {"fail": True}

    def handler(request: Request) -> Response:
        return Response(503) if state["fail"] else Response(200, json={"ok": True})

    policy = fake_time.policy(attempts=3, wait_initial=0.001, wait_jitter=0.0, budget=20)
    async with _client(handler, policy) as client:
        for _ in range(3):
            with pytest.raises(trunkline.ServerError):
                await client.request(FETCH, PATH)
        with pytest.raises(trunkline.ServerError) as info:
            await client.request(FETCH, PATH)
        assert info.value.attempts == 1
        state["fail"] = False
        for _ in range(5):
            await client.request(FETCH, PATH)
        answers = iter([Response(503), Response(200, json={"ok": True})])
        client.transport._handler = lambda r: next(answers)  # type: ignore[attr-defined]
        assert await client.request(FETCH, PATH) == {"ok": True}


def test_budget_arithmetic_follows_the_aws_standard_mode() -> None:
    """500 tokens; a retry costs 5, after a timeout 10; success refunds 1 or the retry's cost."""
    budget = RetryBudget(RetryPolicy())
    assert budget.tokens == 500
    assert budget.cost(None) == 5
    assert budget.cost(trunkline.ApiConnectionError("reset")) == 5
    assert budget.cost(trunkline.ApiTimeoutError("slow")) == 10
    assert budget.spend(10)
    budget.refund(0)
    assert budget.tokens == 491
    budget.refund(10)
    assert budget.tokens == 500
    budget.refund(0)
    assert budget.tokens == 500
    empty = RetryBudget(RetryPolicy(budget=4))
    assert not empty.spend(5)
    assert empty.tokens == 4


@pytest.mark.parametrize(
    "knob", ["budget", "retry_cost", "timeout_cost", "success_refund", "wait_min"]
)
def test_budget_knobs_are_keyword_only_and_checked(knob: str) -> None:
    """The retry knobs are keyword-only; a negative value is a ValidationError naming it."""
    with pytest.raises(trunkline.ValidationError, match=knob):
        RetryPolicy(**{knob: -1})
    with pytest.raises(TypeError):
        RetryPolicy(3, 0.5, 10.0, 0.5, 60.0, 0.05)  # type: ignore[call-arg]
