"""The README's quickstart passes mypy --strict, as the examples do under ``make typecheck``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_readme_quickstart_passes_mypy_strict(tmp_path: Path) -> None:
    """The first python block under the README's Quickstart heading type-checks with no error."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Quickstart\n", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None
    assert "trunkline.Twilio" in found.group(1)
    script = tmp_path / "quickstart.py"
    script.write_text(found.group(1))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), str(script)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout
