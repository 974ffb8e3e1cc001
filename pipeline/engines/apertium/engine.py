"""Apertium English-to-Spanish (Debian ``apertium-eng-spa``, mode ``eng-spa``): the engine.

A whole batch goes through one ``apertium -f html -u eng-spa`` process
(:mod:`.process`). Each segment travels as one numbered ``<p>`` block, so N
segments in always come back as N translations: text is HTML-escaped, so the only
tags in the output are ours. Protected spans ride inside ``<apertium-notrans>``,
which the HTML deformatter passes through untouched as a superblank.

The pair's own mode runs with the repair steps of :mod:`.steps` spliced into its pipe,
each after the program whose fault it fixes; the output steps (thousands separators,
angle quotes, the post-generator's slips) run here on each segment's text, kept spans
masked. ``disabled_steps`` switches any of them off (the benchmark's ablation).
Before the batch runs, the words the pair does not know are looked up alone through
the English-Catalan-Spanish pivot (:func:`.unknown_words.pivot_words`), once a machine: the answers
are kept in the cache folder (``settings.cache_dir``), as are FreeDict's parsed senses.

Second opinions (opt-in, ``settings.apertium_pivots``): the same batch also goes through
other installed chains, such as English-Catalan-Spanish and English-Galician-Spanish, in
parallel, and each segment takes the candidate most like the others (:mod:`.consensus`).
The pivots have faults of their own, but rarely the same ones: a word one pair
mistranslates costs that candidate agreement. They do not get the repair steps, though,
and since those came in the eng-spa pair alone scores better: engine chrF on FLORES
devtest 46.60 alone, 45.91 with the Catalan and Galician votes
(benchmarks/translation_quality.py --ablation).

Speed (benchmarks/engine_speed.py, one run, medians of five rounds, this 2-core machine shared with
other jobs): the engine alone against raw ``apertium -u eng-spa`` on FLORES devtest x4 (4,048
sentences, benchmarks/scale.py's corpus) 0.67x raw throughput (0.70x in CPU seconds), 0.56x (0.57x)
before the in-pipe programs were reworked; on the 1,012 sentences 0.52x (0.53x), 0.41x (0.44x) before.
What it costs above raw: the five in-pipe Python programs (:mod:`.steps`; 4.8 CPU seconds on the
4,048 sentences before their rework, 1.9 after; a batch of at most :data:`IN_PROCESS_SEGMENTS` runs them
in threads of this process instead, without their five starts: one sentence 0.18 s against 0.38 s, 0.46x
the CPU), the pivot word list (two more Apertium modes, 0.7 CPU
seconds whatever the batch, most of it their start-up; now only for words the cache folder has not seen,
:mod:`pipeline.cache`) and the HTML round trip. Output unchanged, byte
for byte, on FLORES devtest and the reference article.
"""
from __future__ import annotations

import hashlib
import html
import re
import shutil
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Collection, Sequence

from ...config import EngineSettings
from ...errors import EngineError
from ...model import Span
from ..base import Engine
from .consensus import most_agreed
from .process import (blocks, install_relayed_mode, install_repaired_mode, installed_modes, mode_data_files,
                      package_code, read_blocks, system_mode_file, translate, translate_chain, translate_relayed)
from .steps import STEP_NAMES, STEPS, Dictionaries, output_fixes, pipe_groups, pipe_splices, repair_pipe
from .unknown_words import WordList, pivot_words

_KEPT = re.compile(r"<apertium-notrans>(.*?)</apertium-notrans>", re.DOTALL)
# kept text stands in as private-use characters (plane 15) while the output fixes run over the translation
_KEPT_MARK = 0xF0000
_KEPT_MARKS = re.compile("[\U000F0000-\U000FFFFD]")

# A batch of at most this many segments runs the pipe's repair steps in threads of this process
# (:func:`.process.translate_relayed`); a larger one in their five in-pipe programs. In threads the steps
# cost no start (~60 ms of CPU a program) but share one core (the GIL) with every other batch of the
# process; as programs they run beside apertium's own on all cores. benchmarks/engine_speed.py --only-small
# (this shared 2-core machine, medians of 3 rounds, threads/programs wall): one batch 0.49x at 1 segment,
# 0.66x at 50, 0.69x at 200, 0.64x at 500, 0.71x at 1,000, 0.78x at 2,024; two batches at once (--jobs 2)
# 0.41x, 0.46x, 0.57x, 0.61x at 500, then 0.98x at 1,000 and 0.94x at 2,024: the gain ends near 1,000
# segments two at a time here, and with more cores the programs run in parallel; 500 keeps the clear gain.
IN_PROCESS_SEGMENTS = 500


