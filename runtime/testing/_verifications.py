"""Verify one-time codes in the emulator: verifications and checks over sms, call, email, whatsapp.

The rules are Verify's: the service must exist (20404); ``To`` is E.164 for the phone
channels and an address for email (60200); a destination gets at most five sends in ten
minutes (429, 60203); a pending verification to the same destination is sent again, not
replaced; a check with the right code approves it, a wrong one leaves it pending, the
sixth check answers 429 / 60202; a verification expires ten minutes after it started,
and an approved, canceled or expired one is gone (404 on check and fetch). The code a
destination was sent is :meth:`Verifications.code_for`.

Services are the hand-written Verify's (``_verify.py``, which serves create, fetch and
list); updating and deleting them is served here, on the same state.
"""

from __future__ import annotations

import secrets
from typing import Any

import attrs
from aiohttp import web

from ._checks import is_phone_number
from ._core import Clock, TwilioProblem
from ._generic import Call, Generic
from ._render import stamp

_HOST = "verify.twilio.com"

__all__ = ["EXPIRY", "MAX_CHECKS", "MAX_SENDS", "Verifications"]

EXPIRY = 600.0
"""Seconds a verification stays pending."""
MAX_SENDS = 5
"""Sends to one destination within :data:`EXPIRY`."""
MAX_CHECKS = 5
"""Checks of one verification."""
_PHONE_CHANNELS = frozenset({"sms", "call", "whatsapp"})
# Updatable service fields: wire name, attribute, and an integer range where Verify has one.
_SERVICE_FIELDS: tuple[tuple[str, str, int | None, int | None], ...] = (
    ("FriendlyName", "friendly_name", None, None),
    ("CodeLength", "code_length", 4, 10),
    ("Totp.Issuer", "totp_issuer", None, None),
    ("Totp.TimeStep", "totp_time_step", 20, 60),
    ("Totp.CodeLength", "totp_code_length", 3, 8),
    ("Totp.Skew", "totp_skew", 0, 2),
    ("Push.IncludeDate", "push_include_date", None, None),
)


@attrs.define
class _Pending:
    record: dict[str, Any]
    code: str
    started: float
    checks: int = 0


