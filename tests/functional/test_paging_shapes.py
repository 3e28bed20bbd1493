"""List operations of other vendors' specs page by the common shapes, detected or overlaid."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response
from trunkline.codegen.loader import SpecError, load_spec

from .conftest import GenerateFn

HEAD = """\
openapi: 3.1.0
info: {title: Shapes, version: "1"}
servers: [{url: "https://api.shapes.example"}]
components:
  schemas:
    Item: {type: object, properties: {id: {type: string}}}
paths:
"""


def _list(path: str, op_id: str, query: list[str], props: str) -> str:
    params = ", ".join(f"{{name: {q!r}, in: query, schema: {{type: string}}}}" for q in query)
    return f"""\
  {path}:
    get:
      operationId: {op_id}
      parameters: [{params}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {{type: array, items: {{$ref: "#/components/schemas/Item"}}}}
{textwrap.indent(textwrap.dedent(props), " " * 18)}
"""


SPEC = HEAD + "".join(
    [
        _list(
            "/links",
            "listLinks",
            ["limit"],
            "links: {type: object, properties: {next: {type: string}}}",
        ),
        _list("/after", "listAfter", ["limit", "starting_after"], "has_more: {type: boolean}"),
        _list(
            "/cursor",
            "listCursor",
            ["limit", "cursor"],
            "meta: {type: object, properties: {next_cursor: {type: string}}}",
        ),
        _list("/tokens", "listTokens", ["pageSize", "pageToken"], "nextPageToken: {type: string}"),
        _list(
            "/numbers",
            "listNumbers",
            ["page[number]", "page[size]"],
            "meta: {type: object, properties: {page_number: {type: integer},"
            " total_pages: {type: integer}}}",
        ),
        _list("/offsets", "listOffsets", ["offset", "limit"], "total: {type: integer}"),
        _list("/plain", "listPlain", [], "count: {type: integer}"),
        """\
  /plain/{id}:
    get:
      operationId: getPlain
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
""",
    ]
)


def _pages(path: str, query: dict[str, str]) -> dict[str, Any]:
    """Two pages per shape: the second is asked for the shape's own way."""
    second = {
        "/links": query.get("p") == "2",
        "/after": query.get("starting_after") == "a",
        "/cursor": query.get("cursor") == "c2",
        "/tokens": query.get("pageToken") == "t2",
        "/numbers": query.get("page[number]") == "2",
        "/offsets": query.get("offset") == "1",
    }[path]
    body: dict[str, Any] = {"data": [{"id": "b" if second else "a"}]}
    if path == "/links":
        body["links"] = {"next": None if second else "/links?p=2"}
    elif path == "/after":
        body["has_more"] = not second
    elif path == "/cursor":
        body["meta"] = {"next_cursor": None if second else "c2"}
    elif path == "/tokens":
        body["nextPageToken"] = "" if second else "t2"
    elif path == "/numbers":
        body["meta"] = {"page_number": 2 if second else 1, "total_pages": 2}
    else:
        body["total"] = 2
    return body


@pytest.fixture
def shapes(generated: GenerateFn) -> ModuleType:
    root = generated("shapes.yaml", SPEC)
    return importlib.import_module(f"{root.__name__}.shapes")


def _answer(request: Request) -> Response:
    parts = urlsplit(request.url)
    return Response(200, json=_pages(parts.path, dict(parse_qsl(parts.query))))


@pytest.mark.parametrize("resource", ["links", "after", "cursor", "tokens", "numbers", "offsets"])
async def test_each_shape_pages_to_the_end(shapes: ModuleType, resource: str) -> None:
    """Every common shape is detected from the spec and iterates both pages."""
    transport = MockTransport(_answer)
    async with shapes.Shapes(transport=transport) as client:
        items = [item.id async for item in getattr(client, resource).stream(page_size=1)]
    assert items == ["a", "b"]
    assert len(transport.requests) == 2


async def test_unpaged_list_keeps_the_list_name(shapes: ModuleType) -> None:
    """A list with no paging is ``list``; the instance GET keeps ``fetch``."""
    plain = shapes.Shapes(transport=MockTransport(_answer)).plain
    assert hasattr(plain, "list")
    assert hasattr(plain, "fetch")
    assert not hasattr(plain, "get_plain")


async def test_a_non_string_cursor_is_a_paging_error(shapes: ModuleType) -> None:
    """A cursor that is an object is refused by name, not sent back."""

    def bad(request: Request) -> Response:
        return Response(200, json={"data": [{"id": "a"}], "meta": {"next_cursor": {"x": 1}}})

    async with shapes.Shapes(transport=MockTransport(bad)) as client:
        with pytest.raises(trunkline.PagingError, match=r"meta\.next_cursor is a dict"):
            [item async for item in client.cursor.stream()]


async def test_max_pages_bounds_every_shape(shapes: ModuleType) -> None:
    """A server whose cursor never ends stops at max_pages."""
    count = iter(range(1000))

    def endless(request: Request) -> Response:
        n = next(count)
        return Response(200, json={"data": [{"id": str(n)}], "meta": {"next_cursor": f"c{n}"}})

    async with shapes.Shapes(transport=MockTransport(endless), max_pages=3) as client:
        with pytest.raises(trunkline.PagingError, match="3"):
            [item async for item in client.cursor.stream()]


def test_overlay_declares_paging_beside_the_spec(tmp_path: Path) -> None:
    """An overlay file beside the spec adds paging hints; an unknown operationId is an error."""
    spec = tmp_path / "shapes.yaml"
    spec.write_text(HEAD + _list("/odd", "listOdd", ["lim", "next"], "more: {type: string}"))
    overlay = tmp_path / "shapes.trunkline.yaml"
    overlay.write_text(
        "operations:\n  listOdd: {paging: next_cursor, paging_params: [lim, next, more]}\n"
    )
    node = load_spec(spec).data["paths"]["/odd"]["get"]
    assert node["x-trunkline"] == {
        "paging": "next_cursor",
        "paging_params": ["lim", "next", "more"],
    }
    overlay.write_text("operations:\n  listNothing: {paging: next_link}\n")
    with pytest.raises(SpecError, match="no operation 'listNothing'"):
        load_spec(spec)
