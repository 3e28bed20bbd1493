"""Proof of coverage: every generated Twilio operation, called against the emulator.

Arguments come from the contract tests' synthesizer (``contract._synth``); each call
goes through the generated method, and a 2xx answer must decode into the generated
model (``contract._check.check_result``) and validate against the spec's own response
schema. A 404 with Twilio's 20404 counts as served for an instance that does not exist
(the synthesized SIDs name nothing), and so does a 4xx with the code of a rule an API
module adds beyond its spec (a message needs a body; the spec does not say so); anything
else fails. Then every resource with a
create, fetch, list, update and delete runs that round trip. Totals are computed from
the specs, never written down, so they hold for any pinned spec version.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from contract._bind import Binding, index_spec, resolve_method
from contract._check import bind_arguments, check_result
from contract._record import Recorder
from contract._spec import SpecOperation, load_spec, oauth_only, operations, resolve, spec_name
from contract._synth import VARIANTS, CallPlan, plan_call
from openapi_schema_validator import OAS30Validator

import trunkline
from trunkline._errors import ApiError
from trunkline.testing import Emulator
from trunkline.testing._catalog import snake
from trunkline.testing._checks import RULE_CODES


def _spec_files() -> list[Path]:
    from trunkline.codegen.specs import load_lock, spec_dir

    folder = spec_dir(load_lock())
    return sorted(folder.glob("twilio_*.json")) if folder.is_dir() else []


@functools.cache
def _specs() -> tuple[tuple[str, dict[str, Any]], ...]:
    out = []
    for path in _spec_files():
        doc = load_spec(path)
        if any(True for _ in operations(spec_name(path), doc)):
            out.append((spec_name(path), doc))
    return tuple(out)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _spec_files(), reason="run `make generate` first (needs the specs)"),
]


def _response_schema(doc: Mapping[str, Any], op: SpecOperation, status: int) -> Any:
    node = doc["paths"][op.path][op.method.lower()]
    response = resolve(doc, node.get("responses", {}).get(str(status), {}))
    for media in (response.get("content") or {}).values():
        if "schema" in media:
            return media["schema"]
    return None


def schema_errors(doc: Mapping[str, Any], op: SpecOperation, status: int, text: str) -> list[str]:
    """Where the answer breaks the spec's response schema for ``status``."""
    schema = _response_schema(doc, op, status)
    if schema is None:
        return [] if not text.strip() else [f"{status} has no schema in the spec, body {text!r}"]
    validator = OAS30Validator({**schema, "components": doc.get("components", {})})
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(json.loads(text))
    ][:3]


class Caller:
    """One trunkline client per spec, bound to the emulator, with its wire recorded."""

    def __init__(self, emu: Emulator, name: str, doc: dict[str, Any]) -> None:
        self.emu, self.name, self.doc = emu, name, doc
        self.bindings = index_spec(f"twilio_{name}")
        self.recorder = Recorder()
        self.checked = 0
        self.violations = 0

    async def __aenter__(self) -> Caller:
        self.session = aiohttp.ClientSession(trace_configs=[self.recorder.trace_config])
        options: dict[str, Any] = {"session": self.session, "hosts": self.emu.hosts}
        if oauth_only(self.doc):
            self.client = trunkline.Twilio(
                self.emu.account_sid, client_id="OQ" + "a" * 32, client_secret="s", **options
            )
        else:
            self.client = trunkline.Twilio(self.emu.account_sid, self.emu.auth_token, **options)
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.__aexit__(*exc)
        await self.session.close()

    def parents(self, op: SpecOperation, plan: CallPlan) -> list[str]:
        """The path values ``op`` would send before its last one (an instance's parents)."""
        method = resolve_method(self.client, self.bindings[op.id])
        return [str(a) for a in bind_arguments(method, plan)[0][:-1]]

    async def call(
        self, op: SpecOperation, plan: CallPlan, key: str | None = None, parents: list[str] = ()
    ) -> Any:
        """Call ``op``'s generated method; returns ``(status, problems or error, body)``.

        ``parents`` replace the first path values and ``key`` the last (the instance a
        round trip created); :attr:`last_args` keeps the path values sent.
        """
        binding: Binding = self.bindings[op.id]
        method = resolve_method(self.client, binding)
        args, kwargs, _ = bind_arguments(method, plan)
        args[: len(parents)] = parents
        if key is not None:
            args[-1] = key
        self.last_args = list(args)
        try:
            result = await method(*args, **kwargs)
        except ApiError as exc:
            return exc.status, exc, None
        exchange = self.recorder.last
        assert exchange is not None
        text = bytes(exchange.response).decode()
        problems = check_result(method, result, text, binding.operation.items_key)
        against_schema = schema_errors(self.doc, op, exchange.status or 0, text)
        self.checked += 1
        self.violations += bool(against_schema)
        problems += against_schema
        return exchange.status, problems, text


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as running:
        yield running


