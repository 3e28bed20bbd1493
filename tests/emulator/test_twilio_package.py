"""The official ``twilio`` package's synchronous client, pointed at the emulator (the oracle).

Its HTTP client is the package's own ``TwilioHttpClient`` with one change: each request
for a Twilio host goes to the emulator's URL for that host (``Emulator.hosts``), on
loopback. The emulator runs on its own thread (the plugin's ``twilio_emulator_thread``),
so the blocking client cannot stall it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

from trunkline.testing import EmulatorThread  # noqa: E402

TO, FROM = "+15558675310", "+15017122661"


class ToEmulator(twilio_http.TwilioHttpClient):  # type: ignore[misc]
    """``TwilioHttpClient`` sending every Twilio host to the emulator instead."""

    def __init__(self, hosts: dict[str, str]) -> None:
        super().__init__()
        self.hosts = hosts
        self.sent: list[str] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        local = self.hosts[parts.netloc] + parts.path + (f"?{parts.query}" if parts.query else "")
        assert local.startswith("http://127.0.0.1:")
        self.sent.append(f"{method} {local}")
        return super().request(method, local, *args, **kwargs)


def test_messages_and_verify_through_the_official_sync_client(
    twilio_emulator_thread: EmulatorThread,
) -> None:
    """Messages create/fetch/list and a Verify SMS verification and check work unchanged."""
    emu = twilio_emulator_thread.emulator
    http = ToEmulator(emu.hosts)
    client = twilio_rest.Client(emu.account_sid, emu.auth_token, http_client=http)

    sent = client.messages.create(to=TO, from_=FROM, body="from the official client")
    assert sent.sid.startswith("SM")
    assert sent.status == "queued"
    assert client.messages(sent.sid).fetch().body == "from the official client"
    for i in range(3):
        client.messages.create(to=TO, from_=FROM, body=f"more {i}")
    listed = client.messages.list(to=TO, page_size=2)
    assert next(m.sid for m in listed) == sent.sid
    assert len(listed) == 4

    service = client.verify.v2.services.create(friendly_name="official")
    started = client.verify.v2.services(service.sid).verifications.create(to=TO, channel="sms")
    assert started.status == "pending"
    code = twilio_emulator_thread.run(lambda: emu.verifications.code_for(TO))
    check = client.verify.v2.services(service.sid).verification_checks.create(to=TO, code=code)
    assert check.status == "approved"
    assert check.valid is True
    assert any("/v2/Services/" in line and "VerificationCheck" in line for line in http.sent)
