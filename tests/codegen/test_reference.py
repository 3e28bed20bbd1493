"""The browsable reference: every resource path users type, its methods and signatures."""

from __future__ import annotations

import argparse
from pathlib import Path

from trunkline.codegen import reference


def test_pages_list_tree_paths_with_signatures_and_summaries() -> None:
    """The Verify page names the nested path, the positional path parameters and the summary."""
    pages = reference.reference_pages("twilio")
    verify = pages["verify.md"]
    section = verify.split("## `tw.verify.v2.services.entities.factors`\n", 1)[1].split("## ")[0]
    line = next(text for text in section.splitlines() if text.startswith("- `create("))
    assert line.startswith("- `create(service_sid: str, identity: str, *, friendly_name: str, ")
    assert line.endswith(") -> NewFactor`")
    assert "\n  Create a new Factor for the Entity.\n" in section
    assert "## `tw.api.v2010.incoming_phone_numbers.local`" in pages["api.md"]
    assert "_models." not in verify


def test_main_writes_one_page_per_domain_and_drops_stale_ones(tmp_path: Path) -> None:
    """``docs`` writes ``<provider>/<domain>.md`` and removes pages no domain produces any more."""
    stale = tmp_path / "twilio" / "gone.md"
    stale.parent.mkdir()
    stale.write_text("old")
    assert reference.main(argparse.Namespace(out=tmp_path)) == 0
    assert (tmp_path / "twilio" / "verify.md").is_file()
    assert (tmp_path / "ziggeo" / "ziggeo.md").is_file()
    assert not stale.exists()