def _report(capsys: pytest.CaptureFixture[str], line: str) -> None:
    """Print past pytest's capture, so the counts show in every run."""
    with capsys.disabled():
        print(f"\n{line}")


def _shape(method: str, path: str) -> tuple[str, str]:
    return method, re.sub(r"\{[^}]+\}", "{}", path)


def _hand_written(emu: Emulator) -> set[tuple[str, str]]:
    """Routes of the hand-written APIs (Verify push/TOTP, TaskRouter): they keep their rules."""
    return {
        _shape(route.method, route.resource.canonical)
        for route in emu.app.router.routes()
        if route.resource is not None and "tail" not in route.resource.canonical
    }


def _all_operations() -> Iterator[tuple[str, dict[str, Any], SpecOperation]]:
    for name, doc in _specs():
        for op in operations(name, doc):
            yield name, doc, op


async def test_every_operation_is_served(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    """Every spec operation is answered: a 2xx that decodes and fits the schema, or a 20404."""
    total = answered = rules = checked = violations = 0
    hand_written = _hand_written(emu)
    failures: list[str] = []
    for name, doc in _specs():
        async with Caller(emu, name, doc) as caller:
            for op in operations(name, doc):
                total += 1
                bad = []
                ruled = False
                for variant, optional in VARIANTS:
                    status, outcome, _ = await caller.call(
                        op, plan_call(doc, op, optional=optional)
                    )
                    if isinstance(outcome, ApiError):
                        if outcome.status == 404 and outcome.code == 20404:
                            continue
                        own = _shape(op.method, op.path) in hand_written and outcome.status == 400
                        if outcome.code in RULE_CODES or own:
                            ruled = True
                            continue
                        bad.append(f"[{variant}] {outcome.status} {outcome.code} {outcome}")
                    elif outcome:
                        bad.append(f"[{variant}] {status}: " + "; ".join(outcome))
                if bad:
                    failures.append(f"{op.spec} {op.id}: " + " | ".join(bad))
                    continue
                answered += 1
                rules += ruled
        checked += caller.checked
        violations += caller.violations
    _report(
        capsys,
        f"emulator: {answered} of {total} operations served; {checked} 2xx answers decoded and "
        f"checked against the spec's schemas, {violations} schema violations; the other calls "
        f"answered 20404 (an unknown instance), {rules} operations an API rule's error",
    )
    assert not failures, f"{len(failures)} operations not served:\n" + "\n".join(failures[:40])
    assert answered == total
    assert violations == 0


def _crud_groups() -> Iterator[tuple[str, dict[str, Any], dict[str, SpecOperation]]]:
    """``(spec, doc, {kind: op})`` for every collection with all five operations."""
    for name, doc in _specs():
        ops = list(operations(name, doc))
        by_path: dict[tuple[str, str], SpecOperation] = {(o.method, o.path): o for o in ops}
        for create in ops:
            if create.method != "POST" or create.path.removesuffix(".json").endswith("}"):
                continue
            base, suffix = (
                create.path.removesuffix(".json"),
                ".json" * create.path.endswith(".json"),
            )
            instances = {
                o.path
                for o in ops
                if o.path.startswith(base + "/{")
                and o.path.removesuffix(".json").count("/") == base.count("/") + 1
                and o.path.removesuffix(".json").endswith("}")
            }
            listing = by_path.get(("GET", create.path))
            for instance in sorted(instances):
                group = {
                    "create": create,
                    "list": listing,
                    "fetch": by_path.get(("GET", instance)),
                    "update": by_path.get(("POST", instance)),
                    "delete": by_path.get(("DELETE", instance)),
                }
                if all(group.values()) and instance.endswith(suffix):
                    yield name, doc, {k: v for k, v in group.items() if v is not None}


def _key_of(body: str, op: SpecOperation, items_key: str | None = None) -> str | None:
    """The value naming the resource in ``body`` (a list page's first item with ``items_key``)."""
    param = op.path.removesuffix(".json").rsplit("{", 1)[1].rstrip("}")
    data = json.loads(body)
    if items_key is not None:
        found = data.get(items_key) or [{}]
        data = found[0]
    value = data.get(snake(param), data.get("sid"))
    return None if value is None else str(value)


async def _make_parents(caller: Caller, doc: dict[str, Any], instance: str) -> list[str] | None:
    """Create each parent of ``instance`` (outermost first); their keys, or None on a refusal."""
    ops = {_shape(o.method, o.path.removesuffix(".json")): o for o in operations(caller.name, doc)}
    segments = instance.removesuffix(".json").split("/")
    values: list[str] = []
    for i, segment in enumerate(segments[:-1]):
        if not segment.startswith("{") or (i == 3 and segment == "{AccountSid}"):
            continue
        create = ops.get(_shape("POST", "/".join(segments[:i])))
        fetch = ops.get(_shape("GET", "/".join(segments[: i + 1])))
        if create is None or fetch is None:
            return None
        plan = plan_call(doc, create, optional=False)
        status, _, body = await caller.call(create, plan, None, list(values))
        if status not in (200, 201) or body is None:
            return None
        key = _key_of(body, fetch)
        if key is None:
            return None
        values.append(key)
    return values


async def test_round_trip_for_every_crud_resource(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """Create, fetch, list, update, delete, then fetch again (404) for every CRUD resource."""
    hand_written = _hand_written(emu)
    groups = list(_crud_groups())
    done = 0
    failures: list[str] = []
    refused: list[str] = []
    callers: dict[str, Caller] = {}
    try:
        for name, doc, group in groups:
            if name not in callers:
                callers[name] = await Caller(emu, name, doc).__aenter__()
            caller = callers[name]
            label = f"{name} {group['create'].path}"
            create = group["create"]
            # The hand-written APIs check that parents exist and keep rules the synthesized
            # optional values break: their parents are created, and only required arguments go.
            own = _shape("POST", create.path) in hand_written
            if own:
                made = await _make_parents(caller, doc, group["fetch"].path)
                if made is None:
                    failures.append(f"{label}: could not create its parents")
                    continue
                parents = made
            else:
                # The instance's parents as its fetch names them (a create may take others).
                parents = caller.parents(group["fetch"], plan_call(doc, group["fetch"]))
            status, outcome, body = await caller.call(
                create, plan_call(doc, create, optional=not own), None, parents
            )
            if own and isinstance(outcome, ApiError) and outcome.status == 400:
                # A rule synthesized values cannot meet (a push factor needs a device's
                # key); test_verify_wire.py and test_taskrouter_wire.py run those flows.
                refused.append(f"{label}: {outcome.code}")
                continue
            if status not in (200, 201, 202) or outcome:
                failures.append(f"{label}: create {status} {outcome}")
                continue
            key = _key_of(body, group["fetch"])
            if key is None:
                # The create answers another resource (a validation request): find it listed.
                listed = group["list"]
                _, _, page = await caller.call(
                    listed, plan_call(doc, listed, optional=False), parents=parents
                )
                key = _key_of(page, group["fetch"], caller.bindings[listed.id].operation.items_key)
            assert key is not None, f"{label}: no key in the create's or the list's answer"
            steps = []
            for kind in ("fetch", "list", "update"):
                op = group[kind]
                # A list with every argument filters on synthesized values: list them all.
                plan = plan_call(doc, op, optional=kind != "list" and not own)
                status, outcome, text = await caller.call(
                    op, plan, key=None if kind == "list" else key, parents=parents
                )
                if status not in (200, 201, 202) or outcome:
                    steps.append(f"{kind} {status} {outcome}")
                elif kind == "list" and key not in (text or ""):
                    steps.append(f"list does not hold {key}")
            op = group["delete"]
            status, outcome, _ = await caller.call(op, plan_call(doc, op), key, parents)
            if status != 204:
                steps.append(f"delete {status} {outcome}")
            fetch = group["fetch"]
            status, outcome, _ = await caller.call(fetch, plan_call(doc, fetch), key, parents)
            if status != 404:
                steps.append(f"fetch after delete {status}")
            if steps:
                failures.append(f"{label}: " + "; ".join(steps))
            else:
                done += 1
    finally:
        for caller in callers.values():
            await caller.__aexit__(None, None, None)
    checked = sum(c.checked for c in callers.values())
    violations = sum(c.violations for c in callers.values())
    _report(
        capsys,
        f"emulator: {done} of {len(groups)} CRUD round trips ran "
        f"({sum(_shape('POST', g[2]['create'].path) in hand_written for g in groups)} of them "
        f"on hand-written routes, parents created first; {len(refused)} refused by a "
        f"hand-written rule: {', '.join(refused) or 'none'}); "
        f"{checked} 2xx answers checked against the spec's schemas, {violations} violations",
    )
    assert groups
    assert not failures, f"{len(failures)} round trips failed:\n" + "\n".join(failures[:40])
    assert done + len(refused) == len(groups)
