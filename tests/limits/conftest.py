"""A real Redis for the limiter tests: one server on a free loopback port per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """redis-server for the whole session (installed by `make test` when missing)."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
