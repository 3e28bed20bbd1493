"""The runtime helpers generated models and services lean on (trunkline._models, _validate)."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import sys
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trunkline import _models as m
from trunkline import _validate as v


class Color(m.OpenEnum):
    RED = "red"
    BLUE = "blue"


@given(
    st.datetimes(
        min_value=dt.datetime(1971, 1, 1),
        max_value=dt.datetime(2200, 1, 1),
        timezones=st.sampled_from(
            [
                dt.UTC,
                dt.timezone(dt.timedelta(hours=-7)),
                dt.timezone(dt.timedelta(hours=5, minutes=30)),
            ]
        ),
    ).map(lambda d: d.replace(microsecond=0))
)
def test_rfc2822_round_trips(moment: dt.datetime) -> None:
    """Any second-precision aware datetime written as RFC 2822 parses back to the same instant."""
    parsed = m.rfc2822_datetime(format_datetime(moment))
    assert parsed == moment
    assert parsed is not None
    assert parsed.utcoffset() == moment.utcoffset()


def test_date_parsers_accept_twilio_forms_and_tolerate_garbage() -> None:
    """Twilio's ISO and RFC 2822 forms parse; None and malformed values give None."""
    assert m.iso_datetime("2015-07-30T20:00:00Z") == dt.datetime(2015, 7, 30, 20, tzinfo=dt.UTC)
    assert m.rfc2822_datetime("Wed, 18 Aug 2010 20:01:40 +0000") == dt.datetime(
        2010, 8, 18, 20, 1, 40, tzinfo=dt.UTC
    )
    assert m.rfc2822_datetime("Thu, 01 Jan 2015 10:00:00 -0500") == dt.datetime(
        2015, 1, 1, 15, tzinfo=dt.UTC
    )
    assert m.date("2024-02-29") == dt.date(2024, 2, 29)
    for parse in (m.iso_datetime, m.rfc2822_datetime, m.date):
        assert parse(None) is None
        assert parse("not a date") is None


def test_open_enums_keep_unknown_values() -> None:
    """Known values become members, unknown ones stay strings, None stays None."""
    table = m.enum_lookup(Color)
    assert table["red"] is Color.RED
    assert table["green"] == "green"
    assert not isinstance(table["green"], Color)
    assert table[None] is None
    assert table[3] == "3"
    assert "green" not in table
    assert m.open_enum_list(Color, ["blue", "pink"]) == [Color.BLUE, "pink"]
    assert Color.RED.value == "red"
    assert str(Color.RED) == "red"


def test_model_keeps_raw_and_reports_extra_fields() -> None:
    """A model keeps the object it came from and exposes the fields it does not know."""

    class Thing(m.Model):
        _wire_names = frozenset({"sid"})

    raw = {"sid": "X1", "new_field": 3}
    thing = Thing(raw=raw)
    assert thing.raw is raw
    assert thing.extra == {"new_field": 3}
    assert m.nested(lambda d: dict(d), "not an object") is None
    assert m.model_list(lambda d: d["a"], [{"a": 1}, {"a": 2}]) == [1, 2]


def test_validation_errors_name_the_argument() -> None:
    """Empty path parameters, missing required values and wrong enum values raise ValueError."""
    assert v.path_param("sid", "X") == "X"
    with pytest.raises(ValueError, match="sid must be a non-empty string"):
        v.path_param("sid", "")
    with pytest.raises(ValueError, match="to is required"):
        v.required("to", None)
    with pytest.raises(ValueError, match="color must be one of 'red', 'blue', got 'green'"):
        v.enum_value("color", "green", Color)
    assert v.enum_value("color", Color.RED, Color) is Color.RED
    with pytest.raises(ValueError, match="must be a list"):
        v.enum_values("colors", "red", Color)
    assert v.enum_values("colors", ("red",), Color) == ["red"]


def test_merge_headers_adds_only_given_values() -> None:
    """Header parameters join the caller's headers; None values are left out."""
    assert v.merge_headers(None, {"If-Match": None}) is None
    assert v.merge_headers({"A": "1"}, {"X-Flag": True, "N": 3}) == {
        "A": "1",
        "X-Flag": "true",
        "N": "3",
    }


def test_stdlib_enum_members_are_checked_by_value() -> None:
    """enum_value accepts any Enum class, checking by value."""

    class Plain(enum.Enum):
        A = "a"

    assert v.enum_value("p", "a", Plain) == "a"


def test_lazy_exports_import_a_class_on_first_use_and_keep_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package ``__getattr__`` imports a class from its module, keeps it, refuses others."""
    package = tmp_path / "lazy_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from trunkline import _lazy\n__getattr__ = _lazy.exports(__name__, {'Thing': 'things'})\n"
    )
    (package / "things.py").write_text("class Thing:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    lazy_pkg = importlib.import_module("lazy_pkg")
    assert "lazy_pkg.things" not in sys.modules
    thing = lazy_pkg.Thing
    assert thing is sys.modules["lazy_pkg.things"].Thing
    assert vars(lazy_pkg)["Thing"] is thing
    with pytest.raises(AttributeError, match="module 'lazy_pkg' has no attribute 'Other'"):
        _ = lazy_pkg.Other
