"""The TwiML element: attributes, text and children, and the XML document they make.

Every builder (``VoiceResponse``, ``Dial``, ``Say`` …) is a :class:`TwiML`. Its methods add
a child and return it, so nesting reads as the document does. Attributes are given as
snake_case keywords and written camelCase (``status_callback_event`` → ``statusCallbackEvent``);
``None`` leaves an attribute out, ``True``/``False`` become ``true``/``false`` and a sequence
becomes its items separated by spaces. ``str(response)`` is the document, written by the
standard library's ElementTree so text and attributes are escaped by a well-kept serializer,
with attributes sorted by name: the bytes twilio-python writes for the same calls.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

__all__ = ["AttrValue", "GenericNode", "TwiML", "TwiMLError", "wire_name"]

AttrValue = str | int | float | bool | Sequence[str]
"""What an attribute keyword takes (``None`` leaves the attribute out)."""

E = TypeVar("E", bound="TwiML")

# Python keywords get a trailing underscore; SSML uses names that are not camelCase.
_SPECIAL = {
    "from_": "from",
    "for_": "for",
    "xml_lang": "xml:lang",
    "interpret_as": "interpret-as",
}
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except
# surrogates and U+FFFE/U+FFFF; ElementTree would write the others into an unparsable file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WIRE: dict[str, str] = {}


class TwiMLError(ValueError):
    """A TwiML document could not be built from the values given."""


def wire_name(keyword: str) -> str:
    """The attribute name on the wire for a keyword: ``status_callback`` → ``statusCallback``.

    A name without an underscore (``speechTimeout``, ``url``) is written as it is.
    """
    name = _WIRE.get(keyword)
    if name is None:
        name = _SPECIAL.get(keyword)
        if name is None:
            if "_" in keyword:
                camel = "".join(part.capitalize() for part in keyword.split("_"))
                name = camel[:1].lower() + camel[1:]
            else:
                name = keyword
        _WIRE[keyword] = name
    return name


def _checked(value: str, where: str) -> str:
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise TwiMLError(
            f"{where} holds U+{ord(bad.group()):04X}, a character XML 1.0 does not allow"
        )
    return value


def _attr_text(value: AttrValue, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _checked(value, where)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Sequence):
        return _checked(" ".join(str(item) for item in value), where)
    raise TwiMLError(f"{where} must be a str, number, bool or sequence, got {type(value).__name__}")


class TwiML:
    """One TwiML element and everything nested in it.

    Args:
        text: the element's text (a mapping is written as JSON, as ``<Task>`` takes it).
        attrs: attributes as snake_case keywords.
    """

    tag = "TwiML"
    """The XML element name."""
    _text_arg: str | None = None

    def __init__(
        self, text: str | Mapping[str, Any] | None = None, /, **attrs: AttrValue | None
    ) -> None:
        self.attrs: dict[str, str] = {}
        self.children: list[TwiML | str] = []
        self.text: str | None = None
        if text:
            if isinstance(text, Mapping):
                text = json.dumps(text)
            self.text = _checked(text, f"<{self.tag}> text")
        for keyword, value in attrs.items():
            if value is not None:
                name = wire_name(keyword)
                self.attrs[name] = _attr_text(value, f"<{self.tag}> attribute {name}")

    def __str__(self) -> str:
        return self.to_xml()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} <{self.tag}> with {len(self.children)} children>"

    def __enter__(self: E) -> E:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def to_xml(self, xml_declaration: bool = True) -> str:
        """The element as XML, after ``<?xml version="1.0" encoding="UTF-8"?>`` by default."""
        body = ET.tostring(self._element(), encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>' + body if xml_declaration else body

    def append(self: E, child: TwiML | str) -> E:
        """Add ``child`` (an element or text) and return this element."""
        if isinstance(child, str):
            self.children.append(_checked(child, f"text in <{self.tag}>"))
        else:
            self.nest(child)
        return self

    def nest(self, child: E) -> E:
        """Add the element ``child`` and return it."""
        if not isinstance(child, TwiML):
            raise TwiMLError(
                f"only TwiML elements and str nest in <{self.tag}>, got {type(child).__name__}"
            )
        self.children.append(child)
        return child

    def add_child(
        self, tag: str, text: str | None = None, /, **attrs: AttrValue | None
    ) -> GenericNode:
        """Add an element this library has no method for yet, and return it."""
        child = GenericNode(tag, text, **attrs)
        self.children.append(child)
        return child

    def _add(self, cls: type[E], given: dict[str, Any]) -> E:
        """Add a ``cls`` built from a builder method's ``locals()`` and return it.

        The methods spell out every attribute as a typed keyword for the caller's benefit;
        handing their locals over here keeps each name written once.
        """
        given = dict(given)
        del given["self"]
        extra = given.pop("extra")
        text = given.pop(cls._text_arg) if cls._text_arg else None
        child = cls(text, **given, **extra)
        self.children.append(child)
        return child

    def _element(self) -> ET.Element:
        element = ET.Element(self.tag, {name: self.attrs[name] for name in sorted(self.attrs)})
        text = [self.text] if self.text else []
        last: ET.Element | None = None
        tail: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                (tail if last is not None else text).append(child)
                continue
            if last is not None and tail:
                last.tail = "".join(tail)
                tail = []
            last = child._element()
            element.append(last)
        if text:
            element.text = "".join(text)
        if last is not None and tail:
            last.tail = "".join(tail)
        return element


class GenericNode(TwiML):
    """An element named at run time (:meth:`TwiML.add_child`)."""

    def __init__(self, tag: str, text: str | None = None, /, **attrs: AttrValue | None) -> None:
        if not tag or _NOT_XML.search(tag) or not re.fullmatch(r"[A-Za-z_][\w.:-]*", tag):
            raise TwiMLError(f"not an XML element name: {tag!r}")
        self.tag = tag
        super().__init__(text, **attrs)
