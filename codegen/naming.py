"""Turning spec names into Python names: snake_case arguments, PascalCase classes."""

from __future__ import annotations

import keyword
import re

__all__ = [
    "RESERVED_ARGS",
    "argument_name",
    "enum_member",
    "pascal",
    "python_name",
    "singular",
    "snake",
]

_BOUNDARY_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_BOUNDARY_2 = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")

RESERVED_ARGS = frozenset({"self", "timeout", "headers", "idempotent", "limit", "page_size", "cls"})
"""Names every generated method takes for itself; a spec parameter so named gets a ``_``."""

# Inequality filters: the suffix on the wire name becomes a word on the Python name.
_INEQUALITIES = (("<=", "_on_or_before"), (">=", "_on_or_after"), ("<", "_before"), (">", "_after"))


def snake(name: str) -> str:
    """``Details.Message`` → ``details_message``, ``DateSent<`` → ``date_sent_before``."""
    suffix = ""
    for mark, word in _INEQUALITIES:
        if name.endswith(mark):
            name, suffix = name[: -len(mark)], word
            break
    name = _BOUNDARY_1.sub(r"\1_\2", name)
    name = _BOUNDARY_2.sub(r"\1_\2", name)
    name = _NON_WORD.sub("_", name).strip("_").lower()
    name = re.sub(r"_+", "_", name)
    return name + suffix


def python_name(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A valid, non-keyword, non-underscore-leading identifier for a snake_case name."""
    name = name or "value"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name) or name in reserved or keyword.issoftkeyword(name):
        name += "_"
    return name


def argument_name(wire: str) -> str:
    """The keyword a generated method takes for a parameter or body field named ``wire``.

    ``DateSent<`` → ``date_sent_before``, ``From`` → ``from_``, ``Limit`` → ``limit_``.
    """
    return python_name(snake(wire), RESERVED_ARGS)


def pascal(name: str) -> str:
    """``access_token`` → ``AccessToken``, ``AccessTokens`` stays, ``2010`` → ``N2010``."""
    parts = [part for part in _NON_WORD.split(snake(name)) if part]
    text = "".join(part[:1].upper() + part[1:] for part in parts) or "Model"
    if text[0].isdigit():
        text = "N" + text
    return text


def singular(word: str) -> str:
    """An English singular good enough for resource names (``Entities`` → ``Entity``)."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    for ending in ("sses", "shes", "ches", "xes", "zzes", "uses"):
        if lower.endswith(ending):
            return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def enum_member(value: str) -> str:
    """An UPPER_SNAKE member name for an enum value (``in-progress`` → ``IN_PROGRESS``)."""
    name = _NON_WORD.sub("_", str(value)).strip("_").upper() or "EMPTY"
    if name[0].isdigit():
        name = "V_" + name
    return name
