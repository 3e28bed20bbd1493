"""RequestValidator: agrees with the official validator on generated URLs and parameters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator as OfficialValidator

from trunkline.webhooks import RequestValidator, signature_algorithm

AUTH_TOKEN = "12345678901234567890123456789012"
URL = "https://example.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}


class MultiDict:
    """The shape of a framework's multi-valued form (getall), as the official validator reads."""

    def __init__(self, data: dict[str, list[str]]) -> None:
        self._data = data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def getall(self, name: str) -> list[str]:
        return self._data[name]


safe = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)


@st.composite
def urls(draw: st.DrawFn) -> tuple[str, str, str]:
    """(url as sent, url with no port, url with the explicit port) for a generated URL."""
    scheme = draw(st.sampled_from(["http", "https"]))
    host = ".".join(draw(st.lists(safe, min_size=1, max_size=3)))
    port = draw(st.none() | st.integers(min_value=1, max_value=65535))
    path = "/" + "/".join(quote(p) for p in draw(st.lists(st.text(max_size=6), max_size=3)))
    pairs = draw(st.lists(st.tuples(safe, st.text(max_size=6)), max_size=3))
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)
    tail = path + (f"?{query}" if query else "")
    default = 443 if scheme == "https" else 80
    bare = f"{scheme}://{host}{tail}"
    explicit = f"{scheme}://{host}:{port if port is not None else default}{tail}"
    sent = bare if port is None else explicit
    return sent, bare, explicit


form_values = st.text(max_size=10)
single_forms = st.dictionaries(st.text(max_size=8), form_values, max_size=5)
multi_forms = st.dictionaries(
    st.text(max_size=8), st.lists(form_values, min_size=1, max_size=3, unique=True), max_size=4
)


@settings(max_examples=200, deadline=None)
@given(
    url=urls(),
    form=single_forms | multi_forms,
    target=st.sampled_from(["sent", "bare", "explicit", "other", "garbage"]),
    algorithm=st.sampled_from(["HMAC_SHA1", "HMAC_SHA256"]),
    token=st.text(min_size=1, max_size=40),
)
def test_agrees_with_official(
    url: tuple[str, str, str],
    form: dict[str, str] | dict[str, list[str]],
    target: str,
    algorithm: str,
    token: str,
) -> None:
    """Same verdict as the official validator, whether the signature covers a URL form or not."""
    sent, bare, explicit = url
    official = OfficialValidator(token)
    their_form: object = (
        MultiDict({k: list(v) for k, v in form.items()})
        if any(isinstance(v, list) for v in form.values())
        else form
    )
    signed_url = {"sent": sent, "bare": bare, "explicit": explicit, "other": sent + "x"}
    if target == "garbage":
        signature = "bm90IGEgc2lnbmF0dXJl"
    else:
        signature = official.compute_signature(signed_url[target], their_form, algorithm)
    ours = RequestValidator(token).validate(sent, form, signature, algorithm=algorithm)
    theirs = official.validate(sent, their_form, signature, algorithm=algorithm)
    assert ours == theirs
    assert ours == (target in {"sent", "bare", "explicit"})


@settings(max_examples=100, deadline=None)
@given(form=single_forms | multi_forms, token=st.text(min_size=1, max_size=40))
def test_compute_signature_matches_official(
    form: dict[str, str] | dict[str, list[str]], token: str
) -> None:
    """compute_signature equals the official one for any form, SHA1 and SHA256."""
    their_form: object = (
        MultiDict({k: list(v) for k, v in form.items()})
        if any(isinstance(v, list) for v in form.values())
        else form
    )
    for algorithm in ("HMAC_SHA1", "HMAC_SHA256"):
        assert RequestValidator(token).compute_signature(
            URL, form, algorithm=algorithm
        ) == OfficialValidator(token).compute_signature(URL, their_form, algorithm)


def test_documented_example() -> None:
    """Twilio's documented example request validates; a changed parameter does not."""
    validator = RequestValidator(AUTH_TOKEN)
    signature = validator.compute_signature(URL, PARAMS)
    assert signature == OfficialValidator(AUTH_TOKEN).compute_signature(URL, PARAMS)
    assert validator.validate(URL, PARAMS, signature)
    assert validator.validate("https://example.com:443/myapp.php?foo=1&bar=2", PARAMS, signature)
    assert not validator.validate(URL, {**PARAMS, "Digits": "9"}, signature)
    assert not validator.validate(URL, PARAMS, signature[:-2])


def test_repeated_values_each_count() -> None:
    """Each value of a repeated parameter is signed, in sorted order."""
    validator = RequestValidator(AUTH_TOKEN)
    form: dict[str, Sequence[str]] = {"StatusCallbackEvent": ["ringing", "answered"]}
    expected = validator.compute_signature(
        URL + "StatusCallbackEventansweredStatusCallbackEventringing"
    )
    assert validator.compute_signature(URL, form) == expected


