"""Receivers in aiohttp and FastAPI accept what Twilio signed and refuse the rest with a bare 403.

Every case is also put to the official package's RequestValidator (the oracle) with the URL
the receiver rebuilt, where the case is about the signature rather than about the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator as OfficialValidator

from trunkline.receivers import WebhookReceiver
from trunkline.webhooks import RequestValidator

from .conftest import TOKEN, Calls, json_body

FORM = {"MessageSid": "SM1", "From": "+15558675310", "To": "+15017122661", "Body": "MENU"}
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}
official = OfficialValidator(TOKEN)
ours = RequestValidator(TOKEN)


def signed_form(url: str, form: Mapping[str, str], **headers: str) -> dict[str, str]:
    """The headers Twilio sends with a form webhook to `url`."""
    return {
        **FORM_TYPE,
        "X-Twilio-Signature": ours.compute_signature(url, form),
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }


async def test_form_signature_accepted_and_twiml_answered(framework: Callable[..., Any]) -> None:
    """A signed form webhook reaches the handler and its TwiML comes back as text/xml."""
    url = "http://hooks.example.com/sms"
    headers = signed_form(url, FORM, Host="hooks.example.com")
    assert official.validate(url, FORM, headers["X-Twilio-Signature"])
    calls = Calls()
    async with framework(WebhookReceiver(TOKEN), calls) as deliver:
        status, content_type, body = await deliver("/sms", headers, urlencode(FORM).encode())
    assert (status, content_type) == (200, "text/xml")
    assert body == (
        b'<?xml version="1.0" encoding="UTF-8"?><Response><Message>got MENU</Message></Response>'
    )
    assert calls.seen == [FORM]


async def test_tampered_parameter_refused(framework: Callable[..., Any]) -> None:
    """A form whose parameter changed after signing gets 403, an empty body, no handler run."""
    url = "http://hooks.example.com/sms"
    headers = signed_form(url, FORM, Host="hooks.example.com")
    tampered = {**FORM, "Body": "STOP"}
    assert not official.validate(url, tampered, headers["X-Twilio-Signature"])
    calls = Calls()
    async with framework(WebhookReceiver(TOKEN), calls) as deliver:
        status, _, body = await deliver("/sms", headers, urlencode(tampered).encode())
        missing, _, _ = await deliver("/sms", FORM_TYPE, urlencode(FORM).encode())
    assert (status, body, missing) == (403, b"", 403)
    assert calls.seen == []


@pytest.mark.parametrize(("host", "signed"), [
    ("hooks.example.com", "http://hooks.example.com:80/sms"),
    ("hooks.example.com:80", "http://hooks.example.com/sms"),
    ("hooks.example.com:8080", "http://hooks.example.com:8080/sms"),
])  # fmt: skip
async def test_with_and_without_the_port(
    framework: Callable[..., Any], host: str, signed: str
) -> None:
    """A signature over the URL with the default port or without it passes either way."""
    seen_url = f"http://{host}/sms"
    headers = signed_form(signed, FORM, Host=host)
    assert official.validate(seen_url, FORM, headers["X-Twilio-Signature"])
    async with framework(WebhookReceiver(TOKEN), Calls()) as deliver:
        status, _, _ = await deliver("/sms", headers, urlencode(FORM).encode())
    assert status == 200


async def test_wrong_port_refused(framework: Callable[..., Any]) -> None:
    """A signature over another explicit port is refused (by the oracle too)."""
    headers = signed_form("http://hooks.example.com:8443/sms", FORM, Host="hooks.example.com")
    assert not official.validate(
        "http://hooks.example.com/sms", FORM, headers["X-Twilio-Signature"]
    )
    async with framework(WebhookReceiver(TOKEN), Calls()) as deliver:
        status, _, _ = await deliver("/sms", headers, urlencode(FORM).encode())
    assert status == 403


@pytest.mark.parametrize("style", ["x-forwarded", "forwarded"])
async def test_proxy_headers_only_when_trusted(framework: Callable[..., Any], style: str) -> None:
    """Behind a TLS proxy the public URL comes from its headers, and only if told to trust them."""
    public = "https://hooks.example.com/sms?x=1"
    proxy = (
        {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.com, inner"}
        if style == "x-forwarded"
        else {"Forwarded": 'for=1.2.3.4;proto=https;host="hooks.example.com", for=10.0.0.1'}
    )
    headers = {**signed_form(public, FORM, Host="app.internal:8080"), **proxy}
    signature = headers["X-Twilio-Signature"]
    assert official.validate(public, FORM, signature)
    assert not official.validate("http://app.internal:8080/sms?x=1", FORM, signature)
    trusting = WebhookReceiver(
        TOKEN, trust_x_forwarded=style == "x-forwarded", trust_forwarded=style == "forwarded"
    )
    body = urlencode(FORM).encode()
    async with framework(WebhookReceiver(TOKEN), Calls()) as deliver:
        untrusted, _, _ = await deliver("/sms?x=1", headers, body)
    async with framework(trusting, Calls()) as deliver:
        trusted, _, _ = await deliver("/sms?x=1", headers, body)
        spoofed, _, _ = await deliver("/sms?x=1", {**headers, **FORM_TYPE, "Host": "x"}, body)
    assert (untrusted, trusted, spoofed) == (403, 200, 200)
    assert trusting.public_url("http", "a", "/p", {}) == "http://a/p"


async def test_base_url_overrides_the_request(framework: Callable[..., Any]) -> None:
    """A fixed public base URL is used whatever Host and proxy headers say."""
    public = "https://hooks.example.com:443/sms"
    headers = signed_form(public, FORM, Host="evil.example", X_Forwarded_Host="evil.example")
    receiver = WebhookReceiver(TOKEN, base_url="https://hooks.example.com/", trust_x_forwarded=True)
    async with framework(receiver, Calls()) as deliver:
        status, _, _ = await deliver("/sms", headers, urlencode(FORM).encode())
    assert status == 200


@pytest.mark.parametrize("tamper", [False, True])
async def test_json_body_with_body_sha256(framework: Callable[..., Any], tamper: bool) -> None:
    """A JSON webhook is checked by the URL signature and the body's bodySHA256."""
    body = json_body([{"type": "com.twilio.messaging.message.delivered", "data": {"n": 1}}])
    digest = hashlib.sha256(body).hexdigest()
    url = f"https://hooks.example.com/json?bodySHA256={digest}"
    signature = official.compute_signature(url, {})
    sent = body.replace(b"1", b"2") if tamper else body
    assert official.validate(url, sent.decode(), signature) is not tamper
    headers = {
        "Content-Type": "application/json",
        "X-Twilio-Signature": signature,
        "Host": "app.internal",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "hooks.example.com",
    }
    calls = Calls()
    async with framework(WebhookReceiver(TOKEN, trust_x_forwarded=True), calls) as deliver:
        status, _, answer = await deliver(f"/json?bodySHA256={digest}", headers, sent)
        unhashed, _, _ = await deliver("/json", headers, sent)
    assert unhashed == 403
    if tamper:
        assert (status, answer, calls.seen) == (403, b"", [])
    else:
        assert (status, answer) == (200, b"ok")
        assert calls.seen[0][0]["data"] == {"n": 1}


