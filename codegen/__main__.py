"""``python -m trunkline.codegen``: fetch specs, generate clients, diff spec versions."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each subcommand lives in its own module with ``add_arguments(parser)`` and ``main(args) -> int``.
_COMMANDS = {
    "specs": ("trunkline.codegen.specs_cli", "fetch and verify the pinned upstream specs"),
    "generate": ("trunkline.codegen.generate", "generate the client packages from the specs"),
    "diff": ("trunkline.codegen.diff", "list what changed between two spec versions"),
    "docs": ("trunkline.codegen.reference", "write the browsable reference of the clients"),
    "counts": ("trunkline.codegen.counts", "count operations, paged lists and typed returns"),
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one subcommand; return its exit status."""
    args_list = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m trunkline.codegen")
    sub = parser.add_subparsers(dest="command", required=True)
    # Only the chosen subcommand's module is imported, so each works without the others.
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    for name, (module_name, help_text) in _COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            importlib.import_module(module_name).add_arguments(command_parser)
    args = parser.parse_args(args_list)
    module = importlib.import_module(_COMMANDS[args.command][0])
    status: int = module.main(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
