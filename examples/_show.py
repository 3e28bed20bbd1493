"""Small printing helpers shared by the examples (kept apart so each example stays short)."""

from __future__ import annotations

import enum
import sys
from typing import Any, TypeVar

__all__ = ["Progress", "need", "value"]

T = TypeVar("T")


def value(field: Any) -> Any:
    """An enum field's wire value (models keep unknown values as plain strings)."""
    return field.value if isinstance(field, enum.Enum) else field


def need(field: T | None, what: str) -> T:
    """A response field the example goes on with; raises RuntimeError if the server left it out.

    Response models type every field as optional (a server may omit any of them), so an
    example that relies on one says so here instead of passing None along.
    """
    if field is None:
        raise RuntimeError(f"the response has no {what}")
    return field


class Progress:
    """A text progress bar: redrawn in place on a terminal, a line per step otherwise."""

    def __init__(self, total: int, *, width: int = 30, label: str = "") -> None:
        self.total = total
        self.width = width
        self.label = label
        self.done = 0
        self._tty = sys.stdout.isatty()
        self._last_line = 0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items and redraw when it shows."""
        self.done += count
        if self._tty:
            if self.done % 50 == 0 or self.done == self.total:
                print("\r" + self._bar(), end="", flush=True)
        elif self.done * 4 // self.total > self._last_line:
            self._last_line = self.done * 4 // self.total
            print(self._bar(), flush=True)

    def close(self) -> None:
        """End the bar's line."""
        if self._tty:
            print(flush=True)

    def _bar(self) -> str:
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        return f"  {self.label}[{bar}] {self.done:>5}/{self.total}"
