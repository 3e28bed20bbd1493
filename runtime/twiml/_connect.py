"""The nouns of ``<Connect>``, ``<Start>``, ``<Stop>``, ``<Refer>``: streams, rooms, AI agents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ._common import _WithParameter
from ._core import AttrValue, TwiML
from ._types import (
    DialRecord,
    HttpMethod,
    InputKind,
    RecordingEvent,
    StreamTrack,
    TextNormalization,
    Trim,
)

__all__ = [
    "AiSession",
    "Assistant",
    "Autopilot",
    "Config",
    "Conversation",
    "ConversationRelay",
    "ConversationRelaySession",
    "Language",
    "Recording",
    "ReferSip",
    "Room",
    "Siprec",
    "Stream",
    "Transcription",
    "VirtualAgent",
]


class _WithRoom(TwiML):
    def room(
        self,
        name: str,
        *,
        participant_identity: str | None = None,
        **extra: AttrValue | None,
    ) -> Room:
        """Add ``<Room>``: a Twilio Video room to join."""
        return self._add(Room, locals())


class _WithAutopilot(TwiML):
    def autopilot(
        self,
        name: str,
        **extra: AttrValue | None,
    ) -> Autopilot:
        """Add ``<Autopilot>``: an Autopilot assistant (retired by Twilio)."""
        return self._add(Autopilot, locals())


class _WithStream(TwiML):
    def stream(
        self,
        *,
        name: str | None = None,
        connector_name: str | None = None,
        url: str | None = None,
        track: StreamTrack | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        audio_format: str | None = None,
        sample_rate: int | None = None,
        **extra: AttrValue | None,
    ) -> Stream:
        """Add ``<Stream>``: a media stream of the call's audio to a WebSocket."""
        return self._add(Stream, locals())


