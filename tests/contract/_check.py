"""Calling one generated method with a :class:`CallPlan` and judging what came back.

A refusal by Prism (its statuses for a request that breaks the spec) is a contract
violation; a 2xx answer must decode into the model the method is annotated to return,
with every value the response carried still there.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import json
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

from trunkline._operation import Operation
from trunkline._paging import Page

from ._record import Exchange
from ._spec import SpecOperation, resolve
from ._synth import WHOLE_BODY, CallPlan, python_name

__all__ = [
    "VIOLATION_STATUSES",
    "ArgumentError",
    "bind_arguments",
    "check_result",
    "missing_on_wire",
    "norm",
    "paging_problem",
]

VIOLATION_STATUSES = frozenset({400, 401, 404, 405, 406, 415, 422})
"""Prism's answers to a request that breaks the spec: 400 or 422 when a parameter or
body is invalid (400 when the spec defines a 400 response Prism can reuse), 401 for the
wrong auth scheme, 404/405 for an unknown path or method, 406 when the ``Accept`` header
names no media type the operation answers with, 415 for the wrong content type."""


CALL_OPTIONS = frozenset({"timeout", "headers", "idempotent", "page_size", "limit"})
"""Keyword arguments every generated method has for the call itself, not the API."""


class ArgumentError(Exception):
    """The generated signature cannot take the planned arguments."""


def norm(name: str) -> str:
    """A name with case and separators dropped, for matching spellings of one word run."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    module = inspect.getmodule(func)
    namespace = dict(vars(module)) if module is not None else {}
    namespace.setdefault("_Page", Page)
    try:
        return typing.get_type_hints(func, globalns=namespace)
    except Exception:  # an annotation the harness cannot evaluate is checked loosely
        return {}


def _coerce(value: Any, annotation: Any) -> Any:
    """Turn a plain dict (or list of them) into the model class an argument is typed as."""
    for option in typing.get_args(annotation) or (annotation,):
        if isinstance(value, Mapping) and attrs.has(option) and hasattr(option, "from_dict"):
            return option.from_dict(value)
        origin = typing.get_origin(option)
        if isinstance(value, list) and origin is list:
            (item,) = typing.get_args(option) or (Any,)
            return [_coerce(v, item) for v in value]
    return value


def bind_arguments(
    method: Callable[..., Any], plan: CallPlan
) -> tuple[list[Any], dict[str, Any], list[str]]:
    """Positional and keyword arguments for ``method``, plus notes on spelling differences.

    Each planned keyword is matched by its agreed name, then with the generator's
    collision suffixes (``_``, ``_<location>``), then by spelling alone (case and
    underscores ignored), which is noted.

    Raises:
        ArgumentError: a path value has no positional slot or a parameter no keyword.
    """
    signature = inspect.signature(method)
    hints = _hints(method)
    positional_names = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    keyword_names = {p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY}
    kwargs: dict[str, Any] = {}
    notes: list[str] = []
    # A path parameter the client can fill (Twilio's AccountSid) is keyword-only.
    path_args = []
    for arg in plan.positional:
        if arg.name in keyword_names and arg.name not in positional_names:
            kwargs[arg.name] = str(arg.value)
            notes.append(f"path parameter {arg.wire!r} is keyword-only")
        else:
            path_args.append(arg)
    if len(positional_names) != len(path_args):
        raise ArgumentError(
            f"the method takes positional {positional_names}, the path has "
            f"{[a.wire for a in path_args]}"
        )
    args = [str(a.value) for a in path_args]
    # Names an argument of another kind holds: the per-call options and path parameters.
    taken = CALL_OPTIONS | {python_name(w) for w in re.findall(r"\{([^}]+)\}", plan.operation.path)}
    for arg in plan.keywords:
        candidates = [arg.name, f"{arg.name}_", f"{arg.name}_{arg.location}"]
        name = next(
            (c for c in candidates if c in keyword_names and c not in kwargs and c not in taken),
            None,
        )
        if name is None:
            loose = [
                k
                for k in keyword_names
                if norm(k) == norm(arg.name) and k not in kwargs and k not in taken
            ]
            if len(loose) != 1:
                raise ArgumentError(
                    f"no keyword argument for {arg.location} parameter {arg.wire!r} "
                    f"(expected {arg.name!r})"
                )
            name = loose[0]
            notes.append(f"{arg.wire!r} is {name!r}, not {arg.name!r}")
        kwargs[name] = _coerce(arg.value, hints.get(name, Any))
    return args, kwargs, notes


