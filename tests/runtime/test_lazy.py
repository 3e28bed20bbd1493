"""Deferred imports: a service's models module is imported by its first use, then bound."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from trunkline import _lazy


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    root = tmp_path / "lazy_demo"
    (root / "models").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "models" / "__init__.py").write_text("")
    (root / "models" / "things.py").write_text("class Thing:\n    size = 3\n")
    (root / "service.py").write_text(
        "from trunkline import _lazy\n"
        "_models = _lazy.module(__name__, '.models.things')\n"
        "def size():\n"
        "    return _models.Thing.size\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "lazy_demo"
    for name in [m for m in sys.modules if m.startswith("lazy_demo")]:
        del sys.modules[name]


def test_the_models_module_is_imported_by_the_first_read_and_then_bound(package: str) -> None:
    """Importing the service imports no models; the first call does, and rebinds the global."""
    service = importlib.import_module(f"{package}.service")
    assert f"{package}.models.things" not in sys.modules
    assert repr(vars(service)["_models"]) == (
        "<module 'lazy_demo.models.things', imported on first use>"
    )
    assert service.size() == 3
    real = sys.modules[f"{package}.models.things"]
    assert vars(service)["_models"] is real
    assert service.size() == 3


def test_an_already_imported_module_is_returned_as_it_is(package: str) -> None:
    """When the models module is loaded already, the service binds the real module at once."""
    real = importlib.import_module(f"{package}.models.things")
    service = importlib.import_module(f"{package}.service")
    assert vars(service)["_models"] is real


def test_a_held_stand_in_keeps_working_and_missing_names_raise(package: str) -> None:
    """A reference taken before the first use still reads through; unknown names raise."""
    service = importlib.import_module(f"{package}.service")
    held = vars(service)["_models"]
    assert held.Thing.size == 3
    assert held.Thing is sys.modules[f"{package}.models.things"].Thing
    with pytest.raises(AttributeError, match="Nothing"):
        _ = held.Nothing


def test_a_missing_module_fails_on_first_use_naming_it(package: str) -> None:
    """A stand-in for a module that is not there raises ModuleNotFoundError when read."""
    stand_in = _lazy.module(f"{package}.service", ".models.absent")
    with pytest.raises(ModuleNotFoundError, match=r"lazy_demo\.models\.absent"):
        _ = stand_in.Thing
