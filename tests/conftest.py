"""Options shared by the whole suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

# These machines are shared and noisy: how fast Hypothesis generates inputs says nothing
# about the code under test, so neither a slow draw nor a slow example fails a test.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--rewrite-golden",
        action="store_true",
        help="rewrite the golden records from the current generator instead of comparing",
    )
    parser.addoption(
        "--contract-all",
        action="store_true",
        help="run the contract tests against every Twilio spec, not only the CI subset",
    )


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """trunkline's wheel with the generated clients, built once for every test that installs it."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("trunkline-*.whl")
    return found
