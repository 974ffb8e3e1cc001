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
- byline/date/dateline lines opening a paragraph and caption lines closing
  it are segments of their own, around the sentences;
- quotations are not split, ``. . .`` ellipses followed by a lowercase word do
  not end a sentence, ``At 5 a.m. Mr. Smith`` and ``at 10 a.m. Tuesday`` do
  not either, and a citation in parentheses after a closed quotation
  (``” (, Jan. 6) One ...``) ends it;
- a line break inside a paragraph ends a sentence when the line ends a phrase
  (``. ! ? : ;`` or a closing quote) or the next line is a list item;
  otherwise it only wraps the sentence, and stays in the segment's text.

Plain paragraphs (no quotes, brackets, abbreviations, numbers before a stop)
are split without pySBD, which would cut them at the same places more slowly.

Spanish paragraphs (decided with :func:`pipeline.detect.language`) are split
with pySBD's Spanish rules (``Sra.``, ``EE. UU.``, ``¿…?``, ``¡…!``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .characters import Note
from .model import MARKUP, Document, Paragraph, Segment, Span
from .errors import ProcessingError

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
_BYLINE_MAX_WORDS = 8  # "By Michael Otto and Ana María López Pérez": longer is a sentence
_DATELINE_MAX_WORDS = 6  # "SAN JUAN DE LURIGANCHO, Peru": longer is a sentence
_HEADLINE_MAX_WORDS = 20

# A sentence end or a list item ("1) ", "• ") somewhere before the last character.
_POSSIBLE_BOUNDARY = re.compile(r"[.!?…)•⁃]\S*\s|\s[•⁃]")
# Paragraphs the fast path leaves to pySBD: quotes, brackets, digits, bullets, ellipses, odd marks.
_NOT_PLAIN = re.compile(r"[\n\"“”‘«»()\[\]{}<>•⁃…/@&*#%$]|\d\s*[.)!?]|['’](?![a-z])|(?<![A-Za-z])['’]|\.\S|[!?][!?]")
_PUNCTUATION = re.compile(r"[.!?]")
_PLAIN_BOUNDARY = re.compile(r" +(?=[A-Z])")
_WORD_BEFORE = re.compile(r"(?<![\w.'’-])[a-z]{2,}$")
# A line break is kept after these (the line ended a phrase) and before these (a list item).
_PHRASE_END = frozenset(".!?:;…”\"’')]")
_LIST_START = frozenset("•⁃*-–—")
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


# Longest text given to the sentence splitter at once. pySBD's cost grows with the square of its input
# (it looks for every sentence from the start of the text, and every abbreviation rewrites the whole text):
# a 200 KB line took 25 s, 125 s/MB. Measured over the text of a 1 MB line cut into pieces of 2,000 /
# 5,000 / 10,000 / 20,000 / 40,000 characters: 8 / 10 / 15 / 26 / 39 s per MB. 5,000 is ten times the
# longest paragraph of the reference article (519 characters), so ordinary paragraphs are never cut.
PARAGRAPH_LIMIT = 5_000
# Longest segment: a msgid of 2,000 characters is about 26 lines of a PO file at 79 columns, still one
# screen in Poedit's and Lokalize's editor pane, and about 400 subword tokens, within what Argos' models
# translate without truncating (512); FLORES' longest English sentence is 369 characters, 16x its mean.
SENTENCE_LIMIT = 2_000
# Where a paragraph over the limit is cut: after the last sentence end followed by a capital ...
_SENTENCE_LIKE_END = re.compile(r"[.!?…][”\"’')\]]*\s+(?=[\"“‘(¿¡]?[A-ZÁÉÍÓÚÑÜ])")
_BLANK = re.compile(r"\s+")  # ... else after the last blank before the limit, else at the limit itself
PARAGRAPH_CUT = "paragraph"  # Segment.cut: where the limit forced the segment to start
SENTENCE_CUT = "sentence"