@settings(max_examples=50, deadline=None)
@given(body=st.text(max_size=200), tamper=st.booleans())
def test_json_body_hash(body: str, tamper: bool) -> None:
    """A JSON body is checked through bodySHA256; ours and the official agree."""
    digest = hashlib.sha256(body.encode()).hexdigest()
    url = f"https://example.com/hook?bodySHA256={digest}"
    official = OfficialValidator(AUTH_TOKEN)
    signature = official.compute_signature(url, {})
    sent_body = body + "x" if tamper else body
    ours = RequestValidator(AUTH_TOKEN).validate(url, sent_body, signature)
    assert ours == official.validate(url, sent_body, signature)
    assert ours is not tamper
    assert RequestValidator(AUTH_TOKEN).validate(url, sent_body.encode(), signature) is ours


def test_raw_body_without_hash_is_a_form() -> None:
    """A raw body on a URL without bodySHA256 is read as a form: a JSON body then fails."""
    validator = RequestValidator(AUTH_TOKEN)
    url = "https://example.com/hook"
    assert not validator.validate(url, "{}", validator.compute_signature(url))


def test_sha256_selected_by_settings_header() -> None:
    """X-Twilio-Webhooks-Signature-Settings selects HMAC-SHA256; SHA1 signatures then fail."""
    validator = RequestValidator(AUTH_TOKEN)
    settings_header = "key=webhooks_sharedkey_123,algorithm=HMAC_SHA256"
    sha256 = validator.compute_signature(URL, PARAMS, algorithm="HMAC_SHA256")
    sha1 = validator.compute_signature(URL, PARAMS)
    assert validator.validate(URL, PARAMS, sha256, signature_settings=settings_header)
    assert not validator.validate(URL, PARAMS, sha1, signature_settings=settings_header)
    assert not validator.validate(URL, PARAMS, sha256)
    headers = {
        "x-twilio-signature": sha256,
        "X-TWILIO-WEBHOOKS-SIGNATURE-SETTINGS": settings_header,
    }
    assert validator.validate_request(URL, PARAMS, headers)
    assert not validator.validate_request(URL, PARAMS, {})
    assert signature_algorithm(None) == "HMAC_SHA1"
    assert signature_algorithm("key=k") == "HMAC_SHA1"
    assert signature_algorithm("key=k, algorithm=hmac_sha256") == "HMAC_SHA256"


def test_unknown_algorithms() -> None:
    """A newer algorithm named by the header fails validation; asking to compute one raises."""
    validator = RequestValidator(AUTH_TOKEN)
    signature = validator.compute_signature(URL, PARAMS)
    assert not validator.validate(URL, PARAMS, signature, signature_settings="algorithm=HMAC_SHA3")
    with pytest.raises(ValueError, match="HMAC_SHA1 or HMAC_SHA256"):
        validator.compute_signature(URL, PARAMS, algorithm="MD5")
    with pytest.raises(ValueError, match="not both"):
        validator.validate(URL, PARAMS, signature, algorithm="HMAC_SHA1", signature_settings="")


def test_non_ascii_signature_is_just_invalid() -> None:
    """A signature with non-ASCII characters is rejected, not an exception."""
    assert not RequestValidator(AUTH_TOKEN).validate(URL, PARAMS, "é" * 28)


def test_token_required_and_hidden() -> None:
    """An empty token is refused and the token never appears in repr."""
    with pytest.raises(ValueError, match="auth_token"):
        RequestValidator("")
    assert AUTH_TOKEN not in repr(RequestValidator(AUTH_TOKEN))


def test_userinfo_and_ipv6_hosts() -> None:
    """Ports are added or removed correctly for hosts with user info or IPv6 literals."""
    validator = RequestValidator(AUTH_TOKEN)
    for sent, other in [
        ("https://user:pw@example.com/hook", "https://user:pw@example.com:443/hook"),
        ("http://[::1]:80/hook", "http://[::1]/hook"),
    ]:
        assert validator.validate(sent, PARAMS, validator.compute_signature(other, PARAMS))


def test_non_str_form_values_are_signed_as_text() -> None:
    """Numbers and booleans in a form are signed as Twilio wrote them, not a TypeError."""
    validator = RequestValidator(AUTH_TOKEN)
    as_text = {"NumMedia": "0", "Price": "0.5", "Final": "true", "Sid": "SM1"}
    typed: dict[str, object] = {"NumMedia": 0, "Price": 0.5, "Final": True, "Sid": b"SM1"}
    signature = OfficialValidator(AUTH_TOKEN).compute_signature(URL, as_text)
    assert validator.compute_signature(URL, typed) == signature
    assert validator.validate(URL, typed, signature)


def test_multi_valued_forms_and_raw_form_bodies() -> None:
    """getall/getlist forms and a raw form body validate like the parsed dict."""
    validator = RequestValidator(AUTH_TOKEN)
    form = {"Event": ["b", "a"], "Body": ["hi there"]}
    signature = validator.compute_signature(URL, form)

    class GetList(MultiDict):
        getall = None  # type: ignore[assignment]

        def getlist(self, name: str) -> list[str]:
            return self._data[name]

    assert validator.validate(URL, MultiDict(form), signature)
    assert validator.validate(URL, GetList(form), signature)
    assert validator.validate(URL, b"Event=b&Body=hi+there&Event=a", signature)
    assert not validator.validate(URL, b"Event=b&Body=hi+there", signature)
