"""The client options: declared once, taken as keywords by every client, checked up front."""

from __future__ import annotations

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

from .conftest import ACCOUNT_SID, AUTH_TOKEN, FETCH, PATH


async def test_a_kept_set_of_options_reaches_the_client() -> None:
    """Options kept as one ClientOptions value and splatted behave as keyword arguments."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(200, json={})

    retry = trunkline.RetryPolicy(attempts=1)
    opts: trunkline.ClientOptions = {
        "transport": MockTransport(handler),
        "base_url": "http://127.0.0.1:9",
        "timeout": 7,
        "retry": retry,
    }
    async with trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, **opts) as client:
        await client.request(FETCH, PATH)
        assert client.retry is retry
        assert client.timeout.total == 7
    assert seen[0].url.startswith("http://127.0.0.1:9/v2/Services/")


@pytest.mark.parametrize(
    "make",
    [
        lambda: trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, max_conections=5),  # type: ignore[call-arg]
        lambda: trunkline.SignalWire("p", "t", space="s", max_conections=5),  # type: ignore[call-arg]
        lambda: trunkline.Ziggeo("app", "key", max_conections=5),  # type: ignore[call-arg]
    ],
)
def test_an_unknown_option_is_a_type_error_naming_it(make: object) -> None:
    """A misspelt option fails at construction with its name, as an unknown keyword does."""
    with pytest.raises(TypeError, match="max_conections"):
        make()  # type: ignore[operator]


def test_values_out_of_range_are_refused_for_every_client() -> None:
    """The option checks live once and apply to SignalWire and Ziggeo as to Twilio."""
    with pytest.raises(trunkline.ValidationError, match="max_connections"):
        trunkline.SignalWire("p", "t", space="s", max_connections=0)
    with pytest.raises(trunkline.ValidationError, match="max_pages"):
        trunkline.Ziggeo("app", "key", max_pages=0)
    with pytest.raises(trunkline.ValidationError, match="session or transport"):
        trunkline.Twilio(
            ACCOUNT_SID,
            AUTH_TOKEN,
            transport=MockTransport(lambda r: Response(200)),
            session=object(),  # type: ignore[arg-type]
        )