def split_sentences(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """Split `text` into (sentence, trailing whitespace) pairs.

    The pairs concatenate exactly to `text`; sentences never start or end with
    whitespace (leading whitespace of `text`, if any, is a first ("", ws) pair).
    `lang` picks the rules ("en" or "es").
    """
    return [(sentence, trailing) for sentence, trailing, _ in split_sentences_with_cuts(text, lang)]


def split_sentences_with_cuts(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    """Like :func:`split_sentences`, with a third item: ``PARAGRAPH_CUT`` or ``SENTENCE_CUT`` where
    the sentence starts at a cut forced by ``PARAGRAPH_LIMIT`` or ``SENTENCE_LIMIT``, else "".

    A text longer than ``PARAGRAPH_LIMIT`` is cut after the last sentence end (followed by a capital)
    before the limit, else after the last blank, else at the limit, and each piece is split on its
    own, so the cost stays linear in the length of the text. A sentence longer than ``SENTENCE_LIMIT``
    is cut the same way at the last blank (else at the limit).
    """
    if not text:
        return []
    pieces: list[tuple[str, str, str]] = []
    body = text.lstrip()
    if len(body) < len(text):
        pieces.append(("", text[: len(text) - len(body)], ""))
    if not body:
        return pieces
    for number, (chunk_start, chunk_end) in enumerate(_cut(body, PARAGRAPH_LIMIT, _SENTENCE_LIKE_END)):
        chunk = body[chunk_start:chunk_end]
        bounds = _sentence_bounds(chunk, lang)
        for index, (start, end) in enumerate(bounds):
            following = bounds[index + 1][0] if index + 1 < len(bounds) else len(chunk)
            cut = PARAGRAPH_CUT if number and not index else ""
            sentence = chunk[start:end]
            parts = _cut(sentence, SENTENCE_LIMIT, _BLANK)
            for part, (part_start, part_end) in enumerate(parts):
                text_end = part_start + len(sentence[part_start:part_end].rstrip())
                trailing = sentence[text_end:part_end] if part + 1 < len(parts) else chunk[end:following]
                pieces.append((sentence[part_start:text_end], trailing, SENTENCE_CUT if part else cut))
    return pieces


CUT_NOTES = {  # what a warning and the ``#. cut:`` comment say; the first word is the Segment.cut
    PARAGRAPH_CUT: f"paragraph longer than {PARAGRAPH_LIMIT:,} characters: cut at the last sentence end "
                   "or blank before the limit",
    SENTENCE_CUT: f"sentence longer than {SENTENCE_LIMIT:,} characters: cut at the last blank before the limit",
}


def cut_notes(doc: Document) -> list[Note]:
    """One note per source line and kind of cut where a length limit split the text (with how many times)."""
    counts: dict[tuple[int, str], int] = {}
    for paragraph in doc.paragraphs:
        newlines = 0
        for segment in paragraph.segments:
            if segment.cut:
                key = (paragraph.line + newlines, segment.cut)
                counts[key] = counts.get(key, 0) + 1
            newlines += segment.text.count("\n") + segment.trailing.count("\n")
    return [Note(line, f"{CUT_NOTES[cut]} ({count} cut{'s' if count > 1 else ''})")
            for (line, cut), count in sorted(counts.items())]


def _cut(text: str, limit: int, boundary: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) pieces of `text`, each cut after the last `boundary` before `limit` characters,
    else after the last blank, else at the limit; blanks at a cut stay with the piece before it."""
    pieces, start = [], 0
    while len(text) - start > limit:
        window = start + limit
        end = _last_end(boundary, text, start, window) or _last_end(_BLANK, text, start, window) or window
        while end < len(text) and text[end].isspace():
            end += 1
        pieces.append((start, end))
        start = end
    if start < len(text):
        pieces.append((start, len(text)))
    return pieces


def _last_end(pattern: re.Pattern, text: str, start: int, end: int) -> int:
    """The end of the last match of `pattern` inside text[start:end] that ends after `start`, or 0."""
    last = 0
    for found in pattern.finditer(text, start, end):
        last = found.end()
    return last if last > start else 0


def _sentence_bounds(body: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `body` (no leading blank), as pySBD and the news rules cut it."""
    flat = _unwrap(body)
    bounds: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", flat):  # a line break left by _unwrap ends a sentence
        found = _locate(line.group(), _raw_sentences(line.group(), "es" if lang == "es" else "en"))
        bounds.extend((line.start() + start, line.start() + end) for start, end in found)
    return _split_after_citations(flat, _merge_false_splits(flat, bounds))


def _unwrap(text: str) -> str:
    """`text` with line breaks that only wrap a sentence turned into spaces (same length).

    A break stays when the line before ends a sentence or a phrase
    (". ! ? : ;", a closing quote or bracket) or the next line opens a list item.
    """
    if "\n" not in text:
        return text
    chars = list(text)
    for match in re.finditer("\n", text):
        before = text[: match.start()].rstrip()
        after = text[match.end():].lstrip()
        if before and after and before[-1] not in _PHRASE_END and after[0] not in _LIST_START \
                and not after[0].isdigit():
            chars[match.start()] = " "
    return "".join(chars)


def _locate(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, in order; text the splitter lost joins its neighbour."""
    bounds: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentences:
        found = text.find(sentence, cursor)
        if found < 0:  # the splitter changed the text: the rest stays whole
            break
        start, gap = found, text[cursor:found]
        if gap.strip():  # text the splitter dropped belongs to the previous sentence, or opens this one
            if bounds:
                bounds[-1] = (bounds[-1][0], cursor + len(gap.rstrip()))
            else:
                start = cursor + len(gap) - len(gap.lstrip())
        bounds.append((start, found + len(sentence)))
        cursor = found + len(sentence)
    rest = text[cursor:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        if bounds and not lead:
            bounds[-1] = (bounds[-1][0], len(text.rstrip()))
        else:
            bounds.append((cursor + lead, len(text.rstrip())))
    return bounds


def _raw_sentences(text: str, lang: str) -> list[str]:
    """Sentences of `text` by pySBD, stripped, without empty ones."""
    if not _POSSIBLE_BOUNDARY.search(text.rstrip()):
        return [text.strip()] if text.strip() else []  # no boundary inside: skip the slow splitter
    plain = _plain_sentences(text, lang)
    if plain is not None:
        return plain
    try:
        return _pysbd_sentences(text, lang)
    except Exception as exc:  # pySBD's own bugs (a control before "1." once raised ValueError): one line, no traceback
        raise ProcessingError(f"the sentence splitter (pySBD) failed: {type(exc).__name__}: {exc}",
                              snippet=text) from None


_SPACES = re.compile(r"\s*")
# Longest text given to pySBD at once. Its cost per character grows with the length of its input, even
# with the span search below done in linear time: over the reference article's text, 2.3 s/MB as
# paragraphs, 2.8 / 3.4 / 5.4 s/MB in pieces of 1,000 / 2,000 / 5,000 characters. A longer text is
# split piece by piece, each piece starting where the last sentence of the one before started (that
# sentence may have been cut off), so only sentence ends pySBD found inside a piece are used.
SPLITTER_PIECE = 1_000


_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"), ("[", "]"))


def _balanced_end(text: str, start: int, limit: int) -> int:
    """The end of the last sentence-like end in text[start:limit] outside quotations and brackets, or 0:
    pySBD keeps a quotation whole, which a cut inside it would change."""
    return _last_balanced(text, start, [match.end() for match in _SENTENCE_LIKE_END.finditer(text, start, limit)])


def _last_balanced(text: str, start: int, ends: list[int]) -> int:
    """The last of `ends` (ascending) where text[start:end] has every quotation and bracket closed, or 0."""
    balance = [0] * (len(_PAIRS) + 1)  # open minus closed of each pair, then straight double quotes
    best, counted = 0, start
    for end in ends:
        for index, (left, right) in enumerate(_PAIRS):
            balance[index] += text.count(left, counted, end) - text.count(right, counted, end)
        balance[-1] += text.count('"', counted, end)
        counted = end
        if not any(balance[:-1]) and balance[-1] % 2 == 0:
            best = end
    return best


# A sentence end pySBD always keeps: a full stop right after a lowercase word that is no abbreviation,
# then blanks and a capital letter (checked on 174 FLORES and article texts of 1-4 KB: the same sentences
# as pySBD on the whole text). A piece cut there needs no second look at its last sentence.
_PLAIN_END = re.compile(r"(?<![\w.'’-])([a-z]{2,})\.\s+(?=[A-Z])")


def _plain_end(text: str, start: int, limit: int) -> int:
    """The end of the last such full stop in text[start:limit] outside quotations and brackets, or 0."""
    return _last_balanced(text, start, [match.end() for match in _PLAIN_END.finditer(text, start, limit)
                                        if match.group(1) not in _abbreviations()])


def _pysbd_sentences(text: str, lang: str) -> list[str]:
    """Sentences of `text` by pySBD, stripped, without empty ones; a text over SPLITTER_PIECE in pieces."""
    sentences: list[str] = []
    start = 0
    while len(text) - start > SPLITTER_PIECE:
        plain = _plain_end(text, start, start + SPLITTER_PIECE) if lang == "en" else 0
        if plain:  # a sentence end pySBD keeps: the piece's sentences are final (a 1 MB line: 15% less pySBD)
            sentences += _stripped(_pysbd_segment(lang, text[start:plain]))
            start = plain
            continue
        end = _balanced_end(text, start, start + SPLITTER_PIECE) \
            or _cut(text[start:start + SPLITTER_PIECE + 1], SPLITTER_PIECE, _SENTENCE_LIKE_END)[0][1] + start
        piece = text[start:end]
        found = _stripped(_pysbd_segment(lang, piece))
        bounds = _locate(piece, found)
        if len(found) < 2 or len(bounds) != len(found) or bounds[-1][0] <= 0:
            sentences += found  # no sentence end inside, or pySBD changed the text: the piece as it is
            start = end
            continue
        sentences += found[:-1]
        start += bounds[-1][0]  # the last sentence again, with what follows it
    return sentences + _stripped(_pysbd_segment(lang, text[start:]))


def _stripped(sentences: list[str]) -> list[str]:
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def _pysbd_segment(lang: str, text: str) -> list[str]:
    """What ``pysbd.Segmenter(language=lang, clean=False).segment(text)`` returns, found faster.

    pySBD finds each sentence it made in the text again with ``re.finditer(re.escape(sentence) + r"\\s*")``
    from the start of the text: a regular expression compiled per sentence (a third of pySBD's time on
    FLORES documents) and a search that grows with the square of the text. The same search with
    ``str.find`` gives the same spans: the first non-overlapping match, counted from the start, that ends
    after the previous sentence's span.
    """
    segmenter = _pysbd(lang)
    found: list[str] = []
    prior_end = 0
    for sentence in segmenter.processor(text).process():
        if not sentence:  # an empty pattern matches everywhere: pySBD's own search, as it is
            for match in _SPACES.finditer(text):
                if match.end() > prior_end:
                    found.append(match.group())
                    prior_end = match.end()
                    break
            continue
        position = 0
        while (start := text.find(sentence, position)) >= 0:
            end = start + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                found.append(text[start:end])
                prior_end = end
                break
            position = end
    return found


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
    from pysbd.lang.english import English  # type: ignore[import-untyped]  # pysbd ships no types

    rules = English.Abbreviation
    return frozenset(rules.ABBREVIATIONS) | frozenset(rules.PREPOSITIVE_ABBREVIATIONS) \
        | frozenset(rules.NUMBER_ABBREVIATIONS)


def _merge_false_splits(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces split where the sentence goes on: after a time ("At 5 a.m." opening a
    sentence, "at 10 a.m. Tuesday"), or before an ellipsis followed by a lowercase word."""
    merged: list[tuple[int, int]] = []
    for start, end in bounds:
        if merged:
            previous, sentence = text[merged[-1][0]:merged[-1][1]], text[start:end]
            after_time = _TIME_ABBREVIATION_END.search(previous)
            if (after_time and (_SHORT_TIME_LEAD.match(previous) or _DAY_AFTER_TIME.match(sentence))) \
                    or _ELLIPSIS_THEN_LOWERCASE.match(sentence):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


def _split_after_citations(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split after a "(source, date)" citation that follows a finished quotation."""
    result: list[tuple[int, int]] = []
    for start, end in bounds:
        for match in _CITATION_AFTER_QUOTE.finditer(text, start, end):
            result.append((start, match.start(1)))
            start = match.end(1)
        result.append((start, end))
    return result


def line_kind(line: str, first: bool = False) -> str | None:
    """The kind of a line that stands alone ("headline", "byline", ...), or None for prose."""
    text = line.strip()
    if not text or len(text) > SENTENCE_LIMIT:  # a line that long is prose, cut like any sentence
        return None
    if _CAPTION.match(text):
        return "caption"
    if _DATE.match(text):
        return "date"
    words = text.split()
    if _BYLINE.match(text) and len(words) <= _BYLINE_MAX_WORDS and not text.endswith("."):
        return "byline"
    if _DATELINE.match(text) and len(words) <= _DATELINE_MAX_WORDS:
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
    """Segments of one paragraph (text without surrounding blank lines).

    Byline, date and dateline lines at the top of a paragraph and caption
    lines at its end are segments of their own; the rest is split into sentences.
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    kinds = [line_kind(text[a:b], first=first and i == 0) for i, (a, b) in enumerate(lines)]
    pieces: list[tuple[int, int, str, str]]  # (start, end, kind, cut); the kinds taken from lines are never None here
    if all(kinds):
        pieces = [(a, b, kind or "sentence", "") for (a, b), kind in zip(lines, kinds)]
    else:
        head = 0
        while kinds[head] in ("byline", "date", "dateline"):
            head += 1
        tail = len(lines)
        while kinds[tail - 1] == "caption":
            tail -= 1
        pieces = [(a, b, kind or "sentence", "") for (a, b), kind in zip(lines[:head], kinds[:head])]
        prose_start, prose_end = lines[head][0], lines[tail - 1][1]
        offset = prose_start
        for sentence, trailing, cut in split_sentences_with_cuts(text[prose_start:prose_end], lang):
            if sentence:
                kind = "caption" if _CAPTION.match(sentence) else "sentence"
                pieces.append((offset, offset + len(sentence), kind, cut))
            offset += len(sentence) + len(trailing)
        pieces += [(a, b, kind or "sentence", "") for (a, b), kind in zip(lines[tail:], kinds[tail:])]
    segments: list[Segment] = []
    for index, (start, end, kind, cut) in enumerate(pieces):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        start, end = start + lead, start + len(piece.rstrip())
        following = pieces[index + 1][0] if index + 1 < len(pieces) else len(text)
        if segments and lead:
            segments[-1].trailing += text[start - lead:start]
        segments.append(Segment(text=text[start:end], kind=kind, trailing=text[end:following], cut=cut))
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


# A list item's marker or label: "- ", "* ", "• ", "1. ", "2) ", "a) ".
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*•⁃–]|\d{1,3}[.)]|[a-z]\))[ \t]+(?=\S)")
# A table row: a pipe table's "| a | b |", or columns aligned with runs of blanks.
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|\n]*\|[^|\n]*\|")
_ALIGNED_ROW = re.compile(r"\S {2,}\S.* {2,}\S|\S\t+\S")


