"""The contract harness's own parts, without Prism: names, samples, patches, processes, records."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp
import jsonschema  # type: ignore[import-untyped]
import pytest
from aiohttp import web

from trunkline._operation import Operation

from . import _prism
from ._check import bind_arguments, missing_on_wire, paging_problem
from ._prism import PrismError, PrismFleet, find_free_ports
from ._record import Exchange, Recorder
from ._spec import (
    TOKEN_PATH,
    Param,
    SpecOperation,
    oauth_only,
    operations,
    patch_for_prism,
    resolve,
    skip_reason,
)
from ._synth import WHOLE_BODY, PatternError, plan_call, python_name, sample, sample_pattern
from ._wire import encode_plan
from .conftest import spec_files

FORM = "application/x-www-form-urlencoded"


def _form_op(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "operationId": "CreateThing",
        "requestBody": {
            "content": {
                FORM: {"schema": {"type": "object", "properties": properties, "required": required}}
            }
        },
        "responses": {"201": {"description": "created"}},
    }


@pytest.mark.parametrize(
    ("wire", "name"),
    [
        ("Details.Message", "details_message"),
        ("Binding.PublicKey", "binding_public_key"),
        ("Config.TimeStep", "config_time_step"),
        ("DateCreated>", "date_created_after"),
        ("DateCreated<", "date_created_before"),
        ("StartTime>=", "start_time_on_or_after"),
        ("AccountSid", "account_sid"),
        ("From", "from_"),
        ("X-Twilio-Webhook-Enabled", "x_twilio_webhook_enabled"),
        ("TTL", "ttl"),
        ("friendlyName", "friendly_name"),
    ],
)
def test_python_name_follows_the_agreed_naming(wire: str, name: str) -> None:
    """Wire names become snake_case keywords with dots, inequalities and keywords handled."""
    assert python_name(wire) == name


@pytest.mark.parametrize(
    "pattern",
    [
        "^VA[0-9a-fA-F]{32}$",
        "^(SM|MM)[0-9a-fA-F]{32}$",
        "OR[0-9a-f]{32}",
        "^OQ[a-zA-Z0-9]{32}$",
        "^aia_asst_.+$",
    ],
)
def test_sample_pattern_matches(pattern: str) -> None:
    """A sampled string fully matches the (possibly unanchored) pattern it came from."""
    value = sample_pattern(pattern)
    assert re.fullmatch(pattern.removeprefix("^").removesuffix("$"), value)


def test_sample_pattern_refuses_unknown_syntax() -> None:
    """A pattern shape the sampler does not know is an error, not a guess."""
    with pytest.raises(PatternError, match=r"unsupported"):
        sample_pattern(r"^(?=x)\d+$")


def _iso(value: object) -> str:
    assert isinstance(value, dt.datetime | dt.date), value
    return value.isoformat()


def test_every_parameter_sample_satisfies_its_schema() -> None:
    """Every synthesized argument of every spec validates against its own schema."""
    files = spec_files()
    if not files:
        pytest.skip("the Twilio specs are not fetched (make specs)")
    checker = jsonschema.FormatChecker()
    checked = 0
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for op in operations(path.stem.removeprefix("twilio_"), doc):
            plan = plan_call(doc, op)
            schemas = {p.wire: p.schema for p in op.params}
            if op.body_schema is not None:
                body = resolve(doc, op.body_schema)
                schemas = {**body.get("properties", {}), **schemas, WHOLE_BODY: body}
            for arg in (*plan.positional, *plan.keywords):
                # Dates go out as ISO 8601 text, nested ones (in a whole JSON body) too.
                value = json.loads(json.dumps(arg.value, default=_iso))
                schema = {**schemas[arg.wire], "components": doc.get("components", {})}
                jsonschema.validate(value, schema, format_checker=checker)
                checked += 1
    assert checked > 1000


def test_samples_fit_the_shapes_the_9_0_0_specs_add() -> None:
    """Typed maps, SID-constrained allOf strings, oneOf objects, uuids and optional groups."""
    sid = {"type": "string", "pattern": "^ID[0-9a-f]{4}$"}
    doc = {"components": {"schemas": {"Sid": sid}}}
    settings = {"type": "object", "properties": {"on": {"type": "boolean"}}, "required": ["on"]}
    assert sample(doc, {"type": "object", "additionalProperties": settings}) == {
        "contract": {"on": True}
    }
    assert sample(doc, {"allOf": [{"$ref": "#/components/schemas/Sid"}]}) == "ID0123"
    shape = {"type": "object", "oneOf": [{"type": "object", "properties": {"t": sid}}]}
    assert sample(doc, {**shape, "oneOf": [{**shape["oneOf"][0], "required": ["t"]}]}) == {
        "t": "ID0123"
    }
    assert (
        sample(doc, {"type": "string", "format": "uuid"}) == "123e4567-e89b-12d3-a456-426614174000"
    )
    assert sample_pattern("^BU[0-9a-f]{2}(,BU[0-9a-f]{2}){0,19}$") == "BU01"


def test_sample_respects_bounds_enums_and_lengths() -> None:
    """Numbers stay within bounds, enums take a listed value, strings meet length limits."""
    assert sample({}, {"type": "integer", "minimum": 5, "maximum": 9}) == 5
    assert sample({}, {"type": "integer", "maximum": 0}) == 0
    assert sample({}, {"type": "string", "enum": ["b", "a"]}) == "b"
    assert len(sample({}, {"type": "string", "minLength": 20})) == 20
    assert len(sample({}, {"type": "string", "maxLength": 3})) == 3
    assert sample({}, {"type": "string", "format": "date-time"}).tzinfo is not None
    refs = {"components": {"schemas": {"e": {"type": "string", "enum": ["x"]}}}}
    assert sample(refs, {"$ref": "#/components/schemas/e"}) == "x"


def test_plan_leaves_account_and_paging_to_the_client() -> None:
    """The 2010 AccountSid is left to the client default and paging parameters are not passed."""
    params = (
        Param("AccountSid", "path", True, {"type": "string"}),
        Param("CallSid", "path", True, {"type": "string", "pattern": "^CA[0-9a-fA-F]{32}$"}),
        Param("PageSize", "query", False, {"type": "integer"}),
        Param("Status", "query", False, {"type": "string", "enum": ["queued"]}),
        Param("To", "body", True, {"type": "string", "format": "phone-number"}),
    )
    op = SpecOperation(
        "api_v2010",
        "ListThing",
        "GET",
        "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Things.json",
        "list",
        params,
        None,
        None,
        False,
    )
    full = plan_call({}, op)
    assert full.default_account
    assert [a.wire for a in full.positional] == ["CallSid"]
    assert {a.name: a.value for a in full.keywords} == {"status": "queued", "to": "+15005550006"}
    assert [a.wire for a in plan_call({}, op, optional=False).keywords] == ["To"]
    request = encode_plan(full, account_sid="AC" + "1" * 32)
    assert request.target == (
        "/2010-04-01/Accounts/AC"
        + "1" * 32
        + "/Calls/CA"
        + "0123456789abcdef" * 2
        + "/Things.json?Status=queued"
    )


def test_required_body_without_required_fields_still_gets_fields() -> None:
    """A required request body whose fields are all optional is sent with its fields."""
    doc = {"paths": {"/v2/token": {"post": _form_op({"grant_type": {"type": "string"}}, [])}}}
    doc["paths"]["/v2/token"]["post"]["requestBody"]["required"] = True
    (op,) = operations("oauth_v2", doc)
    assert [a.wire for a in plan_call(doc, op, optional=False).keywords] == ["grant_type"]


def test_patch_sets_array_encoding_and_types_objects_as_text() -> None:
    """Array form fields get form/explode encoding and object form fields become strings."""
    op = _form_op(
        {
            "Events": {"type": "array", "items": {"type": "string"}},
            "Rules": {"type": "object"},
            "Name": {"type": "string"},
        },
        ["Name"],
    )
    doc: dict[str, Any] = {"paths": {"/v1/Things": {"post": op}}}
    patched = patch_for_prism(doc)
    media = patched["paths"]["/v1/Things"]["post"]["requestBody"]["content"][FORM]
    assert media["encoding"] == {"Events": {"style": "form", "explode": True}}
    assert media["schema"]["properties"]["Rules"]["type"] == "string"
    assert "encoding" not in op["requestBody"]["content"][FORM]
    assert op["requestBody"]["content"][FORM]["schema"]["properties"]["Rules"] == {"type": "object"}


def test_oauth_only_specs_are_served_with_the_token_path() -> None:
    """An OAuth-only spec's copy gains /v2/token and the schemas that path refers to."""
    schemes = {"o": {"type": "oauth2", "flows": {}}, "b": {"type": "http", "scheme": "basic"}}
    doc: dict[str, Any] = {
        "paths": {"/Things": {"get": {"operationId": "ListThing", "responses": {}}}},
        "components": {"securitySchemes": schemes},
        "security": [{"o": []}],
    }
    token = {
        "paths": {
            TOKEN_PATH: {"post": {"responses": {"200": {"$ref": "#/components/responses/Tok"}}}}
        },
        "components": {
            "responses": {
                "Tok": {"content": {"a/b": {"schema": {"$ref": "#/components/schemas/T"}}}}
            },
            "schemas": {"T": {"type": "object"}},
        },
    }
    assert oauth_only(doc)
    assert not oauth_only({**doc, "security": [{"b": []}]})
    patched = patch_for_prism(doc, token_source=token)
    assert TOKEN_PATH in patched["paths"]
    assert patched["components"]["schemas"]["T"] == {"type": "object"}
    assert "Tok" in patched["components"]["responses"]
    assert TOKEN_PATH not in patch_for_prism({**doc, "security": []}, token_source=token)["paths"]


