"""Building requests and reading answers, driven through MockTransport."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

import trunkline
from trunkline._client import BaseClient
from trunkline._operation import Operation
from trunkline._transport import MockTransport, Request, Response
from trunkline._twilio import TwilioClient

from .conftest import ACCOUNT_SID, AUTH_TOKEN, CREATE, FETCH, LIST, LIST_2010, PATH, FakeTime

CHALLENGE = {"sid": PATH["Sid"], "status": "pending"}


def ok(request: Request) -> Response:
    body: dict[str, Any] = {"messages": []} if "/Messages.json" in request.url else CHALLENGE
    return Response(200, {"Twilio-Request-Id": "RQ1"}, json=body)


def mock(handler: Any = ok, **kwargs: Any) -> tuple[TwilioClient, MockTransport]:
    transport = MockTransport(handler)
    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN, transport=transport, **kwargs), transport


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def test_fetch_builds_exact_request() -> None:
    """A GET goes to the operation's host and quoted path with auth, UA and Accept headers."""
    client, transport = mock()
    async with client:
        body = await client.request(FETCH, {**PATH, "Identity": "ana maría/1"})
    assert body == CHALLENGE
    (request,) = transport.requests
    assert request.method == "GET"
    assert request.url == (
        f"https://verify.twilio.com/v2/Services/{PATH['ServiceSid']}/Entities/"
        f"ana%20mar%C3%ADa%2F1/Challenges/{PATH['Sid']}"
    )
    assert request.headers["Authorization"] == basic(ACCOUNT_SID, AUTH_TOKEN)
    assert request.headers["Accept"] == "application/json"
    ua = request.headers["User-Agent"]
    assert ua.startswith(f"trunkline/{trunkline.__version__} (Python/3.")
    assert "; aiohttp/" in ua
    assert request.content is None
    assert request.operation is FETCH


async def test_form_post() -> None:
    """A form POST sends the encoded body with the form content type."""
    client, transport = mock()
    async with client:
        await client.request(
            CREATE,
            PATH,
            body={
                "FactorSid": "YF1",
                "Details.Fields": ["a", "b"],
                "HiddenDetails": {"ip": "1"},
                "Unset": None,
            },
        )
    (request,) = transport.requests
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == (
        b"FactorSid=YF1&Details.Fields=a&Details.Fields=b&HiddenDetails=%7B%22ip%22%3A%221%22%7D"
    )


async def test_json_body_and_query() -> None:
    """A JSON operation sends a JSON body; query values are encoded into the URL."""
    op = Operation(id="X", method="POST", server="https://x.twilio.com", path="/v1/X", body="json")
    client, transport = mock()
    async with client:
        await client.request(op, {}, query={"Tag": ["a", "b"], "On": True}, body={"a": [1]})
    (request,) = transport.requests
    assert request.url == "https://x.twilio.com/v1/X?Tag=a&Tag=b&On=true"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content or b"") == {"a": [1]}


async def test_call_headers_merge() -> None:
    """Per-call headers are sent beside, and may override, the client's own."""
    client, transport = mock()
    async with client:
        await client.request(FETCH, PATH, headers={"X-Trace": "t1", "Accept": "text/plain"})
    headers = transport.requests[0].headers
    assert headers["X-Trace"] == "t1"
    assert headers["Accept"] == "text/plain"
    assert headers["Authorization"] == basic(ACCOUNT_SID, AUTH_TOKEN)


async def test_empty_path_parameter_fails_before_request() -> None:
    """An empty path parameter raises ValueError naming it, and nothing is sent."""
    client, transport = mock()
    async with client:
        with pytest.raises(ValueError, match="Identity"):
            await client.request(FETCH, {**PATH, "Identity": ""})
        with pytest.raises(ValueError, match="ServiceSid"):
            await client.request(FETCH, {"Identity": "a", "Sid": "b"})
    assert transport.requests == []


async def test_account_sid_default() -> None:
    """A missing AccountSid path parameter defaults to the client's account."""
    client, transport = mock(handler=lambda r: Response(200, json={"messages": []}))
    async with client:
        await client.page(LIST_2010, {}, lambda d: d)
    assert f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json" in transport.requests[0].url
    assert client.default_path_param("AccountSid") == ACCOUNT_SID
    assert client.default_path_param("Other") is None


