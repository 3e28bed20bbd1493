"""OpenTelemetry spans for every request attempt, as a client middleware (``trunkline[otel]``).

Following the HTTP client semantic conventions: one ``CLIENT`` span per attempt (a retry is
its own span with ``http.request.resend_count``), named ``{method} {url.template}`` where
the template is the operation's path as the spec writes it
(``GET /v2/Services/{ServiceSid}``) so span names never hold identifiers or phone numbers,
``http.response.status_code``, and ``error.type`` (the status code, or the exception's
class) on failure. Twilio's own: ``twilio.operation_id``, ``twilio.request_id`` and
``twilio.error_code``. No header, query value, body or credential goes into any attribute;
the URL is reported only as its scheme, host, port and template::

    from trunkline.otel import tracing

    async with trunkline.Twilio(middlewares=[tracing()]) as tw:
        ...
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from trunkline._version import VERSION

if TYPE_CHECKING:
    from trunkline._client import Handler, Middleware
    from trunkline._transport import Request, Response

__all__ = ["tracing"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _error_code(response: Response) -> int | str | None:
    """The provider's error code from an error body, when it is JSON that has one."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int | str) and not isinstance(code, bool) else None


def tracing(tracer_provider: trace.TracerProvider | None = None) -> Middleware:
    """A middleware that records each attempt as a span (the global provider by default)."""
    tracer = trace.get_tracer("trunkline", VERSION, tracer_provider=tracer_provider)

    async def middleware(request: Request, handler: Handler) -> Response:
        parts = urlsplit(request.url)
        template = request.operation.path if request.operation is not None else None
        attributes: dict[str, Any] = {
            "http.request.method": request.method,
            "server.address": parts.hostname or "",
            "server.port": parts.port or _DEFAULT_PORTS.get(parts.scheme, 80),
            "url.scheme": parts.scheme,
        }
        if template is not None:
            attributes["url.template"] = template
        if request.operation is not None:
            attributes["twilio.operation_id"] = request.operation.id
        if request.attempt > 1:
            attributes["http.request.resend_count"] = request.attempt - 1
        name = f"{request.method} {template}" if template is not None else request.method
        with tracer.start_as_current_span(
            name,
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                response = await handler(request)
            except BaseException as exc:
                # The exception's message may quote the URL; its class is enough to group by.
                span.set_attribute("error.type", type(exc).__qualname__)
                span.set_status(Status(StatusCode.ERROR))
                raise
            span.set_attribute("http.response.status_code", response.status)
            request_id = response.header("Twilio-Request-Id")
            if request_id:
                span.set_attribute("twilio.request_id", request_id)
            if response.status >= 400:
                span.set_attribute("error.type", str(response.status))
                span.set_status(Status(StatusCode.ERROR))
                code = _error_code(response)
                if code is not None:
                    span.set_attribute("twilio.error_code", code)
            return response

    return middleware
