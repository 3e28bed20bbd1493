"""Lists the packages of the one import package, ``trunkline``, built from three folders.

Which folder is which package (``runtime/`` is ``trunkline``, ``codegen/`` is
``trunkline.codegen``, ``generated/`` is ``trunkline.generated``) is written once, as
``package-dir`` in pyproject.toml; this lists every package below those folders, which
setuptools' own discovery cannot do for nested roots. Everything else is in pyproject.toml.
"""

import tomllib
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
ROOTS: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
    "package-dir"
]


def _packages() -> list[str]:
    found = []
    for name, folder in ROOTS.items():
        base = ROOT / folder
        for init in sorted(base.rglob("__init__.py")):
            rel = init.parent.relative_to(base)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            found.append(".".join((name, *rel.parts)) if rel.parts else name)
    return found


setup(packages=_packages())
