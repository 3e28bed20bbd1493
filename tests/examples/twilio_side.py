"""Plays Twilio's side of a webhook conversation: signed requests in, TwiML followed out.

The generic emulator cannot yet deliver inbound messages and calls to an app, so this
helper does: it signs each request with trunkline's own RequestValidator as Twilio signs
it, reads the TwiML the app answers, and follows ``<Redirect>`` and ``<Gather action>``.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import urlencode, urljoin

from aiohttp import web
from aiohttp.test_utils import TestClient

from trunkline.webhooks import RequestValidator

PUBLIC = "https://hooks.example.com"
_tokens = itertools.count(1)


class TwilioSide:
    """Delivers signed webhooks to an app under test through an aiohttp TestClient."""

    def __init__(self, client: TestClient[web.Request, web.Application], auth_token: str) -> None:
        self.client = client
        self.validator = RequestValidator(auth_token)

    async def post(self, path: str, params: Mapping[str, str]) -> ET.Element:
        """POST a form as Twilio would; the TwiML answer's root (asserting 200 text/xml)."""
        url = urljoin(PUBLIC, path)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": self.validator.compute_signature(url, params),
            "I-Twilio-Idempotency-Token": f"token-{next(_tokens)}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "hooks.example.com",
        }
        response = await self.client.post(path, data=urlencode(params), headers=headers)
        assert response.status == 200, response.status
        assert response.content_type == "text/xml"
        return ET.fromstring(await response.read())

    async def text(self, body: str) -> str:
        """Send an SMS to the app; the text of the <Message> it answers."""
        root = await self.post("/sms", {"MessageSid": "SM1", "From": "+15558675310", "Body": body})
        message = root.find("Message")
        assert message is not None
        assert message.text is not None
        return message.text

    async def call(self, path: str, keys: list[str | None], limit: int = 10) -> list[ET.Element]:
        """Run a call from ``path``: each <Gather> is answered by the next of ``keys`` (None:
        silence, so Twilio goes on to the next verb); <Redirect> is followed. The verbs run."""
        played: list[ET.Element] = []
        params = {"CallSid": "CA1", "From": "+15558675310", "CallStatus": "in-progress"}
        root = await self.post(path, params)
        for _ in range(limit):
            next_path = None
            for verb in root:
                played.append(verb)
                if verb.tag == "Gather":
                    digit = keys.pop(0) if keys else None
                    if digit is not None:
                        next_path = verb.get("action") or path
                        params = {**params, "Digits": digit}
                        break
                elif verb.tag == "Redirect":
                    next_path = verb.text or path
                    break
                elif verb.tag in ("Hangup", "Dial"):
                    return played
            if next_path is None:
                return played
            path = next_path
            root = await self.post(path, params)
            params.pop("Digits", None)
        return played
