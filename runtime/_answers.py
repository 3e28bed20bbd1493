"""Reading answers: JSON bodies (orjson when installed) and providers' error bodies.

:func:`decode_json` decodes a 2xx body; it picks its decoder on the first body it sees
(:func:`json_decoder`). :class:`Answers`, a mixin of the client, turns an error answer into
the :class:`~trunkline.ApiError` subclass for its status, reading the provider's error JSON
through the :meth:`Answers._error_info` hook.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, NamedTuple

from trunkline._errors import MAX_BODY_CHARS, ApiError, error_class_for_status
from trunkline._transport import Response

__all__ = ["BULK_BYTES", "Answers", "ErrorInfo", "decode_json", "json_decoder", "paused"]

# JSON between systems is UTF-8 (RFC 8259); decoding it directly skips json.loads's
# encoding detection, a measurable share of a small response's cost.
_stdlib_decode = json.JSONDecoder().decode


class ErrorInfo(NamedTuple):
    """What a provider's error body says."""

    code: int | str | None = None
    message: str | None = None
    more_info: str | None = None
    details: Any = None


class Answers:
    """Error answers as exceptions; a mixin of the client."""

    _request_id_header: ClassVar[str] = "X-Request-Id"

    def _request_id(self, response: Response) -> str | None:
        """The provider's request id of a response (``_request_id_header``)."""
        return response.header(self._request_id_header)

    def _error_info(self, status: int, body: Any) -> ErrorInfo:
        """Read a provider's error JSON body (already decoded) into :class:`ErrorInfo`.

        The default reads Twilio's ``{code, message, more_info, details}``, OAuth's
        ``{error, error_description}`` and a JSON:API-like ``{errors: [...]}``.
        """
        if not isinstance(body, Mapping):
            return ErrorInfo()
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            first = errors[0]
            return ErrorInfo(
                code=_code(first.get("code")),
                message=_text(first.get("message") or first.get("detail")),
                more_info=_text(first.get("url") or first.get("more_info")),
                details=errors,
            )
        message = body.get("message") or body.get("error_description") or body.get("error")
        return ErrorInfo(
            code=_code(body.get("code")),
            message=_text(message),
            more_info=_text(body.get("more_info")),
            details=body.get("details"),
        )

    def _api_error(
        self,
        response: Response,
        method: str,
        url: str,
        attempts: int,
        fallback: str | None = None,
        *,
        template: str = "",
    ) -> ApiError:
        raw = response.content
        text = raw[: MAX_BODY_CHARS * 4].decode("utf-8", "replace")[:MAX_BODY_CHARS]
        info = ErrorInfo()
        if fallback is None and raw:
            # RecursionError: a body nested deeper than the interpreter's stack.
            with contextlib.suppress(ValueError, RecursionError):
                info = self._error_info(response.status, json.loads(raw))
        message = fallback or info.message or text.strip() or _phrase(response.status)
        cls = error_class_for_status(response.status) if fallback is None else ApiError
        return cls(
            response.status,
            message,
            code=info.code,
            more_info=info.more_info,
            details=info.details,
            method=method,
            url=url,
            template=template,
            request_id=self._request_id(response),
            attempts=attempts,
            body=text,
        )


def decode_text(body: bytes, response: Response) -> str:
    """A text body decoded by its declared charset (UTF-8 when none is named)."""
    declared = response.header("Content-Type") or ""
    charset = "utf-8"
    for part in declared.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"')
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def decode_stdlib(body: bytes) -> Any:
    """Decode a JSON body with the standard library (ValueError for any failure)."""
    if len(body) >= BULK_BYTES and gc.isenabled():
        return paused(_stdlib, body)
    return _stdlib(body)


def _stdlib(body: bytes) -> Any:
    try:
        return _stdlib_decode(body.decode())
    except RecursionError:
        # A hostile body nested deeper than the interpreter's stack.
        raise ValueError("the JSON body is nested too deeply") from None


def json_decoder() -> Callable[[bytes], Any]:
    """orjson's decoder when orjson is installed (the ``speed`` extra), else the stdlib's.

    Whatever orjson rejects goes on to the standard library, so a body is an error with
    either decoder or with neither; only the rare values the stdlib takes and orjson does
    not (NaN, lone surrogates, nesting past 1,024 levels) pay for the second try. One
    difference stays: orjson decodes integers beyond 64 bits as floats. Either decoder
    pauses the garbage collector for a body of :data:`BULK_BYTES` or more (see
    :func:`paused`).
    """
    try:
        from orjson import loads
    except ImportError:
        return decode_stdlib

    def either(body: bytes) -> Any:
        try:
            return loads(body)
        except ValueError:
            return _stdlib(body)

    def decode(body: bytes) -> Any:
        if len(body) >= BULK_BYTES and gc.isenabled():
            return paused(either, body)
        # Inline rather than either(body): one Python call less on every small answer.
        try:
            return loads(body)
        except ValueError:
            return _stdlib(body)

    return decode


BULK_BYTES = 64 * 1024
"""From this size on (a page of a list) a body is decoded with the garbage collector paused."""


def paused(decode: Callable[[bytes], Any], body: bytes) -> Any:
    """``decode(body)`` with the cyclic garbage collector off while it runs.

    Every object a decoder makes is alive until it returns (it is part of the result), so
    a collection during the decode frees nothing; a page of 1,000 challenges makes ~30,000
    containers, which set off dozens of collections that walk them (and the whole heap,
    once they count as long-lived). Pausing measured 12.2 -> 9.3 µs CPU per streamed item
    (bench/PROFILE.md). The collector is only paused, for the decode (milliseconds); the
    callers leave it alone when the application turned it off.
    """
    gc.disable()
    try:
        return decode(body)
    finally:
        gc.enable()


def decode_first(body: bytes) -> Any:
    """Choose the decoder, bind it as :func:`decode_json` and decode ``body`` with it."""
    # orjson pulls in dataclasses, uuid and inspect (≈ 14 ms on a bare interpreter, under
    # 1 ms once aiohttp is loaded), so it is chosen on the first decoded answer, not at import.
    global decode_json
    decode_json = json_decoder()
    return decode_json(body)


decode_json: Callable[[bytes], Any] = decode_first
"""Decode a 2xx JSON body (ValueError when it is not JSON); read it as ``_answers.decode_json``."""


def _code(value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return value
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP status {status}"
