"""Messaging TwiML: ``MessagingResponse`` and its ``<Message>``, ``<Body>``, ``<Media>``."""

from __future__ import annotations

from ._common import _WithRedirect
from ._core import AttrValue, TwiML
from ._types import HttpMethod

__all__ = ["Body", "Media", "Message", "MessagingResponse"]


class _WithBody(TwiML):
    def body(
        self,
        message: str,
        **extra: AttrValue | None,
    ) -> Body:
        """Add ``<Body>``: the message text."""
        return self._add(Body, locals())


class _WithMedia(TwiML):
    def media(
        self,
        url: str,
        **extra: AttrValue | None,
    ) -> Media:
        """Add ``<Media>``: a media URL to attach."""
        return self._add(Media, locals())


class _WithMessage(TwiML):
    def message(
        self,
        body: str | None = None,
        *,
        to: str | None = None,
        from_: str | None = None,
        action: str | None = None,
        method: HttpMethod | None = None,
        status_callback: str | None = None,
        **extra: AttrValue | None,
    ) -> Message:
        """Add ``<Message>``: a reply message."""
        return self._add(Message, locals())


class Message(_WithBody, _WithMedia):
    """``<Message>``: a reply message."""

    tag = "Message"
    _text_arg = "body"


class Body(TwiML):
    """``<Body>``: the message text."""

    tag = "Body"
    _text_arg = "message"


class Media(TwiML):
    """``<Media>``: a media URL to attach."""

    tag = "Media"
    _text_arg = "url"


class MessagingResponse(_WithMessage, _WithRedirect):
    """The ``<Response>`` of a messaging webhook's TwiML; ``str()`` of it is the document."""

    tag = "Response"
