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
    │   ├── ServerError                 5xx
    │   └── ResponseTooLargeError       the body passed the client's max_response_bytes
    ├── ResponseShapeError              a 2xx body is not the JSON object the spec promises
    ├── ApiConnectionError              no usable answer: refused, reset, DNS, TLS ...
    │   └── ApiTimeoutError             a connect, read or total time limit ran out
    ├── PagingError                     a list's paging is unusable (loops, foreign host, endless)
    ├── ValidationError                 a local argument check failed (also a ValueError)
    └── UsageError                      the client cannot serve this use (closed, other loop)

Bad arguments (an empty path parameter, missing credentials) raise :class:`ValidationError`
before any request is made.

Messages and reprs never hold credentials or parameter values: they name the method, the
path and the names of the query parameters (:func:`safe_url`), and what the server said.
Exception chains are cut where a lower layer's error holds request headers.
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
    "ResponseShapeError",
    "ResponseTooLargeError",
    "ServerError",
    "TrunklineError",
    "UnprocessableEntityError",
    "UsageError",
    "ValidationError",
    "error_class_for_status",
    "safe_url",
]

MAX_BODY_CHARS = 2000
"""How much of an error response body an :class:`ApiError` keeps."""


class TrunklineError(Exception):
    """Base class of every error trunkline raises on purpose."""


class ValidationError(TrunklineError, ValueError):
    """A local check refused an argument before any request; the message names it."""


class UsageError(TrunklineError, RuntimeError):
    """The client cannot serve this use: it is closed, or bound to another event loop."""


def safe_url(url: str, template: str = "") -> str:
    """``url`` as messages and logs show it: no parameter value in it.

    With the operation's path ``template`` the path is shown as the template, so a path
    value (a phone number, an email as a Verify identity) stays out; every query value is
    dropped. ``https://lookups.twilio.com/v2/PhoneNumbers/%2B1555?Fields=a&DateOfBirth=b``
    with ``/v2/PhoneNumbers/{PhoneNumber}`` becomes
    ``https://lookups.twilio.com/v2/PhoneNumbers/{PhoneNumber}?Fields=…&DateOfBirth=…``:
    the names say what was asked, the values (personal data, page tokens) stay out of logs.
    """
    base, sep, query = url.partition("?")
    if template:
        scheme, slashes, rest = base.partition("://")
        base = f"{scheme}://{rest.split('/', 1)[0]}{template}" if slashes else template
    if not sep:
        return base
    names = [pair.partition("=")[0] for pair in query.split("&") if pair]
    return base + "?" + "&".join(f"{name}=…" for name in names)


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
        template: the operation's path template, shown instead of the URL's path so no
            path value reaches a message or repr (the client fills it in).
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
        template: str = "",
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
        self.template = template
        self.request_id = request_id
        self.attempts = attempts
        self.body = body

    def __str__(self) -> str:
        parts = [f"HTTP {self.status}"]
        if self.method:
            parts.append(f"{self.method} {safe_url(self.url, self.template)}")
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
            f"message={self.message!r}, method={self.method!r}, "
            f"url={safe_url(self.url, self.template)!r}, request_id={self.request_id!r}, "
            f"attempts={self.attempts})"
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


class ResponseTooLargeError(ApiError):
    """The response body grew past the client's ``max_response_bytes``; reading stopped.

    The connection it came on is closed, never returned to the pool.
    """


class ResponseShapeError(TrunklineError):
    """A success answer's JSON is not the object the spec promises.

    An array, string or null came where an object belongs, or one of its fields holds a
    value of a type the spec rules out (a list where an enum's string goes).

    Args:
        schema: the spec's name of the object that was expected.
        value: what came instead (only its type is looked at, never kept or shown).
    """

    def __init__(self, schema: str, value: object) -> None:
        if hasattr(value, "keys"):
            text = f"a field of {schema} holds a value of a type its spec rules out"
        else:
            kind = "null" if value is None else type(value).__name__
            text = f"expected a JSON object for {schema}, the API sent {kind}"
        super().__init__(text)
        self.schema = schema


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
        template: the operation's path template, shown instead of the URL's path (the
            client fills it in).
        attempts: how many times the request was tried before giving up.
    """

    def __init__(
        self,
        message: str,
        *,
        request_sent: bool = True,
        method: str = "",
        url: str = "",
        template: str = "",
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request_sent = request_sent
        self.method = method
        self.url = url
        self.template = template
        self.attempts = attempts

    def __str__(self) -> str:
        text = self.message
        if self.method:
            text = f"{self.method} {safe_url(self.url, self.template)}: {text}"
        if self.attempts > 1:
            text += f" after {self.attempts} attempts"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, method={self.method!r}, "
            f"url={safe_url(self.url, self.template)!r}, attempts={self.attempts})"
        )


class ApiTimeoutError(ApiConnectionError):
    """A time limit ran out: connecting, waiting for the answer, or the whole call."""


class PagingError(TrunklineError):
    """A list cannot be paged on; the message says why.

    A next-page link repeats a page, leaves the API's host, is not a string or asks for a
    page past the API's maximum size; or the pages do not end (``max_pages`` reached, too
    many empty pages in a row that still point at a next one).
    """
