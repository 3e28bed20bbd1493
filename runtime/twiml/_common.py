"""Elements more than one kind of TwiML nests: ``<Redirect>`` and ``<Parameter>``."""

from __future__ import annotations

from ._core import AttrValue, TwiML
from ._types import HttpMethod

__all__ = ["Parameter", "Redirect"]


class _WithParameter(TwiML):
    def parameter(
        self,
        *,
        name: str | None = None,
        value: str | None = None,
        **extra: AttrValue | None,
    ) -> Parameter:
        """Add ``<Parameter>``: a custom name/value parameter."""
        return self._add(Parameter, locals())


class _WithRedirect(TwiML):
    def redirect(
        self,
        url: str,
        *,
        method: HttpMethod | None = None,
        **extra: AttrValue | None,
    ) -> Redirect:
        """Add ``<Redirect>``: fetches TwiML from another URL."""
        return self._add(Redirect, locals())


class Parameter(TwiML):
    """``<Parameter>``: a custom name/value parameter."""

    tag = "Parameter"


class Redirect(TwiML):
    """``<Redirect>``: fetches TwiML from another URL."""

    tag = "Redirect"
    _text_arg = "url"
