"""trunkline.twiml writes twilio-python's bytes for every verb, noun and attribute it has."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from twilio.twiml import TwiML as OfficialTwiML
from twilio.twiml import fax_response, messaging_response, voice_response

from trunkline import twiml

from .spec import samples, snake, spec

OFFICIAL_ROOTS = {
    "VoiceResponse": voice_response.VoiceResponse,
    "MessagingResponse": messaging_response.MessagingResponse,
    "FaxResponse": fax_response.FaxResponse,
}


@dataclass(frozen=True)
class Method:
    """One child-adding method of twilio-python: where it hangs and what it takes."""

    path: tuple[str, ...]  # the methods (called with required text only) down to its parent
    root: str
    parent: str  # twilio-python's class name of the parent
    name: str
    child: str
    text: str | None  # the parameter carrying the child's text
    text_required: bool
    attributes: tuple[str, ...]  # twilio-python's keyword names


def _required(fn: Any) -> list[str]:
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [p.name for p in params if p.default is p.empty and p.kind is not p.VAR_KEYWORD]


def _official_methods() -> list[Method]:
    """Every child-adding method reachable from the three responses, found breadth first."""
    found: list[Method] = []
    seen: set[tuple[str, type]] = set()
    queue: list[tuple[str, type, tuple[str, ...]]] = [
        (root, cls, ()) for root, cls in OFFICIAL_ROOTS.items()
    ]
    while queue:
        root, cls, path = queue.pop(0)
        if (root, cls) in seen:
            continue
        seen.add((root, cls))
        for name, fn in vars(cls).items():
            if name.startswith("_") or not callable(fn):
                continue
            probe = object.__new__(cls)
            OfficialTwiML.__init__(probe)
            child = fn(probe, *["x"] * len(_required(fn)))
            params = [
                p
                for p in list(inspect.signature(fn).parameters.values())[1:]
                if p.kind is not p.VAR_KEYWORD
            ]
            init = [
                p
                for p in list(inspect.signature(type(child).__init__).parameters.values())[1:]
                if p.kind is not p.VAR_KEYWORD
            ]
            text = init[0].name if init else None
            found.append(
                Method(
                    path=path,
                    root=root,
                    parent=cls.__name__,
                    name=name,
                    child=type(child).__name__,
                    text=text,
                    text_required=bool(init) and init[0].default is init[0].empty,
                    attributes=tuple(p.name for p in params if p.name != text),
                )
            )
            queue.append((root, type(child), (*path, name)))
    return found


METHODS = _official_methods()


def _pair(method: Method) -> Iterator[tuple[Any, Any]]:
    """(official root, trunkline root) and the two parents the method is called on."""
    ours_root = getattr(twiml, method.root)()
    theirs_root = OFFICIAL_ROOTS[method.root]()
    theirs = theirs_root
    ours = ours_root
    for name in method.path:
        theirs_fn = getattr(theirs, name)
        required = len(_required(type(theirs).__dict__[name]))
        theirs = theirs_fn(*["x"] * required)
        ours = getattr(ours, name)(*["x"] * required)
    yield theirs_root, ours_root
    yield theirs, ours


def _arguments(method: Method) -> tuple[dict[str, Any], dict[str, Any]]:
    entry = spec()["elements"][method.child]
    theirs: dict[str, Any] = {}
    ours: dict[str, Any] = {}
    for name in method.attributes:
        keyword = snake(name)
        theirs[name], ours[keyword] = samples(entry["attributes"][keyword]["type"], keyword)
    if method.text is not None:
        theirs[method.text] = ours[method.text] = "text & <more> 'quoted'"
    return theirs, ours


@pytest.mark.parametrize("method", METHODS, ids=lambda m: "/".join((m.root, *m.path, m.name)))
def test_every_attribute_written_the_same(method: Method) -> None:
    """A child added with every attribute twilio-python knows serializes to identical bytes."""
    (theirs_root, ours_root), (theirs, ours) = list(_pair(method))
    theirs_args, ours_args = _arguments(method)
    ours_method = getattr(ours, method.name)
    declared = inspect.signature(ours_method).parameters
    missing = [k for k in ours_args if k not in declared]
    assert not missing, f"{method.parent}.{method.name} lacks typed keywords {missing}"
    getattr(theirs, method.name)(**theirs_args)
    added = ours_method(**ours_args)
    assert type(added).__name__ == method.child
    assert str(ours_root) == str(theirs_root)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: "/".join((m.root, *m.path, m.name)))
def test_bare_child_written_the_same(method: Method) -> None:
    """A child added with only its required text (self-closing when empty) matches too."""
    (theirs_root, ours_root), (theirs, ours) = list(_pair(method))
    args = ["only text"] if method.text_required else []
    getattr(theirs, method.name)(*args)
    getattr(ours, method.name)(*args)
    assert str(ours_root) == str(theirs_root)


def test_coverage_counted() -> None:
    """Every element, method and attribute of twilio.twiml is exercised (and the counts shown)."""
    elements = {(m.root, m.child) for m in METHODS} | {(r, r) for r in OFFICIAL_ROOTS}
    attributes = sum(len(m.attributes) for m in METHODS)
    distinct = {(m.child, a) for m in METHODS for a in m.attributes}
    distinct_children = {m.child for m in METHODS}
    extra = sorted(set(spec()["elements"]) - distinct_children)
    documented_extra = sorted(k for k, e in spec()["elements"].items() if "since" in e)
    print(
        f"\ntwilio.twiml covered: {len(elements)} element classes "
        f"({len(distinct_children)} distinct children + {len(OFFICIAL_ROOTS)} responses), "
        f"{len(METHODS)} methods, {attributes} attribute arguments "
        f"({len(distinct)} distinct element attributes), byte-identical; "
        f"trunkline has more: {', '.join(extra) or 'none'}"
    )
    assert len(METHODS) >= 130
    assert attributes >= 300
    assert extra == documented_extra


def test_escaping_and_mixed_content_match() -> None:
    """Quotes, newlines, ampersands and text around SSML children come out as twilio's."""
    theirs = voice_response.VoiceResponse()
    ours = twiml.VoiceResponse()
    for response in (theirs, ours):
        say = response.say(voice="Polly.Joanna", loop=0)
        say.append('1 < 2 & "3" > 0 then ')
        say.break_(strength="x-strong", time="2s")
        say.append(" after\n'break'")
        say.emphasis("now", level="strong")
        response.play("https://example.com/a.mp3?x=1&y=2\n\t")
        response.pause(length=0)
        response.record(play_beep=False, transcribe=True, finish_on_key="#")
        response.reject()
    assert str(ours) == str(theirs)
    assert ours.to_xml(xml_declaration=False) == theirs.to_xml(xml_declaration=False)


