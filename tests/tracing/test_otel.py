"""trunkline.otel: one CLIENT span per attempt, by the HTTP client conventions, nothing secret."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import trunkline
from trunkline._operation import Operation
from trunkline._retry import RetryPolicy
from trunkline._transport import MockTransport, Request, Response
from trunkline._twilio import TwilioClient
from trunkline.otel import tracing

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "s3cr3t-auth-token-value"
FETCH = Operation(
    id="FetchPhoneNumber",
    method="GET",
    server="https://lookups.twilio.com",
    path="/v2/PhoneNumbers/{PhoneNumber}",
)
CREATE = Operation(
    id="CreateMessage",
    method="POST",
    server="https://api.twilio.com",
    path="/2010-04-01/Accounts/{AccountSid}/Messages.json",
    body="form",
)
PHONE = "+15558675310"


async def _no_wait(delay: float) -> None:
    """A RetryPolicy sleep that returns at once: these tests count attempts, not time."""


FAST = RetryPolicy(attempts=3, wait_initial=0, wait_jitter=0, sleep=_no_wait)


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    """Spans of a private tracer provider, kept in memory."""
    memory = InMemorySpanExporter()
    yield memory
    memory.clear()


def client(exporter: InMemorySpanExporter, handler: Any) -> TwilioClient:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return TwilioClient(
        ACCOUNT_SID,
        AUTH_TOKEN,
        transport=MockTransport(handler),
        retry=FAST,
        middlewares=[tracing(provider)],
    )


def no_secrets(spans: tuple[ReadableSpan, ...]) -> None:
    """No attribute or name holds the token, the account SID, the phone number or a body."""
    for span in spans:
        text = span.name + json.dumps(dict(span.attributes or {}))
        for secret in (AUTH_TOKEN, PHONE, "15558675310", "Fields", "line_type", "Body", "hello"):
            assert secret not in text, (span.name, secret)


async def test_one_client_span_per_attempt_with_resend_count(
    exporter: InMemorySpanExporter,
) -> None:
    """A 503 then a 200 makes two CLIENT spans named by the path template, the second a resend."""
    answers = iter(
        [
            Response(503, {"Twilio-Request-Id": "RQ1"}),
            Response(200, {"Twilio-Request-Id": "RQ2"}, json={"ok": 1}),
        ]
    )

    def handler(request: Request) -> Response:
        return next(answers)

    async with client(exporter, handler) as tw:
        await tw.request(FETCH, {"PhoneNumber": PHONE}, query={"Fields": "line_type"})
    first, second = exporter.get_finished_spans()
    assert first.name == second.name == "GET /v2/PhoneNumbers/{PhoneNumber}"
    assert first.kind is second.kind is SpanKind.CLIENT
    assert dict(first.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "lookups.twilio.com",
        "server.port": 443,
        "url.scheme": "https",
        "url.template": "/v2/PhoneNumbers/{PhoneNumber}",
        "twilio.operation_id": "FetchPhoneNumber",
        "http.response.status_code": 503,
        "twilio.request_id": "RQ1",
        "error.type": "503",
    }
    assert first.status.status_code is StatusCode.ERROR
    attributes = dict(second.attributes or {})
    assert attributes["http.request.resend_count"] == 1
    assert attributes["http.response.status_code"] == 200
    assert "error.type" not in attributes
    assert second.status.status_code is StatusCode.UNSET
    no_secrets((first, second))


async def test_api_error_code_and_no_body(exporter: InMemorySpanExporter) -> None:
    """A 400 records Twilio's error code, never its message or the request body."""
    error = {"code": 21211, "message": f"The 'To' number {PHONE} is not valid.", "status": 400}

    def handler(request: Request) -> Response:
        return Response(400, json=error)

    async with client(exporter, handler) as tw:
        with pytest.raises(trunkline.BadRequestError):
            await tw.request(
                CREATE, {"AccountSid": ACCOUNT_SID}, body={"To": PHONE, "Body": "hello"}
            )
    (span,) = exporter.get_finished_spans()
    assert span.name == "POST /2010-04-01/Accounts/{AccountSid}/Messages.json"
    attributes = dict(span.attributes or {})
    assert (attributes["error.type"], attributes["twilio.error_code"]) == ("400", 21211)
    assert "http.request.resend_count" not in attributes
    assert ACCOUNT_SID not in span.name
    no_secrets((span,))


async def test_connection_failures_are_error_spans(exporter: InMemorySpanExporter) -> None:
    """A connection that never got made is an error span per attempt, typed by its class."""

    def handler(request: Request) -> Response:
        raise trunkline.ApiConnectionError(f"cannot reach {request.url}", request_sent=False)

    async with client(exporter, handler) as tw:
        with pytest.raises(trunkline.ApiConnectionError):
            await tw.request(FETCH, {"PhoneNumber": PHONE})
    spans = exporter.get_finished_spans()
    assert [dict(s.attributes or {}).get("http.request.resend_count") for s in spans] == [
        None,
        1,
        2,
    ]
    for span in spans:
        assert dict(span.attributes or {})["error.type"] == "ApiConnectionError"
        assert "http.response.status_code" not in (span.attributes or {})
        assert not span.events  # no exception event: its message quotes the URL
    no_secrets(spans)
