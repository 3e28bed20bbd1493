"""TwiML builders: the documents a Twilio webhook answers with.

``VoiceResponse``, ``MessagingResponse`` and ``FaxResponse`` have the verbs, nouns, method
names and keyword names of twilio-python's ``twilio.twiml``, and ``str()`` of a response is
the same bytes, so switching is a change of import. Attributes are typed keywords
(enumerated values as ``Literal``); a verb's method returns the element it added, whose own
methods add what nests in it::

    response = VoiceResponse()
    gather = response.gather(input=["dtmf", "speech"], num_digits=1, action="/menu")
    gather.say("Press 1 for sales.", voice="Polly.Joanna")
    response.redirect("/voice")
    str(response)  # '<?xml version="1.0" encoding="UTF-8"?><Response><Gather …'

``specs/twiml.yaml`` in the source tree is the description (from Twilio's public docs) that
these builders are written from and tested against.
"""

from __future__ import annotations

from ._common import Parameter, Redirect
from ._connect import (
    AiSession,
    Assistant,
    Autopilot,
    Config,
    Conversation,
    ConversationRelay,
    ConversationRelaySession,
    Language,
    Recording,
    ReferSip,
    Room,
    Siprec,
    Stream,
    Transcription,
    VirtualAgent,
)
from ._core import AttrValue, GenericNode, TwiML, TwiMLError, wire_name
from ._dial import (
    Application,
    ApplicationSid,
    Client,
    Conference,
    Header,
    Headers,
    Identity,
    Number,
    Queue,
    Sim,
    Sip,
    SipUri,
    Task,
    WhatsApp,
)
from ._ssml import (
    SsmlBreak,
    SsmlEmphasis,
    SsmlLang,
    SsmlP,
    SsmlPhoneme,
    SsmlProsody,
    SsmlS,
    SsmlSayAs,
    SsmlSub,
    SsmlW,
)
from .fax import FaxResponse, Receive
from .messaging import Body, Media, Message, MessagingResponse
from .voice import (
    Connect,
    Dial,
    Echo,
    Enqueue,
    Gather,
    Hangup,
    Leave,
    Pause,
    Pay,
    Play,
    Prompt,
    Record,
    Refer,
    Reject,
    Say,
    Sms,
    Start,
    Stop,
    VoiceResponse,
)

__all__ = [
    "AiSession",
    "Application",
    "ApplicationSid",
    "Assistant",
    "AttrValue",
    "Autopilot",
    "Body",
    "Client",
    "Conference",
    "Config",
    "Connect",
    "Conversation",
    "ConversationRelay",
    "ConversationRelaySession",
    "Dial",
    "Echo",
    "Enqueue",
    "FaxResponse",
    "Gather",
    "GenericNode",
    "Hangup",
    "Header",
    "Headers",
    "Identity",
    "Language",
    "Leave",
    "Media",
    "Message",
    "MessagingResponse",
    "Number",
    "Parameter",
    "Pause",
    "Pay",
    "Play",
    "Prompt",
    "Queue",
    "Receive",
    "Record",
    "Recording",
    "Redirect",
    "Refer",
    "ReferSip",
    "Reject",
    "Room",
    "Say",
    "Sim",
    "Sip",
    "SipUri",
    "Siprec",
    "Sms",
    "SsmlBreak",
    "SsmlEmphasis",
    "SsmlLang",
    "SsmlP",
    "SsmlPhoneme",
    "SsmlProsody",
    "SsmlS",
    "SsmlSayAs",
    "SsmlSub",
    "SsmlW",
    "Start",
    "Stop",
    "Stream",
    "Task",
    "Transcription",
    "TwiML",
    "TwiMLError",
    "VirtualAgent",
    "VoiceResponse",
    "WhatsApp",
    "wire_name",
]
