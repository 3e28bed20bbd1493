"""The emulator's own figures: start time with every spec, and fetches per second.

``python bench/_emulator.py FETCHES ROUNDS`` prints one JSON line: ``start_s``, the median
wall time of a fresh process importing ``trunkline.testing`` and starting an
:class:`Emulator` (every generated spec's data loaded), and ``fetches_per_s``, the median
rate at which 16 keep-alive connections fetch one stored message from
``python -m trunkline.testing`` running in a process of its own. The fetching side is a
few lines over asyncio streams, so the figure is the emulator's, not an HTTP client's.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import re
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

import aiohttp

from trunkline.testing import read_credentials

_START = """
import asyncio, time
began = time.perf_counter()
from trunkline.testing import Emulator
async def main():
    emu = Emulator()
    await emu.start()
    print(time.perf_counter() - began)
    await emu.close()
asyncio.run(main())
"""
IN_FLIGHT = 16
_LENGTH = re.compile(rb"(?i)content-length: *([0-9]+)")


def start_seconds() -> float:
    """One fresh process's import-and-start time."""
    done = subprocess.run(
        [sys.executable, "-c", _START], capture_output=True, text=True, check=True, timeout=120
    )
    return float(done.stdout.strip().splitlines()[-1])


async def fetch_rate(fetches: int) -> float:
    """Fetches per second of one message from the emulator command."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "trunkline.testing", "--port", "0", stdout=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        info = await read_credentials(proc.stdout, timeout=60)
        token = base64.b64encode(f"{info['account_sid']}:{info['auth_token']}".encode()).decode()
        base = f"{info['url']}/2010-04-01/Accounts/{info['account_sid']}/Messages"
        async with aiohttp.ClientSession(headers={"Authorization": f"Basic {token}"}) as s:
            data = {"To": "+15558675310", "From": "+15017122661", "Body": "bench"}
            async with s.post(base + ".json", data=data) as r:
                url = f"{base}/{(await r.json())['sid']}.json"

            target = urlsplit(url)
            request = (
                f"GET {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
                f"Authorization: Basic {token}\r\n\r\n"
            ).encode()

            async def worker(count: int) -> None:
                reader, writer = await asyncio.open_connection(target.hostname, target.port)
                for _ in range(count):
                    writer.write(request)
                    head = await reader.readuntil(b"\r\n\r\n")
                    assert head.startswith(b"HTTP/1.1 200"), head
                    found = _LENGTH.search(head)
                    assert found is not None
                    await reader.readexactly(int(found.group(1)))
                writer.close()
                await writer.wait_closed()

            await worker(50)
            began = time.perf_counter()
            share = fetches // IN_FLIGHT
            await asyncio.gather(*(worker(share) for _ in range(IN_FLIGHT)))
            return share * IN_FLIGHT / (time.perf_counter() - began)
    finally:
        proc.terminate()
        await proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("fetches", type=int)
    parser.add_argument("rounds", type=int)
    args = parser.parse_args()
    starts = [start_seconds() for _ in range(args.rounds)]
    rates = [asyncio.run(fetch_rate(args.fetches)) for _ in range(args.rounds)]
    print(
        json.dumps(
            {"start_s": statistics.median(starts), "fetches_per_s": statistics.median(rates)}
        )
    )


if __name__ == "__main__":
    main()
