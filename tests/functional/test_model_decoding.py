"""Generated ``from_dict``: enums via lookup tables, dates parsed inline with a safe fallback."""

from __future__ import annotations

import datetime as dt
import sys
from types import ModuleType
from typing import Any

import pytest

from .conftest import GenerateFn

SPEC = """
openapi: 3.0.1
info: {title: Clock - v1, version: 1.0.0}
servers: [{url: "https://clock.twilio.com"}]
components:
  schemas:
    clock.v1.alarm:
      type: object
      properties:
        sid: {type: string}
        status: {$ref: "#/components/schemas/alarm_enum_status"}
        kind: {$ref: "#/components/schemas/alarm_enum_kind"}
        date_created: {type: string, format: date-time}
        date_updated: {type: string, format: date-time}
        birthday: {type: string, format: date}
        date_sent: {type: string, format: date-time-rfc-2822}
    alarm_enum_status:
      type: string
      enum: [ringing, snoozed]
    alarm_enum_kind:
      type: string
      enum: [once, daily]
paths:
  /v1/Alarms/{Sid}:
    x-twilio: {pathType: instance}
    get:
      operationId: FetchAlarm
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/clock.v1.alarm"}
"""

GOOD = {
    "sid": "AL1",
    "status": "ringing",
    "kind": "daily",
    "date_created": "2024-05-01T10:00:00Z",
    "date_updated": "2024-05-01T10:00:30.5+02:00",
    "birthday": "1990-02-28",
    "date_sent": "Wed, 01 May 2024 10:00:00 +0000",
}


@pytest.fixture
def models(generated: GenerateFn) -> ModuleType:
    """The generated models module of the inline spec."""
    name = f"{generated('twilio_clock_v1.yaml', SPEC).__name__}.twilio.clock.v1.models"
    __import__(name)
    return sys.modules[name]


def test_well_formed_values_decode_to_members_and_datetimes(models: ModuleType) -> None:
    """Known enum values become members and every date form parses to its value."""
    alarm = models.Alarm.from_dict(GOOD)
    assert alarm.status is models.AlarmStatus.RINGING
    assert alarm.kind is models.AlarmKind.DAILY
    assert alarm.date_created == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert alarm.date_updated == dt.datetime(
        2024, 5, 1, 10, 0, 30, 500000, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert alarm.birthday == dt.date(1990, 2, 28)
    assert alarm.date_sent == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert alarm.raw is GOOD


@pytest.mark.parametrize(
    ("status", "expected"),
    [("snoozed", "snoozed"), ("exploded", "exploded"), (None, None), (7, "7"), (True, "True")],
)
def test_enum_fields_are_open(models: ModuleType, status: Any, expected: Any) -> None:
    """Unknown enum values are kept as strings (non-strings through str()), None stays None."""
    alarm = models.Alarm.from_dict({**GOOD, "status": status})
    assert alarm.status == expected
    assert type(alarm.status) is (models.AlarmStatus if status == "snoozed" else type(expected))
    assert alarm.kind is models.AlarmKind.DAILY


def test_the_enum_lookup_table_is_not_filled_by_unknown_values(models: ModuleType) -> None:
    """Decoding an unknown value does not grow the enum's shared lookup table."""
    table = sys.modules[models.Alarm.__module__]._AlarmStatus_by_value
    size = len(table)
    models.Alarm.from_dict({**GOOD, "status": "brand-new"})
    assert len(table) == size


@pytest.mark.parametrize(
    "changes",
    [
        {"date_created": "yesterday"},
        {"date_created": 1714557600},
        {"date_created": ["2024-05-01"]},
        {"birthday": "1990-02-30"},
        {"date_created": "not a date", "birthday": 19900228},
    ],
)
def test_a_malformed_date_is_none_and_the_others_still_parse(
    models: ModuleType, changes: dict[str, Any]
) -> None:
    """A malformed date decodes to None, the well-formed ones beside it keep their values."""
    data = {**GOOD, **changes}
    alarm = models.Alarm.from_dict(data)
    good = models.Alarm.from_dict(GOOD)
    for name in ("date_created", "date_updated", "birthday", "date_sent"):
        expected = None if name in changes else getattr(good, name)
        assert getattr(alarm, name) == expected, name
    assert alarm.raw is data
    assert alarm.status is models.AlarmStatus.RINGING


def test_missing_and_null_dates_are_none(models: ModuleType) -> None:
    """Absent or null date fields decode to None without disturbing the others."""
    alarm = models.Alarm.from_dict({"sid": "AL1", "date_updated": None, "birthday": "1990-02-28"})
    assert (alarm.date_created, alarm.date_updated, alarm.date_sent) == (None, None, None)
    assert alarm.birthday == dt.date(1990, 2, 28)
    assert alarm.status is None