def _is_table(block: str) -> bool:
    """Two or more lines, each a pipe-table row or columns aligned by blanks: kept as it is."""
    lines = block.split("\n")
    return len(lines) >= 2 and (all(_PIPE_ROW.search(l) for l in lines) or all(_ALIGNED_ROW.search(l) for l in lines))


def _list_segments(block: str, lang: str) -> tuple[str, list[Segment]] | None:
    """A block of list items: its first marker, and each item's sentences as segments, the next
    item's marker in the trailing text of the one before, so markers never reach the msgid."""
    lines = block.split("\n")
    if not LIST_MARKER.match(lines[0]) or not all(LIST_MARKER.match(l) or l.startswith((" ", "\t")) for l in lines):
        return None
    items: list[tuple[str, str]] = []
    for line in lines:
        marker = LIST_MARKER.match(line)
        if marker:
            items.append((marker.group(), line[marker.end():]))
        else:
            items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
    segments: list[Segment] = []
    for number, (item_marker, item) in enumerate(items):
        if segments:
            segments[-1].trailing = "\n" + item_marker
        for sentence, trailing, cut in split_sentences_with_cuts(item.strip(), lang):
            if sentence:
                segments.append(Segment(text=sentence, trailing=trailing, cut=cut))
    return items[0][0], segments


