"""Generated ``from_dict`` sets every slot itself: the same instance the ``__init__`` makes."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from trunkline import _models

GENERATED = Path(__file__).resolve().parents[2] / "generated"


def _generated_models() -> Iterator[type[_models.Model]]:
    for path in sorted(GENERATED.glob("*/**/models/*.py")):
        if path.name == "__init__.py":
            continue
        dotted = ".".join(path.relative_to(GENERATED).with_suffix("").parts)
        module = importlib.import_module(f"trunkline.generated.{dotted}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, _models.Model)
                and value.__module__ == module.__name__
            ):
                yield value


@pytest.mark.slow
def test_every_generated_model_decodes_to_what_its_init_builds() -> None:
    """Each of the ~1,400 models decodes an empty object and an all-null one to ``__init__``'s."""
    seen = 0
    for model in _generated_models():
        # No hook may run on assignment: from_dict's direct slot stores would skip it.
        assert model.__setattr__ is object.__setattr__, model
        fields = [f for f in attrs.fields(model) if f.name != "raw"]
        wires = sorted(model._wire_names)
        assert len(wires) == len(fields), model
        for data in ({}, dict.fromkeys(wires)):
            made = model.from_dict(data)
            expected = model(raw=data)
            for field in attrs.fields(model):
                # A slot left unset would raise AttributeError here.
                assert getattr(made, field.name) == getattr(expected, field.name), (model, field)
            assert made.raw is data
        seen += 1
    assert seen > 1000


def test_a_decoded_factor_equals_the_one_init_builds() -> None:
    """A Verify factor with every field filled decodes to the instance ``__init__`` makes."""
    from trunkline.generated.twilio.verify.v2.models import factors as m

    data: dict[str, Any] = {
        "sid": "YF" + "1" * 32,
        "account_sid": "AC" + "2" * 32,
        "service_sid": "VA" + "3" * 32,
        "entity_sid": "YE" + "4" * 32,
        "identity": "ff483d1ff591898a9942916050d2ca3f",
        "date_created": "2024-05-14T09:21:03Z",
        "date_updated": "2024-05-14T09:21:04Z",
        "friendly_name": "phone",
        "status": "verified",
        "factor_type": "totp",
        "config": {"alg": "sha1"},
        "metadata": {"os": "Android"},
        "url": "https://verify.twilio.com/v2/x",
    }
    made = m.Factor.from_dict(data)
    created = dt.datetime(2024, 5, 14, 9, 21, 3, tzinfo=dt.UTC)
    expected = m.Factor(
        sid=data["sid"],
        account_sid=data["account_sid"],
        service_sid=data["service_sid"],
        entity_sid=data["entity_sid"],
        identity=data["identity"],
        date_created=created,
        date_updated=created + dt.timedelta(seconds=1),
        friendly_name="phone",
        status=m.FactorStatus.VERIFIED,
        factor_type=m.FactorType.TOTP,
        config={"alg": "sha1"},
        metadata={"os": "Android"},
        url=data["url"],
        raw=data,
    )
    assert made == expected
    assert repr(made) == repr(expected)
    assert made.status is m.FactorStatus.VERIFIED
