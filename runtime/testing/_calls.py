"""Calls (2010 API) in the emulator: Twilio's dialling rules and the call progression.

A call needs a ``To`` (21201 when missing, 21211 when not a phone number or client/SIP
address) and a ``From`` (21213). It is ``queued``, ``ringing`` after a second,
``in-progress`` after two and ``completed`` after five (a three-second call).
``StatusCallback`` receives the events ``StatusCallbackEvent`` names (``initiated``,
``ringing``, ``answered``, ``completed``), ``completed`` alone by default, as Twilio does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._callbacks import Callbacks
from ._core import Clock
from ._generic import Call, Generic
from ._lifecycle import NOW, Lifecycle, Step

_HOST = "api.twilio.com"

__all__ = ["Calls"]

STEPS = (
    Step("queued", 0, "initiated"),
    Step("ringing", 1, "ringing"),
    Step("in-progress", 2, "answered", {"start_time": NOW}),
    Step("completed", 5, "completed", {"duration": "3", "end_time": NOW}),
)


def _params(record: Mapping[str, Any]) -> dict[str, str]:
    return {
        "CallSid": str(record["sid"]),
        "AccountSid": str(record.get("account_sid", "")),
        "From": str(record.get("from") or ""),
        "To": str(record.get("to") or ""),
        "CallStatus": str(record["status"]),
        "Direction": "outbound-api",
        "ApiVersion": "2010-04-01",
        **({"CallDuration": str(record["duration"])} if record.get("duration") else {}),
    }


class Calls:
    """Dialling rules and progression of the 2010 API's Calls."""

    def __init__(self, clock: Clock, callbacks: Callbacks) -> None:
        self.lifecycle = Lifecycle(clock, callbacks, STEPS, _params)
        self._placed: list[dict[str, Any]] = []

    @property
    def placed(self) -> list[dict[str, Any]]:
        """Every call created so far (stored form), oldest first."""
        self.lifecycle.settle()
        return list(self._placed)

    def register(self, generic: Generic) -> None:
        """Serve CreateCall with these rules; move calls on before every request."""
        generic.register(_HOST, "CreateCall", self._create, codes={"To": 21201, "From": 21213})
        generic.before.append(self.lifecycle.settle)

    async def _create(self, call: Call) -> web.StreamResponse:
        record = call.generic.create(
            call, status="queued", direction="outbound-api", duration=None, start_time=None
        )
        self._placed.append(record)
        events = frozenset(call.form.get("StatusCallbackEvent") or ["completed"])
        callback = call.field("StatusCallback")
        self.lifecycle.track(record, record.get("account_sid") or call.account, callback, events)
        return call.respond(call.render(record))
