"""Fault injection: per-route knobs, deterministic for a given seed.

A rule names a method and a path pattern (``*`` is one path segment, ``**`` any number of
segments) and a :class:`Fault`. Each request the rule matches draws once from the rule's own
random generator (seeded from the emulator's seed and the rule's position), so a given
seed and request order always injects the same faults.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Literal

import attrs
from aiohttp import web
from aiohttp.typedefs import Middleware

__all__ = ["Fault", "FaultRule", "Faults", "Outcome"]

Outcome = Literal[
    "error", "rate_limit", "drop_before", "drop_after", "truncate", "non_json", "pass"
]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _rate(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"Fault.{attribute.name} must be between 0 and 1, got {value!r}")


@attrs.frozen(kw_only=True)
class Fault:
    """What goes wrong on the requests a rule matches.

    Each ``*_rate`` is the probability of that outcome for one request; the outcomes exclude
    each other, so the rates must add up to at most 1.

    Args:
        error_rate: answer ``error_status`` without running the handler.
        error_status: the status of those errors (503 by default).
        rate_limit_rate: answer 429 with a ``Retry-After`` of ``retry_after`` seconds.
        retry_after: seconds sent in ``Retry-After``.
        latency: seconds added before every matched request is answered.
        drop_before_rate: close the connection before the handler runs (nothing happened).
        drop_after_rate: run the handler, then close the connection without answering
            (the effect happened but the client cannot know it; how a duplicate POST is made).
        truncate_rate: run the handler, then send only half of the body the
            ``Content-Length`` announces and close the connection.
        non_json_rate: answer ``non_json_status`` with an HTML page instead of JSON.
        non_json_status: the status of those pages (502 by default, as a proxy would).
    """

    error_rate: float = attrs.field(default=0.0, validator=_rate)
    error_status: int = 503
    rate_limit_rate: float = attrs.field(default=0.0, validator=_rate)
    retry_after: float = 1.0
    latency: float = 0.0
    drop_before_rate: float = attrs.field(default=0.0, validator=_rate)
    drop_after_rate: float = attrs.field(default=0.0, validator=_rate)
    truncate_rate: float = attrs.field(default=0.0, validator=_rate)
    non_json_rate: float = attrs.field(default=0.0, validator=_rate)
    non_json_status: int = 502

    def __attrs_post_init__(self) -> None:
        if sum(rate for _, rate in self._outcomes()) > 1.0 + 1e-9:
            raise ValueError("Fault rates add up to more than 1")
        if self.latency < 0 or self.retry_after < 0:
            raise ValueError("Fault.latency and Fault.retry_after must not be negative")
        if not 400 <= self.error_status <= 599 or not 200 <= self.non_json_status <= 599:
            raise ValueError("Fault statuses must be HTTP error statuses")

    def _outcomes(self) -> list[tuple[Outcome, float]]:
        return [
            ("error", self.error_rate),
            ("rate_limit", self.rate_limit_rate),
            ("drop_before", self.drop_before_rate),
            ("drop_after", self.drop_after_rate),
            ("truncate", self.truncate_rate),
            ("non_json", self.non_json_rate),
        ]

    def pick(self, draw: float) -> Outcome:
        """The outcome a uniform draw in [0, 1) selects."""
        edge = 0.0
        for outcome, rate in self._outcomes():
            edge += rate
            if draw < edge:
                return outcome
        return "pass"


def _compile(pattern: str) -> re.Pattern[str]:
    if not pattern.startswith("/"):
        raise ValueError(f"a fault route must be a path starting with '/', got {pattern!r}")
    parts = []
    for segment in pattern.strip("/").split("/"):
        if segment == "**":
            parts.append(".*")
        elif segment == "*":
            parts.append("[^/]+")
        else:
            parts.append(re.escape(segment))
    return re.compile("/" + "/".join(parts) + "/?")


@attrs.define
class FaultRule:
    """One installed rule and what it has done so far (``hits``, ``injected`` per outcome)."""

    method: str
    route: str
    fault: Fault
    _pattern: re.Pattern[str] = attrs.field(repr=False)
    _random: random.Random = attrs.field(repr=False)
    hits: int = 0
    injected: Counter[str] = attrs.field(factory=Counter)

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request."""
        return self.method in ("*", method) and self._pattern.fullmatch(path) is not None

    def draw(self) -> Outcome:
        """Count a hit and choose its outcome."""
        self.hits += 1
        outcome = self.fault.pick(self._random.random())
        if outcome != "pass":
            self.injected[outcome] += 1
        return outcome


