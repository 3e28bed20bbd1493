"""Options shared by the whole suite."""

from __future__ import annotations

import pytest


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