async def test_no_content_is_none() -> None:
    """A 204 answer (DELETE) returns None."""
    client, _ = mock(handler=lambda r: Response(204))
    async with client:
        assert await client.request(FETCH, PATH) is None


async def test_api_key_auth() -> None:
    """API key auth sends basic auth with the key and secret."""
    transport = MockTransport(ok)
    async with TwilioClient(
        ACCOUNT_SID, api_key="SK" + "9" * 32, api_secret="key-secret", transport=transport
    ) as client:
        await client.request(FETCH, PATH)
    assert transport.requests[0].headers["Authorization"] == basic("SK" + "9" * 32, "key-secret")
    assert client.auth_mode == "api_key"


def test_missing_credentials_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing credentials raise ValueError naming the argument and the variable."""
    for var in ("ACCOUNT_SID", "AUTH_TOKEN", "API_KEY", "API_SECRET", "CLIENT_ID", "CLIENT_SECRET"):
        monkeypatch.delenv(f"TWILIO_{var}", raising=False)
    with pytest.raises(ValueError, match=r"account_sid \(or TWILIO_ACCOUNT_SID\)") as err:
        TwilioClient()
    assert "auth_token (or TWILIO_AUTH_TOKEN)" in str(err.value)
    with pytest.raises(ValueError, match="api_secret"):
        TwilioClient(ACCOUNT_SID, api_key="SK1")
    with pytest.raises(ValueError, match=r"account_sid") as err:
        TwilioClient(api_key="SK1", api_secret="x")
    assert "api_key (" not in str(err.value)
    with pytest.raises(ValueError, match="client_secret"):
        TwilioClient(client_id="OQ1")


async def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without arguments the client reads TWILIO_* variables, region and edge included."""
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "env-token")
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    monkeypatch.setenv("TWILIO_EDGE", "dublin")
    for var in ("API_KEY", "API_SECRET", "CLIENT_ID", "CLIENT_SECRET"):
        monkeypatch.delenv(f"TWILIO_{var}", raising=False)
    transport = MockTransport(ok)
    async with TwilioClient(transport=transport) as client:
        await client.request(FETCH, PATH)
    request = transport.requests[0]
    assert request.headers["Authorization"] == basic(ACCOUNT_SID, "env-token")
    assert request.url.startswith("https://verify.dublin.ie1.twilio.com/v2/")


