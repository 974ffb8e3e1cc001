"""How a run uses an engine: each distinct segment once per run, and a batch split across concurrent runs.

:class:`CachedEngine` keeps every translation the run got, keyed by the engine's name
and version and the masked segment (its spans: text, protected or not, output), so a
segment that recurs in another chunk of documents, or comes back through the
protected-span fallback, is not sent again. On FLORES devtest made into 2,024
documents (four copies of each sentence behind different lead-ins) that is the
difference between the engine seeing every copy and seeing each sentence once.

:class:`PartitionedEngine` cuts a batch into contiguous partitions of at most
:data:`PARTITION_SEGMENTS` segments and runs them through a `map` (threads for local
Apertium processes, at most `parts` at a time; a Dask client's tasks for a cluster),
joining the results in order. The cut never depends on how many run at once: Apertium's
output for a segment depends on the segments before it in the same run (``apertium-tagger``
keeps state across the whole stream: on FLORES devtest, "waved" in "At one point a member of
the mob waved the head ..." is tagged a past participle when "He used to frequent a cave that
became known as “Hira‘” ..." came 15 sentences earlier in the run, a past tense otherwise), so
partitions cut by the number of jobs gave ``--jobs 2`` other words than ``--jobs 1`` (2 of 1,000
FLORES documents). With a fixed cut, tests/test_scale.py checks ``--jobs 2`` and Dask byte for
byte against ``--jobs 1``.
"""
from __future__ import annotations

from typing import Callable, Sequence

from ..model import Span
from .base import Engine

Key = tuple[tuple[str, bool, str], ...]
PartitionMap = Callable[[Callable[[list], list[str]], list[list]], list[list[str]]]
# Most segments per engine run. A batch is cut into as few partitions as that allows, of equal size. Each
# run costs its start-up (about 1 CPU second and 0.5 s of wall time for one sentence through the repaired
# eng-spa mode, 0.13 s raw), and one run already keeps two cores busy (Apertium is a pipe of a dozen
# programs), so runs are cut only for batches a single pipe would take long over: at 600, the 2,024
# documents of benchmarks/scale.py went through 9 runs and their first run took 19.7 s; at 5,000, 3 runs
# (one batch and the protected-span retries) and 15.1 s, the same run otherwise.
PARTITION_SEGMENTS = 5000


def masked(spans: Sequence[Span]) -> Key:
    """What decides a segment's translation: each span's text, whether it is protected, and its output."""
    return tuple((span.text, span.protected, span.output) for span in spans)


class CachedEngine(Engine):
    """An engine that translates each distinct masked segment once in the life of this object (one run)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.name = engine.name
        self.unavailable = engine.unavailable
        self.cache: dict[tuple[str, str, Key], str] = {}
        self.calls = 0  # batches that reached the engine
        self.sent = 0  # segments the engine translated
        self.hits = 0  # segments answered from the cache

    @classmethod
    def available(cls, settings=None) -> bool:  # the wrapped engine was made, so it is available
        return True

    @property
    def version(self) -> str:
        return self.engine.version

    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        prefix = (self.engine.name, self.engine.version)
        keys = [(*prefix, masked(spans)) for spans in segments]
        missing = list(dict.fromkeys(key for key in keys if key not in self.cache))
        self.hits += len(keys) - sum(1 for key in keys if key in missing)
        if missing:
            by_key = {key: spans for key, spans in zip(keys, segments)}
            results = self.engine.translate_batch([by_key[key] for key in missing])
            self.calls += 1
            self.sent += len(missing)
            self.cache.update(zip(missing, results))
        return [self.cache[key] for key in keys]


class PartitionedEngine(Engine):
    """An engine whose batches are cut into equal partitions of at most :data:`PARTITION_SEGMENTS` segments,
    translated through `map` (`parts` at a time)."""

    def __init__(self, engine: Engine, parts: int, map_partitions: PartitionMap | None = None):
        self.engine = engine
        self.name = engine.name
        self.unavailable = engine.unavailable
        self.parts = max(1, parts)
        self.map_partitions = map_partitions or _threads

    @classmethod
    def available(cls, settings=None) -> bool:
        return True

    @property
    def version(self) -> str:
        return self.engine.version

    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        if len(segments) <= PARTITION_SEGMENTS:
            return self.engine.translate_batch(segments)
        count = -(-len(segments) // PARTITION_SEGMENTS)
        size = -(-len(segments) // count)
        partitions = [list(segments[i:i + size]) for i in range(0, len(segments), size)]
        results: list[str] = []
        for start in range(0, len(partitions), self.parts):  # `parts` runs at a time
            group = partitions[start:start + self.parts]
            results += [text for part in self.map_partitions(self.engine.translate_batch, group) for text in part]
        return results


def _threads(translate: Callable[[list], list[str]], partitions: list[list]) -> list[list[str]]:
    """Partitions through `translate` in threads: each Apertium run is its own processes, so threads suffice."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(partitions)) as pool:
        return list(pool.map(translate, partitions))
