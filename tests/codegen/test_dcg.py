"""datamodel-code-generator's parser is the model front end."""

from __future__ import annotations

from pathlib import Path

from trunkline.codegen.dcg import schema_classes
from trunkline.codegen.loader import load_spec

GOLDEN = Path(__file__).parent.parent / "golden" / "specs"


def test_parser_classes_map_back_to_schema_nodes() -> None:
    """Every class the parser makes, inline ones included, points at its raw schema node."""
    classes = {c.label: c for c in schema_classes(load_spec(GOLDEN / "twilio_golden_v1.yaml"))}
    assert set(classes) == {
        "golden.v1.service",
        "golden.v1.service/config",
        "golden.v1.service.webhook",
        "golden.v1.service.webhook.owner",
        "golden.v1.service.event",
        "golden.v1.token_meta",
        "service_enum_status",
        "service_enum_channel",
    }
    config = classes["golden.v1.service/config"]
    assert config.kind == "model"
    assert config.name == "Config"
    assert config.pointer == "/components/schemas/golden.v1.service/properties/config"
    assert config.fields == ("time_step", "skew")
    assert classes["golden.v1.service"].fields[-1] == "from"
    assert classes["service_enum_status"].kind == "enum"
    assert classes["golden.v1.service.webhook.owner"].qualifiers == (
        "webhook",
        "service",
        "v1",
        "golden",
    )


def test_all_of_fields_include_the_bases(tmp_path: Path) -> None:
    """A schema made of allOf parts lists the base classes' fields before its own."""
    spec = tmp_path / "twilio_x_v1.yaml"
    spec.write_text(
        """
openapi: 3.0.1
info: {title: X, version: "1"}
paths: {}
components:
  schemas:
    x.v1.base:
      type: object
      properties: {sid: {type: string}}
    x.v1.other:
      type: object
      properties: {url: {type: string}}
    x.v1.both:
      allOf:
        - $ref: "#/components/schemas/x.v1.base"
        - $ref: "#/components/schemas/x.v1.other"
        - type: object
          properties: {extra_flag: {type: boolean}}
"""
    )
    classes = {c.label: c for c in schema_classes(load_spec(spec))}
    assert classes["x.v1.both"].fields == ("sid", "url", "extra_flag")
