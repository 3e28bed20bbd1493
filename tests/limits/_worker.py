"""One worker process of the multi-process limiter tests: N calls through one client.

Run as ``python _worker.py '<json settings>'``; prints ``ready``, reads one JSON line
with ``start_at`` (and ``until``) from stdin, then prints one JSON line with what happened
(calls that succeeded, errors by class, the limiter's counts) and exits 0. The settings:
``base_url``, ``redis_url`` (None: no limiter), ``prefix``, ``concurrency``,
``message_rate``, ``tasks`` (calls in flight in this process), ``calls``, ``kind``
(``"fetch"`` or ``"message"``), ``until`` (wall-clock end for message runs),
``lease_ttl``, ``on_failure``, ``expected_processes``, ``attempts``, ``redis_timeout``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from typing import Any

import trunkline
from trunkline.limits import Limiter, RedisBackend

ACCOUNT_SID = "AC" + "0" * 32
CALL_SID = "CA" + "0" * 32


async def run(cfg: dict[str, Any]) -> dict[str, Any]:
    limiter = None
    if cfg.get("redis_url"):
        backend = RedisBackend(
            cfg["redis_url"],
            prefix=cfg["prefix"],
            on_failure=cfg.get("on_failure", "open"),
            expected_processes=cfg.get("expected_processes", 1),
            retry_every=0.2,
            timeout=cfg.get("redis_timeout", 1.0),
        )
        limiter = Limiter(
            backend=backend,
            concurrency=cfg.get("concurrency"),
            message_rate=cfg.get("message_rate"),
            lease_ttl=cfg.get("lease_ttl", 10.0),
        )
    retry = trunkline.RetryPolicy(attempts=cfg.get("attempts", 3), wait_initial=0.05)
    outcomes: Counter[str] = Counter()
    async with trunkline.Twilio(
        ACCOUNT_SID, "token", base_url=cfg["base_url"], retry=retry, limiter=limiter
    ) as tw:
        todo = iter(range(cfg.get("calls", 0)))

        async def fetches() -> None:
            for _ in todo:
                try:
                    await tw.api.v2010.calls.fetch(CALL_SID, timeout=cfg.get("timeout", 30))
                    outcomes["ok"] += 1
                except trunkline.TrunklineError as exc:
                    outcomes[type(exc).__name__] += 1

        async def messages() -> None:
            while (left := cfg["until"] - time.time()) > 0:
                try:
                    await tw.api.v2010.messages.create(
                        to="+15558675310", from_="+15017122661", body="hi", timeout=left
                    )
                    outcomes["ok"] += 1
                except trunkline.ApiTimeoutError:
                    break

        work = fetches if cfg.get("kind", "fetch") == "fetch" else messages
        # Every worker starts at the same moment, whatever its start-up took: it says it
        # is ready and reads the start (and end) time the test sends to all of them.
        # The first call imports the resources' modules (slow on a busy machine): done
        # before the start, so every worker sends from the first moment.
        _ = (tw.api.v2010.calls, tw.api.v2010.messages, tw.user_agent)
        print("ready", flush=True)
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        cfg.update(json.loads(line))
        await asyncio.sleep(max(cfg["start_at"] - time.time(), 0))
        start = time.monotonic()
        cpu = time.process_time()
        await asyncio.gather(*(work() for _ in range(cfg.get("tasks", 1))))
        elapsed = time.monotonic() - start
        cpu = time.process_time() - cpu
    stats: dict[str, int] = {}
    if limiter is not None:
        await limiter.aclose()
        stats = dict(limiter.stats)
    return {"outcomes": dict(outcomes), "elapsed": elapsed, "cpu": cpu, "stats": stats}


def main() -> None:
    cfg = json.loads(sys.argv[1])
    print(json.dumps(asyncio.run(run(cfg))), flush=True)


if __name__ == "__main__":
    main()
