"""Incremental, byte-identical generation with a manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from trunkline.codegen.generate import MANIFEST, discover, generate

GOLDEN_SPECS = Path(__file__).parent.parent / "golden" / "specs"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _quiet(*_: object) -> None:
    return None


def _copy_specs(tmp_path: Path) -> Path:
    specs = tmp_path / "specs"
    shutil.copytree(GOLDEN_SPECS, specs)
    return specs


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    """Generating the same specs into two folders gives the same bytes, manifest included."""
    specs = _copy_specs(tmp_path)
    generate(discover([specs]), tmp_path / "a", workers=1, echo=_quiet)
    generate(discover([specs]), tmp_path / "b", workers=2, echo=_quiet)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_unchanged_specs_are_up_to_date_and_untouched(tmp_path: Path) -> None:
    """A second run regenerates nothing and rewrites no file."""
    specs = _copy_specs(tmp_path)
    out = tmp_path / "out"
    first = generate(discover([specs]), out, workers=1, echo=_quiet)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.py")}
    lines: list[str] = []
    second = generate(discover([specs]), out, workers=1, echo=lines.append)
    count = len(list(specs.glob("*.yaml")))
    assert count >= 2
    assert first["generated"] == count
    assert second["generated"] == 0
    assert second["up_to_date"] == count
    assert not second["changed"]
    assert lines == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.py")} == stamps


def test_changing_one_spec_regenerates_only_it(tmp_path: Path) -> None:
    """Editing one spec regenerates that spec alone; its removed resource's module goes away."""
    specs = _copy_specs(tmp_path)
    out = tmp_path / "out"
    generate(discover([specs]), out, workers=1, echo=_quiet)
    v1_models = (out / "twilio/golden/v1/models/services.py").stat().st_mtime_ns
    spec = specs / "twilio_golden_v2010.yaml"
    text = spec.read_text()
    start = text.index("  /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Notes.json:")
    spec.write_text(text[:start])
    lines: list[str] = []
    summary = generate(discover([specs]), out, workers=1, echo=lines.append)
    assert summary["generated"] == 1
    assert len(lines) == 1
    assert "twilio_golden_v2010.yaml" in lines[0]
    assert not (out / "twilio/golden/v2010/call_notes.py").exists()
    assert "call_notes" not in (out / "twilio/golden/v2010/__init__.py").read_text()
    assert (out / "twilio/golden/v1/models/services.py").stat().st_mtime_ns == v1_models


def test_manifest_records_hashes_and_files(tmp_path: Path) -> None:
    """The manifest names the generator version and each spec's hash, counts and files."""
    specs = _copy_specs(tmp_path)
    out = tmp_path / "out"
    generate(discover([specs]), out, workers=1, echo=_quiet)
    manifest = json.loads((out / MANIFEST).read_text())
    assert len(manifest["generator"]) == 16
    entry = manifest["specs"]["twilio/golden/v1"]
    assert entry["spec"] == "twilio_golden_v1.yaml"
    assert len(entry["digest"]) == 64
    assert entry["operations"] == 9
    assert "twilio/golden/v1/services.py" in entry["files"]


def test_removed_spec_takes_its_package_away(tmp_path: Path) -> None:
    """A spec that is no longer generated leaves no files behind."""
    specs = _copy_specs(tmp_path)
    out = tmp_path / "out"
    generate(discover([specs]), out, workers=1, echo=_quiet)
    (specs / "twilio_golden_v2010.yaml").unlink()
    generate(discover([specs]), out, workers=1, echo=_quiet)
    assert not (out / "twilio/golden/v2010").exists()
    assert "v2010" not in (out / "twilio/golden/__init__.py").read_text()


def test_a_multi_file_spec_is_up_to_date_until_a_referred_file_changes(tmp_path: Path) -> None:
    """Every file the bundle read is hashed: a rerun skips the spec, an edited ref file not."""
    from tests.codegen.test_loader import TWO_FILES, _write

    spec = _write(tmp_path / "specs", TWO_FILES)
    out = tmp_path / "out"
    generate(discover([spec]), out, workers=1, echo=_quiet, scope=[spec])
    entry = json.loads((out / MANIFEST).read_text())["specs"]["twilio/pets/v1"]
    assert entry["inputs"] == ["defs.yaml", "twilio_pets_v1.trunkline.yaml"]
    again = generate(discover([spec]), out, workers=1, echo=_quiet, scope=[spec])
    assert (again["generated"], again["up_to_date"]) == (0, 1)
    defs = spec.parent / "defs.yaml"
    defs.write_text(defs.read_text().replace("name: {type: string}", "name: {type: integer}"))
    changed = generate(discover([spec]), out, workers=1, echo=_quiet, scope=[spec])
    assert changed["generated"] == 1
