"""The generated SignalWire and Ziggeo methods enforce every constraint their spec states.

The cases are derived from the specs themselves: for each path parameter and body field
with a format, length, bound or size, a value breaking that rule must raise ValueError
naming the argument before any request, and spec-valid values must be sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

import trunkline
from trunkline.codegen.naming import argument_name

from .conftest import Recorder, json_reply

SPECS = Path(__file__).resolve().parents[2] / "specs"
UUID = "6a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
VALID = {"string": "valid value", "uuid": UUID, "email": "ana@example.com"}
CONSTRAINTS = ("format", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems")
SECRET_WORDS = ("password", "token")


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / name).read_text("utf-8"))
    return loaded


SPEC_FILES = {"signalwire": _load("signalwire_fabric.yaml"), "ziggeo": _load("ziggeo.yaml")}


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: dict[str, Any] = spec
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _valid(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    schema = _resolve(spec, schema)
    kind = schema.get("type")
    if kind == "array":
        return [_valid(spec, schema["items"])] * max(1, schema.get("minItems", 1))
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "object":
        return {}
    value = VALID.get(schema.get("format", "string"), VALID["string"])
    return value.ljust(schema.get("minLength", 0), "x")


def _violations(spec: dict[str, Any], schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Values breaking each constraint the schema states, with the constraint's name."""
    schema = _resolve(spec, schema)
    fmt = schema.get("format")
    if fmt in ("uuid", "email"):
        yield fmt, "not a " + fmt
    if schema.get("minLength", 0) > 1 and fmt is None:
        yield "minLength", "x" * (schema["minLength"] - 1)
    if schema.get("minLength") == 1:
        yield "minLength", ""
    if "maxLength" in schema:
        yield "maxLength", "x" * (schema["maxLength"] + 1)
    if schema.get("type") == "integer" and ("minimum" in schema or "maximum" in schema):
        yield "integer", 1.5
    if "minimum" in schema:
        yield "minimum", schema["minimum"] - 1
    if "maximum" in schema:
        yield "maximum", schema["maximum"] + 1
    if schema.get("type") == "object":
        yield "object", '{"a": 1}'
    if schema.get("type") == "array":
        item = schema["items"]
        if "maxItems" in schema:
            yield "maxItems", [_valid(spec, item)] * (schema["maxItems"] + 1)
        if schema.get("minItems", 0) > 0:
            yield "minItems", []
        for name, bad in _violations(spec, item):
            yield f"items.{name}", [_valid(spec, item), bad]


def _body_schema(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    if "requestBody" not in op:
        return {}
    (content,) = op["requestBody"]["content"].values()
    return _resolve(spec, content["schema"])


def _cases() -> Iterator[Any]:
    for provider, spec in SPEC_FILES.items():
        for item in spec["paths"].values():
            params = [_resolve(spec, p) for p in item.get("parameters", [])]
            for method, op in item.items():
                if method == "parameters" or op["x-trunkline"]["method"] == "list":
                    continue
                where = (provider, op["x-trunkline"]["resource"], op["x-trunkline"]["method"])
                op_id = op["operationId"]
                path_values = {p["name"]: _valid(spec, p["schema"]) for p in params}
                body_schema = _body_schema(spec, op)
                props = body_schema.get("properties", {})
                body = {n: _valid(spec, props[n]) for n in body_schema.get("required", [])}
                yield pytest.param(*where, path_values, body, None, id=op_id)
                for p in params:
                    for rule, bad in _violations(spec, p["schema"]):
                        bad_path = {**path_values, p["name"]: bad}
                        case = f"{op_id}-{p['name']}-{rule}"
                        yield pytest.param(*where, bad_path, body, p["name"], id=case)
                for name, schema in props.items():
                    for rule, bad in _violations(spec, schema):
                        case = f"{op_id}-{name}-{rule}"
                        yield pytest.param(*where, path_values, {**body, name: bad}, name, id=case)


CASES = list(_cases())


def _client(provider: str, server: Recorder) -> Any:
    if provider == "signalwire":
        return trunkline.SignalWire(
            UUID, "PTsecret", space="example", hosts={"example.signalwire.com": server.base_url}
        )
    return trunkline.Ziggeo("app123", "pk-secret", hosts={"srv-api.ziggeo.com": server.base_url})


@pytest.mark.parametrize(("provider", "resource", "method", "path", "body", "bad"), CASES)
async def test_each_spec_constraint_is_checked_before_io(
    server: Recorder,
    provider: str,
    resource: str,
    method: str,
    path: dict[str, Any],
    body: dict[str, Any],
    bad: str | None,
) -> None:
    """A value breaking a spec constraint raises ValueError naming it; valid ones are sent."""
    server.script(json_reply(200, {}))
    async with _client(provider, server) as client:
        holder = client.fabric if provider == "signalwire" else client
        call = getattr(getattr(holder, resource), method)
        kwargs = {argument_name(wire): value for wire, value in body.items()}
        if bad is None:
            await call(*path.values(), **kwargs)
            assert len(server.seen) == 1
            return
        with pytest.raises(ValueError, match=rf"^{argument_name(bad)}\b") as info:
            await call(*path.values(), **kwargs)
    assert server.seen == []
    bad_value = {**path, **body}[bad]
    if any(word in bad for word in SECRET_WORDS) and isinstance(bad_value, str) and bad_value:
        assert bad_value not in str(info.value)


def _constrained(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(spec, schema)
    if schema.get("format") not in (None, "uuid", "email"):
        return False
    items = schema.get("items")
    return (
        any(key in schema for key in CONSTRAINTS)
        or schema.get("type") == "object"
        or (isinstance(items, dict) and _constrained(spec, items))
    )


def test_the_cases_cover_every_constrained_field() -> None:
    """Every path parameter and body field the specs constrain has a case breaking it."""
    constrained: set[tuple[str, str]] = set()
    for spec in SPEC_FILES.values():
        for item in spec["paths"].values():
            params = [_resolve(spec, p) for p in item.get("parameters", [])]
            for method, op in item.items():
                if method == "parameters" or op["x-trunkline"]["method"] == "list":
                    continue
                props = _body_schema(spec, op).get("properties", {})
                constrained |= {
                    (op["operationId"], p["name"])
                    for p in params
                    if _constrained(spec, p["schema"])
                }
                constrained |= {
                    (op["operationId"], name) for name, s in props.items() if _constrained(spec, s)
                }
    broken = {(c.id.split("-")[0], c.values[5]) for c in CASES if c.values[5] is not None}
    assert broken == constrained
    assert ("CreateGuestToken", "allowed_addresses") in broken
    assert ("UpdateAuthToken", "grants") in broken
    assert len(broken) == 23
