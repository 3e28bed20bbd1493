"""Fault injection: knobs, determinism for a seed, and each failure as a client sees it."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from trunkline.testing import Emulator, Fault, Faults

from .conftest import Clock, basic


def test_rates_are_checked() -> None:
    """A rate outside 0..1, or rates adding up to more than 1, are refused when made."""
    with pytest.raises(ValueError, match="error_rate"):
        Fault(error_rate=1.5)
    with pytest.raises(ValueError, match="more than 1"):
        Fault(error_rate=0.6, drop_after_rate=0.6)
    with pytest.raises(ValueError, match="path"):
        Faults().add("GET", "v2/Services", Fault())


def test_same_seed_same_outcomes() -> None:
    """Two fault sets with the same seed draw the same outcomes; another seed differs."""
    fault = Fault(error_rate=0.3, drop_after_rate=0.2)

    def outcomes(seed: int) -> list[str]:
        rule = Faults(seed).add("POST", "/v2/Services", fault)
        return [rule.draw() for _ in range(200)]

    assert outcomes(5) == outcomes(5)
    assert outcomes(5) != outcomes(6)
    drawn = outcomes(5)
    assert 30 < drawn.count("error") < 90
    assert 15 < drawn.count("drop_after") < 65


def test_route_patterns() -> None:
    """``*`` matches one segment, ``**`` any number, and the method must match unless ``*``."""
    faults = Faults()
    rule = faults.add("GET", "/v2/Services/*/Entities/*/Factors/*", Fault())
    anything = faults.add("*", "/api/**", Fault())
    assert faults.match("GET", "/v2/Services/VA1/Entities/u/Factors/YF1") is rule
    assert faults.match("POST", "/v2/Services/VA1/Entities/u/Factors/YF1") is None
    assert faults.match("GET", "/v2/Services/VA1/Entities/u/Factors") is None
    assert faults.match("DELETE", "/api/fabric/resources/subscribers/x") is anything


async def _services(s: aiohttp.ClientSession) -> int:
    async with s.get("/v2/Services") as r:
        await r.read()
        return r.status


async def test_each_outcome_on_the_wire(emu: Emulator) -> None:
    """Errors, 429 with Retry-After, drops, truncation and HTML bodies reach the client."""
    auth = {"Authorization": basic(emu.account_sid, emu.auth_token)}
    async with aiohttp.ClientSession(emu.url, headers=auth) as s:
        emu.faults.add("GET", "/v2/Services", Fault(error_rate=1.0, error_status=503))
        async with s.get("/v2/Services") as r:
            assert r.status == 503
            assert (await r.json())["status"] == 503
        emu.faults.clear()
        emu.faults.add("GET", "/v2/Services", Fault(rate_limit_rate=1.0, retry_after=2))
        async with s.get("/v2/Services") as r:
            assert r.status == 429
            assert r.headers["Retry-After"] == "2"
        emu.faults.clear()
        emu.faults.add("GET", "/v2/Services", Fault(non_json_rate=1.0))
        async with s.get("/v2/Services") as r:
            assert r.status == 502
            assert r.content_type == "text/html"
        emu.faults.clear()
        emu.faults.add("GET", "/v2/Services", Fault(truncate_rate=1.0))
        with pytest.raises(aiohttp.ClientPayloadError):
            await _services(s)
        emu.faults.clear()
        rule = emu.faults.add("GET", "/v2/Services", Fault(drop_before_rate=1.0))
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await _services(s)
        # aiohttp itself resends a GET once when a reused connection is dropped.
        assert rule.injected["drop_before"] in (1, 2)
        emu.faults.clear()
        assert await _services(s) == 200


async def test_drop_after_runs_the_handler(emu: Emulator) -> None:
    """A POST dropped after the handler ran leaves its effect behind: the service exists."""
    auth = {"Authorization": basic(emu.account_sid, emu.auth_token)}
    emu.faults.add("POST", "/v2/Services", Fault(drop_after_rate=1.0))
    async with aiohttp.ClientSession(emu.url, headers=auth) as s:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            async with s.post("/v2/Services", data={"FriendlyName": "ghost"}) as r:
                await r.read()
    assert [v.friendly_name for v in emu.verify.services.values()] == ["ghost"]


async def test_drop_before_skips_the_handler(emu: Emulator) -> None:
    """A POST dropped before the handler ran has no effect."""
    auth = {"Authorization": basic(emu.account_sid, emu.auth_token)}
    emu.faults.add("POST", "/v2/Services", Fault(drop_before_rate=1.0))
    async with aiohttp.ClientSession(emu.url, headers=auth) as s:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            async with s.post("/v2/Services", data={"FriendlyName": "ghost"}) as r:
                await r.read()
    assert emu.verify.services == {}


async def test_latency_is_added(clock: Clock) -> None:
    """A rule's latency delays the answer by at least that long."""
    async with Emulator(clock=clock) as emu:
        emu.faults.add("GET", "/v2/Services", Fault(latency=0.2))
        auth = {"Authorization": basic(emu.account_sid, emu.auth_token)}
        async with aiohttp.ClientSession(emu.url, headers=auth) as s:
            loop = asyncio.get_running_loop()
            started = loop.time()
            assert await _services(s) == 200
            assert loop.time() - started >= 0.2
