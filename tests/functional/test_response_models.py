"""Inline responses become models: wrappers, arrays, unions, allOf merges, DELETE bodies."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from trunkline._errors import ResponseShapeError
from trunkline._transport import MockTransport, Request, Response

from .conftest import GenerateFn

# The golden spec of model typing serves here too: what its records show is what runs.
SPEC = (Path(__file__).parents[1] / "golden" / "specs" / "twilio_zoo_v1.yaml").read_text()


@pytest.fixture
def zoo(generated: GenerateFn) -> ModuleType:
    """The generated root package of the inline spec."""
    return generated("twilio_zoo_v1.yaml", SPEC)


def _client(package: ModuleType, handler: Callable[[Request], Response]) -> Any:
    twilio_module = importlib.import_module(f"{package.__name__}.twilio")
    return twilio_module.Twilio("AC" + "a" * 32, "token", transport=MockTransport(handler))


def _models(package: ModuleType) -> Any:
    name = f"{package.__name__}.twilio.zoo.v1.models"
    __import__(name)
    return sys.modules[name]


async def test_an_inline_data_meta_wrapper_decodes_to_nested_models(zoo: ModuleType) -> None:
    """``{data, meta}`` declared inline is a model named after the operation, fields typed."""
    body = {"data": {"visitors": 7, "busiest": "2024-05-01"}, "meta": {"region": "ie1"}}
    async with _client(zoo, lambda request: Response(200, json=body)) as client:
        stats = await client.zoo.v1.stats.fetch()
    models = _models(zoo)
    assert isinstance(stats, models.FetchStatsResponse)
    assert isinstance(stats.data_, models.FetchStatsResponseData)
    assert stats.data_.visitors == 7
    assert str(stats.data_.busiest) == "2024-05-01"
    assert stats.meta.region == "ie1"


async def test_a_top_level_array_response_is_a_list_of_models(zoo: ModuleType) -> None:
    """An array of inline objects decodes to a list of one model; a non-array is refused."""
    answers = iter([[{"sid": "AN1"}, {"sid": "AN2"}], {"sid": "AN1"}])
    async with _client(zoo, lambda request: Response(200, json=next(answers))) as client:
        animals = await client.zoo.v1.animals.fetch()
        with pytest.raises(ResponseShapeError):
            await client.zoo.v1.animals.fetch()
    assert [a.sid for a in animals] == ["AN1", "AN2"]
    assert type(animals[0]).__name__ == "ListAllAnimalsResponseItem"


async def test_a_discriminated_one_of_picks_the_member_by_its_value(zoo: ModuleType) -> None:
    """``kind: dog`` decodes to Dog even though the object would also fit Cat's fields."""
    body = {"kind": "dog", "bark": "woof", "lives": 9}
    async with _client(zoo, lambda request: Response(201, json=body)) as client:
        animal = await client.zoo.v1.animals.create()
    models = _models(zoo)
    assert isinstance(animal, models.Dog)
    assert animal.bark == "woof"


async def test_a_union_field_without_mapping_picks_by_schema_name(zoo: ModuleType) -> None:
    """A discriminator without ``mapping`` reads the schema's own name; a string stays one."""
    answers = iter([{"pet": {"kind": "Dog", "lives": 1}}, {"pet": "Rex"}])
    async with _client(zoo, lambda request: Response(200, json=next(answers))) as client:
        with_dog = await client.zoo.v1.factors.fetch("YF1")
        with_name = await client.zoo.v1.factors.fetch("YF1")
    models = _models(zoo)
    assert isinstance(with_dog.pet, models.Dog)
    assert with_name.pet == "Rex"
    with pytest.raises(ResponseShapeError):
        models.Factor.from_dict({"pet": 3})


def test_an_array_of_a_union_decodes_each_item(zoo: ModuleType) -> None:
    """``pets: array of anyOf [Cat, Dog]`` is a list whose items are each member that fits."""
    models = _models(zoo)
    factor = models.Factor.from_dict({"pets": [{"kind": "x", "bark": "b"}, {"lives": 2}]})
    assert [type(p).__name__ for p in factor.pets] == ["Dog", "Cat"]
    assert models.Factor.from_dict({"pets": None}).pets is None


async def test_an_any_of_without_discriminator_takes_the_first_member_that_fits(
    zoo: ModuleType,
) -> None:
    """Without a discriminator the first member whose required fields are present wins."""
    answers = iter([{"kind": "x", "bark": "woof"}, {"kind": "x", "lives": 3}, {"kind": "x"}])
    async with _client(zoo, lambda request: Response(200, json=next(answers))) as client:
        dog = await client.zoo.v1.animals.fetch_animal("AN1")
        cat = await client.zoo.v1.animals.fetch_animal("AN1")
        neither = await client.zoo.v1.animals.fetch_animal("AN1")
    models = _models(zoo)
    assert isinstance(dog, models.Dog)
    assert isinstance(cat, models.Cat)
    assert cat.lives == 3
    # Fitting no member's required fields, an object goes to the first model listed.
    assert isinstance(neither, models.Cat)


async def test_a_delete_that_declares_a_body_returns_it_decoded(zoo: ModuleType) -> None:
    """A DELETE whose 200 declares a JSON body returns it as a model, not None."""
    async with _client(zoo, lambda request: Response(200, json={"deleted": True})) as client:
        receipt = await client.zoo.v1.animals.delete("AN1")
    assert receipt.deleted is True


async def test_all_of_merges_properties_by_wire_name_and_the_last_wins(zoo: ModuleType) -> None:
    """A property two ``allOf`` parts declare is one argument, with the last part's limits."""
    seen: list[Any] = []

    def handler(request: Request) -> Response:
        seen.append(json.loads(request.content or b"{}"))
        return Response(201, json={"name": "Ana", "id": "K1", "secret_word": "x", "badge": 2})

    create = _client(zoo, handler).zoo.v1.keepers.create
    params = inspect.signature(create).parameters
    assert [p for p in params if p.startswith("name")] == ["name"]
    async with _client(zoo, handler) as client:
        keeper = await client.zoo.v1.keepers.create(name="Ana Maria", secret_word="open")
    assert seen == [{"name": "Ana Maria", "secret_word": "open"}]
    assert keeper.name == "Ana"
    assert keeper.badge == 2


def test_read_only_is_no_argument_and_write_only_no_field(zoo: ModuleType) -> None:
    """``readOnly`` ``id`` is not a request argument; ``writeOnly`` ``secret_word`` no field."""
    create = _client(zoo, lambda request: Response(201, json={})).zoo.v1.keepers.create
    params = inspect.signature(create).parameters
    assert "id" not in params
    assert "secret_word" in params
    models = _models(zoo)
    fields = models.Keeper.__annotations__
    assert "id" in fields
    assert "secret_word" not in fields
    assert models.Keeper.from_dict({"secret_word": "x"}).extra == {"secret_word": "x"}
