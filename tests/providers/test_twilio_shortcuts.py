"""The Twilio client's shortcuts to the account-level 2010 resources (``tw.messages``)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from urllib.parse import parse_qs, urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response

ACCOUNT = "AC" + "a" * 32


def test_shortcuts_are_twilio_pythons_account_level_resources() -> None:
    """Each top-level twilio-python property for a 2010 resource trunkline has is a shortcut."""
    rest = pytest.importorskip("twilio.rest")
    client = rest.Client(ACCOUNT, "x")
    tw = trunkline.Twilio(ACCOUNT, "token")
    account = client.api.v2010.account
    expected = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in dir(type(client)):
            inner = getattr(type(account), name, None)
            if name.startswith("_") or not isinstance(inner, property):
                continue
            if type(getattr(client, name)) is type(getattr(account, name)):
                expected.append(name)
    assert "messages" in expected
    present = [name for name in expected if hasattr(tw.api.v2010, name)]
    # twilio-python mounts these creates apart; here they are ``keys.create``,
    # ``signing_keys.create`` and ``outgoing_caller_ids.create`` (the same URLs).
    assert set(expected) - set(present) == {"new_keys", "new_signing_keys", "validation_requests"}
    for name in present:
        assert type(getattr(tw, name)) is type(getattr(tw.api.v2010, name)), name


async def test_messages_shortcut_sends_to_the_clients_account() -> None:
    """``tw.messages.create`` posts to the client's account, as ``tw.api.v2010.messages`` does."""
    sent: list[Request] = []

    def handler(request: Request) -> Response:
        sent.append(request)
        return Response(201, json={"sid": "SM1", "body": "hi"})

    async with trunkline.Twilio(ACCOUNT, "token", transport=MockTransport(handler)) as tw:
        message = await tw.messages.create(to="+15558675310", from_="+15017122661", body="hi")
    assert message.sid == "SM1"
    (request,) = sent
    assert (request.method, urlsplit(request.url).path) == (
        "POST",
        f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
    )
    assert parse_qs((request.content or b"").decode()) == {
        "To": ["+15558675310"],
        "From": ["+15017122661"],
        "Body": ["hi"],
    }


def test_shortcuts_load_lazily() -> None:
    """Touching ``tw.messages`` imports the messages module and none of its siblings."""
    code = (
        "import sys, trunkline\n"
        "tw = trunkline.Twilio('AC' + '0' * 32, 'token')\n"
        "assert tw.messages is tw.messages\n"
        "v2010 = 'trunkline.generated.twilio.api.v2010.'\n"
        "loaded = (m[len(v2010) :] for m in sys.modules if m.startswith(v2010))\n"
        "print(sorted(m for m in loaded if not m.startswith('models')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['_shortcuts', 'messages']"
