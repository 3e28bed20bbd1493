"""What the generated signatures promise a type checker and a reader, on Twilio's real specs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMON = {"self", "timeout", "headers", "idempotent", "page_size", "limit"}


@pytest.mark.slow
def test_an_enum_typo_is_a_mypy_error_naming_the_argument() -> None:
    """mypy rejects factor_type="tot" in tests/must_fail/enum_typo.py, naming the argument."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "tests/must_fail/enum_typo.py"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stdout
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, done.stdout
    assert 'Argument "factor_type" to "create"' in errors[0]
    assert "\"Literal['tot']\"" in errors[0]
    assert "enum_typo.py:14:" in errors[0]


def _services(package: str) -> list[type]:
    found = []
    root = importlib.import_module(package)
    for info in pkgutil.iter_modules(root.__path__):
        if info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        found += [getattr(module, name) for name in module.__all__]
    return found


@pytest.mark.parametrize(
    "package", ["trunkline.generated.twilio.verify.v2", "trunkline.generated.twilio.api.v2010"]
)
def test_every_argument_is_documented_and_the_common_options_referenced(package: str) -> None:
    """Each method's docstring has an Args line for every argument and links the common options."""
    missing = []
    methods = 0
    for service in _services(package):
        for name, method in inspect.getmembers(service, inspect.isfunction):
            if name.startswith("_"):
                continue
            methods += 1
            doc = method.__doc__ or ""
            assert "see :mod:`trunkline.call_options`." in doc, f"{service.__name__}.{name}"
            for arg in inspect.signature(method).parameters:
                if arg not in COMMON and f"\n            {arg}: " not in doc:
                    missing.append(f"{service.__name__}.{name}({arg})")
    assert methods > 50
    assert missing == []


def test_factor_create_documents_enum_arguments_and_filters_their_bounds() -> None:
    """factors.create documents its enum arguments; the bounds of calls.list say < and >."""
    from trunkline.generated.twilio.api.v2010.calls import CallService
    from trunkline.generated.twilio.verify.v2.factors import FactorService

    doc = FactorService.create.__doc__ or ""
    assert "config_notification_platform: Sent as ``Config.NotificationPlatform``. One of" in doc
    assert "config_alg: Sent as ``Config.Alg``. One of ``sha1``, ``sha256``, ``sha512``." in doc
    listed = CallService.list.__doc__ or ""
    assert "start_time_before: Sends ``StartTime<`` (the query reads ``StartTime<=value``" in listed
    assert "start_time_after: Sends ``StartTime>`` (the query reads ``StartTime>=value``" in listed
    assert "Common options (``page_size``, ``limit``, ``timeout``, ``headers``)" in listed


def test_the_module_the_methods_link_documents_each_common_option() -> None:
    """trunkline.call_options has a paragraph for every option the docstrings point it to."""
    import trunkline.call_options

    doc = trunkline.call_options.__doc__ or ""
    for option in sorted(COMMON - {"self"}):
        assert f"\n``{option}``\n    " in doc, option
