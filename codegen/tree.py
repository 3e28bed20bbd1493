"""Where each resource of a spec hangs: its parent, its attribute name and its module.

A resource is the set of paths that share everything up to their last literal segment
(``/v2/Services/{Sid}/Entities`` and ``/v2/Services/{Sid}/Entities/{Identity}``).

Where it hangs: a spec that declares parents (Twilio's ``x-twilio.parent``) is taken at its
word, and a path it gives no parent hangs on the unit, as in Twilio's own libraries. Any
other spec is read by its static prefixes: the nearest resource whose path is a prefix of
its own is the parent, and a collection with no path of its own (``/Calls/{CallSid}/Notes``
alone) is still a level of the tree.

How it is named: the snake_case of its last literal segment (``.json`` dropped), unless the
spec names it: Twilio's ``x-twilio.mountName`` is the attribute its libraries and docs use
(``verification_checks`` for ``/VerificationCheck``, ``sync_lists`` for ``/Lists``).

Twilio's 2010 API nests almost everything under ``/Accounts/{AccountSid}``; a parameter
the client fills (``caller_defaults``) is an implied level, so what hangs below it hangs
beside its parent instead (``api.v2010.messages``, not ``api.v2010.accounts.messages``).

Names are unique among siblings: a child named like one of its parent's methods (``list``)
or like another sibling takes a trailing ``_`` (then ``_2``, ``_3``...), decided in the
spec's path order, so the same spec always gives the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from trunkline.codegen.naming import python_name, singular, snake

__all__ = [
    "SHORTCUTS",
    "SHORTCUT_UNIT",
    "Node",
    "is_param",
    "plan_tree",
    "resource_key",
    "segments",
]

# The account-level 2010 resources twilio-python's ``Client`` also offers at its top level
# (``client.messages``); trunkline's Twilio client has the same shortcuts.
SHORTCUT_UNIT = ("twilio", ("api", "v2010"))
SHORTCUTS = (
    "addresses",
    "applications",
    "authorized_connect_apps",
    "available_phone_numbers",
    "balance",
    "calls",
    "conferences",
    "connect_apps",
    "incoming_phone_numbers",
    "keys",
    "messages",
    "notifications",
    "outgoing_caller_ids",
    "queues",
    "recordings",
    "short_codes",
    "signing_keys",
    "sip",
    "tokens",
    "transcriptions",
    "usage",
)

_UNIT_RESERVED = frozenset({"models", "self"})


def segments(path: str) -> list[str]:
    """The segments of ``path``, ``.json`` dropped (``/a/B.json`` → ``["a", "B"]``).

    A path with no literal segment (``/``, an API's index, or ``/{id}``) is read as if it
    began with ``root``, the name its resource takes.
    """
    parts = [s[:-5] if s.endswith(".json") else s for s in path.split("/") if s]
    return parts if any(not is_param(s) for s in parts) else ["root", *parts]


def is_param(segment: str) -> bool:
    """Whether a path segment is a parameter (``{Sid}``)."""
    return segment.startswith("{") and segment.endswith("}")


def resource_key(path: str) -> tuple[str, ...] | None:
    """The path up to its last literal segment, parameters as ``{}``; None without a literal."""
    parts = segments(path)
    literal = [i for i, s in enumerate(parts) if not is_param(s)]
    if not literal:
        return None
    return tuple("{}" if is_param(s) else s for s in parts[: literal[-1] + 1])


@attrs.frozen
class Node:
    """One resource's place in the tree.

    Args:
        key: the resource key (see :func:`resource_key`).
        parent: the parent's key, or None for a resource on the unit.
        attr: its attribute name on the parent (or the unit).
        module: its module in the unit's package, unique in the unit.
        tree: the attribute names from the unit down to it.
        path: its collection path, parameters named (``/v2/Services/{ServiceSid}/Entities``).
    """

    key: tuple[str, ...]
    parent: tuple[str, ...] | None
    attr: str
    module: str
    tree: tuple[str, ...]
    path: str


def _declared_parent(
    key: tuple[str, ...], declared: str | None, keys: set[tuple[str, ...]]
) -> tuple[str, ...] | None:
    """The resource ``x-twilio.parent`` names, when it is one of the spec's."""
    named = resource_key(declared) if declared else None
    if named is not None:
        # Twilio writes the parent without the version (``/Accounts/{Sid}.json``).
        for candidate in (named, (key[0], *named)):
            if candidate in keys and candidate != key:
                return candidate
    return None


def _parent_of(
    key: tuple[str, ...], declared: str | None, keys: set[tuple[str, ...]], by_prefix: bool
) -> tuple[str, ...] | None:
    found = _declared_parent(key, declared, keys)
    if found is not None or not by_prefix:
        return found
    for n in range(len(key) - 1, 0, -1):
        if key[:n] in keys:
            return key[:n]
    return None


def _lift(
    key: tuple[str, ...],
    parent: tuple[str, ...] | None,
    params: Mapping[tuple[str, ...], tuple[str, ...]],
    parents: Mapping[tuple[str, ...], tuple[str, ...] | None],
    caller_defaults: frozenset[str],
) -> tuple[str, ...] | None:
    """Skip parents reached through a parameter the client fills (the implied Accounts)."""
    while parent is not None:
        names = params.get(key, ())
        position = len(parent)
        inside = position < min(len(names), len(key))
        through = names[position] if inside and key[position] == "{}" else ""
        if through not in caller_defaults:
            break
        parent = parents[parent]
    return parent


def _module_names(
    keys: list[tuple[str, ...]], full: set[tuple[str, ...]]
) -> dict[tuple[str, ...], str]:
    """Short unique module names: the own segment, then parents' singulars while they clash."""
    chains = {}
    for key in keys:
        literal = [s for s in key if s != "{}"]
        chains[key] = [snake(literal[-1])] + [snake(singular(p)) for p in reversed(literal[:-1])]
    depth = dict.fromkeys(keys, 1)

    def name(key: tuple[str, ...]) -> str:
        return "_".join(reversed(chains[key][: depth[key]]))

    while True:
        groups: dict[str, list[tuple[str, ...]]] = {}
        for key in keys:
            groups.setdefault(name(key), []).append(key)
        moved = False
        for group in groups.values():
            if len(group) < 2:
                continue
            # A full resource (one with instances) keeps the bare name before a singleton.
            rank = {k: (0 if k in full else 1, len(k)) for k in group}
            best = min(rank.values())
            keep = [k for k in group if rank[k] == best]
            for key in group:
                if len(keep) == 1 and key == keep[0]:
                    continue
                if depth[key] < len(chains[key]):
                    depth[key] += 1
                    moved = True
        if not moved:
            break
    result: dict[tuple[str, ...], str] = {}
    used: set[str] = set()
    for key in keys:
        base = python_name(name(key), _UNIT_RESERVED)
        if base == "models":
            base = "models_"
        module, n = base, 2
        while module in used:
            module, n = f"{base}_{n}", n + 1
        used.add(module)
        result[key] = module
    return result


def plan_tree(
    paths: Iterable[tuple[str, str | None, str | None]],
    with_ops: set[tuple[str, ...]],
    explicit: Mapping[tuple[str, ...], str],
    methods: Mapping[tuple[str, ...], set[str]],
    caller_defaults: Iterable[str] = (),
    unit_members: Iterable[str] = (),
) -> dict[tuple[str, ...], Node]:
    """Place every resource that has operations, or descendants with operations.

    Args:
        paths: each spec path with its ``x-twilio.parent`` and ``x-twilio.mountName`` (or
            None), in spec order.
        with_ops: the keys of resources with at least one operation.
        explicit: keys named by ``x-trunkline.resource`` (``("@name",)``) → that name;
            they hang on the unit as named.
        methods: each key's method names, which its children's names avoid.
        caller_defaults: path parameters the client fills (``AccountSid``).
        unit_members: names the unit's class already has, which resources on it avoid.
    """
    declared: dict[tuple[str, ...], str | None] = {}
    params: dict[tuple[str, ...], tuple[str, ...]] = {}
    full: set[tuple[str, ...]] = set()
    mounts: dict[tuple[str, ...], str] = {}
    for path, declared_parent, mount in paths:
        key = resource_key(path)
        if key is None:
            continue
        declared.setdefault(key, declared_parent)
        if mount:
            mounts.setdefault(key, snake(mount))
        parts = segments(path)
        params.setdefault(key, tuple(s[1:-1] if is_param(s) else "" for s in parts))
        if is_param(parts[-1]):
            full.add(key)
    keys = set(declared)
    # A spec that says where its resources hang (Twilio's) is taken at its word.
    by_prefix = not any(declared.values())
    for key in list(declared) if by_prefix else ():
        if _declared_parent(key, declared[key], keys) is None:
            # A collection with no path of its own (``/Calls/{CallSid}/Notes`` alone) is
            # still a level: a literal followed by a parameter.
            for n in range(1, len(key) - 1):
                if key[n] != "{}" and key[n + 1] == "{}" and key[: n + 1] not in keys:
                    declared[key[: n + 1]] = None
                    params[key[: n + 1]] = params[key][: n + 1]
                    keys.add(key[: n + 1])
    parents = {key: _parent_of(key, declared[key], keys, by_prefix) for key in declared}
    defaults = frozenset(caller_defaults)
    lifted = {k: _lift(k, p, params, parents, defaults) for k, p in parents.items()}
    wanted: list[tuple[str, ...]] = []
    for key in declared:
        if key in with_ops or key in explicit:
            node: tuple[str, ...] | None = key
            while node is not None and node not in wanted:
                wanted.append(node)
                node = lifted.get(node)
    order = [k for k in declared if k in wanted] + [k for k in explicit if k not in declared]
    modules = _module_names([k for k in order if k not in explicit], full)
    modules.update({k: python_name(name, _UNIT_RESERVED) for k, name in explicit.items()})
    taken: dict[tuple[str, ...] | None, set[str]] = {None: {*_UNIT_RESERVED, *unit_members}}
    names: dict[tuple[str, ...], str] = {}
    for key in order:
        parent: tuple[str, ...] | None = None if key in explicit else lifted[key]
        siblings = taken.setdefault(parent, set(methods.get(parent, ())) if parent else set())
        if key in explicit:
            base = explicit[key]
        else:
            base = python_name(mounts.get(key) or snake(key[-1]), _UNIT_RESERVED)
        attr = base
        if attr in siblings:
            attr = base + "_"
        n = 2
        while attr in siblings:
            attr, n = f"{base}_{n}", n + 1
        siblings.add(attr)
        names[key] = attr

    def tree(key: tuple[str, ...]) -> tuple[str, ...]:
        parent = None if key in explicit else lifted[key]
        return (*tree(parent), names[key]) if parent is not None else (names[key],)

    def where(key: tuple[str, ...]) -> str:
        names = params.get(key, ())
        parts = [f"{{{names[i]}}}" if s == "{}" else s for i, s in enumerate(key)]
        return "/" + "/".join(parts)

    return {
        key: Node(
            key,
            None if key in explicit else lifted[key],
            names[key],
            modules[key],
            tree(key),
            where(key),
        )
        for key in order
    }
