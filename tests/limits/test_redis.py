"""The Redis backend against a real redis-server: shared slots, leases, pace, AIMD, outages."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

import trunkline
from trunkline.limits import Lease, LimiterUnavailableError, Limits, RedisBackend

from ._redis_server import RedisServer, free_port

ACCOUNT = "AC" + "2" * 32
_prefixes = itertools.count()

Make = Callable[..., RedisBackend]


@pytest.fixture
async def make(redis_server: RedisServer) -> AsyncIterator[Make]:
    """Backends on the session's Redis under one fresh prefix (one per "process")."""
    prefix = f"t{next(_prefixes)}"
    made: list[RedisBackend] = []

    def build(**kw: object) -> RedisBackend:
        # The 0.25 s default per Redis call trips on a loaded CI machine (the contract tests'
        # Prism processes share its two cores) and the limiter fails open mid-test; a test
        # about that limit passes its own.
        kw.setdefault("timeout", 2.0)
        backend = RedisBackend(redis_server.url, prefix=prefix, **kw)  # type: ignore[arg-type]
        made.append(backend)
        return backend

    yield build
    for backend in made:
        await backend.aclose()


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """A plain client to look at the keys."""
    client = Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    await client.aclose()


def later(seconds: float) -> float:
    return asyncio.get_running_loop().time() + seconds


async def test_two_processes_share_k_slots_first_come_first_served(make: Make) -> None:
    """Two backends (two processes) share K=2 slots; waiters of both are served in order."""
    one, two = make(), make()
    limits = Limits(concurrency=2)
    held = [await backend.acquire(ACCOUNT, limits, later(5)) for backend in (one, two)]
    order: list[str] = []

    async def wait(backend: RedisBackend, name: str) -> Lease:
        lease = await backend.acquire(ACCOUNT, limits, later(5))
        order.append(name)
        return lease

    first = asyncio.ensure_future(wait(two, "first"))
    await asyncio.sleep(0.05)
    second = asyncio.ensure_future(wait(one, "second"))
    await asyncio.sleep(0.05)
    assert order == []
    held.pop().release()
    held.append(await first)
    assert order == ["first"]
    held.pop(0).release()
    held.append(await second)
    assert order == ["first", "second"]
    for lease in held:
        lease.release()


async def test_keys_share_one_hash_tag_per_account(make: Make, redis: Redis) -> None:
    """Every key of an account carries the account as a Redis Cluster hash tag."""
    backend = make()
    limits = Limits(concurrency=1, message_rate=5)
    lease = await backend.acquire(ACCOUNT, limits, later(5))
    await backend.pace(ACCOUNT, "+15017122661", limits, later(5))
    backend.cut(ACCOUNT, limits, None)
    await asyncio.sleep(0.05)
    keys = await redis.keys(f"{backend.prefix}:*")
    assert len(keys) >= 3
    assert all(f"{{{ACCOUNT}}}" in key for key in keys)
    lease.release()


async def test_a_dead_holders_slot_comes_back_after_the_lease_ttl(make: Make) -> None:
    """A lease nobody releases or renews (its process died) frees its slot within the TTL."""
    dead, alive = make(), make()
    limits = Limits(concurrency=1, lease_ttl=0.4)
    await dead.acquire(ACCOUNT, limits, later(5))
    assert dead._renewer is not None
    dead._renewer.cancel()  # what kill -9 does to the renewals
    loop = asyncio.get_running_loop()
    start = loop.time()
    lease = await alive.acquire(ACCOUNT, limits, later(5))
    assert loop.time() - start < 0.4 + alive.poll
    lease.release()


async def test_a_held_lease_is_renewed_past_its_ttl(make: Make, redis: Redis) -> None:
    """A long call keeps its slot: the holder renews its lease before the TTL runs out."""
    backend = make()
    limits = Limits(concurrency=1, lease_ttl=0.3)
    lease = await backend.acquire(ACCOUNT, limits, later(5))
    await asyncio.sleep(0.8)
    assert await redis.zscore(backend.keys(ACCOUNT)[0], lease.id) is not None
    lease.release()


async def test_a_queued_waiter_past_its_deadline_times_out_and_leaves(
    make: Make, redis: Redis
) -> None:
    """A waiter whose deadline passes gets ApiTimeoutError and leaves the queue."""
    backend = make()
    limits = Limits(concurrency=1)
    lease = await backend.acquire(ACCOUNT, limits, later(5))
    with pytest.raises(trunkline.ApiTimeoutError) as caught:
        await backend.acquire(ACCOUNT, limits, later(0.1))
    assert caught.value.request_sent is False
    await asyncio.sleep(0.05)
    leases, queue, _, _ = backend.keys(ACCOUNT)
    assert await redis.zcard(queue) == 0
    assert await redis.zcard(leases) == 1
    lease.release()
    await asyncio.sleep(0.05)
    assert await redis.zcard(leases) == 0


async def test_scripts_are_loaded_again_after_a_script_flush(make: Make, redis: Redis) -> None:
    """EVALSHA falls back to loading the script when Redis forgot it (NOSCRIPT)."""
    backend = make()
    limits = Limits(concurrency=3)
    (await backend.acquire(ACCOUNT, limits, later(5))).release()
    await redis.script_flush()
    lease = await backend.acquire(ACCOUNT, limits, later(5))
    assert backend.stats["granted"] == 2
    lease.release()


