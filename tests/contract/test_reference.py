"""The harness checks itself against Prism: its reference encoding of every synthesized call
must be accepted, so a refusal of the generated client's request is the client's fault.
"""

from __future__ import annotations

import aiohttp
import pytest

from ._check import VIOLATION_STATUSES
from ._prism import PrismFleet
from ._spec import oauth_only, operations
from ._synth import VARIANTS, plan_call
from ._wire import RawRequest, encode_plan, send_raw
from .conftest import STATS, SpecEntry

pytestmark = pytest.mark.contract


async def test_synthesized_requests_pass_prism(
    spec_entry: SpecEntry, prism_fleet: PrismFleet
) -> None:
    """Prism accepts the harness's own encoding of every synthesized call of the spec."""
    STATS.specs_selected += 1
    if spec_entry.skip is not None:
        STATS.skipped_specs[spec_entry.name] = spec_entry.skip
        pytest.skip(f"{spec_entry.name}: {spec_entry.skip}")
    server = prism_fleet.server(spec_entry.name)
    bearer = oauth_only(spec_entry.doc)
    refused: list[str] = []
    async with aiohttp.ClientSession() as session:
        for op in operations(spec_entry.name, spec_entry.doc):
            for variant, optional in VARIANTS:
                request = encode_plan(plan_call(spec_entry.doc, op, optional=optional))
                if bearer:
                    request.headers["Authorization"] = "Bearer contract-token"
                status, text = await send_raw(session, server.url, request)
                if status in VIOLATION_STATUSES:
                    refused.append(
                        f"{op.label} [{variant}] {request.method} {request.target} "
                        f"{(request.body or b'').decode()[:500]} -> {status} {text[:500]}"
                    )
    STATS.raw_refusals.extend(refused)
    assert not refused, "\n".join(refused)


async def test_prism_refuses_requests_that_break_the_spec(prism_fleet: PrismFleet) -> None:
    """Prism serving Verify v2 refuses a bad SID, a missing field, a bad enum and no auth."""
    server = prism_fleet.server("verify_v2")
    base = "/v2/Services/VA" + "0123456789abcdef" * 2 + "/Entities/ana/Factors"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    cases = [
        (base.replace("/VA", "/XX"), b"FactorType=totp&FriendlyName=x", {}, "pattern"),
        (base, b"FactorType=totp", {}, "FriendlyName"),
        (base, b"FactorType=sms&FriendlyName=x", {}, "allowed values"),
        (base, b"FactorType=totp&FriendlyName=x", {"Authorization": ""}, "security"),
    ]
    async with aiohttp.ClientSession() as session:
        for target, body, extra, reason in cases:
            request = RawRequest("POST", target, {**form, **extra}, body)
            status, text = await send_raw(session, server.url, request)
            assert status in VIOLATION_STATUSES, (target, body, status, text)
            assert reason in text
