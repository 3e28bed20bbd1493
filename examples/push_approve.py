"""A push factor with a fresh device key, and a challenge approved by a locally signed JWT.

The "device" half (key, signatures, reading the challenge) is what the Verify Push SDK does
on a phone; here a second client plays it, reading the ``Twilio-Verify-Signature-Fields``
header of its fetch with ``trunkline.capture_responses()``. Run it as is:
``python examples/push_approve.py``.
"""

from __future__ import annotations

import asyncio

from _show import need, value

import trunkline
from trunkline.tokens.push import PushKey, signature_fields


async def push_flow(
    tw: trunkline.Twilio,
    device: trunkline.Twilio,
    service_sid: str,
    identity: str,
) -> str:
    """Register a push factor, challenge it and approve on the device; returns the status."""
    key = PushKey.generate()
    created = await tw.verify.v2.services.entities.factors.create(
        service_sid,
        identity,
        factor_type="push",
        friendly_name="Ana's Pixel",
        binding_alg="ES256",
        binding_public_key=key.public_key,
        config_app_id="com.example.app",
        config_sdk_version="1.0",
        config_notification_platform="none",
    )
    factor_sid = need(created.sid, "factor sid")
    factor = await tw.verify.v2.services.entities.factors.update(
        service_sid, identity, factor_sid, auth_payload=key.sign_factor(factor_sid)
    )
    print(f"  push factor {factor_sid}: {value(factor.status)} (key made on the device)")
    challenge = await tw.verify.v2.services.entities.challenges.create(
        service_sid,
        identity,
        factor_sid=factor_sid,
        details_message="Approve the login from Lisbon?",
        details_fields=[{"label": "IP", "value": "192.0.2.7"}],
        hidden_details={"session": "s-81"},
    )
    challenge_sid = need(challenge.sid, "challenge sid")
    print(f"  challenge {challenge_sid}: {value(challenge.status)}")
    # On the phone: read the challenge, sign the fields the server names, send it back.
    with trunkline.capture_responses() as responses:
        shown = await device.verify.v2.services.entities.challenges.fetch(
            service_sid, identity, challenge_sid
        )
    header = responses.last.headers["Twilio-Verify-Signature-Fields"]
    fields = signature_fields(shown.raw, header)
    jwt = key.approve_challenge(fields)
    print(f"  device signs {', '.join(fields)}")
    answered = await device.verify.v2.services.entities.challenges.update(
        service_sid, identity, challenge_sid, auth_payload=jwt
    )
    print(f"  challenge {answered.sid}: {value(answered.status)}")
    return str(value(answered.status))


async def main() -> None:
    from trunkline.testing import Emulator

    async with Emulator() as emu, emu.twilio() as tw, emu.twilio() as phone:
        service = await tw.verify.v2.services.create(friendly_name="Acme")
        await push_flow(tw, phone, need(service.sid, "service sid"), "user-1234")


if __name__ == "__main__":
    asyncio.run(main())
