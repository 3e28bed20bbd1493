"""Form, query and JSON encoding of call arguments."""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

import trunkline
from trunkline._encoding import (
    encode_form,
    encode_json,
    encode_query,
    encode_scalar,
    quote_path_value,
)


class Status(enum.Enum):
    PENDING = "pending"


class Size(enum.IntEnum):
    SMALL = 3


def test_form_repeats_keys_for_lists() -> None:
    """A list becomes the key repeated once per item, never ``Key[]``."""
    assert encode_form({"StatusCallbackEvent": ["initiated", "ringing"]}) == (
        "StatusCallbackEvent=initiated&StatusCallbackEvent=ringing"
    )


def test_form_booleans_and_none() -> None:
    """Booleans are ``true``/``false`` and None values are left out."""
    assert encode_form({"A": True, "B": False, "C": None, "D": [None, 1]}) == "A=true&B=false&D=1"


def test_form_dict_is_json_string() -> None:
    """A dict value is sent as a compact JSON string."""
    encoded = encode_form({"Metadata": {"os": "Android", "n": 1}})
    assert parse_qsl(encoded) == [("Metadata", '{"os":"Android","n":1}')]


def test_datetimes_iso_8601() -> None:
    """Datetimes are ISO 8601 with UTC as ``Z``; dates are plain ISO dates."""
    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    assert encode_scalar(when) == "2024-05-06T07:08:09Z"
    plus2 = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert encode_scalar(plus2) == "2024-05-06T07:08:09+02:00"
    assert encode_scalar(dt.date(2024, 5, 6)) == "2024-05-06"


def test_enums_by_value() -> None:
    """Enum members are encoded by their value."""
    assert encode_form({"Status": Status.PENDING, "Size": Size.SMALL}) == "Status=pending&Size=3"


def test_numbers() -> None:
    """Integers, floats and decimals are written as Python writes them."""
    assert encode_form({"A": 30, "B": 1.5, "C": Decimal("0.10")}) == "A=30&B=1.5&C=0.10"


def test_keys_and_values_quoted() -> None:
    """Keys with ``>`` and values with spaces, ``&`` and unicode survive a round trip."""
    params = {"DateCreated>": "2024-01-01", "Details.Message": "Hi & bye ü"}
    assert parse_qsl(encode_form(params)) == list(params.items())
    assert parse_qsl(encode_query(params)) == list(params.items())
    assert "%20" in encode_query({"A": "a b"})
    assert "+" in encode_form({"A": "a b"})


def test_unencodable_value() -> None:
    """A value with no text form raises trunkline.ValidationError naming its type."""
    with pytest.raises(trunkline.ValidationError, match="bytes"):
        encode_form({"A": b"raw"})


def test_json_body() -> None:
    """A JSON body drops top-level None and encodes datetimes and enums like a form."""
    body = encode_json(
        {
            "a": None,
            "b": [1, True],
            "c": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            "d": Status.PENDING,
        }
    )
    assert json.loads(body) == {"b": [1, True], "c": "2024-01-01T00:00:00Z", "d": "pending"}


def test_path_values_quoted_as_one_segment() -> None:
    """Path values are percent-quoted so a slash cannot change the path."""
    assert quote_path_value("Identity", "a/b c") == "a%2Fb%20c"
    assert quote_path_value("Sid", "YC123") == "YC123"


@pytest.mark.parametrize("value", ["", None])
def test_empty_path_value_rejected(value: str | None) -> None:
    """An empty or None path value raises ValueError naming the parameter."""
    with pytest.raises(ValueError, match="ServiceSid"):
        quote_path_value("ServiceSid", value)


@given(
    st.dictionaries(
        st.text(min_size=1),
        st.lists(st.text(), max_size=3) | st.text() | st.integers() | st.booleans(),
        max_size=5,
    )
)
def test_form_round_trip(params: dict[str, object]) -> None:
    """Any mapping of text, numbers, booleans and lists decodes back to the same pairs."""
    expected = []
    for key, value in params.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            text = {True: "true", False: "false"}.get(v, str(v)) if isinstance(v, bool) else str(v)
            expected.append((key, text))
    assert parse_qsl(encode_form(params), keep_blank_values=True) == expected
    assert parse_qsl(encode_query(params), keep_blank_values=True) == expected
