"""Capability-token policies in the emulator: whether a token's policies allow a request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["policy_allows"]


def _path_matches(pattern: str, path: str) -> bool:
    policy_path = urlsplit(pattern).path.rstrip("/")
    target = path.rstrip("/")
    if policy_path.endswith("/**"):
        prefix = policy_path[:-3]
        return target == prefix or target.startswith(prefix + "/")
    return target == policy_path


def _filter_ok(constraints: Any, values: Mapping[str, Any]) -> bool:
    if not constraints:
        return True
    if not isinstance(constraints, Mapping):
        return False
    for name, rule in constraints.items():
        required = isinstance(rule, Mapping) and bool(rule.get("required"))
        if required and name not in values:
            return False
    return True


def policy_allows(
    policies: Any, method: str, path: str, query: Mapping[str, Any], form: Mapping[str, Any]
) -> bool:
    """Whether a capability token's policies allow a request.

    A policy applies when its URL's path matches (``/**`` covers everything below) and its
    method is the request's; its ``query_filter`` (GET) or ``post_filter`` (POST) must then
    be met: every parameter marked ``required`` present. A matching ``allow: false`` policy
    denies; otherwise one matching ``allow: true`` policy is enough.
    """
    if not isinstance(policies, list):
        return False
    allowed = False
    for policy in policies:
        if not isinstance(policy, Mapping):
            continue
        if str(policy.get("method", "")).upper() != method:
            continue
        if not _path_matches(str(policy.get("url", "")), path):
            continue
        if not _filter_ok(policy.get("query_filter"), query):
            continue
        if method == "POST" and not _filter_ok(policy.get("post_filter"), form):
            continue
        if policy.get("allow") is False:
            return False
        if policy.get("allow") is True:
            allowed = True
    return allowed
