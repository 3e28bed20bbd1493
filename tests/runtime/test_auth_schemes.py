"""The credentials each operation's spec accepts: bearer access tokens, API-key Basic, OAuth."""

from __future__ import annotations

import base64

import pytest
from aiohttp import web

import trunkline

from .conftest import ACCOUNT_SID, AUTH_TOKEN, Starter

SERVICE = "VA" + "1" * 32
API_KEY = "SK" + "2" * 32
API_SECRET = "api-key-secret-value"
ACCESS_TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.sig"
OAUTH_TOKEN = "oauth-issued-token"
ORG = "OR" + "3" * 32


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def recording_app(seen: list[tuple[str, str, str]]) -> web.Application:
    """Answers every request with an empty JSON object (a list page for GET lists)."""

    async def handle(request: web.Request) -> web.Response:
        seen.append((request.method, request.path, request.headers.get("Authorization", "")))
        if request.path == "/v2/token":
            return web.json_response({"access_token": OAUTH_TOKEN, "expires_in": 3600})
        if request.path == "/v2/Conversations":
            return web.json_response(
                {"conversations": [], "meta": {"key": "conversations", "pageSize": 0}}
            )
        return web.json_response({"sid": "XX"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def test_access_token_goes_where_verify_accepts_a_bearer(serve: Starter) -> None:
    """With Basic credentials and an access token, Verify's bearer operations get the token."""
    seen: list[tuple[str, str, str]] = []
    base = await serve(recording_app(seen))
    basic = _basic(ACCOUNT_SID, AUTH_TOKEN)
    async with trunkline.Twilio(
        ACCOUNT_SID, AUTH_TOKEN, access_token=ACCESS_TOKEN, base_url=base
    ) as tw:
        await tw.verify.v2.services.create(friendly_name="demo")
        await tw.verify.v2.services.fetch(SERVICE)
        await tw.verify.v2.services.verifications.create(SERVICE, to="+15017122661", channel="sms")
        await tw.verify.v2.services.verification_checks.create(
            SERVICE, code="123456", to="+15017122661"
        )
        await tw.verify.v2.services.entities.fetch(SERVICE, "alice")
        assert "access_token" in repr(tw)
        assert ACCESS_TOKEN not in repr(tw)
    bearer = f"Bearer {ACCESS_TOKEN}"
    assert seen == [
        ("POST", "/v2/Services", bearer),
        ("GET", f"/v2/Services/{SERVICE}", bearer),
        ("POST", f"/v2/Services/{SERVICE}/Verifications", bearer),
        ("POST", f"/v2/Services/{SERVICE}/VerificationCheck", bearer),
        ("GET", f"/v2/Services/{SERVICE}/Entities/alice", basic),
    ]


async def test_access_token_alone_is_sent_on_every_call(serve: Starter) -> None:
    """A client given only an access token sends it as the bearer on every operation."""
    seen: list[tuple[str, str, str]] = []
    base = await serve(recording_app(seen))
    async with trunkline.Twilio(access_token=ACCESS_TOKEN, base_url=base) as tw:
        await tw.verify.v2.services.create(friendly_name="demo")
        await tw.verify.v2.services.entities.fetch(SERVICE, "alice")
    assert [auth for _, _, auth in seen] == [f"Bearer {ACCESS_TOKEN}"] * 2


async def test_api_key_basic_works_on_basic_apikey_operations(serve: Starter) -> None:
    """An API key and secret go as HTTP Basic to operations naming basic_apikey_or_accountsid."""
    seen: list[tuple[str, str, str]] = []
    base = await serve(recording_app(seen))
    async with trunkline.Twilio(
        ACCOUNT_SID, api_key=API_KEY, api_secret=API_SECRET, base_url=base
    ) as tw:
        await tw.conversations.v2.conversations.create(configuration_id="conf1")
        assert await tw.conversations.v2.conversations.list() == []
        await tw.intelligence.v3.operators.fetch("op1")
    assert [auth for _, _, auth in seen] == [_basic(API_KEY, API_SECRET)] * 3


async def test_oauth_client_credentials_still_work(serve: Starter) -> None:
    """OAuth client credentials fetch one token and send it on OAuth-only and other operations."""
    seen: list[tuple[str, str, str]] = []
    base = await serve(recording_app(seen))
    async with trunkline.Twilio(client_id="OQ" + "4" * 32, client_secret="s", base_url=base) as tw:
        await tw.iam.organizations.accounts.fetch(ORG, ACCOUNT_SID)
        await tw.verify.v2.services.fetch(SERVICE)
        await tw.conversations.v2.conversations.create(configuration_id="conf1")
    assert seen[0] == ("POST", "/v2/token", "")
    assert [auth for _, _, auth in seen[1:]] == [f"Bearer {OAUTH_TOKEN}"] * 3


async def test_an_oauth_only_operation_refuses_basic_before_any_request(serve: Starter) -> None:
    """Basic credentials on an OAuth-only operation raise ValidationError naming what to pass."""
    seen: list[tuple[str, str, str]] = []
    base = await serve(recording_app(seen))
    async with trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, base_url=base) as tw:
        with pytest.raises(
            trunkline.ValidationError, match="FetchOrganizationAccount takes oauth2"
        ) as err:
            await tw.iam.organizations.accounts.fetch(ORG, ACCOUNT_SID)
        with pytest.raises(ValueError, match="client_id and client_secret"):
            await tw.iam.organizations.accounts.list(ORG)
    assert AUTH_TOKEN not in str(err.value)
    assert seen == []


def test_access_token_arguments_are_checked() -> None:
    """A blank or spaced access token, or one beside OAuth credentials, is a ValueError."""
    for bad in ("", "two words", "line\nbreak"):
        with pytest.raises(ValueError, match="access_token must be one non-empty token") as err:
            trunkline.Twilio(access_token=bad)
        assert bad not in str(err.value) or not bad
    with pytest.raises(ValueError, match="either access_token or client_id"):
        trunkline.Twilio(access_token=ACCESS_TOKEN, client_id="OQ1", client_secret="s")
