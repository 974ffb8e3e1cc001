"""wordfreq's English and Spanish word frequencies for :mod:`pipeline.detect`, kept in a fast-loading form.

Detection weighs each word by its frequency in both languages (wordfreq's "best" lists, 321,180
English and 342,072 Spanish words). Importing wordfreq and building its two dictionaries cost every
run that detects a language anywhere, even a re-run for one changed sentence. Here
the lists are kept in the cache folder (:mod:`pipeline.cache`), keyed by wordfreq's code, version and
the four data files (size and time, found without importing wordfreq), as WORD_BUCKETS buckets of
words each, by a stable hash of the word; a word looked up is found in its bucket (about 40 words) and
remembered, so a run holds the words its text asks about, not 660,000 dict entries.
Building the 660,000 dict entries, even from marshal, cost about as much CPU as wordfreq (0.22 s).
Each bucket is a section of its own (:func:`pipeline.cache.store_sections`), read when a word of it
is first asked: loading both lists whole (a 7 MB read, its digest, one marshal load) was 25 ms of a
one-document run; a damaged bucket sends its language to wordfreq itself.

Detection's start-up in a fresh process (importing ``pipeline.detect``, the lists, one word judged;
benchmarks/startup.py, medians of seven rounds on this shared 2-core machine): 0.36 s with wordfreq,
0.034 s with a warm cache (0.09x), wordfreq not imported. Memory: the lists held whole were most of a
small run's peak; benchmarks/scale.py's peak RSS at 100 documents 234 -> 166 MB, at 2,024 285 -> 228 MB.

A lookup gives exactly wordfreq's float for the word, or the default: detection is the same, byte
for byte, with a cold cache, a warm one or none (``tests/test_detect_frequencies.py``).
"""
from __future__ import annotations

import sys
import zlib
from array import array
from pathlib import Path
from typing import Callable, Sequence

from . import cache

LANGUAGES = ("en", "es")
WORD_BUCKETS = 8192
CACHE_NAME = "wordfreq"


class Frequencies:
    """One language's word -> frequency, read from buckets of words as words are looked up."""

    def __init__(self, values: Sequence[float], bucket: Callable[[int], tuple[str, bytes] | None], language: str,
                 damaged: Callable[[], None] = lambda: None):
        self._values = values  # the distinct frequencies; a bucket's words point into this list
        # bucket(number): its words joined by "\n", and each word's value index (uint16); None if damaged
        self._bucket = bucket
        self._language = language
        self._damaged = damaged  # called at the first damaged bucket (the kept file is then removed)
        self._wordfreq: dict[str, float] | None = None  # the language's list itself, after a damaged bucket
        # the words looked up so far, found or not: a run holds what its text asks, not 660,000 entries
        self._seen: dict[str, float | None] = {}
        # the buckets read so far, as read (joined words, not split: split, all of them were 30 MB more)
        self._read: dict[int, tuple[str, bytes]] = {}

    def _words_of(self, number: int) -> tuple[str, bytes] | None:
        """Bucket `number`'s words (joined by newlines) and their value indexes, read once; None when damaged."""
        found = self._read.get(number)
        if found is None:
            found = self._bucket(number)
            if found is None:
                return None
            self._read[number] = found
        return found

    def get(self, word: str, default: float = 0.0) -> float:
        if word in self._seen:
            value = self._seen[word]
        elif self._wordfreq is not None:
            value = self._wordfreq.get(word)
        else:
            bucket = self._words_of(_bucket(word))
            if bucket is None:  # damaged: the same numbers from wordfreq, slowly, and the next run stores them again
                from wordfreq import get_frequency_dict

                self._damaged()
                self._wordfreq = get_frequency_dict(self._language)
                return self._wordfreq.get(word, default)
            words, indexes = bucket
            try:
                value = self._values[memoryview(indexes).cast("H")[words.split("\n").index(word)]]
            except ValueError:  # not in the list
                value = None
            self._seen[word] = value
        return default if value is None else value

    @classmethod
    def packed(cls, frequencies: dict[str, float]) -> tuple[list[float], list[tuple[str, bytes]]]:
        """`frequencies` as (values, buckets) for the cache; ValueError when a word holds a newline
        or there are more than 65,536 distinct values (then it is not cached)."""
        values = sorted(set(frequencies.values()))
        if len(values) > 1 << 16 or any("\n" in word for word in frequencies) or "" in frequencies:
            raise ValueError("word list not packable")
        index = {value: number for number, value in enumerate(values)}
        words: list[list[str]] = [[] for _ in range(WORD_BUCKETS)]
        indexes: list[list[int]] = [[] for _ in range(WORD_BUCKETS)]
        crc32 = zlib.crc32  # _bucket, written out: 660,000 calls of it were a third of packing (0.63 -> 0.42 s)
        for word, value in frequencies.items():
            number = crc32(word.encode("utf-8", "surrogatepass")) % WORD_BUCKETS
            words[number].append(word)
            indexes[number].append(index[value])
        return values, [("\n".join(bucket), array("H", numbers).tobytes()) for bucket, numbers in zip(words, indexes)]


def _bucket(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass")) % WORD_BUCKETS


def wordfreq_key() -> str | None:
    """What decides the lists: wordfreq's code, version and data files for LANGUAGES (size and time), and
    this module's code; None when wordfreq is not installed. wordfreq is found, not imported."""
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    files = sorted(package.glob("*.py")) + sorted(path for language in LANGUAGES
                                                  for path in package.glob(f"data/*_{language}.msgpack.gz"))
    versions = sorted(package.parent.glob("wordfreq-*.dist-info"))
    return cache.key_of([*map(cache.stamp, files), [path.name for path in versions], cache.stamp(__file__),
                         WORD_BUCKETS, sys.version, sys.byteorder])


def load(cache_dir: Path | None = None) -> tuple[Frequencies | dict[str, float], Frequencies | dict[str, float]]:
    """English and Spanish frequencies: from the cache in `cache_dir` when it is there and fresh, else from
    wordfreq (and then kept in the cache for the next run)."""
    key = wordfreq_key() if cache_dir is not None else None
    if key is not None:
        kept = cache.load_sections(cache_dir, CACHE_NAME, key)
        if kept is not None and len(kept) == len(LANGUAGES) * (1 + WORD_BUCKETS):
            tables = [_kept_table(kept, number, language) for number, language in enumerate(LANGUAGES)]
            if all(tables):
                return tuple(tables)  # type: ignore[return-value]
    from wordfreq import get_frequency_dict

    found = tuple(get_frequency_dict(language) for language in LANGUAGES)
    if key is not None:
        with cache.building(cache_dir, CACHE_NAME, key) as ours:  # another process packing them: it stores them
            if ours:
                try:
                    packed = [Frequencies.packed(table) for table in found]
                except ValueError:
                    return found  # type: ignore[return-value]  # a list this form cannot hold: not cached
                # sections: each language's values, then every language's buckets
                cache.store_sections(cache_dir, CACHE_NAME, key, [values for values, _ in packed]
                                     + [bucket for _, buckets in packed for bucket in buckets])
    return found  # type: ignore[return-value]


def _kept_table(kept: cache.Sections, number: int, language: str) -> Frequencies | None:
    """Language `number` of the kept sections (None when its values are damaged: wordfreq then)."""
    values = kept.get(number)
    if not isinstance(values, list):
        return None
    first = len(LANGUAGES) + number * WORD_BUCKETS

    def bucket(index: int) -> tuple[str, bytes] | None:
        found = kept.get(first + index)
        return found if isinstance(found, tuple) and len(found) == 2 else None

    return Frequencies(values, bucket, language, kept.discard)
