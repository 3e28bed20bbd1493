"""Contract-test plumbing: which specs run, their Prism processes, and the closing summary.

Without ``--contract-all`` only the CI subset runs (Verify v2, TaskRouter v1, Api v2010).
Test items are parametrized per spec and per operation, then ordered spec by spec so each
batch of Prism processes starts once.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from ._prism import PrismFleet, ensure_prism
from ._spec import load_spec, operations, patch_for_prism, skip_reason, spec_name

SUBSET = ("verify_v2", "taskrouter_v1", "api_v2010")
TOKEN_SPEC = "oauth_v2"


@attrs.define
class SpecEntry:
    """One spec file: its name, path, document and why it is not served (if it is not)."""

    name: str
    path: Path
    doc: dict[str, Any]
    skip: str | None

    def __str__(self) -> str:
        return self.name


@attrs.define
class Stats:
    """What the run did, for the closing summary."""

    began: float = attrs.field(factory=time.monotonic)
    specs_selected: int = 0
    operations_selected: int = 0
    operations_called: int = 0
    calls: int = 0
    violations: list[str] = attrs.field(factory=list)
    parse_failures: list[str] = attrs.field(factory=list)
    other_failures: list[str] = attrs.field(factory=list)
    other_answers: list[str] = attrs.field(factory=list)
    spelling_notes: list[str] = attrs.field(factory=list)
    raw_refusals: list[str] = attrs.field(factory=list)
    skipped_specs: dict[str, str] = attrs.field(factory=dict)
    fleet: PrismFleet | None = None


STATS = Stats()


def spec_files() -> list[Path]:
    """The pinned Twilio spec files, or an empty list when they are not fetched."""
    from trunkline.codegen.specs import load_lock, spec_dir

    folder = spec_dir(load_lock())
    return sorted(folder.glob("twilio_*.json")) if folder.is_dir() else []


@functools.cache
def catalog(everything: bool) -> tuple[SpecEntry, ...]:
    """The specs a run covers: all of them, or the CI subset."""
    entries = []
    for path in spec_files():
        name = spec_name(path)
        if not everything and name not in SUBSET:
            continue
        doc = load_spec(path)
        entries.append(SpecEntry(name, path, doc, skip_reason(name, doc)))
    return tuple(entries)


@functools.cache
def token_spec() -> dict[str, Any] | None:
    """The ``oauth_v2`` spec, whose token endpoint OAuth-only specs are served with."""
    for path in spec_files():
        if spec_name(path) == TOKEN_SPEC:
            return load_spec(path)
    return None


def _everything(config: pytest.Config) -> bool:
    return bool(config.getoption("--contract-all"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    entries = catalog(_everything(metafunc.config))
    if "operation" not in metafunc.fixturenames and "spec_entry" in metafunc.fixturenames:
        metafunc.parametrize("spec_entry", entries, ids=[e.name for e in entries])
    elif "operation" in metafunc.fixturenames:
        ops = [(e, op) for e in entries if e.skip is None for op in operations(e.name, e.doc)]
        metafunc.parametrize(
            "spec_entry,operation", ops, ids=[f"{e.name}:{op.id}" for e, op in ops]
        )


def _spec_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    entry = callspec.params.get("spec_entry") if callspec is not None else None
    return entry.name if isinstance(entry, SpecEntry) else None


def _is_call(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "operation" in callspec.params


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slots = [i for i, item in enumerate(items) if _spec_of(item) is not None]
    names = [e.name for e in catalog(_everything(config))]
    order = {name: i for i, name in enumerate(names)}
    ours = sorted(
        (items[i] for i in slots),
        key=lambda item: (order.get(_spec_of(item) or "", len(order)), _is_call(item)),
    )
    for slot, item in zip(slots, ours, strict=True):
        items[slot] = item


@pytest.fixture(scope="session")
def prism_fleet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrismFleet]:
    """Prism processes for the selected, servable specs, started batch by batch on demand."""
    entries = {e.name: e for e in catalog(_everything(request.config)) if e.skip is None}
    wanted = []
    for item in request.session.items:
        name = _spec_of(item)
        if name in entries and name not in wanted:
            wanted.append(name)
    executable = ensure_prism()
    folder = tmp_path_factory.mktemp("contract-specs")

    def locate(name: str) -> Path:
        entry = entries[name]
        path = folder / entry.path.name
        if not path.exists():
            patched = patch_for_prism(entry.doc, token_source=token_spec())
            path.write_text(json.dumps(patched), encoding="utf-8")
        return path

    fleet = PrismFleet(executable, wanted, locate, folder)
    STATS.fleet = fleet
    try:
        yield fleet
    finally:
        fleet.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    stats = STATS
    if stats.specs_selected == 0 and stats.operations_selected == 0:
        return
    write = terminalreporter.write_line
    fleet = stats.fleet
    terminalreporter.section("contract summary")
    served = len(fleet.served) if fleet else 0
    write(
        f"specs served: {served} of {stats.specs_selected} selected "
        f"({len(stats.skipped_specs)} not servable)"
    )
    for name, reason in sorted(stats.skipped_specs.items()):
        write(f"  not served: {name}: {reason}")
    write(
        f"operations called: {stats.operations_called} of {stats.operations_selected} "
        f"({stats.calls} calls)"
    )
    write(f"violations: {len(stats.violations)}")
    write(f"parse failures: {len(stats.parse_failures)}")
    write(f"other failures: {len(stats.other_failures)}")
    write(f"harness refusals (reference encoder): {len(stats.raw_refusals)}")
    write(f"non-2xx answers the spec defines (not parsed): {len(stats.other_answers)}")
    for line in stats.other_answers:
        write(f"  {line}")
    if stats.spelling_notes:
        write(f"argument spellings differing from the naming rule: {len(stats.spelling_notes)}")
        for line in stats.spelling_notes[:20]:
            write(f"  {line}")
    starting = f", starting Prism {fleet.start_seconds:.1f} s" if fleet else ""
    write(f"time: {time.monotonic() - stats.began:.1f} s{starting}")
