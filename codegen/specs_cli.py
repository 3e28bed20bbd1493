"""``python -m trunkline.codegen specs``: fetch the pinned specs, or another version."""

from __future__ import annotations

import argparse
import json
import sys

import attrs

from trunkline.codegen.specs import DEFAULT_LOCK, SpecFetchError, fetch, load_lock


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options to ``parser``."""
    parser.add_argument("--lock", default=str(DEFAULT_LOCK), help="the lock file to read")
    parser.add_argument(
        "--version",
        help="fetch this version of the package instead of the pinned one (not verified "
        "against the lock file's hash, since the lock does not pin it)",
    )
    parser.add_argument(
        "--update-lock",
        action="store_true",
        help="with --version: write the version and its hash into the lock file",
    )


def main(args: argparse.Namespace) -> int:
    """Fetch the specs; return 0, or 1 with a message on stderr."""
    from pathlib import Path

    lock_path = Path(args.lock)
    try:
        lock = load_lock(lock_path)
        pinned = args.version is None or args.version == lock.version
        if not pinned:
            lock = attrs.evolve(lock, version=args.version, integrity=None)
        target, integrity = fetch(lock, verify_integrity=pinned)
    except SpecFetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not pinned and args.update_lock:
        data = json.loads(lock_path.read_text(encoding="utf-8"))
        data["version"] = lock.version
        data["integrity"] = integrity
        lock_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"specs: lock file now pins {lock.package}@{lock.version}")
    elif not pinned:
        print(
            f"specs: {target} holds {lock.package}@{lock.version}; lock file unchanged "
            "(add --update-lock to pin it)"
        )
    return 0
