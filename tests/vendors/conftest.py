"""Real public specs of other vendors, pinned in specs/vendors/*.lock.json, generated and served.

``make specs-vendors`` fetches them; without them these tests skip. Each spec is generated
into a temporary ``generated`` folder (so the repo's lint rules for generated code apply)
and served by Prism from the contract tests' harness.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from trunkline.codegen.generate import discover, generate
from trunkline.codegen.loader import load_spec
from trunkline.codegen.specs import REPO_ROOT, load_lock, spec_dir

VENDORS = REPO_ROOT / "specs" / "vendors"


@attrs.frozen
class Vendor:
    """One generated vendor spec: where it is, its package and how many operations it has."""

    spec: Path
    root: Path
    package: ModuleType
    operations: int


def vendor_spec(name: str) -> Path:
    """The fetched spec file of ``specs/vendors/<name>.lock.json``, or a skip."""
    lock = load_lock(VENDORS / f"{name}.lock.json")
    found = sorted(spec_dir(lock).glob(lock.files))
    if not found:
        pytest.skip(f"{lock.package}@{lock.version} is not fetched; run `make specs-vendors`")
    return found[0]


@pytest.fixture(scope="module")
def vendor(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Vendor]:
    """Generate the module's ``VENDOR`` spec (named ``CLIENT``) and import it."""
    name: str = request.module.VENDOR
    spec = vendor_spec(name)
    base = tmp_path_factory.mktemp(name)
    root = base / "generated"
    summary = generate(
        discover([spec], name=request.module.CLIENT), root, workers=1, echo=lambda *_: None
    )
    sys.path.insert(0, str(base))
    importlib.invalidate_caches()
    package = importlib.import_module(f"generated.{name}")
    yield Vendor(spec, root, package, summary["operations"])
    sys.path.remove(str(base))
    for module in [m for m in sys.modules if m.split(".")[0] == "generated"]:
        del sys.modules[module]


@pytest.fixture(scope="module")
def prism(
    vendor: Vendor, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Prism serving the module's spec, ready for its ``READY`` route; its URL."""
    from contract._prism import PrismFleet, ensure_prism

    name: str = request.module.VENDOR
    route, headers = request.module.READY
    fleet = PrismFleet(
        ensure_prism(), [name], lambda _: vendor.spec, tmp_path_factory.mktemp("prism")
    )
    try:
        url = fleet.server(name).url
        wait_for_routes(url + route, headers)
        yield url
    finally:
        fleet.close()


def wait_for_routes(url: str, headers: dict[str, str], seconds: float = 600.0) -> None:
    """Wait until Prism serves ``url``: it accepts connections before a large spec is loaded."""
    deadline = time.monotonic() + seconds
    while True:
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10):
                return
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"Prism did not serve {url} within {seconds:.0f} s")
        time.sleep(1)


def operation_ids(vendor: Vendor) -> tuple[int, int]:
    """How many operations the spec has, and how many Operation constants were generated."""
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    paths = load_spec(vendor.spec).data["paths"]
    wanted = sum(1 for item in paths.values() for key in item if key in methods)
    modules = (vendor.root / vendor.package.__name__.split(".")[-1]).glob("*.py")
    found = sum(p.read_text().count(" = _op.Operation(") for p in modules)
    return wanted, found


def check_tools(vendor: Vendor) -> None:
    """Assert ruff (check and format) and mypy --strict pass on the generated package."""
    base = vendor.root.parent
    config = REPO_ROOT / "pyproject.toml"
    (base / "ruff.toml").write_text(
        f'extend = "{config}"\n\n[lint.per-file-ignores]\n'
        '"generated/**" = ["E501", "RUF012", "UP", "SIM", "B"]\n'
    )
    lint = run_tool("ruff", "check", "--no-cache", "generated", cwd=base)
    assert lint.returncode == 0, lint.stdout[-3000:]
    formatted = run_tool("ruff", "format", "--check", "--no-cache", "generated", cwd=base)
    assert formatted.returncode == 0, formatted.stdout[-3000:]
    package = vendor.package.__name__
    typed = run_tool("mypy", "--strict", "--no-incremental", "-p", package, cwd=base)
    assert typed.returncode == 0, typed.stdout[-3000:]


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a dev tool from the project's environment."""
    return subprocess.run(
        [str(Path(sys.executable).parent / command[0]), *command[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
