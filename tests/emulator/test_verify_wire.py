"""Verify v2 in the emulator, driven with raw aiohttp requests (the exact wire format)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp
import pytest

from trunkline.testing import SIGNATURE_FIELDS, Emulator
from trunkline.tokens.push import PushKey, signature_fields
from trunkline.tokens.totp import Totp

from .conftest import Clock, basic

Session = aiohttp.ClientSession


async def _post(s: Session, path: str, data: Any, status: int = 201) -> dict[str, Any]:
    async with s.post(path, data=data) as r:
        body = await r.json()
        assert r.status == status, body
        return dict(body)


async def _get(s: Session, path: str, status: int = 200) -> tuple[dict[str, Any], Any]:
    async with s.get(path) as r:
        body = await r.json()
        assert r.status == status, body
        return dict(body), r.headers


async def _service(s: Session) -> str:
    return str((await _post(s, "/v2/Services", {"FriendlyName": "Acme"}))["sid"])


async def _totp_factor(s: Session, service: str, identity: str = "user-1234") -> dict[str, Any]:
    path = f"/v2/Services/{service}/Entities/{identity}/Factors"
    return await _post(s, path, {"FriendlyName": "Ana's phone", "FactorType": "totp"})


async def _verified_totp(s: Session, service: str, clock: Clock) -> tuple[dict[str, Any], Totp]:
    factor = await _totp_factor(s, service)
    totp = Totp.from_uri(factor["binding"]["uri"])
    path = f"/v2/Services/{service}/Entities/user-1234/Factors/{factor['sid']}"
    updated = await _post(s, path, {"AuthPayload": totp.code(clock.now)}, 200)
    assert updated["status"] == "verified"
    return factor, totp


async def test_wrong_credentials_get_twilio_401(raw_http: Session, emu: Emulator) -> None:
    """A request with a wrong auth token is refused with 401 and Twilio's error body, code 20003."""
    bad = basic(emu.account_sid, "wrong")
    async with raw_http.get("/v2/Services", headers={"Authorization": bad}) as r:
        assert r.status == 401
        body = await r.json()
    assert body["code"] == 20003
    assert body["status"] == 401
    assert set(body) == {"code", "message", "more_info", "status"}
    assert body["more_info"].endswith("/20003")


async def test_api_key_credentials_are_accepted(raw_http: Session, emu: Emulator) -> None:
    """The emulator's API key and secret authenticate like the account SID and auth token."""
    auth = basic(emu.api_key, emu.api_secret)
    async with raw_http.get("/v2/Services", headers={"Authorization": auth}) as r:
        assert r.status == 200


async def test_unknown_resource_is_twilio_404(twilio_http: Session) -> None:
    """Fetching a service that does not exist answers 404 with code 20404."""
    body, _ = await _get(twilio_http, "/v2/Services/VA" + "0" * 32, 404)
    assert body["code"] == 20404


async def test_service_create_fetch_and_list(twilio_http: Session, emu: Emulator) -> None:
    """A created service is fetched and listed with the spec's fields and a meta block."""
    created = await _post(twilio_http, "/v2/Services", {"FriendlyName": "Acme", "Totp.Skew": "2"})
    assert created["sid"].startswith("VA")
    assert len(created["sid"]) == 34
    assert created["account_sid"] == emu.account_sid
    assert created["totp"] == {"issuer": "Acme", "time_step": 30, "code_length": 6, "skew": 2}
    assert created["url"] == f"{emu.url}/v2/Services/{created['sid']}"
    assert created["links"]["entities"].endswith("/Entities")
    fetched, _ = await _get(twilio_http, f"/v2/Services/{created['sid']}")
    assert fetched == created
    listed, _ = await _get(twilio_http, "/v2/Services")
    assert [s["sid"] for s in listed["services"]] == [created["sid"]]
    assert listed["meta"]["key"] == "services"
    assert listed["meta"]["next_page_url"] is None


