"""What a spec diff is: typed change records, their severities and the diff as a whole."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs

__all__ = ["BREAKING", "INFO", "NOTABLE", "Change", "DiffInputError", "SpecDiff"]

BREAKING = "breaking"
NOTABLE = "notable"
INFO = "info"


class DiffInputError(Exception):
    """An input could not be read as OpenAPI specs (exit status 2)."""


@attrs.frozen
class Change:
    """One difference between the old and the new specs.

    Attributes:
        spec: the spec's name (file name without extension).
        kind: what changed, e.g. ``parameter-removed`` or ``model-field-type-changed``.
        severity: ``breaking``, ``notable`` or ``info``.
        subject: the operation (``POST /v2/Services``) or model (``model verify.v2.service``)
            the change belongs to; empty for a whole spec.
        operation_id: the operation's id (new one if both exist), when the subject is one.
        name: the wire name of the parameter or field, if the change is about one.
        python_name: the Python keyword or attribute for ``name`` (as the generated code
            spells it), or the Python call of an operation.
        location: ``path``, ``query``, ``header`` or ``body`` for parameters.
        old: the old value (Python type, enum values, id…), when it helps.
        new: the new value.
        message: one readable sentence.
    """

    spec: str
    kind: str
    severity: str
    subject: str
    message: str
    operation_id: str | None = None
    name: str | None = None
    python_name: str | None = None
    location: str | None = None
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        """This change as a JSON-ready dict (``None`` values left out)."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen
class SpecDiff:
    """Every change between two sets of specs, in report order."""

    old: str
    new: str
    changes: tuple[Change, ...]
    specs_compared: int

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break code written against the old specs."""
        return tuple(c for c in self.changes if c.severity == BREAKING)

    def summary(self) -> dict[str, Any]:
        """Counts by kind and severity."""
        return {
            "specs_compared": self.specs_compared,
            "specs_changed": len({c.spec for c in self.changes}),
            "specs_added": sum(1 for c in self.changes if c.kind == "spec-added"),
            "specs_removed": sum(1 for c in self.changes if c.kind == "spec-removed"),
            "changes": len(self.changes),
            "breaking": len(self.breaking),
            "by_severity": dict(sorted(Counter(c.severity for c in self.changes).items())),
            "by_kind": dict(sorted(Counter(c.kind for c in self.changes).items())),
        }

    def to_json(self) -> dict[str, Any]:
        """The whole diff as a JSON-ready dict."""
        return {
            "old": self.old,
            "new": self.new,
            "summary": self.summary(),
            "changes": [c.to_json() for c in self.changes],
        }
