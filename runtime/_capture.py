"""Raw responses: the status, headers and request id of every call made inside a block.

``with trunkline.capture_responses() as responses:`` records one
:class:`CapturedResponse` per HTTP response the clients receive while the block runs (each
page of a listing, each attempt a retry repeats, a delete's empty answer), in the order
they arrive. It works in async code: the log lives in a :mod:`contextvars` variable, so a
task started inside the block (``asyncio.gather``, a listing's prefetch) records into it
too, while calls in other tasks do not. Blocks nest; each records what happens inside it.

A record holds no secret and no personal value: the operation's path *template*
(``/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges``), never the filled path,
query or body, and the headers without ``Set-Cookie``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from types import TracebackType

    from multidict import CIMultiDictProxy

__all__ = ["CapturedResponse", "ResponseLog", "capture_responses"]

# The innermost open log; each log points at the one around it.
current: ContextVar[ResponseLog | None] = ContextVar("trunkline_responses", default=None)

_HIDDEN = frozenset({"set-cookie", "set-cookie2"})


class CapturedResponse:
    """One HTTP response a client received.

    Attributes:
        status: the HTTP status.
        headers: the response headers, read-only, looked up case-insensitively
            (``Set-Cookie`` left out).
        request_id: the provider's request id header (``Twilio-Request-Id``), or None.
        method: the request's method (``GET``).
        path: the operation's path template, placeholders unfilled.
        operation: the operation's id (``CreateChallenge``).
        attempt: which attempt of the call this answered (1 for the first).
    """

    __slots__ = ("attempt", "headers", "method", "operation", "path", "request_id", "status")

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str],
        request_id: str | None,
        method: str,
        path: str,
        operation: str,
        attempt: int,
    ) -> None:
        self.status = status
        self.headers: CIMultiDictProxy[str] = _read_only(headers)
        self.request_id = request_id
        self.method = method
        self.path = path
        self.operation = operation
        self.attempt = attempt

    def __repr__(self) -> str:
        return (
            f"CapturedResponse({self.status} {self.method} {self.path},"
            f" request_id={self.request_id!r})"
        )


class ResponseLog(Sequence[CapturedResponse]):
    """The responses received inside a :func:`capture_responses` block, oldest first."""

    __slots__ = ("_items", "_parent", "_token")

    def __init__(self) -> None:
        self._items: list[CapturedResponse] = []
        self._parent: ResponseLog | None = None
        self._token: Token[ResponseLog | None] | None = None

    @property
    def last(self) -> CapturedResponse:
        """The latest response; IndexError when none was received."""
        if not self._items:
            raise IndexError("no response was received inside this capture_responses() block")
        return self._items[-1]

    @overload
    def __getitem__(self, index: int) -> CapturedResponse: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CapturedResponse]: ...

    def __getitem__(self, index: int | slice) -> CapturedResponse | Sequence[CapturedResponse]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[CapturedResponse]:
        return iter(self._items)

    def __enter__(self) -> ResponseLog:
        if self._token is not None:
            raise RuntimeError("this capture_responses() block is already open")
        self._parent = current.get()
        self._token = current.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._token is not None
        current.reset(self._token)
        self._token = None

    def __repr__(self) -> str:
        return f"ResponseLog({len(self._items)} responses)"

    def record(self, response: CapturedResponse) -> None:
        """Add ``response`` here and to every block around this one."""
        log: ResponseLog | None = self
        while log is not None:
            log._items.append(response)
            log = log._parent


def capture_responses() -> ResponseLog:
    """Record every response received inside a ``with`` block (see the module docstring).

    Example::

        with trunkline.capture_responses() as responses:
            challenge = await tw.verify.v2.services.entities.challenges.create(...)
        fields = responses.last.headers["Twilio-Verify-Signature-Fields"]
    """
    return ResponseLog()


def _read_only(headers: Mapping[str, str]) -> CIMultiDictProxy[str]:
    # multidict (aiohttp's) pulls in pathlib: imported on the first record, not with the client.
    from multidict import CIMultiDict, CIMultiDictProxy

    if isinstance(headers, CIMultiDictProxy) and not any(k.lower() in _HIDDEN for k in headers):
        return headers
    kept = ((k, v) for k, v in headers.items() if k.lower() not in _HIDDEN)
    return CIMultiDictProxy(CIMultiDict(kept))