async def test_totp_factor_binding_only_on_create(twilio_http: Session) -> None:
    """A TOTP factor gets a generated secret and URI on create; fetch leaves the binding out."""
    service = await _service(twilio_http)
    factor = await _totp_factor(twilio_http, service)
    assert factor["status"] == "unverified"
    assert factor["config"] == {"alg": "sha1", "skew": 1, "code_length": 6, "time_step": 30}
    assert len(factor["binding"]["secret"]) == 32
    assert factor["binding"]["uri"].startswith("otpauth://totp/Acme:")
    assert "secret=" + factor["binding"]["secret"] in factor["binding"]["uri"]
    path = f"/v2/Services/{service}/Entities/user-1234/Factors/{factor['sid']}"
    fetched, _ = await _get(twilio_http, path)
    assert "binding" not in fetched
    assert fetched["sid"] == factor["sid"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Config.CodeLength", "2"),
        ("Config.CodeLength", "9"),
        ("Config.TimeStep", "19"),
        ("Config.TimeStep", "61"),
        ("Config.Skew", "3"),
        ("Config.Alg", "md5"),
    ],
)
async def test_totp_config_ranges_enforced(twilio_http: Session, field: str, value: str) -> None:
    """TOTP settings outside Verify's ranges are refused with 400 naming the parameter."""
    service = await _service(twilio_http)
    path = f"/v2/Services/{service}/Entities/user-1234/Factors"
    form = {"FriendlyName": "x", "FactorType": "totp", field: value}
    body = await _post(twilio_http, path, form, 400)
    assert field in body["message"]


async def test_totp_factor_verification(twilio_http: Session, clock: Clock) -> None:
    """A wrong code leaves a TOTP factor unverified; the right code verifies it."""
    service = await _service(twilio_http)
    factor = await _totp_factor(twilio_http, service)
    totp = Totp.from_uri(factor["binding"]["uri"])
    path = f"/v2/Services/{service}/Entities/user-1234/Factors/{factor['sid']}"
    wrong = str((int(totp.code(clock.now)) + 1) % 10**6).zfill(6)
    assert (await _post(twilio_http, path, {"AuthPayload": wrong}, 200))["status"] == "unverified"
    right = totp.code(clock.now)
    assert (await _post(twilio_http, path, {"AuthPayload": right}, 200))["status"] == "verified"


async def test_given_totp_settings_are_used(twilio_http: Session, clock: Clock) -> None:
    """A factor made with a given secret, 8 digits, SHA256 and 60 s accepts codes made so."""
    service = await _service(twilio_http)
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    form = {
        "FriendlyName": "x",
        "FactorType": "totp",
        "Binding.Secret": secret,
        "Config.CodeLength": "8",
        "Config.Alg": "sha256",
        "Config.TimeStep": "60",
    }
    factor = await _post(twilio_http, f"/v2/Services/{service}/Entities/user-1234/Factors", form)
    assert factor["binding"]["secret"] == secret
    totp = Totp(secret, digits=8, period=60, algorithm="SHA256")
    path = f"/v2/Services/{service}/Entities/user-1234/Factors/{factor['sid']}"
    updated = await _post(twilio_http, path, {"AuthPayload": totp.code(clock.now)}, 200)
    assert updated["status"] == "verified"


async def test_push_factor_needs_key_and_verifies_by_signature(twilio_http: Session) -> None:
    """A push factor needs an ES256 P-256 key and is verified by a signature over its SID."""
    service = await _service(twilio_http)
    path = f"/v2/Services/{service}/Entities/user-1234/Factors"
    base = {"FriendlyName": "phone", "FactorType": "push", "Binding.Alg": "ES256"}
    await _post(twilio_http, path, base, 400)
    await _post(twilio_http, path, {**base, "Binding.PublicKey": "bm90IGEga2V5"}, 400)
    key, other = PushKey.generate(), PushKey.generate()
    await _post(
        twilio_http,
        path,
        {**base, "Binding.Alg": "RS256", "Binding.PublicKey": key.public_key},
        400,
    )
    factor = await _post(twilio_http, path, {**base, "Binding.PublicKey": key.public_key})
    assert factor["binding"] == {"alg": "ES256", "public_key": key.public_key}
    one = f"{path}/{factor['sid']}"
    forged = await _post(twilio_http, one, {"AuthPayload": other.sign_factor(factor["sid"])}, 200)
    assert forged["status"] == "unverified"
    good = await _post(twilio_http, one, {"AuthPayload": key.sign_factor(factor["sid"])}, 200)
    assert good["status"] == "verified"


