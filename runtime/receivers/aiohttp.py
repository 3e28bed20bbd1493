"""Receiving Twilio webhooks in ``aiohttp.web``: a middleware and a handler decorator.

Both check ``X-Twilio-Signature`` with a :class:`~trunkline.receivers.WebhookReceiver`
(403 with an empty body when it fails), answer a retry of a delivery that already got a
2xx with that same answer (``I-Twilio-Idempotency-Token``), and leave the checked
:class:`~trunkline.receivers.Webhook` in ``request["twilio_webhook"]``::

    receiver = WebhookReceiver(auth_token)

    @twilio_webhook(receiver)
    async def sms(request: web.Request, hook: Webhook) -> VoiceResponse | web.StreamResponse:
        reply = MessagingResponse()
        reply.message("Thanks!")
        return reply                       # sent as text/xml

    app.router.add_post("/sms", sms)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Container
from typing import Any, TypeAlias

from aiohttp import web

from trunkline.twiml import TwiML

from ._core import BUSY, Webhook, WebhookReceiver
from ._store import StoredReply

__all__ = ["KEY", "get_webhook", "twilio_webhook", "twiml_response", "webhook_middleware"]

# Newer aiohttp has typed request keys and warns about str ones; older versions take a str.
KEY: Any = (
    web.RequestKey("twilio_webhook", Webhook) if hasattr(web, "RequestKey") else "twilio_webhook"
)
"""Where the checked :class:`Webhook` is kept in the request."""

WebhookHandler: TypeAlias = Callable[[web.Request, Webhook], Awaitable[TwiML | web.StreamResponse]]
Handler: TypeAlias = Callable[[web.Request], Awaitable[web.StreamResponse]]


def twiml_response(document: TwiML, *, status: int = 200) -> web.Response:
    """``document`` as a ``text/xml`` response."""
    return web.Response(
        status=status, body=str(document).encode(), content_type="text/xml", charset="utf-8"
    )


def get_webhook(request: web.Request) -> Webhook:
    """The webhook the middleware or decorator checked for this request.

    Raises:
        LookupError: neither ran for it.
    """
    webhook = request.get(KEY)
    if not isinstance(webhook, Webhook):
        raise LookupError("no checked Twilio webhook here: add webhook_middleware or the decorator")
    return webhook


def _capture(response: web.StreamResponse) -> StoredReply | None:
    if isinstance(response, web.Response) and isinstance(response.body, bytes | bytearray):
        return StoredReply(response.status, bytes(response.body), response.content_type)
    return None  # a streamed answer cannot be given again


async def _checked(
    receiver: WebhookReceiver, request: web.Request, call: Handler
) -> web.StreamResponse:
    if isinstance(request.get(KEY), Webhook):
        return await call(request)  # the middleware checked it already: claim a retry once
    if request.content_length is not None and request.content_length > receiver.max_body:
        return web.Response(status=413)
    body = await request.read()
    headers = {name.lower(): value for name, value in request.headers.items()}
    url = receiver.public_url(request.scheme, request.host, request.raw_path, headers)
    webhook = receiver.verify(request.method, url, headers, body)
    if webhook is None:
        return web.Response(status=403)
    request[KEY] = webhook
    answer = await receiver.run(webhook, lambda: call(request), _capture)
    if isinstance(answer, StoredReply):
        return web.Response(
            status=answer.status, body=answer.body, content_type=answer.content_type
        )
    if answer == BUSY or isinstance(answer, str):
        return web.Response(status=409)
    return answer


def webhook_middleware(
    receiver: WebhookReceiver, *, paths: Container[str] | None = None
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """An ``aiohttp.web`` middleware checking every request, or those whose path is in ``paths``."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if paths is not None and request.path not in paths:
            return await handler(request)
        return await _checked(receiver, request, handler)

    return middleware


def twilio_webhook(receiver: WebhookReceiver) -> Callable[[WebhookHandler], Handler]:
    """A decorator for one handler: checks the request and sends returned TwiML as XML."""

    def decorate(handler: WebhookHandler) -> Handler:
        async def call(request: web.Request) -> web.StreamResponse:
            answer = await handler(request, get_webhook(request))
            return twiml_response(answer) if isinstance(answer, TwiML) else answer

        async def checked(request: web.Request) -> web.StreamResponse:
            return await _checked(receiver, request, call)

        checked.__name__ = getattr(handler, "__name__", "twilio_webhook")
        checked.__doc__ = handler.__doc__
        return checked

    return decorate
