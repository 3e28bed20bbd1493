"""Generate an inline spec into a temporary package and import it."""

from __future__ import annotations

import importlib
import itertools
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from trunkline.codegen.generate import discover, generate

_counter = itertools.count()

GenerateFn = Callable[[str, str], ModuleType]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[GenerateFn]:
    """``generated(file_name, spec_text)`` → the imported root package of the generated code."""
    added: list[str] = []

    def run(file_name: str, spec_text: str) -> ModuleType:
        name = f"functional_gen_{next(_counter)}"
        root = tmp_path / name
        (tmp_path / "specs").mkdir(exist_ok=True)
        spec = tmp_path / "specs" / file_name
        spec.write_text(textwrap.dedent(spec_text))
        generate(discover([spec]), root, workers=1, echo=lambda *_: None)
        sys.path.insert(0, str(tmp_path))
        added.append(name)
        importlib.invalidate_caches()
        return importlib.import_module(name)

    yield run
    sys.path[:] = [p for p in sys.path if p != str(tmp_path)]
    for module in [m for m in sys.modules if m.split(".")[0] in added]:
        del sys.modules[module]
