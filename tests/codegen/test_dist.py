"""``make dist``: a wheel holding the generated package, usable without the codegen extra."""

from __future__ import annotations

import importlib.metadata as md
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).parent.parent.parent
GENERATED = ROOT / "generated"

pytestmark = pytest.mark.skipif(
    not (GENERATED / "twilio" / "__init__.py").exists(), reason="run `make generate` first"
)


def _runtime_closure() -> list[md.Distribution]:
    """The installed distributions trunkline needs without extras (its runtime dependencies)."""
    seen: dict[str, md.Distribution] = {}
    todo = [Requirement(r) for r in md.requires("trunkline") or []]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        extras = req.extras
        dist = md.distribution(req.name)
        key = dist.metadata["Name"].lower()
        for raw in dist.requires or []:
            sub = Requirement(raw)
            if (
                sub.marker is None
                or any(sub.marker.evaluate({"extra": e}) for e in extras)
                or (sub.marker.evaluate({"extra": ""}))
            ):
                todo.append(sub)
        seen[key] = dist
    return list(seen.values())


def _link_runtime_deps(target: Path) -> None:
    """Expose only the runtime dependencies' files to the fresh environment (no network)."""
    target.mkdir()
    for dist in _runtime_closure():
        tops = {
            Path(str(f)).parts[0]
            for f in dist.files or []
            if not str(f).startswith(("..", "/")) and Path(str(f)).parts
        }
        for top in tops:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (target / top).exists() and top != "__pycache__":
                (target / top).symlink_to(source)


def test_wheel_holds_every_generated_and_packaged_file(wheel: Path) -> None:
    """Every generated module, the templates and py.typed are in the wheel (the package guard)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    generated = {
        "trunkline/generated/" + str(p.relative_to(GENERATED))
        for p in GENERATED.rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert generated <= names
    assert "trunkline/generated/twilio/verify/v2/challenges.py" in names
    assert "trunkline/py.typed" in names
    assert "trunkline/codegen/templates/service.py.jinja" in names
    assert "trunkline/_models.py" in names


def test_wheel_installs_and_runs_without_the_codegen_extra(wheel: Path, tmp_path: Path) -> None:
    """In a fresh venv with only the runtime dependencies, the client imports and is created."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    site = next((venv / "lib").glob("python3.*/site-packages"))
    _link_runtime_deps(tmp_path / "deps")
    (site / "runtime_deps.pth").write_text(str(tmp_path / "deps") + "\n")
    code = (
        "import importlib.util, sys\n"
        "from trunkline.generated.twilio import Twilio\n"
        "tw = Twilio('AC' + 'a' * 32, 'token')\n"
        "assert 'trunkline.generated.twilio.verify' not in sys.modules\n"
        "print(type(tw.verify.v2.services.entities.challenges).__name__)\n"
        "find = importlib.util.find_spec\n"
        "print(find('jinja2'), find('datamodel_code_generator'))\n"
        "print(sys.modules['trunkline'].__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(python), "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "ChallengeService"
    assert lines[1] == "None None"
    assert lines[2].startswith(str(site))
