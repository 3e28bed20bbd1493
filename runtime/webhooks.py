"""Checking that a webhook request really came from Twilio (``X-Twilio-Signature``).

The signature is the base64 HMAC of the full request URL followed by every form parameter,
sorted by name, as name then value with no separators. HMAC-SHA1 keyed with the auth token is
the default; a request carrying ``X-Twilio-Webhooks-Signature-Settings:
key=…,algorithm=HMAC_SHA256`` is signed with HMAC-SHA256 under that shared key instead.
The rules, by request:

- a form POST (``application/x-www-form-urlencoded``): the URL, then each parameter;
- a JSON (or any non-form) body: the URL alone, which carries the body's SHA-256 (hex) in
  its ``bodySHA256`` query parameter; the body must hash to it;
- a GET: the URL alone (its query is part of it).

Because Twilio is not consistent about the default port, the URL is tried both with and
without it. Form values may be given as a plain mapping (``str`` or sequence values, and
other scalars as their ``str``), a multi-valued form (aiohttp's ``getall``, Starlette's
``getlist``) or the raw body, which is parsed as a form unless the URL has ``bodySHA256``::

    validator = RequestValidator(auth_token)
    if not validator.validate(url, form, request.headers["X-Twilio-Signature"]):
        return web.Response(status=403)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Literal
from urllib.parse import parse_qs, parse_qsl, urlsplit, urlunsplit

import attrs

from .tokens._checks import text

__all__ = [
    "SIGNATURE_HEADER",
    "SIGNATURE_SETTINGS_HEADER",
    "Params",
    "RequestValidator",
    "parse_form",
    "signature_algorithm",
]

SIGNATURE_HEADER = "X-Twilio-Signature"
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"

Algorithm = Literal["HMAC_SHA1", "HMAC_SHA256"]
Params = Mapping[str, object]
"""Form parameters: a value is a str, a sequence of them, or a scalar signed as its ``str``."""
_DIGESTS = {"HMAC_SHA1": "sha1", "HMAC_SHA256": "sha256"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def signature_algorithm(settings_header: str | None) -> str:
    """The algorithm named by ``X-Twilio-Webhooks-Signature-Settings`` (HMAC_SHA1 if none)."""
    for part in (settings_header or "").split(","):
        name, equals, value = part.partition("=")
        if equals and name.strip() == "algorithm" and value.strip():
            return value.strip().upper()
    return "HMAC_SHA1"


def _url_variants(url: str) -> tuple[str, ...]:
    """The URL without any port and with the scheme's default port added when it has none."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"webhook URL has an invalid port: {url!r}") from None
    userinfo, at, hostport = parts.netloc.rpartition("@")
    prefix = userinfo + at
    host = hostport
    if port is not None:
        host = hostport[: hostport.rindex(":")]
    without = urlunsplit(parts._replace(netloc=prefix + host))
    if port is not None:
        with_port = urlunsplit(parts)
    else:
        default = _DEFAULT_PORTS.get(parts.scheme.lower(), 80)
        with_port = urlunsplit(parts._replace(netloc=f"{prefix}{host}:{default}"))
    return (without, with_port) if without != with_port else (without,)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, bool):
        # Twilio writes booleans in lower case; a framework that parsed one back must match.
        return "true" if value else "false"
    return str(value)


def _values(params: Params, name: str) -> list[str]:
    # A multi-valued form maps a name to its first value only; its own accessor has them all.
    for accessor in ("getall", "getlist"):
        every = getattr(params, accessor, None)
        if callable(every):
            return [_text(v) for v in every(name)]
    value = params[name]
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return [_text(v) for v in value]
    return [_text(value)]


def parse_form(body: str | bytes) -> dict[str, list[str]]:
    """A form-encoded body as each name's values, blanks kept (Twilio signs them too)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    form: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        form.setdefault(name, []).append(value)
    return form


@attrs.frozen
class RequestValidator:
    """Computes and checks Twilio webhook signatures for one signing secret.

    Args:
        auth_token: the account's auth token, or the shared key's secret for requests that
            carry ``X-Twilio-Webhooks-Signature-Settings``. Never shown in ``repr``.
    """

    auth_token: str = attrs.field(repr=False, validator=text())

    def compute_signature(
        self, url: str, params: Params | None = None, *, algorithm: str = "HMAC_SHA1"
    ) -> str:
        """The signature Twilio sends for ``url`` and form ``params`` (also for signing tests).

        Repeated parameters (a sequence value) contribute each value, sorted.

        Raises:
            ValueError: an algorithm other than HMAC_SHA1 or HMAC_SHA256.
        """
        digest = _DIGESTS.get(algorithm.upper())
        if digest is None:
            raise ValueError(
                f"webhook signature algorithm must be HMAC_SHA1 or HMAC_SHA256, not {algorithm!r}"
            )
        pieces = [url]
        for name in sorted(set(params or {})):
            for value in sorted(_values(params or {}, name)):
                pieces.append(name + value)
        mac = hmac.digest(self.auth_token.encode("utf-8"), "".join(pieces).encode("utf-8"), digest)
        return base64.b64encode(mac).decode("ascii")

    @staticmethod
    def body_hash(body: str | bytes) -> str:
        """The ``bodySHA256`` value for a JSON body: lowercase hex SHA-256."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        return hashlib.sha256(data).hexdigest()

    def validate(
        self,
        url: str,
        params: Params | str | bytes | None,
        signature: str,
        *,
        algorithm: str | None = None,
        signature_settings: str | None = None,
    ) -> bool:
        """Whether ``signature`` is Twilio's for this request.

        Args:
            url: the full URL Twilio requested, query string included.
            params: the form parameters, or the raw body (``str``/``bytes``): a JSON body
                when the URL carries ``bodySHA256``, otherwise a form body.
            signature: the ``X-Twilio-Signature`` header.
            algorithm: ``"HMAC_SHA1"`` or ``"HMAC_SHA256"``; by default taken from
                ``signature_settings``.
            signature_settings: the ``X-Twilio-Webhooks-Signature-Settings`` header, if any.

        An algorithm this library does not know (a newer one named by the header) fails
        validation rather than raising.

        Raises:
            ValueError: both ``algorithm`` and ``signature_settings`` given, or an invalid URL port.
        """
        if algorithm is not None and signature_settings is not None:
            raise ValueError("pass algorithm or signature_settings, not both")
        chosen = (algorithm or signature_algorithm(signature_settings)).upper()
        if chosen not in _DIGESTS or not isinstance(signature, str):
            return False
        form: Params | None
        body_ok = True
        if isinstance(params, str | bytes):
            expected = parse_qs(urlsplit(url).query).get("bodySHA256")
            if expected:
                body_ok = hmac.compare_digest(self.body_hash(params).encode(), expected[0].encode())
                form = None
            else:
                form = parse_form(params)
        else:
            form = params
        given = signature.encode("utf-8")
        matched = False
        for candidate in _url_variants(url):
            computed = self.compute_signature(candidate, form, algorithm=chosen).encode("ascii")
            matched |= hmac.compare_digest(computed, given)
        return body_ok and matched

    def validate_request(
        self, url: str, params: Params | str | bytes | None, headers: Mapping[str, str]
    ) -> bool:
        """:meth:`validate` reading the signature and settings headers (any case) itself."""
        lowered = {name.lower(): value for name, value in headers.items()}
        signature = lowered.get(SIGNATURE_HEADER.lower())
        if signature is None:
            return False
        return self.validate(
            url,
            params,
            signature,
            signature_settings=lowered.get(SIGNATURE_SETTINGS_HEADER.lower()),
        )