def test_specs_without_operations_are_not_served() -> None:
    """A spec with paths but no operations is skipped with its reason; others are served."""
    empty: dict[str, Any] = {"paths": {"/v1/X": {"servers": []}}}
    assert "no operations" in (skip_reason("iam_v2", empty) or "")
    with_op = {"paths": {"/v1/X": {"get": {"operationId": "FetchX"}}}}
    assert skip_reason("content_sdk", with_op) is None


FAKE_PRISM = """\
import socket, sys, time
args = sys.argv[1:]
port = int(args[args.index("-p") + 1])
spec = open(args[-1]).read()
if "crash" in spec:
    print("cannot load spec: crash", flush=True)
    sys.exit(3)
if "slow" in spec:
    time.sleep(0.5)
if "busy-once" in spec:
    import os
    marker = args[-1] + ".tried"
    if not os.path.exists(marker):
        open(marker, "w").close()
        print("listen EADDRINUSE: address already in use", flush=True)
        sys.exit(1)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen()
print("listening", port, flush=True)
while True:
    conn, _ = server.accept()
    conn.close()
"""


@pytest.fixture
def fake_prism(tmp_path: Path) -> Path:
    """An executable that behaves like ``prism mock -p PORT -h HOST spec`` for process tests."""
    script = tmp_path / "prism"
    script.write_text(f"#!{sys.executable}\n{FAKE_PRISM}", encoding="utf-8")
    script.chmod(0o755)
    return script


