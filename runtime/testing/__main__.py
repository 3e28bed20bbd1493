"""``python -m trunkline.testing``: run the emulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from ._emulator import Emulator, dump_credentials


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trunkline.testing",
        description="Serve trunkline's local emulator (Verify, TaskRouter, SignalWire, Ziggeo).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    parser.add_argument("--seed", default="0", help="fault-injection seed")
    parser.add_argument("--account-sid", help="Twilio account SID to accept (default: random)")
    parser.add_argument("--auth-token", help="Twilio auth token to accept (default: random)")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    emu = Emulator(
        host=args.host,
        port=args.port,
        seed=args.seed,
        account_sid=args.account_sid,
        auth_token=args.auth_token,
    )
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
    args = _parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        _parser().error(f"--port must be 0 to 65535, not {args.port}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
