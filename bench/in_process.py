"""In-process comparisons behind ``bench/PROFILE.md``: a model decode; both clients in one process.

``python bench/in_process.py decode`` times ``Factor.from_dict`` on the bench server's
factor body against the keyword ``__init__`` call it replaced (timeit, the least of 7
repeats: fixed work, so noise can only add to it).

``python bench/in_process.py fetch [--rounds N] [--fetches N]`` runs raw aiohttp and
trunkline in one process against the loopback server of ``make bench``, alternating runs
of N warm fetches at concurrency 64 (the order flips every round), and prints each
client's median µs CPU per fetch and the median of the per-round ratios. Both clients
share one heap, one set of imports and the machine's drift, which ``make bench``'s
separate processes do not.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _clients  # noqa: E402
import _payloads as p  # noqa: E402
from run import Server  # noqa: E402

__all__ = ["main"]


def decode() -> None:
    """Print µs per decode of the bench's factor: ``from_dict`` and the keyword ``__init__``."""
    import orjson

    from trunkline.generated.twilio.verify.v2.models.factors import Factor

    data: dict[str, Any] = orjson.loads(
        orjson.dumps(p.factor(p.SERVICE_SID, p.IDENTITY, p.FACTOR_SID))
    )
    made = Factor.from_dict(data)
    fields = {name: getattr(made, name) for name in Factor._wire_names}

    def by_init() -> Factor:
        return Factor(**fields, raw=data)

    number = 50_000
    for label, call in (
        ("from_dict", lambda: Factor.from_dict(data)),
        ("keyword __init__ alone", by_init),
    ):
        best = min(timeit.repeat(call, number=number, repeat=7)) / number * 1e6
        print(f"{label}: {best:.2f} µs")


async def _alternate(base: str, fetches: int, rounds: int) -> dict[str, list[float]]:
    clients = {name: _clients._FACTORIES[name](base) for name in ("raw", "trunkline")}
    try:
        for client in clients.values():
            await _clients._concurrently(client.fetch, 500)
        per_fetch: dict[str, list[float]] = {name: [] for name in clients}
        for round_no in range(rounds):
            order = ["raw", "trunkline"] if round_no % 2 == 0 else ["trunkline", "raw"]
            for name in order:
                started = time.process_time()
                await _clients._concurrently(clients[name].fetch, fetches)
                per_fetch[name].append((time.process_time() - started) / fetches * 1e6)
        return per_fetch
    finally:
        for client in clients.values():
            await client.aclose()


def fetch(rounds: int, fetches: int) -> None:
    """Print both clients' median µs CPU per warm fetch in one process, and their ratio."""
    with Server() as base:
        per_fetch = asyncio.run(_alternate(base, fetches, rounds))
    raw, ours = per_fetch["raw"], per_fetch["trunkline"]
    above = sum(t > r for t, r in zip(ours, raw, strict=True))
    ratios = [t / r for t, r in zip(ours, raw, strict=True)]
    print(f"raw aiohttp: {statistics.median(raw):.1f} µs CPU per fetch (median of {rounds})")
    print(f"trunkline:   {statistics.median(ours):.1f} µs CPU per fetch")
    print(
        f"trunkline / raw: {statistics.median(ratios):.3f} (median of per-round ratios);"
        f" trunkline above in {above} of {rounds} rounds"
    )


def main(argv: list[str] | None = None) -> int:
    """Run one of the two comparisons."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("decode", "fetch"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--fetches", type=int, default=5_000)
    args = parser.parse_args(argv)
    if args.what == "decode":
        decode()
    else:
        fetch(args.rounds, args.fetches)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
