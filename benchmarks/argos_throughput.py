"""Argos throughput with the tiny test model: the pipeline's engine against raw CTranslate2 and argostranslate.

Translates the reference article repeated to about 5,000 segments and prints
segments/second for
  (a)  the pipeline's ArgosEngine.translate_batch (tokenize, batch, decode),
  (a') the same with the article's Spanish phrases protected (placeholders, fallback),
  (b)  raw ctranslate2.Translator.translate_batch on the same pre-tokenized segments,
  (c)  argostranslate's translate() called once per segment,
and the ratios a/b (target >= 0.9) and a/c.

(c) runs offline only with argostranslate's sentence splitter replaced by one that
returns the segment whole: its default MiniSBD splitter downloads a model at first
use and Stanza always fetches its resources list. Everything else in (c) is argostranslate's.

Usage: .venv/bin/python benchmarks/argos_throughput.py [SEGMENTS]
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"
REPEATS = 3
SPANISH = ["¡Que se vayan todos!", "Toma de Lima", "Cuatro Suyos", "El Salto Diario", "Wayka Perú",
           "Resumen Latinoamericano"]

sys.path.insert(0, str(REPO / "tests"))
from tinyargos import build_package, isolated_env  # noqa: E402


def article_segments(count: int) -> list[str]:
    """The reference article's sentences, repeated to `count` segments (the pipeline's splitter if present)."""
    text = CORPUS.read_text(encoding="utf-8")
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    try:
        from pipeline.segment import split_sentences

        one = [s for p in paragraphs for s, _ in split_sentences(p) if s.strip()]
    except ImportError:
        one = [s for p in paragraphs for s in re.split(r"(?<=[.!?”])\s+", p) if s.strip()]
    return (one * (count // len(one) + 1))[:count]


def spans_of(sentence: str):
    """Spans with the known Spanish phrases protected."""
    from pipeline.model import Span

    pattern = "|".join(re.escape(p) for p in SPANISH)
    spans, at = [], 0
    for match in re.finditer(pattern, sentence):
        if match.start() > at:
            spans.append(Span(sentence[at:match.start()]))
        spans.append(Span(match.group(), protected=True, lang="es", reason="spanish"))
        at = match.end()
    if at < len(sentence):
        spans.append(Span(sentence[at:]))
    return spans


def best_time(run, repeats: int) -> float:
    """The fastest of `repeats` runs, in seconds (other work on the machine only slows runs down)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def report(label: str, count: int, seconds: float) -> float:
    rate = count / seconds
    print(f"{label:<56} {count:>6} segments {seconds:7.2f} s {rate:9.1f} seg/s", flush=True)
    return rate


class WholeSegment:
    """A sentence splitter that keeps the segment whole (segments arrive already split)."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    workdir = Path(tempfile.mkdtemp(prefix="argos-bench-"))
    os.environ.update(isolated_env(workdir))  # before argostranslate is imported
    build_started = time.perf_counter()
    package_file = build_package(workdir / "translate-en_es-tiny.argosmodel")
    print(f"tiny model built in {time.perf_counter() - build_started:.2f} s: {package_file}")

    import ctranslate2
    from argostranslate import settings as argos_settings
    from argostranslate import translate as argos_translate

    from pipeline.config import engine_settings
    from pipeline.engines import argos_models
    from pipeline.engines.argos import ArgosEngine
    from pipeline.model import Span

    argos_models.install_file(package_file)
    segments = article_segments(count)
    protected = [spans_of(s) for s in segments]
    print(f"{len(segments)} segments ({sum(len(s) for s in segments)} characters), "
          f"{sum(any(x.protected for x in p) for p in protected)} with protected Spanish; "
          f"{os.cpu_count()} cores")

    engine = ArgosEngine(engine_settings(os.environ))  # this benchmark is a program start: PIPELINE_ARGOS_* apply
    engine.load()  # model loads are not part of any figure
    print(f"engine: beam {engine.beam_size}, batch {engine.batch_size} segments, {engine.threads} threads, "
          f"compute type {argos_settings.compute_type}; best of {REPEATS} runs each, (a) and (b) interleaved")
    plain = [[Span(s)] for s in segments]

    tokenizer = engine._package.tokenizer
    tokens = [tokenizer.encode(s) for s in segments]
    translator = ctranslate2.Translator(str(engine.model.path / "model"), device=argos_settings.device,
                                        compute_type=argos_settings.compute_type,
                                        inter_threads=1, intra_threads=engine.threads)

    def raw() -> None:
        translator.translate_batch(tokens, replace_unknowns=True, beam_size=engine.beam_size, num_hypotheses=1,
                                   length_penalty=0.2, max_batch_size=engine.batch_size, batch_type="examples")

    seconds_a, seconds_b = [], []
    for _ in range(REPEATS):
        seconds_a.append(best_time(lambda: engine.translate_batch(plain), 1))
        seconds_b.append(best_time(raw, 1))
    rate_a = report("(a)  pipeline ArgosEngine.translate_batch", count, min(seconds_a))
    rate_b = report("(b)  raw ctranslate2 translate_batch, pre-tokenized", count, min(seconds_b))
    report("(a') (a) with the Spanish phrases protected", count,
           best_time(lambda: engine.translate_batch(protected), REPEATS))

    translation = argos_translate.get_translation_from_codes("en", "es")
    translation.underlying.sentencizer = WholeSegment()  # offline: no MiniSBD/Stanza download
    translation.translate(segments[0])  # model load is not part of the figure
    rate_c = report("(c)  argostranslate translate() per segment", count,
                    best_time(lambda: [translation.translate(s) for s in segments], 1))

    print(f"a/b = {rate_a / rate_b:.2f}  (target >= 0.9)")
    print(f"a/c = {rate_a / rate_c:.2f}")


if __name__ == "__main__":
    main()
