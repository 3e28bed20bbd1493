"""Typed payloads of the webhooks apps handle most, from Twilio's public parameter lists.

Each model reads a form's parameters (``Webhook.params``) with :meth:`from_params`; a field
is None when Twilio did not send it, numbers are ``int`` (None if unparsable), and every
parameter the model does not name is kept in ``extra`` (Twilio adds parameters over time).
A Verify event also reads the JSON of an Event Streams delivery (its ``data`` object).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

import attrs

__all__ = [
    "CallStatus",
    "IncomingCall",
    "IncomingMessage",
    "Media",
    "MessageStatus",
    "RecordingStatus",
    "TaskRouterEvent",
    "VerifyEvent",
]

P = TypeVar("P", bound="_Payload")
_MEDIA = re.compile(r"Media(Url|ContentType)(\d+)")


def _wire(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _field(wire: str | None = None, *, number: bool = False) -> Any:
    return attrs.field(default=None, metadata={"wire": wire, "int": number})


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@attrs.frozen
class _Payload:
    """Reads wire names (PascalCase unless a field says) into fields; keeps the rest."""

    _wire_style: ClassVar[str] = "pascal"
    extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True, repr=False)

    @classmethod
    def _names(cls) -> dict[str, tuple[str, bool]]:
        names: dict[str, tuple[str, bool]] = {}
        for f in attrs.fields(cls):
            if f.name == "extra" or f.name.startswith("_"):
                continue
            wire = f.metadata.get("wire") or (
                _wire(f.name) if cls._wire_style == "pascal" else f.name
            )
            names[wire] = (f.name, bool(f.metadata.get("int")))
        return names

    @classmethod
    def from_params(cls: type[P], params: Mapping[str, Any]) -> P:
        """The payload from a webhook's parameters (unknown ones go to ``extra``)."""
        names = cls._names()
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for wire, value in params.items():
            known = names.get(wire)
            if known is None:
                extra[wire] = value
            else:
                values[known[0]] = _int(value) if known[1] else value
        return cls(**values, extra=extra)


@attrs.frozen
class _Parties(_Payload):
    """Who the message or call is between, on which account."""

    account_sid: str | None = _field()
    from_: str | None = _field("From")
    to: str | None = _field()
    api_version: str | None = _field()


@attrs.frozen
class _Places(_Parties):
    """Where Twilio places the two numbers (when it can)."""

    from_city: str | None = _field()
    from_state: str | None = _field()
    from_zip: str | None = _field()
    from_country: str | None = _field()
    to_city: str | None = _field()
    to_state: str | None = _field()
    to_zip: str | None = _field()
    to_country: str | None = _field()


@attrs.frozen
class Media:
    """One media item of an incoming message."""

    url: str
    content_type: str | None = None


@attrs.frozen
class IncomingMessage(_Places):
    """An incoming SMS, MMS or WhatsApp message (the Messaging webhook)."""

    message_sid: str | None = _field()
    messaging_service_sid: str | None = _field()
    body: str | None = _field()
    num_media: int | None = _field(number=True)
    num_segments: int | None = _field(number=True)
    sms_status: str | None = _field()
    profile_name: str | None = _field()
    wa_id: str | None = _field("WaId")
    button_text: str | None = _field()
    button_payload: str | None = _field()

    @property
    def media(self) -> list[Media]:
        """``MediaUrl0``, ``MediaContentType0`` … as items, in order."""
        found: dict[int, dict[str, str]] = {}
        for name, value in self.extra.items():
            match = _MEDIA.fullmatch(name)
            if match:
                found.setdefault(int(match.group(2)), {})[match.group(1)] = value
        return [
            Media(item["Url"], item.get("ContentType"))
            for _, item in sorted(found.items())
            if "Url" in item
        ]


@attrs.frozen
class IncomingCall(_Places):
    """An incoming (or answered outgoing) call: the Voice webhook, and a ``<Gather>``'s result."""

    call_sid: str | None = _field()
    call_status: str | None = _field()
    direction: str | None = _field()
    forwarded_from: str | None = _field()
    caller_name: str | None = _field()
    parent_call_sid: str | None = _field()
    call_token: str | None = _field()
    digits: str | None = _field()
    speech_result: str | None = _field()
    confidence: str | None = _field()
    finished_on_key: str | None = _field()


