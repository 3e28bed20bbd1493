"""An aiohttp app answering Twilio: an SMS auto-reply with a keyword menu, and a voice IVR.

Every route checks ``X-Twilio-Signature`` (403 otherwise) and answers a Twilio retry with
its first answer. Point a number's Messaging webhook at ``/sms`` and its Voice webhook at
``/voice``; behind a TLS proxy pass ``trust_x_forwarded=True`` (or ``base_url=``) so the
URL Twilio signed can be rebuilt. Run it with ``TWILIO_AUTH_TOKEN`` set:
``python examples/webhook_app.py`` (listens on 127.0.0.1:8080).
"""

from __future__ import annotations

from aiohttp import web

from trunkline.receivers import IncomingCall, IncomingMessage, Webhook, WebhookReceiver
from trunkline.receivers.aiohttp import twilio_webhook
from trunkline.twiml import MessagingResponse, VoiceResponse

SUPPORT_NUMBER = "+15017122661"
MENU = "Reply HOURS for opening hours, WHERE for our address, or AGENT to get a call back."
KEYWORDS = {
    "MENU": MENU,
    "HELP": MENU,
    "HOURS": "We are open Monday to Friday, 9:00 to 17:00.",
    "WHERE": "1 Main Street, Springfield. Reply MENU for more.",
    "AGENT": "An agent will call you back within the hour.",
}


def sms_reply(text: str | None) -> MessagingResponse:
    """The reply to one incoming message: the keyword's answer, or the menu."""
    keyword = (text or "").strip().split(" ", 1)[0].upper()
    reply = MessagingResponse()
    reply.message(KEYWORDS.get(keyword, f"Sorry, I did not get that. {MENU}"))
    return reply


def voice_menu() -> VoiceResponse:
    """The IVR's main menu: one digit (or a spoken word), asked again if nothing comes."""
    response = VoiceResponse()
    gather = response.gather(
        input=["dtmf", "speech"],
        num_digits=1,
        action="/voice/choice",
        timeout=5,
        hints="sales, support",
    )
    gather.say("Thanks for calling. For opening hours press 1 or say sales. For support press 2.")
    response.redirect("/voice")
    return response


def voice_choice(call: IncomingCall) -> VoiceResponse:
    """What the caller chose: hours and goodbye, a transfer to support, or the menu again."""
    response = VoiceResponse()
    said = (call.speech_result or "").lower()
    if call.digits == "1" or "sales" in said:
        response.say("We are open Monday to Friday, 9 to 5. Goodbye.")
        response.hangup()
    elif call.digits == "2" or "support" in said:
        response.say("Connecting you to support.")
        response.dial(SUPPORT_NUMBER, timeout=20, answer_on_bridge=True)
    else:
        response.say("Sorry, that is not an option.")
        response.redirect("/voice")
    return response


def make_app(receiver: WebhookReceiver) -> web.Application:
    """The app, its three routes checked by ``receiver``."""

    @twilio_webhook(receiver)
    async def sms(request: web.Request, hook: Webhook) -> MessagingResponse:
        return sms_reply(hook.parse(IncomingMessage.from_params).body)

    @twilio_webhook(receiver)
    async def voice(request: web.Request, hook: Webhook) -> VoiceResponse:
        return voice_menu()

    @twilio_webhook(receiver)
    async def choice(request: web.Request, hook: Webhook) -> VoiceResponse:
        return voice_choice(hook.parse(IncomingCall.from_params))

    app = web.Application()
    app.router.add_post("/sms", sms)
    app.router.add_post("/voice", voice)
    app.router.add_post("/voice/choice", choice)
    return app


def main() -> None:
    web.run_app(make_app(WebhookReceiver()), host="127.0.0.1", port=8080)


if __name__ == "__main__":
    main()