class Verifications:
    """Verify v2 verifications and checks.

    Args:
        clock: the emulator's time.
        services: the hand-written Verify's services by SID.
    """

    def __init__(self, clock: Clock, services: dict[str, Any]) -> None:
        self.clock = clock
        self._services = services
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._sends: dict[tuple[str, str], list[float]] = {}
        self.sent: list[tuple[str, str, str]] = []
        """``(to, channel, code)`` for every code sent, oldest first."""

    def code_for(self, to: str, service_sid: str | None = None) -> str:
        """The code of the pending verification to ``to`` (in ``service_sid``, if given).

        Raises:
            LookupError: no verification to ``to`` is pending.
        """
        self._expire()
        for (service, dest), pending in reversed(self._pending.items()):
            if dest == to and service_sid in (None, service):
                return pending.code
        raise LookupError(f"no pending verification to {to!r}")

    def register(self, generic: Generic) -> None:
        """Serve the verification and check operations with these rules."""
        generic.register(_HOST, "CreateVerification", self._create)
        generic.register(_HOST, "FetchVerification", self._fetch)
        generic.register(_HOST, "UpdateVerification", self._update)
        generic.register(_HOST, "CreateVerificationCheck", self._check)
        generic.register(_HOST, "UpdateService", self._update_service)
        generic.register(_HOST, "DeleteService", self._delete_service)

    def _code_length(self, service_sid: str) -> int | None:
        service = self._services.get(service_sid)
        return None if service is None else int(service.code_length)

    async def _update_service(self, call: Call) -> web.StreamResponse:
        service = self._services.get(call.values["Sid"])
        if service is None:
            raise call.not_found()
        for wire, name, low, high in _SERVICE_FIELDS:
            raw = call.field(wire)
            if raw is None:
                continue
            value: Any = raw
            if low is not None:
                value = int(raw)
                if not low <= value <= (high or value):
                    raise TwilioProblem(400, 60200, f"Invalid parameter: {wire}")
            elif name == "push_include_date":
                value = raw.lower() == "true"
            setattr(service, name, value)
        service.updated = self.clock()
        record = {
            "sid": service.sid,
            "account_sid": call.account,
            "friendly_name": service.friendly_name,
            "code_length": service.code_length,
            "totp": {
                "issuer": service.totp_issuer,
                "time_step": service.totp_time_step,
                "code_length": service.totp_code_length,
                "skew": service.totp_skew,
            },
            "push": {"include_date": service.push_include_date},
            "date_created": stamp(service.created, "date-time"),
            "date_updated": stamp(service.updated, "date-time"),
            "url": f"https://{_HOST}/v2/Services/{service.sid}",
        }
        return call.respond(call.render(record))

    async def _delete_service(self, call: Call) -> web.StreamResponse:
        if self._services.pop(call.values["Sid"], None) is None:
            raise call.not_found()
        return web.Response(status=204)

    def _expire(self) -> None:
        now = self.clock()
        for key, pending in list(self._pending.items()):
            if now - pending.started >= EXPIRY:
                pending.record["status"] = "expired"
                del self._pending[key]

    def _service(self, call: Call) -> str:
        sid = call.values["ServiceSid"]
        if self._code_length(sid) is None:
            raise call.not_found()
        return sid

    async def _create(self, call: Call) -> web.StreamResponse:
        service = self._service(call)
        to, channel = call.field("To") or "", call.field("Channel") or ""
        if channel in _PHONE_CHANNELS and not is_phone_number(to):
            raise TwilioProblem(400, 60200, "Invalid parameter: To")
        if channel == "email" and "@" not in to:
            raise TwilioProblem(400, 60200, "Invalid parameter: To")
        self._expire()
        now = self.clock()
        key = (service, to)
        sends = [t for t in self._sends.get(key, []) if now - t < EXPIRY]
        if len(sends) >= MAX_SENDS:
            raise TwilioProblem(429, 60203, "Max send attempts reached")
        sends.append(now)
        self._sends[key] = sends
        attempt = {"attempt_sid": "VL" + secrets.token_hex(16), "channel": channel, "time": None}
        pending = self._pending.get(key)
        if pending is None:
            length = self._code_length(service) or 6
            code = call.field("CustomCode") or "".join(
                secrets.choice("0123456789") for _ in range(length)
            )
            record = call.generic.create(
                call, status="pending", valid=False, send_code_attempts=[], lookup={}
            )
            pending = self._pending[key] = _Pending(record, code, now)
        record = pending.record
        record["channel"] = channel
        attempt["time"] = record.get("date_updated")
        record["send_code_attempts"] = [*record["send_code_attempts"], attempt]
        self.sent.append((to, channel, pending.code))
        return call.respond(call.render(record))

    def _live(self, call: Call) -> dict[str, Any]:
        self._expire()
        record = call.generic.fetch(call)
        if record.get("status") != "pending":
            raise call.not_found()
        return record

    async def _fetch(self, call: Call) -> web.StreamResponse:
        return call.respond(call.render(self._live(call)))

    async def _update(self, call: Call) -> web.StreamResponse:
        record = self._live(call)
        status = call.field("Status") or ""
        record["status"] = status
        record["valid"] = status == "approved"
        self._forget(record)
        return call.respond(call.render(record))

    def _forget(self, record: dict[str, Any]) -> None:
        for key, pending in list(self._pending.items()):
            if pending.record is record:
                del self._pending[key]
                self._sends.pop(key, None)

    async def _check(self, call: Call) -> web.StreamResponse:
        service = self._service(call)
        self._expire()
        to, sid = call.field("To"), call.field("VerificationSid")
        if not (to or sid):
            raise TwilioProblem(400, 60200, "Invalid parameter: To or VerificationSid is required")
        pending = next(
            (
                p
                for (svc, dest), p in self._pending.items()
                if svc == service and (dest == to if to else p.record.get("sid") == sid)
            ),
            None,
        )
        if pending is None:
            raise call.not_found()
        pending.checks += 1
        if pending.checks > MAX_CHECKS:
            raise TwilioProblem(429, 60202, f"Max check attempts reached ({MAX_CHECKS})")
        record = pending.record
        if call.field("Code") == pending.code:
            record["status"] = "approved"
            record["valid"] = True
            self._forget(record)
        return call.respond(call.render(record))
