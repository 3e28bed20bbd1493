"""Options shared by the whole suite."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

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
