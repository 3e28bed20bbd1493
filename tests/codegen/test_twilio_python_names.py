"""trunkline's resource paths against twilio-python's, resource by resource (by URL).

Both trees are walked from each domain version down: trunkline's through its lazy
children, twilio-python's through its list and context properties (a context call such
as ``services(sid)`` is a step of the URL, not of the name). A resource of trunkline is
*equal* when twilio-python reaches the same URL by the same attribute path. The 2010 API's
``account`` context is the level trunkline implies (``api.v2010.messages``). Every other
resource is listed with its reason in ``docs/twilio-python-names.md``.
"""

from __future__ import annotations

import functools
import inspect
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import trunkline

twilio_rest = pytest.importorskip("twilio.rest")
from twilio.base.instance_context import InstanceContext  # noqa: E402
from twilio.base.list_resource import ListResource  # noqa: E402

TABLE = Path(__file__).resolve().parents[2] / "docs" / "twilio-python-names.md"
SID = "AC" + "0" * 32
_ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$")
_DOC_PATH = re.compile(r"``(/[^`]*)``")

Key = tuple[str, ...]


def _url_key(uri: str) -> Key:
    """A URL as path segments, parameters as ``{}``, trailing parameters and ``.json`` dropped."""
    parts = [p.removesuffix(".json") for p in uri.split("?")[0].split("/") if p]
    parts = ["{}" if p in ("X", SID) or p.startswith("{") else p for p in parts]
    while parts and parts[-1] == "{}":
        parts.pop()
    return tuple(parts)


def _ours(node: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Key]]:
    for name, member in sorted(vars(type(node)).items()):
        if isinstance(member, functools.cached_property):
            child = getattr(node, name)
            found = _DOC_PATH.search(type(child).__doc__ or "")
            assert found is not None, f"{type(child).__name__} names no path in its docstring"
            yield (*prefix, name), _url_key(found.group(1))[1:]
            yield from _ours(child, (*prefix, name))


def _context(resource: Any) -> Any:
    for args in (("X",), (), ("X", "X")):
        try:
            return resource(*args)
        except Exception:
            # A call shape this list does not take (its context wants other arguments).
            continue
    return None


def _theirs(node: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Key]]:
    for name, member in inspect.getmembers(type(node)):
        if not isinstance(member, property) or name.startswith("_") or len(prefix) > 8:
            continue
        child = getattr(node, name)
        if not isinstance(child, ListResource | InstanceContext):
            continue
        context = _context(child) if callable(child) else None
        # A singleton's list has no URL of its own; its context (``statistics()``) has.
        uri = getattr(child, "_uri", None) or getattr(context, "_uri", None)
        yield (*prefix, name), _url_key(uri) if isinstance(uri, str) else ()
        yield from _theirs(child, (*prefix, name))
        if context is not None and hasattr(context, "_uri"):
            yield from _theirs(context, (*prefix, name))


def _units(tw: Any) -> Iterator[tuple[str, str, Any]]:
    for domain, member in sorted(vars(type(tw)).items()):
        if isinstance(member, functools.cached_property):
            holder = getattr(tw, domain)
            for version, sub in sorted(vars(type(holder)).items()):
                if isinstance(sub, functools.cached_property):
                    yield domain, version, getattr(holder, version)


def _twilio_version(client: Any, domain: str, version: str) -> Any:
    for name in (domain, f"{domain}_api"):
        if hasattr(type(client), name):
            return getattr(getattr(client, name), version, None)
    return None


def compare() -> dict[str, str]:
    """Each trunkline resource path → twilio-python's paths to the same URL (``=`` if equal)."""
    client = twilio_rest.Client(SID, "x")
    tw = trunkline.Twilio(account_sid=SID, auth_token="x")
    out: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for domain, version, unit in _units(tw):
            theirs: dict[Key, set[tuple[str, ...]]] = {}
            mounted = _twilio_version(client, domain, version)
            for chain, key in _theirs(mounted) if mounted is not None else ():
                if domain == "api":
                    if chain[0] == "account" and len(chain) > 1:
                        chain = chain[1:]
                    elif chain != ("accounts",):
                        continue
                theirs.setdefault(key, set()).add(chain)
            for chain, key in _ours(unit):
                same = theirs.get(key, set())
                name = ".".join((domain, version, *chain))
                if chain in same:
                    out[name] = "="
                else:
                    listed = sorted(".".join((domain, version, *c)) for c in same)
                    out[name] = ", ".join(f"`{c}`" for c in listed) or "—"
    return out


def _table() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        found = _ROW.match(line.strip())
        if found:
            rows[found.group(1)] = (found.group(2).strip(), found.group(3).strip())
    return rows


@pytest.fixture(scope="module")
def compared() -> dict[str, str]:
    """The comparison, computed once."""
    return compare()


def test_most_resource_paths_equal_twilio_pythons(compared: dict[str, str]) -> None:
    """At least 95% of the resources twilio-python also has are reached by its attribute path."""
    both = [name for name, theirs in compared.items() if theirs != "—"]
    equal = [name for name in both if compared[name] == "="]
    share = len(equal) / len(both)
    print(
        f"{len(equal)} of {len(both)} shared resources equal ({share:.1%}); {len(compared)} in all"
    )
    assert share >= 0.95


def test_every_difference_is_listed_with_its_reason(compared: dict[str, str]) -> None:
    """The table lists exactly the resources that differ, each with twilio-python's paths."""
    differ = {name: theirs for name, theirs in compared.items() if theirs != "="}
    table = _table()
    unlisted = {name: theirs for name, theirs in differ.items() if name not in table}
    stale = sorted(name for name in table if name not in differ)
    changed = {
        name: (table[name][0], theirs)
        for name, theirs in differ.items()
        if name in table and table[name][0] != theirs
    }
    assert not unlisted, f"differences missing from {TABLE.name}: {unlisted}"
    assert not stale, f"rows of {TABLE.name} that no longer differ: {stale}"
    assert not changed, f"rows of {TABLE.name} whose twilio-python side changed: {changed}"
    assert all(reason for _, reason in table.values())
