"""max_response_bytes: bodies are counted after decompression and cut off at the limit."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import textwrap
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import trunkline
from trunkline._transport import MAX_RESPONSE_BYTES

from .conftest import FETCH, PATH, RawServer, http_response, twilio

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
ONE_GB = 1024 * MIB


def gzip_bomb(total: int) -> Iterator[bytes]:
    """A gzip stream of ``total`` zero bytes, compressed piece by piece (never held whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MIB)
    for _ in range(total // MIB):
        out = packer.compress(block)
        if out:
            yield out
    yield packer.flush()


def endless() -> Iterator[bytes]:
    """Plain bytes without end."""
    block = b"a" * 65536
    while True:
        yield block


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class ThreadServer:
    """A raw socket server in a thread: answers one request with a chunked body from a source.

    It runs outside the client's process, so the client's memory is all the client's.
    """

    def __init__(self, head: bytes, body: Callable[[], Iterator[bytes]]) -> None:
        self._head = head
        self._body = body
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.sent = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ThreadServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()
        self._thread.join(10)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(65536)
            if not more:
                return
            data += more
        if b"/warm" in data.split(b"\r\n", 1)[0]:
            conn.sendall(http_response(200, b'{"warm": true}', {"Connection": "close"}))
            return
        try:
            conn.sendall(self._head)
            for piece in self._body():
                conn.sendall(_chunk(piece))
                self.sent += len(piece)
            conn.sendall(b"0\r\n\r\n")
        except OSError:
            return


CLIENT = textwrap.dedent(
    """
    import asyncio, json, resource, sys

    import trunkline
    from trunkline._operation import Operation

    port, limit = int(sys.argv[1]), int(sys.argv[2])
    # On a client without the limit, fail fast instead of eating the machine's memory.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    base = f"http://127.0.0.1:{port}"
    warm = Operation(id="Warm", method="GET", server="https://api.twilio.com", path="/warm")
    bomb = Operation(id="Bomb", method="GET", server="https://api.twilio.com", path="/bomb")

    def peak() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    async def main() -> dict[str, object]:
        async with trunkline.Twilio(
            "AC" + "0" * 32, "token", base_url=base, max_response_bytes=limit,
            retry=trunkline.RetryPolicy(attempts=1), timeout=60,
        ) as client:
            await client.request(warm, {})
            before = peak()
            try:
                await client.request(bomb, {})
                error = None
            except trunkline.TrunklineError as exc:
                error = type(exc).__name__, str(exc)
            return {"growth": peak() - before, "error": error}

    print(json.dumps(asyncio.run(main())))
    """
)


def _client_growth(port: int, limit: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, str(port), str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


CHUNKED = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (CHUNKED + b"Content-Encoding: gzip\r\n\r\n", lambda: gzip_bomb(ONE_GB)),
        (CHUNKED + b"\r\n", endless),
    ],
    ids=["gzip-bomb-1GB", "endless-chunked"],
)
def test_hostile_bodies_grow_the_client_by_less_than_twice_the_limit(
    head: bytes, body: Callable[[], Iterator[bytes]]
) -> None:
    """A 1 GB gzip bomb or an endless chunked body raises, with peak RSS growth < 2x limit."""
    with ThreadServer(head, body) as server:
        result = _client_growth(server.port, MAX_RESPONSE_BYTES)
    error = result["error"]
    assert isinstance(error, list)
    name, message = error
    assert name == "ResponseTooLargeError"
    assert str(MAX_RESPONSE_BYTES) in message
    growth = result["growth"]
    assert isinstance(growth, int)
    assert growth < 2 * MAX_RESPONSE_BYTES, f"peak RSS grew by {growth / MIB:.1f} MiB"


def test_default_limit_is_far_above_a_full_twilio_page() -> None:
    """The default fits ten 1,000-item Twilio pages of ~1.5 KB items."""
    item = {"sid": "SM" + "0" * 32, "body": "x" * 1200, "uri": "/2010-04-01/" + "y" * 80}
    page = json.dumps({"messages": [item] * 1000, "next_page_uri": None}).encode()
    assert 10 * len(page) < MAX_RESPONSE_BYTES


async def big_declared(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Declare a 200 MB JSON body, send a little of it, then wait."""
    await server.read_request(reader)
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    writer.write(f"{head}Content-Length: {200 * 10**6}\r\n\r\n".encode() + b"[" * 1000)
    await writer.drain()
    await reader.read()


async def test_a_declared_length_past_the_limit_is_refused_and_the_connection_closed() -> None:
    """A Content-Length past the limit raises ResponseTooLargeError and closes the socket."""
    async with (
        RawServer(big_declared) as server,
        twilio(server.base_url, max_response_bytes=MIB) as client,
    ):
        with pytest.raises(trunkline.ResponseTooLargeError, match="1048576") as info:
            await client.request(FETCH, PATH)
        await server.wait_closed_by_client()
    assert isinstance(info.value, trunkline.ApiError)
    assert info.value.status == 200


async def chunked_past(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """A chunked body slightly longer than 64 KiB, sent whole."""
    await server.read_request(reader)
    writer.write(CHUNKED + b"\r\n" + _chunk(b" " * 70000) + b"0\r\n\r\n")
    await writer.drain()
    await reader.read()


async def test_a_body_counted_past_the_limit_raises_naming_it() -> None:
    """A chunked body one byte past max_response_bytes raises; one within it decodes."""
    async with (
        RawServer(chunked_past) as server,
        twilio(server.base_url, max_response_bytes=69999) as client,
    ):
        with pytest.raises(trunkline.ResponseTooLargeError, match="max_response_bytes"):
            await client.request(FETCH, PATH)
        await server.wait_closed_by_client()
        async with twilio(server.base_url, max_response_bytes=70000) as client:
            with pytest.raises(trunkline.ApiError, match="not valid JSON"):
                await client.request(FETCH, PATH)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_max_response_bytes_is_checked(bad: object) -> None:
    """A limit that is not a positive whole number is a ValidationError before any I/O."""
    with pytest.raises(trunkline.ValidationError, match="max_response_bytes"):
        twilio("http://127.0.0.1:1", max_response_bytes=bad).transport  # noqa: B018
