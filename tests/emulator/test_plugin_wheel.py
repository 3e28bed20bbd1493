"""The pytest plugin from the built wheel, in a fresh virtual environment without ``specs/``.

The wheel must carry the emulator's data files and the ``pytest11`` entry point; a
project that installs it (here: a temporary folder with one test file and no conftest)
gets the ``twilio_client`` and ``twilio_emulator`` fixtures and a working emulator.
"""

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

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (GENERATED / "twilio" / "__init__.py").exists(), reason="run `make generate` first"
    ),
]

PROJECT_TEST = '''
"""A user's test: the plugin's fixtures, nothing else."""


async def test_send_and_verify(twilio_client, twilio_emulator):
    sent = await twilio_client.api.v2010.messages.create(
        to="+15558675310", from_="+15017122661", body="from a wheel"
    )
    assert sent.sid.startswith("SM")
    assert [m["body"] for m in twilio_emulator.messages.sent] == ["from a wheel"]
    service = await twilio_client.verify.v2.services.create(friendly_name="wheel")
    await twilio_client.verify.v2.services.verifications.create(
        service.sid, to="+15558675310", channel="sms"
    )
    code = twilio_emulator.verifications.code_for("+15558675310")
    check = await twilio_client.verify.v2.services.verification_checks.create(
        service.sid, to="+15558675310", code=code
    )
    assert check.status == "approved"


def test_sync_callers_get_a_thread(twilio_emulator_thread):
    assert twilio_emulator_thread.emulator.url.startswith("http://127.0.0.1:")
'''


def _closure(roots: list[str]) -> list[md.Distribution]:
    """The installed distributions ``roots`` need (requirements with their extras, transitively)."""
    found: dict[str, md.Distribution] = {}
    pending = [Requirement(r) for r in reversed(roots)]
    while pending:
        req = pending.pop()
        dist = md.distribution(req.name)
        found.setdefault(dist.metadata["Name"].lower(), dist)
        for raw in dist.requires or []:
            sub = Requirement(raw)
            wanted = ["", *sorted(req.extras)]
            needed = sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in wanted)
            if needed and sub.name.lower() not in found:
                pending.append(sub)
    return list(found.values())


def test_wheel_carries_the_data_files_and_the_entry_point(wheel: Path) -> None:
    """Every generated package's ``_emulation.json`` and the ``pytest11`` entry are in the wheel."""
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    data = {f"trunkline/generated/{p.relative_to(GENERATED)}" for p in GENERATED.rglob("*.json")}
    data = {n for n in data if n.endswith("/_emulation.json")}
    assert data
    assert data <= names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = archive.read(entry_points).decode()
    assert "[pytest11]" in text
    assert "trunkline = trunkline.testing.plugin" in text


def test_plugin_fixtures_work_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    """A project with only the wheel installed runs tests on the plugin's fixtures."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True)
    deps = tmp_path / "deps"
    deps.mkdir()
    for dist in _closure(["trunkline", "pytest", "pytest-asyncio"])[1:]:
        for top in {Path(str(f)).parts[0] for f in dist.files or [] if Path(str(f)).parts}:
            source = Path(str(dist.locate_file(top)))
            target = deps / top
            if top not in ("..", "__pycache__") and source.exists() and not target.exists():
                target.symlink_to(source)
    site = next((venv / "lib").glob("python3.*/site-packages"))
    (site / "deps.pth").write_text(str(deps) + "\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_user.py").write_text(PROJECT_TEST)
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=project,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
