"""Every failure of a call is a trunkline error, and none shows a secret or a parameter value."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import trunkline
import trunkline.generated
from trunkline._transport import MockTransport, Request, Response

from .conftest import ACCOUNT_SID, AUTH_TOKEN, FETCH, LIST, PATH

SERVICE = "VA" + "1" * 32
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _twilio(handler: Callable[[Request], Response], **kwargs: Any) -> trunkline.Twilio:
    return trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, transport=MockTransport(handler), **kwargs)


def test_validation_error_is_both_a_trunkline_error_and_a_value_error() -> None:
    """except TrunklineError and except ValueError both catch a local argument check."""
    assert issubclass(trunkline.ValidationError, trunkline.TrunklineError)
    assert issubclass(trunkline.ValidationError, ValueError)
    assert issubclass(trunkline.UsageError, trunkline.TrunklineError)


async def test_local_argument_checks_raise_validation_error_naming_the_argument(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Generated checks, path values, timeouts, encodings and credentials: ValidationError."""
    async with _twilio(lambda r: Response(200, json={})) as tw:
        with pytest.raises(trunkline.ValidationError, match="service_sid"):
            await tw.verify.v2.services.entities.delete("VA-too-short", "alice")
        with pytest.raises(trunkline.ValidationError, match="identity"):
            await tw.verify.v2.services.entities.delete(SERVICE, "")
        with pytest.raises(trunkline.ValidationError, match="timeout"):
            await tw.request(FETCH, PATH, timeout=-1)
        with pytest.raises(trunkline.ValidationError, match="bytes"):
            await tw.request(FETCH, PATH, query={"A": b"raw"})
        with pytest.raises(trunkline.ValidationError, match="page_size"):
            await tw.list(LIST, PATH, dict, page_size=0)
        assert tw.transport.requests == []  # type: ignore[attr-defined]
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TWILIO_CLIENT_ID", raising=False)
    monkeypatch.delenv("TWILIO_CLIENT_SECRET", raising=False)
    with pytest.raises(trunkline.ValidationError, match="TWILIO_ACCOUNT_SID"):
        trunkline.Twilio()
    with pytest.raises(trunkline.ValidationError, match="region"):
        trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, region="not a label")


async def test_a_closed_client_raises_usage_error() -> None:
    """A call on a closed client is a UsageError (a RuntimeError too)."""
    tw = _twilio(lambda r: Response(200, json={}))
    await tw.aclose()
    with pytest.raises(trunkline.UsageError, match="closed"):
        await tw.request(FETCH, PATH)


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null", b"3"])
async def test_a_success_body_of_the_wrong_shape_is_a_response_shape_error(body: bytes) -> None:
    """An array, string, null or number where the spec promises an object: ResponseShapeError."""
    answer = Response(200, {"Content-Type": "application/json"}, body)
    async with _twilio(lambda r: answer) as tw:
        with pytest.raises(trunkline.ResponseShapeError, match=r"verify\.v2\.service"):
            await tw.verify.v2.services.fetch(SERVICE)


async def test_list_items_of_the_wrong_shape_are_a_response_shape_error() -> None:
    """A list page whose items are strings raises ResponseShapeError, not AttributeError."""
    page = {"services": ["a", "b"], "meta": {"key": "services", "next_page_url": None}}
    async with _twilio(lambda r: Response(200, json=page)) as tw:
        with pytest.raises(trunkline.ResponseShapeError):
            await tw.verify.v2.services.list()


@pytest.mark.parametrize("value", [["x"], {"a": 1}])
async def test_a_field_of_a_type_the_spec_rules_out_is_a_response_shape_error(value: Any) -> None:
    """A list or object where an enum's string goes raises ResponseShapeError, not TypeError."""
    body = {"sid": SERVICE, "status": value, "date_created": value}
    async with _twilio(lambda r: Response(200, json=body)) as tw:
        with pytest.raises(trunkline.ResponseShapeError, match="a field of"):
            await tw.wireless.v1.sims.fetch("DE" + "0" * 32)


