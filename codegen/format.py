"""Formats generated Python sources with ruff, all of one run in one process.

The generator renders readable code, but only a formatter makes it read like code a person
formatted. Rendering stays text in, text out: the sources are written to a scratch folder,
formatted there by one ``ruff format`` process (it formats files in parallel) and read back,
so ``generate`` still writes a file only when its formatted bytes change. The settings are
passed on the command line and ruff's configuration discovery is off (``--isolated``), so
the output does not depend on where ``--out`` points.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["FormatError", "format_sources"]

_SETTINGS = ("--isolated", "--line-length=100", "--target-version=py311", "--quiet")


class FormatError(Exception):
    """ruff is missing or refused a rendered source (a generator bug)."""


def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError as exc:
        raise FormatError("ruff is not installed: install the codegen extra") from exc
    return str(find_ruff_bin())


def format_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """Return ``sources`` (relative path → Python source) formatted by ruff."""
    if not sources:
        return {}
    with tempfile.TemporaryDirectory(prefix="trunkline-format-") as tmp:
        root = Path(tmp)
        for rel, text in sources.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [_ruff(), "format", *_SETTINGS, str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).replace(tmp, "<generated>").strip()
            raise FormatError(f"ruff could not format the generated code:\n{detail}")
        return {rel: (root / rel).read_text(encoding="utf-8") for rel in sources}
