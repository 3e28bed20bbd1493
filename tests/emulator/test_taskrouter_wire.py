"""TaskRouter v1 in the emulator, over raw HTTP: resources, routing and capability tokens."""

from __future__ import annotations

from typing import Any

import aiohttp
import jwt

from trunkline.testing import Emulator

from .conftest import Clock

Session = aiohttp.ClientSession


async def _call(
    s: Session, method: str, path: str, data: Any = None, status: int = 200, **kw: Any
) -> dict[str, Any]:
    async with s.request(method, path, data=data, **kw) as r:
        body = await r.json()
        assert r.status == status, body
        return dict(body)


async def _workspace(s: Session) -> dict[str, Any]:
    return await _call(s, "POST", "/v1/Workspaces", {"FriendlyName": "Support"}, 201)


async def _activity(s: Session, ws: str, name: str) -> str:
    listed = await _call(s, "GET", f"/v1/Workspaces/{ws}/Activities?FriendlyName={name}")
    return str(listed["activities"][0]["sid"])


def _capability(
    emu: Emulator,
    ws: str,
    wk: str,
    clock: Clock,
    *,
    activity: bool,
    ttl: int = 3600,
    secret: str | None = None,
) -> str:
    base = f"https://taskrouter.twilio.com/v1/Workspaces/{ws}"

    def policy(url: str, method: str, post_filter: Any = None) -> dict[str, Any]:
        return {
            "url": url,
            "method": method,
            "query_filter": {},
            "post_filter": post_filter or {},
            "allow": True,
        }

    policies = [
        policy(f"{base}/Workers/{wk}", "GET"),
        policy(f"{base}/Activities", "GET"),
        policy(f"{base}/Tasks/**", "GET"),
        policy(f"{base}/Workers/{wk}/Reservations/**", "GET"),
    ]
    if activity:
        policies.append(policy(f"{base}/Workers/{wk}", "POST", {"ActivitySid": {"required": True}}))
    claims = {
        "iss": emu.account_sid,
        "account_sid": emu.account_sid,
        "version": "v1",
        "workspace_sid": ws,
        "worker_sid": wk,
        "channel": wk,
        "friendly_name": wk,
        "nbf": int(clock.now),
        "exp": int(clock.now) + ttl,
        "policies": policies,
    }
    return jwt.encode(claims, secret or emu.auth_token, algorithm="HS256")


async def test_workspace_has_default_activities(twilio_http: Session, emu: Emulator) -> None:
    """A new workspace comes with Offline (default), Available and Unavailable activities."""
    ws = await _workspace(twilio_http)
    assert ws["sid"].startswith("WS")
    assert ws["default_activity_name"] == "Offline"
    listed = await _call(twilio_http, "GET", f"/v1/Workspaces/{ws['sid']}/Activities")
    names = {a["friendly_name"]: a["available"] for a in listed["activities"]}
    assert names == {"Offline": False, "Available": True, "Unavailable": False}
    assert listed["meta"]["key"] == "activities"


async def test_task_is_reserved_and_accepted(twilio_http: Session) -> None:
    """A task goes to an available worker as a pending reservation; accepting assigns it."""
    ws = (await _workspace(twilio_http))["sid"]
    available = await _activity(twilio_http, ws, "Available")
    worker = await _call(
        twilio_http,
        "POST",
        f"/v1/Workspaces/{ws}/Workers",
        {"FriendlyName": "Ana", "Attributes": '{"skills": ["en"]}'},
        201,
    )
    assert worker["activity_name"] == "Offline"
    task = await _call(
        twilio_http, "POST", f"/v1/Workspaces/{ws}/Tasks", {"Attributes": '{"call": 1}'}, 201
    )
    assert task["assignment_status"] == "pending"
    updated = await _call(
        twilio_http,
        "POST",
        f"/v1/Workspaces/{ws}/Workers/{worker['sid']}",
        {"ActivitySid": available},
    )
    assert updated["activity_name"] == "Available"
    assert updated["available"] is True
    reservations = await _call(
        twilio_http, "GET", f"/v1/Workspaces/{ws}/Workers/{worker['sid']}/Reservations"
    )
    [reservation] = reservations["reservations"]
    assert reservation["reservation_status"] == "pending"
    assert reservation["task_sid"] == task["sid"]
    path = f"/v1/Workspaces/{ws}/Tasks/{task['sid']}/Reservations/{reservation['sid']}"
    accepted = await _call(twilio_http, "POST", path, {"ReservationStatus": "accepted"})
    assert accepted["reservation_status"] == "accepted"
    fetched = await _call(twilio_http, "GET", f"/v1/Workspaces/{ws}/Tasks/{task['sid']}")
    assert fetched["assignment_status"] == "assigned"
    await _call(twilio_http, "POST", path, {"ReservationStatus": "rejected"}, 400)


