"""Functional tests: what a spec says about responses decides paging, Accept and empty replies."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

GenerateFn = Callable[[str, str], ModuleType]

SPEC = """
openapi: 3.0.1
info: {title: Shapes - v1, version: 1.0.0}
servers: [{url: "https://shapes.twilio.com"}]
components:
  schemas:
    ScimMeta:
      type: object
      properties:
        resourceType: {type: string}
        version: {type: string}
    ScimUser:
      type: object
      properties:
        id: {type: string}
        emails: {type: array, items: {type: object, properties: {value: {type: string}}}}
        meta: {$ref: "#/components/schemas/ScimMeta"}
    shapes.v1.port:
      type: object
      properties:
        sid: {type: string}
        tags:
          type: array
          nullable: true
          items: {type: string, $ref: "#/components/schemas/port_enum_tag"}
    port_enum_tag:
      type: string
      enum: [urgent, slow]
    shapes.v1.port_meta:
      type: object
      properties:
        next_token: {type: string, nullable: true}
        previous_token: {type: string, nullable: true}
paths:
  /v1/Users/{Sid}:
    x-twilio: {pathType: instance}
    get:
      operationId: FetchUser
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/scim+json:
              schema: {$ref: "#/components/schemas/ScimUser"}
    post:
      operationId: UpdateUser
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: Updated
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ScimUser"}
        "204": {description: Nothing changed}
  /v1/Ports:
    x-twilio: {pathType: list}
    get:
      operationId: ListPort
      parameters:
        - {name: Token, in: query, schema: {type: string}}
        - {name: Size, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: Status, in: query, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  ports: {type: array, items: {$ref: "#/components/schemas/shapes.v1.port"}}
                  meta: {$ref: "#/components/schemas/shapes.v1.port_meta"}
"""

USER = {"id": "US1", "emails": [{"value": "ana@example.com"}], "meta": {"version": "1"}}
TOKENS: dict[str | None, str | None] = {None: "T1", "T1": "T2", "T2": None}


@pytest.fixture
def shapes(generated: GenerateFn) -> ModuleType:
    package = generated("twilio_shapes_v1.yaml", SPEC)
    __import__(f"{package.__name__}.twilio")
    return package


def _client(package: ModuleType, handler: Callable[[Request], Response]) -> Any:
    twilio_module = sys.modules[f"{package.__name__}.twilio"]
    return twilio_module.Twilio("AC" + "a" * 32, "token", transport=MockTransport(handler))


def _module(package: ModuleType, name: str) -> Any:
    __import__(f"{package.__name__}.twilio.shapes.v1.{name}")
    return sys.modules[f"{package.__name__}.twilio.shapes.v1.{name}"]


async def test_a_model_with_meta_but_no_next_link_is_fetched_not_paged(
    shapes: ModuleType,
) -> None:
    """A SCIM user (meta without next_page_url, an emails array) is one fetch, not a list."""
    client = _client(shapes, lambda request: Response(200, json=USER))
    async with client:
        user = await client.shapes.v1.users.fetch("US1")
    assert user.id == "US1"
    assert [e.value for e in user.emails] == ["ana@example.com"]
    assert not hasattr(client.shapes.v1.users, "fetch_page")
    assert _module(shapes, "users")._FETCH.paging is None


async def test_scim_response_type_is_the_accept_header(shapes: ModuleType) -> None:
    """An operation answering application/scim+json asks for it; a JSON one asks for JSON."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(200, json=USER)

    async with _client(shapes, handler) as client:
        await client.shapes.v1.users.fetch("US1")
        await client.shapes.v1.users.update("US1")
    assert seen[0].headers["Accept"] == "application/scim+json"
    assert seen[1].headers["Accept"] == "application/json"


async def test_meta_next_token_pages_by_token(shapes: ModuleType) -> None:
    """meta.next_token makes a twilio_token list: Size and Token are driven, not arguments."""
    seen: list[dict[str, list[str]]] = []

    def handler(request: Request) -> Response:
        query = parse_qs(urlsplit(request.url).query)
        seen.append(query)
        token = query.get("Token", [None])[0]
        meta = {"next_token": TOKENS[token], "previous_token": None}
        return Response(200, json={"ports": [{"sid": f"PO{token}"}], "meta": meta})

    async with _client(shapes, handler) as client:
        ports = await client.shapes.v1.ports.list(status="new", page_size=500)
        async with contextlib.aclosing(client.shapes.v1.ports.stream()) as stream:
            first = [p.sid async for p in stream]
    op = _module(shapes, "ports")._LIST
    assert (op.paging, op.items_key, op.max_page_size) == ("twilio_token", "ports", 100)
    assert [p.sid for p in ports] == ["PONone", "POT1", "POT2"]
    assert first == ["PONone", "POT1", "POT2"]
    assert [q.get("Token") for q in seen[:3]] == [None, ["T1"], ["T2"]]
    assert seen[0]["Size"] == ["100"]
    assert seen[2]["Status"] == ["new"]
    with pytest.raises(TypeError):
        await client.shapes.v1.ports.list(token="T9")


async def test_empty_reply_is_none_only_where_the_spec_allows_it(shapes: ModuleType) -> None:
    """A 204 from update (spec lists a 204) is None; from fetch (body promised) an ApiError."""
    async with _client(shapes, lambda request: Response(204)) as client:
        assert await client.shapes.v1.users.update("US1") is None
        with pytest.raises(trunkline.ApiError, match="FetchUser: the API answered 204"):
            await client.shapes.v1.users.fetch("US1")
    assert _module(shapes, "users")._FETCH.requires_content
    assert not _module(shapes, "users")._UPDATE.requires_content


async def test_an_array_of_enum_items_decodes_as_a_list_of_the_enum(shapes: ModuleType) -> None:
    """``tags: array of $ref enum`` is a list of open enum values, not one enum of the list."""
    body = {"ports": [{"sid": "PO1", "tags": ["urgent", "new"]}], "meta": {"next_token": None}}
    async with _client(shapes, lambda request: Response(200, json=body)) as client:
        page = await client.shapes.v1.ports.page()
    models = _module(shapes, "models")
    assert page.items[0].tags == [models.PortTag.URGENT, "new"]
    assert not hasattr(models, "Tag")
