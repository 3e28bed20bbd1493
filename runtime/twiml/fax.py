"""Fax TwiML: ``FaxResponse`` with ``<Receive>``."""

from __future__ import annotations

from typing import Literal

from ._core import AttrValue, TwiML
from ._types import HttpMethod

__all__ = ["FaxResponse", "Receive"]


class _WithReceive(TwiML):
    def receive(
        self,
        *,
        action: str | None = None,
        method: HttpMethod | None = None,
        media_type: Literal["application/pdf", "image/tiff"] | None = None,
        page_size: Literal["letter", "legal", "a4"] | None = None,
        store_media: bool | None = None,
        **extra: AttrValue | None,
    ) -> Receive:
        """Add ``<Receive>``: receives a fax."""
        return self._add(Receive, locals())


class Receive(TwiML):
    """``<Receive>``: receives a fax."""

    tag = "Receive"


class FaxResponse(_WithReceive):
    """The ``<Response>`` of a fax webhook's TwiML; ``str()`` of it is the document."""

    tag = "Response"
