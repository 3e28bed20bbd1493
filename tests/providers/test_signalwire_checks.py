"""SignalWireClient's checks before I/O follow the spec: every constraint it states is enforced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from trunkline._operation import Operation
from trunkline._signalwire import BODY_CHECKS, PATH_CHECKS, SignalWireClient

from .conftest import Recorder, json_reply

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "specs" / "signalwire_fabric.yaml").read_text("utf-8")
)
UUID = "6a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
VALID = {"string": "valid value", "uuid": UUID, "email": "ana@example.com"}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: dict[str, Any] = SPEC
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _valid(schema: dict[str, Any]) -> Any:
    if schema.get("type") == "array":
        return [_valid(schema["items"])] * max(1, schema.get("minItems", 1))
    if schema.get("type") == "integer":
        return 1
    value = VALID.get(schema.get("format", "string"), VALID["string"])
    return value.ljust(schema.get("minLength", 0), "x")


def _violations(schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Values breaking each constraint the schema states, with the constraint's name."""
    fmt = schema.get("format")
    if fmt in ("uuid", "email"):
        yield fmt, "not a " + fmt
    if schema.get("minLength", 0) > 1 and fmt is None:
        yield "minLength", "x" * (schema["minLength"] - 1)
    if schema.get("minLength") == 1:
        yield "minLength", ""
    if "maxLength" in schema:
        yield "maxLength", "x" * (schema["maxLength"] + 1)
    if schema.get("type") == "array":
        item = schema["items"]
        if "maxItems" in schema:
            yield "maxItems", [_valid(item)] * (schema["maxItems"] + 1)
        if schema.get("minItems", 0) > 0:
            yield "minItems", []
        for name, bad in _violations(item):
            yield f"items.{name}", [_valid(item), bad]


def _cases() -> Iterator[Any]:
    for path, item in SPEC["paths"].items():
        params = item.get("parameters", [])
        for method, op in item.items():
            if method == "parameters":
                continue
            operation = Operation(
                id=op["operationId"],
                method=method.upper(),
                server=SPEC["servers"][0]["url"],
                path=path,
                body="json" if "requestBody" in op else None,
            )
            path_values = {p["name"]: _valid(p["schema"]) for p in params}
            body_schema: dict[str, Any] = {}
            if "requestBody" in op:
                body_schema = _resolve(op["requestBody"]["content"]["application/json"]["schema"])
            props = body_schema.get("properties", {})
            body = {name: _valid(props[name]) for name in body_schema.get("required", [])}
            yield pytest.param(operation, path_values, body, None, None, id=f"{op['operationId']}")
            for p in params:
                for rule, bad in _violations(p["schema"]):
                    case = f"{op['operationId']}-{p['name']}-{rule}"
                    yield pytest.param(
                        operation, {**path_values, p["name"]: bad}, body, p["name"], None, id=case
                    )
            for name, schema in props.items():
                for rule, bad in _violations(schema):
                    case = f"{op['operationId']}-{name}-{rule}"
                    yield pytest.param(
                        operation, path_values, {**body, name: bad}, None, name, id=case
                    )


CASES = list(_cases())


@pytest.mark.parametrize(("op", "path", "body", "bad_path", "bad_body"), CASES)
async def test_each_spec_constraint_is_checked_before_io(
    server: Recorder,
    op: Operation,
    path: dict[str, Any],
    body: dict[str, Any],
    bad_path: str | None,
    bad_body: str | None,
) -> None:
    """A value breaking a spec constraint raises ValueError naming it; valid ones are sent."""
    server.script(json_reply(200, {}))
    async with SignalWireClient(
        UUID, "PTsecret", space="example", hosts={"example.signalwire.com": server.base_url}
    ) as sw:
        if bad_path is None and bad_body is None:
            await sw.request(op, path, body=body if op.body else None)
            assert len(server.seen) == 1
            return
        with pytest.raises(ValueError, match=rf"^{bad_path or bad_body}\b"):
            await sw.request(op, path, body=body if op.body else None)
    assert server.seen == []


def test_the_cases_cover_every_checked_field() -> None:
    """Every field the client checks has a spec constraint the cases above break."""
    broken = {
        (c.values[0].id, c.values[3] or c.values[4]) for c in CASES if c.values[3:] != (None, None)
    }
    checked = {
        (op, name) for table in (BODY_CHECKS, PATH_CHECKS) for op in table for name in table[op]
    }
    assert checked == broken
