"""Model and enum class names come from the schemas' places, never from a counter."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from trunkline.codegen.build import ProviderConfig, build_unit
from trunkline.codegen.loader import load_spec

TWILIO = ProviderConfig("twilio", "Twilio", "trunkline._twilio:TwilioClient", ("AccountSid",))


def _object(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _details() -> dict[str, Any]:
    return _object(kind={"type": "string", "enum": ["a", "b"]}, size={"type": "integer"})


def _spec() -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Beta"}}}
    param = {"name": "Mode", "in": "query", "schema": {"type": "string", "enum": ["x", "y"]}}
    get = {
        "operationId": "ListBetas",
        "parameters": [param],
        "responses": {"200": {"description": "OK", "content": content}},
    }
    post = {
        "operationId": "CreateBeta",
        "parameters": [param],
        "responses": {"201": {"description": "OK", "content": content}},
    }
    return {
        "openapi": "3.0.1",
        "info": {"title": "Names - v1", "version": "1"},
        "servers": [{"url": "https://names.twilio.com"}],
        "components": {
            "schemas": {
                "Alpha": _object(details=_details(), type=_object(code={"type": "string"})),
                "Beta": _object(
                    details=_details(),
                    type=_object(code={"type": "string"}),
                    status={"$ref": "#/components/schemas/beta_enum_status"},
                ),
                "beta_enum_status": {"type": "string", "enum": ["on", "off"]},
            }
        },
        "paths": {"/v1/Betas": {"x-twilio": {"pathType": "list"}, "get": get, "post": post}},
    }


def _names(tmp_path: Path, spec: dict[str, Any]) -> dict[str, str]:
    path = tmp_path / "twilio_names_v1.json"
    path.write_text(json.dumps(spec))
    unit = build_unit(load_spec(path), TWILIO, ("names", "v1"), "x.names.v1")
    return {d.schema: d.name for d in (*unit.models, *unit.enums)}


def test_inline_classes_are_named_by_their_parents_not_numbered(tmp_path: Path) -> None:
    """Two inline ``details`` objects are ``AlphaDetails`` and ``BetaDetails``, not ``Details1``."""
    names = _names(tmp_path, _spec())
    assert names["Alpha/details"] == "AlphaDetails"
    assert names["Beta/details"] == "BetaDetails"
    assert names["Alpha/type"] == "AlphaType"
    assert names["beta_enum_status"] == "BetaStatus"
    assert not any(name[-1].isdigit() for name in names.values())


def test_the_same_inline_enum_in_two_operations_is_one_class(tmp_path: Path) -> None:
    """The ``Mode`` enum of both the list and the create of ``Betas`` is one class."""
    path = tmp_path / "twilio_names_v1.json"
    path.write_text(json.dumps(_spec()))
    unit = build_unit(load_spec(path), TWILIO, ("names", "v1"), "x.names.v1")
    modes = [e.name for e in unit.enums if "Mode" in e.name]
    assert modes == ["BetasMode"]


def test_adding_an_unrelated_schema_renames_nothing(tmp_path: Path) -> None:
    """A new schema put first, with its own inline ``details``, ``type`` and enum, renames none."""
    before = _names(tmp_path, _spec())
    grown = copy.deepcopy(_spec())
    schemas = grown["components"]["schemas"]
    schemas["Aardvark"] = _object(
        details=_details(),
        type=_object(code={"type": "string"}),
        status={"$ref": "#/components/schemas/aardvark_enum_status"},
    )
    schemas["aardvark_enum_status"] = {"type": "string", "enum": ["up", "down"]}
    grown["components"]["schemas"] = {
        "Aardvark": schemas.pop("Aardvark"),
        **schemas,
    }
    after = _names(tmp_path, grown)
    assert {label: after[label] for label in before} == before
    assert after["Aardvark/details"] == "AardvarkDetails"
    assert after["aardvark_enum_status"] == "AardvarkStatus"


def test_an_enum_whose_short_name_a_model_has_keeps_the_spec_name(tmp_path: Path) -> None:
    """``call_enum_event`` beside a ``CallEvent`` model is ``CallEnumEvent``, not ``CallEvent2``."""
    spec = _spec()
    schemas = spec["components"]["schemas"]
    schemas["CallEvent"] = _object(name={"type": "string"})
    schemas["Beta"]["properties"]["event"] = {"$ref": "#/components/schemas/call_enum_event"}
    schemas["call_enum_event"] = {"type": "string", "enum": ["ringing", "answered"]}
    names = _names(tmp_path, spec)
    assert names["CallEvent"] == "CallEvent"
    assert names["call_enum_event"] == "CallEnumEvent"