async def _limit_after_cut(backend: RedisBackend, limits: Limits, expected: int) -> int:
    """The stored limit once a cut sent in the background has landed (at most 5 s)."""
    found = await backend.limit(ACCOUNT, limits)
    for _ in range(500):
        if found == expected:
            break
        await asyncio.sleep(0.01)
        found = await backend.limit(ACCOUNT, limits)
    return found


async def test_a_429_cuts_the_shared_limit_for_every_process(make: Make) -> None:
    """One process's 429 halves the limit that another process then sees."""
    one, two = make(), make()
    limits = Limits(concurrency=10, recover_every=30)
    one.cut(ACCOUNT, limits, None)
    assert await _limit_after_cut(two, limits, 5) == 5
    held = [await two.acquire(ACCOUNT, limits, later(5)) for _ in range(5)]
    with pytest.raises(trunkline.ApiTimeoutError):
        await two.acquire(ACCOUNT, limits, later(0.1))
    for lease in held:
        lease.release()


async def test_the_shared_limit_climbs_back_one_step_per_period(make: Make) -> None:
    """After a cut, the shared limit grows by one per recover_every until it is K again."""
    backend = make()
    limits = Limits(concurrency=4, recover_every=0.2)
    backend.cut(ACCOUNT, limits, 3)  # min(4 * 0.5, 3 - 1) = 2
    assert await _limit_after_cut(backend, limits, 2) == 2
    await asyncio.sleep(0.6)
    # Recovery is applied when a slot is asked for: each acquire sees the grown limit.
    held = [await backend.acquire(ACCOUNT, limits, later(5)) for _ in range(4)]
    assert await backend.limit(ACCOUNT, limits) == 4
    for lease in held:
        lease.release()


async def test_gcra_spaces_one_senders_messages(make: Make) -> None:
    """The shared pace hands out one send per interval across processes; other senders are free."""
    one, two = make(), make()
    limits = Limits(message_rate=4.0, message_burst=2)
    far = later(60)
    waits = [await b.pace(ACCOUNT, "+15017122661", limits, far) for b in (one, two, one, two)]
    assert waits[:2] == [0.0, 0.0]  # a burst of two
    # Waits count from when each call reached Redis: a loaded machine's delays between the
    # calls shorten them (up to 0.1 s allowed here), never lengthen them.
    assert 0.15 < waits[2] <= 0.25
    assert 0.4 < waits[3] <= 0.5
    assert await two.pace(ACCOUNT, "+15005550006", limits, far) == 0.0
    with pytest.raises(trunkline.ApiTimeoutError):
        await one.pace(ACCOUNT, "+15017122661", limits, later(0.1))


@pytest.mark.parametrize("policy", ["open", "closed"])
async def test_an_unreachable_redis_follows_the_policy_and_logs_once(
    policy: str, caplog: pytest.LogCaptureFixture
) -> None:
    """With Redis down, fail open limits locally and fail closed raises; one warning per outage."""
    backend = RedisBackend(
        f"redis://127.0.0.1:{free_port()}/0",
        on_failure=policy,  # type: ignore[arg-type]
        expected_processes=4,
        timeout=0.2,
    )
    limits = Limits(concurrency=8)
    caplog.set_level(logging.WARNING, "trunkline.limits")
    try:
        async with asyncio.timeout(5):  # never a hang
            if policy == "open":
                held = [await backend.acquire(ACCOUNT, limits, later(5)) for _ in range(2)]
                with pytest.raises(trunkline.ApiTimeoutError):
                    await backend.acquire(ACCOUNT, limits, later(0.1))  # 8 // 4 = 2 here
                for lease in held:
                    lease.release()
                assert backend.stats["fallback"] == 3
            else:
                for _ in range(3):
                    with pytest.raises(LimiterUnavailableError) as caught:
                        await backend.acquire(ACCOUNT, limits, later(5))
                    assert caught.value.request_sent is False
                assert backend.stats["refused"] == 3
    finally:
        await backend.aclose()
    warnings = [r for r in caplog.records if r.name == "trunkline.limits"]
    assert len(warnings) == 1
    assert "Redis is unavailable" in warnings[0].getMessage()
    assert backend.stats["outages"] == 1


async def test_a_redis_that_comes_back_is_used_again_and_logged(
    make: Make, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """After an outage the backend asks Redis again and logs that it answers."""
    backend = make(retry_every=0.1, timeout=0.2)
    limits = Limits(concurrency=4)
    caplog.set_level(logging.WARNING, "trunkline.limits")
    redis_server.stop()
    try:
        (await backend.acquire(ACCOUNT, limits, later(5))).release()
        assert backend.stats["outages"] == 1
    finally:
        redis_server.start()
    await asyncio.sleep(0.15)
    (await backend.acquire(ACCOUNT, limits, later(5))).release()
    assert not backend.unavailable
    messages = [r.getMessage() for r in caplog.records if r.name == "trunkline.limits"]
    assert len(messages) == 2
    assert "answers again" in messages[1]


def test_bad_backend_arguments_are_named() -> None:
    """A malformed RedisBackend argument raises ValueError naming it."""
    with pytest.raises(ValueError, match="on_failure must be 'open' or 'closed'"):
        RedisBackend("redis://127.0.0.1:1/0", on_failure="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected_processes must be at least 1"):
        RedisBackend("redis://127.0.0.1:1/0", expected_processes=0)
    with pytest.raises(ValueError, match="timeout must be positive"):
        RedisBackend("redis://127.0.0.1:1/0", timeout=0)
