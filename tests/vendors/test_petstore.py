"""Swagger's Petstore (OpenAPI 3.0, JSON, 20 operations) generates a working client.

Shipped in ReadMe's ``@readme/oas-examples`` (MIT; the spec itself Apache 2.0): the JSON
POSTs that Blockfrost lacks (its POSTs are CBOR), an API key header and an OAuth2 scheme.
It has no paged list, so the paging calls are Figma's and Blockfrost's.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import trunkline

from .conftest import Vendor, check_tools, operation_ids

VENDOR = "petstore"
CLIENT = "petstore"
KEY = "special-key"
READY = ("/store/inventory", {"api_key": KEY})

pytestmark = pytest.mark.slow


def test_every_operation_has_a_method(vendor: Vendor) -> None:
    """Each operation of the spec is an Operation constant of some generated module."""
    wanted, found = operation_ids(vendor)
    assert vendor.operations == wanted == 20
    assert found == wanted


def test_every_module_imports(vendor: Vendor) -> None:
    """Every generated module imports."""
    prefix = "generated.petstore."
    names = [m.name for m in pkgutil.walk_packages(vendor.package.__path__, prefix)]
    for name in names:
        importlib.import_module(name)
    assert len(names) > 10


def test_mypy_strict_and_ruff_pass(vendor: Vendor) -> None:
    """The generated package passes mypy --strict and the repo's ruff rules for generated code."""
    check_tools(vendor)


async def test_calls_against_prism(vendor: Vendor, prism: str) -> None:
    """A GET, a JSON POST and an API-key call work through public constructor arguments."""
    petstore = vendor.package
    async with petstore.Petstore(api_key=KEY, base_url=prism) as client:
        order = await client.order.create(pet_id=7, quantity=2, status="placed")
        assert order.id is not None
        fetched = await client.order.fetch("3")
        assert fetched.id is not None
        # Prism answers 401 unless the api_key header the operation's security names is sent.
        pet = await client.pet.fetch("1")
        assert pet.name
    async with petstore.Petstore(base_url=prism) as anonymous:
        with pytest.raises(trunkline.ValidationError, match="api_key"):
            await anonymous.pet.fetch("1")
