"""Generated Verify v2 challenge calls, end to end against a loopback server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest

import trunkline

from ._verify_server import (
    AUTH_TOKEN,
    BASIC,
    CHALLENGE_SID,
    ENTITY,
    FACTOR_SID,
    IDENTITY,
    SERVICE_SID,
    VerifyServer,
    assert_form_post,
    running,
)

UTC = dt.UTC


@pytest.fixture
async def server() -> AsyncIterator[VerifyServer]:
    async for s in running(pages=3, per_page=2):
        yield s


async def test_create_challenge(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """challenges.create sends Details.*, HiddenDetails and ExpirationDate; parses Challenge."""
    expires = dt.datetime(2024, 2, 3, 5, 5, 6, tzinfo=UTC)
    challenge = await tw.verify.v2.services.entities.challenges.create(
        SERVICE_SID,
        IDENTITY,
        factor_sid=FACTOR_SID,
        expiration_date=expires,
        details_message="Hi! Mr. John Doe, would you like to sign up?",
        details_fields=[{"label": "Action", "value": "Sign up in portal"}, {"label": "IP"}],
        hidden_details={"ip": "172.168.1.234"},
    )
    (recorded,) = server.requests
    form = recorded.form
    fields = [v for k, v in form if k == "Details.Fields"]
    hidden = dict(form)["HiddenDetails"]
    assert_form_post(
        recorded,
        f"{ENTITY}/Challenges",
        [
            ("FactorSid", FACTOR_SID),
            ("ExpirationDate", "2024-02-03T05:05:06Z"),
            ("Details.Message", "Hi! Mr. John Doe, would you like to sign up?"),
            ("Details.Fields", fields[0]),
            ("Details.Fields", fields[1]),
            ("HiddenDetails", hidden),
        ],
    )
    assert [json.loads(f) for f in fields] == [
        {"label": "Action", "value": "Sign up in portal"},
        {"label": "IP"},
    ]
    assert json.loads(hidden) == {"ip": "172.168.1.234"}
    assert challenge.sid == CHALLENGE_SID
    assert challenge.status == "pending"
    assert challenge.expiration_date == expires
    assert challenge.date_responded is None
    assert challenge.details is not None
    assert challenge.details["fields"] == [{"label": "Action", "value": "Sign up in portal"}]
    assert challenge.hidden_details == {"ip": "172.168.1.234"}


async def test_fetch_challenge(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """challenges.fetch sends a GET to the instance path and parses Challenge."""
    challenge = await tw.verify.v2.services.entities.challenges.fetch(
        SERVICE_SID, IDENTITY, CHALLENGE_SID
    )
    (recorded,) = server.requests
    assert (recorded.method, recorded.path) == ("GET", f"{ENTITY}/Challenges/{CHALLENGE_SID}")
    assert (recorded.query, recorded.form) == ([], [])
    assert recorded.headers["Authorization"] == BASIC
    assert challenge.factor_sid == FACTOR_SID
    assert challenge.date_created == dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert challenge.links == {
        "notifications": (
            f"https://verify.twilio.com{ENTITY}/Challenges/{CHALLENGE_SID}/Notifications"
        )
    }


async def test_update_challenge(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """challenges.update sends AuthPayload and Metadata and parses the approved Challenge."""
    challenge = await tw.verify.v2.services.entities.challenges.update(
        SERVICE_SID, IDENTITY, CHALLENGE_SID, auth_payload="123456", metadata={"os": "iOS"}
    )
    (recorded,) = server.requests
    metadata = dict(recorded.form)["Metadata"]
    assert_form_post(
        recorded,
        f"{ENTITY}/Challenges/{CHALLENGE_SID}",
        [("AuthPayload", "123456"), ("Metadata", metadata)],
    )
    assert json.loads(metadata) == {"os": "iOS"}
    assert challenge.status == "approved"
    assert challenge.date_responded == dt.datetime(2024, 2, 3, 4, 6, tzinfo=UTC)


async def test_list_challenges_with_filters(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """challenges.list sends FactorSid, Status and Order as query filters on every page."""
    challenges = await tw.verify.v2.services.entities.challenges.list(
        SERVICE_SID, IDENTITY, factor_sid=FACTOR_SID, status="approved", order="desc", page_size=2
    )
    assert len(challenges) == 6
    assert {c.status for c in challenges} == {"approved"}
    first = server.requests[0]
    assert (first.method, first.path) == ("GET", f"{ENTITY}/Challenges")
    assert first.query == [
        ("FactorSid", FACTOR_SID),
        ("Status", "approved"),
        ("Order", "desc"),
        ("PageSize", "2"),
    ]
    filters = [("FactorSid", FACTOR_SID), ("Status", "approved"), ("Order", "desc")]
    assert [r.query for r in server.requests[1:]] == [
        [*filters, ("PageSize", "2"), ("Page", "1"), ("PageToken", "PTchallenges0")],
        [*filters, ("PageSize", "2"), ("Page", "2"), ("PageToken", "PTchallenges1")],
    ]
    assert all(r.headers["Authorization"] == BASIC for r in server.requests)


async def test_stream_challenges(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """challenges.stream yields parsed Challenges lazily and stops at the limit."""
    got = []
    async for challenge in tw.verify.v2.services.entities.challenges.stream(
        SERVICE_SID, IDENTITY, status="pending", limit=3, page_size=2
    ):
        assert isinstance(challenge.expiration_date, dt.datetime)
        got.append(challenge.sid)
    assert got == ["YC" + "0" * 32, f"YC{0:016d}{1:016d}", f"YC{1:016d}{0:016d}"]
    assert len(server.requests) == 2


async def test_page_and_next_page(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """challenges.page returns a Page with metadata; next_page() fetches the following one."""
    page = await tw.verify.v2.services.entities.challenges.page(SERVICE_SID, IDENTITY, page_size=2)
    assert isinstance(page, trunkline.Page)
    assert page.page_number == 0
    assert page.has_next
    assert page.meta["key"] == "challenges"
    following = await page.next_page()
    assert following is not None
    assert following.page_number == 1
    assert [c.sid for c in following] == [f"YC{1:016d}{0:016d}", f"YC{1:016d}{1:016d}"]


async def test_api_error_through_generated_call(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """A Twilio API error on a generated call surfaces as a typed ApiError with its fields."""
    with pytest.raises(trunkline.NotFoundError) as info:
        await tw.verify.v2.services.entities.challenges.fetch(
            SERVICE_SID, "someone-else", CHALLENGE_SID
        )
    assert info.value.status == 404
    assert info.value.method == "GET"
    assert AUTH_TOKEN not in str(info.value)
