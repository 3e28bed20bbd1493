"""The generated ``trunkline.Ziggeo`` against a local server: auth tokens, videos, regions."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import trunkline
from trunkline import AuthenticationError, NotFoundError, ServerError
from trunkline.generated.ziggeo.models import AuthToken, Video
from trunkline.tokens.ziggeo import decrypt

from .conftest import Recorder, json_reply, text_reply

GRANTS = {"read": {"resources": ["VIDEO_TOKEN"]}, "create": {"session_owned": True}}


def _auth(app_token: str) -> str:
    return "Basic " + base64.b64encode(f"{app_token}:pk-secret".encode()).decode()


def _token(**changes: Any) -> dict[str, Any]:
    token = {
        "token": "tok1",
        "key": None,
        "volatile": True,
        "hidden": False,
        "expiration_date": 1767225600,
        "usage_expiration_time": 600,
        "session_limit": 2,
        "grants": GRANTS,
        "created": 1764100000,
        "usage_count": 0,
    }
    token.update(changes)
    return token


def _client(server: Recorder, app_token: str = "app123") -> trunkline.Ziggeo:
    return trunkline.Ziggeo(app_token, "pk-secret", hosts={"srv-api.ziggeo.com": server.base_url})


def test_the_generated_class_builds_on_the_runtime_client() -> None:
    """trunkline.Ziggeo is the generated class on top of ZiggeoClient."""
    from trunkline._ziggeo import ZiggeoClient

    assert issubclass(trunkline.Ziggeo, ZiggeoClient)


async def test_create_sends_a_form_with_grants_as_json(server: Recorder) -> None:
    """auth_tokens.create POSTs a form (grants as JSON text) and parses the token."""
    server.script(json_reply(200, _token()))
    async with _client(server) as zg:
        token = await zg.auth_tokens.create(
            volatile=True,
            hidden=False,
            expiration_date=1767225600,
            usage_expiration_time=600,
            session_limit=2,
            grants=GRANTS,
        )
    assert isinstance(token, AuthToken)
    assert (token.token, token.volatile, token.session_limit) == ("tok1", True, 2)
    assert token.grants == GRANTS
    assert token.extra == {"usage_count": 0}
    seen = server.seen[0]
    assert (seen.method, seen.path) == ("POST", "/v1/authtokens/")
    assert seen.headers["Authorization"] == _auth("app123")
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = seen.form()
    assert json.loads(form.pop("grants")[0]) == GRANTS
    assert form == {
        "volatile": ["true"],
        "hidden": ["false"],
        "expiration_date": ["1767225600"],
        "usage_expiration_time": ["600"],
        "session_limit": ["2"],
    }


async def test_fetch_update_delete_address_the_token(server: Recorder) -> None:
    """fetch GETs, update POSTs a form and delete DELETEs /v1/authtokens/<token_or_key>."""
    server.script(
        json_reply(200, _token()),
        json_reply(200, _token(session_limit=5)),
        json_reply(200, {}),
    )
    async with _client(server) as zg:
        fetched = await zg.auth_tokens.fetch("tok1")
        updated = await zg.auth_tokens.update("my key/1", session_limit=5)
        await zg.auth_tokens.delete("tok1")
    assert fetched.token == "tok1"
    assert updated.session_limit == 5
    fetch, update, delete = server.seen
    assert (fetch.method, fetch.path, fetch.body) == ("GET", "/v1/authtokens/tok1", b"")
    assert (update.method, update.path) == ("POST", "/v1/authtokens/my key/1")
    assert update.form() == {"session_limit": ["5"]}
    assert (delete.method, delete.path) == ("DELETE", "/v1/authtokens/tok1")
    assert all(s.headers["Authorization"] == _auth("app123") for s in server.seen)


async def test_a_key_with_a_slash_stays_one_path_segment(server: Recorder) -> None:
    """A token key holding a slash is percent-quoted so it addresses one token."""
    server.script(json_reply(200, _token(key="my key/1")))
    async with _client(server) as zg:
        await zg.auth_tokens.fetch("my key/1")
    assert server.seen[0].path == "/v1/authtokens/my key/1"
    assert server.seen[0].raw_path == "/v1/authtokens/my%20key%2F1"


async def test_r1_tokens_reach_the_eu_host(server: Recorder, other_server: Recorder) -> None:
    """With an r1 app token the client calls the EU host, never the default one."""
    server.script(json_reply(200, _token()))
    hosts = {
        "srv-api-eu-west-1.ziggeo.com": server.base_url,
        "srv-api.ziggeo.com": other_server.base_url,
    }
    async with trunkline.Ziggeo("r1app", "pk-secret", hosts=hosts) as zg:
        await zg.auth_tokens.fetch("tok1")
    assert other_server.seen == []
    assert server.seen[0].headers["Authorization"] == _auth("r1app")


def _videos(start: int, count: int) -> list[dict[str, Any]]:
    return [
        {"token": f"v{n}", "state": 5, "state_string": "READY", "created": 1764100000 + n}
        for n in range(start, start + count)
    ]


async def test_videos_stream_pages_by_skip_and_limit(server: Recorder) -> None:
    """videos.stream pages with limit/skip, passes filters, parses Videos, stops on a short page."""
    server.script(
        json_reply(200, _videos(0, 2)),
        json_reply(200, _videos(2, 2)),
        json_reply(200, _videos(4, 1)),
    )
    async with _client(server) as zg:
        got = [v async for v in zg.videos.stream(page_size=2, states="ready", reverse=True)]
    assert [v.token for v in got] == ["v0", "v1", "v2", "v3", "v4"]
    assert all(isinstance(v, Video) for v in got)
    assert [s.query for s in server.seen] == [
        {"reverse": ["true"], "states": ["ready"], "limit": ["2"], "skip": [str(skip)]}
        for skip in (0, 2, 4)
    ]
    assert {s.path for s in server.seen} == {"/v1/videos/"}


async def test_videos_page_size_is_capped_at_the_api_maximum(server: Recorder) -> None:
    """A page size above 100 asks Ziggeo for 100, the most it returns."""
    server.script(json_reply(200, _videos(0, 3)))
    async with _client(server) as zg:
        page = await zg.videos.page(page_size=500)
    assert len(page.items) == 3
    assert not page.has_next
    assert server.seen[0].query == {"limit": ["100"], "skip": ["0"]}


async def test_auth_generate_uses_the_clients_keys() -> None:
    """zg.auth.generate() makes a token that the encryption key decrypts to the options."""
    async with trunkline.Ziggeo("app123", "pk", encryption_key="ek") as zg:
        token = zg.auth.generate({"grants": GRANTS})
    claims = decrypt(token, "ek")
    assert (claims["application_token"], claims["grants"]) == ("app123", GRANTS)


@pytest.mark.parametrize(
    ("reply", "cls", "message"),
    [
        (json_reply(401, {"error": "Unauthorized"}), AuthenticationError, "Unauthorized"),
        (json_reply(404, {"msg": "Not found"}), NotFoundError, "Not found"),
        (text_reply(500, "Internal error"), ServerError, "Internal error"),
    ],
)
async def test_errors_raise_the_status_class(
    server: Recorder, reply: Any, cls: type[Exception], message: str
) -> None:
    """Ziggeo's error answers raise the class for their status with the server's words."""
    server.script(reply)
    async with _client(server) as zg:
        with pytest.raises(cls) as info:
            await zg.auth_tokens.fetch("tok1")
    assert getattr(info.value, "message", None) == message


async def test_bad_input_fails_before_any_request(server: Recorder) -> None:
    """An empty token, a negative limit or grants that are not a mapping send nothing."""
    async with _client(server) as zg:
        with pytest.raises(ValueError, match="token_or_key"):
            await zg.auth_tokens.fetch("")
        with pytest.raises(ValueError, match="session_limit"):
            await zg.auth_tokens.create(session_limit=-1)
        with pytest.raises(ValueError, match="grants must be a mapping"):
            await zg.auth_tokens.update("tok1", grants="read")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="session_limit must be at least 0, got -1"):
            await zg.auth_tokens.update("tok1", session_limit=-1)
        with pytest.raises(ValueError, match=r"expiration_date must be a whole number, got 1\.5"):
            await zg.auth_tokens.create(expiration_date=1.5)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="usage_expiration_time must be a whole number"):
            await zg.auth_tokens.create(usage_expiration_time=True)
    assert server.seen == []
