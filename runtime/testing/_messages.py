"""Messages (2010 API) in the emulator: Twilio's sending rules and the delivery progression.

A message needs a ``To`` (21604 when missing, 21211 when not a phone number), a sender
(``From`` or ``MessagingServiceSid``, 21603) and something to send (``Body``,
``MediaUrl`` or ``ContentSid``, 21602). It is ``queued`` (``accepted`` through a
Messaging Service), ``sent`` a second later and ``delivered`` a second after that, by
the emulator's clock; each step after the first is POSTed to its ``StatusCallback``.
:attr:`Messages.sent` lists what was sent, for tests to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._callbacks import Callbacks
from ._core import Clock, TwilioProblem
from ._generic import Call, Generic
from ._lifecycle import NOW, Lifecycle, Step

_HOST = "api.twilio.com"

__all__ = ["Messages"]

STEPS = (
    Step("queued", 0, "queued"),
    Step("sent", 1, "sent", {"date_sent": NOW}),
    Step("delivered", 2, "delivered"),
)


def _params(record: Mapping[str, Any]) -> dict[str, str]:
    return {
        "MessageSid": str(record["sid"]),
        "SmsSid": str(record["sid"]),
        "AccountSid": str(record.get("account_sid", "")),
        "From": str(record.get("from") or ""),
        "To": str(record.get("to") or ""),
        "MessageStatus": str(record["status"]),
        "SmsStatus": str(record["status"]),
        "ApiVersion": "2010-04-01",
    }


class Messages:
    """Sending rules and progression of the 2010 API's Messages."""

    def __init__(self, clock: Clock, callbacks: Callbacks) -> None:
        self.lifecycle = Lifecycle(clock, callbacks, STEPS, _params)
        self._sent: list[dict[str, Any]] = []

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every message created so far (stored form, property names), oldest first."""
        self.lifecycle.settle()
        return list(self._sent)

    def register(self, generic: Generic) -> None:
        """Serve CreateMessage with these rules; move messages on before every request."""
        generic.register(_HOST, "CreateMessage", self._create, codes={"To": 21604})
        generic.before.append(self.lifecycle.settle)

    async def _create(self, call: Call) -> web.StreamResponse:
        if not (call.field("From") or call.field("MessagingServiceSid")):
            raise TwilioProblem(400, 21603, "A 'From' phone number is required.")
        if not (call.field("Body") or call.field("MediaUrl") or call.field("ContentSid")):
            raise TwilioProblem(400, 21602, "Message body is required.")
        media = call.form.get("MediaUrl", [])
        record = call.generic.create(
            call,
            status="accepted" if call.field("MessagingServiceSid") else "queued",
            direction="outbound-api",
            num_segments="1",
            num_media=str(len(media)),
            date_sent=None,
            error_code=None,
            error_message=None,
            price=None,
        )
        self._sent.append(record)
        callback = call.field("StatusCallback")
        events = frozenset(s.event for s in STEPS)
        self.lifecycle.track(record, record.get("account_sid") or call.account, callback, events)
        return call.respond(call.render(record))
