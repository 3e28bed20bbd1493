"""Paging reads what the spec says: items under the spec's key, tokens in meta."""

from __future__ import annotations

from typing import Any

from trunkline._client import BaseClient
from trunkline._transport import MockTransport, Request, Response

from .conftest import LIST, PATH


def sid(item: Any) -> str:
    return str(item["sid"])


async def test_spec_items_key_wins_over_a_placeholder_meta_key() -> None:
    """A page whose meta.key is a placeholder ("string") is read under the spec's items key."""
    body = {
        "challenges": [{"sid": "YC1"}, {"sid": "YC2"}],
        "meta": {"key": "string", "next_page_url": None, "page": 0, "page_size": 50},
    }
    async with BaseClient(transport=MockTransport(lambda r: Response(200, json=body))) as client:
        assert await client.list(LIST, PATH, sid) == ["YC1", "YC2"]


async def test_meta_key_still_used_when_the_spec_names_no_key() -> None:
    """Without a spec items key the response's meta.key picks the list among several arrays."""
    op = LIST.__class__(
        id=LIST.id, method="GET", server=LIST.server, path=LIST.path, paging="twilio_meta"
    )
    body = {
        "links": [{"sid": "no"}],
        "challenges": [{"sid": "YC1"}],
        "meta": {"key": "challenges", "next_page_url": None},
    }

    def handler(request: Request) -> Response:
        return Response(200, json=body)

    async with BaseClient(transport=MockTransport(handler)) as client:
        assert await client.list(op, PATH, sid) == ["YC1"]