@pytest.mark.parametrize("status", [200, 400])
async def test_json_nested_100k_deep_is_an_api_error(status: int) -> None:
    """A body nested 100,000 levels deep is an ApiError, never a RecursionError."""
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = Response(status, {"Content-Type": "application/json"}, deep)
    async with _twilio(lambda r: answer, retry=trunkline.RetryPolicy(attempts=1)) as tw:
        with pytest.raises(trunkline.ApiError) as info:
            await tw.request(FETCH, PATH)
    assert info.value.status == status


# Every response field the generator masks in model reprs, over the real specs: module of
# the models, and the field's Python name.
MASKED = {
    "signalwire.fabric": {"password", "refresh_token", "token"},
    "twilio.accounts.v1": {"auth_token", "secondary_auth_token"},
    "twilio.api.v2010": {"auth_token", "password", "secret"},
    "twilio.assistants.v1": {"profile_api_key", "write_key"},
    "twilio.content.v1": {"flow_token"},
    "twilio.iam.organizations": {"access_token", "id_token", "refresh_token"},
    "twilio.iam.v1": {
        "access_token",
        "csrf_token",
        "id_token",
        "refresh_token",
        "secret",
        "token",
    },
    "twilio.numbers.v1": {"pin", "port_out_pin"},
    "twilio.numbers.v2": {"inquiry_session_token"},
    "twilio.oauth.v1": {"access_token", "id_token", "refresh_token"},
    "twilio.oauth.v2": {"access_token", "id_token", "password", "refresh_token"},
    "twilio.trusthub.v1": {"inquiry_session_token"},
    "twilio.verify.v2": {"binding", "token"},
    "ziggeo": {"token"},
}


def _masked_fields() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    root = trunkline.generated
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        if not info.name.endswith(".models"):
            continue
        module = importlib.import_module(info.name)
        key = info.name.removeprefix(root.__name__ + ".").removesuffix(".models")
        # The package lists every class of the spec once; each loads from its module on access.
        for value in (getattr(module, name) for name in module.__all__):
            if isinstance(value, type) and attrs.has(value):
                for field in attrs.fields(value):
                    if callable(field.repr):
                        found.setdefault(key, set()).add(field.name)
    return found


def test_the_generator_masks_exactly_the_secret_fields_of_the_real_specs() -> None:
    """Over every generated spec, the masked model fields are exactly the pinned list."""
    assert _masked_fields() == MASKED


async def test_a_totp_factor_repr_hides_its_seed() -> None:
    """repr() of a new TOTP factor shows neither binding.secret nor the otpauth URI."""
    uri = f"otpauth://totp/Acme:ana?secret={SEED}&issuer=Acme"
    factor = {"sid": "YF" + "0" * 32, "binding": {"secret": SEED, "uri": uri}}
    async with _twilio(lambda r: Response(201, json=factor)) as tw:
        made = await tw.verify.v2.services.entities.factors.create(
            SERVICE, "ana", friendly_name="Ana", factor_type="totp"
        )
    assert made.binding == {"secret": SEED, "uri": uri}
    assert SEED not in repr(made)
    assert "binding='<masked>'" in repr(made)


async def test_messages_and_log_lines_name_parameters_never_their_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A Lookups error and its DEBUG lines name NationalId and DateOfBirth, not their values."""
    values = ("X1234567Z", "19800101")
    answer = Response(404, json={"code": 20404, "message": "not found"})
    with caplog.at_level(logging.DEBUG, logger="trunkline"):
        async with _twilio(lambda r: answer) as tw:
            with pytest.raises(trunkline.NotFoundError) as info:
                await tw.lookups.v2.phone_numbers.fetch(
                    "+15005550006", national_id=values[0], date_of_birth=values[1]
                )
    assert values[0] in info.value.url
    shown = [str(info.value), repr(info.value), caplog.text]
    for text in shown:
        assert "NationalId" in text
        assert "DateOfBirth" in text
        assert "/v2/PhoneNumbers/{PhoneNumber}" in text
        for value in (*values, "15005550006"):
            assert value not in text
