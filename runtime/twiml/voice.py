"""Voice TwiML: ``VoiceResponse`` and its verbs (Say, Gather, Dial, Connect, Pay, Start …).

Past 500 lines because each verb's method spells out every attribute Twilio documents as
a typed keyword; the nouns nested in verbs live in ``_dial``, ``_connect`` and ``_ssml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ._common import _WithParameter, _WithRedirect
from ._connect import (
    _WithAiSession,
    _WithAssistant,
    _WithAutopilot,
    _WithConversation,
    _WithConversationRelay,
    _WithConversationRelaySession,
    _WithRecording,
    _WithReferSip,
    _WithRoom,
    _WithSiprec,
    _WithStream,
    _WithTranscription,
    _WithVirtualAgent,
)
from ._core import AttrValue, TwiML
from ._dial import (
    _WithApplication,
    _WithClient,
    _WithConference,
    _WithNumber,
    _WithQueue,
    _WithSim,
    _WithSip,
    _WithTask,
    _WithWhatsApp,
)
from ._ssml import (
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlP,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlS,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
)
from ._types import (
    CardType,
    DialRecord,
    HttpMethod,
    PaymentError,
    PaymentField,
    RecordingEvent,
    Trim,
)

__all__ = [
    "Connect",
    "Dial",
    "Echo",
    "Enqueue",
    "Gather",
    "Hangup",
    "Leave",
    "Pause",
    "Pay",
    "Play",
    "Prompt",
    "Record",
    "Refer",
    "Reject",
    "Say",
    "Sms",
    "Start",
    "Stop",
    "VoiceResponse",
]


class _WithSay(TwiML):
    def say(
        self,
        message: str | None = None,
        *,
        voice: str | None = None,
        loop: int | None = None,
        language: str | None = None,
        **extra: AttrValue | None,
    ) -> Say:
        """Add ``<Say>``: speaks text (SSML inside)."""
        return self._add(Say, locals())


class _WithPause(TwiML):
    def pause(
        self,
        *,
        length: int | None = None,
        **extra: AttrValue | None,
    ) -> Pause:
        """Add ``<Pause>``: waits silently."""
        return self._add(Pause, locals())


class _WithPlay(TwiML):
    def play(
        self,
        url: str | None = None,
        *,
        loop: int | None = None,
        digits: str | None = None,
        **extra: AttrValue | None,
    ) -> Play:
        """Add ``<Play>``: plays audio or DTMF tones."""
        return self._add(Play, locals())


class _WithPrompt(TwiML):
    def prompt(
        self,
        *,
        for_: PaymentField | None = None,
        error_type: PaymentError | Sequence[PaymentError] | None = None,
        card_type: CardType | Sequence[CardType] | None = None,
        attempt: int | None = None,
        require_matching_inputs: bool | None = None,
        **extra: AttrValue | None,
    ) -> Prompt:
        """Add ``<Prompt>``: what to say while collecting one payment field."""
        return self._add(Prompt, locals())


class _WithConnect(TwiML):
    def connect(
        self,
        *,
        action: str | None = None,
        method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> Connect:
        """Add ``<Connect>``: connects the call to another service (a stream, room, AI agent …)."""
        return self._add(Connect, locals())


class _WithDial(TwiML):
    def dial(
        self,
        number: str | None = None,
        *,
        action: str | None = None,
        method: HttpMethod | None = None,
        timeout: int | None = None,
        hangup_on_star: bool | None = None,
        time_limit: int | None = None,
        caller_id: str | None = None,
        record: DialRecord | None = None,
        trim: Trim | None = None,
        recording_status_callback: str | None = None,
        recording_configuration_id: str | None = None,
        recording_status_callback_method: HttpMethod | None = None,
        recording_status_callback_event: RecordingEvent | Sequence[RecordingEvent] | None = None,
        answer_on_bridge: bool | None = None,
        ring_tone: str | None = None,
        recording_track: Literal["both", "inbound", "outbound"] | None = None,
        sequential: bool | None = None,
        refer_url: str | None = None,
        refer_method: HttpMethod | None = None,
        events: str | None = None,
        passports: str | None = None,
        **extra: AttrValue | None,
    ) -> Dial:
        """Add ``<Dial>``: calls another party and bridges the call."""
        return self._add(Dial, locals())


class _WithEcho(TwiML):
    def echo(
        self,
        **extra: AttrValue | None,
    ) -> Echo:
        """Add ``<Echo>``: echoes the caller's audio back."""
        return self._add(Echo, locals())


