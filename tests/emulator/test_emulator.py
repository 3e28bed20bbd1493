"""The Emulator object itself: lifecycle, routing errors, request ids and its clock."""

from __future__ import annotations

import aiohttp
import pytest

from trunkline.testing import Emulator

from .conftest import basic


async def test_url_only_while_running() -> None:
    """``url`` is refused before start and after close, and set to a loopback port between."""
    emu = Emulator()
    with pytest.raises(RuntimeError, match="not running"):
        _ = emu.url
    async with emu:
        assert emu.url.startswith("http://127.0.0.1:")
        assert emu.port > 0
        assert emu.url in repr(emu)
        assert emu.auth_token not in repr(emu)
    with pytest.raises(RuntimeError):
        _ = emu.url


async def test_unknown_paths_answer_in_the_provider_shape(emu: Emulator) -> None:
    """Unknown Twilio paths get Twilio's 404 JSON, unknown SignalWire paths ``{"error"}``."""
    auth = {"Authorization": basic(emu.account_sid, emu.auth_token)}
    async with aiohttp.ClientSession(emu.url, headers=auth) as s:
        async with s.get("/v2/Nothing/Here") as r:
            assert r.status == 404
            body = await r.json()
            assert body["code"] == 20404
            assert r.headers["Twilio-Request-Id"].startswith("RQ")
        async with s.put("/v2/Services") as r:
            assert r.status == 405
            assert (await r.json())["status"] == 405
        sw = {"Authorization": basic(emu.signalwire_project_id, emu.signalwire_api_token)}
        async with s.get("/api/fabric/nothing", headers=sw) as r:
            assert r.status == 404
            assert set(await r.json()) == {"error"}


async def test_advance_moves_only_forward(emu: Emulator) -> None:
    """``advance`` moves the emulator's clock forward and refuses to move it back."""
    before = emu.now()
    emu.advance(90)
    assert emu.now() - before == pytest.approx(90)
    with pytest.raises(ValueError, match="forward"):
        emu.advance(-1)


async def test_credentials_can_be_given() -> None:
    """Credentials passed in are the ones the emulator accepts."""
    async with Emulator(account_sid="AC" + "1" * 32, auth_token="secret-token") as emu:
        good = {"Authorization": basic("AC" + "1" * 32, "secret-token")}
        async with aiohttp.ClientSession(emu.url, headers=good) as s, s.get("/v2/Services") as r:
            assert r.status == 200


def test_public_names() -> None:
    """``trunkline.testing`` exports exactly its documented names."""
    import trunkline.testing

    assert set(trunkline.testing.__all__) == {
        "ERROR_CODES",
        "SIGNATURE_FIELDS",
        "Emulator",
        "EmulatorThread",
        "Fault",
        "FaultRule",
        "Faults",
        "read_credentials",
    }
    for name in trunkline.testing.__all__:
        assert getattr(trunkline.testing, name) is not None
