"""Fixtures for the emulator's wire-level tests: a running emulator and raw aiohttp sessions."""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from trunkline.testing import Emulator


def basic(user: str, password: str) -> str:
    """An HTTP Basic ``Authorization`` header value."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Clock:
    """A settable clock so expiry can be tested without sleeping (starts at the real time,
    so tokens signed with the wall clock agree with it)."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emu(clock: Clock) -> AsyncIterator[Emulator]:
    async with Emulator(seed=11, clock=clock) as running:
        yield running


@pytest.fixture
async def twilio_http(emu: Emulator) -> AsyncIterator[aiohttp.ClientSession]:
    auth = basic(emu.account_sid, emu.auth_token)
    async with aiohttp.ClientSession(emu.url, headers={"Authorization": auth}) as s:
        yield s


@pytest.fixture
async def raw_http(emu: Emulator) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(emu.url) as s:
        yield s
