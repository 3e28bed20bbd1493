"""A Ziggeo server-side auth token, and a client token made locally for a browser.

Run it as is: ``python examples/ziggeo_tokens.py``.
"""

from __future__ import annotations

import asyncio

import trunkline


async def ziggeo_tokens(zg: trunkline.Ziggeo) -> tuple[str, str]:
    """Create an auth token for uploads, and a client token the browser SDK can carry."""
    grants = {"create": {"session_limit": 1}}
    auth = await zg.auth_tokens.create(grants=grants, session_limit=1, volatile=True)
    print(f"  server auth token {auth.token} (grants {auth.grants})")
    # Made locally with the app's encryption key (Ziggeo's Auth.generate); no request.
    client_token = zg.auth.generate({"grants": grants})
    print(f"  client token {client_token[:24]}… ({len(client_token)} hex characters)")
    return str(auth.token), client_token


async def main() -> None:
    from trunkline.testing import Emulator

    async with Emulator() as emu, emu.ziggeo_client() as zg:
        _, client_token = await ziggeo_tokens(zg)
        options = emu.ziggeo.check_client_token(client_token)
        print(f"  the emulator decrypts it: application_token matches, grants {options['grants']}")


if __name__ == "__main__":
    asyncio.run(main())