async def test_rejected_task_goes_to_the_next_worker(twilio_http: Session) -> None:
    """A rejected reservation returns the task to pending and reserves it for another worker."""
    ws = (await _workspace(twilio_http))["sid"]
    available = await _activity(twilio_http, ws, "Available")
    one = await _call(
        twilio_http,
        "POST",
        f"/v1/Workspaces/{ws}/Workers",
        {"FriendlyName": "Ana", "ActivitySid": available},
        201,
    )
    two = await _call(
        twilio_http,
        "POST",
        f"/v1/Workspaces/{ws}/Workers",
        {"FriendlyName": "Bo", "ActivitySid": available},
        201,
    )
    task = await _call(twilio_http, "POST", f"/v1/Workspaces/{ws}/Tasks", {}, 201)
    assert task["assignment_status"] == "reserved"
    base = f"/v1/Workspaces/{ws}/Tasks/{task['sid']}/Reservations"
    [first] = (await _call(twilio_http, "GET", base))["reservations"]
    assert first["worker_sid"] == one["sid"]
    await _call(twilio_http, "POST", f"{base}/{first['sid']}", {"ReservationStatus": "rejected"})
    pending = await _call(twilio_http, "GET", f"{base}?ReservationStatus=pending")
    assert [r["worker_sid"] for r in pending["reservations"]] == [two["sid"]]


async def test_capability_token_policies(
    raw_http: Session, twilio_http: Session, emu: Emulator, clock: Clock
) -> None:
    """A worker token may fetch its worker; only one with activity updates may change it."""
    ws = (await _workspace(twilio_http))["sid"]
    available = await _activity(twilio_http, ws, "Available")
    wk = (
        await _call(
            twilio_http, "POST", f"/v1/Workspaces/{ws}/Workers", {"FriendlyName": "Ana"}, 201
        )
    )["sid"]
    path = f"/v1/Workspaces/{ws}/Workers/{wk}"
    plain = {"X-Twilio-Token": _capability(emu, ws, wk, clock, activity=False)}
    full = {"X-Twilio-Token": _capability(emu, ws, wk, clock, activity=True)}
    fetched = await _call(raw_http, "GET", path, headers=plain)
    assert fetched["sid"] == wk
    denied = await _call(raw_http, "POST", path, {"ActivitySid": available}, 403, headers=plain)
    assert denied["code"] == 20403
    other_worker = f"/v1/Workspaces/{ws}/Workers/WK{'0' * 32}"
    await _call(raw_http, "GET", other_worker, status=403, headers=full)
    await _call(raw_http, "POST", path, {"FriendlyName": "Eve"}, 403, headers=full)
    allowed = await _call(raw_http, "POST", path, {"ActivitySid": available}, headers=full)
    assert allowed["activity_name"] == "Available"
    bearer = {"Authorization": "Bearer " + full["X-Twilio-Token"]}
    await _call(raw_http, "GET", path, headers=bearer)


async def test_expired_or_forged_capability_token_is_401(
    raw_http: Session, twilio_http: Session, emu: Emulator, clock: Clock
) -> None:
    """An expired token or one signed with another secret gets 401 with code 20003."""
    ws = (await _workspace(twilio_http))["sid"]
    wk = (
        await _call(
            twilio_http, "POST", f"/v1/Workspaces/{ws}/Workers", {"FriendlyName": "Ana"}, 201
        )
    )["sid"]
    path = f"/v1/Workspaces/{ws}/Workers/{wk}"
    short = _capability(emu, ws, wk, clock, activity=True, ttl=60)
    forged = _capability(
        emu, ws, wk, clock, activity=True, secret="not-the-auth-token-of-this-account-0123"
    )
    body = await _call(raw_http, "GET", path, status=401, headers={"X-Twilio-Token": forged})
    assert body["code"] == 20003
    await _call(raw_http, "GET", path, headers={"X-Twilio-Token": short})
    clock.now += 61
    await _call(raw_http, "GET", path, status=401, headers={"X-Twilio-Token": short})


async def test_activity_update_and_delete(twilio_http: Session) -> None:
    """Activities are renamed and deleted, except a default one or one with workers in it."""
    ws = await _workspace(twilio_http)
    base = f"/v1/Workspaces/{ws['sid']}/Activities"
    busy = await _call(twilio_http, "POST", base, {"FriendlyName": "Lunch"}, 201)
    spare = await _call(twilio_http, "POST", base, {"FriendlyName": "Break"}, 201)
    await _call(twilio_http, "POST", base, {"FriendlyName": "Break"}, 409)
    renamed = await _call(twilio_http, "POST", f"{base}/{spare['sid']}", {"FriendlyName": "Pause"})
    assert renamed["friendly_name"] == "Pause"
    await _call(
        twilio_http,
        "POST",
        f"/v1/Workspaces/{ws['sid']}/Workers",
        {"FriendlyName": "Ana", "ActivitySid": busy["sid"]},
        201,
    )
    await _call(twilio_http, "DELETE", f"{base}/{busy['sid']}", status=400)
    await _call(twilio_http, "DELETE", f"{base}/{ws['default_activity_sid']}", status=400)
    async with twilio_http.delete(f"{base}/{spare['sid']}") as r:
        assert r.status == 204
    await _call(twilio_http, "GET", f"{base}/{spare['sid']}", status=404)
