"""Plain text to paragraphs and segments (sentences, headline, byline, ...).

Paragraphs are separated by blank lines. Inside a paragraph, the sentence
boundaries come from pySBD (rule-based, passes the English "Golden Rules"),
with news-text rules on top:

- short lines standing alone are segments of their own kind: the first line of
  the article is the ``headline``; ``By NAME`` is a ``byline``; ``February 1,
  2023`` is a ``date``; ``Ibarra, Ecuador`` is a ``dateline``; a short title
  line later on is a ``heading``; ``(Photo: ...)`` is a ``caption``;
- a paragraph whose every line is such a line (byline then date) keeps one
  segment per line, the newline kept in ``Segment.trailing``;
- a dateline that opens a sentence (``Jan. 30, 2023 — Right-wing forces ...``)
  stays inside that sentence, so translators see it in context;
- quotations are not split, ``. . .`` ellipses do not end a sentence, and a
  citation in parentheses after a closed quotation (``” (, Jan. 6) One ...``)
  ends it.

Spanish paragraphs (decided with :func:`pipeline.detect.language`) are split
with pySBD's Spanish rules (``Sra.``, ``EE. UU.``, ``¿…?``, ``¡…!``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .model import Document, Paragraph, Segment

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
SPANISH_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"

_BYLINE = re.compile(r"^(By|Por)\s+\S.{0,80}$")
_DATE = re.compile(
    rf"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+de\s+(?:{SPANISH_MONTHS})(?:\s+de)?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})$",
    re.IGNORECASE,
)
# "Ibarra, Ecuador", "HAVANA, Cuba", "Washington, D.C." alone on a line.
_NAME_WORD = r"[A-ZÁÉÍÓÚÑÜ][\w'’.-]*"
_DATELINE = re.compile(rf"^{_NAME_WORD}(?:\s+(?:de\s+|del\s+|la\s+)?{_NAME_WORD}){{0,3}},"
                       rf"(?:\s+{_NAME_WORD}){{1,3}}\s*(?:[—–-]\s*)?$")
_CAPTION = re.compile(r"^\(\s*(?:Photo|Photos|Image|Picture|Video|Credit|Foto|Fotos|Imagen)s?\b[^()]*\)$",
                      re.IGNORECASE)
_HEADING_MAX_WORDS = 10
_HEADLINE_MAX_WORDS = 20

# A sentence end or a list item ("1) ", "• ") somewhere before the last character.
_POSSIBLE_BOUNDARY = re.compile(r"[.!?…)•⁃]\S*\s|\s[•⁃]")
# Paragraphs the fast path leaves to pySBD: quotes, brackets, digits, bullets, ellipses, odd marks.
_NOT_PLAIN = re.compile(r"[\n\"“”‘«»()\[\]{}<>•⁃…/@&*#%$]|\d\s*[.)!?]|['’](?![a-z])|(?<![A-Za-z])['’]|\.\S|[!?][!?]")
_PUNCTUATION = re.compile(r"[.!?]")
_PLAIN_BOUNDARY = re.compile(r" +(?=[A-Z])")
_WORD_BEFORE = re.compile(r"(?<![\w.'’-])[a-z]{2,}$")
# Where the sentence splitter may be wrong for news text.
_CITATION_AFTER_QUOTE = re.compile(r"[.!?][”\"’']?\s+\([^()\n]{0,60}\)(\s+)(?=[A-Z¿¡“\"‘])")
_TIME_ABBREVIATION_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_DAY_AFTER_TIME = re.compile(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|tonight"
                             r"|tomorrow|yesterday)\b")
_ELLIPSIS_THEN_LOWERCASE = re.compile(r"\.(?: \.)+\s+[a-zñáéíóú]")  # ". . . and these ..." goes on
_SHORT_TIME_LEAD = re.compile(r"^(?:At|By|Around|Before|After|Until|From|Since)\s+\S+\s+[ap]\.m\.$",
                              re.IGNORECASE)


@lru_cache(maxsize=2)
def _pysbd(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=False)


def split_sentences(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """Split `text` into (sentence, trailing whitespace) pairs.

    The pairs concatenate exactly to `text`; sentences never start or end with
    whitespace (leading whitespace of `text`, if any, is a first ("", ws) pair).
    `lang` picks the rules ("en" or "es").
    """
    if not text:
        return []
    pieces: list[tuple[str, str]] = []
    body = text.lstrip()
    if len(body) < len(text):
        pieces.append(("", text[: len(text) - len(body)]))
    if not body:
        return pieces
    sentences = _raw_sentences(body, "es" if lang == "es" else "en")
    sentences = _split_after_citations(_merge_false_splits(sentences))
    # Attach the whitespace between sentences as trailing of the previous one.
    cursor = 0
    for sentence in sentences:
        start = body.find(sentence, cursor)
        if start < 0:  # the splitter changed the text: keep the rest whole
            start = cursor
            sentence = body[cursor:].rstrip()
        if start > cursor and pieces:  # whitespace the splitter dropped
            prev_text, prev_trailing = pieces[-1]
            pieces[-1] = (prev_text, prev_trailing + body[cursor:start])
        end = start + len(sentence)
        gap_end = end
        while gap_end < len(body) and body[gap_end].isspace():
            gap_end += 1
        pieces.append((sentence, body[end:gap_end]))
        cursor = gap_end
        if cursor >= len(body):
            break
    if cursor < len(body):  # text the splitter lost: keep it as a last sentence
        rest = body[cursor:]
        pieces.append((rest.rstrip(), rest[len(rest.rstrip()):]))
    return pieces


def _raw_sentences(text: str, lang: str) -> list[str]:
    """Sentences of `text` by pySBD, stripped, without empty ones."""
    if not _POSSIBLE_BOUNDARY.search(text.rstrip()):
        return [text.strip()]  # no boundary inside: skip the slow splitter
    plain = _plain_sentences(text, lang)
    if plain is not None:
        return plain
    return [s.strip() for s in _pysbd(lang).segment(text) if s.strip()]


def _plain_sentences(text: str, lang: str) -> list[str] | None:
    """Sentences of a paragraph with nothing tricky in it, or None to ask pySBD.

    Plain means: one line; no quotation marks, brackets, bullets, or number
    before a stop; every "." "!" "?" ends a lowercase word that is no
    abbreviation and is followed by a space and a capital (or ends the text).
    pySBD splits such text at exactly those places (checked on 3,000 FLORES
    paragraphs), only many times slower.
    """
    if lang != "en" or _NOT_PLAIN.search(text):
        return None
    text = text.strip()
    cuts = [0]
    for match in _PUNCTUATION.finditer(text):
        end = match.end()
        if end == len(text):
            break
        boundary = _PLAIN_BOUNDARY.match(text, end)
        word = _WORD_BEFORE.search(text, 0, match.start())
        if not boundary or not word or word.group().lower() in _abbreviations():
            return None
        cuts.append(boundary.end())
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    rules = English.Abbreviation
    return frozenset(rules.ABBREVIATIONS) | frozenset(rules.PREPOSITIVE_ABBREVIATIONS) \
        | frozenset(rules.NUMBER_ABBREVIATIONS)


def _merge_false_splits(sentences: list[str]) -> list[str]:
    """Join pieces split where the sentence goes on: after a time ("At 5 a.m." opening a
    sentence, "at 10 a.m. Tuesday"), or before an ellipsis followed by a lowercase word."""
    merged: list[str] = []
    for sentence in sentences:
        after_time = merged and _TIME_ABBREVIATION_END.search(merged[-1])
        if (after_time and (_SHORT_TIME_LEAD.match(merged[-1]) or _DAY_AFTER_TIME.match(sentence))) \
                or (merged and _ELLIPSIS_THEN_LOWERCASE.match(sentence)):
            merged[-1] = merged[-1] + " " + sentence
        else:
            merged.append(sentence)
    return merged


def _split_after_citations(sentences: list[str]) -> list[str]:
    """Split after a "(source, date)" citation that follows a finished quotation."""
    result: list[str] = []
    for sentence in sentences:
        start = 0
        for match in _CITATION_AFTER_QUOTE.finditer(sentence):
            result.append(sentence[start: match.start(1)])
            start = match.end(1)
        result.append(sentence[start:])
    return result


def line_kind(line: str, first: bool = False) -> str | None:
    """The kind of a line that stands alone ("headline", "byline", ...), or None for prose."""
    text = line.strip()
    if not text:
        return None
    if _CAPTION.match(text):
        return "caption"
    if _DATE.match(text):
        return "date"
    words = text.split()
    if _BYLINE.match(text) and len(words) <= 8 and not text.endswith("."):
        return "byline"
    if _DATELINE.match(text) and len(words) <= 6:
        return "dateline"
    if text.endswith((".", ":", ";", ",")) or _has_inner_boundary(text):
        return None
    if first and len(words) <= _HEADLINE_MAX_WORDS:
        return "headline"
    if len(words) <= _HEADING_MAX_WORDS:
        return "heading"
    return None


def _has_inner_boundary(text: str) -> bool:
    """True when a sentence ends before the end of `text`."""
    return bool(re.search(r"[.!?][”\"’']?\s+\S", text))


def segment_paragraph(text: str, first: bool = False, lang: str = "en") -> list[Segment]:
    """Segments of one paragraph (text without surrounding blank lines)."""
    lines = text.split("\n")
    if len(lines) > 1:
        kinds = [line_kind(line, first=first and i == 0) for i, line in enumerate(lines)]
        if all(kinds):
            return _line_segments(lines, kinds)
    elif (kind := line_kind(text, first=first)) is not None:
        return [Segment(text=text.strip(), kind=kind)]
    segments = []
    for sentence, trailing in split_sentences(text, lang):
        if not sentence:
            continue
        kind = "caption" if _CAPTION.match(sentence) else "sentence"
        segments.append(Segment(text=sentence, kind=kind, trailing=trailing))
    if segments:
        segments[-1].trailing = ""
    return segments


def _line_segments(lines: list[str], kinds: list[str]) -> list[Segment]:
    """One segment per line, the newline (and any indentation) kept as trailing."""
    segments = []
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        stripped = line.strip()
        if segments and line[: len(line) - len(line.lstrip())]:
            segments[-1].trailing += line[: len(line) - len(line.lstrip())]
        trailing = line[len(line.rstrip()):] + ("\n" if i < len(lines) - 1 else "")
        segments.append(Segment(text=stripped, kind=kind, trailing=trailing))
    segments[-1].trailing = ""
    return segments


def _paragraph_blocks(text: str) -> list[tuple[int, str]]:
    """(1-based starting line, stripped text) of each blank-line separated block."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current).strip()))
            current = []
    if current:
        blocks.append((start, "\n".join(current).strip()))
    return blocks


def segment_text(text: str, name: str, source: Path | None = None) -> Document:
    """A Document of `text`: paragraphs split at blank lines, then segments with kinds.

    Also records the article's headline, byline, date and dateline (first of
    each) in ``Document.meta``.
    """
    from .detect import language

    doc = Document(name=name, source=source, format="text")
    for number, (line, block) in enumerate(_paragraph_blocks(text), start=1):
        lang = language(block) if _looks_spanish(block) else "en"
        segments = segment_paragraph(block, first=number == 1, lang=lang)
        kinds = {s.kind for s in segments}
        kind = "heading" if kinds & {"headline", "heading"} and len(segments) == 1 else "paragraph"
        doc.paragraphs.append(Paragraph(segments=segments, number=number, line=line, kind=kind))
        for segment in segments:
            if segment.kind in ("headline", "byline", "date", "dateline"):
                doc.meta.setdefault(segment.kind, segment.text)
    return doc


def _looks_spanish(text: str) -> bool:
    """Cheap pre-check before asking the language detector about a paragraph."""
    return bool(re.search(r"[¿¡ñÑáéíóúÁÉÍÓÚ]|\b(?:el|la|los|las|que|del|y)\b", text))