class _WithEnqueue(TwiML):
    def enqueue(
        self,
        name: str | None = None,
        *,
        action: str | None = None,
        max_queue_size: int | None = None,
        method: HttpMethod | None = None,
        wait_url: str | None = None,
        wait_url_method: HttpMethod | None = None,
        workflow_sid: str | None = None,
        **extra: AttrValue | None,
    ) -> Enqueue:
        """Add ``<Enqueue>``: puts the call in a queue."""
        return self._add(Enqueue, locals())


class _WithGather(TwiML):
    def gather(
        self,
        *,
        input: Literal["dtmf", "speech"] | Sequence[Literal["dtmf", "speech"]] | None = None,
        action: str | None = None,
        method: HttpMethod | None = None,
        timeout: int | None = None,
        speech_timeout: int | Literal["auto"] | None = None,
        max_speech_time: int | None = None,
        profanity_filter: bool | None = None,
        finish_on_key: str | None = None,
        num_digits: int | None = None,
        partial_result_callback: str | None = None,
        partial_result_callback_method: HttpMethod | None = None,
        language: str | None = None,
        hints: str | None = None,
        barge_in: bool | None = None,
        debug: bool | None = None,
        action_on_empty_result: bool | None = None,
        speech_model: str | None = None,
        enhanced: bool | None = None,
        **extra: AttrValue | None,
    ) -> Gather:
        """Add ``<Gather>``: collects digits or speech."""
        return self._add(Gather, locals())


class _WithHangup(TwiML):
    def hangup(
        self,
        **extra: AttrValue | None,
    ) -> Hangup:
        """Add ``<Hangup>``: ends the call."""
        return self._add(Hangup, locals())


class _WithLeave(TwiML):
    def leave(
        self,
        **extra: AttrValue | None,
    ) -> Leave:
        """Add ``<Leave>``: leaves the queue."""
        return self._add(Leave, locals())


class _WithRecord(TwiML):
    def record(
        self,
        *,
        action: str | None = None,
        method: HttpMethod | None = None,
        timeout: int | None = None,
        finish_on_key: str | None = None,
        max_length: int | None = None,
        play_beep: bool | None = None,
        trim: Trim | None = None,
        recording_status_callback: str | None = None,
        recording_status_callback_method: HttpMethod | None = None,
        recording_status_callback_event: RecordingEvent | Sequence[RecordingEvent] | None = None,
        transcribe: bool | None = None,
        transcribe_callback: str | None = None,
        recording_configuration_id: str | None = None,
        **extra: AttrValue | None,
    ) -> Record:
        """Add ``<Record>``: records the caller."""
        return self._add(Record, locals())


class _WithReject(TwiML):
    def reject(
        self,
        *,
        reason: Literal["rejected", "busy"] | None = None,
        **extra: AttrValue | None,
    ) -> Reject:
        """Add ``<Reject>``: rejects an incoming call without answering."""
        return self._add(Reject, locals())


class _WithSms(TwiML):
    def sms(
        self,
        message: str,
        *,
        to: str | None = None,
        from_: str | None = None,
        action: str | None = None,
        method: HttpMethod | None = None,
        status_callback: str | None = None,
        **extra: AttrValue | None,
    ) -> Sms:
        """Add ``<Sms>``: sends an SMS during a call (deprecated by Twilio)."""
        return self._add(Sms, locals())


class _WithPay(TwiML):
    def pay(
        self,
        *,
        input: Literal["dtmf"] | None = None,
        action: str | None = None,
        bank_account_type: Literal[
            "consumer-checking", "consumer-savings", "commercial-checking", "commercial-savings"
        ]
        | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        timeout: int | None = None,
        max_attempts: int | None = None,
        security_code: bool | None = None,
        postal_code: bool | str | None = None,
        min_postal_code_length: int | None = None,
        payment_connector: str | None = None,
        payment_method: Literal["ach-debit", "credit-card"] | None = None,
        token_type: Literal["one-time", "reusable", "payment-method"] | None = None,
        charge_amount: str | None = None,
        currency: str | None = None,
        description: str | None = None,
        valid_card_types: CardType | Sequence[CardType] | None = None,
        language: str | None = None,
        **extra: AttrValue | None,
    ) -> Pay:
        """Add ``<Pay>``: collects a payment."""
        return self._add(Pay, locals())


