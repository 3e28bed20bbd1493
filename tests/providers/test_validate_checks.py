"""The constraint checks generated methods call (trunkline._validate) on their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from trunkline import _validate as v


def test_none_passes_every_check_untouched() -> None:
    """An optional argument left out (None) is returned as is by every constraint check."""
    assert v.string("name", None, min_length=1, max_length=2, fmt="uuid") is None
    assert v.number("count", None, minimum=0, maximum=1, integer=True) is None
    assert v.array("ids", None, min_items=1, each=v.string, fmt="uuid") is None
    assert v.mapping("grants", None) is None


def test_valid_values_come_back_unchanged() -> None:
    """A value meeting its rules is returned as the same object."""
    ids = ["6a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"]
    assert v.array("ids", ids, min_items=1, max_items=1, each=v.string, fmt="uuid") is ids
    assert v.string("sid", "CA" + "0" * 32, min_length=34, max_length=34) == "CA" + "0" * 32
    assert v.number("score", 0.5, minimum=0, maximum=1) == 0.5
    assert v.string("email", "ana@example.com", fmt="email") == "ana@example.com"


def test_an_iterator_is_read_once_and_sent_as_a_list() -> None:
    """A generator given for a list argument is checked and returned as a list."""
    checked: object = v.array("tags", (t for t in ("a", "b")), max_items=2)
    assert checked == ["a", "b"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: v.string("sid", "CA1", min_length=34, max_length=34), "sid must be exactly 34 "),
        (lambda: v.string("name", "x" * 65, max_length=64), "name must be at most 64 char"),
        (lambda: v.string("name", 7, max_length=64), "name must be a string, got an int"),
        (lambda: v.string("id", "nope", fmt="uuid"), "id must be a UUID"),
        (lambda: v.number("score", 1.5, minimum=0, maximum=1), "score must be 0 to 1, got 1.5"),
        (lambda: v.number("size", 0, minimum=1, integer=True), "size must be at least 1"),
        (lambda: v.number("size", "5", minimum=1, integer=True), "size must be a whole number"),
        (lambda: v.number("score", False, maximum=1), "score must be a number"),
        (lambda: v.array("tags", "a,b", max_items=5), "tags must be a list, got a str"),
        (lambda: v.array("tags", [], min_items=1), "tags must hold at least 1 items, got 0"),
        (lambda: v.array("sids", ["x"], each=v.string, min_length=2), r"sids\[0\] must be at"),
        (lambda: v.mapping("grants", ["read"]), "grants must be a mapping"),
    ],
)
def test_a_broken_rule_raises_naming_the_argument_and_the_rule(
    call: Callable[[], object], message: str
) -> None:
    """Each helper raises ValueError that starts with the argument name and states the rule."""
    with pytest.raises(ValueError, match="^" + message):
        call()


@pytest.mark.parametrize("name", ["password", "api_secret", "refresh_token", "AuthToken"])
def test_values_of_secret_arguments_are_never_echoed(name: str) -> None:
    """An argument named like a credential is described by type and length, never its text."""
    calls: tuple[Callable[[], object], ...] = (
        lambda: v.string(name, "hunter2-secret", max_length=5),
        lambda: v.string(name, "hunter2-secret", fmt="uuid"),
        lambda: v.string(name, "hunter2-secret", fmt="email"),
    )
    for call in calls:
        with pytest.raises(ValueError, match=f"^{name} ") as info:
            call()
        assert "hunter2" not in str(info.value)
    with pytest.raises(ValueError, match=f"^{name} ") as number:
        v.number(name, 987654, maximum=5)
    assert "987654" not in str(number.value)
