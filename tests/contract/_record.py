"""Recording what went over the wire, through aiohttp's tracing hooks.

The contract tests hand trunkline an aiohttp session of their own whose
:class:`aiohttp.TraceConfig` keeps every request (method, URL, headers, body) and
response (status, body) in order, so a refused call can be reported exactly as sent
without relying on anything inside the runtime.
"""

from __future__ import annotations

from types import SimpleNamespace

import aiohttp
import attrs

__all__ = ["Exchange", "Recorder"]

_SECRET_HEADERS = frozenset({"authorization"})


@attrs.define
class Exchange:
    """One request and, once it arrived, its response."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytearray = attrs.field(factory=bytearray)
    status: int | None = None
    response: bytearray = attrs.field(factory=bytearray)

    def describe(self, limit: int = 2000) -> str:
        """The request and response as text, with the credentials masked."""
        headers = ", ".join(
            f"{k}: {'<scheme> ***' if k.lower() in _SECRET_HEADERS else v}"
            for k, v in sorted(self.headers.items())
            if k.lower() not in ("user-agent", "accept-encoding", "host", "content-length")
        )
        if "authorization" in {k.lower() for k in self.headers}:
            scheme = next(v for k, v in self.headers.items() if k.lower() == "authorization")
            headers = headers.replace("<scheme>", scheme.split(" ", 1)[0])
        lines = [f"{self.method} {self.url}", f"  headers: {headers}"]
        if self.body:
            lines.append(f"  body: {bytes(self.body).decode('utf-8', 'replace')[:limit]}")
        lines.append(
            f"  -> {self.status}: {bytes(self.response).decode('utf-8', 'replace')[:limit]}"
        )
        return "\n".join(lines)


class Recorder:
    """Collects the exchanges of one aiohttp session."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        self._by_context: dict[int, Exchange] = {}
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._start)
        config.on_request_chunk_sent.append(self._chunk)
        config.on_request_end.append(self._end)
        config.on_response_chunk_received.append(self._response_chunk)
        self.trace_config = config

    async def _start(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        exchange = Exchange(params.method, str(params.url), dict(params.headers))
        self.exchanges.append(exchange)
        self._by_context[id(context)] = exchange

    async def _chunk(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        exchange = self._by_context.get(id(context))
        if exchange is not None:
            exchange.body.extend(params.chunk)

    async def _end(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        exchange = self._by_context.get(id(context))
        if exchange is not None:
            exchange.status = params.response.status
            # Headers as finally sent (after the session and auth added theirs).
            exchange.headers = dict(params.headers)

    async def _response_chunk(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceResponseChunkReceivedParams,
    ) -> None:
        exchange = self._by_context.get(id(context))
        if exchange is not None:
            exchange.response.extend(params.chunk)

    @property
    def last(self) -> Exchange | None:
        """The most recent exchange, if any."""
        return self.exchanges[-1] if self.exchanges else None