@pytest.mark.parametrize(
    ("region", "edge", "host"),
    [
        ("ie1", "dublin", "verify.dublin.ie1.twilio.com"),
        (None, "sydney", "verify.sydney.us1.twilio.com"),
        ("au1", None, "verify.au1.twilio.com"),
        (None, None, "verify.twilio.com"),
    ],
)
async def test_region_and_edge_hosts(
    region: str | None, edge: str | None, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Region and edge go into the host the way Twilio names them."""
    monkeypatch.delenv("TWILIO_REGION", raising=False)
    monkeypatch.delenv("TWILIO_EDGE", raising=False)
    client, transport = mock(region=region, edge=edge)
    async with client:
        await client.request(FETCH, PATH)
    assert transport.requests[0].url.startswith(f"https://{host}/v2/Services/")


async def test_base_url_sends_every_host_to_one_server() -> None:
    """base_url replaces scheme and host of every server and keeps the path."""
    client, transport = mock(base_url="http://127.0.0.1:9/prefix/")
    async with client:
        await client.request(FETCH, PATH)
        await client.page(LIST_2010, {}, lambda d: d)
    urls = [r.url for r in transport.requests]
    assert urls[0].startswith("http://127.0.0.1:9/prefix/v2/Services/")
    assert urls[1].startswith(f"http://127.0.0.1:9/prefix/2010-04-01/Accounts/{ACCOUNT_SID}/")


async def test_host_map() -> None:
    """A host map redirects the hosts it names and leaves the others alone."""
    client, transport = mock(hosts={"verify.twilio.com": "http://127.0.0.1:9"})
    async with client:
        await client.request(FETCH, PATH)
        await client.page(LIST_2010, {}, lambda d: d)
    assert transport.requests[0].url.startswith("http://127.0.0.1:9/v2/")
    assert transport.requests[1].url.startswith("https://api.twilio.com/2010-04-01/")


@pytest.mark.parametrize(
    "base_url", ["127.0.0.1:9", "ftp://x", "http://user:pw@127.0.0.1", "http://h/?q=1"]
)
def test_bad_base_url(base_url: str) -> None:
    """A malformed base_url is refused at construction, naming base_url."""
    with pytest.raises(ValueError, match="base_url"):
        TwilioClient(ACCOUNT_SID, AUTH_TOKEN, base_url=base_url)


async def test_server_variables() -> None:
    """Variables in a server URL are filled from the client; a missing one is named."""
    op = Operation(id="X", method="GET", server="https://{space}.signalwire.com", path="/api/x")
    transport = MockTransport(ok)
    async with BaseClient(transport=transport, server_variables={"space": "demo"}) as client:
        await client.request(op, {})
    assert transport.requests[0].url == "https://demo.signalwire.com/api/x"
    async with BaseClient(transport=MockTransport(ok)) as bare:
        with pytest.raises(ValueError, match="space"):
            await bare.request(op, {})


async def test_twilio_error_fields() -> None:
    """A Twilio error body fills code, message, more_info, details and the request id."""
    body = {
        "code": 20404,
        "message": "The requested resource was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
        "details": {"why": "gone"},
    }
    client, _ = mock(handler=lambda r: Response(404, {"Twilio-Request-Id": "RQ9"}, json=body))
    async with client:
        with pytest.raises(trunkline.NotFoundError) as info:
            await client.request(FETCH, PATH)
    err = info.value
    assert (err.status, err.code, err.message) == (404, 20404, body["message"])
    assert err.more_info == body["more_info"]
    assert err.details == {"why": "gone"}
    assert err.request_id == "RQ9"
    assert err.method == "GET"
    assert err.url.endswith(f"/Challenges/{PATH['Sid']}")
    assert err.attempts == 1


@pytest.mark.parametrize(
    "content",
    [b"<html>Bad Gateway</html>", b'{"code": 20003, "message": "Auth', b"x" * 100_000],
)
async def test_unreadable_error_body_keeps_raw_text(content: bytes) -> None:
    """A non-JSON or truncated error body still gives an ApiError with bounded raw text."""
    client, _ = mock(handler=lambda r: Response(400, content=content))
    async with client:
        with pytest.raises(trunkline.BadRequestError) as info:
            await client.request(FETCH, PATH)
    err = info.value
    assert err.code is None
    assert err.message == content.decode()[: len(err.message)]
    assert 0 < len(err.message) <= 2000
    assert len(err.body) <= 2000


async def test_invalid_json_success_body() -> None:
    """A 200 answer whose body is not JSON raises ApiError saying so."""
    client, _ = mock(handler=lambda r: Response(200, content=b"not json"))
    async with client:
        with pytest.raises(trunkline.ApiError, match="not valid JSON"):
            await client.request(FETCH, PATH)


async def test_middlewares_wrap_each_attempt_in_order() -> None:
    """Middlewares run outermost first around every attempt and may read the operation."""
    seen: list[str] = []

    def make(name: str) -> trunkline.Middleware:
        async def middleware(request: Request, handler: Any) -> Response:
            seen.append(
                f"{name}>{request.operation.id if request.operation else '-'}#{request.attempt}"
            )
            response: Response = await handler(request)
            seen.append(f"{name}<{response.status}")
            return response

        return middleware

    answers = iter([Response(503), Response(200, json={})])
    client, _ = mock(
        handler=lambda r: next(answers),
        middlewares=[make("outer"), make("inner")],
        retry=FakeTime().policy(wait_initial=0, wait_jitter=0),
    )
    async with client:
        await client.request(FETCH, PATH)
    assert seen == [
        "outer>FetchChallenge#1",
        "inner>FetchChallenge#1",
        "inner<503",
        "outer<503",
        "outer>FetchChallenge#2",
        "inner>FetchChallenge#2",
        "inner<200",
        "outer<200",
    ]


async def test_debug_log_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    """At DEBUG the log shows method, URL, status, elapsed and request id, no credentials."""
    client, _ = mock()
    with caplog.at_level(logging.DEBUG, logger="trunkline"):
        async with client:
            await client.request(FETCH, PATH)
    text = caplog.text
    assert "GET https://verify.twilio.com/v2/Services/" in text
    assert "-> 200 in " in text
    assert " ms " in text
    assert "RQ1" in text
    assert AUTH_TOKEN not in text
    assert base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode() not in text


async def test_no_secrets_in_reprs_and_errors() -> None:
    """Client, request and error reprs and messages never contain a credential."""
    secret_b64 = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    client, transport = mock(handler=lambda r: Response(401, json={"message": "Authenticate"}))
    async with client:
        with pytest.raises(trunkline.AuthenticationError) as info:
            await client.request(FETCH, PATH)
    texts = [
        repr(client),
        str(client),
        repr(transport.requests[0]),
        str(info.value),
        repr(info.value),
        repr(transport.requests[0].redacted_headers()),
    ]
    for text in texts:
        assert AUTH_TOKEN not in text
        assert secret_b64 not in text
    api_key_client = TwilioClient(
        ACCOUNT_SID, api_key="SK1", api_secret="very-secret", transport=MockTransport(ok)
    )
    assert "very-secret" not in repr(api_key_client)
    oauth = TwilioClient(client_id="OQ1", client_secret="oauth-secret", transport=MockTransport(ok))
    assert "oauth-secret" not in repr(oauth)


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_bad_timeout(timeout: Any) -> None:
    """A timeout that is not a positive number or a Timeout is refused, naming timeout."""
    with pytest.raises(ValueError, match="timeout"):
        TwilioClient(ACCOUNT_SID, AUTH_TOKEN, timeout=timeout, transport=MockTransport(ok))


async def test_per_call_timeout_reaches_transport() -> None:
    """The per-call timeout sets the attempt's limits; other limits keep client defaults."""
    client, transport = mock(timeout=trunkline.Timeout(total=30, connect=2))
    async with client:
        await client.request(FETCH, PATH)
        await client.request(FETCH, PATH, timeout=5)
        await client.request(FETCH, PATH, timeout=trunkline.Timeout(read=1))
    limits = [r.timeout for r in transport.requests]
    assert limits[0] == trunkline.Timeout(total=30, connect=2)
    assert limits[1] == trunkline.Timeout(total=5, connect=2)
    assert limits[2] == trunkline.Timeout(total=30, connect=2, read=1)


async def test_paging_strategy_unknown() -> None:
    """A list call whose paging kind has no strategy fails before any request."""
    op = Operation(
        id="X",
        method="GET",
        server="https://x.twilio.com",
        path="/v1/X",
        paging="mystery",  # type: ignore[arg-type]
    )
    client, transport = mock()
    async with client:
        with pytest.raises(ValueError, match="mystery"):
            await client.page(op, {}, lambda d: d)
        with pytest.raises(ValueError, match="not a list operation"):
            await client.page(FETCH, PATH, lambda d: d)
    assert transport.requests == []


async def test_closed_client_refuses() -> None:
    """A closed client's aiohttp transport refuses to open a new session."""
    client = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, base_url="http://127.0.0.1:9")
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.request(FETCH, PATH)
    assert client.closed


async def test_page_size_capped_and_limit_sized() -> None:
    """page_size is capped at the API maximum; a limit alone sets a matching page size."""
    client, transport = mock(handler=lambda r: Response(200, json={"challenges": [], "meta": {}}))
    async with client:
        await client.page(LIST, PATH, lambda d: d, page_size=5000)
        await client.list(LIST, PATH, lambda d: d, limit=7)
        with pytest.raises(ValueError, match="page_size"):
            await client.page(LIST, PATH, lambda d: d, page_size=0)
    assert transport.requests[0].url.endswith("?PageSize=1000")
    assert transport.requests[1].url.endswith("?PageSize=7")


@pytest.mark.parametrize(("name", "value"), [("region", "ie1.evil.com"), ("edge", "dub lin")])
def test_bad_region_or_edge(name: str, value: str) -> None:
    """A region or edge that is not one host label is refused, naming which."""
    kwargs: dict[str, Any] = {name: value}
    with pytest.raises(ValueError, match=name):
        TwilioClient(ACCOUNT_SID, AUTH_TOKEN, transport=MockTransport(ok), **kwargs)