class _WithVirtualAgent(TwiML):
    def virtual_agent(
        self,
        *,
        connector_name: str | None = None,
        language: str | None = None,
        sentiment_analysis: bool | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> VirtualAgent:
        """Add ``<VirtualAgent>``: a Dialogflow CX virtual agent."""
        return self._add(VirtualAgent, locals())


class _WithConversation(TwiML):
    def conversation(
        self,
        *,
        service_instance_sid: str | None = None,
        inbound_autocreation: bool | None = None,
        routing_assignment_timeout: int | None = None,
        inbound_timeout: int | None = None,
        url: str | None = None,
        method: HttpMethod | None = None,
        record: DialRecord | None = None,
        trim: Trim | None = None,
        recording_status_callback: str | None = None,
        recording_status_callback_method: HttpMethod | None = None,
        recording_status_callback_event: RecordingEvent | Sequence[RecordingEvent] | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        status_callback_event: Literal[
            "call-initiated", "call-ringing", "call-answered", "call-completed"
        ]
        | Sequence[Literal["call-initiated", "call-ringing", "call-answered", "call-completed"]]
        | None = None,
        **extra: AttrValue | None,
    ) -> Conversation:
        """Add ``<Conversation>``: a Twilio Conversations voice participant."""
        return self._add(Conversation, locals())


class _WithConversationRelay(TwiML):
    def conversation_relay(
        self,
        *,
        url: str | None = None,
        language: str | None = None,
        tts_language: str | None = None,
        transcription_language: str | None = None,
        tts_provider: str | None = None,
        voice: str | None = None,
        transcription_provider: str | None = None,
        speech_model: str | None = None,
        profanity_filter: bool | None = None,
        dtmf_detection: bool | None = None,
        welcome_greeting: str | None = None,
        partial_prompts: bool | None = None,
        welcome_greeting_interruptible: bool | InputKind | None = None,
        interruptible: bool | InputKind | None = None,
        preemptible: bool | None = None,
        hints: str | None = None,
        intelligence_service: str | None = None,
        report_input_during_agent_speech: bool | InputKind | None = None,
        elevenlabs_text_normalization: TextNormalization | None = None,
        interrupt_sensitivity: str | None = None,
        debug: bool | None = None,
        background_noise_reduction: bool | None = None,
        speech_timeout: str | None = None,
        deepgram_smart_format: bool | None = None,
        ignore_backchannel: bool | None = None,
        events: str | None = None,
        partial_prompt_on_hangup: bool | None = None,
        eager_eot_threshold: str | None = None,
        asr_smart_format: bool | None = None,
        tts_text_normalization: str | None = None,
        tts_language_text_normalization: str | None = None,
        elevenlabs_language_text_normalization: str | None = None,
        include_in_prompt: str | None = None,
        customer_name: str | None = None,
        application_reconnect: str | None = None,
        echo_prompt_filtering: bool | None = None,
        turn_detection: str | None = None,
        **extra: AttrValue | None,
    ) -> ConversationRelay:
        """Add ``<ConversationRelay>``: a ConversationRelay session to your WebSocket app."""
        return self._add(ConversationRelay, locals())


class _WithAiSession(TwiML):
    def ai_session(
        self,
        *,
        ai_connector: str | None = None,
        ai_session_configuration: str | None = None,
        **extra: AttrValue | None,
    ) -> AiSession:
        """Add ``<AiSession>``: an AI connector session."""
        return self._add(AiSession, locals())


class _WithConversationRelaySession(TwiML):
    def conversation_relay_session(
        self,
        *,
        connector: str | None = None,
        session_configuration: str | None = None,
        **extra: AttrValue | None,
    ) -> ConversationRelaySession:
        """Add ``<ConversationRelaySession>``: a ConversationRelay session by configuration."""
        return self._add(ConversationRelaySession, locals())


class _WithAssistant(TwiML):
    def assistant(
        self,
        *,
        id: str | None = None,
        language: str | None = None,
        tts_language: str | None = None,
        transcription_language: str | None = None,
        tts_provider: str | None = None,
        voice: str | None = None,
        transcription_provider: str | None = None,
        speech_model: str | None = None,
        profanity_filter: bool | None = None,
        dtmf_detection: bool | None = None,
        welcome_greeting: str | None = None,
        partial_prompts: bool | None = None,
        welcome_greeting_interruptible: bool | InputKind | None = None,
        interruptible: bool | InputKind | None = None,
        preemptible: bool | None = None,
        hints: str | None = None,
        intelligence_service: str | None = None,
        report_input_during_agent_speech: bool | InputKind | None = None,
        elevenlabs_text_normalization: TextNormalization | None = None,
        interrupt_sensitivity: str | None = None,
        debug: bool | None = None,
        **extra: AttrValue | None,
    ) -> Assistant:
        """Add ``<Assistant>``: a Twilio AI Assistant."""
        return self._add(Assistant, locals())


class _WithConfig(TwiML):
    def config(
        self,
        *,
        name: str | None = None,
        value: str | None = None,
        **extra: AttrValue | None,
    ) -> Config:
        """Add ``<Config>``: a name/value setting for the virtual agent or transcription."""
        return self._add(Config, locals())


class _WithLanguage(TwiML):
    def language(
        self,
        *,
        code: str | None = None,
        tts_provider: str | None = None,
        voice: str | None = None,
        transcription_provider: str | None = None,
        speech_model: str | None = None,
        hints: str | None = None,
        asr_smart_format: bool | None = None,
        tts_text_normalization: str | None = None,
        tts_language_text_normalization: str | None = None,
        **extra: AttrValue | None,
    ) -> Language:
        """Add ``<Language>``: a language's speech settings."""
        return self._add(Language, locals())


class _WithSiprec(TwiML):
    def siprec(
        self,
        *,
        name: str | None = None,
        connector_name: str | None = None,
        track: StreamTrack | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> Siprec:
        """Add ``<Siprec>``: a SIPREC recording session."""
        return self._add(Siprec, locals())


class _WithTranscription(TwiML):
    def transcription(
        self,
        *,
        name: str | None = None,
        track: StreamTrack | None = None,
        status_callback_url: str | None = None,
        status_callback_method: HttpMethod | None = None,
        inbound_track_label: str | None = None,
        outbound_track_label: str | None = None,
        partial_results: bool | None = None,
        language_code: str | None = None,
        transcription_engine: str | None = None,
        profanity_filter: bool | None = None,
        speech_model: str | None = None,
        hints: str | None = None,
        enable_automatic_punctuation: bool | None = None,
        intelligence_service: str | None = None,
        **extra: AttrValue | None,
    ) -> Transcription:
        """Add ``<Transcription>``: a real-time transcription."""
        return self._add(Transcription, locals())


class _WithRecording(TwiML):
    def recording(
        self,
        *,
        recording_status_callback: str | None = None,
        recording_status_callback_method: HttpMethod | None = None,
        recording_status_callback_event: RecordingEvent | Sequence[RecordingEvent] | None = None,
        trim: Trim | None = None,
        track: Literal["inbound", "outbound", "both"] | None = None,
        channels: Literal["mono", "dual"] | None = None,
        recording_configuration_id: str | None = None,
        **extra: AttrValue | None,
    ) -> Recording:
        """Add ``<Recording>``: a call recording."""
        return self._add(Recording, locals())


class _WithReferSip(TwiML):
    def sip(
        self,
        sip_url: str,
        **extra: AttrValue | None,
    ) -> ReferSip:
        """Add ``<Sip>``: the SIP URI to refer to."""
        return self._add(ReferSip, locals())


class Room(TwiML):
    """``<Room>``: a Twilio Video room to join."""

    tag = "Room"
    _text_arg = "name"


class Autopilot(TwiML):
    """``<Autopilot>``: an Autopilot assistant (retired by Twilio)."""

    tag = "Autopilot"
    _text_arg = "name"


class Stream(_WithParameter):
    """``<Stream>``: a media stream of the call's audio to a WebSocket."""

    tag = "Stream"


class VirtualAgent(_WithConfig, _WithParameter):
    """``<VirtualAgent>``: a Dialogflow CX virtual agent."""

    tag = "VirtualAgent"


class Config(TwiML):
    """``<Config>``: a name/value setting for the virtual agent or transcription."""

    tag = "Config"


class Conversation(TwiML):
    """``<Conversation>``: a Twilio Conversations voice participant."""

    tag = "Conversation"


class ConversationRelay(_WithLanguage, _WithParameter):
    """``<ConversationRelay>``: a ConversationRelay session to your WebSocket app."""

    tag = "ConversationRelay"


class Assistant(_WithLanguage, _WithParameter):
    """``<Assistant>``: a Twilio AI Assistant."""

    tag = "Assistant"


class Language(TwiML):
    """``<Language>``: a language's speech settings."""

    tag = "Language"


class AiSession(TwiML):
    """``<AiSession>``: an AI connector session."""

    tag = "AiSession"


class ConversationRelaySession(TwiML):
    """``<ConversationRelaySession>``: a ConversationRelay session by configuration."""

    tag = "ConversationRelaySession"


class Siprec(_WithParameter):
    """``<Siprec>``: a SIPREC recording session."""

    tag = "Siprec"


class Transcription(_WithConfig, _WithParameter):
    """``<Transcription>``: a real-time transcription."""

    tag = "Transcription"


class Recording(TwiML):
    """``<Recording>``: a call recording."""

    tag = "Recording"


class ReferSip(TwiML):
    """``<Sip>``: the SIP URI to refer to."""

    tag = "Sip"
    _text_arg = "sip_url"
