"""The rules that shape a generic answer: TypeID keys, echoed objects, oneOf, string limits."""

from __future__ import annotations

import re
from typing import Any

from trunkline.testing._catalog import Schemas
from trunkline.testing._render import conform, fill, new_key

NOW = 1_700_000_000.0
TYPEID = "^know_knowledge_[0-7][0-9a-z]{25}$"
PARTICIPANT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "kind"],
    "properties": {
        "id": {"type": "string", "pattern": "^conv_participant_[0-9a-z]{26}$"},
        "name": {"type": "string", "maxLength": 4},
        "kind": {"type": "string", "enum": ["human", "bot"]},
        "extra": {"type": "integer"},
    },
}


def _tagged(tag: str, field: str) -> dict[str, Any]:
    """An object schema whose ``type`` is the one value ``tag`` and that requires ``field``."""
    return {
        "type": "object",
        "required": ["type", field],
        "properties": {"type": {"type": "string", "enum": [tag]}, field: {"type": "string"}},
    }


SOURCES = Schemas(
    {
        "Text": _tagged("Text", "content"),
        "Web": _tagged("Web", "url"),
        "Source": {
            "type": "object",
            "oneOf": [{"$ref": "#/components/schemas/Text"}, {"$ref": "#/components/schemas/Web"}],
            "discriminator": {
                "propertyName": "type",
                "mapping": {
                    "TextTag": "#/components/schemas/Text",
                    "WebTag": "#/components/schemas/Web",
                },
            },
        },
        "Untagged": {
            "oneOf": [{"$ref": "#/components/schemas/Web"}, {"$ref": "#/components/schemas/Text"}],
            "discriminator": {"propertyName": "type"},
        },
        "Participant": PARTICIPANT,
    }
)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_typeid_key_matches_its_whole_pattern() -> None:
    """A new key for a prefix-then-classes pattern matches the whole pattern, not its prefix."""
    assert re.fullmatch(TYPEID, new_key({"type": "string", "pattern": TYPEID}))


def test_typeid_keys_are_unique() -> None:
    """Two new keys for the same TypeID pattern differ."""
    schema = {"type": "string", "pattern": TYPEID}
    assert len({new_key(schema) for _ in range(50)}) == 50


def test_fill_of_typeid_property_matches_its_pattern() -> None:
    """An unset property with a TypeID pattern is filled with a value matching the pattern."""
    pattern = "^voice_transcription_[0-9a-zA-Z]{26}$"
    assert re.fullmatch(pattern, fill(SOURCES, {"type": "string", "pattern": pattern}, NOW))


def test_sid_pattern_still_gives_its_two_letter_sid() -> None:
    """A classic SID pattern still yields its two letters and 32 hex digits."""
    assert re.fullmatch("^SM[0-9a-f]{32}$", new_key({"pattern": "^SM[0-9a-fA-F]{32}$"}))


def test_echoed_object_gets_missing_required_properties() -> None:
    """An echoed object item gains the required properties the response schema names."""
    out = conform(SOURCES, {"type": "array", "items": _ref("Participant")}, [{"extra": 3}], NOW)
    assert set(out[0]) == {"id", "name", "kind", "extra"}


def test_echoed_object_keeps_given_properties_conformed() -> None:
    """Given properties of an echoed object are kept, made to fit their own schemas."""
    out = conform(SOURCES, _ref("Participant"), {"kind": "bot", "extra": "7"}, NOW)
    assert (out["kind"], out["extra"]) == ("bot", 7)


def test_fill_of_discriminated_oneof_uses_first_branch_and_its_mapping_tag() -> None:
    """An unset discriminated oneOf is filled as its first branch, tagged by its mapping key."""
    assert fill(SOURCES, _ref("Source"), NOW) == {"type": "TextTag", "content": ""}


def test_fill_of_untagged_oneof_uses_first_branch_enum() -> None:
    """Without a mapping, the discriminator takes the first branch's own enum value."""
    assert fill(SOURCES, _ref("Untagged"), NOW) == {"type": "Web", "url": ""}


def test_conform_of_oneof_follows_the_given_tag() -> None:
    """An echoed oneOf value is conformed to the branch its discriminator tag selects."""
    out = conform(SOURCES, _ref("Source"), {"type": "WebTag"}, NOW)
    assert set(out) == {"type", "url"}


def test_echoed_string_over_max_length_is_replaced() -> None:
    """An echoed string longer than maxLength is replaced by a fill that fits."""
    assert conform(SOURCES, {"type": "string", "maxLength": 2}, "contract", NOW) == ""


def test_echoed_string_under_min_length_is_replaced() -> None:
    """An echoed string shorter than minLength is replaced by a fill of that length."""
    assert conform(SOURCES, {"type": "string", "minLength": 3}, "ab", NOW) == "xxx"


def test_echoed_string_within_limits_is_kept() -> None:
    """An echoed string within maxLength and minLength is answered as sent."""
    assert conform(SOURCES, {"type": "string", "minLength": 1, "maxLength": 2}, "US", NOW) == "US"


def test_echoed_string_breaking_pattern_is_replaced() -> None:
    """An echoed string that breaks a TypeID pattern is replaced by a key matching it."""
    assert re.fullmatch(TYPEID, conform(SOURCES, {"type": "string", "pattern": TYPEID}, "x", NOW))


def test_echoed_string_that_is_not_a_date_is_replaced() -> None:
    """An echoed string that is no date-time is replaced by the current time in that format."""
    out = conform(SOURCES, {"type": "string", "format": "date-time"}, "soon", NOW)
    assert out == "2023-11-14T22:13:20Z"
