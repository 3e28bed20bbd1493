"""``python -m trunkline.codegen diff``: the command line, its text and JSON output, exit codes.

OLD and NEW are spec files or folders of specs; folders are matched file by file on the
file name without its extension. With ``--lock`` the old side is the version the lock file
pins and NEW is a candidate version to fetch (or a folder). Exit status: 0 when nothing
breaks, 1 when something does, 2 on a usage or input error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs

from trunkline.codegen.diff.compare import diff_paths
from trunkline.codegen.diff.model import BREAKING, INFO, NOTABLE, Change, DiffInputError, SpecDiff

__all__ = ["add_arguments", "main", "render_text"]

_MARKS = {BREAKING: "!", NOTABLE: "*", INFO: " "}


def _grouped(changes: tuple[Change, ...]) -> Iterator[tuple[str, list[tuple[str, list[Change]]]]]:
    by_spec: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        by_spec.setdefault(change.spec, {}).setdefault(change.subject, []).append(change)
    for spec, subjects in by_spec.items():
        yield spec, list(subjects.items())


def render_text(diff: SpecDiff, *, breaking_only: bool = False) -> str:
    """The diff as readable text, grouped by spec and by operation or model."""
    lines = [f"spec diff: {diff.old} → {diff.new}"]
    shown = diff.breaking if breaking_only else diff.changes
    for spec, subjects in _grouped(shown):
        count = sum(1 for c in diff.changes if c.spec == spec)
        breaking = sum(1 for c in diff.breaking if c.spec == spec)
        lines.append("")
        lines.append(f"{spec}: {count} changes, {breaking} breaking")
        for subject, changes in subjects:
            if not subject:
                lines += [f"  {_MARKS[change.severity]} {change.message}" for change in changes]
                continue
            op_id = next((c.operation_id for c in changes if c.operation_id), None)
            head = f"{subject}" + (f"  [{op_id}]" if op_id else "")
            whole = ("operation-added", "model-added", "operation-removed", "model-removed")
            if len(changes) == 1 and changes[0].kind in whole:
                lines.append(f"{_MARKS[changes[0].severity]} {head}: {changes[0].message}")
                continue
            lines.append(f"  {head}")
            lines += [f"    {_MARKS[change.severity]} {change.message}" for change in changes]
    summary = diff.summary()
    lines.append("")
    lines.append(
        f"{summary['changes']} changes, {summary['breaking']} breaking, across "
        f"{summary['specs_changed']} specs; {summary['specs_compared']} specs in both versions, "
        f"{summary['specs_added']} added, {summary['specs_removed']} removed "
        "(! breaking, * notable)"
    )
    if summary["by_kind"]:
        kinds = ", ".join(f"{kind} {n}" for kind, n in summary["by_kind"].items())
        lines.append(f"by kind: {kinds}")
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options to ``parser``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="OLD NEW",
        help="two spec files or folders of specs; with --lock only NEW, a version or a folder",
    )
    parser.add_argument(
        "--lock",
        action="store_true",
        help="compare the lock file's pinned version (fetched if needed) with NEW",
    )
    parser.add_argument("--lock-file", help="the lock file for --lock (default: the project's)")
    parser.add_argument(
        "--upstream-dir",
        help="with --lock: the folder that holds fetched spec versions (default: specs/.upstream)",
    )
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument(
        "--breaking-only", action="store_true", help="text output: list only breaking changes"
    )


def _lock_inputs(args: argparse.Namespace) -> tuple[tuple[Path, str], tuple[Path, str]]:
    """The pinned version's folder and the candidate's, fetched as needed, with labels."""
    from trunkline.codegen.specs import DEFAULT_LOCK, UPSTREAM_DIR, SpecFetchError, fetch, load_lock

    if len(args.paths) != 1:
        raise DiffInputError("--lock takes one argument: the candidate version (or a folder)")

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        lock = load_lock(Path(args.lock_file) if args.lock_file else DEFAULT_LOCK)
        root = Path(args.upstream_dir) if args.upstream_dir else UPSTREAM_DIR
        old_dir, _ = fetch(lock, root=root, log=log)
        old = (old_dir, f"{lock.package}@{lock.version} (locked)")
        candidate = Path(args.paths[0])
        if candidate.exists():
            return old, (candidate, str(candidate))
        new_lock = attrs.evolve(lock, version=args.paths[0], integrity=None)
        new_dir, _ = fetch(new_lock, root=root, verify_integrity=False, log=log)
    except SpecFetchError as exc:
        raise DiffInputError(str(exc)) from exc
    return old, (new_dir, f"{new_lock.package}@{new_lock.version}")


def main(args: argparse.Namespace) -> int:
    """Run the diff; return 0 (nothing breaks), 1 (something breaks) or 2 (bad input)."""
    started = time.perf_counter()
    try:
        if args.lock:
            (old, old_label), (new, new_label) = _lock_inputs(args)
        elif len(args.paths) != 2:
            raise DiffInputError("give two spec files or folders: OLD NEW (or --lock VERSION)")
        else:
            old, new = Path(args.paths[0]), Path(args.paths[1])
            old_label, new_label = str(old), str(new)
        diff = diff_paths(old, new, old_label=old_label, new_label=new_label)
    except DiffInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        payload = diff.to_json()
        payload["summary"]["seconds"] = round(time.perf_counter() - started, 3)
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(diff, breaking_only=args.breaking_only))
        print(f"took {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 1 if diff.breaking else 0
