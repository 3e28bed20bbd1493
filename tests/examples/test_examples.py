"""Every example runs against the emulator and does what its docstring says."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from trunkline.testing import Emulator

from .conftest import EXAMPLES


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as running:
        yield running


@pytest.mark.parametrize(
    "name",
    [
        "totp_enroll",
        "push_approve",
        "stream_challenges",
        "worker_capability",
        "signalwire_tokens",
        "ziggeo_tokens",
    ],
)
async def test_example_main_runs(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each example's main() runs to the end against its own emulator and prints its steps."""
    module = importlib.import_module(name)
    await module.main()
    out = capsys.readouterr().out
    assert out.strip()
    assert "Traceback" not in out


async def test_totp_example_verifies(emu: Emulator) -> None:
    """The TOTP example leaves a verified factor and an approved challenge behind."""
    from totp_enroll import enroll_totp

    async with emu.twilio() as tw:
        service = await tw.verify.v2.services.create(friendly_name="Acme")
        factor_sid = await enroll_totp(tw, service.sid, "user-1234")
    assert emu.verify.factors[factor_sid].status == "verified"
    [challenge] = emu.verify.challenges.values()
    assert challenge.status == "approved"


async def test_push_example_approves(emu: Emulator) -> None:
    """The push example's challenge ends approved by the device's signature."""
    from push_approve import push_flow

    async with emu.twilio() as tw, emu.twilio() as phone:
        service = await tw.verify.v2.services.create(friendly_name="Acme")
        assert await push_flow(tw, phone, service.sid, "user-1234") == "approved"
    [challenge] = emu.verify.challenges.values()
    assert challenge.status == "approved"
    assert challenge.hidden_details == {"session": "s-81"}


async def test_stream_example_sees_every_challenge(emu: Emulator) -> None:
    """The stream example creates and then streams every challenge exactly once."""
    from stream_challenges import count_challenges, create_challenges

    from trunkline.tokens.totp import Totp

    async with emu.twilio() as tw:
        service = await tw.verify.v2.services.create(friendly_name="Acme")
        factor = await tw.verify.v2.services.entities.factors.create(
            service.sid, "user-1234", factor_type="totp", friendly_name="phone"
        )
        code = Totp.from_uri(factor.binding["uri"]).code()
        await tw.verify.v2.services.entities.factors.update(
            service.sid, "user-1234", factor.sid, auth_payload=code
        )
        await create_challenges(tw, service.sid, "user-1234", factor.sid, 1234)
        statuses = await count_challenges(tw, service.sid, "user-1234", 1234)
    assert statuses == {"pending": 1234}
    assert len(emu.verify.challenges) == 1234


async def test_worker_example_allowed_then_denied(emu: Emulator) -> None:
    """The worker token may set the activity but not rename the worker."""
    from worker_capability import capability_flow

    async with emu.twilio() as tw:
        allowed, denied = await capability_flow(tw, emu.account_sid, emu.auth_token)
    assert allowed == "allowed: activity is now Available"
    assert denied.startswith("denied (403")
    [worker] = emu.taskrouter.state.workers.values()
    assert worker.friendly_name == "Ana"


async def test_signalwire_example_refreshes_once(emu: Emulator) -> None:
    """The SignalWire example ends with a valid refreshed token; the old refresh is spent."""
    from signalwire_tokens import subscriber_tokens

    async with emu.signalwire_client() as sw:
        token = await subscriber_tokens(sw, "ana@example.com")
    assert emu.signalwire.token_valid(token)
    assert len(emu.signalwire.used_refresh_tokens) == 1


async def test_ziggeo_example_tokens(emu: Emulator) -> None:
    """The Ziggeo example stores an auth token and makes a client token of this app."""
    from ziggeo_tokens import ziggeo_tokens

    async with emu.ziggeo_client() as zg:
        auth, client_token = await ziggeo_tokens(zg)
    assert emu.ziggeo.auth_tokens[auth].session_limit == 1
    assert emu.ziggeo.check_client_token(client_token)["grants"] == {"create": {"session_limit": 1}}


def test_demo_exits_zero() -> None:
    """``python examples/demo.py`` (what ``make demo`` runs) exits 0 and reports every flow."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for heading in (
        "1. Verify TOTP",
        "2. Verify push",
        "3. Create and stream 5,000",
        "4. TaskRouter",
        "5. SignalWire",
        "6. Ziggeo",
        "7. SMS",
        "8. Verify SMS",
        "All flows passed",
    ):
        assert heading in done.stdout
    assert "streamed 5,000" in done.stdout
