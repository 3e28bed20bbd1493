"""Scalar's Galaxy example API (OpenAPI 3.1, JSON, 10 operations) generates a working client.

From ``@scalar/galaxy`` (MIT): seven security schemes, a ``{data, meta.next}`` paged list,
JSON POSTs and schemas bound through ``$dynamicRef``; the one real spec here that meets every
call of the issue on its own, in JSON.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import trunkline

from .conftest import Vendor, check_tools, operation_ids

VENDOR = "galaxy"
CLIENT = "galaxy"
TOKEN = "galaxy-test-token"
READY = ("/planets", {})

pytestmark = pytest.mark.slow


def test_every_operation_has_a_method(vendor: Vendor) -> None:
    """Each operation of the spec is an Operation constant of some generated module."""
    wanted, found = operation_ids(vendor)
    assert vendor.operations == wanted == 10
    assert found == wanted


def test_every_module_imports(vendor: Vendor) -> None:
    """Every generated module imports."""
    names = [m.name for m in pkgutil.walk_packages(vendor.package.__path__, "generated.galaxy.")]
    for name in names:
        importlib.import_module(name)
    assert len(names) > 5


def test_mypy_strict_and_ruff_pass(vendor: Vendor) -> None:
    """The generated package passes mypy --strict and the repo's ruff rules for generated code."""
    check_tools(vendor)


async def test_calls_against_prism(vendor: Vendor, prism: str) -> None:
    """A GET, a paged list, a JSON POST and a bearer call work through public arguments."""
    galaxy = vendor.package
    async with galaxy.Galaxy(bearer_auth=TOKEN, base_url=prism) as client:
        planet = await client.planets.fetch("1")
        assert planet.name
        # Prism answers the spec's example page, whose meta.next points at a second page.
        seen: list[Any] = []
        async for page in client.planets.pages(page_size=10):
            seen.append(page)
            if len(seen) == 2:
                break
        assert len(seen) == 2
        assert all(len(page) >= 1 for page in seen)
        created = await client.planets.create(name="Mars", type="terrestrial")
        assert created.name
        # Prism answers 401 unless one of the schemes getMe's security lists is sent.
        me = await client.me.fetch()
        assert me is not None
    async with galaxy.Galaxy(base_url=prism) as anonymous:
        with pytest.raises(trunkline.ValidationError, match="bearer_auth"):
            await anonymous.me.fetch()
