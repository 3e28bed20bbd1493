"""The real Twilio specs: every operation generated, every module importable and type-clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trunkline.codegen.generate import discover, generate
from trunkline.codegen.specs import load_lock, spec_dir

ROOT = Path(__file__).parent.parent.parent
SPECS = spec_dir(load_lock())
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
NO_OPERATIONS = {
    "twilio_flex-api_v1.json",
    "twilio_iam_scim.json",
    "twilio_iam_v2.json",
    "twilio_verify_v3.json",
    "twilio_voice_oneconsole.json",
}

pytestmark = pytest.mark.skipif(
    not any(SPECS.glob("twilio_*.json")), reason="Twilio specs not unpacked (run `make specs`)"
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    root = tmp_path_factory.mktemp("twilio") / "gen_twilio_all"
    # The folder itself, as `generate --spec FOLDER` takes it: every spec must be found.
    summary = generate(discover([SPECS]), root, echo=lambda *_: None)
    return root, summary


def _spec_operations() -> set[tuple[str, str, str]]:
    found = set()
    for spec in SPECS.glob("twilio_*.json"):
        for path, item in json.loads(spec.read_text())["paths"].items():
            for method in METHODS:
                if method in item:
                    found.add((spec.name, method.upper(), path))
    return found


def test_every_operation_is_generated(tree: tuple[Path, dict[str, object]]) -> None:
    """Each (method, path) of all 71 specs is one generated Operation: 1,695 in 9.0.0."""
    root, summary = tree
    operations = _spec_operations()
    manifest = json.loads((root / "_manifest.json").read_text())
    generated = set()
    for entry in manifest["specs"].values():
        for rel in entry["files"]:
            text = (root / rel).read_text()
            for block in text.split("_op.Operation(")[1:]:
                method = block.split('method="', 1)[1].split('"', 1)[0]
                path = block.split('path="', 1)[1].split('"', 1)[0]
                generated.add((entry["spec"], method, path))
    assert generated == operations
    assert summary["operations"] == len(operations)
    assert summary["specs"] == 71
    assert len(operations) == 1695
    assert {s.split(" ")[0] for s in summary["skipped"]} == NO_OPERATIONS  # type: ignore[attr-defined]


def test_inequality_filters_do_not_collide(tree: tuple[Path, dict[str, object]]) -> None:
    """Messages.list takes date_sent, date_sent_before and date_sent_after side by side."""
    root, _ = tree
    text = (root / "twilio/api/v2010/messages.py").read_text()
    for wire, name in (
        ("DateSent", "date_sent"),
        ("DateSent<", "date_sent_before"),
        ("DateSent>", "date_sent_after"),
    ):
        assert f'"{wire}": _v.date_time("{name}", {name}, date_ok=True),' in text
    assert "account_sid: str | None = None" in text


CAMEL_TOKEN_LISTS = {
    "twilio/conversations/v2/conversations.py": "ListConversationByAccount",
    "twilio/conversations/v2/participants.py": "ListParticipantByConversation",
    "twilio/conversations/v2/communications.py": "ListCommunicationByConversation",
    "twilio/conversations/v2/configurations.py": "ListConfiguration",
    "twilio/intelligence/v3/operators.py": "ListOperators",
    "twilio/intelligence/v3/conversations.py": "ListConversations",
    "twilio/knowledge/v2/chunks.py": "ListKnowledgeChunks",
    "twilio/insights/v3/query_jobs.py": "ListQueryJobs",
    "twilio/voice/v3/transcriptions.py": "ListV3Transcriptions",
}


def test_camel_token_lists_page_and_instance_gets_stay_fetch(
    tree: tuple[Path, dict[str, object]],
) -> None:
    """camelCase pageSize/pageToken lists get the four list methods; instance GETs stay fetch."""
    root, _ = tree
    for rel, op_id in CAMEL_TOKEN_LISTS.items():
        text = (root / rel).read_text()
        block = text.split(f'id="{op_id}",', 1)[1].split(")", 1)[0]
        assert 'paging="twilio_camel_token"' in block, rel
        for name in ("list", "page", "pages", "stream"):
            assert f"def {name}(" in text, (rel, name)
        assert '"pageToken"' not in text, rel
        assert "page_token" not in text, rel
    operators = (root / "twilio/intelligence/v3/operators.py").read_text()
    assert "async def fetch(" in operators
    assert "fetch_operator" not in operators
    total = sum(p.read_text().count('paging="twilio_camel_token"') for p in root.rglob("*.py"))
    assert total == 24


def test_every_module_imports(tree: tuple[Path, dict[str, object]]) -> None:
    """All generated modules import (run in a fresh interpreter)."""
    root, _ = tree
    modules = sorted(
        ".".join(p.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in root.rglob("*.py")
    )
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run(
        [sys.executable, "-c", code, *modules],
        cwd=root.parent,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(root.parent)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(modules) > 600


@pytest.mark.slow
def test_ruff_and_mypy_strict_pass(tree: tuple[Path, dict[str, object]]) -> None:
    """The whole generated tree is ruff-clean and passes mypy --strict."""
    root, _ = tree
    ruff = subprocess.run(
        [
            str(Path(sys.executable).parent / "ruff"),
            "check",
            "--no-respect-gitignore",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--extend-ignore",
            "E501,RUF012",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(root.parent / ".mypy_cache"),
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=root.parent,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
