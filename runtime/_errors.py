"""Every error trunkline raises, in one tree.

::

    TrunklineError                      anything trunkline raises on purpose
    ├── ApiError                        the API answered with an error status
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404
    │   ├── ConflictError               409
    │   ├── UnprocessableEntityError    422
    │   ├── RateLimitError              429
    │   └── ServerError                 5xx
    ├── ApiConnectionError              no usable answer: refused, reset, DNS, TLS ...
    │   └── ApiTimeoutError             a connect, read or total time limit ran out
    └── PagingError                     a list's next-page link is unusable (loops, foreign host)

Bad arguments (an empty path parameter, missing credentials) raise :class:`ValueError`
before any request is made.

Messages, reprs and attributes never hold credentials: the client builds them from the
method, the URL (which carries no secrets) and what the server said.
"""

from __future__ import annotations

# typing costs more to import than all of trunkline's own startup; annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "NotFoundError",
    "PagingError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TrunklineError",
    "UnprocessableEntityError",
    "error_class_for_status",
]

MAX_BODY_CHARS = 2000
"""How much of an error response body an :class:`ApiError` keeps."""


class TrunklineError(Exception):
    """Base class of every error trunkline raises on purpose."""


class ApiError(TrunklineError):
    """The API answered with an error status (or a body trunkline cannot read).

    Args:
        status: the HTTP status code.
        message: the provider's message, or the raw body text (at most
            ``MAX_BODY_CHARS`` characters) when the body is not the provider's error JSON.
        code: the provider's own error code (Twilio: ``20404``), if any.
        more_info: a link to the provider's documentation of ``code``, if any.
        details: further structured detail the provider sent, if any.
        method: the request's HTTP method.
        url: the request's URL.
        request_id: the provider's request id header (Twilio: ``Twilio-Request-Id``).
        attempts: how many times the request was sent before giving up.
        body: the raw response body text, at most ``MAX_BODY_CHARS`` characters.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: int | str | None = None,
        more_info: str | None = None,
        details: Any = None,
        method: str = "",
        url: str = "",
        request_id: str | None = None,
        attempts: int = 1,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.more_info = more_info
        self.details = details
        self.method = method
        self.url = url
        self.request_id = request_id
        self.attempts = attempts
        self.body = body

    def __str__(self) -> str:
        parts = [f"HTTP {self.status}"]
        if self.method:
            parts.append(f"{self.method} {self.url}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        text = " ".join(parts) + f": {self.message}"
        if self.more_info:
            text += f" (more info: {self.more_info})"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        if self.attempts > 1:
            text += f" after {self.attempts} attempts"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code!r}, "
            f"message={self.message!r}, method={self.method!r}, url={self.url!r}, "
            f"request_id={self.request_id!r}, attempts={self.attempts})"
        )


class BadRequestError(ApiError):
    """400: the API rejected the request's parameters."""


class AuthenticationError(ApiError):
    """401: the credentials were missing or wrong."""


class PermissionDeniedError(ApiError):
    """403: the credentials may not do this."""


class NotFoundError(ApiError):
    """404: no such resource."""


class ConflictError(ApiError):
    """409: the request conflicts with the resource's state."""


class UnprocessableEntityError(ApiError):
    """422: the request was well formed but could not be carried out."""


class RateLimitError(ApiError):
    """429: too many requests; the client retried as far as its policy allowed."""


class ServerError(ApiError):
    """5xx: the provider failed."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[ApiError]:
    """The :class:`ApiError` subclass for an HTTP status (``ApiError`` itself if none fits)."""
    cls = _BY_STATUS.get(status)
    if cls is not None:
        return cls
    if 500 <= status <= 599:
        return ServerError
    return ApiError


class ApiConnectionError(TrunklineError):
    """No usable answer came back: the connection failed, broke or was refused.

    Args:
        message: what went wrong.
        request_sent: False only when the request certainly never left this process
            (the connection could not be made); a POST is retried only then.
        method: the request's HTTP method (the client fills it in).
        url: the request's URL (the client fills it in).
        attempts: how many times the request was tried before giving up.
    """

    def __init__(
        self,
        message: str,
        *,
        request_sent: bool = True,
        method: str = "",
        url: str = "",
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request_sent = request_sent
        self.method = method
        self.url = url
        self.attempts = attempts

    def __str__(self) -> str:
        text = self.message
        if self.method:
            text = f"{self.method} {self.url}: {text}"
        if self.attempts > 1:
            text += f" after {self.attempts} attempts"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, method={self.method!r}, "
            f"url={self.url!r}, attempts={self.attempts})"
        )


class ApiTimeoutError(ApiConnectionError):
    """A time limit ran out: connecting, waiting for the answer, or the whole call."""


class PagingError(TrunklineError):
    """A list's next-page link cannot be followed: it repeats a page or leaves the API."""
