"""trunkline, end to end and offline: every flow against the local emulator.

``make demo`` runs this file. It starts :class:`trunkline.testing.Emulator` in this process,
points the generated clients at it with ``base_url`` and walks through Verify (TOTP and push),
paging through 5,000 challenges, a TaskRouter worker token, SignalWire and Ziggeo tokens,
an SMS whose status callbacks reach a local aiohttp handler signed, and a Verify SMS code.
Each step checks its own result, so the demo fails loudly if anything is wrong.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _show import need
from aiohttp import web
from push_approve import push_flow
from signalwire_tokens import subscriber_tokens
from stream_challenges import count_challenges, create_challenges
from totp_enroll import enroll_totp
from worker_capability import capability_flow
from ziggeo_tokens import ziggeo_tokens

from trunkline.testing import Emulator
from trunkline.webhooks import RequestValidator

IDENTITY = "user-1234"
CHALLENGES = 5000
PHONE, SENDER = "+15558675310", "+15017122661"


class DemoFailure(Exception):
    """A flow did not end the way it must."""


def expect(condition: bool, what: str) -> None:
    """Stop the demo with a clear message when a flow's result is wrong."""
    if not condition:
        raise DemoFailure(what)


async def step(number: int, title: str, flow: Callable[[], Awaitable[None]]) -> None:
    """Run one flow under a heading, with its time."""
    print(f"\n{number}. {title}")
    started = time.perf_counter()
    await flow()
    print(f"   ({time.perf_counter() - started:.2f} s)")


async def run(emu: Emulator) -> None:
    """Every flow of the demo, in order."""
    async with emu.twilio() as tw, emu.twilio() as phone:
        service = await tw.verify.v2.services.create(friendly_name="trunkline demo")
        service_sid = need(service.sid, "service sid")
        print(f"Verify service {service_sid} on {emu.url}")
        totp_factor = ""

        async def totp() -> None:
            nonlocal totp_factor
            totp_factor = await enroll_totp(tw, service_sid, IDENTITY)
            fetched = await tw.verify.v2.services.entities.factors.fetch(
                service_sid, IDENTITY, totp_factor
            )
            expect(
                str(getattr(fetched.status, "value", fetched.status)) == "verified",
                "the TOTP factor is not verified",
            )

        async def push() -> None:
            status = await push_flow(tw, phone, service_sid, IDENTITY)
            expect(status == "approved", f"the push challenge ended {status}, not approved")

        async def stream() -> None:
            started = time.perf_counter()
            await create_challenges(tw, service_sid, IDENTITY, totp_factor, CHALLENGES - 2)
            elapsed = time.perf_counter() - started
            print(
                f"  created {CHALLENGES - 2:,} in {elapsed:.2f} s (50 in flight);"
                f" with the 2 above, {CHALLENGES:,}"
            )
            started = time.perf_counter()
            statuses = await count_challenges(tw, service_sid, IDENTITY, CHALLENGES)
            elapsed = time.perf_counter() - started
            print(f"  streamed {sum(statuses.values()):,} in {elapsed:.2f} s: {dict(statuses)}")
            expect(sum(statuses.values()) == CHALLENGES, "the stream missed challenges")

        async def worker() -> None:
            allowed, denied = await capability_flow(tw, emu.account_sid, emu.auth_token)
            expect(allowed.startswith("allowed"), "the activity update was refused")
            expect(denied.startswith("denied"), "the rename was allowed")

        await step(1, "Verify TOTP: enrol a factor, verify it with a locally computed code", totp)
        await step(2, "Verify push: device key, factor, challenge approved by a signed JWT", push)
        await step(3, f"Create and stream {CHALLENGES:,} challenges with async for", stream)
        await step(4, "TaskRouter: a worker capability token signed locally", worker)

    async def signalwire() -> None:
        async with emu.signalwire_client() as sw:
            token = await subscriber_tokens(sw, "ana@example.com")
            expect(emu.signalwire.token_valid(token), "the refreshed token is not valid")

    async def ziggeo() -> None:
        async with emu.ziggeo_client() as zg:
            auth, client_token = await ziggeo_tokens(zg)
            expect(auth in emu.ziggeo.auth_tokens, "the auth token is not stored")
            options = emu.ziggeo.check_client_token(client_token)
            print(f"  the emulator decrypted the client token: grants {options['grants']}")

    await step(5, "SignalWire: a subscriber token and its refresh", signalwire)
    await step(6, "Ziggeo: a server auth token and a client token", ziggeo)
    await step(7, "SMS: send, then signed status callbacks to a local handler", lambda: sms(emu))
    await step(8, "Verify SMS: a one-time code sent, checked wrong, then right", lambda: otp(emu))


async def sms(emu: Emulator) -> None:
    """Send a message and receive its status callbacks in an aiohttp handler."""
    validator = RequestValidator(emu.auth_token)
    received: list[tuple[str, bool]] = []
    url = ""

    async def status(request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        received.append((form["MessageStatus"], validator.validate(url, form, signature)))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/sms-status", status)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    url = f"http://{host}:{port}/sms-status"
    try:
        async with emu.twilio() as tw:
            sent = await tw.api.v2010.messages.create(
                to=PHONE, from_=SENDER, body="Your order shipped", status_callback=url
            )
            print(f"  {sent.sid} {sent.status}; the emulator's clock moves 2 s")
            emu.advance(2)
            fetched = await tw.api.v2010.messages.fetch(need(sent.sid, "message sid"))
            await emu.flush()
    finally:
        await runner.cleanup()
    print(f"  now {fetched.status}; callbacks (status, signature valid): {received}")
    expect(received == [("sent", True), ("delivered", True)], "the callbacks were not both valid")


async def otp(emu: Emulator) -> None:
    """Start a Verify SMS verification and check it with the code the emulator sent."""
    async with emu.twilio() as tw:
        verify = tw.verify.v2.services
        service = await verify.create(friendly_name="demo otp")
        service_sid = need(service.sid, "service sid")
        await verify.verifications.create(service_sid, to=PHONE, channel="sms")
        code = emu.verifications.code_for(PHONE)
        wrong = await verify.verification_checks.create(service_sid, to=PHONE, code="0000000")
        right = await verify.verification_checks.create(service_sid, to=PHONE, code=code)
    print(f"  code {code}: a wrong code leaves it {wrong.status}, the right one {right.status}")
    expect(right.status == "approved", "the verification was not approved")


async def main() -> int:
    started = time.perf_counter()
    print("trunkline demo: everything below runs against a local emulator, no network.")
    try:
        async with Emulator() as emu:
            await run(emu)
    except DemoFailure as exc:
        print(f"\nDEMO FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"\nAll flows passed in {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
