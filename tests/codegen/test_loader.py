"""The loader: YAML without timestamps, Swagger 2.0 refused, refs to other files, 3.1 nulls."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from trunkline.codegen import generate as gen
from trunkline.codegen.loader import SpecError, load_spec, parse_document

HEAD = """\
openapi: 3.0.1
info: {title: Pets - v1, version: 1.0.0}
servers: [{url: "https://pets.twilio.com"}]
"""


def _root(body: str) -> str:
    """A root spec: the common head, then ``body``."""
    return HEAD + textwrap.dedent(body)


def _write(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → text) under ``folder``; the first one is the spec."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return folder / next(iter(files))


def _root_schemas(tmp_path: Path, body: str, others: dict[str, str]) -> dict[str, Any]:
    """The joined ``components/schemas`` of a root spec with ``body`` and the ``others`` files."""
    files = {"twilio_pets_v1.yaml": _root(body), **others}
    schemas: dict[str, Any] = load_spec(_write(tmp_path, files)).data["components"]["schemas"]
    return schemas


def _error(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return caught.value


def test_yaml_dates_stay_strings_and_the_rest_loads_as_safe_load(tmp_path: Path) -> None:
    """Unquoted dates and date-times stay the strings written; other scalars load as safe_load."""
    text = textwrap.dedent(
        """\
        day: 2024-05-01
        moment: 2024-05-01T10:00:00Z
        spaced: 2001-12-14 21:59:43.10 -5
        number: 12
        ratio: 0.5
        flag: yes
        nothing: null
        octal: 0o17
        list: [a, 1, true]
        """
    )
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    loaded = parse_document(path)
    assert loaded["day"] == "2024-05-01"
    assert loaded["moment"] == "2024-05-01T10:00:00Z"
    assert loaded["spaced"] == "2001-12-14 21:59:43.10 -5"
    expected = yaml.safe_load(text)
    for key in ("number", "ratio", "flag", "nothing", "octal", "list"):
        assert loaded[key] == expected[key], key
    assert not isinstance(yaml.safe_load(text)["day"], str)


def test_a_spec_with_unquoted_dates_in_examples_loads_json_serialisable(tmp_path: Path) -> None:
    """Example and default dates load as strings, so the document encodes to JSON as it is."""
    spec = _write(
        tmp_path,
        {
            "twilio_pets_v1.yaml": _root(
                """\
            components:
              schemas:
                Pet:
                  type: object
                  example: {born: 2020-01-02}
                  properties:
                    born: {type: string, format: date, default: 2020-01-02}
            paths: {}
            """
            )
        },
    )
    data = load_spec(spec).data
    pet = data["components"]["schemas"]["Pet"]
    assert pet["example"] == {"born": "2020-01-02"}
    assert pet["properties"]["born"]["default"] == "2020-01-02"
    json.dumps(data)


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_swagger_2_is_refused_naming_the_file(tmp_path: Path, suffix: str) -> None:
    """A Swagger 2.0 document fails with its file name and a request to convert it first."""
    doc = {"swagger": "2.0", "info": {"title": "Old", "version": "1"}, "paths": {}}
    path = tmp_path / f"old_api.{suffix}"
    path.write_text(json.dumps(doc) if suffix == "json" else yaml.safe_dump(doc))
    error = _error(path)
    assert error.file == str(path)
    assert "Swagger 2.0" in str(error)
    assert "convert it to OpenAPI 3 first" in str(error)


def test_generate_prints_the_swagger_error_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``generate --spec`` on a Swagger file exits 1 with the file and the advice on stderr."""
    path = tmp_path / "twilio_old_v1.json"
    path.write_text(json.dumps({"swagger": "2.0", "info": {}, "paths": {}}))
    args = argparse.Namespace(
        spec=[path], out=tmp_path / "out", force=False, jobs=1, no_relink=True
    )
    assert gen.main(args) == 1
    err = capsys.readouterr().err
    assert str(path) in err
    assert "convert it to OpenAPI 3 first" in err


TWO_FILES = {
    "twilio_pets_v1.yaml": _root(
        """\
    components:
      schemas:
        Pet: {$ref: "defs.yaml#/components/schemas/Pet"}
    paths:
      /v1/Pets/{Sid}:
        get:
          operationId: FetchPet
          parameters: [{$ref: "defs.yaml#/components/parameters/Sid"}]
          responses:
            "200":
              description: OK
              content:
                application/json:
                  schema: {$ref: "defs.yaml#/components/schemas/Pet"}
    """
    ),
    "defs.yaml": """\
    components:
      parameters:
        Sid: {name: Sid, in: path, required: true, schema: {type: string}}
      schemas:
        Pet:
          type: object
          properties:
            sid: {type: string}
            tag: {$ref: "#/components/schemas/Tag"}
            tags:
              $ref: "#/components/schemas/TagList"
              items: {$ref: "#/x-more/Label"}
        TagList: {type: array}
        Tag:
          type: object
          properties:
            name: {type: string}
    x-more:
      Label: {type: string}
    """,
}


