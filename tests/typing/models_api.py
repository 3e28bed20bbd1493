"""Pins the types of generated model fields: free-form objects, nested models, enum names.

Type-checked by ``make typecheck`` (mypy --strict), never run. The README's quickstart
reads ``factor.binding["uri"]``: once narrowed for None it must index.
"""

from __future__ import annotations

from typing import Any, assert_type

from trunkline.generated.twilio.api.v2010 import models as api
from trunkline.generated.twilio.verify.v2 import models


def binding_uri(factor: models.NewFactor) -> str:
    assert factor.binding is not None
    assert_type(factor.binding, dict[str, Any])
    return str(factor.binding["uri"])


def factor_fields(factor: models.Factor, new: models.NewFactor) -> None:
    assert_type(factor.config, dict[str, Any] | None)
    assert_type(factor.status, models.FactorStatus | str | None)
    assert_type(new.status, models.FactorStatus | str | None)
    assert_type(factor.factor_type, models.FactorType | str | None)


def call_status(call: api.Call) -> None:
    assert_type(call.status, api.CallStatus | str | None)
