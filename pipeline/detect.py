"""Language of segments (English or Spanish) and the Spanish spans inside English ones.

Two questions, answered from several weak signals rather than one detector:

- :func:`language` (is this text English or Spanish?) adds up, word by word,
  how much more frequent the word is in Spanish than in English (wordfreq's
  frequency lists, kept in the cache folder: :mod:`pipeline.frequencies`), plus
  cues only Spanish has (``¡ ¿ ñ``, accented words);
  only when that evidence is weak does it ask a character n-gram model
  (lingua, limited to English and Spanish). langdetect, seeded with
  ``LANGDETECT_SEED``, judges whole paragraphs and sentences, where
  it is reliable, as a second opinion.
- :func:`spanish_spans` (which parts of an English sentence are Spanish?)
  looks only where there are strong cues: ``¡…!`` and ``¿…?``; quotations
  whose words are Spanish by frequency, confirmed by the n-gram model (each
  part of ``“¡Que se vayan todos! / All must go!”`` judged alone); and
  multi-word proper names with Spanish marks: an accent, a joiner
  (``Toma de Lima``, ``El Salto Diario``) or only words far more frequent in
  Spanish (``Resumen Latinoamericano``). Lone names (``Perú``, ``Apurímac``,
  ``Otárola``) are not protected: Apertium and Argos pass them through
  unchanged, and each protected piece cuts the sentence the engine sees.
  Quotation marks stay outside the spans; ``¡ ! ¿ ?`` of the phrase inside.

:func:`detect` applies both to a Document and adds the hand-made
do-not-translate terms (``locales/do-not-translate.txt``).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Sequence

from . import frequencies
from .config import DO_NOT_TRANSLATE_FILE, LANGDETECT_SEED
from .files import read_text
from .model import DO_NOT_TRANSLATE, MARKUP, SOURCE_LANG, TARGET_LANG, Document, Segment, Span
from .model import SPANISH as SPANISH_REASON
from .spans import cover

SPANISH = TARGET_LANG
ENGLISH = SOURCE_LANG

# A word: letters, with inner apostrophes or hyphens ("don't", "Aymara-speaking").
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SPANISH_LETTERS = re.compile(r"[áéíóúñüÁÉÍÓÚÑÜ]")
_INVERTED = re.compile(r"[¡¿]")

# Evidence per word is the difference of Zipf frequencies (log10 per billion
# words), clipped so one odd word cannot decide a sentence alone.
_ZIPF_OFFSET = 9.0  # Zipf = log10(frequency per word) + 9: log10 of occurrences per billion words
_UNSEEN_ZIPF = 1.0
_WORD_CLIP = 3.5
_NAME_WEIGHT = 0.3  # capitalised words inside a text: mostly names, weak evidence
_INVERTED_MARK = 4.0  # ¡ or ¿: only Spanish writes them
_SPANISH_LETTER_UNKNOWN_WORD = 1.5  # an accented word neither list knows
_CHARACTER_FLOOR = 1e-4  # the n-gram model's confidence is clipped so its log-odds stay within ±9.2
_LANGDETECT_FLOOR = 0.05  # langdetect's probability clipped: its log-odds stay within ±2.9, below one sure word
_SHORT_PARAGRAPH_CLIP = 3.0  # a short paragraph's lexical leaning counts at most as one clear word
_WEAK = 1.0  # below this |score| the character model is asked too
_CHARACTER_WEIGHT = 0.5  # the n-gram model decides near-ties, it does not outvote words
_ENGLISH_PRIOR = -0.3  # a true tie ("A", a name) is English: the articles are English
_SURE = 6.0  # above this score no second opinion is needed
_NAMES_ONLY_SPANISH = 3.0  # a line of names only is Spanish on strong evidence alone
_LONG_SPAN = 4  # words from which quotations and names inside are set aside
_SENTENCE = 8  # words from which langdetect is reliable enough to be asked

# Spanish words that join the words of a name: "Toma de Lima", "El Salto Diario".
_NAME_JOINERS = {"de", "del", "la", "las", "los", "el", "y", "e", "en"}
_SPANISH_NAME_WORD = 2.0  # a capitalised word this Spanish makes its name Spanish
_UNQUOTED_PHRASE = 3  # clearly Spanish words in a row that make a phrase without quotes
_SPANISH_ARTICLES = {"el", "la", "los", "las"}


_LOADED: list[tuple[frequencies.Frequencies | dict[str, float], ...]] = []  # the lists, once loaded in this process


def load_frequencies(cache_dir: Path | None = None) -> tuple[frequencies.Frequencies | dict[str, float], ...]:
    """English and Spanish word frequencies, loaded once a process (:mod:`pipeline.frequencies`): from the
    cache in `cache_dir` when the first caller names one (:func:`detect` and the text reader do, from the
    config), else from wordfreq. Either way they are the same numbers, so which caller came first changes
    only the time it took."""
    if not _LOADED:
        _LOADED.append(frequencies.load(cache_dir))
    return _LOADED[0]


def _zipf(frequency: float) -> float:
    return math.log10(frequency) + _ZIPF_OFFSET if frequency else _UNSEEN_ZIPF


def word_evidence(word: str) -> float:
    """How much more Spanish than English one word is (positive: Spanish), in Zipf units."""
    english, spanish = load_frequencies()
    key = word.lower().replace("’", "'")
    en, es = english.get(key, 0.0), spanish.get(key, 0.0)
    if not en and not es:
        return _SPANISH_LETTER_UNKNOWN_WORD if _SPANISH_LETTERS.search(word) else 0.0
    return max(-_WORD_CLIP, min(_WORD_CLIP, _zipf(es) - _zipf(en)))


def language_score(text: str) -> float:
    """Lexical evidence that `text` is Spanish (> 0) rather than English (< 0)."""
    score = _INVERTED_MARK * len(_INVERTED.findall(text))
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        evidence = word_evidence(word)
        if (index and word[0].isupper()) or (len(word) > 1 and word.isupper()):
            evidence *= _NAME_WEIGHT  # a name or an acronym ("UN"), not a word of the language
        score += evidence
    return score


@lru_cache(maxsize=1)
def _lingua():
    from lingua import Language, LanguageDetectorBuilder

    # Preloading (about 1 s, once) makes each call ~40 µs instead of loading n-grams lazily.
    detector = (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
                .with_preloaded_language_models().build())
    return detector, Language.SPANISH


def _character_score(text: str) -> float:
    """Log-odds of Spanish from a character n-gram model (lingua, English vs Spanish)."""
    detector, spanish_language = _lingua()
    spanish = min(max(detector.compute_language_confidence(text, spanish_language), _CHARACTER_FLOOR),
                  1 - _CHARACTER_FLOOR)
    return math.log(spanish / (1 - spanish))


Context = float | Callable[[], float]  # a paragraph's leaning, or a function computing it on demand


def language(text: str, context: Context = 0.0) -> str:
    """"es" or "en": the language of a short span or a sentence.

    `context` is the leaning of the surrounding paragraph (see
    :func:`paragraph_context`; a function is called only if needed); it
    decides only when the text's own words say little.
    """
    return SPANISH if spanish_score(text, context) > 0 else ENGLISH


def paragraph_context(text: str) -> float:
    """How Spanish a paragraph is (> 0) or English (< 0): langdetect's log-odds (seeded)
    for a paragraph of a sentence or more, where it is reliable; else the lexical score."""
    if len(_WORD.findall(text)) >= _SENTENCE:
        spanish = min(max(langdetect_spanish_probability(text), _LANGDETECT_FLOOR), 1 - _LANGDETECT_FLOOR)
        return math.log(spanish / (1 - spanish))
    return max(-_SHORT_PARAGRAPH_CLIP, min(_SHORT_PARAGRAPH_CLIP, language_score(text)))


def spanish_score(text: str, context: Context = 0.0) -> float:
    """Evidence that `text` is Spanish (> 0) or English (<= 0), all signals combined.

    Spanish quotations and Spanish names inside a longer text do not count:
    an English sentence quoting a Spanish chant is English.
    """
    words = _WORD.findall(text)
    if not words:
        return _INVERTED_MARK if _INVERTED.search(text) else -1.0
    rest = text
    if len(words) >= _LONG_SPAN:
        # unquoted Spanish runs are not set aside: in a Spanish sentence they are the sentence
        rest = _without(text, _merge(_marked_spans(text), text))
        if not _WORD.search(rest):
            return _SURE  # nothing but Spanish phrases and names
        words = _WORD.findall(rest)
    score = language_score(rest)
    if abs(score) < _WEAK and context:
        score += 0.5 * (context() if callable(context) else context)
    if abs(score) < _WEAK:
        score += _CHARACTER_WEIGHT * _character_score(rest) + _ENGLISH_PRIOR
    if 0 < score < _SURE and len(words) >= _SENTENCE:
        # Spanish on modest evidence: langdetect, reliable on sentences, must agree.
        score = score if langdetect_spanish_probability(rest) >= 0.5 else -score
    return score


@lru_cache(maxsize=1)
def _langdetect_factory():
    """A langdetect factory that knows only English and Spanish, seeded."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    profiles = [Path(PROFILES_DIRECTORY, code).read_text(encoding="utf-8") for code in (ENGLISH, SPANISH)]
    factory.load_json_profile(profiles)
    factory.set_seed(LANGDETECT_SEED)
    return factory


