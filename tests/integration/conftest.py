"""Fixtures shared by the end-to-end tests; each test file provides its own ``server``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import trunkline

from ._verify_server import ACCOUNT_SID, AUTH_TOKEN, VerifyServer


@pytest.fixture
async def tw(server: VerifyServer) -> AsyncIterator[trunkline.Twilio]:
    async with trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, base_url=server.base_url) as client:
        yield client
