"""Generated Verify v2 factor calls, end to end against a loopback server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest

import trunkline

from ._verify_server import (
    BASIC,
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
    async for s in running(pages=2, per_page=3):
        yield s


async def test_create_totp_factor(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """factors.create for TOTP sends Binding.* and Config.* form keys and parses NewFactor."""
    factor = await tw.verify.v2.services.entities.factors.create(
        SERVICE_SID,
        IDENTITY,
        friendly_name="Ana's phone",
        factor_type="totp",
        binding_secret="GEZDGNBVGY3TQOJQ",
        config_time_step=30,
        config_skew=1,
        config_code_length=6,
        config_alg="sha1",
    )
    (recorded,) = server.requests
    assert_form_post(
        recorded,
        f"{ENTITY}/Factors",
        [
            ("FriendlyName", "Ana's phone"),
            ("FactorType", "totp"),
            ("Binding.Secret", "GEZDGNBVGY3TQOJQ"),
            ("Config.TimeStep", "30"),
            ("Config.Skew", "1"),
            ("Config.CodeLength", "6"),
            ("Config.Alg", "sha1"),
        ],
    )
    assert factor.sid == FACTOR_SID
    assert factor.factor_type == "totp"
    assert factor.status == "unverified"
    assert factor.binding == {"secret": "GEZDGNBVGY3TQOJQ", "uri": "otpauth://totp/x?secret=GEZ"}
    assert factor.date_created == dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert factor.raw["a_field_from_the_future"] == {"kept": True}


async def test_create_push_factor(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """factors.create for push sends Binding.Alg/PublicKey, Config.* and Metadata as JSON."""
    await tw.verify.v2.services.entities.factors.create(
        SERVICE_SID,
        IDENTITY,
        friendly_name="Ana's phone",
        factor_type="push",
        binding_alg="ES256",
        binding_public_key="MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
        config_app_id="com.example.myapp",
        config_notification_platform="fcm",
        config_notification_token="t" * 40,
        config_sdk_version="1.0.0",
        metadata={"os": "Android"},
    )
    (recorded,) = server.requests
    form = dict(recorded.form)
    assert_form_post(
        recorded,
        f"{ENTITY}/Factors",
        [
            ("FriendlyName", "Ana's phone"),
            ("FactorType", "push"),
            ("Binding.Alg", "ES256"),
            ("Binding.PublicKey", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"),
            ("Config.AppId", "com.example.myapp"),
            ("Config.NotificationPlatform", "fcm"),
            ("Config.NotificationToken", "t" * 40),
            ("Config.SdkVersion", "1.0.0"),
            ("Metadata", form["Metadata"]),
        ],
    )
    assert json.loads(form["Metadata"]) == {"os": "Android"}


async def test_fetch_factor(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """factors.fetch sends a GET with no body to the instance path and parses Factor."""
    factor = await tw.verify.v2.services.entities.factors.fetch(SERVICE_SID, IDENTITY, FACTOR_SID)
    (recorded,) = server.requests
    assert (recorded.method, recorded.path) == ("GET", f"{ENTITY}/Factors/{FACTOR_SID}")
    assert recorded.form == []
    assert recorded.query == []
    assert recorded.headers["Authorization"] == BASIC
    assert factor.status == "verified"
    assert factor.config == {"alg": "sha1", "code_length": 6, "skew": 1, "time_step": 30}
    assert factor.metadata == {"os": "Android"}
    assert factor.date_updated == dt.datetime(2024, 2, 3, 4, 5, 7, tzinfo=UTC)


async def test_update_factor_auth_payload(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """factors.update sends AuthPayload (and only the arguments given) as a form POST."""
    factor = await tw.verify.v2.services.entities.factors.update(
        SERVICE_SID, IDENTITY, FACTOR_SID, auth_payload="123456", friendly_name="Work phone"
    )
    (recorded,) = server.requests
    assert_form_post(
        recorded,
        f"{ENTITY}/Factors/{FACTOR_SID}",
        [("AuthPayload", "123456"), ("FriendlyName", "Work phone")],
    )
    assert factor.status == "verified"
    assert factor.friendly_name == "Work phone"


async def test_delete_factor(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """factors.delete sends a DELETE to the instance path (and returns None, by its type)."""
    await tw.verify.v2.services.entities.factors.delete(SERVICE_SID, IDENTITY, FACTOR_SID)
    (recorded,) = server.requests
    assert (recorded.method, recorded.path) == ("DELETE", f"{ENTITY}/Factors/{FACTOR_SID}")
    assert recorded.headers["Authorization"] == BASIC


async def test_list_and_stream_factors(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """factors.list and stream follow meta.next_page_url across pages, yielding Factor."""
    factors = await tw.verify.v2.services.entities.factors.list(SERVICE_SID, IDENTITY, page_size=3)
    assert len(factors) == 6
    assert factors[0].sid == "YF" + "0" * 32
    assert factors[5].sid == f"YF{1:016d}{2:016d}"
    assert factors[0].date_created == dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    first, second = server.requests
    assert (first.method, first.path, first.query) == (
        "GET",
        f"{ENTITY}/Factors",
        [("PageSize", "3")],
    )
    assert second.query == [("PageSize", "3"), ("Page", "1"), ("PageToken", "PTfactors0")]
    assert all(r.headers["Authorization"] == BASIC for r in server.requests)
    streamed = [
        f.sid
        async for f in tw.verify.v2.services.entities.factors.stream(SERVICE_SID, IDENTITY, limit=4)
    ]
    assert streamed == [f.sid for f in factors[:4]]


async def test_empty_path_parameter(server: VerifyServer, tw: trunkline.Twilio) -> None:
    """An empty path parameter raises ValueError and sends nothing."""
    with pytest.raises(ValueError, match="identity"):
        await tw.verify.v2.services.entities.factors.fetch(SERVICE_SID, "", FACTOR_SID)
    assert server.requests == []
