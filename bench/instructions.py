"""``make bench-instructions``: instructions per warm operation, trunkline against raw aiohttp.

CPU time on a shared machine wanders by ±20% from one run to the next; the number of
instructions a client process executes much less (rounds of one sitting agree within 1%;
sittings minutes apart have differed by 2.5%, as the event loop batches answers
differently when the machine's speed changes). Each client runs a
scenario twice under ``valgrind --tool=callgrind`` (``bench/_clients.py``, its own process,
against the loopback server of ``make bench``), once with ``--small`` and once with
``--large`` operations; the difference divided by the difference in counts is the cost of
one warm operation, with start-up, imports and warm-up cancelled out. Runs alternate
between the clients, and the figure is the median of ``--rounds`` such pairs.

Needs valgrind (``apt-get install valgrind``); the instruction counts are of user space
only, so system-call time (about a quarter of a fetch's CPU) is not in them.

``--cache`` runs cachegrind with its cache and branch simulation instead and prints, per warm
operation, instructions, mispredicted branches and first-level data cache misses: what makes
one instruction cost more than another (a simulation of a generic CPU, not this machine's
counters, which the VM does not expose).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import CLIENT_ENV, PY, Server  # noqa: E402

__all__ = ["cache_events", "cache_summary", "count", "main", "per_operation"]

_COLLECTED = re.compile(r"Collected : (\d+)")
# cachegrind's summary lines, e.g. "==12== I refs:        392,050,123"
_CACHE_EVENTS = {
    "instructions": "I refs",
    "D1 misses": "D1 misses",
    "mispredicted branches": "Mispredicts",
}
_SUMMARY = re.compile(r"==\d+== ([A-Za-z0-9 ]+?):\s+([\d,]+)")


def _under_valgrind(
    tool: str, options: list[str], client: str, scenario: str, n: int, base: str, timeout: float
) -> str:
    """valgrind's report (its stderr) of one client process doing ``n`` operations."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [
                "valgrind",
                f"--tool={tool}",
                *options,
                f"--{tool}-out-file={tmp}/out",
                PY,
                str(BENCH / "_clients.py"),
                client,
                scenario,
                str(n),
                base,
            ],
            capture_output=True,
            text=True,
            cwd=BENCH,
            env=CLIENT_ENV,
            timeout=timeout,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{client} {scenario} under {tool} failed:\n{done.stderr[-2000:]}")
    return done.stderr


def count(client: str, scenario: str, n: int, base: str) -> int:
    """Instructions the client process executes doing ``n`` operations of ``scenario``."""
    report = _under_valgrind("callgrind", [], client, scenario, n, base, 1200)
    found = _COLLECTED.search(report)
    if found is None:
        raise RuntimeError(f"{client} {scenario}: no instruction count from callgrind")
    return int(found.group(1))


def cache_summary(text: str) -> dict[str, int]:
    """The totals :data:`_CACHE_EVENTS` names, read from cachegrind's closing summary."""
    found: dict[str, int] = {}
    for label, value in _SUMMARY.findall(text):
        for name, wanted in _CACHE_EVENTS.items():
            if " ".join(label.split()) == wanted:
                found[name] = int(value.replace(",", ""))
    return found


def cache_events(client: str, scenario: str, n: int, base: str) -> dict[str, int]:
    """cachegrind's totals (instructions, D1 misses, mispredicts) for ``n`` operations."""
    options = ["--cache-sim=yes", "--branch-sim=yes"]
    found = cache_summary(_under_valgrind("cachegrind", options, client, scenario, n, base, 1800))
    if len(found) != len(_CACHE_EVENTS):
        raise RuntimeError(
            f"{client} {scenario}: cachegrind's summary lacks {set(_CACHE_EVENTS) - set(found)}"
        )
    return found


Measure = Callable[[str, str, int, str], dict[str, int]]


def per_operation(
    measure: Measure, scenario: str, small: int, large: int, rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Each client's events per warm operation, a figure per round: ``{client: {event: [..]}}``.

    Rounds alternate the clients; each figure is the difference between a ``large`` and a
    ``small`` run divided by the difference in operations.
    """
    per_op: dict[str, dict[str, list[float]]] = {"raw": {}, "trunkline": {}}
    unit = "item" if scenario == "stream" else "fetch"
    with Server() as base:
        for round_no in range(rounds):
            order = ["raw", "trunkline"] if round_no % 2 == 0 else ["trunkline", "raw"]
            for client in order:
                low = measure(client, scenario, small, base)
                high = measure(client, scenario, large, base)
                for name in low:
                    each = (high[name] - low[name]) / (large - small)
                    per_op[client].setdefault(name, []).append(each)
                    print(
                        f"round {round_no + 1}: {client} {each:,.0f} {name} per {unit}",
                        file=sys.stderr,
                        flush=True,
                    )
    return per_op


def _instructions(client: str, scenario: str, n: int, base: str) -> dict[str, int]:
    return {"instructions": count(client, scenario, n, base)}


def main(argv: list[str] | None = None) -> int:
    """Print instructions per warm operation of each client and trunkline's ratio to raw."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("fetch", "stream"), default="fetch")
    parser.add_argument("--small", type=int, help="operations in the short run")
    parser.add_argument("--large", type=int, help="operations in the long run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--cache", action="store_true", help="cachegrind's cache and branch simulation instead"
    )
    args = parser.parse_args(argv)
    small = args.small or (300 if args.scenario == "fetch" else 2_000)
    large = args.large or (3_300 if args.scenario == "fetch" else 12_000)
    if shutil.which("valgrind") is None:
        print("bench-instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    unit = "item" if args.scenario == "stream" else "fetch"
    measure = cache_events if args.cache else _instructions
    per_op = per_operation(measure, args.scenario, small, large, args.rounds)
    if args.cache:
        print(
            f"per warm {unit}, cachegrind (median of {args.rounds}): raw aiohttp, trunkline, ratio"
        )
        for name in _CACHE_EVENTS:
            raw = statistics.median(per_op["raw"][name])
            ours = statistics.median(per_op["trunkline"][name])
            print(f"  {name}: {raw:,.0f}  {ours:,.0f}  {ours / raw:.3f}x")
        return 0
    raw = statistics.median(per_op["raw"]["instructions"])
    ours = statistics.median(per_op["trunkline"]["instructions"])
    print(f"raw aiohttp: {raw:,.0f} instructions per warm {unit} (median of {args.rounds})")
    print(f"trunkline:   {ours:,.0f} instructions per warm {unit} ({ours / raw:.3f}x raw)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
