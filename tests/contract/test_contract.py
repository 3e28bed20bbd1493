"""Every generated Twilio operation, called against Prism serving Twilio's own spec.

For each operation two calls are made: with only the required arguments, and with every
argument the spec lists. Prism refusing a request (see ``VIOLATION_STATUSES``) is a
contract violation; a 2xx answer must decode into the generated model.
"""

from __future__ import annotations

import functools
import json
import re
import traceback
from collections.abc import Mapping
from typing import Any

import aiohttp
import pytest

import trunkline
from trunkline._errors import ApiError

from ._bind import Binding, BindingError, index_spec, resolve_method
from ._check import (
    VIOLATION_STATUSES,
    ArgumentError,
    bind_arguments,
    check_result,
    missing_on_wire,
    paging_problem,
)
from ._prism import PrismFleet, PrismServer
from ._record import Exchange, Recorder
from ._spec import SpecOperation, oauth_only, resolve
from ._synth import VARIANTS, CallPlan, plan_call
from ._wire import ACCOUNT_SID, AUTH_TOKEN
from .conftest import STATS, SpecEntry

pytestmark = pytest.mark.contract

CLIENT_ID = "OQ" + "0123456789abcdef" * 2
CLIENT_SECRET = "contract-client-secret"


@functools.cache
def _bindings(spec: str) -> dict[str, Binding]:
    return index_spec(f"twilio_{spec}")


def _server_url(doc: Mapping[str, Any], op: SpecOperation) -> str:
    item = doc["paths"][op.path]
    node = resolve(doc, item.get(op.method.lower(), {}))
    servers = node.get("servers") or item.get("servers") or doc.get("servers") or [{}]
    return str(servers[0].get("url", ""))


def _prism_says(exchange: Exchange | None, server: PrismServer, log_mark: int) -> str:
    """Prism's reasons for refusing the last request: its problem JSON, else its log."""
    reasons: list[str] = []
    if exchange is not None:
        try:
            problem = json.loads(bytes(exchange.response))
        except ValueError:
            problem = None
        if isinstance(problem, dict):
            for v in problem.get("validation") or []:
                where = ".".join(str(p) for p in v.get("location", []))
                reasons.append(f"{where}: {v.get('message')}")
            if not reasons and problem.get("title"):
                reasons.append(f"{problem.get('title')}: {problem.get('detail', '')}")
    if not reasons:
        reasons = [
            re.sub(r"^\[[^\]]*\] ›\s*", "", line).strip()
            for line in server.log_since(log_mark).splitlines()
            if "✖" in line or "error" in line.lower()
        ]
    return "; ".join(reasons) or "(Prism gave no reason)"


def _client(entry: SpecEntry, url: str, session: aiohttp.ClientSession) -> Any:
    if oauth_only(entry.doc):
        return trunkline.Twilio(
            ACCOUNT_SID,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            base_url=url,
            session=session,
            timeout=30.0,
        )
    return trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, base_url=url, session=session, timeout=30.0)


async def _call_once(
    entry: SpecEntry,
    binding: Binding,
    plan: CallPlan,
    server: PrismServer,
    variant: str,
) -> list[str]:
    """Make one call; return failure descriptions (empty when the call kept the contract)."""
    op = plan.operation
    head = f"{op.label} via {'.'.join(binding.attrs_path)}.{binding.method}() [{variant}]"
    recorder = Recorder()
    async with (
        aiohttp.ClientSession(trace_configs=[recorder.trace_config]) as session,
        _client(entry, server.url, session) as tw,
    ):
        method = resolve_method(tw, binding)
        try:
            args, kwargs, notes = bind_arguments(method, plan)
        except ArgumentError as exc:
            STATS.other_failures.append(head)
            return [f"ERROR {head}\n  signature: {exc}"]
        STATS.spelling_notes.extend(f"{op.spec} {op.id}: {n}" for n in notes)
        log_mark = server.log_size()
        STATS.calls += 1
        try:
            result = await method(*args, **kwargs)
        except ApiError as exc:
            exchange = recorder.last
            sent = exchange.describe() if exchange else "(no request recorded)"
            if exc.status in VIOLATION_STATUSES:
                STATS.violations.append(head)
                reason = _prism_says(exchange, server, log_mark)
                return [f"VIOLATION {head}\n  request: {sent}\n  Prism: {reason}"]
            answer = f"{op.spec} {op.id}: {exc.status}"
            if answer not in STATS.other_answers:
                STATS.other_answers.append(answer)
            return []
        except Exception as exc:
            exchange = recorder.last
            sent = exchange.describe() if exchange else "(no request was sent)"
            detail = "".join(traceback.format_exception_only(exc)).strip()
            if (
                exchange is not None
                and exchange.status is not None
                and (200 <= exchange.status < 300)
            ):
                STATS.parse_failures.append(head)
                kind = "PARSE FAILURE"
            else:
                STATS.other_failures.append(head)
                kind = "ERROR"
            return [f"{kind} {head}\n  {detail}\n  request: {sent}"]
    exchange = recorder.last
    if exchange is None:
        STATS.other_failures.append(head)
        return [f"ERROR {head}\n  no request was sent"]
    unsent = missing_on_wire(plan, exchange)
    if unsent:
        STATS.violations.append(head)
        return [
            f"VIOLATION {head}\n  " + "\n  ".join(unsent) + f"\n  request: {exchange.describe()}"
        ]
    problems = check_result(
        method,
        result,
        bytes(exchange.response).decode("utf-8", "replace"),
        binding.operation.items_key,
    )
    if problems:
        STATS.parse_failures.append(head)
        return [f"PARSE FAILURE {head}\n  " + "\n  ".join(problems)]
    return []


async def test_generated_operation(
    spec_entry: SpecEntry, operation: SpecOperation, prism_fleet: PrismFleet
) -> None:
    """The generated method sends requests Prism accepts and decodes the answer into its model."""
    STATS.operations_selected += 1
    try:
        binding = _bindings(spec_entry.name).get(operation.id)
    except BindingError as exc:
        STATS.other_failures.append(operation.label)
        pytest.fail(str(exc), pytrace=False)
    if binding is None:
        STATS.other_failures.append(operation.label)
        pytest.fail(f"{operation.label}: no generated method has this operationId", pytrace=False)
    declared = binding.operation
    expected = (operation.method, operation.path, _server_url(spec_entry.doc, operation))
    actual = (declared.method, declared.path, declared.server)
    assert actual == expected, f"{operation.label}: generated Operation says {actual}"
    shape = paging_problem(spec_entry.doc, operation, declared)
    server = prism_fleet.server(spec_entry.name)
    failures: list[str] = []
    if shape is not None:
        STATS.other_failures.append(operation.label)
        failures.append(f"ERROR {operation.label}: {shape}")
    for variant, optional in VARIANTS:
        plan = plan_call(spec_entry.doc, operation, optional=optional)
        failures.extend(await _call_once(spec_entry, binding, plan, server, variant))
    STATS.operations_called += 1
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
