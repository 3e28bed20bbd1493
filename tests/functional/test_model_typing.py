"""How schemas become model fields: free-form objects, nested shapes and enum class names."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from .conftest import GenerateFn

SPEC = """
openapi: 3.0.1
info: {title: Keys - v1, version: 1.0.0}
servers: [{url: "https://keys.twilio.com"}]
components:
  schemas:
    keys.v1.factor:
      type: object
      properties:
        sid: {type: string}
        binding:
          nullable: true
          description: Untyped, as Twilio writes its object fields.
        config:
          type: object
          nullable: true
        shape:
          type: object
          properties:
            alg: {type: string}
            size: {type: integer}
        status: {$ref: "#/components/schemas/factor_enum_factor_statuses"}
    keys.v1.new_factor:
      type: object
      properties:
        sid: {type: string}
        status: {$ref: "#/components/schemas/new_factor_enum_factor_statuses"}
        kind: {$ref: "#/components/schemas/new_factor_enum_kind"}
    keys.v1.challenge:
      type: object
      properties:
        kind: {$ref: "#/components/schemas/challenge_enum_kind"}
        factor_status: {$ref: "#/components/schemas/challenge_enum_factor_statuses"}
    factor_enum_factor_statuses:
      type: string
      enum: [unverified, verified]
    new_factor_enum_factor_statuses:
      type: string
      enum: [unverified, verified]
    new_factor_enum_kind:
      type: string
      enum: [push, totp]
    challenge_enum_kind:
      type: string
      enum: [sms, call]
    challenge_enum_factor_statuses:
      type: string
      enum: [pending]
paths:
  /v1/Factors/{Sid}:
    x-twilio: {pathType: instance}
    get:
      operationId: FetchFactor
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/keys.v1.factor"}
  /v1/Factors:
    x-twilio: {pathType: list}
    post:
      operationId: CreateFactor
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/keys.v1.new_factor"}
  /v1/Challenges:
    x-twilio: {pathType: list}
    post:
      operationId: CreateChallenge
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/keys.v1.challenge"}
"""


@pytest.fixture
def models(generated: GenerateFn) -> ModuleType:
    """The generated models package of the inline spec."""
    name = f"{generated('twilio_keys_v1.yaml', SPEC).__name__}.twilio.keys.v1.models"
    __import__(name)
    return sys.modules[name]


def _hints(cls: type) -> dict[str, str]:
    # The generated modules postpone annotations: these are their source text.
    return dict(cls.__annotations__)


def test_untyped_and_free_form_object_fields_are_indexable_dicts(models: ModuleType) -> None:
    """Twilio's untyped and ``type: object`` fields are ``dict[str, Any]``, kept as sent."""
    hints = _hints(models.Factor)
    assert hints["binding"] == "dict[str, _t.Any] | None"
    assert hints["config"] == "dict[str, _t.Any] | None"
    factor = models.Factor.from_dict({"binding": {"uri": "otpauth://x"}, "config": {"a": 1}})
    assert factor.binding == {"uri": "otpauth://x"}
    assert factor.config == {"a": 1}


def test_object_fields_with_properties_become_models(models: ModuleType) -> None:
    """An object field whose properties the spec states decodes to its own attrs model."""
    factor = models.Factor.from_dict({"shape": {"alg": "ES256", "size": 256}})
    assert factor.shape.alg == "ES256"
    assert factor.shape.size == 256
    assert type(factor.shape).__name__ == "Shape"


def test_enum_classes_take_the_short_name_twilio_gives_them(models: ModuleType) -> None:
    """``*_enum_factor_statuses`` is ``FactorStatus``, one class for the two identical enums."""
    hints_factor = _hints(models.Factor)
    hints_new = _hints(models.NewFactor)
    assert models.FactorStatus.VERIFIED == "verified"
    assert hints_factor["status"] == hints_new["status"] == "FactorStatus | str | None"
    assert models.NewFactor.from_dict({"status": "verified"}).status is models.FactorStatus.VERIFIED


def test_one_word_enum_names_take_their_model_name(models: ModuleType) -> None:
    """``challenge_enum_kind`` is ``ChallengeKind``: ``Kind`` alone would say too little."""
    assert set(models.ChallengeKind) == {models.ChallengeKind.SMS, models.ChallengeKind.CALL}
    assert set(models.NewFactorKind) == {models.NewFactorKind.PUSH, models.NewFactorKind.TOTP}
    assert not hasattr(models, "Kind")


def test_a_less_used_enum_of_a_taken_short_name_takes_its_model_name(models: ModuleType) -> None:
    """Of two different ``factor_statuses`` enums, the one fewer schemas use is qualified."""
    assert [m.value for m in models.ChallengeFactorStatus] == ["pending"]
    challenge = models.Challenge.from_dict({"factor_status": "pending"})
    assert challenge.factor_status is models.ChallengeFactorStatus.PENDING
