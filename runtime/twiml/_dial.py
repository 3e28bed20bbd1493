"""The nouns of ``<Dial>`` (numbers, clients, conferences, SIP …) and ``<Enqueue>``'s ``<Task>``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ._common import _WithParameter
from ._core import AttrValue, TwiML
from ._types import CallEvent, HttpMethod, MachineDetection, RecordingEvent, Trim

__all__ = [
    "Application",
    "ApplicationSid",
    "Client",
    "Conference",
    "Header",
    "Headers",
    "Identity",
    "Number",
    "Queue",
    "Sim",
    "Sip",
    "SipUri",
    "Task",
    "WhatsApp",
]


class _WithClient(TwiML):
    def client(
        self,
        identity: str | None = None,
        *,
        url: str | None = None,
        method: HttpMethod | None = None,
        status_callback_event: CallEvent | Sequence[CallEvent] | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> Client:
        """Add ``<Client>``: a Voice SDK client."""
        return self._add(Client, locals())


class _WithConference(TwiML):
    def conference(
        self,
        name: str,
        *,
        muted: bool | None = None,
        beep: bool | Literal["onEnter", "onExit"] | None = None,
        start_conference_on_enter: bool | None = None,
        end_conference_on_exit: bool | None = None,
        wait_url: str | None = None,
        wait_method: HttpMethod | None = None,
        max_participants: int | None = None,
        record: Literal["do-not-record", "record-from-start"] | None = None,
        recording_configuration_id: str | None = None,
        region: Literal["us1", "us2", "ie1", "de1", "sg1", "br1", "au1", "jp1"] | None = None,
        coach: str | None = None,
        trim: Trim | None = None,
        status_callback_event: Literal[
            "start", "end", "join", "leave", "mute", "hold", "modify", "speaker", "announcement"
        ]
        | Sequence[
            Literal[
                "start", "end", "join", "leave", "mute", "hold", "modify", "speaker", "announcement"
            ]
        ]
        | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        recording_status_callback: str | None = None,
        recording_status_callback_method: HttpMethod | None = None,
        recording_status_callback_event: RecordingEvent | Sequence[RecordingEvent] | None = None,
        event_callback_url: str | None = None,
        jitter_buffer_size: Literal["large", "medium", "small", "off"] | None = None,
        participant_label: str | None = None,
        **extra: AttrValue | None,
    ) -> Conference:
        """Add ``<Conference>``: a named conference room."""
        return self._add(Conference, locals())


class _WithNumber(TwiML):
    def number(
        self,
        phone_number: str,
        *,
        send_digits: str | None = None,
        url: str | None = None,
        method: HttpMethod | None = None,
        status_callback_event: CallEvent | Sequence[CallEvent] | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        byoc: str | None = None,
        machine_detection: MachineDetection | None = None,
        amd_status_callback_method: HttpMethod | None = None,
        amd_status_callback: str | None = None,
        machine_detection_timeout: int | None = None,
        machine_detection_speech_threshold: int | None = None,
        machine_detection_speech_end_threshold: int | None = None,
        machine_detection_silence_timeout: int | None = None,
        **extra: AttrValue | None,
    ) -> Number:
        """Add ``<Number>``: a phone number to ring."""
        return self._add(Number, locals())


class _WithQueue(TwiML):
    def queue(
        self,
        name: str,
        *,
        url: str | None = None,
        method: HttpMethod | None = None,
        reservation_sid: str | None = None,
        post_work_activity_sid: str | None = None,
        **extra: AttrValue | None,
    ) -> Queue:
        """Add ``<Queue>``: a call queue to dequeue from."""
        return self._add(Queue, locals())


class _WithSim(TwiML):
    def sim(
        self,
        sim_sid: str,
        **extra: AttrValue | None,
    ) -> Sim:
        """Add ``<Sim>``: a Super SIM or Programmable Wireless SIM."""
        return self._add(Sim, locals())


class _WithSip(TwiML):
    def sip(
        self,
        sip_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        url: str | None = None,
        method: HttpMethod | None = None,
        status_callback_event: CallEvent | Sequence[CallEvent] | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        machine_detection: MachineDetection | None = None,
        amd_status_callback_method: HttpMethod | None = None,
        amd_status_callback: str | None = None,
        machine_detection_timeout: int | None = None,
        machine_detection_speech_threshold: int | None = None,
        machine_detection_speech_end_threshold: int | None = None,
        machine_detection_silence_timeout: int | None = None,
        **extra: AttrValue | None,
    ) -> Sip:
        """Add ``<Sip>``: a SIP endpoint."""
        return self._add(Sip, locals())


class _WithApplication(TwiML):
    def application(
        self,
        application_sid: str | None = None,
        *,
        url: str | None = None,
        method: HttpMethod | None = None,
        status_callback_event: CallEvent | Sequence[CallEvent] | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        customer_id: str | None = None,
        copy_parent_to: str | None = None,
        **extra: AttrValue | None,
    ) -> Application:
        """Add ``<Application>``: a TwiML application to dial."""
        return self._add(Application, locals())


class _WithWhatsApp(TwiML):
    def whats_app(
        self,
        phone_number: str,
        *,
        url: str | None = None,
        method: HttpMethod | None = None,
        status_callback_event: CallEvent | Sequence[CallEvent] | None = None,
        status_callback: str | None = None,
        status_callback_method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> WhatsApp:
        """Add ``<WhatsApp>``: a WhatsApp number to call."""
        return self._add(WhatsApp, locals())


class _WithIdentity(TwiML):
    def identity(
        self,
        client_identity: str,
        **extra: AttrValue | None,
    ) -> Identity:
        """Add ``<Identity>``: the client identity to ring."""
        return self._add(Identity, locals())


class _WithSipUri(TwiML):
    def uri(
        self,
        sip_url: str | None = None,
        *,
        priority: int | None = None,
        weight: int | None = None,
        username: str | None = None,
        password: str | None = None,
        **extra: AttrValue | None,
    ) -> SipUri:
        """Add ``<Uri>``: one SIP URI to try."""
        return self._add(SipUri, locals())


class _WithHeaders(TwiML):
    def headers(
        self,
        **extra: AttrValue | None,
    ) -> Headers:
        """Add ``<Headers>``: SIP headers to send."""
        return self._add(Headers, locals())


class _WithHeader(TwiML):
    def header(
        self,
        *,
        name: str | None = None,
        value: str | None = None,
        **extra: AttrValue | None,
    ) -> Header:
        """Add ``<Header>``: one SIP header."""
        return self._add(Header, locals())


class _WithApplicationSid(TwiML):
    def application_sid(
        self,
        sid: str,
        **extra: AttrValue | None,
    ) -> ApplicationSid:
        """Add ``<ApplicationSid>``: the application's SID."""
        return self._add(ApplicationSid, locals())


