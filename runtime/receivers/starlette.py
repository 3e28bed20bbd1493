"""Receiving Twilio webhooks in Starlette and FastAPI: an ASGI middleware and a dependency.

:class:`TwilioWebhookMiddleware` checks ``X-Twilio-Signature`` on the paths it is given
(403 with an empty body when it fails), answers a retry of a delivery that already got a
2xx with that same answer (``I-Twilio-Idempotency-Token``), and keeps the checked
:class:`~trunkline.receivers.Webhook` for the endpoint, which takes it with the
:data:`twilio_webhook` dependency (FastAPI) or awaits it (Starlette)::

    receiver = WebhookReceiver(auth_token)
    app = FastAPI()
    app.add_middleware(TwilioWebhookMiddleware, receiver=receiver, paths={"/sms"})

    @app.post("/sms")
    async def sms(hook: Annotated[Webhook, Depends(twilio_webhook)]) -> TwiMLResponse:
        reply = MessagingResponse()
        reply.message("Thanks!")
        return TwiMLResponse(reply)

``Depends(WebhookDependency(receiver))`` alone checks the signature too (a 403 whose detail
is empty); only the middleware answers retries once and sends a 403 with no body at all.
"""

from __future__ import annotations

from collections.abc import Container, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trunkline.twiml import TwiML

from ._core import Webhook, WebhookReceiver
from ._store import StoredReply

__all__ = ["TwiMLResponse", "TwilioWebhookMiddleware", "WebhookDependency", "twilio_webhook"]

_STATE = "twilio_webhook"


class TwiMLResponse(Response):
    """A TwiML document sent as ``text/xml``."""

    media_type = "text/xml"

    def __init__(self, document: TwiML, status_code: int = 200) -> None:
        super().__init__(str(document), status_code=status_code)


class WebhookDependency:
    """A dependency giving the endpoint its checked :class:`Webhook`.

    With :class:`TwilioWebhookMiddleware` on the path it hands over what the middleware
    checked. Given a receiver it also works alone: it checks the signature itself and
    raises a 403 ``HTTPException`` with an empty detail (retries are then not deduplicated:
    only the middleware sees the answer to give them).

    Args:
        receiver: the receiver to check requests with when no middleware did.
    """

    def __init__(self, receiver: WebhookReceiver | None = None) -> None:
        self.receiver = receiver

    async def __call__(self, request: Request) -> Webhook:
        webhook = request.scope.get("state", {}).get(_STATE)
        if isinstance(webhook, Webhook):
            return webhook
        receiver = self.receiver
        if receiver is None:
            raise LookupError(
                f"no checked Twilio webhook for {request.url.path}: add "
                "TwilioWebhookMiddleware with this path, or give WebhookDependency a receiver"
            )
        body = await request.body()
        if len(body) > receiver.max_body:
            raise HTTPException(status_code=413, detail="")
        headers = _headers(request.scope)
        url = _url(receiver, request.scope, headers)
        webhook = receiver.verify(request.method, url, headers, body)
        if webhook is None:
            raise HTTPException(status_code=403, detail="")
        return webhook


twilio_webhook = WebhookDependency()
"""The dependency for endpoints behind :class:`TwilioWebhookMiddleware`."""


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


def _url(receiver: WebhookReceiver, scope: Scope, headers: dict[str, str]) -> str:
    target = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    if scope.get("query_string"):
        target += "?" + scope["query_string"].decode("latin-1")
    server = scope.get("server") or ("localhost", None)
    host = headers.get("host") or (f"{server[0]}:{server[1]}" if server[1] else server[0])
    return receiver.public_url(scope["scheme"], host, target, headers)


async def _plain(send: Send, status: int, body: bytes = b"", media_type: str | None = None) -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    if media_type:
        headers.append((b"content-type", media_type.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Recorder:
    """Passes an app's answer on while keeping a copy of it for the idempotency store."""

    def __init__(self, send: Send, limit: int) -> None:
        self._send = send
        self._limit = limit
        self.status = 500
        self.media_type: str | None = None
        self.chunks: list[bytes] = []
        self.size = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            for name, value in message.get("headers", []):
                if name.lower() == b"content-type":
                    self.media_type = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size <= self._limit:
                self.chunks.append(chunk)
        await self._send(message)

    def reply(self) -> StoredReply | None:
        if self.size > self._limit:
            return None
        return StoredReply(self.status, b"".join(self.chunks), self.media_type)


class TwilioWebhookMiddleware:
    """ASGI middleware checking Twilio's signature on ``paths`` (every path if None)."""

    def __init__(
        self, app: ASGIApp, *, receiver: WebhookReceiver, paths: Container[str] | None = None
    ) -> None:
        self.app = app
        self.receiver = receiver
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.paths is not None and scope["path"] not in self.paths):
            await self.app(scope, receive, send)
            return
        receiver = self.receiver
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > receiver.max_body:
                await _plain(send, 413)
                return
        headers = _headers(scope)
        webhook = receiver.verify(
            scope["method"], _url(receiver, scope, headers), headers, bytes(body)
        )
        if webhook is None:
            await _plain(send, 403)
            return
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state[_STATE] = webhook
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        recorder = _Recorder(send, receiver.max_body)

        async def handle() -> _Recorder:
            await self.app(scope, replay, recorder)
            return recorder

        answer = await receiver.run(webhook, handle, _Recorder.reply)
        if isinstance(answer, StoredReply):
            await _plain(send, answer.status, answer.body, answer.content_type)
        elif isinstance(answer, str):
            await _plain(send, 409)