def _specs(tmp_path: Path, **contents: str) -> list[str]:
    for name, text in contents.items():
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    return list(contents)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_fleet_starts_batches_on_consecutive_ports_and_stops_them(
    fake_prism: Path, tmp_path: Path
) -> None:
    """Servers come up in batches on consecutive ports; each batch is stopped by PID, and a
    spec outside the planned order gets a batch of its own."""
    specs = _specs(tmp_path, a="{}", b="slow", c="{}")
    fleet = PrismFleet(fake_prism, specs, lambda n: tmp_path / f"{n}.json", tmp_path, batch_size=2)
    try:
        a, b = fleet.server("a"), fleet.server("b")
        assert b.port == a.port + 1
        for server in (a, b):
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        first = fleet.pids
        c = fleet.server("c")
        assert fleet.pids == [c.process.pid]
        assert not any(_alive(pid) for pid in first)
        assert fleet.served == ["a", "b", "c"]
        (tmp_path / "d.json").write_text("{}", encoding="utf-8")
        d = fleet.server("d")
        assert not _alive(c.process.pid)
        assert fleet.pids == [d.process.pid]
    finally:
        fleet.close()
    assert not _alive(d.process.pid)


def test_fleet_reports_a_process_that_exits_and_stops_the_rest(
    fake_prism: Path, tmp_path: Path
) -> None:
    """A process that dies before serving fails with its output, and its batch is stopped."""
    specs = _specs(tmp_path, good="{}", bad="crash")
    fleet = PrismFleet(fake_prism, specs, lambda n: tmp_path / f"{n}.json", tmp_path, batch_size=2)
    with pytest.raises(PrismError, match=r"(?s)bad exited with 3.*cannot load spec: crash"):
        fleet.server("good")
    assert fleet.pids == []
    log = (tmp_path / "good.log").read_text()
    if log.startswith("listening"):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", int(log.split()[1])), timeout=2).close()


