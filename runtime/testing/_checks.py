"""Requests checked against the spec before the generic layer acts on them.

A required parameter that is missing, a value outside its enum, of the wrong type or
length, or a date that does not parse answers 400 with Twilio's error body naming the
parameter. The code is the service's documented one where Twilio has one (Verify's
60200 for every Verify parameter, 21211/21212 for a ``To``/``From`` that is not a phone
number), and the emulator's generic 20400 otherwise; an API's behaviour module may name
its own codes per parameter (Messages' 21604 for a missing ``To``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ._catalog import OpSpec, ParamSpec
from ._core import TwilioProblem

__all__ = [
    "ERROR_CODES",
    "GENERIC_CODE",
    "PAGING_PARAMS",
    "RULE_CODES",
    "check_request",
    "is_phone_number",
]

GENERIC_CODE = 20400
"""The emulator's code for a broken parameter where Twilio documents none."""

ERROR_CODES = {
    20003: "401: the credentials are not an account's, a subaccount's or an API key's",
    20004: "405: the path exists, the method does not",
    20400: "400: a parameter breaks the spec (the emulator's generic code)",
    20404: "404: no such resource (also another account's, and a finished verification)",
    21201: "400: a call without To",
    21211: "400: a To that is not a phone number",
    21212: "400: a From that is not a phone number",
    21213: "400: a call without From",
    21602: "400: a message without Body, MediaUrl or ContentSid",
    21603: "400: a message without From or MessagingServiceSid",
    21604: "400: a message without To",
    60200: "400: a Verify parameter breaks the spec or Verify's rules",
    60202: "429: more than 5 checks of one verification",
    60203: "429: more than 5 sends to one destination in 10 minutes",
}
"""Every Twilio error code the generic layer and the behaviour modules answer with."""

RULE_CODES = frozenset({21201, 21213, 21602, 21603, 21604, 60202, 60203})
"""Codes of an API's own rules, beyond what its spec states."""

PAGING_PARAMS = frozenset(
    {"PageSize", "Page", "PageToken", "Size", "Token", "pageSize", "pageToken"}
)
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*:.+$", re.IGNORECASE)
_HOST_CODES = {"verify.twilio.com": 60200}
_FORMAT_CODES = {"To": 21211, "From": 21212}


def is_phone_number(value: str) -> bool:
    """E.164 (``+15017122661``), or an address with a channel (``whatsapp:+1...``, ``client:``)."""
    if _E164.match(value):
        return True
    if _ADDRESS.match(value):
        rest = value.split(":", 1)[1]
        return not rest.startswith("+") or bool(_E164.match(rest))
    return False


def _problem(op: OpSpec, name: str, message: str, codes: Mapping[str, int]) -> TwilioProblem:
    code = codes.get(name) or _HOST_CODES.get(op.host, GENERIC_CODE)
    return TwilioProblem(400, code, message)


def _value_problem(param: ParamSpec, value: str, schemas: Any) -> str | None:
    schema = param.schema
    if schema.get("type") == "array":
        item = schemas.resolve(schema.get("items") or {})
        return _value_problem(ParamSpec(param.name, param.location, False, item), value, schemas)
    kind = schema.get("type")
    enum = schema.get("enum")
    if enum and value not in enum:
        return f"{value!r} is not one of {', '.join(map(str, enum))}"
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            return f"{value!r} is not an integer"
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and int(value) < low) or (high is not None and int(value) > high):
            return f"must be between {low} and {high}"
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            return f"{value!r} is not a number"
    elif kind == "boolean":
        if value.lower() not in ("true", "false"):
            return f"{value!r} is not true or false"
    elif kind == "string":
        fmt = schema.get("format")
        low, high = schema.get("minLength"), schema.get("maxLength")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            return f"must be {low or 0} to {high or 'any number of'} characters long"
        if fmt == "phone-number" and not is_phone_number(value):
            return f"the number {value!r} is not a valid phone number"
        if fmt == "date-time":
            try:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return f"{value!r} is not an ISO 8601 date-time"
        if fmt == "date":
            try:
                dt.date.fromisoformat(value[:10])
            except ValueError:
                return f"{value!r} is not a date"
    return None


def check_request(
    op: OpSpec,
    query: Mapping[str, list[str]],
    form: Mapping[str, list[str]],
    json_body: Any,
    headers: Mapping[str, str],
    codes: Mapping[str, int] | None = None,
) -> None:
    """Raise the Twilio 400 for the first parameter of ``op`` the request breaks.

    Args:
        query, form: every value of each query and form key.
        json_body: the decoded JSON body of a JSON operation (None otherwise).
        codes: the codes of the API's behaviour module for a missing parameter.
    """
    codes = codes or {}
    for param in op.params:
        if param.location == "path" or param.name in PAGING_PARAMS:
            continue
        if param.location == "header":
            values = [headers[param.name]] if param.name in headers else []
        else:
            values = list((query if param.location == "query" else form).get(param.name, ()))
        if not values:
            if param.required:
                where = "query" if param.location == "query" else "post body"
                message = f"Missing required parameter {param.name} in the {where}"
                raise _problem(op, param.name, message, codes)
            continue
        for value in values:
            reason = _value_problem(param, value, op.schemas)
            if reason is not None:
                phone = param.schema.get("format") == "phone-number"
                own = _FORMAT_CODES if phone and op.host not in _HOST_CODES else {}
                message = f"Invalid parameter {param.name}: {reason}"
                raise _problem(op, param.name, message, own)
    if op.body == "json":
        schema = op.schemas.resolve(op.body_schema)
        required = schema.get("required") or ()
        if required and not isinstance(json_body, Mapping):
            raise _problem(op, "body", "Invalid request body: expected a JSON object", {})
        for name in required:
            if name not in json_body:
                message = f"Missing required parameter {name} in the request body"
                raise _problem(op, name, message, codes)
