"""Must NOT type-check: an enum argument's typo is a mypy error at the call site.

Kept out of ``make typecheck`` (which must pass); ``tests/codegen/test_signatures.py``
runs mypy on this file and asserts the error names the argument.
"""

from __future__ import annotations

import trunkline


async def enrol(tw: trunkline.Twilio) -> None:
    await tw.verify.v2.services.entities.factors.create(
        "VA1", "alice", friendly_name="Ana", factor_type="tot"
    )