def test_fleet_moves_to_other_ports_when_one_is_taken_meanwhile(
    fake_prism: Path, tmp_path: Path
) -> None:
    """A port taken between the check and Prism's bind makes the batch retry further up."""
    specs = _specs(tmp_path, a="{}", b="busy-once")
    fleet = PrismFleet(fake_prism, specs, lambda n: tmp_path / f"{n}.json", tmp_path, batch_size=2)
    try:
        a, b = fleet.server("a"), fleet.server("b")
        assert b.port == a.port + 1
        assert (tmp_path / "b.json.tried").exists()
        socket.create_connection(("127.0.0.1", b.port), timeout=2).close()
    finally:
        fleet.close()


def test_find_free_ports_skips_a_busy_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of free ports never includes one that is taken."""
    real_probe = _prism._port_free

    def probe(port: int) -> bool:
        # Only the port this test holds is probed for real: the neighbours belong to
        # whatever else runs on the machine (a busy neighbour made this test flaky).
        return real_probe(port) if port == taken else True

    monkeypatch.setattr(_prism, "_port_free", probe)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        taken = busy.getsockname()[1]
        first = find_free_ports(3, start=taken - 1, stop=taken + 10)
    assert first == taken + 1


async def test_recorder_keeps_the_request_body_and_response() -> None:
    """A traced session records method, URL, form body and the response text in order."""

    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"got": await request.text()}, status=201)

    app = web.Application()
    app.router.add_post("/v1/Things", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    recorder = Recorder()
    try:
        async with aiohttp.ClientSession(trace_configs=[recorder.trace_config]) as session:
            headers = {"Authorization": "Basic c2VjcmV0"}
            async with session.post(
                f"http://127.0.0.1:{port}/v1/Things", data={"A": "1"}, headers=headers
            ) as response:
                await response.read()
    finally:
        await runner.cleanup()
    (exchange,) = recorder.exchanges
    assert (exchange.method, exchange.status, bytes(exchange.body)) == ("POST", 201, b"A=1")
    assert b'"got": "A=1"' in bytes(exchange.response)
    text = exchange.describe()
    assert "Basic ***" in text
    assert "c2VjcmV0" not in text


class _FakeService:
    async def update(
        self,
        sid: str,
        *,
        account_sid: str | None = None,
        account_sid_body: str | None = None,
        timeout_: int | None = None,
        status_callback_event: list[str] | None = None,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Stands in for a generated method whose wire names collide with call options."""