class ApertiumEngine(Engine):
    """Rule-based translation through the ``apertium`` command, with repair steps in its pipe."""

    name = "apertium"
    unavailable = "Apertium eng-spa is not installed: apt-get install apertium-eng-spa"
    concurrent_runs = True  # every batch is its own apertium processes

    def __init__(self, settings: EngineSettings = EngineSettings(), disabled_steps: Collection[str] = frozenset()):
        """`disabled_steps`: names from :data:`.steps.STEPS` to leave out (EngineError for an unknown name)."""
        unknown = set(disabled_steps) - set(STEP_NAMES)
        if unknown:
            raise EngineError(f"unknown Apertium repair step {', '.join(sorted(unknown))} "
                              f"(choose from {', '.join(STEP_NAMES)})")
        self.settings = settings
        self.disabled_steps = frozenset(disabled_steps)
        self.steps = [step for step in STEPS if step.name not in disabled_steps]
        self.fixes = output_fixes(self.steps)

    def __reduce__(self):
        """Pickled as its settings and the steps left out (a Dask worker makes its own, with its own apertium)."""
        return (type(self), (self.settings, self.disabled_steps))

    @classmethod
    def available(cls, settings: EngineSettings = EngineSettings()) -> bool:
        """True when the apertium executable is on the path and the eng-spa mode file is installed where
        apertium looks (:func:`.process.system_mode_file`). Asking ``apertium -l`` instead cost 40 ms of
        every run, an unchanged re-run of 2,024 documents included (0.4 s)."""
        return shutil.which(settings.apertium) is not None and system_mode_file(settings) is not None

    @cached_property
    def version(self) -> str:
        """The mode and a digest of what decides the output: the mode file and the data files it names
        (size and time), the settings, the steps on, and this package's code."""
        digest = hashlib.sha256(repr((self.settings, [step.name for step in self.steps])).encode())
        mode = system_mode_file(self.settings)
        if mode is not None:
            text = mode.read_text(encoding="utf-8")
            digest.update(text.encode())
            for name in mode_data_files(text):
                path = Path(name)
                if path.is_file():
                    stat = path.stat()
                    digest.update(f"{name} {stat.st_size} {stat.st_mtime_ns}".encode())
        digest.update(bytes.fromhex(package_code()))
        return f"{self.settings.apertium_mode} {digest.hexdigest()[:16]}"

    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        """Translate every segment in one apertium process; protected spans pass through verbatim.

        With pivot pairs installed (settings.apertium_pivots), the same batch also goes through
        them, at the same time, and each segment takes the translation most like the others.
        """
        texts = ["".join(s.text for s in spans) for spans in segments]
        results = list(texts)  # whitespace-only segments stay as they are
        batch = blocks((i, encode(spans)) for i, (spans, text) in enumerate(zip(segments, texts))
                               if text.strip())
        if not batch:
            return results
        pivots = self.available_pivots()
        words = [span.text for spans in segments for span in spans if not span.protected]
        if pivots:
            from concurrent.futures import ThreadPoolExecutor  # here: with logging, 3 ms of a one-document run

            with ThreadPoolExecutor(max_workers=len(pivots)) as pool:
                seconds = [pool.submit(translate_chain, self.settings, chain, batch)  # they need no word list
                           for chain in pivots]
                runs = [self._run(batch, words, len(segments))] + [run.result() for run in seconds]
        else:
            runs = [self._run(batch, words, len(segments))]
        outputs = [read_blocks(run) for run in runs]
        for index, (spans, text) in enumerate(zip(segments, texts)):
            if not text.strip():
                continue
            if index not in outputs[0]:
                raise EngineError(f"apertium lost segment {index + 1} of {len(segments)} (output not aligned)")
            candidates = [follow_source_edges(text, decode(outputs[0][index], self.fixes))]
            kept = [span.output for span in spans if span.protected]
            for output in outputs[1:]:
                if index in output:
                    candidate = follow_source_edges(text, tidy(decode(output[index], self.fixes)))
                    if all(span in candidate for span in kept):
                        candidates.append(candidate)
            results[index] = candidates[most_agreed(candidates)]
        return results

    def available_pivots(self) -> list[tuple[str, ...]]:
        """The chains of settings.apertium_pivots whose modes are all installed."""
        if not self.settings.apertium_pivots:
            return []  # no `apertium -l` (40 ms) in front of every batch when none is asked for (the default)
        installed = installed_modes(self.settings.apertium)
        return [chain for chain in self.settings.apertium_pivots if all(mode in installed for mode in chain)]

    def _run(self, batch: str, texts: Sequence[str], size: int) -> str:
        """The batch through the eng-spa mode with the pipe steps spliced in (the installed mode unchanged
        when they cannot be); `texts`: what the pivot word list for the unknown-words step is made from.

        The word list is made while the pipe already runs: the unknown-words step sits after postchunk and
        waits for the file only when the stream reaches it (:meth:`.unknown_words.UnknownWords.load`), so
        the analyser, tagger and transfer work meanwhile. The look-up was a second in front of every batch
        on FLORES devtest (two Apertium modes started for the unknown words).

        A batch of `size` segments up to :data:`IN_PROCESS_SEGMENTS` has its steps run in threads of this
        process; a larger one in the in-pipe programs. Either way the output is the same, byte for byte."""
        with tempfile.TemporaryDirectory(prefix="pipeline-apertium-") as folder:
            datadir = Path(folder)
            words_file = datadir / "unknown-words.tsv"
            dictionaries = Dictionaries((str(words_file),), self.settings.freedict, str(self.settings.cache_dir or ""))
            if size <= IN_PROCESS_SEGMENTS:
                groups = pipe_groups(self.steps)
                fifos = install_relayed_mode(self.settings, datadir, [position for position, _ in groups])
                if fifos is None:
                    return translate(self.settings, self.settings.apertium_mode, batch)
                relays = [(inward, outward, _program(group, dictionaries), ",".join(step.name for step in group))
                          for (inward, outward), (_, group) in zip(fifos, groups)]
                run = lambda: translate_relayed(self.settings, batch, datadir, relays)  # noqa: E731
            else:
                if not install_repaired_mode(self.settings, datadir, pipe_splices(self.steps, dictionaries)):
                    return translate(self.settings, self.settings.apertium_mode, batch)
                run = lambda: translate(self.settings, self.settings.apertium_mode, batch, datadir=datadir)  # noqa: E731
            import threading  # a thread, not concurrent.futures: with logging, 3 ms of a one-document run

            failed: list[BaseException] = []

            def look_up() -> None:
                try:
                    self._write_word_list(texts, words_file)
                except BaseException as error:  # noqa: BLE001  (handed to the batch below)
                    failed.append(error)

            lookup = threading.Thread(target=look_up, name="pivot word list", daemon=True)
            lookup.start()
            try:
                output = run()
            finally:
                lookup.join()
                if failed:
                    raise failed[0]  # its error, if any, is the batch's
            return output

    def _write_word_list(self, texts: Sequence[str], path: Path) -> None:
        """The pivot word list into `path`, renamed into place whole (empty when the pivot is not installed:
        the step then has FreeDict alone, as with no list). Written even on failure, so the pipe never waits
        for a file that will not come."""
        words: WordList | None = None
        try:
            words = pivot_words(texts, self.settings)
        finally:
            partial = path.with_suffix(".partial")
            (words or WordList({})).save(partial)
            partial.replace(path)


