"""Enrol a TOTP factor and verify it with a locally computed code (Twilio Verify v2).

Run it as is to try it against the local emulator: ``python examples/totp_enroll.py``.
"""

from __future__ import annotations

import asyncio

from _show import need, value

import trunkline
from trunkline.tokens.totp import Totp


async def enroll_totp(tw: trunkline.Twilio, service_sid: str, identity: str) -> str:
    """Create a TOTP factor, verify it, then pass a challenge; returns the factor SID."""
    factor = await tw.verify.v2.services.entities.factors.create(
        service_sid, identity, factor_type="totp", friendly_name="Ana's phone"
    )
    factor_sid = need(factor.sid, "factor sid")
    # The binding URI is what the QR code shows; an authenticator app reads it like this.
    totp = Totp.from_uri(need(factor.binding, "factor binding")["uri"])
    print(f"  factor {factor.sid} created ({value(factor.status)}), {totp.digits} digits")
    verified = await tw.verify.v2.services.entities.factors.update(
        service_sid, identity, factor_sid, auth_payload=totp.code()
    )
    print(f"  verified with code {totp.code()}: status {value(verified.status)}")
    challenge = await tw.verify.v2.services.entities.challenges.create(
        service_sid, identity, factor_sid=factor_sid, auth_payload=totp.code()
    )
    print(f"  login challenge {challenge.sid}: {value(challenge.status)}")
    return factor_sid


async def main() -> None:
    from trunkline.testing import Emulator

    async with Emulator() as emu, emu.twilio() as tw:
        service = await tw.verify.v2.services.create(friendly_name="Acme")
        await enroll_totp(tw, need(service.sid, "service sid"), "user-1234")


if __name__ == "__main__":
    asyncio.run(main())
