"""The hand-written builders are what specs/twiml.yaml describes: elements, types, children."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Sequence
from typing import Any, Literal

import pytest

from trunkline import twiml

from .spec import spec

ELEMENTS = spec()["elements"]
PARENTS = {**{k: e.get("children") or {} for k, e in ELEMENTS.items()}}
PARENTS.update({k: r["children"] for k, r in spec()["responses"].items()})


def expected_type(attr_type: Any) -> Any:
    """The annotation (without ``| None``) an attribute of this yaml type must have."""
    simple = {"str": str, "url": str, "int": int, "bool": bool, "bool_or_str": bool | str}
    if isinstance(attr_type, str):
        return simple[attr_type]
    ((kind, values),) = attr_type.items()
    lit = Literal[tuple(values)]
    return {
        "enum": lit,
        "list": lit | Sequence[lit],  # type: ignore[valid-type]
        "int_or": int | lit,
        "bool_or": bool | lit,
    }[kind]


def _method(parent: str, name: str) -> Any:
    return getattr(getattr(twiml, parent), name)


CHILDREN = [(p, m, c) for p, kids in PARENTS.items() for m, c in kids.items()]


@pytest.mark.parametrize(("parent", "name", "child"), CHILDREN)
def test_child_method_adds_the_described_element(parent: str, name: str, child: str) -> None:
    """Each child listed for an element is a method returning that element's builder."""
    hints = typing.get_type_hints(_method(parent, name))
    assert hints["return"] is getattr(twiml, child)
    entry = ELEMENTS[child]
    assert getattr(twiml, child).tag == entry.get("tag", child)


@pytest.mark.parametrize(("parent", "name", "child"), CHILDREN)
def test_keywords_are_the_described_attributes(parent: str, name: str, child: str) -> None:
    """A method's keywords are exactly the element's attributes, typed as the yaml says."""
    method = _method(parent, name)
    entry = ELEMENTS[child]
    params = inspect.signature(method).parameters
    hints = typing.get_type_hints(method)
    text = entry.get("text")
    attributes = entry.get("attributes") or {}
    keyword_only = [p for p in params.values() if p.kind is p.KEYWORD_ONLY]
    assert [p.name for p in keyword_only] == list(attributes)
    for keyword, attr in attributes.items():
        assert hints[keyword] == expected_type(attr["type"]) | None, keyword
        assert twiml.wire_name(keyword) == attr["wire"]
    positional = [p for p in params.values() if p.kind is p.POSITIONAL_OR_KEYWORD][1:]
    if text is None:
        assert positional == []
    else:
        assert [p.name for p in positional] == [text["name"]]
        assert (positional[0].default is inspect.Parameter.empty) == text["required"]
    assert params["extra"].kind is inspect.Parameter.VAR_KEYWORD


def test_every_element_is_exported_and_reachable() -> None:
    """Each yaml element is a public builder class some parent adds."""
    reachable = {child for _, _, child in CHILDREN}
    assert set(ELEMENTS) == reachable
    for key in ELEMENTS:
        assert key in twiml.__all__
        assert issubclass(getattr(twiml, key), twiml.TwiML)
