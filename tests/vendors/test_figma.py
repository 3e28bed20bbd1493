"""Figma's REST API spec (OpenAPI 3.1, YAML) generates a working client, no code by hand."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import trunkline

from .conftest import Vendor, check_tools, operation_ids

VENDOR = "figma"
CLIENT = "figma"
TOKEN = "figd_test-token"
# A route Prism answers once the spec is loaded, and the headers its security asks for.
READY = ("/v1/me", {"X-Figma-Token": TOKEN})

pytestmark = pytest.mark.slow


def test_every_operation_has_a_method(vendor: Vendor) -> None:
    """Each operation of the spec is an Operation constant of some generated module."""
    wanted, found = operation_ids(vendor)
    assert vendor.operations == wanted == 54
    assert found == wanted


def test_every_module_imports(vendor: Vendor) -> None:
    """Every generated module imports."""
    names = [m.name for m in pkgutil.walk_packages(vendor.package.__path__, "generated.figma.")]
    for name in names:
        importlib.import_module(name)
    assert len(names) > 40


def test_mypy_strict_and_ruff_pass(vendor: Vendor) -> None:
    """The generated package passes mypy --strict and the repo's ruff rules for generated code."""
    check_tools(vendor)


def _field(value: Any, name: str) -> Any:
    """A field of a model, or of the dict an inline response schema still decodes to."""
    return value[name] if isinstance(value, dict) else getattr(value, name)


async def test_calls_against_prism(vendor: Vendor, prism: str) -> None:
    """A GET, a paged list, a JSON POST and authenticated calls work through public arguments."""
    figma = vendor.package
    async with figma.Figma(
        personal_access_token=TOKEN, plan_access_token=TOKEN, base_url=prism
    ) as client:
        # Prism checks the X-Figma-Token header the spec's security asks for (else 401).
        me = await client.me.fetch()
        assert _field(me, "id")
        pages = client.daily.pages(start_date="2026-01-01", end_date="2026-01-02", limit=2)
        seen = [page async for page in pages]
        assert len(seen) >= 2
        comment = await client.files.comments.create("file-key", message="hi")
        assert _field(comment, "id")
    async with figma.Figma(base_url=prism) as anonymous:
        with pytest.raises(trunkline.ValidationError, match="personal_access_token"):
            await anonymous.me.fetch()
