"""Accounts, subaccounts, API keys and OAuth tokens: who may call, and as which account.

The main account, every subaccount created through ``POST /2010-04-01/Accounts.json``
and every API key created through the 2010 API's ``Keys`` or IAM's ``/v1/Keys`` become
credentials the emulator accepts at once. A subaccount sees its own data only; its
parent sees the subaccount's data too (by its ``/Accounts/{Sid}`` paths). OAuth client
credentials (``/v2/token``) get a bearer token that acts for the main account.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable

from aiohttp import web

from ._generic import Call, Generic

__all__ = ["Accounts"]

_ACCOUNTS = "/2010-04-01/Accounts"


class Accounts:
    """The credentials registry and the behaviour of the account and key operations."""

    def __init__(self, main_sid: str, main_token: str, main_key: str, main_secret: str) -> None:
        self.main = main_sid
        self._tokens = {main_sid: main_token}
        self._keys = {main_key: (main_secret, main_sid)}
        self.parents: dict[str, str] = {}
        self._bearer: dict[str, str] = {}

    def token(self, account_sid: str) -> str:
        """The auth token of an account (its callbacks are signed with it)."""
        return self._tokens.get(account_sid) or self._tokens[self.main]

    def authenticate(self, user: str, password: str) -> str | None:
        """The account SID that ``user:password`` acts as, or None."""
        token = self._tokens.get(user)
        if token is not None and hmac.compare_digest(token.encode(), password.encode()):
            return user
        key = self._keys.get(user)
        if key is not None and hmac.compare_digest(key[0].encode(), password.encode()):
            return key[1]
        return None

    def bearer(self, token: str) -> str | None:
        """The account an OAuth access token acts for, or None."""
        return self._bearer.get(token)

    def owns(self, caller: str, owner: str) -> bool:
        """Whether ``caller`` may act on ``owner``'s data (itself, or a subaccount of it)."""
        return caller == owner or self.parents.get(owner) == caller

    def visible(self, caller: str) -> Iterable[str]:
        """The accounts ``caller`` can list."""
        return [caller, *(sub for sub, parent in self.parents.items() if parent == caller)]

    def register(self, generic: Generic) -> None:
        """Serve the account, key and token operations with these rules."""
        generic.account_guard = self.owns
        api = "api.twilio.com"
        generic.register(api, "CreateAccount", self._create_account)
        generic.register(api, "ListAccount", self._list_accounts)
        for host in (api, "iam.twilio.com"):
            generic.register(host, "CreateNewKey", self._create_key)
            generic.register(host, "DeleteKey", self._delete_key)
        for op in generic.catalog.operations:
            if op.path.rstrip("/").endswith("/token") and op.method == "POST":
                generic.register(op.host, op.id, self._create_token)

    def seed(self, generic: Generic) -> None:
        """Store the main account, so it can be fetched and listed like a subaccount."""
        op = next((o for o in generic.catalog.operations if o.id == "FetchAccount"), None)
        if op is None:
            return
        record = {
            "sid": self.main,
            "friendly_name": "trunkline emulator",
            "owner_account_sid": self.main,
            "status": "active",
            "type": "Full",
            "auth_token": self._tokens[self.main],
            "uri": f"{_ACCOUNTS}/{self.main}.json",
        }
        generic.store.put(("", op.host, _ACCOUNTS), self.main, record)

    async def _create_account(self, call: Call) -> web.StreamResponse:
        token = secrets.token_hex(16)
        record = call.generic.create(
            call, auth_token=token, owner_account_sid=call.account, status="active", type="Full"
        )
        self._tokens[record["sid"]] = token
        self.parents[record["sid"]] = call.account
        return call.respond(call.render(record))

    async def _list_accounts(self, call: Call) -> web.StreamResponse:
        mine = set(self.visible(call.account))
        return call.generic.page(call, [r for r in call.generic.matching(call) if r["sid"] in mine])

    async def _create_key(self, call: Call) -> web.StreamResponse:
        owner = call.path_account or call.field("AccountSid") or call.account
        secret = secrets.token_hex(16)
        record = call.generic.create(call, secret=secret)
        self._keys[record["sid"]] = (secret, owner)
        return call.respond(call.render(record))

    async def _delete_key(self, call: Call) -> web.StreamResponse:
        response = call.generic.default(call)
        self._keys.pop(call.path.removesuffix(".json").rsplit("/", 1)[-1], None)
        return response

    async def _create_token(self, call: Call) -> web.StreamResponse:
        token = "emu-" + secrets.token_hex(16)
        self._bearer[token] = self.main
        record = call.generic.create(call, access_token=token, token_type="Bearer", expires_in=3600)
        return call.respond(call.render(record))
