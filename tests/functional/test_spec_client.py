"""A spec with no x-trunkline block gets its own client: auth, servers and errors from the spec."""

from __future__ import annotations

import base64
import importlib
import json
from types import ModuleType
from typing import Any

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

from .conftest import GenerateFn

SPEC = """\
openapi: 3.0.3
info: {title: Acme Widgets, version: "1"}
servers:
  - url: https://{region}.acme.example/api/v1
    variables:
      region: {default: eu, enum: [eu, us]}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: query, name: api_key}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://auth.acme.example/token", scopes: {}}}
  schemas:
    Widget:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
paths:
  /widgets:
    post:
      operationId: createWidget
      security: [{key: []}, {basic: []}]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Widget"}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Widget"}
  /widgets/{id}:
    get:
      operationId: getWidget
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Widget"}
    delete:
      operationId: deleteWidget
      security: [{oauth: []}]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: gone}
  /health:
    get:
      operationId: health
      security: []
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {ok: {type: boolean}}}
"""


@pytest.fixture
def acme(generated: GenerateFn) -> ModuleType:
    root = generated("acme.yaml", SPEC)
    return importlib.import_module(f"{root.__name__}.acme_widgets")


def _ok(request: Request) -> Response:
    if request.url.endswith("/token"):
        return Response(200, json={"access_token": "tok-1", "expires_in": 600})
    if request.method == "DELETE":
        return Response(204)
    return Response(200, json={"id": "w1", "name": "n", "ok": True})


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def test_client_is_named_from_the_title_and_fills_server_defaults(acme: ModuleType) -> None:
    """The class is named from info.title; the server's default variable goes in the URL."""
    transport = MockTransport(_ok)
    async with acme.AcmeWidgets(bearer="t0k", transport=transport) as client:
        widget = await client.widgets.fetch("w1")
    assert widget.id == "w1"
    (request,) = transport.requests
    assert request.url == "https://eu.acme.example/api/v1/widgets/w1"
    assert request.headers["Authorization"] == "Bearer t0k"


async def test_server_variable_is_an_argument_checked_against_its_enum(acme: ModuleType) -> None:
    """A server variable is a constructor argument; a value outside its enum is refused."""
    transport = MockTransport(_ok)
    async with acme.AcmeWidgets(bearer="t", region="us", transport=transport) as client:
        await client.health.fetch()
    assert transport.requests[0].url == "https://us.acme.example/api/v1/health"
    with pytest.raises(trunkline.ValidationError, match="region must be one of 'eu', 'us'"):
        acme.AcmeWidgets(region="mars")


async def test_base_url_replaces_scheme_host_and_base_path(acme: ModuleType) -> None:
    """base_url stands for the whole server URL, base path included."""
    transport = MockTransport(_ok)
    client = acme.AcmeWidgets(bearer="t", base_url="http://127.0.0.1:9/v9", transport=transport)
    async with client:
        await client.widgets.fetch("w1")
    assert transport.requests[0].url == "http://127.0.0.1:9/v9/widgets/w1"


async def test_per_operation_security_is_respected(acme: ModuleType) -> None:
    """`security: []` sends nothing; a held alternative is picked (an empty password too)."""
    transport = MockTransport(_ok)
    async with acme.AcmeWidgets(bearer="t", basic_username="sk_1", transport=transport) as client:
        await client.health.fetch()
        await client.widgets.create(name="w")
    health, create = transport.requests
    assert "Authorization" not in health.headers
    assert create.headers["Authorization"] == _basic("sk_1", "")
    assert create.url == "https://eu.acme.example/api/v1/widgets"
    assert json.loads(create.content or b"") == {"name": "w"}
    keyed = MockTransport(_ok)
    async with acme.AcmeWidgets(key="k1", transport=keyed) as client:
        await client.widgets.create(name="w")
        with pytest.raises(trunkline.ValidationError, match="getWidget needs credentials"):
            await client.widgets.fetch("w1")
    (create,) = keyed.requests
    assert create.url.endswith("/widgets?api_key=k1")
    assert "Authorization" not in create.headers


async def test_oauth_client_credentials_fetch_a_token(acme: ModuleType) -> None:
    """OAuth client credentials are exchanged at the spec's tokenUrl for a bearer token."""
    transport = MockTransport(_ok)
    client = acme.AcmeWidgets(
        oauth_client_id="app", oauth_client_secret="s3cret", transport=transport
    )
    async with client:
        await client.widgets.delete("w1")
        await client.widgets.delete("w2")
    token, first, second = transport.requests
    assert token.url == "https://auth.acme.example/token"
    assert b"client_secret=s3cret" in (token.content or b"")
    assert "Authorization" not in token.headers
    assert first.headers["Authorization"] == second.headers["Authorization"] == "Bearer tok-1"
    assert "s3cret" not in repr(client)


async def test_environment_is_read_only_where_the_caller_names_it(
    acme: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No environment variable is read unless named; Twilio's are never read."""
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "twilio-secret")
    monkeypatch.setenv("ACME_TOKEN", "from-env")
    async with acme.AcmeWidgets(transport=MockTransport(_ok)) as client:
        with pytest.raises(trunkline.ValidationError, match="bearer"):
            await client.widgets.fetch("w1")
    transport = MockTransport(_ok)
    async with acme.AcmeWidgets(env={"bearer": "ACME_TOKEN"}, transport=transport) as client:
        await client.widgets.fetch("w1")
    assert transport.requests[-1].headers["Authorization"] == "Bearer from-env"
    assert all("twilio-secret" not in str(r.headers) for r in transport.requests)
    with pytest.raises(trunkline.ValidationError, match="env names no credential"):
        acme.AcmeWidgets(env={"token": "ACME_TOKEN"})


@pytest.mark.parametrize(
    ("body", "headers", "message", "code"),
    [
        (
            {"type": "https://acme.example/probs/x", "title": "Bad widget", "detail": "no name"},
            {"Content-Type": "application/problem+json", "X-Amzn-RequestId": "r-1"},
            "Bad widget: no name",
            None,
        ),
        ({"error": {"code": "bad", "message": "nope"}}, {"Request-Id": "r-1"}, "nope", "bad"),
        ({"errors": [{"code": 7, "message": "first"}]}, {"X-Request-Id": "r-1"}, "first", 7),
        ({"errors": ["a", "b"]}, {"X-Request-Id": "r-1"}, "a; b", None),
        ({"message": "plain"}, {"X-Request-Id": "r-1"}, "plain", None),
        ("just text", {"X-Request-Id": "r-1"}, "just text", None),
    ],
)
async def test_error_shapes_and_request_ids_are_read(
    acme: ModuleType, body: Any, headers: dict[str, str], message: str, code: Any
) -> None:
    """Common error bodies give message and code; the request id comes from common headers."""

    def fail(request: Request) -> Response:
        if isinstance(body, str):
            return Response(422, headers=headers, text=body)
        return Response(422, headers=headers, content=json.dumps(body).encode())

    async with acme.AcmeWidgets(bearer="t", transport=MockTransport(fail)) as client:
        with pytest.raises(trunkline.ApiError) as caught:
            await client.widgets.fetch("w1")
    assert (caught.value.message, caught.value.code) == (message, code)
    assert caught.value.request_id == "r-1"
