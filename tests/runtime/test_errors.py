"""The error tree and how errors read."""

from __future__ import annotations

import pytest

import trunkline
from trunkline._errors import MAX_BODY_CHARS, error_class_for_status


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, trunkline.BadRequestError),
        (401, trunkline.AuthenticationError),
        (403, trunkline.PermissionDeniedError),
        (404, trunkline.NotFoundError),
        (409, trunkline.ConflictError),
        (422, trunkline.UnprocessableEntityError),
        (429, trunkline.RateLimitError),
        (500, trunkline.ServerError),
        (503, trunkline.ServerError),
        (418, trunkline.ApiError),
    ],
)
def test_status_classes(status: int, cls: type[trunkline.ApiError]) -> None:
    """Each status maps to its ApiError subclass; others to ApiError itself."""
    assert error_class_for_status(status) is cls


def test_tree() -> None:
    """Every error derives from TrunklineError; timeouts are connection errors."""
    assert issubclass(trunkline.ApiError, trunkline.TrunklineError)
    assert issubclass(trunkline.ServerError, trunkline.ApiError)
    assert issubclass(trunkline.ApiTimeoutError, trunkline.ApiConnectionError)
    assert issubclass(trunkline.ApiConnectionError, trunkline.TrunklineError)
    assert issubclass(trunkline.PagingError, trunkline.TrunklineError)


def test_tree_drawn_in_docstring() -> None:
    """The errors module's docstring draws every class of the tree."""
    import trunkline._errors as errors

    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name[0].isupper():
            assert name in doc


def test_api_error_reads_well() -> None:
    """str() gives status, method, URL, code, message, link, request id and attempts."""
    err = trunkline.NotFoundError(
        404,
        "The requested resource was not found",
        code=20404,
        more_info="https://www.twilio.com/docs/errors/20404",
        method="GET",
        url="https://verify.twilio.com/v2/Services/VA1",
        request_id="RQ123",
        attempts=2,
    )
    text = str(err)
    for part in (
        "HTTP 404",
        "GET https://verify.twilio.com/v2/Services/VA1",
        "code 20404",
        "not found",
        "docs/errors/20404",
        "RQ123",
        "2 attempts",
    ):
        assert part in text
    assert "NotFoundError(status=404" in repr(err)


def test_body_limit_is_bounded() -> None:
    """The body kept on an error is bounded by a documented constant."""
    assert 100 <= MAX_BODY_CHARS <= 10_000


def test_messages_show_the_path_template_not_path_values() -> None:
    """With the operation's template, str() and repr() show it in place of the filled path."""
    err = trunkline.NotFoundError(
        404,
        "not found",
        method="GET",
        url="https://lookups.twilio.com/v2/PhoneNumbers/%2B15005550006?Fields=line_type",
        template="/v2/PhoneNumbers/{PhoneNumber}",
    )
    expected = "https://lookups.twilio.com/v2/PhoneNumbers/{PhoneNumber}?Fields=…"
    for text in (str(err), repr(err)):
        assert expected in text
        assert "15005550006" not in text
        assert "line_type" not in text
    assert "15005550006" in err.url