def _expected_model(method: Callable[..., Any]) -> Any:
    annotation = _hints(method).get("return")
    if typing.get_origin(annotation) is Page:
        (annotation,) = typing.get_args(annotation)
    return annotation


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _compare_fields(model: Any, raw: Any, where: str) -> list[str]:
    """Values the response carried that the model lost or changed."""
    if not attrs.has(type(model)) or not isinstance(raw, Mapping):
        return []
    problems: list[str] = []
    for field in attrs.fields(type(model)):
        wire = field.metadata.get("wire", field.name)
        if field.name == "raw" or wire not in raw:
            continue
        sent = raw[wire]
        got = getattr(model, field.name)
        if sent is not None and got is None:
            problems.append(f"{where}{field.name}: response had {sent!r}, model has None")
        elif isinstance(sent, str | bool | int) and isinstance(got, str | bool | int | enum.Enum):
            if (type(sent) is not bool and isinstance(got, bool)) or _plain(got) != sent:
                problems.append(f"{where}{field.name}: response had {sent!r}, model has {got!r}")
        elif isinstance(sent, str) and isinstance(got, dt.date | dt.datetime) and not sent:
            problems.append(f"{where}{field.name}: empty date decoded as {got!r}")
    return problems


def check_result(
    method: Callable[..., Any], result: Any, response_text: str, items_key: str | None
) -> list[str]:
    """Why ``result`` is not the decoded 2xx response ``response_text``; empty when it is."""
    expected = _expected_model(method)
    try:
        raw: Any = json.loads(response_text) if response_text.strip() else None
    except ValueError:
        raw = None
    if isinstance(result, Page):
        items = list(result.items)
        raw_items = raw.get(items_key) if isinstance(raw, Mapping) and items_key else None
        problems = []
        if isinstance(raw_items, list) and len(raw_items) != len(items):
            problems.append(f"page has {len(items)} items, response had {len(raw_items)}")
        for i, item in enumerate(items):
            if inspect.isclass(expected) and expected is not Any and not isinstance(item, expected):
                problems.append(f"item {i} is {type(item).__name__}, not {expected.__name__}")
            elif isinstance(raw_items, list) and i < len(raw_items):
                problems.extend(_compare_fields(item, raw_items[i], f"item {i}: "))
        return problems
    if expected is type(None):
        return [] if result is None else [f"returned {type(result).__name__}, expected None"]
    if inspect.isclass(expected) and expected is not Any:
        if not isinstance(result, expected):
            return [f"returned {type(result).__name__}, not {expected.__name__}"]
        return _compare_fields(result, raw, "")
    return []


def _sent_fields(exchange: Exchange) -> tuple[dict[str, list[str]], dict[str, Any] | None]:
    query = parse_qs(urlsplit(exchange.url).query, keep_blank_values=True)
    body = bytes(exchange.body)
    content_type = next((v for k, v in exchange.headers.items() if k.lower() == "content-type"), "")
    if "json" in content_type:
        try:
            decoded = json.loads(body) if body else None
        except ValueError:
            decoded = None
        return query, decoded if isinstance(decoded, dict) else None
    form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return query, {k: v for k, v in form.items()}


