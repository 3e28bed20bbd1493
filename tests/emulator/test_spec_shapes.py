"""Emulator responses carry exactly the fields Twilio's specs give each resource."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from trunkline.testing import Emulator
from trunkline.tokens.push import PushKey

from .conftest import Clock

SPECS = Path(__file__).resolve().parents[2] / "specs" / ".upstream"


def _schema(spec: str, name: str) -> set[str]:
    files = sorted(SPECS.glob(f"*/{spec}"))
    if not files:
        pytest.skip("Twilio's specs are not unpacked (make specs)")
    return set(json.loads(files[-1].read_text())["components"]["schemas"][name]["properties"])


def _list_meta(spec: str, path: str) -> set[str]:
    files = sorted(SPECS.glob(f"*/{spec}"))
    if not files:
        pytest.skip("Twilio's specs are not unpacked (make specs)")
    op = json.loads(files[-1].read_text())["paths"][path]["get"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    return set(schema["properties"]["meta"]["properties"])


async def _call(s: aiohttp.ClientSession, method: str, path: str, data: Any = None) -> Any:
    async with s.request(method, path, data=data) as r:
        assert r.status < 300, await r.text()
        return await r.json()


async def test_verify_shapes(twilio_http: aiohttp.ClientSession, clock: Clock) -> None:
    """Services, entities, new and fetched factors and challenges match Verify v2's schemas."""
    spec = "twilio_verify_v2.json"
    service = await _call(twilio_http, "POST", "/v2/Services", {"FriendlyName": "Acme"})
    assert set(service) == _schema(spec, "verify.v2.service")
    base = f"/v2/Services/{service['sid']}/Entities"
    entity = await _call(twilio_http, "POST", base, {"Identity": "user-0001"})
    assert set(entity) == _schema(spec, "verify.v2.service.entity")
    key = PushKey.generate()
    new = await _call(
        twilio_http,
        "POST",
        f"{base}/user-0001/Factors",
        {
            "FriendlyName": "p",
            "FactorType": "push",
            "Binding.Alg": "ES256",
            "Binding.PublicKey": key.public_key,
        },
    )
    assert set(new) == _schema(spec, "verify.v2.service.entity.new_factor")
    factor_path = f"{base}/user-0001/Factors/{new['sid']}"
    factor = await _call(
        twilio_http, "POST", factor_path, {"AuthPayload": key.sign_factor(new["sid"])}
    )
    assert set(factor) == _schema(spec, "verify.v2.service.entity.factor")
    challenge = await _call(
        twilio_http,
        "POST",
        f"{base}/user-0001/Challenges",
        {"FactorSid": new["sid"], "Details.Message": "ok?"},
    )
    assert set(challenge) == _schema(spec, "verify.v2.service.entity.challenge")
    listed = await _call(twilio_http, "GET", f"{base}/user-0001/Challenges")
    meta = _list_meta(spec, "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges")
    assert set(listed["meta"]) == meta


async def test_taskrouter_shapes(twilio_http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Workspaces, activities, workers, tasks and reservations match TaskRouter v1's schemas."""
    spec = "twilio_taskrouter_v1.json"
    ws = await _call(twilio_http, "POST", "/v1/Workspaces", {"FriendlyName": "Support"})
    assert set(ws) == _schema(spec, "taskrouter.v1.workspace")
    base = f"/v1/Workspaces/{ws['sid']}"
    activities = await _call(twilio_http, "GET", f"{base}/Activities?FriendlyName=Available")
    [available] = activities["activities"]
    assert set(available) == _schema(spec, "taskrouter.v1.workspace.activity")
    worker = await _call(
        twilio_http,
        "POST",
        f"{base}/Workers",
        {"FriendlyName": "Ana", "ActivitySid": available["sid"]},
    )
    assert set(worker) == _schema(spec, "taskrouter.v1.workspace.worker")
    task = await _call(twilio_http, "POST", f"{base}/Tasks", {"Attributes": "{}"})
    assert set(task) == _schema(spec, "taskrouter.v1.workspace.task")
    by_task = await _call(twilio_http, "GET", f"{base}/Tasks/{task['sid']}/Reservations")
    [reservation] = by_task["reservations"]
    assert set(reservation) == _schema(spec, "taskrouter.v1.workspace.task.task_reservation")
    by_worker = await _call(twilio_http, "GET", f"{base}/Workers/{worker['sid']}/Reservations")
    assert set(by_worker["reservations"][0]) == _schema(
        spec, "taskrouter.v1.workspace.worker.worker_reservation"
    )
