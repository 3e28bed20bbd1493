"""specs/twiml.yaml loaded once for the TwiML tests, and sample values of each attribute type."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "twiml.yaml"


@cache
def spec() -> dict[str, Any]:
    """The TwiML description, every element's entry a dict (never None)."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    loaded["elements"] = {key: entry or {} for key, entry in loaded["elements"].items()}
    return loaded


def snake(name: str) -> str:
    """twilio-python's few camelCase keywords (``speechTimeout``) as trunkline spells them."""
    return re.sub(r"(?<=[a-z])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def samples(attr_type: Any, name: str) -> tuple[Any, Any]:
    """(value for twilio-python, value for trunkline) of one attribute type: same wire text."""
    if attr_type == "str":
        return f'{name} "q" & <t>', f'{name} "q" & <t>'
    if attr_type == "url":
        return "https://example.com/h?a=1&b=2", "https://example.com/h?a=1&b=2"
    if attr_type == "int":
        return 7, 7
    if attr_type == "bool":
        return True, True
    if attr_type == "bool_or_str":
        return "94107", "94107"
    ((kind, values),) = attr_type.items()
    if kind == "list":
        return " ".join(values[:2]), list(values[:2])
    return values[-1], values[-1]
