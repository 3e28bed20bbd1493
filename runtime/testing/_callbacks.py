"""Status callbacks: form POSTs to the user's URL, signed as Twilio signs them.

The signature is the project's own :class:`trunkline.webhooks.RequestValidator` over the
URL and the form fields, keyed by the auth token of the account that owns the resource,
so a receiver validating with that token accepts it. Callbacks go to loopback hosts
only (the emulator never reaches the network); others are recorded as not delivered.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import attrs

__all__ = ["Callbacks", "Delivery"]


@attrs.frozen
class Delivery:
    """One status callback: where it went, what it said, and the receiver's status (or None)."""

    url: str
    params: Mapping[str, str]
    signature: str
    status: int | None
    error: str | None = None


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Callbacks:
    """Sends callbacks in the background; :meth:`flush` waits for them.

    Args:
        token_for: the auth token of an account SID (the signing key).
    """

    def __init__(self, token_for: Callable[[str], str]) -> None:
        self._token_for = token_for
        self._tasks: set[asyncio.Task[None]] = set()
        self.deliveries: list[Delivery] = []

    def send(self, url: str, params: Mapping[str, str], account_sid: str) -> None:
        """Schedule one POST of ``params`` to ``url`` on the running event loop (without one,
        it is recorded as not delivered)."""
        from trunkline.webhooks import RequestValidator

        signature = RequestValidator(self._token_for(account_sid)).compute_signature(url, params)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.deliveries.append(Delivery(url, params, signature, None, "no running event loop"))
            return
        task = loop.create_task(self._post(url, dict(params), signature))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, url: str, params: dict[str, str], signature: str) -> None:
        if not _loopback(url):
            self.deliveries.append(Delivery(url, params, signature, None, "not a loopback URL"))
            return
        import aiohttp

        headers = {"X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1"}
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.post(url, data=params, headers=headers) as response,
            ):
                await response.read()
                self.deliveries.append(Delivery(url, params, signature, response.status))
        except (aiohttp.ClientError, OSError) as exc:
            self.deliveries.append(Delivery(url, params, signature, None, type(exc).__name__))

    async def flush(self) -> None:
        """Wait until every scheduled callback has been delivered (or failed)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
