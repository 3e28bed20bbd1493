"""Retry policy knobs, backoff, Retry-After parsing and retry safety (no I/O)."""

from __future__ import annotations

import email.utils
import random

import pytest

from trunkline._errors import ApiConnectionError
from trunkline._retry import RetryPolicy, is_retryable, parse_retry_after


def test_knobs_are_keyword_only() -> None:
    """RetryPolicy takes its knobs by keyword only."""
    with pytest.raises(TypeError):
        RetryPolicy(3)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"attempts": 0}, "attempts"),
        ({"wait_initial": -1}, "wait_initial"),
        ({"wait_max": -1}, "wait_max"),
        ({"wait_jitter": -0.1}, "wait_jitter"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_bad_knobs(kwargs: dict[str, float], name: str) -> None:
    """A bad knob raises ValueError naming it."""
    with pytest.raises(ValueError, match=name):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_backoff_grows_and_caps() -> None:
    """Without jitter the wait doubles per retry and stops at wait_max."""
    policy = RetryPolicy(wait_initial=0.5, wait_max=3, wait_jitter=0)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_backoff_jitter_bounded() -> None:
    """Jitter adds between 0 and wait_jitter seconds, and varies."""
    policy = RetryPolicy(wait_initial=1, wait_max=1, wait_jitter=0.25)
    rng = random.Random(7)
    waits = [policy.backoff(1, rng) for _ in range(200)]
    assert all(1.0 <= w <= 1.25 for w in waits)
    assert len(set(waits)) > 100


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "1"}, 1.0),
        ({"Retry-After": "0.25"}, 0.25),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "-3"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({}, None),
    ],
)
def test_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    """Retry-After in (fractional) seconds and retry-after-ms are read; junk is ignored."""
    assert parse_retry_after(headers) == expected


def test_retry_after_http_date() -> None:
    """Retry-After as an HTTP date is the time left until that date."""
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after({"Retry-After": date}, now=now) == pytest.approx(30, abs=1)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after({"Retry-After": past}, now=now) == 0.0


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_idempotent_requests_retry_transient_statuses(status: int) -> None:
    """GET-like requests retry 429, 502, 503 and 504."""
    assert is_retryable(idempotent=True, status=status)


@pytest.mark.parametrize("status", [400, 401, 404, 500, 501])
def test_other_statuses_never_retried(status: int) -> None:
    """Statuses that describe the request or a server bug are never retried."""
    assert not is_retryable(idempotent=True, status=status)


def test_post_retried_only_when_unsent_or_rate_limited() -> None:
    """A non-idempotent request retries a 429 or an unsent failure, nothing else."""
    assert is_retryable(idempotent=False, status=429)
    for status in (500, 502, 503, 504):
        assert not is_retryable(idempotent=False, status=status)
    assert is_retryable(idempotent=False, error=ApiConnectionError("refused", request_sent=False))
    assert not is_retryable(idempotent=False, error=ApiConnectionError("reset"))
    assert is_retryable(idempotent=True, error=ApiConnectionError("reset"))
