"""A SignalWire subscriber token and its refresh (which works once per refresh token).

Run it as is: ``python examples/signalwire_tokens.py``.
"""

from __future__ import annotations

import asyncio

from _show import need

import trunkline


async def subscriber_tokens(sw: trunkline.SignalWire, reference: str) -> str:
    """Mint a token pair for a subscriber, refresh it, and try the old refresh token again."""
    pair = await sw.fabric.subscriber_tokens.create(reference=reference)
    refresh_token = need(pair.refresh_token, "refresh token")
    print(f"  subscriber {pair.subscriber_id}: token {need(pair.token, 'token')[:12]}… issued")
    fresh = await sw.fabric.subscriber_tokens.refresh(refresh_token=refresh_token)
    print(f"  refreshed: new token {need(fresh.token, 'token')[:12]}…")
    try:
        await sw.fabric.subscriber_tokens.refresh(refresh_token=refresh_token)
    except trunkline.AuthenticationError as exc:
        print(f"  the old refresh token again -> {exc.status} {exc.message}")
    return str(fresh.token)


async def main() -> None:
    from trunkline.testing import Emulator

    async with Emulator() as emu, emu.signalwire_client() as sw:
        await subscriber_tokens(sw, "ana@example.com")


if __name__ == "__main__":
    asyncio.run(main())
