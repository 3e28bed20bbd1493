"""The webhook example answers a texted keyword menu and runs its IVR, end to end over HTTP.

Twilio's side is played by tests/examples/twilio_side.py (signed requests from a test
helper): the generic emulator does not deliver inbound messages or calls yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from webhook_app import SUPPORT_NUMBER, make_app

from trunkline.receivers import WebhookReceiver

from .twilio_side import TwilioSide

TOKEN = "f" * 32


@pytest.fixture
async def twilio() -> AsyncIterator[TwilioSide]:
    receiver = WebhookReceiver(TOKEN, trust_x_forwarded=True)
    async with TestClient(TestServer(make_app(receiver), host="127.0.0.1")) as client:
        yield TwilioSide(client, TOKEN)


async def test_sms_keyword_menu(twilio: TwilioSide) -> None:
    """MENU lists the keywords, each keyword gets its answer, anything else the menu again."""
    menu = await twilio.text("menu")
    assert "HOURS" in menu
    assert "WHERE" in menu
    assert "Monday to Friday" in await twilio.text("Hours please")
    assert "Main Street" in await twilio.text("where")
    assert (await twilio.text("pizza?")).startswith("Sorry, I did not get that.")


async def test_ivr_hours_then_hangup(twilio: TwilioSide) -> None:
    """Pressing 1 at the menu says the hours and hangs up."""
    verbs = await twilio.call("/voice", ["1"])
    assert [v.tag for v in verbs] == ["Gather", "Say", "Hangup"]
    assert verbs[0].get("numDigits") == "1"
    assert "open Monday to Friday" in (verbs[1].text or "")


async def test_ivr_silence_repeats_then_support(twilio: TwilioSide) -> None:
    """Silence redirects back to the menu; a wrong key is refused; 2 dials support."""
    verbs = await twilio.call("/voice", [None, "7", "2"])
    assert [v.tag for v in verbs] == [
        "Gather", "Redirect", "Gather", "Say", "Redirect", "Gather", "Say", "Dial",
    ]  # fmt: skip
    assert verbs[-1].text == SUPPORT_NUMBER
    assert verbs[-1].get("answerOnBridge") == "true"


async def test_unsigned_request_refused(twilio: TwilioSide) -> None:
    """A request without Twilio's signature gets a bare 403."""
    response = await twilio.client.post("/sms", data={"Body": "menu"})
    assert response.status == 403
    assert await response.read() == b""
