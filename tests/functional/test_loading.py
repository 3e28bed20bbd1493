"""Specs the loader widens to: spread over files, YAML dates, 3.1 null types, generated and used."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from trunkline._transport import MockTransport, Request, Response
from trunkline.codegen.generate import discover, generate

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "AC" + "a" * 32

PETS = """\
openapi: 3.0.1
info: {title: Pets - v1, version: 1.0.0}
servers: [{url: "https://pets.twilio.com"}]
components:
  schemas:
    Pet: {$ref: "common/pet.yaml"}
paths:
  /v1/Pets/{Sid}: {$ref: "common/paths.yaml#/pet_instance"}
  /v1/Pets:
    x-twilio: {pathType: list}
    get:
      operationId: ListPet
      parameters: [{$ref: "./common/params.json#/PageSize"}]
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  pets: {type: array, items: {$ref: "#/components/schemas/Pet"}}
                  meta: {type: object, properties: {next_page_url: {type: string}}}
"""

PETS_FILES = {
    "twilio_pets_v1.yaml": PETS,
    "common/paths.yaml": """\
        pet_instance:
          x-twilio: {pathType: instance}
          get:
            operationId: FetchPet
            parameters:
              - {name: Sid, in: path, required: true, schema: {type: string}}
            responses:
              "200":
                description: OK
                content:
                  application/json:
                    schema: {$ref: "pet.yaml"}
        """,
    "common/params.json": """\
        {"PageSize": {"name": "PageSize", "in": "query", "schema": {"type": "integer"}}}
        """,
    "common/pet.yaml": """\
        type: object
        example: {sid: PE1, born: 2020-01-02}
        properties:
          sid: {type: string}
          born: {type: string, format: date, example: 2020-01-02}
          owner: {$ref: "people/owner.yaml#/Owner"}
        """,
    "common/people/owner.yaml": """\
        Owner:
          type: object
          properties:
            name: {type: string, default: 2001-02-03}
            pets: {type: array, items: {$ref: "../pet.yaml"}}
        """,
}

NULLS_31 = """\
openapi: 3.1.0
info: {title: Nulls - v1, version: 1.0.0}
servers: [{url: "https://nulls.twilio.com"}]
components:
  schemas:
    Tag:
      type: object
      properties:
        label: {type: string}
    Item:
      type: object
      properties:
        name: {type: [string, "null"]}
        count: {type: ["null", integer]}
        price: {type: [number, "null"], examples: [1.5]}
        seen: {type: [boolean, "null"]}
        when: {type: [string, "null"], format: date-time}
        tag:
          anyOf: [{$ref: "#/components/schemas/Tag"}, {type: "null"}]
        tags:
          type: [array, "null"]
          items: {$ref: "#/components/schemas/Tag"}
        nothing: {type: "null"}
        mood: {type: [string, "null"], enum: [calm, null]}
        day: {type: [string, "null"], format: date, default: 2024-05-01, examples: [2024-05-02]}
paths:
  /v1/Items/{Sid}:
    x-twilio: {pathType: instance}
    get:
      operationId: FetchItem
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
"""


class Generated:
    """Generates a set of spec files into a package under a temporary folder and imports it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.added: list[str] = []

    def __call__(self, files: dict[str, str]) -> tuple[ModuleType, Path]:
        name = f"loading_gen_{len(self.added)}"
        specs = self.tmp_path / f"specs_{len(self.added)}"
        for rel, text in files.items():
            path = specs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        root = self.tmp_path / name
        generate(discover([specs / next(iter(files))]), root, workers=1, echo=lambda *_: None)
        self.added.append(name)
        importlib.invalidate_caches()
        return importlib.import_module(name), root


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Generated]:
    """A :class:`Generated` whose packages are importable for the test and dropped after it."""
    sys.path.insert(0, str(tmp_path))
    gen = Generated(tmp_path)
    yield gen
    sys.path[:] = [p for p in sys.path if p != str(tmp_path)]
    for module in [m for m in sys.modules if m.split(".")[0] in gen.added]:
        del sys.modules[module]


def _client(package: ModuleType, transport: MockTransport) -> object:
    twilio = importlib.import_module(f"{package.__name__}.twilio")
    return twilio.Twilio(ACCOUNT, "token", transport=transport)


PET = {"sid": "PE1", "born": "2020-01-02", "owner": {"name": "Ana", "pets": [{"sid": "PE2"}]}}


async def test_a_spec_over_four_files_generates_a_working_client(generated: Generated) -> None:
    """Schemas, a path item and a parameter from three nested files make one typed client."""
    import datetime as dt

    package, _ = generated(PETS_FILES)

    def handler(request: Request) -> Response:
        if request.url.startswith("https://pets.twilio.com/v1/Pets/"):
            return Response(200, json=PET)
        return Response(200, json={"pets": [PET], "meta": {"next_page_url": None}})

    transport = MockTransport(handler)
    client: object = _client(package, transport)
    async with client:  # type: ignore[attr-defined]
        pet = await client.pets.v1.pets.fetch("PE1")  # type: ignore[attr-defined]
        listed = await client.pets.v1.pets.list(page_size=5)  # type: ignore[attr-defined]
    models = importlib.import_module(f"{package.__name__}.twilio.pets.v1.models")
    assert isinstance(pet, models.Pet)
    assert pet.born == dt.date(2020, 1, 2)
    assert isinstance(pet.owner, models.Owner)
    assert pet.owner.name == "Ana"
    assert isinstance(pet.owner.pets[0], models.Pet)
    assert pet.owner.pets[0].sid == "PE2"
    assert [p.sid for p in listed] == ["PE1"]
    assert transport.requests[0].url == "https://pets.twilio.com/v1/Pets/PE1"
    assert "PageSize=5" in transport.requests[1].url


async def test_31_null_types_give_optional_typed_fields(generated: Generated) -> None:
    """3.1 ``[X, "null"]`` fields are typed and decoded as 3.0's nullable ones, nulls as None."""
    package, _ = generated({"twilio_nulls_v1.yaml": NULLS_31})
    models = importlib.import_module(f"{package.__name__}.twilio.nulls.v1.models")
    hints = models.Item.__annotations__
    assert hints["name"] == "str | None"
    assert hints["count"] == "int | None"
    assert hints["price"] == "float | None"
    assert hints["seen"] == "bool | None"
    assert hints["when"] == "_dt.datetime | None"
    assert hints["tag"] == "Tag | None"
    assert hints["tags"] == "list[Tag] | None"
    assert hints["nothing"] == "_t.Any | None"
    assert hints["day"] == "_dt.date | None"
    enum, *rest = hints["mood"].split(" | ")
    assert rest == ["str", "None"]
    assert getattr(models, enum)("calm").value == "calm"
    data = {"name": None, "count": 3, "when": "2024-05-01T10:00:00Z", "tag": {"label": "x"}}
    transport = MockTransport(lambda request: Response(200, json=data))
    client: object = _client(package, transport)
    async with client:  # type: ignore[attr-defined]
        item = await client.nulls.v1.items.fetch("IT1")  # type: ignore[attr-defined]
    assert item.name is None
    assert item.count == 3
    assert item.when.year == 2024
    assert item.tag.label == "x"


@pytest.mark.slow
def test_generated_31_and_multi_file_code_passes_mypy_strict(
    generated: Generated, tmp_path: Path
) -> None:
    """The packages of the 3.1 spec and the four-file spec type-check under mypy --strict."""
    roots = [generated({"twilio_nulls_v1.yaml": NULLS_31})[1], generated(PETS_FILES)[1]]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            *map(str, roots),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
