"""Payload models read Twilio's parameters into typed fields and keep what they do not know."""

from __future__ import annotations

import json

from trunkline.receivers import (
    CallStatus,
    IncomingCall,
    IncomingMessage,
    Media,
    MessageStatus,
    RecordingStatus,
    TaskRouterEvent,
    VerifyEvent,
    Webhook,
)


def test_incoming_message_fields_media_and_extra() -> None:
    """An MMS's numbers are ints, its media come in order, new parameters stay in extra."""
    message = IncomingMessage.from_params({
        "MessageSid": "MM1", "From": "+15558675310", "To": "+15017122661", "Body": "hi",
        "NumMedia": "2", "NumSegments": "x", "MediaUrl1": "https://m/1", "MediaUrl0": "https://m/0",
        "MediaContentType0": "image/png", "BrandNewParam": "v",
    })  # fmt: skip
    assert (message.message_sid, message.from_, message.body) == ("MM1", "+15558675310", "hi")
    assert (message.num_media, message.num_segments) == (2, None)
    assert message.media == [Media("https://m/0", "image/png"), Media("https://m/1", None)]
    assert message.extra["BrandNewParam"] == "v"
    assert message.wa_id is None


def test_call_gather_and_status_payloads() -> None:
    """Call, gather result, call/message/recording status read their own parameters."""
    call = IncomingCall.from_params({"CallSid": "CA1", "Digits": "2", "SpeechResult": "sales"})
    assert (call.call_sid, call.digits, call.speech_result) == ("CA1", "2", "sales")
    status = CallStatus.from_params({"CallStatus": "completed", "CallDuration": "42"})
    assert (status.call_status, status.call_duration) == ("completed", 42)
    sent = MessageStatus.from_params({"MessageStatus": "undelivered", "ErrorCode": "30003"})
    assert (sent.message_status, sent.error_code) == ("undelivered", 30003)
    recording = RecordingStatus.from_params({"RecordingSid": "RE1", "RecordingDuration": "7"})
    assert (recording.recording_sid, recording.recording_duration) == ("RE1", 7)


def test_taskrouter_and_verify_events() -> None:
    """TaskRouter events read PascalCase, Verify events snake_case or an Event Streams JSON."""
    event = TaskRouterEvent.from_params(
        {"EventType": "task.created", "TaskSid": "WT1", "TaskAge": "3", "Sid": "EV1"}
    )
    assert (event.event_type, event.task_sid, event.task_age) == ("task.created", "WT1", 3)
    assert event.extra == {"Sid": "EV1"}
    form = VerifyEvent.from_params({"type": "challenge.approved", "challenge_sid": "YC1"})
    assert (form.type, form.challenge_sid) == ("challenge.approved", "YC1")
    stream = [
        {
            "type": "com.twilio.accountsecurity.verify.verification.approved",
            "id": "EV2",
            "data": {"verification_sid": "VE1", "verification_status": "APPROVED", "n": 6},
        }
    ]
    hook = Webhook("POST", "https://h/x", {}, {}, json.dumps(stream).encode())
    approved = hook.parse(VerifyEvent.from_params)
    assert approved.type == "com.twilio.accountsecurity.verify.verification.approved"
    assert (approved.verification_sid, approved.verification_status) == ("VE1", "APPROVED")
    assert approved.extra["n"] == 6
    assert approved.extra["cloudevent"]["id"] == "EV2"
