"""``python -m trunkline.testing``: serves the emulator and prints where and with what."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp
import pytest

from trunkline.testing import Fault, read_credentials
from trunkline.testing.__main__ import parse_fault

from .conftest import basic


async def test_command_serves_until_interrupted() -> None:
    """The command prints its URL and credentials, applies --fault, exits 0 on Ctrl-C."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "trunkline.testing",
        "--port",
        "0",
        "--auth-token",
        "t0k3n",
        "--fault",
        "GET /v2/Services error_rate=1 error_status=500",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        info = await read_credentials(proc.stdout)
        assert info["auth_token"] == "t0k3n"
        assert info["url"].startswith("http://127.0.0.1:")
        auth = {"Authorization": basic(info["account_sid"], "t0k3n")}
        url = info["url"] + "/v2/Services"
        async with (
            aiohttp.ClientSession(headers=auth) as s,
            s.post(url, data={"FriendlyName": "cli"}) as r,
        ):
            assert r.status == 201
        async with aiohttp.ClientSession(headers=auth) as s, s.get(url) as r:
            assert r.status == 500
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(proc.wait(), 30)
    assert code == 0


def test_fault_option_parses() -> None:
    """``--fault`` reads a method, a path and numeric knobs; unknown knobs are named."""
    method, route, fault = parse_fault("POST /v2/Services/** error_rate=0.2 error_status=500")
    assert (method, route) == ("POST", "/v2/Services/**")
    assert fault == Fault(error_rate=0.2, error_status=500)
    with pytest.raises(ValueError, match="unknown fault knob 'oops=1'"):
        parse_fault("GET /v2/Services oops=1")
    with pytest.raises(ValueError, match="needs a number"):
        parse_fault("GET /v2/Services latency=slow")
    with pytest.raises(ValueError, match="method and a path"):
        parse_fault("GET")


async def test_read_credentials_refuses_a_command_that_ended_early() -> None:
    """A stdout that closes before the closing brace is a RuntimeError, not a hang or a half."""
    stream = asyncio.StreamReader()
    stream.feed_data(b'{\n  "url": "http://127.0.0.1:1"\n')
    stream.feed_eof()
    with pytest.raises(RuntimeError, match="ended before printing its credentials"):
        await read_credentials(stream)