def _collision_plan() -> Any:
    params = (
        Param("AccountSid", "path", True, {"type": "string", "pattern": "^AC[0-9a-f]{32}$"}),
        Param("Sid", "path", True, {"type": "string"}),
        Param("AccountSid", "body", False, {"type": "string", "pattern": "^AC[0-9a-f]{32}$"}),
        Param("Timeout", "body", False, {"type": "integer"}),
        Param("StatusCallbackEvent", "body", False, {"type": "array"}),
    )
    op = SpecOperation(
        "api_v2010",
        "UpdateThing",
        "POST",
        "/2010-04-01/Accounts/{AccountSid}/Things/{Sid}.json",
        "instance",
        params,
        FORM,
        {"type": "object"},
        False,
    )
    return plan_call({}, op)


def test_bind_keeps_wire_fields_off_call_options_and_path_names() -> None:
    """A ``Timeout`` field never lands on ``timeout=``, nor a body AccountSid on the path's."""
    args, kwargs, notes = bind_arguments(_FakeService().update, _collision_plan())
    assert args == ["contract"]
    assert kwargs == {
        "account_sid_body": "AC" + "0123456789abcdef" * 2,
        "timeout_": 1,
        "status_callback_event": ["contract-a", "contract-b"],
    }
    assert notes == []


def test_missing_on_wire_reports_dropped_and_short_list_fields() -> None:
    """A planned field the request lacks, or a list sent with too few keys, is reported."""
    plan = _collision_plan()
    exchange = Exchange(
        "POST",
        "http://127.0.0.1:1/2010-04-01/Accounts/AC1/Things/contract.json",
        {"Content-Type": FORM},
        bytearray(b"AccountSid=AC1&StatusCallbackEvent=contract-a"),
    )
    assert missing_on_wire(plan, exchange) == [
        "body field 'Timeout' was not sent",
        "form 'StatusCallbackEvent' sent 1 times, expected 2",
    ]
    exchange.body = bytearray(
        b"AccountSid=AC1&Timeout=1&StatusCallbackEvent=contract-a&StatusCallbackEvent=contract-b"
    )
    assert missing_on_wire(plan, exchange) == []


def test_paging_problem_compares_generated_paging_with_the_response_shape() -> None:
    """Paging on a plain object, or none on a Twilio page, is reported; a real page is fine."""
    page = {
        "type": "object",
        "properties": {
            "things": {"type": "array", "items": {"type": "object"}},
            "meta": {"type": "object", "properties": {"next_page_url": {"type": "string"}}},
        },
    }
    plain = {"type": "object", "properties": {"meta": {"type": "object"}, "id": {}}}
    doc: dict[str, Any] = {"paths": {}}
    for path, schema in (("/v1/Things", page), ("/v1/Things/{Sid}", plain)):
        content = {"application/json": {"schema": schema}}
        doc["paths"][path] = {"get": {"responses": {"200": {"content": content}}}}
    listing = SpecOperation("x", "ListThing", "GET", "/v1/Things", "list", (), None, None, False)
    single = SpecOperation(
        "x", "FetchThing", "GET", "/v1/Things/{Sid}", "instance", (), None, None, False
    )

    def declared(path: str, paging: Any, items_key: str | None = None) -> Operation:
        return Operation("x", "GET", "https://x", path, paging=paging, items_key=items_key)

    assert paging_problem(doc, listing, declared("/v1/Things", "twilio_meta", "things")) is None
    assert "does not" in (paging_problem(doc, listing, declared("/v1/Things", None)) or "")
    assert "not an array" in (
        paging_problem(doc, listing, declared("/v1/Things", "twilio_meta", "meta")) or ""
    )
    problem = paging_problem(doc, single, declared("/v1/Things/{Sid}", "twilio_meta", "id"))
    assert "no meta.next_page_url" in (problem or "")
    assert paging_problem(doc, single, declared("/v1/Things/{Sid}", None)) is None