class _WithTask(TwiML):
    def task(
        self,
        body: str | Mapping[str, Any],
        *,
        priority: int | None = None,
        timeout: int | None = None,
        **extra: AttrValue | None,
    ) -> Task:
        """Add ``<Task>``: the TaskRouter task attributes (JSON)."""
        return self._add(Task, locals())


class Client(_WithIdentity, _WithParameter):
    """``<Client>``: a Voice SDK client."""

    tag = "Client"
    _text_arg = "identity"


class Identity(TwiML):
    """``<Identity>``: the client identity to ring."""

    tag = "Identity"
    _text_arg = "client_identity"


class Conference(TwiML):
    """``<Conference>``: a named conference room."""

    tag = "Conference"
    _text_arg = "name"


class Number(TwiML):
    """``<Number>``: a phone number to ring."""

    tag = "Number"
    _text_arg = "phone_number"


class Queue(TwiML):
    """``<Queue>``: a call queue to dequeue from."""

    tag = "Queue"
    _text_arg = "name"


class Sim(TwiML):
    """``<Sim>``: a Super SIM or Programmable Wireless SIM."""

    tag = "Sim"
    _text_arg = "sim_sid"


class Sip(_WithSipUri, _WithHeaders):
    """``<Sip>``: a SIP endpoint."""

    tag = "Sip"
    _text_arg = "sip_url"


class SipUri(TwiML):
    """``<Uri>``: one SIP URI to try."""

    tag = "Uri"
    _text_arg = "sip_url"


class Headers(_WithHeader):
    """``<Headers>``: SIP headers to send."""

    tag = "Headers"


class Header(TwiML):
    """``<Header>``: one SIP header."""

    tag = "Header"


class Application(_WithApplicationSid, _WithParameter):
    """``<Application>``: a TwiML application to dial."""

    tag = "Application"
    _text_arg = "application_sid"


class ApplicationSid(TwiML):
    """``<ApplicationSid>``: the application's SID."""

    tag = "ApplicationSid"
    _text_arg = "sid"


class WhatsApp(TwiML):
    """``<WhatsApp>``: a WhatsApp number to call."""

    tag = "WhatsApp"
    _text_arg = "phone_number"


class Task(TwiML):
    """``<Task>``: the TaskRouter task attributes (JSON)."""

    tag = "Task"
    _text_arg = "body"
