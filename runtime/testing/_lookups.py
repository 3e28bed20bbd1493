"""Lookups v2 in the emulator: deterministic answers about a phone number, no carrier data.

A number in E.164 form whose country code the emulator knows is valid, with its ISO
country and its national format (``(415) 555-0100`` for the NANP); anything else is
marked invalid with the reason Lookups gives (``NOT_A_NUMBER``, ``TOO_SHORT``,
``TOO_LONG``, ``INVALID_COUNTRY_CODE``). A national number with ``CountryCode`` is read
in that country. Nothing is stored.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from aiohttp import web

from ._generic import Call, Generic

_HOST = "lookups.twilio.com"

__all__ = ["Lookups", "describe"]

# Calling code → (ISO country, national digits allowed, trunk prefix for national format).
_COUNTRIES = {
    "1": ("US", (10,), ""),
    "44": ("GB", (9, 10), "0"),
    "49": ("DE", (6, 7, 8, 9, 10, 11), "0"),
    "33": ("FR", (9,), "0"),
    "34": ("ES", (9,), ""),
    "39": ("IT", (6, 7, 8, 9, 10, 11), ""),
    "31": ("NL", (9,), "0"),
    "61": ("AU", (9,), "0"),
    "81": ("JP", (9, 10), "0"),
    "91": ("IN", (10,), "0"),
    "55": ("BR", (10, 11), ""),
    "52": ("MX", (10,), ""),
    "86": ("CN", (10, 11), "0"),
}
_ISO_TO_CODE = {iso: code for code, (iso, _, _) in _COUNTRIES.items()}


def describe(number: str, country: str | None = None) -> dict[str, object]:
    """What Lookups v2 says about ``number`` (the basic fields, no data packages)."""
    text = re.sub(r"[\s().-]", "", number)
    if not text.startswith("+") and country and country.upper() in _ISO_TO_CODE:
        text = "+" + _ISO_TO_CODE[country.upper()] + text.lstrip("0")
    base: dict[str, object] = {
        "phone_number": number,
        "valid": False,
        "validation_errors": [],
        "country_code": None,
        "calling_country_code": None,
        "national_format": None,
    }
    if not re.fullmatch(r"\+[0-9]+", text):
        base["validation_errors"] = ["NOT_A_NUMBER"]
        return base
    digits = text[1:]
    code = next((c for c in ("1", *sorted(_COUNTRIES, key=len)) if digits.startswith(c)), None)
    if code is None:
        base["validation_errors"] = ["INVALID_COUNTRY_CODE"]
        return base
    iso, lengths, trunk = _COUNTRIES[code]
    national = digits[len(code) :]
    base.update(phone_number=text, country_code=iso, calling_country_code=code)
    if len(national) < min(lengths):
        base["validation_errors"] = ["TOO_SHORT"]
        return base
    if len(national) > max(lengths):
        base["validation_errors"] = ["TOO_LONG"]
        return base
    if code == "1" and national[0] in "01":
        base["validation_errors"] = ["INVALID_BUT_POSSIBLE"]
        return base
    if code == "1":
        formatted = f"({national[:3]}) {national[3:6]}-{national[6:]}"
    else:
        formatted = trunk + national
    base.update(valid=True, national_format=formatted)
    return base


class Lookups:
    """Serves Lookups v2 ``FetchPhoneNumber`` from :func:`describe`."""

    def register(self, generic: Generic) -> None:
        """Take over the Lookups v2 phone number fetch."""
        generic.register(_HOST, "FetchPhoneNumber", self._fetch)

    async def _fetch(self, call: Call) -> web.StreamResponse:
        if not call.path.startswith("/v2/"):
            return call.generic.default(call)
        number = unquote(call.values["PhoneNumber"])
        record = describe(number, call.request.query.get("CountryCode"))
        record["url"] = f"https://{call.op.host}{call.path}"
        return call.respond(call.render(record))
