"""Decoding 2xx bodies: orjson when installed, the standard library otherwise, same outcomes."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import pytest

import trunkline
from trunkline import _answers
from trunkline._transport import MockTransport, Request, Response
from trunkline._twilio import TwilioClient

from .conftest import ACCOUNT_SID, AUTH_TOKEN, FETCH, PATH

Decoder = Callable[[bytes], Any]


def _orjson_decoder() -> Decoder:
    pytest.importorskip("orjson")
    return _answers.json_decoder()


def _stdlib_decoder(monkeypatch: pytest.MonkeyPatch) -> Decoder:
    monkeypatch.setitem(sys.modules, "orjson", None)
    return _answers.json_decoder()


@pytest.fixture(params=["orjson", "stdlib"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Decoder:
    """Each decoder the client can choose, installed as the client's chosen one."""
    chosen = _orjson_decoder() if request.param == "orjson" else _stdlib_decoder(monkeypatch)
    monkeypatch.setattr(_answers, "decode_json", chosen)
    return chosen


async def _fetch(content: bytes) -> Any:
    def handler(request: Request) -> Response:
        return Response(200, content=content)

    async with TwilioClient(ACCOUNT_SID, AUTH_TOKEN, transport=MockTransport(handler)) as client:
        return await client.request(FETCH, PATH)


def test_orjson_is_chosen_when_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """With orjson installed the chosen decoder calls orjson.loads on the raw bytes."""
    orjson = pytest.importorskip("orjson")
    seen: list[bytes] = []

    def spy(body: bytes) -> Any:
        seen.append(body)
        return {"via": "orjson"}

    monkeypatch.setattr(orjson, "loads", spy)
    assert _answers.json_decoder()(b'{"a": 1}') == {"via": "orjson"}
    assert seen == [b'{"a": 1}']


def test_stdlib_is_chosen_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """When orjson cannot be imported the standard library decoder is chosen."""
    assert _stdlib_decoder(monkeypatch) is _answers.decode_stdlib


def test_first_decode_picks_the_decoder_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first decoded body binds the chosen decoder in place of the bootstrap one."""
    monkeypatch.setattr(_answers, "decode_json", _answers.decode_first)
    monkeypatch.setitem(sys.modules, "orjson", None)
    assert _answers.decode_json(b'{"a": [1, 2]}') == {"a": [1, 2]}
    assert _answers.decode_json is _answers.decode_stdlib


async def test_valid_body_decodes(decoder: Decoder) -> None:
    """A JSON answer decodes to the same Python values with either decoder."""
    body = '{"sid": "YC1", "n": 3, "x": 1.5, "ok": true, "none": null, "name": "ana maría"}'
    assert await _fetch(body.encode()) == {
        "sid": "YC1",
        "n": 3,
        "x": 1.5,
        "ok": True,
        "none": None,
        "name": "ana maría",
    }


async def test_values_only_the_stdlib_takes_decode_alike(decoder: Decoder) -> None:
    """NaN and lone surrogates, which orjson rejects, decode as the standard library does."""
    value = await _fetch(b'{"x": NaN, "s": "\\ud800"}')
    assert math.isnan(value["x"])
    assert value["s"] == "\ud800"


@pytest.mark.parametrize(
    "content",
    [b"not json", b'{"sid": "YC1"', b'{"s": "\xff"}', b"\xef\xbb\xbf{}", b"{} {}"],
    ids=["text", "truncated", "bad-utf8", "bom", "trailing"],
)
async def test_invalid_body_raises_api_error(decoder: Decoder, content: bytes) -> None:
    """A 2xx body that is not valid JSON raises the same ApiError with either decoder."""
    with pytest.raises(trunkline.ApiError, match="not valid JSON") as info:
        await _fetch(content)
    assert info.value.status == 200
    assert info.value.attempts == 1


def _big_body() -> bytes:
    body = b'{"items": [' + b",".join(b'{"n": %d}' % i for i in range(8000)) + b"]}"
    assert len(body) >= _answers.BULK_BYTES
    return body


@pytest.mark.parametrize("which", ["orjson", "stdlib"])
def test_a_page_sized_body_is_decoded_with_the_collector_paused(
    which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From BULK_BYTES on the collector is off during the decode and on again after it."""
    import gc

    chosen = _orjson_decoder() if which == "orjson" else _stdlib_decoder(monkeypatch)
    seen: list[bool] = []
    real = gc.disable

    def spy() -> None:
        real()
        seen.append(gc.isenabled())

    monkeypatch.setattr(gc, "disable", spy)
    assert chosen(b'{"small": true}') == {"small": True}
    assert seen == []
    assert len(chosen(_big_body())["items"]) == 8000
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_the_application_turned_off_stays_off() -> None:
    """Decoding a large body neither enables nor disables a collector that is already off."""
    import gc

    gc.disable()
    try:
        assert len(_answers.json_decoder()(_big_body())["items"]) == 8000
        assert not gc.isenabled()
    finally:
        gc.enable()
