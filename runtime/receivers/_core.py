"""Deciding whether a request is a genuine Twilio webhook, framework aside.

A :class:`WebhookReceiver` rebuilds the URL Twilio requested (the server's own scheme and
``Host``, or trusted proxy headers, or a fixed public base URL), checks
``X-Twilio-Signature`` over it and the body by the rules in :mod:`trunkline.webhooks`, and
deduplicates retries through an :class:`~trunkline.receivers.IdempotencyStore`. The
aiohttp and Starlette adapters only translate requests and responses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final, TypeVar
from urllib.parse import parse_qs, urlsplit

import attrs

from trunkline.webhooks import SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER, RequestValidator
from trunkline.webhooks import parse_form as _parse_form

from ._store import IdempotencyStore, MemoryIdempotencyStore, StoredReply

__all__ = ["BUSY", "IDEMPOTENCY_HEADER", "Webhook", "WebhookReceiver"]

IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
FORM_TYPE = "application/x-www-form-urlencoded"
BUSY: Final = "busy"
"""What :meth:`WebhookReceiver.begin` says of a retry whose first delivery is still running."""

M = TypeVar("M")
_SIGNATURE = SIGNATURE_HEADER.lower()
_SETTINGS = SIGNATURE_SETTINGS_HEADER.lower()
_TOKEN = IDEMPOTENCY_HEADER.lower()


@attrs.frozen
class Webhook:
    """A request whose signature checked out.

    Args:
        method: the HTTP method.
        url: the URL Twilio signed (as rebuilt by the receiver).
        headers: the request headers, names in lower case.
        form: a form body's parameters, each name's values in order (empty otherwise).
        body: the raw body.
        idempotency_token: ``I-Twilio-Idempotency-Token``, when Twilio sent one.
    """

    method: str
    url: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    form: Mapping[str, Sequence[str]] = attrs.field(repr=False)
    body: bytes = attrs.field(repr=False)
    idempotency_token: str | None = None

    @property
    def params(self) -> dict[str, str]:
        """Each form parameter's first value (Twilio sends most once)."""
        return {name: values[0] for name, values in self.form.items() if values}

    def json(self) -> Any:
        """The body decoded as JSON (Event Streams, Verify and other JSON webhooks)."""
        return json.loads(self.body)

    def parse(self, model: Callable[[Mapping[str, Any]], M]) -> M:
        """The payload as a model (``webhook.parse(IncomingMessage.from_params)``).

        A form body gives the model its parameters; any other body its decoded JSON.
        """
        return model(self.params if self.form or not self.body else self.json())


def _first(value: str) -> str:
    return value.split(",", 1)[0].strip()


def _forwarded(header: str) -> dict[str, str]:
    """The first hop of an RFC 7239 ``Forwarded`` header: the one facing Twilio."""
    pairs: dict[str, str] = {}
    for part in header.split(",", 1)[0].split(";"):
        name, equals, value = part.partition("=")
        if equals:
            pairs[name.strip().lower()] = value.strip().strip('"')
    return pairs