def test_task_json_and_unicode_match() -> None:
    """A <Task> given a mapping is JSON, and non-ASCII text is written as UTF-8 text."""
    theirs = voice_response.VoiceResponse()
    ours = twiml.VoiceResponse()
    for response in (theirs, ours):
        response.enqueue(workflow_sid="WW123").task({"selected_language": "es", "n": 1})
        response.say("¿Qué tal? 日本語 🎉", language="es-ES")
    assert str(ours) == str(theirs)


def test_messaging_and_fax_documents_match() -> None:
    """A reply with body, media and redirect, and a fax receive, are twilio's bytes."""
    theirs_m = messaging_response.MessagingResponse()
    ours_m = twiml.MessagingResponse()
    for m in (theirs_m, ours_m):
        msg = m.message(to="+15558675310", from_="+15017122661")
        msg.body("Store hours: 9-5 & weekends")
        msg.media("https://example.com/map.png")
        m.redirect("https://example.com/next", method="POST")
    assert str(ours_m) == str(theirs_m)
    theirs_f = fax_response.FaxResponse()
    ours_f = twiml.FaxResponse()
    theirs_f.receive(media_type="application/pdf", store_media=False)
    ours_f.receive(media_type="application/pdf", store_media=False)
    assert str(ours_f) == str(theirs_f)


def test_generic_child_and_nest_match() -> None:
    """add_child for an element not modelled, and nest/append of built elements, match."""
    theirs = voice_response.VoiceResponse()
    ours = twiml.VoiceResponse()
    theirs.add_child("Custom", "hi", some_attr="v")
    ours.add_child("Custom", "hi", some_attr="v")
    theirs.append(voice_response.Hangup())
    ours.append(twiml.Hangup())
    assert str(ours) == str(theirs)


def test_text_then_appended_text_both_kept() -> None:
    """Text given to say() and text appended before any child are both written, in order.

    twilio-python writes only the appended text here (the first is lost); trunkline keeps both.
    """
    say = twiml.VoiceResponse().say("Hello,")
    say.append(" world")
    assert say.to_xml(xml_declaration=False) == "<Say>Hello, world</Say>"


def test_characters_xml_cannot_hold_are_refused() -> None:
    """A control character in text or an attribute raises TwiMLError naming the place."""
    response = twiml.VoiceResponse()
    with pytest.raises(twiml.TwiMLError, match=r"<Say> text holds U\+0000"):
        response.say("bad\x00")
    with pytest.raises(twiml.TwiMLError, match=r"<Play> attribute digits holds U\+001B"):
        response.play(digits="1\x1b")
    with pytest.raises(twiml.TwiMLError, match="not an XML element name"):
        response.add_child("bad name")