async def test_sha256_settings_and_rotated_tokens(framework: Callable[..., Any]) -> None:
    """HMAC-SHA256 named by the settings header, and a second (rotated) token, are accepted."""
    url = "http://hooks.example.com/sms"
    old = "0" * 32
    headers = {
        **FORM_TYPE,
        "Host": "hooks.example.com",
        "X-Twilio-Signature": RequestValidator(old).compute_signature(
            url, FORM, algorithm="HMAC_SHA256"
        ),
        "X-Twilio-Webhooks-Signature-Settings": "key=k1,algorithm=HMAC_SHA256",
    }
    async with framework(WebhookReceiver([TOKEN, old]), Calls()) as deliver:
        status, _, _ = await deliver("/sms", headers, urlencode(FORM).encode())
    async with framework(WebhookReceiver(TOKEN), Calls()) as deliver:
        other, _, _ = await deliver("/sms", headers, urlencode(FORM).encode())
    assert (status, other) == (200, 403)


def test_receiver_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """No token and no TWILIO_AUTH_TOKEN is a clear error; the token stays out of repr."""
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    with pytest.raises(ValueError, match="TWILIO_AUTH_TOKEN"):
        WebhookReceiver()
    with pytest.raises(ValueError, match="base_url"):
        WebhookReceiver(TOKEN, base_url="hooks.example.com")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    assert TOKEN not in repr(WebhookReceiver())
