"""Figma's REST API spec (OpenAPI 3.1, YAML) generates a working client, no code by hand."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contract._prism import PrismFleet, ensure_prism

import trunkline
from trunkline.codegen.loader import load_spec

from .conftest import Vendor, run_tool, wait_for_routes

VENDOR = "figma"
CLIENT = "figma"
TOKEN = "figd_test-token"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prism(vendor: Vendor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Prism serving the Figma spec; its URL."""
    fleet = PrismFleet(
        ensure_prism(), [VENDOR], lambda _: vendor.spec, tmp_path_factory.mktemp("prism")
    )
    try:
        url = fleet.server(VENDOR).url
        wait_for_routes(url + "/v1/me", {"X-Figma-Token": TOKEN})
        yield url
    finally:
        fleet.close()


def test_every_operation_has_a_method(vendor: Vendor) -> None:
    """Each operationId of the spec is an Operation of some generated module."""
    paths = load_spec(vendor.spec).data["paths"]
    wanted = {
        op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op
    }
    text = "".join(p.read_text() for p in (vendor.root / VENDOR).glob("*.py"))
    found = set(re.findall(r'\bid="([^"]+)"', text))
    assert vendor.operations == len(wanted) == 54
    assert wanted <= found


def test_every_module_imports(vendor: Vendor) -> None:
    """Every generated module imports."""
    names = [m.name for m in pkgutil.walk_packages(vendor.package.__path__, "generated.figma.")]
    for name in names:
        importlib.import_module(name)
    assert len(names) > 40


def test_mypy_strict_and_ruff_pass(vendor: Vendor) -> None:
    """The generated package passes mypy --strict and the repo's ruff rules for generated code."""
    base = vendor.root.parent
    config = Path(__file__).resolve().parents[2] / "pyproject.toml"
    (base / "ruff.toml").write_text(
        f'extend = "{config}"\n\n[lint.per-file-ignores]\n'
        '"generated/**" = ["E501", "RUF012", "UP", "SIM", "B"]\n'
    )
    lint = run_tool("ruff", "check", "--no-cache", "generated", cwd=base)
    assert lint.returncode == 0, lint.stdout[-3000:]
    formatted = run_tool("ruff", "format", "--check", "--no-cache", "generated", cwd=base)
    assert formatted.returncode == 0, formatted.stdout[-3000:]
    typed = run_tool("mypy", "--strict", "--no-incremental", "-p", "generated.figma", cwd=base)
    assert typed.returncode == 0, typed.stdout[-3000:]


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
        comment = await client.comments.create("file-key", message="hi")
        assert _field(comment, "id")
    async with figma.Figma(base_url=prism) as anonymous:
        with pytest.raises(trunkline.ValidationError, match="personal_access_token"):
            await anonymous.me.fetch()
