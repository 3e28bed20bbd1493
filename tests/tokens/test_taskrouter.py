"""TaskRouter capability builders: claims and policies equal the official package's tokens."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.jwt.taskrouter.capabilities import (
    TaskQueueCapabilityToken,
    WorkerCapabilityToken,
    WorkspaceCapabilityToken,
)

from trunkline.tokens import (
    TaskQueueCapability,
    WorkerCapability,
    WorkspaceCapability,
    decode,
)

from .oracle import freeze_official_clock, open_token

ACCOUNT = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "auth-token-of-thirty-two-chars-x"
WORKSPACE = "WS" + "1" * 32
WORKER = "WK" + "2" * 32
QUEUE = "WQ" + "3" * 32
NOW = 1_764_000_000
BASE = f"https://taskrouter.twilio.com/v1/Workspaces/{WORKSPACE}"


def _policy_key(policy: dict[str, Any]) -> str:
    return repr(sorted(policy.items()))


def _same(ours: str, theirs: str) -> None:
    """Asserts equal headers and claims, with policies equal as a set and in order."""
    our_header, our_claims = open_token(ours, AUTH_TOKEN)
    their_header, their_claims = open_token(theirs, AUTH_TOKEN)
    assert our_header == their_header
    assert sorted(map(_policy_key, our_claims["policies"])) == sorted(
        map(_policy_key, their_claims["policies"])
    )
    assert our_claims == their_claims


@settings(max_examples=30, deadline=None)
@given(
    activity=st.booleans(),
    reservations=st.booleans(),
    ttl=st.integers(min_value=1, max_value=86_400),
)
def test_worker_matches_official(activity: bool, reservations: bool, ttl: int) -> None:
    """Worker claims and policy set equal WorkerCapabilityToken's for the same inputs and time."""
    ours = WorkerCapability.new(WORKER, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
    ours = ours.with_ttl(ttl)
    if activity:
        ours = ours.allow_activity_updates()
    if reservations:
        ours = ours.allow_reservation_updates()
    theirs = WorkerCapabilityToken(
        ACCOUNT,
        AUTH_TOKEN,
        WORKSPACE,
        WORKER,
        ttl=ttl,
        allow_update_activities=activity,
        allow_update_reservations=reservations,
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        freeze_official_clock(monkeypatch, NOW)
        their_token = theirs.to_jwt()
    _same(ours.token(now=NOW), their_token)


def test_worker_claims_spelled_out() -> None:
    """Worker defaults and update rights produce exactly the documented claims."""
    token = (
        WorkerCapability.new(WORKER, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
        .starting_at(NOW)
        .allow_activity_updates()
        .allow_reservation_updates()
        .token()
    )
    socket = f"https://event-bridge.twilio.com/v1/wschannels/{ACCOUNT}/{WORKER}"
    worker = f"{BASE}/Workers/{WORKER}"

    def rule(url: str, method: str, post: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "url": url,
            "method": method,
            "query_filter": {},
            "post_filter": post or {},
            "allow": True,
        }

    claims = decode(token, AUTH_TOKEN, now=NOW)
    assert claims == {
        "iss": ACCOUNT,
        "account_sid": ACCOUNT,
        "exp": NOW + 3600,
        "nbf": NOW,
        "version": "v1",
        "workspace_sid": WORKSPACE,
        "channel": WORKER,
        "friendly_name": WORKER,
        "worker_sid": WORKER,
        "policies": [
            rule(socket, "GET"),
            rule(socket, "POST"),
            rule(worker, "GET"),
            rule(f"{BASE}/Activities", "GET"),
            rule(f"{BASE}/Tasks/**", "GET"),
            rule(f"{worker}/Reservations/**", "GET"),
            rule(worker, "POST", {"ActivitySid": {"required": True}}),
            rule(f"{BASE}/Tasks/**", "POST"),
            rule(f"{worker}/Reservations/**", "POST"),
        ],
    }


def test_workspace_and_queue_match_official(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workspace and task queue tokens equal the official ones, incl. sub-resource rights."""
    workspace = (
        WorkspaceCapability.new(WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
        .allow_fetch_subresources()
        .allow_delete_subresources()
        .allow_update_subresources()
    )
    queue = TaskQueueCapability.new(QUEUE, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
    freeze_official_clock(monkeypatch, NOW)
    official_workspace = WorkspaceCapabilityToken(
        ACCOUNT,
        AUTH_TOKEN,
        WORKSPACE,
        allow_fetch_subresources=True,
        allow_update_subresources=True,
        allow_delete_subresources=True,
    ).to_jwt()
    official_queue = TaskQueueCapabilityToken(ACCOUNT, AUTH_TOKEN, WORKSPACE, QUEUE).to_jwt()
    _same(workspace.token(now=NOW), official_workspace)
    _same(queue.token(now=NOW), official_queue)
    assert decode(queue.token(now=NOW), AUTH_TOKEN, now=NOW)["taskqueue_sid"] == QUEUE


def test_self_update_and_delete_match_official(monkeypatch: pytest.MonkeyPatch) -> None:
    """allow_updates/allow_delete equal the official allow_update_self/allow_delete_self."""
    ours = (
        TaskQueueCapability.new(QUEUE, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
        .allow_updates()
        .allow_delete()
    )
    freeze_official_clock(monkeypatch, NOW)
    theirs = TaskQueueCapabilityToken(
        ACCOUNT, AUTH_TOKEN, WORKSPACE, QUEUE, allow_update_self=True, allow_delete_self=True
    ).to_jwt()
    _same(ours.token(now=NOW), theirs)


def test_builder_steps_return_new_values() -> None:
    """Each step returns a new value and leaves the original unchanged."""
    base = WorkerCapability.new(WORKER, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
    updated = base.allow_activity_updates()
    assert updated is not base
    assert base.policies == ()
    assert len(updated.policies) == 1
    assert updated.allow_activity_updates() == updated
    with pytest.raises(AttributeError):
        base.ttl = 5  # type: ignore[misc]


def test_sid_changes_move_policies() -> None:
    """Changing the worker or workspace SID later re-targets the default and relative policies."""
    other_worker, other_ws = "WK" + "9" * 32, "WS" + "8" * 32
    token = (
        WorkerCapability.new(WORKER, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
        .allow_activity_updates()
        .with_worker_sid(other_worker)
        .with_workspace_sid(other_ws)
        .token(now=NOW)
    )
    claims = decode(token, AUTH_TOKEN, now=NOW)
    urls = [policy["url"] for policy in claims["policies"]]
    assert all(WORKER not in url and WORKSPACE not in url for url in urls)
    assert f"https://taskrouter.twilio.com/v1/Workspaces/{other_ws}/Workers/{other_worker}" in urls
    assert claims["worker_sid"] == other_worker


def test_custom_allow_and_deny() -> None:
    """allow/deny add absolute-URL policies with filters; the method is upper-cased."""
    url = f"{BASE}/Tasks"
    claims = decode(
        WorkspaceCapability.new(WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
        .allow(url, "get", {"TaskQueueSid": {"required": True}})
        .deny(url, "post", post_filter={"Attributes": {"required": True}})
        .token(now=NOW),
        AUTH_TOKEN,
        now=NOW,
    )
    assert claims["policies"][-2:] == [
        {
            "url": url,
            "method": "GET",
            "query_filter": {"TaskQueueSid": {"required": True}},
            "post_filter": {},
            "allow": True,
        },
        {
            "url": url,
            "method": "POST",
            "query_filter": {},
            "post_filter": {"Attributes": {"required": True}},
            "allow": False,
        },
    ]


def test_ttl_and_start() -> None:
    """Default TTL is one hour from the start time; with_ttl and starting_at change them."""
    cap = WorkerCapability.new(WORKER, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
    claims = decode(cap.token(now=NOW), AUTH_TOKEN, now=NOW)
    assert (claims["nbf"], claims["exp"]) == (NOW, NOW + 3600)
    later = cap.starting_at(NOW + 100).with_ttl(60)
    claims = decode(later.token(now=NOW), AUTH_TOKEN, now=NOW + 100)
    assert (claims["nbf"], claims["exp"]) == (NOW + 100, NOW + 160)


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Account SID and auth token come from TWILIO_* unless given; with_* override them."""
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    cap = WorkerCapability.new(WORKER, WORKSPACE)
    assert decode(cap.token(now=NOW), AUTH_TOKEN, now=NOW)["iss"] == ACCOUNT
    other = "AC" + "f" * 32
    switched = cap.with_account_sid(other).with_auth_token("another-auth-token-of-32-chars-xx")
    assert (
        decode(switched.token(now=NOW), "another-auth-token-of-32-chars-xx", now=NOW)["iss"]
        == other
    )
    monkeypatch.delenv("TWILIO_ACCOUNT_SID")
    monkeypatch.delenv("TWILIO_AUTH_TOKEN")
    missing = WorkerCapability.new(WORKER, WORKSPACE)
    with pytest.raises(ValueError, match="TWILIO_ACCOUNT_SID"):
        missing.token()
    with pytest.raises(ValueError, match="TWILIO_AUTH_TOKEN"):
        missing.with_account_sid(ACCOUNT).token()


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda: WorkerCapability.new("WS1", WORKSPACE, environ={}), "worker_sid"),
        (lambda: WorkerCapability.new(WORKER, "WK1", environ={}), "workspace_sid"),
        (lambda: TaskQueueCapability.new(WORKER, WORKSPACE, environ={}), "taskqueue_sid"),
        (lambda: WorkspaceCapability.new(WORKSPACE, account_sid="SK1"), "account_sid"),
        (lambda: WorkspaceCapability.new(WORKSPACE, environ={}).with_ttl(0), "ttl"),
        (lambda: WorkspaceCapability.new(WORKSPACE, environ={}).starting_at(-1), "start"),
        (lambda: WorkspaceCapability.new(WORKSPACE, environ={}).with_auth_token(""), "auth_token"),
        (lambda: WorkspaceCapability.new(WORKSPACE, environ={}).allow("/v1/x", "GET"), "absolute"),
        (lambda: WorkspaceCapability.new(WORKSPACE, environ={}).allow(BASE, "PUT"), "method"),
    ],
)
def test_bad_arguments(build: Any, problem: str) -> None:
    """Bad SIDs, times, secrets, URLs and methods raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=problem):
        build()


def test_auth_token_not_in_repr() -> None:
    """The auth token never appears in repr."""
    cap = WorkerCapability.new(WORKER, WORKSPACE, account_sid=ACCOUNT, auth_token=AUTH_TOKEN)
    assert AUTH_TOKEN not in repr(cap)