def test_two_files_join_into_one_document(tmp_path: Path) -> None:
    """Schemas of the other file are hoisted under their names, other objects inlined."""
    spec = load_spec(_write(tmp_path, TWO_FILES))
    schemas = spec.data["components"]["schemas"]
    assert sorted(schemas) == ["Label", "Pet", "Tag", "TagList"]
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}
    tags = schemas["Pet"]["properties"]["tags"]
    assert tags["$ref"] == "#/components/schemas/TagList"
    assert tags["items"] == {"$ref": "#/components/schemas/Label"}
    get = spec.data["paths"]["/v1/Pets/{Sid}"]["get"]
    assert get["parameters"][0]["name"] == "Sid"
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Pet"}
    assert spec.files == (tmp_path / "defs.yaml",)


def test_a_referred_file_is_part_of_the_digest(tmp_path: Path) -> None:
    """Editing only the referred file changes the spec's digest, so it regenerates."""
    path = _write(tmp_path, TWO_FILES)
    before = load_spec(path).digest
    defs = tmp_path / "defs.yaml"
    defs.write_text(defs.read_text().replace("name: {type: string}", "name: {type: integer}"))
    assert load_spec(path).digest != before


def test_three_files_with_a_cycle_terminate(tmp_path: Path) -> None:
    """A schema cycle through three files ends: each schema is hoisted once and referred to."""
    spec = load_spec(
        _write(
            tmp_path,
            {
                "twilio_pets_v1.yaml": _root(
                    """\
                paths:
                  /v1/Pets/{Sid}: {$ref: "paths/pet.yaml"}
                """
                ),
                "paths/pet.yaml": """\
                get:
                  operationId: FetchPet
                  responses:
                    "200":
                      description: OK
                      content:
                        application/json:
                          schema: {$ref: "../schemas/pet.json"}
                """,
                "schemas/pet.json": """\
                {"type": "object", "properties": {"owner": {"$ref": "./people/owner.yaml#/Owner"}}}
                """,
                "schemas/people/owner.yaml": """\
                Owner:
                  type: object
                  properties:
                    pets: {type: array, items: {$ref: "../pet.json"}}
                """,
            },
        )
    )
    schemas = spec.data["components"]["schemas"]
    assert sorted(schemas) == ["Owner", "pet"]
    assert schemas["pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert schemas["Owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/pet"}
    assert len(spec.files) == 3


def test_a_name_taken_in_the_root_gets_the_file_stem(tmp_path: Path) -> None:
    """A hoisted schema whose name the root already uses is named ``<stem>_<name>``."""
    schemas = _root_schemas(
        tmp_path,
        """\
        components:
          schemas:
            Tag: {type: string}
            Pet:
              type: object
              properties:
                tag: {$ref: "other.yaml#/Tag"}
        paths: {}
        """,
        {"other.yaml": "Tag: {type: object, properties: {label: {type: string}}}\n"},
    )
    assert schemas["Tag"] == {"type": "string"}
    assert schemas["other_Tag"]["properties"] == {"label": {"type": "string"}}
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/other_Tag"}


def test_discriminator_mappings_to_other_files_point_at_the_hoisted_schemas(
    tmp_path: Path,
) -> None:
    """A mapping value naming another file is rewritten to the hoisted schema; a bare name stays."""
    pet = _root_schemas(
        tmp_path,
        """\
        components:
          schemas:
            Cat: {type: object, properties: {kind: {type: string}}}
            pets.v1.cow: {type: object, properties: {kind: {type: string}}}
            Pet:
              oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "dog.yaml"}]
              discriminator:
                propertyName: kind
                mapping: {dog: "dog.yaml", cat: Cat, cow: pets.v1.cow}
        paths: {}
        """,
        {"dog.yaml": "type: object\nproperties: {kind: {type: string}}\n"},
    )["Pet"]
    assert pet["oneOf"][1] == {"$ref": "#/components/schemas/dog"}
    mapping = pet["discriminator"]["mapping"]
    assert mapping == {"dog": "#/components/schemas/dog", "cat": "Cat", "cow": "pets.v1.cow"}


def _bad_ref(tmp_path: Path, ref: str, extra: dict[str, str] | None = None) -> SpecError:
    spec = _write(
        tmp_path / "api",
        {
            "twilio_pets_v1.yaml": _root(
                f"""\
            components:
              schemas:
                Pet:
                  type: object
                  properties:
                    tag: {{$ref: "{ref}"}}
            paths: {{}}
            """
            ),
            **(extra or {}),
        },
    )
    return _error(spec)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../outside.yaml#/Tag", "leaves the spec's folder"),
        ("/etc/hosts", "leaves the spec's folder"),
        ("https://example.org/tag.yaml#/Tag", "names a URL"),
        ("http://127.0.0.1/tag.yaml", "names a URL"),
        ("missing.yaml#/Tag", "no file at"),
        ("defs.yaml#/Nope", "points at nothing"),
    ],
)
def test_a_ref_that_cannot_be_followed_names_the_file_and_the_ref(
    tmp_path: Path, ref: str, message: str
) -> None:
    """Refs leaving the folder, to URLs, to missing files or targets fail with file + pointer."""
    (tmp_path / "outside.yaml").write_text("Tag: {type: string}\n")
    error = _bad_ref(tmp_path, ref, {"defs.yaml": "Tag: {type: string}\n"})
    assert error.file == str(tmp_path / "api" / "twilio_pets_v1.yaml")
    assert error.pointer == "/components/schemas/Pet/properties/tag/$ref"
    assert message in error.message
    assert repr(ref) in error.message


