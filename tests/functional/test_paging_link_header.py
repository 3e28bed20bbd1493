"""Lists paged by an RFC 8288 ``Link`` header, or counted without a total, detected or overlaid."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl, urlsplit

import pytest

import trunkline
from trunkline._paging_shapes import link_targets
from trunkline._transport import MockTransport, Request, Response

from .conftest import GenerateFn

ITEMS = ["a", "b", "c"]


def _array(path: str, op_id: str, query: list[str], headers: str = "") -> str:
    params = ", ".join(f"{{name: {q!r}, in: query, schema: {{type: integer}}}}" for q in query)
    return f"""\
  {path}:
    get:
      operationId: {op_id}
      parameters: [{params}]
      responses:
        "200":
          description: ok
          {headers}
          content:
            application/json:
              schema: {{type: array, items: {{$ref: "#/components/schemas/Item"}}}}
"""


SPEC = (
    """\
openapi: 3.0.3
info: {title: Headed, version: "1"}
servers: [{url: "https://api.headed.example"}]
components:
  schemas:
    Item: {type: object, properties: {id: {type: string}}}
  headers:
    Link: {schema: {type: string}}
paths:
"""
    + _array(
        "/linked",
        "listLinked",
        ["per_page", "page"],
        'headers: {Link: {$ref: "#/components/headers/Link"}}',
    )
    + _array("/bare", "listBare", ["per_page", "page"])
    + _array("/counted", "listCounted", ["count", "page"])
    + _array("/skipped", "listSkipped", ["offset", "limit"])
)


def _answer(request: Request) -> Response:
    parts = urlsplit(request.url)
    query = {k: int(v) for k, v in parse_qsl(parts.query)}
    if parts.path in ("/linked", "/bare"):
        size, page = query.get("per_page", 1), query.get("page", 1)
        start = (page - 1) * size
        links = [f'<https://api.headed.example{parts.path}?page={page - 1}>; rel="prev"']
        if start + size < len(ITEMS):
            url = f"https://api.headed.example{parts.path}?per_page={size}&page={page + 1}"
            links.append(f'<{url}>; title="next, please"; rel="next last"')
        headers = {"Link": ", ".join(links)}
    else:
        size = query.get("count", query.get("limit", 100))
        start = (query.get("page", 1) - 1) * size if "page" in query else query.get("offset", 0)
        headers = {}
    body = [{"id": i} for i in ITEMS[start : start + size]]
    return Response(200, headers, json=body)


@pytest.fixture
def headed(generated: GenerateFn, tmp_path: Path) -> ModuleType:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "headed.trunkline.yaml").write_text(
        "operations:\n  GET /bare: {paging: link_header, paging_params: [per_page]}\n"
    )
    root = generated("headed.yaml", SPEC)
    return importlib.import_module(f"{root.__name__}.headed")


@pytest.mark.parametrize("resource", ["linked", "bare"])
async def test_link_header_pages_to_the_end(headed: ModuleType, resource: str) -> None:
    """A documented Link header (or one overlaid by method and path) is followed to the end."""
    transport = MockTransport(_answer)
    async with headed.Headed(transport=transport) as client:
        items = [item.id async for item in getattr(client, resource).stream(page_size=1)]
    assert items == ITEMS
    assert [urlsplit(r.url).query for r in transport.requests] == [
        "per_page=1",
        "per_page=1&page=2",
        "per_page=1&page=3",
    ]


async def test_link_header_page_exposes_the_previous_link(headed: ModuleType) -> None:
    """The Link header's rel="prev" is the page's previous link."""
    async with headed.Headed(transport=MockTransport(_answer)) as client:
        page = await client.linked.page(page_size=2)
    assert page.previous_url == "https://api.headed.example/linked?page=0"
    assert page.next_url == "https://api.headed.example/linked?per_page=2&page=2"


async def test_a_link_header_off_the_host_is_refused(headed: ModuleType) -> None:
    """A next link to another host is a PagingError, as for links in the body."""

    def elsewhere(request: Request) -> Response:
        return Response(200, {"Link": '<https://evil.example/x>; rel="next"'}, json=[{"id": "a"}])

    async with headed.Headed(transport=MockTransport(elsewhere)) as client:
        with pytest.raises(trunkline.PagingError):
            [item async for item in client.linked.stream(page_size=1)]


@pytest.mark.parametrize(
    ("resource", "size", "requests"),
    [("counted", 2, 2), ("counted", 1, 4), ("skipped", 2, 2), ("skipped", 3, 2)],
)
async def test_counting_without_a_total_stops_at_a_short_page(
    headed: ModuleType, resource: str, size: int, requests: int
) -> None:
    """Page numbers and offsets without a total go on after a full page, stop after a short one."""
    transport = MockTransport(_answer)
    async with headed.Headed(transport=transport) as client:
        items = [item.id async for item in getattr(client, resource).stream(page_size=size)]
    assert items == ITEMS
    assert len(transport.requests) == requests


def test_link_values_are_read_by_relation_type() -> None:
    """Link values split at commas outside quotes; rel lists compare case-insensitively."""
    header = '<https://x/2>; title="a, b"; REL="Next Last", <https://x/0>;rel=prev, junk'
    assert link_targets(header, "next") == ["https://x/2"]
    assert link_targets(header, "last") == ["https://x/2"]
    assert link_targets(header, "prev") == ["https://x/0"]
    assert link_targets("no link here", "next") == []