def _program(steps: Sequence, dictionaries: Dictionaries):
    """One relay's thread program: `steps` over the stream, as the in-pipe program runs them."""
    return lambda stdin, stdout: repair_pipe(steps, dictionaries, stdin, stdout)


def encode(spans: Sequence[Span]) -> str:
    """The HTML apertium reads for one segment: text escaped, protected spans in <apertium-notrans>."""
    parts = []
    for span in spans:
        if span.protected:
            parts.append(f"<apertium-notrans>{html.escape(span.output, quote=False)}</apertium-notrans>")
        else:
            parts.append(html.escape(span.text, quote=False))
    return "".join(parts)


def decode(body: str, fixes: Sequence = output_fixes(STEPS)) -> str:
    """Plain text from apertium's HTML output for one segment, with the output `fixes` run outside kept text."""
    pieces = _KEPT.split(body)
    kept = [html.unescape(piece) for piece in pieces[1::2]]
    text = "".join(html.unescape(piece) + (chr(_KEPT_MARK + i) if i < len(kept) else "")
                   for i, piece in enumerate(pieces[0::2]))
    for fix in fixes:
        text = fix(text)
    return _KEPT_MARKS.sub(lambda m: kept[ord(m.group()) - _KEPT_MARK], text)


def tidy(text: str) -> str:
    """A pivot's output without blanks before closing punctuation or repeated spaces."""
    return re.sub(r" {2,}", " ", re.sub(r" +(?=[.,;:!?)\]}…%»])", "", text))


def follow_source_edges(source: str, translation: str) -> str:
    """The translation with the source's outer whitespace, and a lowercase start where the source has one.

    Apertium capitalises every sentence start; a segment that starts lowercase
    (e.g. the words after a kept span) must not come back capitalised.
    """
    lead = source[: len(source) - len(source.lstrip())]
    tail = source[len(source.rstrip()):]
    translation = translation.strip()
    first_source_word = re.match(r"\W*(\w+)", source)
    first_word = re.match(r"(\W*)(\w+)", translation)
    if (first_source_word and first_word and first_source_word.group(1)[0].islower()
            and first_word.group(2)[0].isupper() and first_word.group(2) not in source):
        start = first_word.start(2)
        translation = translation[:start] + translation[start].lower() + translation[start + 1:]
    return lead + translation + tail