def test_an_error_in_a_nested_file_names_that_file(tmp_path: Path) -> None:
    """A bad ref inside a referred file is reported with that file and its own pointer."""
    error = _bad_ref(
        tmp_path, "defs.yaml#/Tag", {"defs.yaml": "Tag: {$ref: '../../outside.yaml'}\n"}
    )
    assert error.file == str(tmp_path / "api" / "defs.yaml")
    assert error.pointer == "/Tag/$ref"
    assert "leaves the spec's folder" in error.message


def test_a_cycle_of_inlined_objects_is_refused(tmp_path: Path) -> None:
    """Path items that refer to each other across files fail instead of looping."""
    spec = _write(
        tmp_path,
        {
            "twilio_pets_v1.yaml": HEAD + 'paths:\n  /v1/Pets: {$ref: "a.yaml"}\n',
            "a.yaml": '$ref: "b.yaml"\n',
            "b.yaml": '$ref: "a.yaml"\n',
        },
    )
    error = _error(spec)
    assert "$ref cycle" in error.message
    assert error.file.endswith(".yaml")


def _schemas_31(schemas: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}
    path = tmp_path / "t.json"
    path.write_text(json.dumps({**doc, "components": {"schemas": schemas}}))
    result: dict[str, Any] = load_spec(path).data["components"]["schemas"]
    return result


def test_31_null_types_read_as_30_nullable(tmp_path: Path) -> None:
    """Type arrays with null, ``type: "null"`` and anyOf-with-null become ``nullable: true``."""
    got = _schemas_31(
        {
            "A": {
                "type": "object",
                "properties": {
                    "name": {"type": ["string", "null"]},
                    "count": {"type": ["null", "integer"]},
                    "gone": {"type": "null"},
                    "either": {"type": ["string", "integer", "null"]},
                    "tag": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
                    "note": {"oneOf": [{"type": "null"}, {"type": ["string", "null"]}]},
                    "plain": {"type": "string"},
                    "pair": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    "mood": {"type": ["string", "null"], "enum": ["calm", None]},
                },
            },
            "B": {"type": "object"},
        },
        tmp_path,
    )
    props = got["A"]["properties"]
    assert props["name"] == {"type": "string", "nullable": True}
    assert props["count"] == {"type": "integer", "nullable": True}
    assert props["gone"] == {"nullable": True}
    assert props["either"] == {"type": ["string", "integer"], "nullable": True}
    assert props["tag"] == {"$ref": "#/components/schemas/B", "nullable": True}
    assert props["note"] == {"type": "string", "nullable": True}
    assert props["plain"] == {"type": "string"}
    assert props["pair"] == {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert props["mood"] == {"type": "string", "nullable": True, "enum": ["calm"]}


def test_the_root_file_is_named_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad ref in the root spec names it by the path the caller gave, relative or not."""
    body = 'components: {schemas: {Pet: {$ref: "https://example.org/x.yaml"}}}\npaths: {}\n'
    _write(tmp_path / "api", {"twilio_pets_v1.yaml": _root(body)})
    monkeypatch.chdir(tmp_path)
    error = _error(Path("api/twilio_pets_v1.yaml"))
    assert error.file == "api/twilio_pets_v1.yaml"
    assert error.pointer == "/components/schemas/Pet/$ref"
