"""Wire names to Python names."""

from __future__ import annotations

import pytest

from trunkline.codegen.naming import enum_member, pascal, python_name, singular, snake


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("Details.Message", "details_message"),
        ("Binding.PublicKey", "binding_public_key"),
        ("Config.TimeStep", "config_time_step"),
        ("DateCreated>", "date_created_after"),
        ("DateCreated<", "date_created_before"),
        ("StartTime>=", "start_time_on_or_after"),
        ("ServiceSid", "service_sid"),
        ("X-Twilio-Webhook-Enabled", "x_twilio_webhook_enabled"),
        ("SMSUrl", "sms_url"),
        ("Parameter12.Name", "parameter12_name"),
        ("friendly_name", "friendly_name"),
    ],
)
def test_snake_maps_wire_names(wire: str, python: str) -> None:
    """Dots, inequality marks and camel case become one snake_case argument name."""
    assert snake(wire) == python


def test_python_name_avoids_keywords_reserved_and_digits() -> None:
    """Keywords, reserved argument names and leading digits are made into valid identifiers."""
    assert python_name("from") == "from_"
    assert python_name("timeout", frozenset({"timeout"})) == "timeout_"
    assert python_name("2fa") == "n2fa"
    assert python_name("") == "value"


@pytest.mark.parametrize(
    ("word", "one"),
    [
        ("Challenges", "Challenge"),
        ("Entities", "Entity"),
        ("Addresses", "Address"),
        ("Status", "Status"),
        ("Media", "Media"),
        ("Boxes", "Box"),
    ],
)
def test_singular(word: str, one: str) -> None:
    """Resource collection names become singular class names."""
    assert singular(word) == one


def test_pascal_and_enum_members() -> None:
    """Schema names become class names and enum values member names."""
    assert pascal("access_token") == "AccessToken"
    assert pascal("challenge_enum_factor_types") == "ChallengeEnumFactorTypes"
    assert enum_member("in-progress") == "IN_PROGRESS"
    assert enum_member("2fa") == "V_2FA"
    assert enum_member("") == "EMPTY"
