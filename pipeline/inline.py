"""Inline markup as paired codes: checked after translation, repaired in a fixed order.

Readers keep inline markup (emphasis marks, link brackets, tags, code spans) as
protected ``markup`` spans, and engines keep protected spans verbatim, but not
in place: Apertium reorders words around its superblanks, so tags crossed
(``Ruby's <a>Enumerable</a> module.`` → ``El</a> módulo Enumerable de
<a>Ruby.``) and emphasis moved to other words (``The main **configuration**
file`` → ``La lima **de** configuración principal``). As in XLIFF/Okapi, each
inline element is a pair of codes (an opening and a closing token) around its
content; a token that opens nothing (a code span, ``<br>``, a hard break) is a
standalone code.

After the engine, every segment with codes is checked (:func:`well_formed`):
each code exactly once, pairs balanced and properly nested as in the source, and
no pair emptied. Each pair's content is also translated alone (one more batch
for all segments), and the words inside the pair must agree with it. Where they
do not, repairs run in this order:

1. placement by alignment: the codes are taken out and each pair put back
   around its content's own translation where that occurs in the sentence;
2. the marked pieces translated alone (:func:`pipeline.spans.translate_around`):
   the codes stay where the source has them, between pieces translated apart;
3. last resort: the translation with its codes taken out, each pair's content
   (translated alone) kept inside its codes at the end: well-formed, no code
   lost; such segments are reported by :func:`repair` so they can be flagged
   "markup moved" for the reviewer.

Measured on the 652 CommonMark spec examples (tests/commonmark_spec.py): 652
keep their token structure, all 652 their link destinations and code; on the same run
before this module and the reader fixes, 590 / 600 / 640. The check's cost is
one more engine batch for the contents of all pairs together.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from .model import MARKUP, Span
from .spans import translate_around

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_WORD = re.compile(r"[^\W\d_]+")

Translate = Callable[[list[list[Span]]], list[str]]


def tag_nesting(token: str) -> tuple[str, str] | None:
    """An HTML tag opens or closes its element; void, self-closed and whole elements do neither."""
    found = re.match(r"<(/?)([a-zA-Z][\w-]*)", token)
    if not found or token.rstrip().endswith("/>") or found.group(2).lower() in VOID:
        return None
    if not token.rstrip().endswith(">") or re.search(r"</[a-zA-Z][\w-]*\s*>\s*\Z", token) and not found.group(1):
        return None  # a whole element, opened and closed
    return ("close" if found.group(1) else "open", found.group(2).lower())


def nesting(token: str) -> tuple[str, str] | None:
    """How a markup token nests, in Markdown or HTML: ("open"|"close"|"toggle", key) or None (standalone)."""
    if token.startswith(("[", "![")):
        return ("open", "link")
    if token.startswith("]"):
        return ("close", "link")
    if token[0] in "*_" and token.strip(token[0]) == "":
        return ("toggle", token)
    if token.startswith("<"):
        return tag_nesting(token)
    return None


def _is_code(span: Span) -> bool:
    return span.protected and span.reason == MARKUP


def source_pairs(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """(opening index, closing index) into `spans` of every pair of codes, innermost first."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for index, span in enumerate(spans):
        effect = nesting(span.text) if _is_code(span) else None
        if not effect:
            continue
        how, key = effect
        if how == "open" or (how == "toggle" and not (stack and spans[stack[-1]].text == span.text)):
            stack.append(index)
        elif stack and (nesting(spans[stack[-1]].text) or ("", ""))[1] == key:
            pairs.append((stack.pop(), index))
    return pairs


