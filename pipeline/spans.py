"""Spans: the one routine that cuts a text into spans, and the one that translates around protected spans.

Detection (Spanish phrases, do-not-translate terms), dates, the glossary and the
catalog (rebuilding spans from ``keep:`` comments) all mark pieces of a text as
protected; :func:`cover` turns such pieces into spans that cover the text
exactly, and :func:`split_free` does it for the free (unprotected) spans of a
segment only. :func:`translate_around` is the fallback every engine shares when
a protected span did not survive translation: the free pieces are translated
alone and the protected ones put back verbatim between them.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from .model import Span

Piece = tuple[int, int, Span]  # (start, end, the span to emit for text[start:end])

NOTHING_TO_TRANSLATE = re.compile(r"[\W\d_]*")  # punctuation, digits, blanks: kept as they are


def cover(text: str, pieces: Iterable[Piece], free: Callable[[str], Span] = Span) -> list[Span]:
    """Spans covering `text` in order: each piece where it stands, `free(gap)` for the text between.

    `pieces` must be sorted and must not overlap; a piece's span is emitted as given.
    """
    spans: list[Span] = []
    at = 0
    for start, end, span in pieces:
        if start > at:
            spans.append(free(text[at:start]))
        spans.append(span)
        at = end
    if at < len(text):
        spans.append(free(text[at:]))
    return spans


def split_free(spans: Sequence[Span], find: Callable[[Span, int], Iterable[Piece]]) -> list[Span]:
    """The spans with each free one cut at the pieces `find(span, offset)` returns (offset: where the
    span starts in the segment's text); protected spans are kept as they are. Gaps keep the free
    span's language and reason."""
    out: list[Span] = []
    offset = 0
    for span in spans:
        if span.protected:
            out.append(span)
        else:
            out += cover(span.text, find(span, offset), _free_like(span))
        offset += len(span.text)
    return out


def _free_like(span: Span) -> Callable[[str], Span]:
    """Makes a free span of a gap with `span`'s language and reason."""
    return lambda gap: Span(gap, False, span.lang, span.reason)


def translate_around(segments: Sequence[Sequence[Span]],
                     translate_texts: Callable[[list[str]], list[str]]) -> list[str]:
    """Each segment rebuilt from its protected spans verbatim and its other pieces translated alone.

    `translate_texts` gets every piece of every segment in one call; a piece that
    comes back empty keeps its English, and pieces keep their surrounding blanks.
    """
    jobs = [span.text.strip() for spans in segments for span in spans
            if not span.protected and not NOTHING_TO_TRANSLATE.fullmatch(span.text)]
    translated = iter(translate_texts(jobs) if jobs else [])
    out = []
    for spans in segments:
        parts = []
        for span in spans:
            if span.protected:
                parts.append(span.output)
            elif NOTHING_TO_TRANSLATE.fullmatch(span.text):
                parts.append(span.text)
            else:
                lead = span.text[: len(span.text) - len(span.text.lstrip())]
                tail = span.text[len(span.text.rstrip()):]
                parts.append(lead + ((next(translated) or "").strip() or span.text.strip()) + tail)
        out.append("".join(parts))
    return out
