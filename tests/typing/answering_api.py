"""Pins the public types of TwiML, the webhook receivers and tracing.

Type-checked by ``make typecheck`` (mypy --strict), never run. A misspelt enumerated
attribute value must be a type error (the ``type: ignore`` lines fail as unused otherwise).
"""

from __future__ import annotations

from typing import Annotated, assert_type

from aiohttp import web
from fastapi import Depends

import trunkline
from trunkline.otel import tracing
from trunkline.receivers import IncomingCall, IncomingMessage, Webhook, WebhookReceiver
from trunkline.receivers.aiohttp import twilio_webhook
from trunkline.receivers.starlette import TwiMLResponse
from trunkline.receivers.starlette import twilio_webhook as dependency
from trunkline.twiml import Dial, Gather, Message, MessagingResponse, Say, VoiceResponse


def twiml_surface() -> None:
    response = VoiceResponse()
    gather = response.gather(input=["dtmf", "speech"], num_digits=1, method="POST")
    assert_type(gather, Gather)
    assert_type(gather.say("hi", voice="Polly.Joanna"), Say)
    assert_type(response.dial("+15558675310", record="record-from-answer"), Dial)
    response.dial(record="record-from-everywhere")  # type: ignore[arg-type]
    response.gather(method="PUT")  # type: ignore[arg-type]
    response.say(loop="twice")  # type: ignore[arg-type]
    reply = MessagingResponse()
    assert_type(reply.message("Thanks", to="+15558675310"), Message)
    assert_type(str(reply), str)


receiver = WebhookReceiver("token", trust_x_forwarded=True)


@twilio_webhook(receiver)
async def aiohttp_handler(request: web.Request, hook: Webhook) -> MessagingResponse:
    message = hook.parse(IncomingMessage.from_params)
    assert_type(message.num_media, int | None)
    return MessagingResponse()


async def fastapi_handler(hook: Annotated[Webhook, Depends(dependency)]) -> TwiMLResponse:
    call = hook.parse(IncomingCall.from_params)
    assert_type(call.digits, str | None)
    return TwiMLResponse(VoiceResponse())


async def traced() -> None:
    async with trunkline.Twilio("AC123", "token", middlewares=[tracing()]) as tw:
        assert_type(tw, trunkline.Twilio)
