"""Create 5,000 challenges concurrently, then stream them back with ``async for``.

``stream()`` fetches pages lazily (1,000 items each here), the next one while the loop
handles the current one. Run it as is: ``python examples/stream_challenges.py``.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from _show import Progress, need, value

import trunkline


async def create_challenges(
    tw: trunkline.Twilio, service_sid: str, identity: str, factor_sid: str, count: int
) -> None:
    """Create ``count`` challenges, at most 50 requests in flight."""
    bar = Progress(count, label="created  ")
    gate = asyncio.Semaphore(50)

    async def create(number: int) -> None:
        async with gate:
            await tw.verify.v2.services.entities.challenges.create(
                service_sid, identity, factor_sid=factor_sid, details_message=f"Login #{number}"
            )
        bar.advance()

    async with asyncio.TaskGroup() as group:
        for number in range(count):
            group.create_task(create(number))
    bar.close()


async def count_challenges(
    tw: trunkline.Twilio, service_sid: str, identity: str, expected: int
) -> Counter[str]:
    """Stream every challenge of an entity, 1,000 per page; returns the count per status."""
    statuses: Counter[str] = Counter()
    bar = Progress(expected, label="streamed ")
    async for challenge in tw.verify.v2.services.entities.challenges.stream(
        service_sid, identity, page_size=1000
    ):
        statuses[str(value(challenge.status))] += 1
        bar.advance()
    bar.close()
    return statuses


async def main() -> None:
    from trunkline.testing import Emulator
    from trunkline.tokens.totp import Totp

    async with Emulator() as emu, emu.twilio() as tw:
        service = await tw.verify.v2.services.create(friendly_name="Acme")
        service_sid = need(service.sid, "service sid")
        factor = await tw.verify.v2.services.entities.factors.create(
            service_sid, "user-1234", factor_type="totp", friendly_name="phone"
        )
        factor_sid = need(factor.sid, "factor sid")
        code = Totp.from_uri(need(factor.binding, "factor binding")["uri"]).code()
        await tw.verify.v2.services.entities.factors.update(
            service_sid, "user-1234", factor_sid, auth_payload=code
        )
        await create_challenges(tw, service_sid, "user-1234", factor_sid, 5000)
        print(dict(await count_challenges(tw, service_sid, "user-1234", 5000)))


if __name__ == "__main__":
    asyncio.run(main())