def missing_on_wire(plan: CallPlan, exchange: Exchange) -> list[str]:
    """Planned arguments the request did not carry under their wire names.

    Prism ignores parameters it does not know and cannot tell a dropped optional one
    from one never passed, so the harness checks that each argument it passed went out
    under the spec's name, in the spec's place, with one repeated key per list item.
    """
    query, body = _sent_fields(exchange)
    headers = {k.lower() for k in exchange.headers}
    problems = []
    for arg in plan.keywords:
        count = len(arg.value) if isinstance(arg.value, list) else 1
        if arg.location == "header":
            if arg.wire.lower() not in headers:
                problems.append(f"header {arg.wire!r} was not sent")
        elif arg.location == "query":
            sent = len(query.get(arg.wire, []))
            if sent != count:
                problems.append(f"query {arg.wire!r} sent {sent} times, expected {count}")
        elif arg.wire == WHOLE_BODY:
            if body != arg.value:
                problems.append(f"the JSON body was {body!r}, not the {arg.value!r} passed")
        elif body is None or arg.wire not in body:
            problems.append(f"body field {arg.wire!r} was not sent")
        elif (
            isinstance(body[arg.wire], list)
            and plan.operation.content_type is not None
            and ("json" not in plan.operation.content_type)
            and len(body[arg.wire]) != count
        ):
            problems.append(f"form {arg.wire!r} sent {len(body[arg.wire])} times, expected {count}")
    return problems


def _response_schema(doc: Mapping[str, Any], op: SpecOperation) -> Mapping[str, Any] | None:
    node = resolve(doc, doc["paths"][op.path][op.method.lower()])
    for code in sorted(str(c) for c in node.get("responses", {})):
        if not code.startswith("2"):
            continue
        response = resolve(doc, node["responses"][code])
        for media in (response.get("content") or {}).values():
            if "schema" in media:
                schema: Mapping[str, Any] = resolve(doc, media["schema"])
                return schema
    return None


def _properties(doc: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """A schema's properties, those it takes in through ``allOf`` included, resolved."""
    schema = resolve(doc, schema)
    found: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        found.update(_properties(doc, part))
    found.update({k: resolve(doc, v) for k, v in (schema.get("properties") or {}).items()})
    return found


def paging_problem(doc: Mapping[str, Any], op: SpecOperation, declared: Operation) -> str | None:
    """Why the generated paging disagrees with the spec's response shape, or None.

    A Twilio list page is an object with the items array beside ``meta`` (holding
    ``next_page_url``, ``next_token`` or camelCase ``nextToken``) or, in the 2010 API,
    beside ``next_page_uri``.
    """
    schema = _response_schema(doc, op)
    props = _properties(doc, schema) if schema is not None else {}
    meta = _properties(doc, props["meta"]) if "meta" in props else {}
    arrays = [k for k, v in props.items() if k != "meta" and v.get("type") == "array"]
    # A GET that cannot start without a pageToken fetches one page; it is not a list.
    token_required = any(p.wire == "pageToken" and p.required for p in op.params)
    camel = "nextToken" in meta and bool(arrays) and not token_required
    pages = "next_page_url" in meta or "next_token" in meta or "next_page_uri" in props or camel
    if declared.paging in ("twilio_meta", "twilio_2010") and not pages:
        return (
            f"generated as a paged list ({declared.paging}), but the spec's response has no "
            f"meta.next_page_url or next_page_uri (properties {sorted(props)}, "
            f"meta {sorted(meta)})"
        )
    if (declared.paging == "twilio_camel_token") != camel and op.method == "GET":
        return f"paging {declared.paging!r}, but the spec's meta holds {sorted(meta)}"
    if pages and op.method == "GET" and declared.paging is None:
        return "the spec's response pages, but the generated method does not"
    if declared.paging is not None and pages:
        items = props.get(declared.items_key or "", {})
        if items.get("type") != "array":
            return f"items_key {declared.items_key!r} is not an array of the spec's response"
    return None
