"""Prose inside markup (a link's title, an image's alt text): its own PO entry, put back when rendering.

A ``title="…"`` or ``alt="…"`` is text a reader sees, but it sits inside a tag
or a link destination that travels through the engine as one inline code
(pipeline/inline.py) and must come back byte-identical. So, as po4a and
Okapi do, each such value is a segment of its own (kind ``attribute``, in a
paragraph of kind ``attribute`` placed right after the block that holds it,
with a ``#. attribute: title of <a>`` comment saying where it sits) and is
translated like any sentence. The host segment's msgid keeps the code as
written, so the ``keep:`` comments, the ``keep`` QA check and the HTML page's
trust in the source's own markup are unchanged; only when a page is written is
the value inside the code replaced by the attribute's translation, escaped for
where it goes (HTML attribute escaping; a Markdown title's delimiter and
backslashes escaped). Destinations, classes, ids and every other attribute
stay byte-identical.

An attribute is *hosted* when its code is a protected span of a translated
segment (``<a title=…>`` inside a paragraph, ``](url "title")``): the value is
replaced inside that code in the segment's output. Otherwise (``<p title=…>``,
an ``<img alt=…>`` in a block without text, a Markdown reference definition)
the reader records the value's offsets in the source and replaces it there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .model import Document, Paragraph, Segment

KIND = "attribute"  # the segment kind and paragraph kind of an attribute value
_PROSE = re.compile(r"[^\W\d_]{2,}")  # at least one word: "›", "1.2" or "" are not prose
_URL = re.compile(r"\A\s*(?:[a-z][a-z0-9+.-]*://|mailto:|www\.)\S*\s*\Z", re.IGNORECASE)


def is_prose(value: str) -> bool:
    """True for a value a reader would read as words (not empty, not a bare URL or symbol)."""
    return bool(_PROSE.search(value)) and not _URL.match(value)


@dataclass
class Place:
    """Where an attribute value sits: inside a host segment's code, or at offsets of the source text.

    `start`/`end` cover the value with its quotes or title delimiters, so an unquoted
    HTML value can be written back quoted.
    """

    name: str  # the attribute: title, alt, placeholder, aria-label, ...
    element: str  # what it belongs to: "<a>", "<img>"; in Markdown "a link", "an image", ...
    start: int  # offsets: inside `code` when hosted; else in the source text (in line `line` if >= 0)
    end: int
    host: Segment | None = field(default=None, repr=False, compare=False)  # the segment whose protected span `code` holds the value
    code: str = ""  # that span's text, as in the source
    occurrence: int = 0  # which of the host's spans with this text (0 = first)
    line: int = -1  # for a line-based source (Markdown): the line index `start`/`end` are in

    @property
    def description(self) -> str:
        return f"{self.name} of {self.element}"


def paragraph(value: str, place: Place, number: int, line: int = 0) -> Paragraph:
    """The paragraph holding one attribute value as its only segment, linked to its host segment."""
    segment = Segment(value, kind=KIND, place=place.description)
    if place.host is not None:
        place.host.attributes = [*place.host.attributes, (place, segment)]  # its default is a shared ()
    return Paragraph([segment], number=number, line=line, kind=KIND, meta={"place": place})


def places(doc: Document) -> Iterable[tuple[Place, Segment]]:
    """(place, attribute segment) of every attribute value of `doc`, in order."""
    for p in doc.paragraphs:
        if p.kind == KIND and "place" in p.meta:
            yield p.meta["place"], p.segments[0]


def occurrences(spans: Iterable, code: str, upto) -> int:
    """How many spans before the span `upto` (an object of `spans`) have the text `code`."""
    count = 0
    for span in spans:
        if span is upto:
            return count
        count += span.protected and span.text == code
    return count


def substitute_hosted(text: str, attributes: Sequence[tuple[Place, Segment]], value: Callable[[Place, Segment], str]) -> str:
    """`text` (a host segment's output) with each attribute's code rewritten to hold `value(place, segment)`,
    already escaped for its place. A code the output no longer holds is left alone."""
    if not attributes:
        return text
    by_code: dict[tuple[str, int], list[tuple[Place, Segment]]] = {}
    for place, segment in attributes:
        by_code.setdefault((place.code, place.occurrence), []).append((place, segment))
    seen: dict[str, int] = {}
    out, last = [], 0
    codes = sorted({place.code for place, _ in attributes}, key=len, reverse=True)
    for match in re.finditer("|".join(map(re.escape, codes)), text):
        code = match.group()
        occurrence = seen.get(code, 0)
        seen[code] = occurrence + 1
        for place, segment in sorted(by_code.get((code, occurrence), []), key=lambda item: -item[0].start):
            code = code[:place.start] + value(place, segment) + code[place.end:]
        out.append(text[last:match.start()] + code)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def in_html(segment: Segment, html_text: str, shown: Callable[[Segment], str]) -> str:
    """A segment's HTML output with the translations (`shown`) of the attributes inside its tags."""
    return substitute_hosted(str(html_text), segment.attributes, lambda place, value: html_value(shown(value)))


def in_markdown(segment: Segment, markdown: str, shown: Callable[[Segment], str]) -> str:
    """A segment's Markdown output with the translations (`shown`) of the link titles inside its codes."""
    return substitute_hosted(markdown, segment.attributes,
                             lambda place, value: markdown_title(shown(value), place.code[place.start]))


def html_value(text: str) -> str:
    """An attribute value for HTML: double-quoted, with &, <, >, " and ' escaped."""
    return '"' + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;").replace("'", "&#x27;") + '"'


def markdown_title(text: str, delimiter: str) -> str:
    """A Markdown link title in its `delimiter` (", ' or (): backslashes, the delimiters and entity-like
    ampersands escaped, line breaks made blanks (a blank line would end the paragraph)."""
    closing = ")" if delimiter == "(" else delimiter
    special = re.escape("\\" + delimiter + closing)
    text = re.sub(r"\s*\n\s*", " ", text)
    text = re.sub(rf"[{special}]|&(?=#?\w+;)", lambda m: "\\" + m.group(), text)
    return delimiter + text + closing