class _WithStart(TwiML):
    def start(
        self,
        *,
        action: str | None = None,
        method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> Start:
        """Add ``<Start>``: starts an asynchronous media task."""
        return self._add(Start, locals())


class _WithStop(TwiML):
    def stop(
        self,
        **extra: AttrValue | None,
    ) -> Stop:
        """Add ``<Stop>``: stops an asynchronous media task."""
        return self._add(Stop, locals())


class _WithRefer(TwiML):
    def refer(
        self,
        *,
        action: str | None = None,
        method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> Refer:
        """Add ``<Refer>``: transfers a SIP call with REFER."""
        return self._add(Refer, locals())


class Connect(
    _WithRoom,
    _WithAutopilot,
    _WithStream,
    _WithVirtualAgent,
    _WithConversation,
    _WithConversationRelay,
    _WithAiSession,
    _WithConversationRelaySession,
    _WithAssistant,
):
    """``<Connect>``: connects the call to another service (a stream, room, AI agent …)."""

    tag = "Connect"


class Dial(
    _WithClient,
    _WithConference,
    _WithNumber,
    _WithQueue,
    _WithSim,
    _WithSip,
    _WithApplication,
    _WithWhatsApp,
):
    """``<Dial>``: calls another party and bridges the call."""

    tag = "Dial"
    _text_arg = "number"


class Echo(TwiML):
    """``<Echo>``: echoes the caller's audio back."""

    tag = "Echo"


class Enqueue(_WithTask):
    """``<Enqueue>``: puts the call in a queue."""

    tag = "Enqueue"
    _text_arg = "name"


class Gather(_WithSay, _WithPause, _WithPlay):
    """``<Gather>``: collects digits or speech."""

    tag = "Gather"


class Say(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlP,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlS,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
):
    """``<Say>``: speaks text (SSML inside)."""

    tag = "Say"
    _text_arg = "message"


class Pause(TwiML):
    """``<Pause>``: waits silently."""

    tag = "Pause"


class Play(TwiML):
    """``<Play>``: plays audio or DTMF tones."""

    tag = "Play"
    _text_arg = "url"


class Hangup(_WithParameter):
    """``<Hangup>``: ends the call."""

    tag = "Hangup"


class Leave(TwiML):
    """``<Leave>``: leaves the queue."""

    tag = "Leave"


class Record(TwiML):
    """``<Record>``: records the caller."""

    tag = "Record"


class Reject(_WithParameter):
    """``<Reject>``: rejects an incoming call without answering."""

    tag = "Reject"


class Sms(TwiML):
    """``<Sms>``: sends an SMS during a call (deprecated by Twilio)."""

    tag = "Sms"
    _text_arg = "message"


class Pay(_WithPrompt, _WithParameter):
    """``<Pay>``: collects a payment."""

    tag = "Pay"


class Prompt(_WithSay, _WithPlay, _WithPause):
    """``<Prompt>``: what to say while collecting one payment field."""

    tag = "Prompt"


class Start(_WithStream, _WithSiprec, _WithTranscription, _WithRecording):
    """``<Start>``: starts an asynchronous media task."""

    tag = "Start"


class Stop(_WithStream, _WithSiprec, _WithTranscription):
    """``<Stop>``: stops an asynchronous media task."""

    tag = "Stop"


class Refer(_WithReferSip):
    """``<Refer>``: transfers a SIP call with REFER."""

    tag = "Refer"


class VoiceResponse(
    _WithConnect,
    _WithDial,
    _WithEcho,
    _WithEnqueue,
    _WithGather,
    _WithHangup,
    _WithLeave,
    _WithPause,
    _WithPlay,
    _WithQueue,
    _WithRecord,
    _WithRedirect,
    _WithReject,
    _WithSay,
    _WithSms,
    _WithPay,
    _WithPrompt,
    _WithStart,
    _WithStop,
    _WithRefer,
):
    """The ``<Response>`` of a voice webhook's TwiML; ``str()`` of it is the document."""

    tag = "Response"