def langdetect_spanish_probability(text: str) -> float:
    """langdetect's probability of Spanish, limited to English and Spanish (seeded, deterministic)."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect_factory().create()
    detector.append(text)
    try:
        probabilities = {p.lang: p.prob for p in detector.get_probabilities()}
    except LangDetectException:  # no letters
        return 0.5
    return probabilities.get(SPANISH, 0.0)


# ---------------------------------------------------------------- spans

_QUOTES = [("“", "”"), ("«", "»"), ('"', '"'), ("‘", "’")]
_INVERTED_PHRASE = re.compile(r"¡[^!¡\n]+!|¿[^?¿\n]+\?")
_PART_BREAK = re.compile(r"\s+/\s+|(?<=[.!?])\s+(?=\S)|\s+[—–]\s+")


def _quoted_regions(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotation marks."""
    regions = []
    for opening, closing in _QUOTES:
        position = 0
        while True:
            start = sentence.find(opening, position)
            if start < 0:
                break
            if opening == "‘" and start and sentence[start - 1].isalnum():
                position = start + 1
                continue
            end = _closing(sentence, start + 1, closing)
            if end < 0:
                break
            regions.append((start + 1, end))
            position = end + 1
    return regions


def _closing(sentence: str, start: int, closing: str) -> int:
    """Index of the closing mark, skipping apostrophes inside words for ’."""
    position = start
    while True:
        end = sentence.find(closing, position)
        if end < 0 or closing != "’":
            return end
        after = sentence[end + 1: end + 2]
        if not (after.isalpha() and sentence[end - 1: end].isalpha()):
            return end
        position = end + 1


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) to the Spanish words: no outer spaces, no sentence punctuation
    that belongs to the English sentence (a "!" or "?" stays when ¡ or ¿ opens the span)."""
    while start < end and (sentence[start].isspace() or sentence[start] in "\"“”‘’«»'([,;:"):
        start += 1
    while end > start:
        last = sentence[end - 1]
        if last.isspace() or last in "\"“”‘’«»',;:.)]":
            end -= 1
        elif last in "!?" and not _INVERTED.search(sentence[start:end]):
            end -= 1
        else:
            break
    return start, end


def _is_spanish_phrase(text: str) -> bool:
    """True when a quoted or free phrase is Spanish by its words, confirmed by the n-gram model."""
    words = _WORD.findall(text)
    if not words:
        return False
    if _INVERTED.search(text):
        return True
    score = sum(word_evidence(w) for w in words)
    if score < 1.5 or score < 0.6 * len(words):
        return False
    return len(words) > 1 and _character_score(text) > -2.0


def _spanish_parts(sentence: str, start: int, end: int) -> list[tuple[int, int]]:
    """The Spanish parts of sentence[start:end], split at " / ", dashes and sentence ends."""
    found = []
    cursor = start
    pieces = []
    for match in _PART_BREAK.finditer(sentence, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    for piece_start, piece_end in pieces:
        piece_start, piece_end = _trim(sentence, piece_start, piece_end)
        if piece_end > piece_start and _is_spanish_phrase(sentence[piece_start:piece_end]):
            found.append((piece_start, piece_end))
    return found


def _name_runs(sentence: str) -> list[list[re.Match]]:
    """Runs of capitalised words, joined by Spanish name joiners ("de", "la", ...)."""
    runs: list[list[re.Match]] = []
    current: list[re.Match] = []
    pending: list[re.Match] = []
    for match in _WORD.finditer(sentence):
        word = match.group()
        previous = pending[-1] if pending else current[-1] if current else None
        gap = sentence[previous.end(): match.start()] if previous else " "
        adjacent = (gap.strip() == "" and "\n" not in gap) or gap == "-"  # "IDL-Reporteros"
        if current and not adjacent:
            runs.append(current)
            current, pending = [], []
        if word[0].isupper():
            current.extend(pending)
            pending = []
            current.append(match)
        elif current and word in _NAME_JOINERS:
            pending.append(match)
        else:
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    return runs


def _spanish_names(sentence: str) -> list[tuple[int, int]]:
    """Multi-word proper names written in Spanish: "El Salto Diario", "Héctor Bejár"."""
    found = []
    for run in _name_runs(sentence):
        for part in _split_english_words(run):
            capitalised = [m for m in part if m.group()[0].isupper()]
            if len(capitalised) < 2:
                continue
            words = [m.group() for m in part]
            marks = any(_SPANISH_LETTERS.search(w) for w in words)
            joiners = any(w.lower() in _NAME_JOINERS for w in words[1:]) or (
                words[0].lower() in _SPANISH_ARTICLES and part[0].start() > 0)
            evidence = [word_evidence(w) for w in words]
            lexical = min(evidence) >= 0.8 and sum(evidence) >= 2.0
            # one clearly Spanish word among words English does not claim: "Carretera Central", "Radio Uno"
            headed = max(evidence) >= _SPANISH_NAME_WORD and min(evidence) > -0.5
            if marks or joiners or lexical or headed:
                found.append((part[0].start(), part[-1].end()))
    return found


def _unquoted_phrases(sentence: str) -> list[tuple[int, int]]:
    """Runs of clearly Spanish words written without quotes ("Hildebrandt en sus trece"), with the
    capitalised name words right before them."""
    words = list(_WORD.finditer(sentence))
    adjacent = [i > 0 and not sentence[words[i - 1].end():words[i].start()].strip() for i in range(len(words))]
    spanish = [word_evidence(w.group()) >= _SPANISH_NAME_WORD for w in words]
    found = []
    start = 0
    for end in range(1, len(words) + 1):
        if end < len(words) and spanish[end] and adjacent[end] and spanish[start]:
            continue  # the run of Spanish words goes on
        if spanish[start] and end - start >= _UNQUOTED_PHRASE:
            while start and adjacent[start] and words[start - 1].group()[0].isupper() \
                    and word_evidence(words[start - 1].group()) > -0.5:
                start -= 1
            found.append((words[start].start(), words[end - 1].end()))
        start = end
    return found


def _split_english_words(run: list[re.Match]) -> list[list[re.Match]]:
    """Cut a run of capitalised words at English words ("National University of San Marcos")."""
    parts: list[list[re.Match]] = [[]]
    for index, match in enumerate(run):
        word = match.group()
        if word_evidence(word) < -0.5 and not _SPANISH_LETTERS.search(word):
            # A sentence-initial Spanish article ("El Salto Diario reported") is not English.
            if not (index == 0 and word.lower() in _SPANISH_ARTICLES):
                parts.append([])
                continue
        parts[-1].append(match)
    # Joiners cannot end or start a name.
    cleaned = []
    for part in parts:
        while part and part[-1].group() in _NAME_JOINERS:
            part = part[:-1]
        while part and part[0].group() in _NAME_JOINERS:
            part = part[1:]
        if part:
            cleaned.append(part)
    return cleaned


def _merge(intervals: list[tuple[int, int]], text: str = "") -> list[tuple[int, int]]:
    """Sorted union of intervals; with `text`, those only whitespace apart become one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and (start <= merged[-1][1] or (text and not text[merged[-1][1]:start].strip())):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked_spans(sentence: str) -> list[tuple[int, int]]:
    """Spanish set apart by its writing: ¡…! and ¿…?, quotations, names."""
    intervals = [match.span() for match in _INVERTED_PHRASE.finditer(sentence)]
    for start, end in _quoted_regions(sentence):
        intervals.extend(_spanish_parts(sentence, start, end))
    intervals.extend(_spanish_names(sentence))
    return intervals


