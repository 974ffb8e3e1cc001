"""The translate stage: send what needs translating to an engine, keep protected spans verbatim.

:func:`translate` is the whole stage. Wholly protected segments (all Spanish)
are kept as they are and never reach an engine; identical segments go to the
engine once; glossary terms are first left to the engine and steered (given to
it as protected Spanish) only in the segments where it missed them, because
protecting a term cuts it out of the engine's grammar (Apertium loses agreement
and capitalisation around it).

Engines mask protected spans their own way; this stage checks every result and,
where a protected span did not come back exactly, translates the pieces around
it alone and puts the span back between them. A protected span is never lost.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from .catalog.conventions import AUTOMATIC_ENGINE
from .engines.base import Engine
from .errors import EngineError
from . import glossary
from .inline import repair as repair_inline_codes
from .model import GLOSSARY, Segment, Span, State
from .progress import progress
from .spans import translate_around

# Segments per engine call, and a progress step: a run's chunk of documents (batch.CHUNK_DOCUMENTS and
# CHUNK_BYTES: 1,012 of the 2,024 FLORES documents of benchmarks/scale.py, ~2,250 segments) goes to the
# engine in one call, which engines/runs.py cuts into partitions only past its PARTITION_SEGMENTS; every
# call pays the engine's start-up (Apertium with its repair steps: about 1 CPU second).
CHUNK_SIZE = 5000


def needs_engine(segment: Segment) -> bool:
    """True for an untranslated segment with something for the engine."""
    return segment.state == State.UNTRANSLATED and not segment.fully_protected


def keep_protected(segments: Sequence[Segment]) -> int:
    """Fill untranslated segments that are wholly protected (e.g. all Spanish) with their kept text.

    Spanish of the source is final as written: state REVIEWED, no engine. A
    segment a rule rewrote (a date wholly turned into Spanish, a glossary term)
    is the pipeline's guess, not a reviewer's: state MACHINE with engine
    ``auto:REASON`` (written ``# filled automatically: date``), so it is counted
    as awaiting review and never exported to TMX as reviewed.
    """
    count = 0
    for segment in segments:
        if segment.state == State.UNTRANSLATED and segment.fully_protected:
            segment.translation = "".join(s.output if s.protected else s.text for s in segment.pieces)
            rules = [s.reason for s in segment.pieces if s.protected and s.replacement is not None]
            if rules and segment.translation != segment.text:
                segment.state, segment.engine = State.MACHINE, AUTOMATIC_ENGINE + rules[0]
            else:
                segment.state, segment.engine = State.REVIEWED, ""
            count += 1
    return count


def translate_segments(segments: Sequence[Segment], engine: Engine, quiet: bool = False) -> int:
    """Machine-translate every segment that needs it; returns how many were translated.

    Identical segments are sent once. Sets translation, state MACHINE and the engine name.
    """
    keep_protected(segments)
    pending: dict[tuple, list[Segment]] = {}
    for segment in segments:
        if needs_engine(segment):
            key = tuple((s.text, s.protected, s.replacement) for s in segment.pieces)
            pending.setdefault(key, []).append(segment)
    if not pending:
        return 0
    groups = list(pending.values())
    chunks = [groups[i:i + CHUNK_SIZE] for i in range(0, len(groups), CHUNK_SIZE)]
    bar = progress(chunks, desc=f"translating ({engine.name})", total=len(chunks), quiet=quiet, unit="batch")
    for chunk in bar:
        pieces = [group[0].pieces for group in chunk]
        results, moved = _translate_verified(pieces, engine)
        for index, (group, translation) in enumerate(zip(chunk, results)):
            for segment in group:
                segment.translation = translation
                segment.state = State.MACHINE
                segment.engine = engine.name
                segment.markup_moved = index in moved
    return sum(len(group) for group in groups)


def _translate_verified(segments: list[list[Span]], engine: Engine) -> tuple[list[str], set[int]]:
    """Engine translations with every protected span checked; failures rebuilt piece by piece.

    Also returns the indexes of the segments whose inline markup had to be moved to a safe place."""
    results = engine.translate_batch(segments)
    if len(results) != len(segments):
        raise EngineError(f"engine {engine.name} returned {len(results)} translations for {len(segments)} segments")
    failed = [i for i, (spans, out) in enumerate(zip(segments, results)) if not spans_kept(spans, out)]
    if failed:
        rebuilt = _translate_around(  # one more engine call for all failures together
            [segments[i] for i in failed], engine)
        for i, text in zip(failed, rebuilt):
            results[i] = text
    moved = repair_inline_codes(segments, results, engine.translate_batch)  # paired markup: balanced, nested
    return results, moved


def spans_kept(spans: Sequence[Span], translation: str) -> bool:
    """True when every protected span's output occurs verbatim in the translation, as often as in the source."""
    wanted = Counter(s.output for s in spans if s.protected and s.output.strip())
    return bool(translation.strip()) and all(translation.count(text) >= n for text, n in wanted.items())


def _translate_around(segments: list[list[Span]], engine: Engine) -> list[str]:
    """Translate unprotected pieces alone and put protected spans back in their places."""
    return translate_around(segments, lambda texts: engine.translate_batch([[Span(t)] for t in texts]))


def translate(segments: Sequence[Segment], engine: Engine, quiet: bool = False) -> int:
    """Machine-translate segments, steering glossary terms only where the engine misses them.

    Protecting a term cuts it out of the engine's grammar (Apertium loses agreement and
    capitalisation around it), so each segment is first translated with its glossary
    terms left to the engine; only a segment whose output lacks a term's Spanish is
    translated again with the terms protected. Returns how many segments were translated.
    """
    steered = [s for s in segments if needs_engine(s) and any(span.reason == GLOSSARY for span in s.spans)]
    if not steered:
        return translate_segments(segments, engine, quiet=quiet)
    originals = {id(s): s.spans for s in steered}
    for segment in steered:
        segment.spans = _unsteered(segment.spans)
    try:
        count = translate_segments(segments, engine, quiet=quiet)
    finally:
        for segment in steered:
            segment.spans = originals[id(segment)]
    missed = [s for s in steered if not all(uses_term(s.translation, span) for span in s.spans
                                            if span.reason == GLOSSARY)]
    for segment in missed:
        segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
    if missed:
        translate_segments(missed, engine, quiet=quiet)
    return count


def _unsteered(spans: Sequence[Span]) -> list[Span]:
    """The spans with glossary terms unprotected again, neighbouring English merged."""
    merged: list[Span] = []
    for span in spans:
        if span.reason == GLOSSARY:
            span = Span(span.text, False, span.lang)
        if merged and not span.protected and not merged[-1].protected:
            merged[-1] = Span(merged[-1].text + span.text, False, merged[-1].lang)
        else:
            merged.append(span)
    return merged


def uses_term(translation: str, span: Span) -> bool:
    """True when the translation has the Spanish of the glossary term that `span` marks."""
    return glossary.contains_spanish(translation, glossary.Term(span.text.lower(), (span.replacement or span.text).lower()))
