"""The generated SignalWire and Ziggeo clients against the stateful emulator, end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import trunkline
from trunkline import AuthenticationError, NotFoundError, UnprocessableEntityError
from trunkline.testing import Emulator


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    """A running emulator on a free loopback port."""
    async with Emulator(seed=1) as running:
        yield running


async def test_signalwire_token_pair_refreshes_exactly_once(emu: Emulator) -> None:
    """A subscriber token's refresh token buys one new pair; reusing it is a 401."""
    async with emu.signalwire_client() as sw:
        pair = await sw.fabric.subscriber_tokens.create(
            reference="ana@example.com", password="correct horse", time_zone="Europe/Lisbon"
        )
        fresh = await sw.fabric.subscriber_tokens.refresh(refresh_token=pair.refresh_token or "")
        assert fresh.token
        assert fresh.token != pair.token
        with pytest.raises(AuthenticationError, match="already used"):
            await sw.fabric.subscriber_tokens.refresh(refresh_token=pair.refresh_token or "")
        subscribers = await sw.fabric.subscribers.list()
    assert [s.subscriber.email for s in subscribers if s.subscriber] == ["ana@example.com"]
    assert subscribers[0].subscriber is not None
    assert subscribers[0].subscriber.id == pair.subscriber_id
    assert subscribers[0].subscriber.timezone == "Europe/Lisbon"


async def test_signalwire_subscribers_page_through_the_emulator(emu: Emulator) -> None:
    """Seven subscribers stream back in three pages of three via links.next."""
    async with emu.signalwire_client() as sw:
        made = [await sw.fabric.subscribers.create(email=f"user{n}@example.com") for n in range(7)]
        pages = [[s.id for s in page] async for page in sw.fabric.subscribers.pages(page_size=3)]
        await sw.fabric.subscribers.delete(made[0].id or "")
        with pytest.raises(NotFoundError):
            await sw.fabric.subscribers.fetch(made[0].id or "")
        with pytest.raises(UnprocessableEntityError) as info:
            await sw.fabric.subscribers.create(email="user1@example.com")
    assert pages == [[m.id for m in made[i : i + 3]] for i in (0, 3, 6)]
    assert info.value.details is not None
    assert info.value.details[0]["attribute"] == "email"
    assert "email:" in info.value.message


async def test_ziggeo_auth_token_lifecycle_and_client_tokens(emu: Emulator) -> None:
    """An auth token is created, read, changed and destroyed; a local client token decrypts."""
    grants = {"read": {"resources": ["video-1"]}}
    async with emu.ziggeo_client() as zg:
        made = await zg.auth_tokens.create(session_limit=2, volatile=True, grants=grants)
        assert made.token is not None
        assert (await zg.auth_tokens.fetch(made.token)).grants == grants
        changed = await zg.auth_tokens.update(made.token, session_limit=5, hidden=True)
        assert (changed.session_limit, changed.hidden, changed.volatile) == (5, True, True)
        await zg.auth_tokens.delete(made.token)
        with pytest.raises(NotFoundError):
            await zg.auth_tokens.fetch(made.token)
        client_token = zg.auth.generate({"grants": grants})
    assert emu.ziggeo.check_client_token(client_token)["grants"] == grants


async def test_ziggeo_videos_stream_by_offset(emu: Emulator) -> None:
    """All 7 seeded videos stream back oldest first in pages of 3."""
    emu.ziggeo.seed_videos(7)
    async with emu.ziggeo_client() as zg:
        keys = [v.key async for v in zg.videos.stream(page_size=3, reverse=True)]
        newest = await zg.videos.list(limit=2)
    assert keys == [f"video-{n}" for n in range(1, 8)]
    assert [v.key for v in newest] == ["video-7", "video-6"]


async def test_wrong_credentials_are_authentication_errors(emu: Emulator) -> None:
    """The emulator refuses a wrong API token or private key with 401 for both providers."""
    async with trunkline.SignalWire(
        emu.signalwire_project_id, "PTwrong", space="emulator", base_url=emu.url
    ) as sw:
        with pytest.raises(AuthenticationError):
            await sw.fabric.subscribers.list()
    async with trunkline.Ziggeo(emu.ziggeo_app_token, "wrong", base_url=emu.url) as zg:
        with pytest.raises(AuthenticationError):
            await zg.auth_tokens.fetch("anything")
