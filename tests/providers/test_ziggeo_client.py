"""ZiggeoClient against a local server, with Operations written the way the generator does."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from trunkline import AuthenticationError, NotFoundError, ServerError
from trunkline._operation import Operation
from trunkline._ziggeo import ZiggeoClient, server_host
from trunkline.tokens.ziggeo import decrypt

from .conftest import Recorder, Reply, empty_reply, json_reply, text_reply

SERVER = "https://srv-api.ziggeo.com"
CREATE = Operation(
    id="CreateAuthToken", method="POST", server=SERVER, path="/v1/authtokens/", body="form"
)
FETCH = Operation(
    id="FetchAuthToken", method="GET", server=SERVER, path="/v1/authtokens/{token_or_key}"
)
DELETE = Operation(
    id="DeleteAuthToken", method="DELETE", server=SERVER, path="/v1/authtokens/{token_or_key}"
)
VIDEOS = Operation(
    id="ListVideos",
    method="GET",
    server=SERVER,
    path="/v1/videos/",
    paging="ziggeo_offset",
    max_page_size=100,
)
HOSTS = ("srv-api.ziggeo.com", "srv-api-eu-west-1.ziggeo.com")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _client(server: Recorder, app_token: str = "app123", **kw: Any) -> ZiggeoClient:
    return ZiggeoClient(
        app_token, "pk-secret", hosts={server_host(app_token): server.base_url}, **kw
    )


def test_r1_app_tokens_use_the_eu_host() -> None:
    """An app token starting with r1 selects the EU server API host; others the default."""
    assert server_host("r1abcdef") == "srv-api-eu-west-1.ziggeo.com"
    assert server_host("abcdef") == "srv-api.ziggeo.com"


@pytest.mark.parametrize(("app_token", "index"), [("r1eu-app", 1), ("us-app", 0)])
async def test_requests_reach_the_regional_host_with_basic_auth(
    server: Recorder, other_server: Recorder, app_token: str, index: int
) -> None:
    """Each app token's requests reach its region's host, app token and key as basic auth."""
    servers = [server, other_server] if index == 0 else [other_server, server]
    hosts = {host: s.base_url for host, s in zip(HOSTS, servers, strict=True)}
    server.script(json_reply(200, {"token": "tok1"}))
    async with ZiggeoClient(app_token, "pk-secret", hosts=hosts) as zg:
        assert await zg.request(FETCH, {"token_or_key": "tok1"}) == {"token": "tok1"}
    assert other_server.seen == []
    seen = server.seen[0]
    assert (seen.method, seen.path) == ("GET", "/v1/authtokens/tok1")
    assert seen.headers["Authorization"] == _basic(app_token, "pk-secret")


def test_missing_credentials_name_the_arguments_and_env_vars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without arguments or ZIGGEO_* variables the client names what is missing."""
    for name in ("ZIGGEO_APP_TOKEN", "ZIGGEO_PRIVATE_KEY", "ZIGGEO_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="app_token") as info:
        ZiggeoClient()
    assert "ZIGGEO_APP_TOKEN" in str(info.value)
    assert "ZIGGEO_PRIVATE_KEY" in str(info.value)


async def test_credentials_fall_back_to_the_environment(
    server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ZIGGEO_APP_TOKEN, _PRIVATE_KEY and _ENCRYPTION_KEY stand in for arguments."""
    monkeypatch.setenv("ZIGGEO_APP_TOKEN", "r1envapp")
    monkeypatch.setenv("ZIGGEO_PRIVATE_KEY", "envkey")
    monkeypatch.setenv("ZIGGEO_ENCRYPTION_KEY", "envcrypt")
    server.script(empty_reply(200))
    async with ZiggeoClient(hosts={"srv-api-eu-west-1.ziggeo.com": server.base_url}) as zg:
        assert await zg.request(DELETE, {"token_or_key": "t"}) is None
        token = zg.auth.generate({"grants": {}})
    assert server.seen[0].headers["Authorization"] == _basic("r1envapp", "envkey")
    assert decrypt(token, "envcrypt")["application_token"] == "r1envapp"


async def test_form_bodies_send_grants_as_json_text(server: Recorder) -> None:
    """Form fields go out url-encoded, booleans as true/false and grants as a JSON string."""
    grants = {"read": {"resources": ["v1", "v2"]}, "create": {"all": True}}
    server.script(json_reply(200, {"token": "tok1", "grants": grants}))
    async with _client(server) as zg:
        body = {"volatile": True, "hidden": False, "session_limit": 3, "grants": grants}
        await zg.request(CREATE, {}, body=body)
    seen = server.seen[0]
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = seen.form()
    assert form.pop("grants") == [json.dumps(grants, separators=(",", ":"))]
    assert form == {"volatile": ["true"], "hidden": ["false"], "session_limit": ["3"]}


def test_auth_generate_makes_a_token_the_key_decrypts() -> None:
    """zg.auth.generate() encrypts the options with the app token under the encryption key."""
    zg = ZiggeoClient("app123", "pk", encryption_key="crypt-key")
    token = zg.auth.generate({"grants": {"read": {"resources": ["v1"]}}, "session_limit": 1})
    claims = decrypt(token, "crypt-key")
    assert claims["application_token"] == "app123"
    assert claims["grants"] == {"read": {"resources": ["v1"]}}
    assert claims["session_limit"] == 1


def test_auth_generate_without_an_encryption_key_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without an encryption key generate() raises ValueError naming the argument and env var."""
    monkeypatch.delenv("ZIGGEO_ENCRYPTION_KEY", raising=False)
    zg = ZiggeoClient("app123", "pk")
    with pytest.raises(ValueError, match=r"encryption_key=.*ZIGGEO_ENCRYPTION_KEY"):
        zg.auth.generate({})


def test_secrets_stay_out_of_reprs() -> None:
    """Neither the client's nor its auth helper's repr shows the private or encryption key."""
    zg = ZiggeoClient("app123", "pk-very-secret", encryption_key="crypt-very-secret")
    text = repr(zg) + repr(zg.auth)
    assert "very-secret" not in text


async def test_offset_paging_walks_skip_until_a_short_page(server: Recorder) -> None:
    """stream() asks for skip=0,2,4 with limit=2 and stops after a short page."""
    server.script(
        json_reply(200, [{"token": "v1"}, {"token": "v2"}]),
        json_reply(200, [{"token": "v3"}, {"token": "v4"}]),
        json_reply(200, [{"token": "v5"}]),
    )
    async with _client(server) as zg:
        got = [v["token"] async for v in zg.stream(VIDEOS, {}, dict, page_size=2)]
    assert got == ["v1", "v2", "v3", "v4", "v5"]
    assert [s.query for s in server.seen] == [
        {"limit": ["2"], "skip": ["0"]},
        {"limit": ["2"], "skip": ["2"]},
        {"limit": ["2"], "skip": ["4"]},
    ]


@pytest.mark.parametrize(
    ("reply", "cls", "message"),
    [
        (
            json_reply(401, {"error": "Invalid credentials"}),
            AuthenticationError,
            "Invalid credentials",
        ),
        (json_reply(404, {"code": "404", "msg": "Not Found"}), NotFoundError, "Not Found"),
        (text_reply(500, "upstream exploded\n"), ServerError, "upstream exploded"),
    ],
)
async def test_error_answers_map_to_the_error_tree(
    server: Recorder, reply: Reply, cls: type[Exception], message: str
) -> None:
    """JSON or plain-text error answers raise the status's class with the server's words."""
    server.script(reply)
    async with _client(server) as zg:
        with pytest.raises(cls) as info:
            await zg.request(FETCH, {"token_or_key": "tok1"})
    assert getattr(info.value, "message", None) == message
