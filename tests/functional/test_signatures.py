"""Functional tests: date and date-time arguments are checked and sent as the spec's format says."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

GenerateFn = Callable[[str, str], ModuleType]

SPEC = """
openapi: 3.0.1
info: {title: Diary - v1, version: 1.0.0}
servers: [{url: "https://diary.twilio.com"}]
components:
  schemas:
    diary.v1.entry:
      type: object
      properties:
        sid: {type: string}
    entry_enum_mood:
      type: string
      enum: [calm, busy]
paths:
  /v1/Entries:
    x-twilio: {pathType: list}
    get:
      operationId: ListEntry
      parameters:
        - {name: Day, in: query, schema: {type: string, format: date}}
        - {name: WrittenAt, in: query, schema: {type: string, format: date-time}}
        - {name: WrittenAt<, in: query, schema: {type: string, format: date-time}}
        - {name: Mood, in: query, schema: {$ref: "#/components/schemas/entry_enum_mood"}}
        - {name: PageSize, in: query, schema: {type: integer}}
        - {name: Page, in: query, schema: {type: integer}}
        - {name: PageToken, in: query, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  entries:
                    type: array
                    items: {$ref: "#/components/schemas/diary.v1.entry"}
                  meta:
                    type: object
                    properties:
                      next_page_url: {type: string}
    post:
      operationId: CreateEntry
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                RemindAt: {type: string, format: date-time}
                Mood: {$ref: "#/components/schemas/entry_enum_mood"}
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/diary.v1.entry"}
"""

EMPTY = {"entries": [], "meta": {"next_page_url": None}}


@pytest.fixture
def diary(generated: GenerateFn) -> ModuleType:
    package = generated("twilio_diary_v1.yaml", SPEC)
    __import__(f"{package.__name__}.twilio")
    return package


def _client(package: ModuleType, body: Any) -> tuple[Any, MockTransport]:
    transport = MockTransport(lambda request: Response(200, json=body))
    twilio_module = sys.modules[f"{package.__name__}.twilio"]
    return twilio_module.Twilio("AC" + "a" * 32, "token", transport=transport), transport


def _query(request: Request) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


async def test_dates_and_aware_datetimes_go_out_as_documented(diary: ModuleType) -> None:
    """A date is sent as YYYY-MM-DD; an aware datetime in another zone is sent in UTC with Z."""
    client, transport = _client(diary, EMPTY)
    lisbon_summer = dt.timezone(dt.timedelta(hours=1))
    async with client:
        await client.diary.v1.entries.list(
            day=dt.date(2024, 5, 1),
            written_at=dt.date(2024, 5, 2),
            written_at_before=dt.datetime(2024, 5, 3, 10, 30, tzinfo=lisbon_summer),
        )
    query = _query(transport.requests[0])
    assert query["Day"] == ["2024-05-01"]
    assert query["WrittenAt"] == ["2024-05-02"]
    assert query["WrittenAt<"] == ["2024-05-03T09:30:00Z"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"written_at": dt.datetime(2024, 5, 3, 10, 30)}, "written_at must be a timezone-aware"),
        ({"written_at": "2024-05-03"}, "written_at must be an aware datetime.datetime or a date"),
        ({"day": dt.datetime(2024, 5, 3, tzinfo=dt.UTC)}, r"day must be a datetime.date, got a"),
        ({"day": "2024-05-03"}, "day must be a datetime.date, got a str"),
        ({"mood": "clam"}, "mood must be one of 'calm', 'busy', got 'clam'"),
    ],
)
async def test_bad_dates_and_enum_values_fail_before_any_request(
    diary: ModuleType, kwargs: dict[str, Any], message: str
) -> None:
    """A naive datetime, a string for a date, a datetime for a date, or an enum typo: no request."""
    client, transport = _client(diary, EMPTY)
    async with client:
        with pytest.raises(trunkline.ValidationError, match=message):
            await client.diary.v1.entries.list(**kwargs)
    assert transport.requests == []


async def test_a_body_date_time_takes_an_aware_datetime_only(diary: ModuleType) -> None:
    """A form body's date-time is sent in UTC; a naive one or a bare date is refused before I/O."""
    client, transport = _client(diary, {"sid": "EN1"})
    async with client:
        await client.diary.v1.entries.create(
            remind_at=dt.datetime(2024, 5, 3, 9, 30, tzinfo=dt.UTC), mood="calm"
        )
        for bad in (dt.datetime(2024, 5, 3, 9, 30), dt.date(2024, 5, 3)):
            with pytest.raises(trunkline.ValidationError, match="remind_at must be"):
                await client.diary.v1.entries.create(remind_at=bad)
    assert len(transport.requests) == 1
    form = parse_qs((transport.requests[0].content or b"").decode())
    assert form == {"RemindAt": ["2024-05-03T09:30:00Z"], "Mood": ["calm"]}
