"""Functional tests: OpenAPI styles, multipart, binary and text bodies, as a real server reads them.

The spec is the golden one (``tests/golden/encoding_specs/twilio_styles_v1.yaml``); a local aiohttp
server records each request exactly as it arrived.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import io
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiohttp import web

import trunkline

GenerateFn = Callable[[str, str], ModuleType]
SPEC = Path(__file__).parents[1] / "golden" / "encoding_specs" / "twilio_styles_v1.yaml"


class Seen:
    """What the server received, one entry per request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append((request.method, request.raw_path, dict(request.headers), body))
        if request.path.startswith("/v1/Blobs/"):
            return web.Response(body=body[::-1], content_type="application/octet-stream")
        if request.path == "/v1/Documents":
            return web.Response(body=body, status=201, content_type="application/xml")
        if request.path.startswith("/v1/Reports/"):
            csv = "name,price\ncafé,2\n".encode("latin-1")
            return web.Response(body=csv, headers={"Content-Type": "text/csv; charset=latin-1"})
        return web.json_response({"ok": True}, status=201 if request.method == "POST" else 200)


@contextlib.asynccontextmanager
async def _serve(seen: Seen) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", seen.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@pytest.fixture
def styles(generated: GenerateFn) -> ModuleType:
    package = generated("twilio_styles_v1.yaml", SPEC.read_text())
    __import__(f"{package.__name__}.twilio")
    return package


@contextlib.asynccontextmanager
async def _client(package: ModuleType) -> AsyncIterator[tuple[Any, Seen]]:
    seen = Seen()
    twilio = sys.modules[f"{package.__name__}.twilio"].Twilio
    async with _serve(seen) as url, twilio("AC" + "a" * 32, "token", base_url=url) as client:
        yield client.styles.v1, seen


async def test_query_and_header_styles_on_the_wire(styles: ModuleType) -> None:
    """deepObject, form (spread and joined), space- and pipe-delimited, simple headers."""
    async with _client(styles) as (api, seen):
        await api.search.search(
            page={"number": 2, "size": 10},
            ids=["a", "b"],
            tags=["x", "y z"],
            colors=["red", "blue"],
            point={"x": 1, "y": 2},
            filter={"k": "v", "k2": "v2"},
            plain=["p", "q"],
            x_ids=["i1", "i2"],
            x_meta={"role": "admin", "team": "ops"},
        )
    _, raw_path, headers, _ = seen.requests[0]
    query = raw_path.split("?", 1)[1]
    assert query.split("&") == [
        "page%5Bnumber%5D=2",
        "page%5Bsize%5D=10",
        "ids=a%2Cb",
        "tags=x%20y%20z",
        "colors=red%7Cblue",
        "x=1",
        "y=2",
        "filter=k%2Cv%2Ck2%2Cv2",
        "plain=p",
        "plain=q",
    ]
    assert parse_qs(query)["page[number]"] == ["2"]
    assert headers["X-Ids"] == "i1,i2"
    assert headers["X-Meta"] == "role=admin,team=ops"


async def test_label_and_matrix_path_styles_on_the_wire(styles: ModuleType) -> None:
    """A label path value is sent as .value, a matrix one as ;Name=value, both quoted."""
    async with _client(styles) as (api, seen):
        await api.labels.fetch("blue sky")
        await api.matrices.fetch("a/b")
    assert seen.requests[0][1] == "/v1/Labels/.blue%20sky"
    assert seen.requests[1][1] == "/v1/Matrices/;Matrix=a%2Fb"


async def test_form_body_follows_the_request_bodys_encoding(styles: ModuleType) -> None:
    """Meta goes as deepObject keys, Grants as JSON, Tags exploded, Ids joined by commas."""
    async with _client(styles) as (api, seen):
        await api.forms.create(
            meta={"a": 1, "b": {"c": "d"}}, grants={"read": True}, tags=["t1", "t2"], ids=[1, 2]
        )
    _, _, headers, body = seen.requests[0]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert body.decode().split("&") == [
        "Meta%5Ba%5D=1",
        "Meta%5Bb%5D%5Bc%5D=d",
        "Grants=%7B%22read%22%3Atrue%7D",
        "Tags=t1",
        "Tags=t2",
        "Ids=1%2C2",
    ]


async def test_multipart_body_carries_files_of_every_accepted_kind(styles: ModuleType) -> None:
    """bytes, a binary file object and (filename, bytes, type) become file parts; text a field."""
    upload = io.BytesIO(b"\x00\x01binary")
    upload.name = "/tmp/photo.png"
    async with _client(styles) as (api, seen):
        await api.uploads.create(
            file=("notes.txt", b"hello\r\n--not-a-boundary", "text/plain"),
            note="café",
            attachments=[b"\xff\xfe", upload],
        )
    _, _, headers, body = seen.requests[0]
    assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + headers["Content-Type"].encode() + b"\r\n\r\n" + body
    )
    parts = [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]
    assert parts == [
        ("File", "notes.txt", "text/plain", b"hello\r\n--not-a-boundary"),
        ("Note", None, "text/plain", "café".encode()),
        ("Attachments", None, "application/octet-stream", b"\xff\xfe"),
        ("Attachments", "photo.png", "application/octet-stream", b"\x00\x01binary"),
    ]


async def test_binary_and_text_bodies_go_and_come_back_as_bytes_and_str(
    styles: ModuleType,
) -> None:
    """Octet-stream is sent and returned as bytes, XML and CSV as str; Accept names the media."""
    async with _client(styles) as (api, seen):
        echoed = await api.blobs.update("b1", body=b"\x00\x01\x02")
        document = await api.documents.create(body="<note>olá</note>")
        report = await api.reports.fetch("R1")
    assert echoed == b"\x02\x01\x00"
    assert document == "<note>olá</note>"
    assert report == "name,price\ncafé,2\n"
    blob, doc, csv = seen.requests
    assert blob[2]["Content-Type"] == "application/octet-stream"
    assert blob[2]["Accept"] == "application/octet-stream"
    assert blob[3] == b"\x00\x01\x02"
    assert doc[2]["Content-Type"] == "application/xml"
    assert doc[2]["Accept"] == "application/xml"
    assert doc[3] == "<note>olá</note>".encode()
    assert csv[2]["Accept"] == "text/csv"


async def test_a_deep_object_argument_that_is_not_a_mapping_fails_before_any_request(
    styles: ModuleType,
) -> None:
    """page=[...] for a deepObject parameter raises ValidationError naming page, nothing sent."""
    async with _client(styles) as (api, seen):
        with pytest.raises(trunkline.ValidationError, match="page must be a mapping"):
            await api.search.search(page=["not", "a", "mapping"])
    assert seen.requests == []