def spanish_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the Spanish phrases and names inside an English sentence."""
    return _merge(_marked_spans(sentence) + _unquoted_phrases(sentence), sentence)


# ---------------------------------------------------------------- documents

def load_do_not_translate(locales: Path) -> list[str]:
    """Terms of ``locales/do-not-translate.txt``: one per line, ``#`` starts a comment."""
    path = Path(locales) / DO_NOT_TRANSLATE_FILE
    if not path.is_file():
        return []
    if not path.read_bytes().strip():
        return []
    terms: list[str] = []
    for line in read_text(path).splitlines():
        term = "" if line.lstrip().startswith("#") else line.split(" #", 1)[0].strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def _term_intervals(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where each do-not-translate term occurs as a whole word (case-sensitive)."""
    intervals: list[tuple[int, int]] = []
    for term in terms:
        pattern = r"(?<!\w)" + re.escape(term) + r"(?!\w)"
        intervals.extend(m.span() for m in re.finditer(pattern, text))
    return intervals


def segment_language(segment: Segment, paragraph_score: Context = 0.0) -> str:
    """The language of a segment, leaning on its paragraph when its own words say little."""
    words = _WORD.findall(segment.text)
    if len(words) > 1 and not any(w[0].islower() for w in words) and not _INVERTED.search(segment.text):
        # A line of names only ("Ibarra, Ecuador", "By Michael Otto"): English unless strong evidence.
        return SPANISH if language_score(segment.text) >= _NAMES_ONLY_SPANISH else ENGLISH
    return language(segment.text, paragraph_score)


def _without(text: str, intervals: list[tuple[int, int]]) -> str:
    """`text` with the given (start, end) pieces replaced by a space."""
    pieces, cursor = [], 0
    for start, end in intervals:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return " ".join(pieces)


def spans_of(text: str, lang: str, do_not_translate: Sequence[str] = ()) -> list[Span]:
    """Spans covering `text`: protected Spanish phrases and do-not-translate terms, the rest free."""
    if lang == SPANISH:
        return [Span(text, protected=True, lang=SPANISH, reason=SPANISH_REASON)]
    terms = _term_intervals(text, do_not_translate)
    merged = _merge(spanish_spans(text) + terms)
    def protected(start: int, end: int) -> Span:
        reason = DO_NOT_TRANSLATE if any(s <= start and end <= e for s, e in terms) else SPANISH_REASON
        return Span(text[start:end], protected=True, lang=SPANISH, reason=reason)

    return cover(text, [(start, end, protected(start, end)) for start, end in merged])


def detect(doc: Document, do_not_translate: Sequence[str] = (), cache_dir: Path | None = None) -> Document:
    """Set every segment's ``lang`` and ``spans`` in place; returns `doc`. `cache_dir`: the cache folder
    (``Config.cache_dir``) the word frequencies are loaded from, if not loaded yet."""
    load_frequencies(cache_dir)
    for paragraph in doc.paragraphs:
        paragraph_score = lru_cache(maxsize=1)(partial(paragraph_context, paragraph.text))
        for segment in paragraph.segments:
            if paragraph.meta.get("lang") or any(s.protected and s.reason == "markup" for s in segment.spans):
                detect_around_markup(segment, paragraph_score, do_not_translate, paragraph.meta.get("lang"))
                continue
            segment.lang = segment_language(segment, paragraph_score)
            segment.spans = spans_of(segment.text, segment.lang, do_not_translate)
    return doc


def detect_around_markup(segment: Segment, paragraph_score: Context = 0.0,
                         do_not_translate: Sequence[str] = (), lang: str | None = None) -> None:
    """Set lang and spans of a segment holding reader markup, keeping the markup spans as they are.

    Language and Spanish phrases are found in the text with the markup taken
    out, then cut back into the pieces between markup tokens. `lang` is the
    language the source declares for the block (HTML ``lang="es"``), if any.
    """
    pieces = segment.pieces
    plain = "".join(s.text for s in pieces if not _is_markup(s))
    segment.lang = lang or segment_language(Segment(plain), paragraph_score)
    found = [Span(s.text, s.protected, s.lang, s.reason) for s in spans_of(plain, segment.lang, do_not_translate)]
    spans: list[Span] = []
    for piece in pieces:
        if _is_markup(piece):
            spans.append(piece)
            continue
        need = len(piece.text)
        while need and found:
            head = found[0]
            taken = head.text[:need]
            spans.append(Span(taken, head.protected, head.lang, head.reason))
            head.text = head.text[len(taken):]
            need -= len(taken)
            if not head.text:
                found.pop(0)
    segment.spans = [s for s in spans if s.text]


def _is_markup(span: Span) -> bool:
    return span.protected and span.reason == MARKUP
