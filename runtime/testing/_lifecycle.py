"""Status progressions driven by the emulator's clock (a message's queued → sent → delivered).

A tracked resource moves through its steps as emulator time passes (real time, or
``Emulator.advance``); each change is written into the stored resource and, when the
resource has a status callback URL and the step is one it asked for, reported there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._callbacks import Callbacks
from ._core import Clock
from ._render import stamp

__all__ = ["NOW", "Lifecycle", "Step"]

NOW = object()
"""A step field set to the moment the step is reached (``date_sent``)."""


@attrs.frozen
class Step:
    """A status reached ``after`` seconds, the callback event it counts as, fields it sets."""

    status: str
    after: float
    event: str
    fields: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.define
class _Tracked:
    record: dict[str, Any]
    born: float
    account: str
    callback: str | None
    events: frozenset[str]
    next: int = 1


class Lifecycle:
    """Moves tracked resources through ``steps`` and sends their callbacks.

    Args:
        steps: the statuses in order; the first is the status on create.
        params: the callback's form fields for a resource in its new status.
        date_format: the format of ``date_updated`` (RFC 2822 for the 2010 API).
    """

    def __init__(
        self,
        clock: Clock,
        callbacks: Callbacks,
        steps: Sequence[Step],
        params: Callable[[Mapping[str, Any]], dict[str, str]],
        date_format: str = "date-time-rfc-2822",
    ) -> None:
        self.clock = clock
        self.callbacks = callbacks
        self.steps = tuple(steps)
        self._params = params
        self._date_format = date_format
        self._pending: list[_Tracked] = []

    def track(
        self,
        record: dict[str, Any],
        account: str,
        callback: str | None,
        events: frozenset[str],
    ) -> None:
        """Start moving ``record`` (already in the first step's status)."""
        self._pending.append(_Tracked(record, self.clock(), account, callback, events))

    def settle(self) -> None:
        """Apply every step whose time has come (callbacks go out in order)."""
        if not self._pending:
            return
        now = self.clock()
        still = []
        for tracked in self._pending:
            while tracked.next < len(self.steps):
                step = self.steps[tracked.next]
                if now - tracked.born < step.after:
                    break
                tracked.record["status"] = step.status
                moment = stamp(tracked.born + step.after, self._date_format)
                tracked.record.update(
                    {k: moment if v is NOW else v for k, v in step.fields.items()}
                )
                tracked.record["date_updated"] = moment
                tracked.next += 1
                if tracked.callback and step.event in tracked.events:
                    params = self._params(tracked.record)
                    self.callbacks.send(tracked.callback, params, tracked.account)
            if tracked.next < len(self.steps):
                still.append(tracked)
        self._pending = still
