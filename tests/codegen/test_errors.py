"""A malformed spec fails with an error naming the file and the JSON pointer of the problem."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from trunkline.codegen import generate as gen
from trunkline.codegen.loader import SpecError


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://t.twilio.com"}],
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def _op(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": "FetchThing",
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": schema}}}
            },
        }
    }


def _generate(tmp_path: Path, data: dict[str, Any] | str) -> SpecError:
    spec = tmp_path / "twilio_t_v1.json"
    spec.write_text(data if isinstance(data, str) else json.dumps(data))
    with pytest.raises(SpecError) as caught:
        gen.generate(gen.discover([spec]), tmp_path / "out", workers=1, echo=lambda *_: None)
    assert caught.value.file == str(spec)
    assert str(spec) in str(caught.value)
    return caught.value


def test_dangling_ref_names_the_pointer(tmp_path: Path) -> None:
    """A $ref to a missing schema is reported at the pointer of the $ref."""
    error = _generate(tmp_path, _spec({"/v1/Things": _op({"$ref": "#/components/schemas/nope"})}))
    assert (
        error.pointer
        == "/paths/~1v1~1Things/get/responses/200/content/application~1json/schema/$ref"
    )
    assert "points at nothing" in error.message


def test_missing_responses_names_the_operation(tmp_path: Path) -> None:
    """An operation without responses is reported at its own pointer."""
    error = _generate(tmp_path, _spec({"/v1/Things": {"get": {"operationId": "X"}}}))
    assert error.pointer == "/paths/~1v1~1Things/get/responses"


def test_bad_property_schema_names_the_property(tmp_path: Path) -> None:
    """A property schema that is not an object is reported at that property."""
    schemas = {"t.v1.thing": {"type": "object", "properties": {"sid": "string"}}}
    error = _generate(tmp_path, _spec({}, schemas))
    assert error.pointer == "/components/schemas/t.v1.thing/properties/sid"


def test_undeclared_path_parameter_and_wrong_version(tmp_path: Path) -> None:
    """A path parameter missing from the template, and a non-3.x document, are named."""
    op = _op({"type": "object"})
    op["get"]["parameters"] = [{"name": "Other", "in": "path", "required": True, "schema": {}}]
    error = _generate(tmp_path, _spec({"/v1/Things": op}))
    assert error.pointer == "/paths/~1v1~1Things/get/parameters/0"
    error = _generate(tmp_path, {**_spec({}), "openapi": "2.0"})
    assert error.pointer == "/openapi"


def test_invalid_json_is_reported(tmp_path: Path) -> None:
    """A file that is not JSON at all is a SpecError naming the file."""
    error = _generate(tmp_path, "{not json")
    assert "not valid JSON/YAML" in error.message


def test_cli_prints_the_error_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The generate command exits 1 and prints the file and pointer on stderr."""
    spec = tmp_path / "twilio_t_v1.json"
    spec.write_text(json.dumps(_spec({"/v1/Things": _op({"$ref": "#/components/schemas/x"})})))
    parser = argparse.ArgumentParser()
    gen.add_arguments(parser)
    args = parser.parse_args(["--spec", str(spec), "--out", str(tmp_path / "out"), "--no-relink"])
    assert gen.main(args) == 1
    err = capsys.readouterr().err
    assert str(spec) in err
    assert "/paths/~1v1~1Things/get/responses/200" in err