@attrs.define
class WebhookReceiver:
    """Checks webhook requests for one Twilio account (or several auth tokens in rotation).

    Args:
        auth_token: the auth token (or tokens: a rotation's old and new) that signs
            webhooks; ``TWILIO_AUTH_TOKEN`` by default. Never shown in ``repr``.
        trust_forwarded: rebuild the URL from the ``Forwarded`` header's first hop. Only
            behind a proxy that sets it: a client could send any value.
        trust_x_forwarded: rebuild it from ``X-Forwarded-Proto`` / ``X-Forwarded-Host``.
        base_url: the public scheme and host (``https://hooks.example.com``), used instead
            of anything the request says; the request's path and query are appended.
        store: where retries are remembered (a :class:`MemoryIdempotencyStore` unless
            given); None turns deduplication off.
        ttl: how long, in seconds, a delivery token is remembered.
        max_body: the largest body read, in bytes; a larger one is refused.
    """

    auth_token: str | Sequence[str] | None = attrs.field(default=None, repr=False)
    trust_forwarded: bool = False
    trust_x_forwarded: bool = False
    base_url: str | None = None
    store: IdempotencyStore | None = attrs.field(factory=MemoryIdempotencyStore)
    ttl: float = 3600.0
    max_body: int = 1 << 20
    _validators: tuple[RequestValidator, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        tokens = self.auth_token
        if tokens is None:
            tokens = os.environ.get("TWILIO_AUTH_TOKEN")
            if not tokens:
                raise ValueError(
                    "WebhookReceiver needs auth_token= or the TWILIO_AUTH_TOKEN variable"
                )
        if isinstance(tokens, str):
            tokens = (tokens,)
        if not tokens:
            raise ValueError("auth_token must name at least one token")
        self._validators = tuple(RequestValidator(token) for token in tokens)
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://: {self.base_url!r}")

    def public_url(self, scheme: str, host: str, target: str, headers: Mapping[str, str]) -> str:
        """The URL Twilio requested, from what the server saw and the trusted headers.

        Args:
            scheme: the scheme of the connection the server accepted.
            host: the ``Host`` header.
            target: the raw request target (path and query, as sent).
            headers: the request headers, names in lower case.
        """
        if self.base_url is not None:
            return self.base_url.rstrip("/") + target
        if self.trust_forwarded and "forwarded" in headers:
            hop = _forwarded(headers["forwarded"])
            scheme = hop.get("proto", scheme)
            host = hop.get("host", host)
        elif self.trust_x_forwarded:
            if "x-forwarded-proto" in headers:
                scheme = _first(headers["x-forwarded-proto"])
            if "x-forwarded-host" in headers:
                host = _first(headers["x-forwarded-host"])
        return f"{scheme.lower()}://{host}{target}"

    def verify(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> Webhook | None:
        """The webhook if its signature is Twilio's for this URL and body, else None.

        Args:
            headers: the request headers, names in lower case.
        """
        signature = headers.get(_SIGNATURE)
        if not signature:
            return None
        form: dict[str, list[str]] = {}
        params: dict[str, list[str]] | bytes | None
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if "bodySHA256" in parse_qs(urlsplit(url).query):
            params = body
        elif content_type == FORM_TYPE:
            form = _parse_form(body)
            params = form
        elif body:
            return None  # a body no signature covers
        else:
            params = None
        settings = headers.get(_SETTINGS)
        for validator in self._validators:
            if validator.validate(url, params, signature, signature_settings=settings):
                return Webhook(
                    method=method.upper(),
                    url=url,
                    headers=dict(headers),
                    form=form,
                    body=body,
                    idempotency_token=headers.get(_TOKEN) or None,
                )
        return None

    async def begin(self, webhook: Webhook) -> StoredReply | str | None:
        """None to run the handler; a saved answer to repeat; :data:`BUSY` if one is running."""
        token = webhook.idempotency_token
        if token is None or self.store is None:
            return None
        if await self.store.claim(token, self.ttl):
            return None
        saved = await self.store.load(token)
        return saved if saved is not None else BUSY

    async def end(self, webhook: Webhook, reply: StoredReply | None) -> None:
        """Save a 2xx answer for the retries; forget the delivery otherwise."""
        token = webhook.idempotency_token
        if token is None or self.store is None:
            return
        if reply is not None and 200 <= reply.status < 300:
            await self.store.save(token, reply, self.ttl)
        else:
            await self.store.release(token)

    async def run(
        self,
        webhook: Webhook,
        handler: Callable[[], Awaitable[M]],
        capture: Callable[[M], StoredReply | None],
    ) -> M | StoredReply | str:
        """``handler()`` once per delivery: its answer, a saved one, or :data:`BUSY`."""
        state = await self.begin(webhook)
        if state is not None:
            return state
        try:
            answer = await handler()
        except BaseException:
            await self.end(webhook, None)
            raise
        await self.end(webhook, capture(answer))
        return answer
