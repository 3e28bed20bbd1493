"""The enumerations TwiML attributes share, as ``Literal`` types."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CallEvent",
    "CardType",
    "DialRecord",
    "HttpMethod",
    "InputKind",
    "MachineDetection",
    "PaymentError",
    "PaymentField",
    "RecordingEvent",
    "StreamTrack",
    "TextNormalization",
    "Trim",
]

StreamTrack = Literal["inbound_track", "outbound_track", "both_tracks"]
HttpMethod = Literal["GET", "POST"]
DialRecord = Literal[
    "do-not-record",
    "record-from-answer",
    "record-from-ringing",
    "record-from-answer-dual",
    "record-from-ringing-dual",
]
Trim = Literal["trim-silence", "do-not-trim"]
RecordingEvent = Literal["in-progress", "completed", "absent"]
InputKind = Literal["none", "dtmf", "speech", "any"]
TextNormalization = Literal["on", "off", "auto"]
CallEvent = Literal["initiated", "ringing", "answered", "completed"]
MachineDetection = Literal["Enable", "DetectMessageEnd"]
PaymentField = Literal[
    "payment-card-number",
    "expiration-date",
    "security-code",
    "postal-code",
    "payment-processing",
    "bank-account-number",
    "bank-routing-number",
]
PaymentError = Literal[
    "timeout",
    "invalid-card-number",
    "invalid-card-type",
    "invalid-date",
    "invalid-security-code",
    "internal-error",
    "input-matching-failed",
]
CardType = Literal[
    "visa", "mastercard", "amex", "maestro", "discover", "optima", "jcb", "diners-club", "enroute"
]