def _located(spans: Sequence[Span], translation: str) -> list[tuple[int, int, int]] | None:
    """(start, end, span index) of every code in the translation, in translation order;
    None when a code is missing or comes more often than in the source.

    A code's text may also be plain text of the source (a literal ``[`` beside a
    link's ``[``): the occurrences are then matched to the source's in order, or,
    when the literal ones were translated away, all taken as the codes."""
    wanted = [i for i, s in enumerate(spans) if _is_code(s) and s.output.strip()]
    by_text: dict[str, list[int]] = {}
    for i in wanted:
        by_text.setdefault(spans[i].output, []).append(i)
    found: list[tuple[int, int, int]] = []
    taken: set[tuple[int, int]] = set()  # (start, end) of the occurrences already taken as codes
    for text in sorted(by_text, key=lambda t: (-len(t), not t.startswith("\\"))):  # longest, then escapes
        at = 0
        hits = []
        while True:
            at = translation.find(text, at)
            if at < 0:
                break
            if any(a < at + len(text) and at < b for a, b in taken):
                at += 1  # inside a longer code: look just after
                continue
            hits.append(at)
            at += len(text)
        order: list[int | None] = []  # the source's occurrences of this text: a code's index, or None (literal)
        for index, span in enumerate(spans):
            if index in by_text[text]:
                order.append(index)
            elif not span.protected:
                order += [None] * span.text.count(text)
        if len(hits) == len(order):
            pairs = [(h, i) for h, i in zip(hits, order) if i is not None]
        elif len(hits) == len(by_text[text]):
            pairs = list(zip(hits, by_text[text]))
        else:
            return None
        for h, _ in pairs:
            taken.add((h, h + len(text)))
        found += [(h, h + len(text), i) for h, i in pairs]
    return sorted(found)


def well_formed(spans: Sequence[Span], translation: str) -> bool:
    """Every code exactly once, each pair opened before it is closed, nested as in the source, none emptied."""
    pairs = source_pairs(spans)
    if not pairs:
        return True
    located = _located(spans, translation)
    if located is None:
        return False
    where = {index: (start, end) for start, end, index in located}
    for opening, closing in pairs:
        if opening not in where or closing not in where:
            continue  # whitespace-only codes are not checked
        if where[opening][1] > where[closing][0]:
            return False
        inside_source = "".join(s.text for s in spans[opening + 1:closing])
        if _WORD.search(inside_source) and not translation[where[opening][1]:where[closing][0]].strip():
            return False
    for a, b in pairs:  # proper nesting: two pairs either nest or are apart, in the translation as in the source
        for c, d in pairs:
            if (a, b) == (c, d) or not all(i in where for i in (a, b, c, d)):
                continue
            if where[a][0] < where[c][0] < where[b][0] < where[d][0]:
                return False
    return True


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _agrees(spans: Sequence[Span], translation: str, alone: dict[tuple[int, int], str]) -> bool:
    """The words inside each pair share at least half of its content's translation alone."""
    located = _located(spans, translation)
    if located is None:
        return False
    where = {index: (start, end) for start, end, index in located}
    for (opening, closing), own in alone.items():
        if opening in where and closing in where:
            inside, expected = _words(translation[where[opening][1]:where[closing][0]]), _words(own)
            if expected and len(inside & expected) * 2 < len(expected):
                return False
    return True


def _align(spans: Sequence[Span], translation: str, alone: dict[tuple[int, int], str]) -> str | None:
    """The codes of flat (unnested) pairs taken out and put back around each content's own
    translation where it occurs in the sentence; None when one does not occur."""
    pairs = source_pairs(spans)
    if len(alone) != len(pairs) or any(any(_is_code(s) for s in spans[a + 1:b]) for a, b in pairs):
        return None
    located = _located(spans, translation)
    if located is None or any(i not in {index for _, _, index in located} for pair in pairs for i in pair):
        return None
    plain = translation
    for start, end, index in sorted(located, reverse=True):
        if any(index in pair for pair in pairs):
            plain = plain[:start] + plain[end:]
    plain = re.sub(r"  +", " ", plain)
    inserts: list[tuple[int, int, str]] = []  # (position, 1 opening / 0 closing, code)
    used: list[tuple[int, int]] = []
    for (opening, closing), own in alone.items():
        own = own.strip()
        match = re.search(r"(?<!\w)" + re.escape(own) + r"(?!\w)", plain, re.IGNORECASE) if own else None
        if not match or any(match.start() < b and a < match.end() for a, b in used):
            return None
        used.append((match.start(), match.end()))
        inserts += [(match.start(), 1, spans[opening].output), (match.end(), 0, spans[closing].output)]
    for at, _, code in sorted(inserts, reverse=True):
        plain = plain[:at] + code + plain[at:]
    return plain


def _without_codes(spans: Sequence[Span], translation: str) -> str:
    """The translation with its codes cut out: where they cannot be told from the engine's own text
    (a model that writes ``*`` or ``[``), every copy beyond the source's literal ones goes too."""
    located = _located(spans, translation)
    if located is not None:
        for start, end, _ in sorted(located, reverse=True):
            translation = translation[:start] + translation[end:]
        return translation
    for text in sorted({s.output for s in spans if _is_code(s) and s.output.strip()}, key=len, reverse=True):
        literal = sum(s.text.count(text) for s in spans if not s.protected)
        while translation.count(text) > literal:
            translation = translation.replace(text, "", 1)
    return translation