class Faults:
    """The emulator's fault rules; the first rule that matches a request applies."""

    def __init__(self, seed: int | str = 0) -> None:
        self.seed = seed
        self.rules: list[FaultRule] = []

    def add(self, method: str, route: str, fault: Fault) -> FaultRule:
        """Install a rule for ``method`` (``"*"`` for any) on the paths ``route`` matches."""
        verb = method.upper()
        if verb != "*" and not verb.isalpha():
            raise ValueError(f"not an HTTP method: {method!r}")
        rule = FaultRule(
            method=verb,
            route=route,
            fault=fault,
            pattern=_compile(route),
            random=random.Random(f"{self.seed}:{len(self.rules)}:{verb}:{route}"),
        )
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule."""
        self.rules.clear()

    def match(self, method: str, path: str) -> FaultRule | None:
        """The rule that applies to a request, if any."""
        for rule in self.rules:
            if rule.matches(method, path):
                return rule
        return None

    def middleware(self) -> Middleware:
        """An aiohttp middleware applying these rules (outermost, before authentication)."""

        @web.middleware
        async def inject(request: web.Request, handler: Handler) -> web.StreamResponse:
            rule = self.match(request.method, request.path)
            if rule is None:
                return await handler(request)
            outcome = rule.draw()
            if rule.fault.latency:
                await asyncio.sleep(rule.fault.latency)
            return await _apply(outcome, rule.fault, request, handler)

        return inject


def _error_body(path: str, status: int, message: str) -> str:
    if path.startswith("/api/"):
        return json.dumps({"error": message})
    return json.dumps(
        {
            "code": 20000 + status,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{20000 + status}",
            "status": status,
        }
    )


def _drop(request: web.Request) -> web.HTTPException:
    transport = request.transport
    if transport is not None:
        transport.close()
    # Nothing reaches the client once the transport is closed; the exception ends the handler.
    return web.HTTPServiceUnavailable()


async def _run(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        return web.Response(status=exc.status, body=exc.body, headers=exc.headers)


async def _apply(
    outcome: Outcome, fault: Fault, request: web.Request, handler: Handler
) -> web.StreamResponse:
    if outcome == "pass":
        return await handler(request)
    if outcome == "error":
        body = _error_body(request.path, fault.error_status, "Service unavailable (injected)")
        return web.Response(status=fault.error_status, text=body, content_type="application/json")
    if outcome == "rate_limit":
        body = _error_body(request.path, 429, "Too many requests (injected)")
        return web.Response(
            status=429,
            text=body,
            content_type="application/json",
            headers={"Retry-After": f"{fault.retry_after:g}"},
        )
    if outcome == "non_json":
        return web.Response(
            status=fault.non_json_status,
            text="<html><body><h1>Bad Gateway</h1></body></html>",
            content_type="text/html",
        )
    if outcome == "drop_before":
        raise _drop(request)
    response = await _run(request, handler)
    if outcome == "drop_after":
        raise _drop(request)
    # truncate: announce the whole body, send half of it, hang up.
    raw = response.body if isinstance(response, web.Response) else None
    payload = raw if isinstance(raw, bytes) else b""
    partial = web.StreamResponse(status=response.status, headers=response.headers)
    partial.content_length = max(len(payload), 2)
    await partial.prepare(request)
    await partial.write(payload[: len(payload) // 2])
    raise _drop(request)
