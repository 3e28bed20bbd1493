"""Golden records: the team's small specs must render byte for byte to the committed files.

``make golden`` (``pytest tests/golden --rewrite-golden``) rewrites the records from the
current generator; review the diff before committing it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trunkline.codegen.generate import discover, generate

HERE = Path(__file__).parent
SPECS = HERE / "specs"
# Apart from SPECS, whose two files the generator's incremental and discovery tests count.
ENCODING_SPECS = HERE / "encoding_specs"
RECORDS = HERE / "records"
ROOT = HERE.parent.parent


def _render(out: Path) -> dict[str, bytes]:
    generate(discover([SPECS, ENCODING_SPECS]), out, workers=1, echo=lambda *_: None)
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def _recorded() -> dict[str, bytes]:
    return {
        str(path.relative_to(RECORDS)): path.read_bytes()
        for path in sorted(RECORDS.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def test_records_match_rendering(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Rendering tests/golden/specs reproduces tests/golden/records exactly (or rewrites them)."""
    rendered = _render(tmp_path / "out")
    if request.config.getoption("--rewrite-golden"):
        shutil.rmtree(RECORDS, ignore_errors=True)
        for name, data in rendered.items():
            (RECORDS / name).parent.mkdir(parents=True, exist_ok=True)
            (RECORDS / name).write_bytes(data)
    recorded = _recorded()
    assert sorted(rendered) == sorted(recorded)
    for name, data in rendered.items():
        assert data == recorded[name], f"{name} differs from its golden record; run `make golden`"


def test_records_cover_the_features_they_pin() -> None:
    """The records show the mappings the goldens pin, so a rewrite cannot silently drop them."""
    services = (RECORDS / "twilio/golden/v1/services.py").read_text()
    notes = (RECORDS / "twilio/golden/v2010/notes.py").read_text()
    models = "".join(
        p.read_text() for p in sorted((RECORDS / "twilio/golden/v1/models").glob("*.py"))
    )
    assert '"Config.TimeStep": config_time_step,' in services
    assert '"DateCreated<": _v.date_time(\n' in services
    assert '"date_created_before", date_created_before, date_ok=True' in services
    assert '"date_created_after", date_created_after, date_ok=True' in services
    assert "date_created_before: _dt.datetime | _dt.date | None = None," in services
    assert '| _t.Literal["active", "suspended", "in-progress"]' in services
    assert "Sends ``DateCreated<`` (the query reads ``DateCreated<=value``" in services
    assert "Common options (``idempotent``, ``timeout``, ``headers``)" in services
    assert 'paging="twilio_meta"' in services
    assert 'paging="twilio_2010"' in notes
    assert "requires_content=True," in services
    assert "-> _op.ClosingAsyncIterator[_models.Service]:" in services
    assert '_op.PathArg("AccountSid", "account_sid", default=True)' in notes
    assert '"AccountSid": account_sid,' in notes
    assert "config: Config | None = None" in models
    assert "date_created: _dt.datetime | None = None" in models
    assert 'IN_PROGRESS = "in-progress"' in models
    assert "_m.open_enum_list(ServiceChannel" in models
    assert "_ServiceStatus_by_value = _m.enum_lookup(ServiceStatus)" in models
    assert 'made.status = _ServiceStatus_by_value[g("status")]' in models
    fallback = "            except (TypeError, ValueError):\n                d6 = _m.iso_datetime("
    assert fallback in models
    assert "        except (AttributeError, KeyError, TypeError):" in models
    assert (RECORDS / "twilio/golden/v2010/call_notes.py").exists()
    # Models sit with their service; Webhook, used by two services, in a module both import.
    assert "from .models import services as _models" in services
    assert (
        "from ._owner import Webhook"
        in (RECORDS / "twilio/golden/v1/models/webhooks.py").read_text()
    )
    assert "class Webhook(_m.Model):" in (RECORDS / "twilio/golden/v1/models/_owner.py").read_text()
    assert '"Webhook": "_owner",' in (RECORDS / "twilio/golden/v1/models/__init__.py").read_text()
    events = (RECORDS / "twilio/golden/v1/events.py").read_text()
    assert 'paging="twilio_camel_token"' in events
    assert 'auth=("basic", "bearer"),' in events
    assert "    async def fetch(" in events
    assert "page_token" not in events
    styles = RECORDS / "twilio/styles/v1"
    search = (styles / "search.py").read_text()
    assert '"page": _enc.styled("deepObject", True, _v.mapping("page", page)),' in search
    assert '"colors": _enc.styled("pipeDelimited", False, colors),' in search
    assert '"plain": plain,' in search
    assert '"matrix", False, "Matrix", _v.path_param("matrix", matrix)' in (
        (styles / "matrices.py").read_text()
    )
    assert '"Grants": _v.mapping("grants", grants),' in (styles / "forms.py").read_text()
    uploads = (styles / "uploads.py").read_text()
    assert 'body="multipart",' in uploads
    assert "file: _enc.FileArg," in uploads
    blobs = (styles / "blobs.py").read_text()
    assert 'content_type="application/octet-stream",' in blobs
    assert 'response="bytes",' in blobs
    assert "return _op.body_bytes(" in blobs
    assert 'accept="text/csv",' in (styles / "reports.py").read_text()


def test_model_typing_records_show_their_features() -> None:
    """The zoo records show typed objects, short enum names, unions, lists and DELETE bodies."""
    zoo = RECORDS / "twilio/zoo/v1"
    factors = (zoo / "models/factors.py").read_text()
    animals = (zoo / "animals.py").read_text()
    keepers = (zoo / "keepers.py").read_text()
    assert "binding: dict[str, _t.Any] | None" in factors
    assert "class FactorStatus(_m.OpenEnum):" in factors
    assert "class FactorKind(_m.OpenEnum):" in factors
    assert "pet: Cat | Dog | str | None = None" in factors
    assert '"Cat": Cat,' in factors
    assert "return _m.list_of(_models.ListAllAnimalsResponseItem.from_dict)(" in animals
    assert ") -> _models.Cat | _models.Dog:" in animals
    assert ") -> _models.DeleteAnimalResponse:" in animals
    assert "secret_word: str | None = None," in keepers
    assert "        id:" not in keepers


def _tool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd)


@pytest.mark.slow
def test_records_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    """The golden records type-check under mypy --strict, pass ruff and are ruff-formatted."""
    package = tmp_path / "golden_records"
    shutil.copytree(RECORDS, package, ignore=shutil.ignore_patterns("__pycache__"))
    ruff = str(Path(sys.executable).parent / "ruff")
    config = ("--no-respect-gitignore", "--config", str(ROOT / "pyproject.toml"))
    checked = _tool(ruff, "check", *config, "--extend-ignore", "E501,RUF012", str(package))
    assert checked.returncode == 0, checked.stdout
    formatted = _tool(ruff, "format", "--check", *config, str(package))
    assert formatted.returncode == 0, formatted.stdout
    done = _tool(
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "--cache-dir",
        str(tmp_path / "cache"),
        str(package),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