def _unwrapped(segments: list[Segment]) -> bool:
    """Join the lines of sentences wrapped across lines; True when any was."""
    wrapped = False
    for segment in segments:
        if "\n" in segment.text and segment.kind == "sentence":
            segment.text = re.sub(r"[ \t]*\n[ \t]*", " ", segment.text)
            wrapped = True
    return wrapped


def segment_text(text: str, name: str, source: Path | None = None, rewrap: bool = True,
                 cache_dir: Path | None = None) -> Document:
    """A Document of `text`: paragraphs split at blank lines, then segments with kinds.

    Also records the article's headline, byline, date and dateline (first of
    each) in ``Document.meta``. `cache_dir`: the cache folder (``Config.cache_dir``) the word
    frequencies are loaded from when a paragraph looks Spanish (:func:`pipeline.detect.language`).
    """
    from .detect import language, load_frequencies

    doc = Document(name=name, source=source, format="text")
    for number, (line, block) in enumerate(_paragraph_blocks(text), start=1):
        # the splitter's rules (English or Spanish) from the paragraph's first PARAGRAPH_LIMIT characters:
        # the whole of a 1 MB line was 20% of its extract
        sample = block[:PARAGRAPH_LIMIT]
        lang = "en"
        if _looks_spanish(sample):
            load_frequencies(cache_dir)  # from the cache, when this is the first use in the process
            lang = language(sample)
        meta: dict = {}
        listed = _list_segments(block, lang)
        if _is_table(block):
            segments = [Segment(text=block, spans=[Span(block, protected=True, reason=MARKUP)])]
            meta["table"] = True
        elif listed:
            meta["lead"], segments = listed
        else:
            segments = segment_paragraph(block, first=number == 1, lang=lang)
            if _unwrapped(segments):  # the Spanish is wrapped again at the source's width, or on one line
                meta["width"] = max(len(l) for l in block.split("\n")) if rewrap else 0
                meta["unwrapped"] = True
        kinds = {s.kind for s in segments}
        kind = "heading" if kinds & {"headline", "heading"} and len(segments) == 1 else "paragraph"
        kind = "list_item" if listed else kind
        doc.paragraphs.append(Paragraph(segments=segments, number=number, line=line, kind=kind, meta=meta))
        for segment in segments:
            if segment.kind in ("headline", "byline", "date", "dateline"):
                doc.meta.setdefault(segment.kind, segment.text)
    return doc


def _looks_spanish(text: str) -> bool:
    """Cheap pre-check before asking the language detector about a paragraph."""
    return bool(re.search(r"[¿¡ñÑáéíóúÁÉÍÓÚ]|\b(?:el|la|los|las|que|del|y)\b", text))
