"""What the limiter costs per call: µs of CPU and Redis round trips, in-process and on Redis.

``python bench/_limiter.py N ROUNDS`` starts a redis-server on a free loopback port, then
in one process runs N fetches through a client whose transport answers at once
(``MockTransport``), 64 at a time, then N / 8 one at a time, three ways each: no limiter,
the in-process limiter and the Redis limiter (concurrency 1,000, so no call waits: the
figure is the toll every call pays). It prints one JSON line: the median over ROUNDS of
the extra CPU per call over the run without a limiter, and the Redis round trips (writes
to a Redis socket), commands and redis-server CPU per call. 64 at a time, the releases
of one event-loop turn share a round trip; one at a time, each call pays two.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.limits._redis_server import RedisServer  # noqa: E402

CONCURRENCY = 64
ACCOUNT_SID = "AC" + "0" * 32
CALL_SID = "CA" + "0" * 32
_writes = [0]


def _count_writes() -> None:
    """Count every write to a Redis connection: a pipeline is one write, one round trip."""
    from redis.asyncio.connection import AbstractConnection

    send = AbstractConnection.send_packed_command

    async def counted(self: Any, command: Any, check_health: bool = True) -> None:
        _writes[0] += 1
        await send(self, command, check_health)

    AbstractConnection.send_packed_command = counted  # type: ignore[method-assign]


async def _server_counts(url: str) -> tuple[int, float]:
    """Commands the limiter sent so far, and the server's CPU seconds."""
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        stats = await client.info("commandstats")
        cpu = await client.info("cpu")
    finally:
        await client.aclose()
    # INFO also counts the commands scripts ran, and its own.
    sent = ("cmdstat_evalsha", "cmdstat_eval", "cmdstat_blpop", "cmdstat_script|load")
    commands = sum(int(v["calls"]) for k, v in stats.items() if k in sent)
    return commands, float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])


async def _run(n: int, kind: str, url: str, concurrency: int) -> dict[str, float]:
    import trunkline
    from trunkline.limits import Limiter, RedisBackend

    body = json.dumps({"sid": CALL_SID, "status": "completed"}).encode()

    def answer(request: trunkline.Request) -> trunkline.Response:
        return trunkline.Response(200, {"Content-Type": "application/json"}, body)

    limiter = None
    if kind == "local":
        limiter = Limiter(concurrency=1000)
    elif kind == "redis":
        backend = RedisBackend(url, prefix=f"bench{time.time_ns()}")
        limiter = Limiter(concurrency=1000, backend=backend)
    transport = trunkline.MockTransport(answer, record=False)
    async with trunkline.Twilio(ACCOUNT_SID, "token", transport=transport, limiter=limiter) as tw:
        calls = tw.api.v2010.calls

        async def worker(count: int) -> None:
            for _ in range(count):
                await calls.fetch(CALL_SID)

        await asyncio.gather(*(worker(4) for _ in range(concurrency)))  # warm-up
        before = await _server_counts(url) if kind == "redis" else (0, 0.0)
        writes, cpu = _writes[0], time.process_time()
        await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
        if limiter is not None:
            await limiter.aclose()
        cpu = time.process_time() - cpu
        writes = _writes[0] - writes
        done = n // concurrency * concurrency
        after = await _server_counts(url) if kind == "redis" else (0, 0.0)
    return {
        "cpu_us": cpu / done * 1e6,
        "round_trips": writes / done,
        "commands": (after[0] - before[0]) / done,
        "server_us": (after[1] - before[1]) / done * 1e6,
    }


def main() -> None:
    n, rounds = int(sys.argv[1]), int(sys.argv[2])
    _count_writes()
    server = RedisServer()
    server.start()
    runs: dict[str, list[dict[str, float]]] = {}
    try:
        for _ in range(rounds):
            for concurrency in (CONCURRENCY, 1):
                for kind in ("none", "local", "redis"):
                    found = _run(n // (8 if concurrency == 1 else 1), kind, server.url, concurrency)
                    runs.setdefault(f"{kind}{concurrency}", []).append(asyncio.run(found))
    finally:
        server.stop()

    def median(key: str, what: str) -> float:
        return statistics.median(r[what] for r in runs[key])

    out = {}
    for concurrency in (CONCURRENCY, 1):
        base = median(f"none{concurrency}", "cpu_us")
        for kind in ("local", "redis"):
            key = f"{kind}{concurrency}"
            out[f"{key}_us"] = median(key, "cpu_us") - base
        out[f"redis{concurrency}_round_trips"] = median(f"redis{concurrency}", "round_trips")
        out[f"redis{concurrency}_commands"] = median(f"redis{concurrency}", "commands")
        out[f"redis{concurrency}_server_us"] = median(f"redis{concurrency}", "server_us")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