async def test_totp_challenge_approved_or_denied(twilio_http: Session, clock: Clock) -> None:
    """A TOTP challenge with the right code is approved; with a wrong one, denied."""
    service = await _service(twilio_http)
    factor, totp = await _verified_totp(twilio_http, service, clock)
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    approved = await _post(
        twilio_http, path, {"FactorSid": factor["sid"], "AuthPayload": totp.code(clock.now)}
    )
    assert approved["status"] == "approved"
    assert approved["date_responded"] is not None
    pending = await _post(twilio_http, path, {"FactorSid": factor["sid"]})
    assert pending["status"] == "pending"
    wrong = str((int(totp.code(clock.now)) + 5) % 10**6).zfill(6)
    denied = await _post(twilio_http, f"{path}/{pending['sid']}", {"AuthPayload": wrong}, 200)
    assert denied["status"] == "denied"


async def test_unverified_factor_cannot_be_challenged(twilio_http: Session) -> None:
    """Creating a challenge for a factor that is not verified yet is refused."""
    service = await _service(twilio_http)
    factor = await _totp_factor(twilio_http, service)
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    await _post(twilio_http, path, {"FactorSid": factor["sid"]}, 400)


async def _push_setup(s: Session, service: str) -> tuple[dict[str, Any], PushKey]:
    key = PushKey.generate()
    path = f"/v2/Services/{service}/Entities/user-1234/Factors"
    factor = await _post(
        s,
        path,
        {
            "FriendlyName": "phone",
            "FactorType": "push",
            "Binding.Alg": "ES256",
            "Binding.PublicKey": key.public_key,
        },
    )
    await _post(s, f"{path}/{factor['sid']}", {"AuthPayload": key.sign_factor(factor["sid"])}, 200)
    return factor, key


async def test_push_challenge_approved_by_signed_jwt(twilio_http: Session) -> None:
    """A push challenge stays pending until updated with a JWT over the header's fields."""
    service = await _service(twilio_http)
    factor, key = await _push_setup(twilio_http, service)
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    field = json.dumps({"label": "Amount", "value": "$42"})
    created = await _post(
        twilio_http,
        path,
        {
            "FactorSid": factor["sid"],
            "Details.Message": "Approve the payment?",
            "Details.Fields": [field],
            "HiddenDetails": json.dumps({"ip": "10.0.0.1"}),
        },
    )
    assert created["status"] == "pending"
    assert created["details"]["message"] == "Approve the payment?"
    assert created["details"]["fields"] == [{"label": "Amount", "value": "$42"}]
    assert created["hidden_details"] == {"ip": "10.0.0.1"}
    one = f"{path}/{created['sid']}"
    fetched, headers = await _get(twilio_http, one)
    header = headers["Twilio-Verify-Signature-Fields"]
    assert header.split(",") == list(SIGNATURE_FIELDS)
    fields = signature_fields(fetched, header)
    forged = PushKey.generate().approve_challenge(fields)
    await _post(twilio_http, one, {"AuthPayload": forged}, 400)
    tampered = key.approve_challenge({**fields, "factor_sid": "YF" + "0" * 32})
    await _post(twilio_http, one, {"AuthPayload": tampered}, 400)
    still, _ = await _get(twilio_http, one)
    assert still["status"] == "pending"
    approved = await _post(twilio_http, one, {"AuthPayload": key.approve_challenge(fields)}, 200)
    assert approved["status"] == "approved"
    again = await _post(twilio_http, one, {"AuthPayload": key.approve_challenge(fields)}, 400)
    assert "already" in again["message"]


async def test_push_challenge_needs_message(twilio_http: Session) -> None:
    """A push challenge without Details.Message is refused."""
    service = await _service(twilio_http)
    factor, _ = await _push_setup(twilio_http, service)
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    await _post(twilio_http, path, {"FactorSid": factor["sid"]}, 400)


async def test_expired_challenge_cannot_be_approved(twilio_http: Session, clock: Clock) -> None:
    """After its expiration date a challenge reads as expired and cannot be approved."""
    service = await _service(twilio_http)
    factor, key = await _push_setup(twilio_http, service)
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    expires = dt.datetime.fromtimestamp(clock.now + 120, tz=dt.UTC).isoformat()
    created = await _post(
        twilio_http,
        path,
        {"FactorSid": factor["sid"], "Details.Message": "Log in?", "ExpirationDate": expires},
    )
    one = f"{path}/{created['sid']}"
    fetched, headers = await _get(twilio_http, one)
    fields = signature_fields(fetched, headers["Twilio-Verify-Signature-Fields"])
    clock.now += 121
    expired, _ = await _get(twilio_http, one)
    assert expired["status"] == "expired"
    await _post(twilio_http, one, {"AuthPayload": key.approve_challenge(fields)}, 400)
    too_late = dt.datetime.fromtimestamp(clock.now + 3601, tz=dt.UTC).isoformat()
    await _post(
        twilio_http,
        path,
        {"FactorSid": factor["sid"], "Details.Message": "x", "ExpirationDate": too_late},
        400,
    )