def _outermost(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(p for p in pairs if not any(o < p[0] and p[1] < c for o, c in pairs))


def _last_resort(spans: Sequence[Span], translation: str, rebuilt: str) -> str:
    """The translation with its codes taken out, then each outermost pair with its content as
    translated piece by piece (`rebuilt`, codes where the source has them) at the end."""
    text = _without_codes(spans, translation)
    where = {i: (a, b) for a, b, i in (_located(spans, rebuilt) or [])}
    extra = []
    for opening, closing in _outermost(source_pairs(spans)):
        if opening in where and closing in where:
            extra.append(rebuilt[where[opening][0]:where[closing][1]].strip())
        else:
            extra.append("".join(s.output for s in spans[opening:closing + 1]))
    return re.sub(r"  +", " ", text).rstrip() + (" " + " ".join(extra) if extra else "")


def trim_blanks(spans: Sequence[Span], translation: str) -> str:
    """Blanks just inside a pair of emphasis delimiters moved outside: ``__jardín __`` is not emphasis
    in Markdown (a closing delimiter must follow text), ``__jardín__ `` is."""
    located = _located(spans, translation)
    if located is None:
        return translation
    where = {i: (a, b) for a, b, i in located}
    moves = []  # (position, text to delete length, insert before/after)
    for opening, closing in source_pairs(spans):
        if (nesting(spans[opening].text) or ("", ""))[0] != "toggle" or opening not in where or closing not in where:
            continue
        source_inner = "".join(s.text for s in spans[opening + 1:closing])
        if source_inner != source_inner.strip():
            continue  # blank-edged in the source too: not this pair (same delimiters nested), leave it
        (_, inner_start), (inner_end, _) = where[opening], where[closing]
        inner = translation[inner_start:inner_end]
        if not inner.strip() or inner == inner.strip():
            continue
        moves.append((where[opening], where[closing], inner))
    for (open_start, inner_start), (inner_end, close_end), inner in sorted(moves, key=lambda m: m[0], reverse=True):
        lead, tail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
        source_open = translation[open_start:inner_start]
        source_close = translation[inner_end:close_end]
        translation = (translation[:open_start] + lead + source_open + inner.strip() + source_close + tail
                       + translation[close_end:])
    return translation


def repair(segments: Sequence[Sequence[Span]], results: list[str], translate: Translate) -> set[int]:
    """Check and repair the inline codes of every translation in `results` (in place).

    `translate` is an engine's ``translate_batch``. Returns the indexes of the
    segments whose markup had to be moved to a safe place (last resort).
    """
    alone_jobs: list[tuple[int, tuple[int, int]]] = []
    for index, spans in enumerate(segments):
        for opening, closing in source_pairs(spans):
            inner = list(spans[opening + 1:closing])
            if not any(_is_code(s) for s in inner) and _WORD.search("".join(s.text for s in inner if not s.protected)):
                alone_jobs.append((index, (opening, closing)))
    if not alone_jobs and not any(source_pairs(spans) for spans in segments):
        return set()
    own_translations = translate([list(segments[i][a + 1:b]) for i, (a, b) in alone_jobs]) if alone_jobs else []
    alone: dict[int, dict[tuple[int, int], str]] = {}
    for (index, pair), text in zip(alone_jobs, own_translations):
        alone.setdefault(index, {})[pair] = text
    failed = [i for i, spans in enumerate(segments) if source_pairs(spans)
              and not (well_formed(spans, results[i]) and _agrees(spans, results[i], alone.get(i, {})))]
    around = []
    for index in failed:
        aligned = _align(segments[index], results[index], alone.get(index, {}))
        if aligned is not None and well_formed(segments[index], aligned):
            results[index] = aligned
        else:
            around.append(index)
    moved = set()
    if around:
        rebuilt = translate_around([segments[i] for i in around], lambda texts: translate([[Span(t)] for t in texts]))
        for index, text in zip(around, rebuilt):
            if well_formed(segments[index], text):
                results[index] = text
            else:
                results[index] = _last_resort(segments[index], results[index], text)
                moved.add(index)
    for index, spans in enumerate(segments):
        if source_pairs(spans):
            results[index] = trim_blanks(spans, results[index])
    return moved
