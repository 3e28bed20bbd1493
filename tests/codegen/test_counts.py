"""``python -m trunkline.codegen counts``: operations, paged lists and typed returns per spec."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from trunkline.codegen.counts import SpecCounts, count, main

GOLDEN = Path(__file__).parent.parent / "golden" / "specs"
UNTYPED = """\
openapi: 3.0.3
info: {title: Loose, version: "1"}
servers: [{url: "https://loose.example"}]
paths:
  /things:
    get:
      operationId: listThings
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: object}}
                  next_cursor: {type: string}
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {}}}
    delete:
      operationId: deleteThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: gone}}
"""


def test_counts_of_a_golden_spec() -> None:
    """The golden v1 spec has 9 operations, 2 paged lists, 8 typed returns and 1 delete."""
    assert count(GOLDEN / "twilio_golden_v1.yaml") == SpecCounts(
        "twilio_golden_v1.yaml", "Twilio.golden.v1", 9, 2, 8, 0, 1
    )


def test_untyped_returns_and_a_named_client_are_counted(tmp_path: Path) -> None:
    """Any-typed returns are counted apart from typed ones; --name names the client."""
    spec = tmp_path / "loose.yaml"
    spec.write_text(UNTYPED)
    assert count(spec, "acme") == SpecCounts("loose.yaml", "Acme", 3, 1, 0, 2, 1)


def test_main_prints_a_row_per_spec_and_a_total(capsys: pytest.CaptureFixture[str]) -> None:
    """The command prints a header, one row per spec and the totals."""
    specs = [GOLDEN / "twilio_golden_v1.yaml", GOLDEN / "twilio_golden_v2010.yaml"]
    assert main(argparse.Namespace(spec=specs, name=None)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["spec", "client", "operations"]
    assert lines[-1].split() == ["2", "specs", "14", "4", "12", "0", "2"]
