"""Path values are checked by the operation's ``path_args`` before anything is sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

ACCOUNT = "AC" + "a" * 32
OTHER_ACCOUNT = "AC" + "b" * 32
SERVICE = "VA" + "1" * 32
FACTOR = "YF" + "2" * 32
MESSAGE = "SM" + "3" * 32


def _answer(request: Request) -> Response:
    if request.operation is not None and request.operation.paging is not None:
        return Response(200, json={"challenges": [], "meta": {"next_page_url": None}})
    return Response(200, json={"sid": "XX1"})


def _client() -> tuple[trunkline.Twilio, MockTransport]:
    transport = MockTransport(_answer)
    return trunkline.Twilio(ACCOUNT, "token", transport=transport), transport


Call = Callable[[trunkline.Twilio], Awaitable[Any]]

REFUSED: list[tuple[Call, str]] = [
    (
        lambda tw: tw.verify.v2.services.entities.factors.fetch(SERVICE, "user-1", "YF123"),
        "sid must be exactly 34 characters long, got 5 ('YF123')",
    ),
    (
        lambda tw: tw.verify.v2.services.entities.factors.fetch(SERVICE, "", FACTOR),
        "identity must be a non-empty string",
    ),
    (
        lambda tw: tw.verify.v2.services.entities.factors.fetch(SERVICE, "..", FACTOR),
        "identity must not be '..': a dot segment names another path",
    ),
    (
        lambda tw: tw.verify.v2.services.entities.factors.fetch(SERVICE, 7, FACTOR),  # type: ignore[arg-type]
        "identity must be a non-empty string, got an int",
    ),
    (
        lambda tw: tw.verify.v2.services.entities.factors.fetch(None, "user-1", FACTOR),  # type: ignore[arg-type]
        "service_sid must be a non-empty string, got a NoneType",
    ),
    (
        lambda tw: tw.api.v2010.messages.fetch(MESSAGE, account_sid="AC1"),
        "account_sid must be exactly 34 characters long, got 3 ('AC1')",
    ),
]


@pytest.mark.parametrize(("call", "message"), REFUSED)
async def test_a_bad_path_value_is_refused_by_name_and_nothing_is_sent(
    call: Call, message: str
) -> None:
    """A short SID or an empty, dot or non-string value raises naming its argument; none is sent."""
    tw, transport = _client()
    async with tw:
        with pytest.raises(trunkline.ValidationError) as caught:
            await call(tw)
    assert message in str(caught.value)
    assert transport.requests == []


async def test_values_outside_letters_and_digits_are_checked_then_quoted() -> None:
    """An identity with a dash passes as it is; one with a space and a slash is quoted."""
    tw, transport = _client()
    async with tw:
        factors = tw.verify.v2.services.entities.factors
        await factors.fetch(SERVICE, "user-1", FACTOR)
        await factors.fetch(SERVICE, "a b/c", FACTOR)
    paths = [urlsplit(r.url).path for r in transport.requests]
    assert paths == [
        f"/v2/Services/{SERVICE}/Entities/user-1/Factors/{FACTOR}",
        f"/v2/Services/{SERVICE}/Entities/a%20b%2Fc/Factors/{FACTOR}",
    ]


async def test_the_account_sid_defaults_to_the_clients_when_left_out_or_empty() -> None:
    """``account_sid`` None or "" is the client's account; another account is sent as given."""
    tw, transport = _client()
    async with tw:
        await tw.api.v2010.messages.fetch(MESSAGE)
        await tw.api.v2010.messages.fetch(MESSAGE, account_sid="")
        await tw.api.v2010.messages.fetch(MESSAGE, account_sid=OTHER_ACCOUNT)
    accounts = [urlsplit(r.url).path.split("/")[3] for r in transport.requests]
    assert accounts == [ACCOUNT, ACCOUNT, OTHER_ACCOUNT]


async def test_a_stream_refuses_a_bad_path_value_when_called_not_when_iterated() -> None:
    """``stream`` and ``pages`` check their path values as they are called."""
    tw, transport = _client()
    async with tw:
        challenges = tw.verify.v2.services.entities.challenges
        with pytest.raises(trunkline.ValidationError, match="service_sid must be exactly 34"):
            challenges.stream("VA1", "user-1")
        with pytest.raises(trunkline.ValidationError, match="identity must be a non-empty"):
            challenges.pages(SERVICE, "")
        assert [c async for c in challenges.stream(SERVICE, "user-1")] == []
    assert len(transport.requests) == 1


async def test_a_hand_made_operation_without_path_args_still_refuses_empty_and_dot_values() -> None:
    """An ``Operation`` with no ``path_args`` (hand-written code) keeps the runtime's own checks."""
    op = trunkline.Operation(
        id="FetchThing", method="GET", server="https://x.twilio.com", path="/v1/Things/{Sid}"
    )
    tw, transport = _client()
    async with tw:
        for value, message in [
            (None, "'Sid' is required"),
            ("", "must be a non-empty"),
            (".", "dot segment"),
        ]:
            with pytest.raises(trunkline.ValidationError, match=message):
                await tw.request(op, {"Sid": value})
        await tw.request(op, {"Sid": "a b"})
    assert [urlsplit(r.url).path for r in transport.requests] == ["/v1/Things/a%20b"]


async def test_values_of_a_str_subclass_are_sent_as_their_characters() -> None:
    """A str subclass whose ``__str__`` says something else is sent as the characters it holds."""

    class Loud(str):
        def __str__(self) -> str:
            return "../elsewhere"

    tw, transport = _client()
    async with tw:
        await tw.verify.v2.services.entities.factors.fetch(Loud(SERVICE), Loud("user1"), FACTOR)
        await tw.verify.v2.services.entities.factors.fetch(SERVICE, Loud("user 1"), FACTOR)
    assert [urlsplit(r.url).path for r in transport.requests] == [
        f"/v2/Services/{SERVICE}/Entities/user1/Factors/{FACTOR}",
        f"/v2/Services/{SERVICE}/Entities/user%201/Factors/{FACTOR}",
    ]


async def test_one_value_too_long_among_good_ones_is_refused() -> None:
    """Each path value is held to its own length bounds, whatever the others are."""
    tw, transport = _client()
    async with tw:
        with pytest.raises(trunkline.ValidationError, match="sid must be exactly 34 characters"):
            await tw.verify.v2.services.entities.factors.fetch(SERVICE, "user1", FACTOR + "9")
        with pytest.raises(trunkline.ValidationError, match="service_sid must be exactly 34"):
            await tw.verify.v2.services.entities.factors.fetch(SERVICE[:-1], "user12", FACTOR)
    assert transport.requests == []


async def test_a_path_without_parameters_is_the_server_and_the_path() -> None:
    """An operation with no path parameters goes to its server's base and its path as written."""
    op = trunkline.Operation(
        id="ListThings", method="GET", server="https://x.twilio.com", path="/v1/Things"
    )
    tw, transport = _client()
    async with tw:
        await tw.request(op, {})
    assert [r.url for r in transport.requests] == ["https://x.twilio.com/v1/Things"]
