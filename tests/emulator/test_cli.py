"""``python -m trunkline.testing``: serves the emulator and prints where and with what."""

from __future__ import annotations

import asyncio
import json
import signal
import sys

import aiohttp

from .conftest import basic


async def test_command_serves_until_interrupted() -> None:
    """The command prints the URL and credentials, answers requests and exits 0 on Ctrl-C."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "trunkline.testing",
        "--port",
        "0",
        "--auth-token",
        "t0k3n",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        lines = []
        while not lines or lines[-1] != "}":
            line = await asyncio.wait_for(proc.stdout.readline(), 30)
            assert line, "the command ended before printing its credentials"
            lines.append(line.decode().rstrip())
        info = json.loads("\n".join(lines))
        assert info["auth_token"] == "t0k3n"
        assert info["url"].startswith("http://127.0.0.1:")
        auth = {"Authorization": basic(info["account_sid"], "t0k3n")}
        url = info["url"] + "/v2/Services"
        async with (
            aiohttp.ClientSession(headers=auth) as s,
            s.post(url, data={"FriendlyName": "cli"}) as r,
        ):
            assert r.status == 201
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(proc.wait(), 30)
    assert code == 0
