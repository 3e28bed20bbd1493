"""The SSML elements ``<Say>`` nests: ``<break>``, ``<emphasis>``, ``<prosody>``, ``<say-as>`` …"""

from __future__ import annotations

from typing import Literal

from ._core import AttrValue, TwiML

__all__ = [
    "SsmlBreak",
    "SsmlEmphasis",
    "SsmlLang",
    "SsmlP",
    "SsmlPhoneme",
    "SsmlProsody",
    "SsmlS",
    "SsmlSayAs",
    "SsmlSub",
    "SsmlW",
]


class _WithSsmlBreak(TwiML):
    def break_(
        self,
        *,
        strength: Literal["none", "x-weak", "weak", "medium", "strong", "x-strong"] | None = None,
        time: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlBreak:
        """Add ``<break>``: a pause in speech."""
        return self._add(SsmlBreak, locals())


class _WithSsmlEmphasis(TwiML):
    def emphasis(
        self,
        words: str | None = None,
        *,
        level: Literal["strong", "moderate", "reduced"] | None = None,
        **extra: AttrValue | None,
    ) -> SsmlEmphasis:
        """Add ``<emphasis>``: words spoken with emphasis."""
        return self._add(SsmlEmphasis, locals())


class _WithSsmlLang(TwiML):
    def lang(
        self,
        words: str | None = None,
        *,
        xml_lang: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlLang:
        """Add ``<lang>``: words in another language."""
        return self._add(SsmlLang, locals())


class _WithSsmlP(TwiML):
    def p(
        self,
        words: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlP:
        """Add ``<p>``: a paragraph."""
        return self._add(SsmlP, locals())


class _WithSsmlPhoneme(TwiML):
    def phoneme(
        self,
        words: str,
        *,
        alphabet: Literal[
            "ipa",
            "x-sampa",
            "x-amazon-jyutping",
            "x-amazon-pinyin",
            "x-amazon-pron-kana",
            "x-amazon-yomigana",
        ]
        | None = None,
        ph: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlPhoneme:
        """Add ``<phoneme>``: words with a phonetic pronunciation."""
        return self._add(SsmlPhoneme, locals())


class _WithSsmlProsody(TwiML):
    def prosody(
        self,
        words: str | None = None,
        *,
        volume: str | None = None,
        rate: str | None = None,
        pitch: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlProsody:
        """Add ``<prosody>``: words at a volume, rate or pitch."""
        return self._add(SsmlProsody, locals())


class _WithSsmlS(TwiML):
    def s(
        self,
        words: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlS:
        """Add ``<s>``: a sentence."""
        return self._add(SsmlS, locals())


class _WithSsmlSayAs(TwiML):
    def say_as(
        self,
        words: str,
        *,
        interpret_as: Literal[
            "character",
            "spell-out",
            "cardinal",
            "number",
            "ordinal",
            "digits",
            "fraction",
            "unit",
            "date",
            "time",
            "address",
            "expletive",
            "telephone",
        ]
        | None = None,
        format: Literal["mdy", "dmy", "ymd", "md", "dm", "ym", "my", "d", "m", "y", "yyyymmdd"]
        | None = None,
        **extra: AttrValue | None,
    ) -> SsmlSayAs:
        """Add ``<say-as>``: words read as a kind of value."""
        return self._add(SsmlSayAs, locals())


class _WithSsmlSub(TwiML):
    def sub(
        self,
        words: str,
        *,
        alias: str | None = None,
        **extra: AttrValue | None,
    ) -> SsmlSub:
        """Add ``<sub>``: words read as an alias."""
        return self._add(SsmlSub, locals())


class _WithSsmlW(TwiML):
    def w(
        self,
        words: str | None = None,
        *,
        role: Literal["amazon:VB", "amazon:VBD", "amazon:SENSE_1"] | None = None,
        **extra: AttrValue | None,
    ) -> SsmlW:
        """Add ``<w>``: a word with a part of speech."""
        return self._add(SsmlW, locals())


class SsmlBreak(TwiML):
    """``<break>``: a pause in speech."""

    tag = "break"


class SsmlEmphasis(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
):
    """``<emphasis>``: words spoken with emphasis."""

    tag = "emphasis"
    _text_arg = "words"


class SsmlLang(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlP,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlS,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
):
    """``<lang>``: words in another language."""

    tag = "lang"
    _text_arg = "words"


class SsmlP(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlS,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
):
    """``<p>``: a paragraph."""

    tag = "p"
    _text_arg = "words"


class SsmlPhoneme(TwiML):
    """``<phoneme>``: words with a phonetic pronunciation."""

    tag = "phoneme"
    _text_arg = "words"


class SsmlProsody(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlP,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlS,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
):
    """``<prosody>``: words at a volume, rate or pitch."""

    tag = "prosody"
    _text_arg = "words"


class SsmlS(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlLang,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlSayAs,
    _WithSsmlSub,
    _WithSsmlW,
):
    """``<s>``: a sentence."""

    tag = "s"
    _text_arg = "words"


class SsmlSayAs(TwiML):
    """``<say-as>``: words read as a kind of value."""

    tag = "say-as"
    _text_arg = "words"


class SsmlSub(TwiML):
    """``<sub>``: words read as an alias."""

    tag = "sub"
    _text_arg = "words"


class SsmlW(
    _WithSsmlBreak,
    _WithSsmlEmphasis,
    _WithSsmlPhoneme,
    _WithSsmlProsody,
    _WithSsmlSayAs,
    _WithSsmlSub,
):
    """``<w>``: a word with a part of speech."""

    tag = "w"
    _text_arg = "words"
