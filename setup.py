"""Lists the packages of the one import package, ``trunkline``, built from three folders.

``runtime/`` is ``trunkline`` itself, ``codegen/`` is ``trunkline.codegen`` and
``generated/`` (written by ``make generate``) is ``trunkline.generated``. Everything else
is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
ROOTS = {"trunkline": "runtime", "trunkline.codegen": "codegen", "trunkline.generated": "generated"}


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


setup(packages=_packages(), package_dir=ROOTS)
