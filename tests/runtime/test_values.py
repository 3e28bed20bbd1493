"""The runtime's immutable settings (Operation, Timeout, RetryPolicy) without attrs."""

from __future__ import annotations

import copy
import pickle

import pytest

from trunkline._operation import Operation, PathArg, Timeout
from trunkline._retry import RetryPolicy


def _op(**changes: object) -> Operation:
    values: dict[str, object] = {
        "id": "FetchFactor",
        "method": "GET",
        "server": "https://verify.twilio.com",
        "path": "/v2/Services/{Sid}",
        "path_args": (PathArg("Sid", "sid", min_length=34, max_length=34),),
    }
    values.update(changes)
    return Operation(**values)  # type: ignore[arg-type]


def test_timeout_compares_hashes_and_shows_its_fields() -> None:
    """Timeouts with the same limits are equal, hash alike, and repr names every limit."""
    assert Timeout(total=30, connect=2) == Timeout(30, 2, None)
    assert Timeout(total=30) != Timeout(total=31)
    assert Timeout(read=1) != (None, None, 1)
    assert len({Timeout(total=1), Timeout(total=1), Timeout(read=1)}) == 2
    assert repr(Timeout(total=1.5)) == "Timeout(total=1.5, connect=None, read=None)"


def test_timeout_with_total_keeps_the_other_limits() -> None:
    """with_total gives a new Timeout with the same connect and read limits."""
    limits = Timeout(total=30, connect=2, read=5)
    assert limits.with_total(4.5) == Timeout(total=4.5, connect=2, read=5)
    assert limits.with_total(None) == Timeout(connect=2, read=5)
    assert limits == Timeout(total=30, connect=2, read=5)


def test_timeout_is_immutable() -> None:
    """Setting or deleting a limit raises AttributeError naming it."""
    limits = Timeout(total=1)
    with pytest.raises(AttributeError, match="Timeout is immutable: cannot set 'total'"):
        limits.total = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot delete 'read'"):
        del limits.read
    with pytest.raises(AttributeError):
        limits.other = 1  # type: ignore[attr-defined]
    assert limits.total == 1


def test_values_survive_copy_deepcopy_and_pickle() -> None:
    """copy, deepcopy and pickle give back an equal, still immutable value."""
    for value in (Timeout(total=3, read=1), _op(), RetryPolicy(attempts=2, budget=10)):
        for again in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
            assert again == value
            assert again is not value
            with pytest.raises(AttributeError):
                again.id = "x"  # type: ignore[union-attr]


def test_operation_idempotent_follows_the_method_unless_given() -> None:
    """Left out, idempotent is True for GET/HEAD/OPTIONS/PUT/DELETE and False for POST/PATCH."""
    for method in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE"):
        assert _op(method=method).idempotent is True
    for method in ("POST", "PATCH"):
        assert _op(method=method).idempotent is False
    assert _op(method="POST", idempotent=True).idempotent is True
    assert _op(method="GET", idempotent=False).idempotent is False


def test_operation_identity_leaves_out_the_compiled_path() -> None:
    """The compiled path the client caches changes neither equality, hash nor repr."""
    first, second = _op(), _op()
    object.__setattr__(first, "compiled_path", object())
    assert first == second
    assert hash(first) == hash(second)
    assert repr(first) == repr(second)
    assert "compiled_path" not in repr(first)
    assert first != _op(path="/v2/Other/{Sid}")
    assert repr(first).startswith("Operation(id='FetchFactor', method='GET', ")


def test_retry_policy_identity_leaves_out_clock_and_sleep() -> None:
    """Policies with the same knobs are equal whatever clock and sleep they run on."""

    async def sleep(_seconds: float) -> None:
        return None

    faked = RetryPolicy(attempts=2, clock=lambda: 0.0, sleep=sleep)
    assert faked == RetryPolicy(attempts=2)
    assert hash(faked) == hash(RetryPolicy(attempts=2))
    assert faked != RetryPolicy(attempts=3)
    assert "clock" not in repr(faked)
    assert "sleep" not in repr(faked)
    assert repr(RetryPolicy()).startswith("RetryPolicy(attempts=3, wait_initial=0.5, ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"wait_min": -1}, "RetryPolicy.wait_min must not be negative, not -1"),
        ({"budget": -1}, "RetryPolicy.budget must be a whole number of tokens, not -1"),
        ({"retry_cost": -5}, "RetryPolicy.retry_cost must be a whole number of tokens"),
        ({"timeout_cost": -1}, "RetryPolicy.timeout_cost must be"),
        ({"success_refund": -1}, "RetryPolicy.success_refund must be"),
        ({"attempts": 0}, "RetryPolicy.attempts must be at least 1, not 0"),
        ({"timeout": -2.0}, r"RetryPolicy.timeout must be positive, not -2.0"),
    ],
)
def test_retry_policy_names_the_bad_knob(kwargs: dict[str, float], message: str) -> None:
    """Each knob's check names the knob and the value refused."""
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