@attrs.frozen
class MessageStatus(_Parties):
    """A message's status callback (queued, sent, delivered, undelivered, failed, read …)."""

    message_sid: str | None = _field()
    message_status: str | None = _field()
    sms_status: str | None = _field()
    messaging_service_sid: str | None = _field()
    error_code: int | None = _field(number=True)
    raw_dlr_done_date: str | None = _field()


@attrs.frozen
class CallStatus(_Parties):
    """A call's status callback (initiated, ringing, in-progress, completed, busy …)."""

    call_sid: str | None = _field()
    call_status: str | None = _field()
    direction: str | None = _field()
    parent_call_sid: str | None = _field()
    call_duration: int | None = _field(number=True)
    duration: int | None = _field(number=True)
    timestamp: str | None = _field()
    sequence_number: int | None = _field(number=True)
    callback_source: str | None = _field()
    answered_by: str | None = _field()
    sip_response_code: int | None = _field(number=True)
    recording_url: str | None = _field()
    recording_sid: str | None = _field()
    recording_duration: int | None = _field(number=True)


@attrs.frozen
class RecordingStatus(_Payload):
    """A recording's status callback (in-progress, completed, absent, failed)."""

    account_sid: str | None = _field()
    call_sid: str | None = _field()
    recording_sid: str | None = _field()
    recording_url: str | None = _field()
    recording_status: str | None = _field()
    recording_duration: int | None = _field(number=True)
    recording_channels: int | None = _field(number=True)
    recording_start_time: str | None = _field()
    recording_source: str | None = _field()
    recording_track: str | None = _field()
    error_code: int | None = _field(number=True)


@attrs.frozen
class TaskRouterEvent(_Payload):
    """A TaskRouter workspace event callback (``task.created``, ``reservation.accepted`` …)."""

    event_type: str | None = _field()
    event_description: str | None = _field()
    account_sid: str | None = _field()
    workspace_sid: str | None = _field()
    workspace_name: str | None = _field()
    resource_type: str | None = _field()
    resource_sid: str | None = _field()
    timestamp: str | None = _field()
    task_sid: str | None = _field()
    task_attributes: str | None = _field()
    task_age: int | None = _field(number=True)
    task_priority: int | None = _field(number=True)
    task_assignment_status: str | None = _field()
    task_queue_sid: str | None = _field()
    task_queue_name: str | None = _field()
    task_channel_unique_name: str | None = _field()
    workflow_sid: str | None = _field()
    workflow_name: str | None = _field()
    worker_sid: str | None = _field()
    worker_name: str | None = _field()
    worker_activity_sid: str | None = _field()
    worker_activity_name: str | None = _field()
    worker_attributes: str | None = _field()
    reservation_sid: str | None = _field()


@attrs.frozen
class VerifyEvent(_Payload):
    """A Verify webhook event (factor and challenge events; snake_case names on the wire).

    Reads a Verify Webhook's parameters, or an Event Streams delivery (a CloudEvent, or a
    list of them as Event Streams batches): the first event's ``type`` plus its ``data``.
    """

    _wire_style: ClassVar[str] = "snake"
    type: str | None = _field()
    uuid: str | None = _field()
    account_sid: str | None = _field()
    service_sid: str | None = _field()
    entity_identity: str | None = _field()
    entity_sid: str | None = _field()
    factor_sid: str | None = _field()
    factor_type: str | None = _field()
    factor_friendly_name: str | None = _field()
    challenge_sid: str | None = _field()
    challenge_status: str | None = _field()
    challenge_details: str | None = _field()
    challenge_hidden_details: str | None = _field()
    challenge_metadata: str | None = _field()
    verification_sid: str | None = _field()
    verification_status: str | None = _field()
    to: str | None = _field()
    channel: str | None = _field()

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | list[Any]) -> VerifyEvent:
        """The event from a form's parameters or an Event Streams JSON delivery."""
        if isinstance(params, list):
            params = params[0] if params else {}
        if isinstance(params.get("data"), Mapping):
            flat = {**params["data"], "type": params.get("type")}
            flat["cloudevent"] = {k: v for k, v in params.items() if k != "data"}
            return super().from_params(flat)
        return super().from_params(params)
