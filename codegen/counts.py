"""``python -m trunkline.codegen counts``: per spec, operations, paged lists, typed vs Any returns.

Builds each spec's IR (nothing is written) and counts its methods: a paged list is a
method with a paging strategy; a return is typed when it names a model rather than
``Any`` (deletes and other bodiless answers are counted apart, as "none").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import attrs

from trunkline.codegen.specs import REPO_ROOT, load_lock, spec_dir

__all__ = ["SpecCounts", "add_arguments", "count", "main"]

VENDOR_LOCKS = REPO_ROOT / "specs" / "vendors"


@attrs.frozen
class SpecCounts:
    """What one spec generates."""

    spec: str
    client: str
    operations: int
    paged: int
    typed: int
    untyped: int
    none: int


def count(spec: Path, name: str | None = None) -> SpecCounts:
    """The counts of one spec file, built as ``generate`` would build it."""
    from trunkline.codegen.build import ProviderConfig, build_unit
    from trunkline.codegen.generate import discover
    from trunkline.codegen.loader import load_spec

    (job,) = discover([spec], name=name)
    provider = ProviderConfig(job.provider, job.client, job.base, job.caller_defaults)
    package = ".".join(("trunkline.generated", job.provider, *job.path))
    unit = build_unit(load_spec(spec), provider, job.path, package)
    methods = [m for r in unit.resources for m in r.methods]
    none = sum(m.returns == "None" for m in methods)
    untyped = sum("_t.Any" in m.returns for m in methods)
    return SpecCounts(
        spec=spec.name,
        client=".".join((job.client, *job.path)),
        operations=len(methods),
        paged=sum(m.kind == "list" for m in methods),
        typed=len(methods) - none - untyped,
        untyped=untyped,
        none=none,
    )


def _default_specs() -> list[Path]:
    from trunkline.codegen.generate import discover

    specs = [job.spec for job in discover()]
    for lock_file in sorted(VENDOR_LOCKS.glob("*.lock.json")):
        lock = load_lock(lock_file)
        specs += sorted(spec_dir(lock).glob(lock.files))
    return specs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``counts`` options."""
    parser.add_argument(
        "--spec",
        action="append",
        type=Path,
        help="a spec file to count (repeatable; default: the configured and vendor specs)",
    )
    parser.add_argument("--name", help="the client's name, as for generate --name")


def main(args: argparse.Namespace) -> int:
    """Print one line per spec and a total."""
    from trunkline.codegen.generate import GenerateError
    from trunkline.codegen.loader import SpecError

    try:
        rows = [count(spec, args.name) for spec in (args.spec or _default_specs())]
    except (GenerateError, SpecError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    header = ("spec", "client", "operations", "paged lists", "typed", "Any", "no body")
    table = [header] + [
        (r.spec, r.client, *(str(n) for n in (r.operations, r.paged, r.typed, r.untyped, r.none)))
        for r in rows
    ]
    totals = [
        sum(getattr(r, f) for r in rows)
        for f in ("operations", "paged", "typed", "untyped", "none")
    ]
    table.append((f"{len(rows)} specs", "", *(str(n) for n in totals)))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print(
            "  ".join(
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    return 0
