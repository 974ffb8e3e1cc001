"""Shared by the Markdown and HTML readers: one block's text and inline markup → segments.

A block arrives as spans: plain text and protected ``markup`` tokens (emphasis
marks, link brackets, tags, code). It is cut into sentences with
``pipeline.segment.split_sentences``, but only where no inline element is
open, so every segment holds balanced markup and renders on its own.
"""
from __future__ import annotations

from typing import Callable, Sequence

from ..model import Segment, Span

# A markup token's effect on nesting: ("open", key), ("close", key), ("toggle", key) or None.
Nesting = Callable[[str], "tuple[str, str] | None"]


def markup(text: str) -> Span:
    """A protected inline-markup token, kept verbatim through translation."""
    return Span(text, protected=True, reason="markup")


def merge_text(spans: Sequence[Span]) -> list[Span]:
    """Adjacent plain-text spans joined, empty spans dropped."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and not span.protected and not merged[-1].protected:
            merged[-1] = Span(merged[-1].text + span.text)
        else:
            merged.append(span)
    return merged


def trim(spans: Sequence[Span]) -> tuple[list[Span], str]:
    """Spans without leading whitespace and without trailing whitespace, and that trailing whitespace."""
    spans = merge_text(spans)
    while spans and not spans[0].protected and not spans[0].text.strip():
        spans.pop(0)
    if spans and not spans[0].protected:
        spans[0] = Span(spans[0].text.lstrip())
    trailing = ""
    while spans and not spans[-1].protected and not spans[-1].text.strip():
        trailing = spans.pop().text + trailing
    if spans and not spans[-1].protected:
        text = spans[-1].text
        stripped = text.rstrip()
        trailing = text[len(stripped):] + trailing
        spans[-1] = Span(stripped)
    return spans, trailing


def _closed_offsets(spans: Sequence[Span], nesting: Nesting) -> set[int]:
    """Offsets in the joined text where no inline element is open and no protected span is cut."""
    allowed, offset = {0}, 0
    stack: list[str] = []
    for span in spans:
        if span.protected and span.reason == "markup":
            effect = nesting(span.text)
            if effect:
                how, key = effect
                if how == "open" or (how == "toggle" and (not stack or stack[-1] != key)):
                    stack.append(key)
                elif stack and stack[-1] == key:
                    stack.pop()
        start, offset = offset, offset + len(span.text)
        if not stack:
            if span.protected:
                allowed.add(offset)
            else:
                allowed.update(range(start + 1, offset + 1))
    return allowed


def _cut(spans: Sequence[Span], start: int, end: int) -> list[Span]:
    """The spans covering text[start:end] (cuts fall only inside plain text)."""
    out, offset = [], 0
    for span in spans:
        low, high = max(start, offset), min(end, offset + len(span.text))
        if low < high:
            piece = span.text[low - offset:high - offset]
            out.append(span if piece == span.text else Span(piece, span.protected, span.lang, span.reason))
        offset += len(span.text)
    return out


def segments_from_spans(spans: Sequence[Span], nesting: Nesting, kind: str = "sentence",
                        split: bool = True) -> list[Segment]:
    """Segments of one block: sentences when `split`, never cutting through open inline markup."""
    from ..segment import split_sentences

    spans, _ = trim(spans)
    text = "".join(s.text for s in spans)
    if not text.strip():
        return []
    bounds = [0, len(text)]
    if split:
        allowed, offset, bounds = _closed_offsets(spans, nesting), 0, [0]
        for sentence, trailing in split_sentences(text):
            offset += len(sentence) + len(trailing)
            if offset in allowed and offset < len(text):
                bounds.append(offset)
        bounds.append(len(text))
    segments = []
    for start, end in zip(bounds, bounds[1:]):
        pieces, trailing = trim(_cut(spans, start, end))
        if pieces:
            segments.append(Segment("".join(p.text for p in pieces), kind=kind, trailing=trailing,
                                    spans=pieces if any(p.protected for p in pieces) else []))
        elif segments:
            segments[-1].trailing += trailing
    if segments:
        segments[-1].trailing = ""
    return segments
