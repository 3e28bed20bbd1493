"""The retry loop: one call's attempts inside its deadline, logged, recorded and decoded.

:func:`send` (the client's ``_send``) is the innermost step of every call the client makes: it sends
attempts through the middleware chain, retries what :func:`~trunkline._retry.is_retryable`
allows while the call's deadline and the client's :class:`~trunkline._retry.RetryBudget`
permit (waiting with the policy's injectable ``sleep``, timing with its ``clock``), hands
each response to an open :func:`~trunkline.capture_responses` block, and decodes a 2xx
body or raises the error an answer means.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from trunkline import _answers
from trunkline._capture import CapturedResponse, current
from trunkline._errors import ApiConnectionError, safe_url
from trunkline._operation import Operation, TimeoutArg
from trunkline._retry import (
    RETRY_STATUSES,
    RetryBudget,
    RetryPolicy,
    is_retryable,
    parse_retry_after,
)
from trunkline._transport import Request, Response

if TYPE_CHECKING:
    import logging

    from trunkline._client import BaseClient
    from trunkline._options import Middleware

__all__ = ["Handler", "chain", "logger", "send"]

Handler = Callable[[Request], Awaitable[Response]]
"""Sends one request: the transport, or the next middleware in the chain."""

# logging costs ≈ 3 ms to import and aiohttp imports it anyway, so the "trunkline" logger is
# fetched when the first request goes out (``logger()``), not when trunkline is imported.
_log: logging.Logger | None = None
_DEBUG = 10  # logging.DEBUG


async def send(
    client: BaseClient,
    op: Operation,
    url: str,
    content: bytes | None,
    headers: Mapping[str, str],
    timeout: TimeoutArg,
    idempotent: bool,
    method: str | None = None,
    started: float | None = None,
) -> Any:
    """Send with retries inside one deadline; return the decoded JSON body or None.

    ``started`` is when the call began (on the retry policy's clock), when getting
    its credentials already took part of its budget.
    """
    limits = client._attempt_timeout if timeout is None else client._call_timeout(timeout)
    budget = limits.total if limits.total is not None else client._budget
    if method is None:
        method = op.method
    retry = client._retry
    clock = retry.clock
    tokens = client._retry_budget
    handler = client._handler
    log = _log or logger()
    start = clock()
    deadline = (start if started is None else started) + budget
    if started is not None:
        limits = limits.with_total(max(deadline - start, 0.001))
    attempt = 0
    spent = 0
    while True:
        attempt += 1
        if attempt > 1:
            limits = limits.with_total(max(deadline - clock(), 0.001))
        request = Request(method, url, headers, content, limits, op, attempt)
        try:
            response = await handler(request)
        except ApiConnectionError as exc:
            exc.method, exc.url, exc.attempts = method, url, attempt
            exc.template = op.path
            if log.isEnabledFor(_DEBUG):
                log.debug(
                    "%s %s failed after %.1f ms (attempt %d): %s",
                    method,
                    safe_url(url, op.path),
                    (clock() - start) * 1000,
                    attempt,
                    exc.message,
                )
            if attempt < retry.attempts and is_retryable(idempotent=idempotent, error=exc):
                cost = await _pause(retry, tokens, exc, None, deadline, method, url, op, attempt)
                if cost is not None:
                    spent = cost
                    continue
            raise
        status = response.status
        captured = current.get()
        if captured is not None:
            captured.record(
                CapturedResponse(
                    status,
                    response.headers,
                    client._request_id(response),
                    method,
                    op.path,
                    op.id,
                    attempt,
                )
            )
        if log.isEnabledFor(_DEBUG):
            _log_response(request, response, clock() - start, client._request_id(response))
        if 200 <= status < 300:
            if spent or tokens.tokens < tokens.full:
                tokens.refund(spent)
            body = response.content
            if not body:
                if op.requires_content:
                    raise client._api_error(
                        response,
                        method,
                        url,
                        attempt,
                        f"{op.id}: the API answered {status} with no body, where the"
                        " spec promises one",
                        template=op.path,
                    )
                return None
            if op.response != "json":
                return body if op.response == "bytes" else _answers.decode_text(body, response)
            try:
                return _answers.decode_json(body)
            except ValueError:
                raise client._api_error(
                    response,
                    method,
                    url,
                    attempt,
                    "the response body is not valid JSON",
                    template=op.path,
                ) from None
        if (
            status in RETRY_STATUSES
            and attempt < retry.attempts
            and is_retryable(idempotent=idempotent, status=status)
        ):
            after = parse_retry_after(response.headers)
            cost = await _pause(retry, tokens, None, after, deadline, method, url, op, attempt)
            if cost is not None:
                spent = cost
                continue
        if status == 401 and client._dynamic_auth:
            client._auth.forget()
        raise client._api_error(response, method, url, attempt, template=op.path)


def chain(handler: Handler, middlewares: Iterable[Middleware]) -> Handler:
    """``handler`` wrapped in ``middlewares``, the first one outermost."""
    for mw in reversed(list(middlewares)):
        handler = _link(mw, handler)
    return handler


def _link(mw: Middleware, inner: Handler) -> Handler:
    async def call(request: Request) -> Response:
        return await mw(request, inner)

    return call


def logger() -> logging.Logger:
    """The ``trunkline`` logger, fetched on first use."""
    global _log
    if _log is None:
        import logging

        _log = logging.getLogger("trunkline")
    return _log


def _log_response(
    request: Request, response: Response, took: float, request_id: str | None
) -> None:
    logger().debug(
        "%s %s -> %d in %.1f ms (attempt %d, request id %s)",
        request.method,
        safe_url(request.url, request.operation.path if request.operation else ""),
        response.status,
        took * 1000,
        request.attempt,
        request_id,
    )


async def _pause(
    retry: RetryPolicy,
    tokens: RetryBudget,
    error: ApiConnectionError | None,
    retry_after: float | None,
    deadline: float,
    method: str,
    url: str,
    op: Operation,
    attempt: int,
) -> int | None:
    """Wait before the next attempt and return the tokens it cost, or None to give up now.

    Giving up: the wait would end past the deadline, or the client's budget is spent.
    """
    delay = retry.wait(attempt, retry_after)
    cost = tokens.cost(error)
    if not (retry.clock() + delay < deadline and tokens.spend(cost)):
        return None
    log = logger()
    if log.isEnabledFor(_DEBUG):
        log.debug(
            "%s %s: retrying in %.2f s (attempt %d failed)",
            method,
            safe_url(url, op.path),
            delay,
            attempt,
        )
    await retry.sleep(delay)
    return cost
