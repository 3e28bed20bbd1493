"""The package's public names, its lazy loading and its import cost."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import trunkline

ROOT = Path(__file__).resolve().parents[2]

PUBLIC = {
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BaseClient",
    "CapturedResponse",
    "ClientOptions",
    "ConflictError",
    "ErrorInfo",
    "Middleware",
    "MockTransport",
    "NotFoundError",
    "Operation",
    "Page",
    "PagingError",
    "PathArg",
    "PermissionDeniedError",
    "RateLimitError",
    "Request",
    "Response",
    "ResponseLog",
    "ResponseShapeError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "SignalWire",
    "Timeout",
    "TimeoutArg",
    "Transport",
    "TrunklineError",
    "Twilio",
    "UnprocessableEntityError",
    "UsageError",
    "ValidationError",
    "Ziggeo",
    "__version__",
    "capture_responses",
}


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_public_names() -> None:
    """The package exports exactly the agreed public names."""
    assert set(trunkline.__all__) == PUBLIC


def test_runtime_names_resolve() -> None:
    """Every non-generated public name resolves to the runtime object of that name."""
    from trunkline._paging import Page
    from trunkline._retry import RetryPolicy
    from trunkline._transport import MockTransport

    assert trunkline.Page is Page
    assert trunkline.RetryPolicy is RetryPolicy
    assert trunkline.MockTransport is MockTransport
    for name in PUBLIC - {"Twilio", "SignalWire", "Ziggeo", "__version__"}:
        assert getattr(trunkline, name) is not None


def test_unknown_attribute() -> None:
    """An unknown attribute raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = trunkline.no_such_thing


def test_version_is_written_once() -> None:
    """pyproject.toml takes its version from ``trunkline._version``, and the install agrees."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "trunkline._version.VERSION"
    }
    assert importlib.metadata.version("trunkline") == trunkline.__version__


def test_import_is_cheap() -> None:
    """``import trunkline`` loads neither aiohttp, attrs nor typing."""
    result = _run(
        "import sys, trunkline; "
        "print(sorted(m for m in ('aiohttp', 'attrs', 'typing', 'yarl') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_client_import_does_not_need_aiohttp() -> None:
    """Importing the Twilio client class loads aiohttp only once a client is built."""
    result = _run(
        "import sys; from trunkline._twilio import TwilioClient; print('aiohttp' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_first_touch_defers_what_only_requests_need() -> None:
    """Building a client and touching Verify v2 loads no module only a request, retry, decoded
    model or rare value needs (asyncio, aiohttp, logging, orjson, email.utils, random, uuid,
    attrs, inspect, the Verify v2 models)."""
    deferred = ("asyncio", "aiohttp", "logging", "orjson", "email.utils", "random", "uuid")
    deferred += ("attrs", "inspect", "trunkline._models")
    result = _run(
        "import sys, trunkline\n"
        "tw = trunkline.Twilio('AC' + '0' * 32, 'token')\n"
        "tw.verify.v2.services.entities.challenges\n"
        "models = [m for m in sys.modules if '.verify.v2.models' in m]\n"
        f"print(sorted(m for m in {deferred!r} if m in sys.modules) + models)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_missing_generated_package_says_make_generate() -> None:
    """When the generated package is missing, ``trunkline.Twilio`` says to run make generate."""
    result = _run(
        "import sys; sys.modules['trunkline.generated.twilio'] = None\n"
        "import trunkline\n"
        "try:\n    trunkline.Twilio\nexcept ImportError as e:\n    print(e)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "make generate" in result.stdout
    assert "trunkline.generated.twilio" in result.stdout
