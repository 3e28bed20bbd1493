"""``python -m trunkline.testing``: run the emulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

import attrs

from ._emulator import Emulator, dump_credentials
from ._faults import Fault

_INT_KNOBS = {"error_status", "non_json_status"}


def parse_fault(text: str) -> tuple[str, str, Fault]:
    """Read ``--fault 'METHOD /path/* knob=value ...'`` into a rule.

    Raises:
        ValueError: a missing method or path, an unknown knob or a bad value.
    """
    parts = text.split()
    if len(parts) < 2:
        raise ValueError(
            "a fault needs a method and a path, e.g. 'POST /v2/Services error_rate=0.2'"
        )
    method, route, *knobs = parts
    known = {field.name for field in attrs.fields(Fault)}
    values: dict[str, float | int] = {}
    for knob in knobs:
        name, sep, raw = knob.partition("=")
        if not sep or name not in known:
            raise ValueError(f"unknown fault knob {knob!r}; known: {', '.join(sorted(known))}")
        try:
            values[name] = int(raw) if name in _INT_KNOBS else float(raw)
        except ValueError:
            raise ValueError(f"fault knob {name} needs a number, not {raw!r}") from None
    return method, route, Fault(**values)  # type: ignore[arg-type]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trunkline.testing",
        description="Serve trunkline's local emulator: every operation of every generated "
        "Twilio spec (a host shared by several specs goes first in the path: "
        "/chat.twilio.com/v1/Services), plus SignalWire and Ziggeo.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    parser.add_argument("--seed", default="0", help="fault-injection seed")
    parser.add_argument("--account-sid", help="Twilio account SID to accept (default: random)")
    parser.add_argument("--auth-token", help="Twilio auth token to accept (default: random)")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="'METHOD PATH knob=value ...'",
        help="inject faults, e.g. 'POST /v2/Services/*/Entities/*/Factors error_rate=0.2 "
        "drop_after_rate=0.1' (repeatable; * is one path segment, ** any)",
    )
    return parser


async def _serve(args: argparse.Namespace, faults: list[tuple[str, str, Fault]]) -> None:
    emu = Emulator(
        host=args.host,
        port=args.port,
        seed=args.seed,
        account_sid=args.account_sid,
        auth_token=args.auth_token,
    )
    for method, route, fault in faults:
        emu.faults.add(method, route, fault)
    async with emu:
        # The credentials go to stdout on purpose: they are made up, and the user needs them.
        print(dump_credentials(emu), flush=True)
        print(
            f"trunkline emulator listening on {emu.url} (Ctrl-C stops it)",
            file=sys.stderr,
            flush=True,
        )
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve until interrupted."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be 0 to 65535, not {args.port}")
    try:
        faults = [parse_fault(text) for text in args.fault]
    except ValueError as exc:
        parser.error(str(exc))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args, faults))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
