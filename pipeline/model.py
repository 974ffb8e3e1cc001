"""The data model every stage shares.

A :class:`Document` is made of :class:`Paragraph` blocks, each a list of
:class:`Segment` (one sentence, headline, byline, ...), each covered by
:class:`Span` pieces that say which text is protected (kept verbatim).

Stages read and fill these objects in place:
``readers`` build the Document, ``segment`` splits paragraphs,
``detect`` sets languages and spans, ``translate`` and ``catalog`` fill
translations and states, ``render`` writes them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterator, Sequence

SOURCE_LANG = "en"  # the articles' language (ISO 639-1, as PO Language headers and TMX xml:lang use)
TARGET_LANG = "es"  # the language they are translated into
LANGUAGES = (SOURCE_LANG, TARGET_LANG)

# Why a span is protected (Span.reason); the catalog writes these in its comments.
SPANISH = "spanish"  # Spanish already in the English source: kept as written
DO_NOT_TRANSLATE = "do-not-translate"  # a term of locales/do-not-translate.txt
GLOSSARY = "glossary"  # a glossary term, given to the engine as its Spanish (replacement)
DATE = "date"  # an English date, given to the engine as the Spanish date (replacement)
MARKUP = "markup"  # inline markup of a Markdown or HTML source
REASONS = (SPANISH, DO_NOT_TRANSLATE, GLOSSARY, DATE, MARKUP)

# QA finding severities, most severe first; "fail on warning" means on a warning or anything worse.
ERROR = "error"  # the translation is wrong in a way a reader would notice (a kept span lost, a number)
WARNING = "warning"  # worth a reviewer's look
SEVERITIES = (ERROR, WARNING)


def severities_at_or_above(level: str) -> tuple[str, ...]:
    """The severities that count when failing on `level`: ("error",) for "error"; () for ""."""
    return SEVERITIES[: SEVERITIES.index(level) + 1] if level in SEVERITIES else ()


# What a segment is (Segment.kind); all but "sentence" are written as `#. kind:` comments.
SEGMENT_KINDS = ("sentence", "headline", "byline", "date", "dateline", "heading", "caption", "title",
                 "front_matter", "attribute")
# What a paragraph is (Paragraph.kind).
PARAGRAPH_KINDS = ("paragraph", "heading", "list_item", "quote", "table_cell", "title", "front_matter",
                   "attribute")  # attribute: a title/alt value of the markup (pipeline/attributes.py), not a block


class State(str, Enum):
    """Review state of a segment's translation, as a reviewer sees it in the PO."""

    UNTRANSLATED = "untranslated"  # empty msgstr
    MACHINE = "machine"  # engine output, fuzzy, awaiting review
    FUZZY = "fuzzy"  # a starting point from an old or memory translation, awaiting review
    REVIEWED = "reviewed"  # non-empty msgstr, not fuzzy


@dataclass(slots=True)  # one per sentence and per span: a 30 MB source makes ~300,000 of each
class Span:
    """A piece of a segment's text; protected pieces must come out verbatim."""

    text: str
    protected: bool = False
    lang: str = SOURCE_LANG
    reason: str = ""  # why protected: one of REASONS
    replacement: str | None = None  # emitted instead of `text` (a glossary term's Spanish)

    @property
    def output(self) -> str:
        """What a protected span must come out as in the translation."""
        return self.text if self.replacement is None else self.replacement


@dataclass(slots=True)  # one per sentence and per span: a 30 MB source makes ~300,000 of each
class Segment:
    """One translatable unit: a sentence, or a headline/byline/dateline/caption line."""

    text: str
    kind: str = "sentence"  # one of SEGMENT_KINDS
    trailing: str = ""  # whitespace that followed it inside its paragraph ("" if last)
    lang: str = SOURCE_LANG
    spans: list[Span] = field(default_factory=list)  # cover `text` exactly, in order
    translation: str = ""
    state: State = State.UNTRANSLATED
    engine: str = ""  # engine that produced `translation`, if machine-made
    context: str | None = None  # msgctxt, only where the same text needs two translations
    markup_moved: bool = False  # the engine moved its inline markup and it was placed at a safe spot (inline.py)
    cut: str = ""  # "paragraph" or "sentence": it starts where a length limit cut the source (segment.py)
    place: str = ""  # an attribute value's place, "title of <a>" (pipeline/attributes.py); "" for text
    # (attributes.Place, Segment) of values inside its codes. A shared empty tuple until one is added:
    # an empty list per segment (56 bytes) is ~15 MB of a 30 MB source's ~270,000 segments, few with any
    attributes: Sequence = field(default=(), repr=False, compare=False)

    @property
    def protected(self) -> list[str]:
        """Texts of the protected spans, in order."""
        return [s.text for s in self.spans if s.protected]

    @property
    def fully_protected(self) -> bool:
        """True when nothing in the segment is for the engine (e.g. all Spanish)."""
        if self.lang == TARGET_LANG:
            return True
        return bool(self.spans) and all(s.protected or not s.text.strip() for s in self.spans)

    @property
    def pieces(self) -> list[Span]:
        """Spans covering the text; the whole text as one unprotected span if none were set."""
        return self.spans or [Span(self.text)]

    def drop_plain_spans(self) -> None:
        """Leave `spans` empty when they are one unprotected English span of the whole text: they
        say nothing ``pieces`` does not (a Document rebuilt from its catalog has them empty too).
        Most sentences are such: ~80 bytes each, ~20 MB of a 30 MB source's ~270,000 segments."""
        if len(self.spans) == 1:
            span = self.spans[0]
            if (not span.protected and span.text == self.text and span.lang == SOURCE_LANG
                    and not span.reason and span.replacement is None):
                self.spans = []


@dataclass(slots=True)  # one per block: a 30 MB source makes ~75,000 (80 bytes each less than with a __dict__)
class Paragraph:
    """A block of the source: its segments in order and where it stands."""

    segments: list[Segment]
    number: int  # 1-based, used in PO references (NAME.txt:NUMBER)
    line: int = 0  # 1-based line of the source where it starts
    kind: str = "paragraph"  # one of PARAGRAPH_KINDS
    meta: dict = field(default_factory=dict)  # reader-specific layout (e.g. Markdown prefix)

    @property
    def text(self) -> str:
        return "".join(s.text + s.trailing for s in self.segments)

    @property
    def translation(self) -> str:
        return "".join((s.translation or s.text) + s.trailing for s in self.segments)


@dataclass
class Document:
    """One source article and everything the stages learned about it."""

    name: str  # file stem: NAME of NAME.txt
    paragraphs: list[Paragraph] = field(default_factory=list)
    source: Path | None = None
    format: str = "text"  # text, markdown, html
    meta: dict = field(default_factory=dict)  # headline, byline, dateline, date, ...

    @property
    def filename(self) -> str:
        """The name used in PO references."""
        return self.source.name if self.source else self.name

    def segments(self) -> Iterator[Segment]:
        for paragraph in self.paragraphs:
            yield from paragraph.segments
