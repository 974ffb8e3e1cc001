"""wordfreq's English and Spanish word frequencies for :mod:`pipeline.detect`, kept in a fast-loading form.

Detection weighs each word by its frequency in both languages (wordfreq's "best" lists, 321,180
English and 342,072 Spanish words). Importing wordfreq and building its two dictionaries cost every
run that detects a language anywhere, even a re-run for one changed sentence. Here
the lists are kept in the cache folder (:mod:`pipeline.cache`), keyed by wordfreq's code, version and
the four data files (size and time, found without importing wordfreq), as WORD_BUCKETS buckets of
words each, by a stable hash of the word; a word looked up is found in its bucket (about 40 words) and
remembered, so a run holds the words its text asks about, not 660,000 dict entries.
Loading the cached lists is one read, a digest and one :mod:`marshal` load of 8,192 buckets a language;
building the 660,000 dict entries, even from marshal, cost about as much CPU as wordfreq (0.22 s).

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
from typing import Sequence

from . import cache

LANGUAGES = ("en", "es")
WORD_BUCKETS = 8192
CACHE_NAME = "wordfreq"


class Frequencies:
    """One language's word -> frequency, read from buckets of words as words are looked up."""

    def __init__(self, values: Sequence[float], buckets: Sequence[tuple[str, bytes]]):
        self._values = values  # the distinct frequencies; a bucket's words point into this list
        self._buckets = buckets  # per bucket: its words joined by "\n", and each word's value index (uint16)
        # the words looked up so far, found or not: a run holds what its text asks, not 660,000 entries
        self._seen: dict[str, float | None] = {}

    def get(self, word: str, default: float = 0.0) -> float:
        if word in self._seen:
            value = self._seen[word]
        else:
            words, indexes = self._buckets[_bucket(word)]
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
        for word in frequencies:
            words[_bucket(word)].append(word)
        return values, [("\n".join(bucket), array("H", [index[frequencies[word]] for word in bucket]).tobytes())
                        for bucket in words]


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
        kept = cache.load(cache_dir, CACHE_NAME, key)
        if isinstance(kept, list) and len(kept) == len(LANGUAGES):
            return tuple(Frequencies(values, buckets) for values, buckets in kept)  # type: ignore[return-value]
    from wordfreq import get_frequency_dict

    found = tuple(get_frequency_dict(language) for language in LANGUAGES)
    if key is not None:
        try:
            cache.store(cache_dir, CACHE_NAME, key, [list(Frequencies.packed(table)) for table in found])
        except ValueError:
            pass  # a list this form cannot hold: used as it is, not cached
    return found  # type: ignore[return-value]
