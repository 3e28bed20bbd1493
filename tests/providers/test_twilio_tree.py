"""The resource tree users type: the paths from Twilio's docs reach the right operations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

ACCOUNT = "AC" + "a" * 32
SERVICE = "VA" + "1" * 32
WORKSPACE = "WS" + "1" * 32
MM, CF, CA, YC, WK, WR = (prefix + "2" * 32 for prefix in ("MM", "CF", "CA", "YC", "WK", "WR"))


def _answer(request: Request) -> Response:
    operation = request.operation
    if operation is not None and operation.paging is not None:
        page = {operation.items_key or "items": [], "meta": {}, "next_page_uri": None}
        return Response(200, json=page)
    return Response(200, json={"sid": "XX1"})


Call = Callable[[trunkline.Twilio], Awaitable[Any]]

CASES: list[tuple[str, Call, str, str]] = [
    (
        "incoming_phone_numbers.local.create",
        lambda tw: tw.api.v2010.incoming_phone_numbers.local.create(phone_number="+15005550006"),
        "POST",
        f"/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers/Local.json",
    ),
    (
        "available_phone_numbers.local.list",
        lambda tw: tw.api.v2010.available_phone_numbers.local.list("US", area_code=415),
        "GET",
        f"/2010-04-01/Accounts/{ACCOUNT}/AvailablePhoneNumbers/US/Local.json",
    ),
    (
        "messages.media.list",
        lambda tw: tw.api.v2010.messages.media.list(MM),
        "GET",
        f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{MM}/Media.json",
    ),
    (
        "conferences.participants.update",
        lambda tw: tw.api.v2010.conferences.participants.update(CF, CA, muted=True),
        "POST",
        f"/2010-04-01/Accounts/{ACCOUNT}/Conferences/{CF}/Participants/{CA}.json",
    ),
    (
        "services.entities.factors.create",
        lambda tw: tw.verify.v2.services.entities.factors.create(
            SERVICE, "user-1", friendly_name="Ana's phone", factor_type="totp"
        ),
        "POST",
        f"/v2/Services/{SERVICE}/Entities/user-1/Factors",
    ),
    (
        "services.entities.challenges.notifications.create",
        lambda tw: tw.verify.v2.services.entities.challenges.notifications.create(
            SERVICE, "user-1", YC, ttl=60
        ),
        "POST",
        f"/v2/Services/{SERVICE}/Entities/user-1/Challenges/{YC}/Notifications",
    ),
    (
        "services.verifications.create",
        lambda tw: tw.verify.v2.services.verifications.create(
            SERVICE, to="+15017122661", channel="sms"
        ),
        "POST",
        f"/v2/Services/{SERVICE}/Verifications",
    ),
    (
        "workspaces.workers.reservations.update",
        lambda tw: tw.taskrouter.v1.workspaces.workers.reservations.update(
            WORKSPACE, WK, WR, reservation_status="accepted"
        ),
        "POST",
        f"/v1/Workspaces/{WORKSPACE}/Workers/{WK}/Reservations/{WR}",
    ),
    (
        "accounts.list",
        lambda tw: tw.api.v2010.accounts.list(friendly_name="team"),
        "GET",
        "/2010-04-01/Accounts.json",
    ),
]


@pytest.mark.parametrize(("name", "call", "method", "path"), CASES, ids=[c[0] for c in CASES])
async def test_documented_tree_paths_send_their_operation(
    name: str, call: Call, method: str, path: str
) -> None:
    """Each documented path sends its operation's method to its URL, the account filled in."""
    sent: list[Request] = []

    def handler(request: Request) -> Response:
        sent.append(request)
        return _answer(request)

    async with trunkline.Twilio(ACCOUNT, "token", transport=MockTransport(handler)) as tw:
        await call(tw)
    assert [(r.method, urlsplit(r.url).path) for r in sent] == [(method, path)]


def test_children_are_cached_and_typed_by_their_class() -> None:
    """A resource's child is one lazily built object per parent, of its own service class."""
    tw = trunkline.Twilio(ACCOUNT, "token")
    services = tw.verify.v2.services
    assert services.entities is services.entities
    assert type(services.entities.factors).__name__ == "FactorService"
    assert type(tw.api.v2010.incoming_phone_numbers.local).__name__ == "LocalService"
    assert type(tw.api.v2010.available_phone_numbers.local).__name__ != "LocalService"