async def test_challenge_metadata_update(twilio_http: Session, clock: Clock) -> None:
    """Metadata sent on a challenge update is stored and returned."""
    service = await _service(twilio_http)
    factor, _ = await _verified_totp(twilio_http, service, clock)
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    created = await _post(twilio_http, path, {"FactorSid": factor["sid"]})
    updated = await _post(
        twilio_http, f"{path}/{created['sid']}", {"Metadata": json.dumps({"os": "Android"})}, 200
    )
    assert updated["metadata"] == {"os": "Android"}


async def test_challenge_list_filters_order_and_paging(
    twilio_http: Session, emu: Emulator, clock: Clock
) -> None:
    """Challenge lists filter by factor and status, sort both ways and page with meta URLs."""
    service = await _service(twilio_http)
    factor, totp = await _verified_totp(twilio_http, service, clock)
    emu.verify.seed_challenges(service, "user-1234", factor["sid"], 2500, message="Seeded")
    path = f"/v2/Services/{service}/Entities/user-1234/Challenges"
    await _post(
        twilio_http, path, {"FactorSid": factor["sid"], "AuthPayload": totp.code(clock.now)}
    )
    first, _ = await _get(twilio_http, f"{path}?PageSize=1000&Status=pending")
    assert len(first["challenges"]) == 1000
    assert first["meta"]["page_size"] == 1000
    assert first["meta"]["key"] == "challenges"
    seen = [c["sid"] for c in first["challenges"]]
    next_url = first["meta"]["next_page_url"]
    assert next_url.startswith(emu.url)
    assert "Status=pending" in next_url
    while next_url:
        async with twilio_http.get(next_url) as r:
            page = await r.json()
        seen += [c["sid"] for c in page["challenges"]]
        next_url = page["meta"]["next_page_url"]
    assert len(seen) == len(set(seen)) == 2500
    approved, _ = await _get(twilio_http, f"{path}?Status=approved")
    assert len(approved["challenges"]) == 1
    desc, _ = await _get(twilio_http, f"{path}?Order=desc&PageSize=1")
    assert desc["challenges"][0]["status"] == "approved"
    other, _ = await _get(twilio_http, f"{path}?FactorSid=YF{'0' * 32}")
    assert other["challenges"] == []
    too_big, _ = await _get(twilio_http, f"{path}?PageSize=1001", 400)
    assert "PageSize" in too_big["message"]


async def test_entity_delete_removes_its_factors(twilio_http: Session) -> None:
    """Deleting an entity removes it and its factors."""
    service = await _service(twilio_http)
    factor = await _totp_factor(twilio_http, service)
    async with twilio_http.delete(f"/v2/Services/{service}/Entities/user-1234") as r:
        assert r.status == 204
    path = f"/v2/Services/{service}/Entities/user-1234/Factors/{factor['sid']}"
    await _get(twilio_http, path, 404)


async def test_non_ascii_credentials_are_a_401(raw_http: Session, emu: Emulator) -> None:
    """Credentials with non-ASCII characters are refused with 401, not a server error."""
    async with raw_http.get("/v2/Services", headers={"Authorization": basic("ACé", "ñ")}) as r:
        assert r.status == 401
    async with raw_http.get("/v2/Services", headers={"Authorization": "Basic %%%"}) as r:
        assert r.status == 401


async def test_duplicate_entity_is_409_with_60301(twilio_http: Session) -> None:
    """Creating an Entity whose identity exists answers 409 with Twilio's code 60301."""
    service = await _service(twilio_http)
    path = f"/v2/Services/{service}/Entities"
    await _post(twilio_http, path, {"Identity": "user-1234"})
    body = await _post(twilio_http, path, {"Identity": "user-1234"}, 409)
    assert (body["status"], body["code"]) == (409, 60301)
