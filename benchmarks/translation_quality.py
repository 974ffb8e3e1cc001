"""Translation quality on FLORES-200 devtest: raw Apertium beside the pipeline's Apertium path.

Run: .venv/bin/python benchmarks/translation_quality.py [--limit N]

Both columns translate the same English lines in the same run and are scored
with sacreBLEU (defaults: BLEU 13a, chrF) against the Spanish reference:

- raw: ``apertium -u eng-spa`` over the whole file, one process, as a user would run it;
- engine alone: the same lines through ``ApertiumEngine.translate_batch`` (HTML
  format, stream repairs), to tell the engine's cost from the detect stage's;
- pipeline: one segment per line, through the detect stage (Spanish spans and
  names protected, as in a real run) and ``pipeline.translate.translate_segments``
  with the Apertium engine (its stream repairs, protected-span checks and fallback).

Prints BLEU, chrF and words/s for each, the delta, and whether all lines stayed aligned.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import sacrebleu

from pipeline import settings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.model import Document, Paragraph, Segment, Span
from pipeline.translate import translate_segments

FLORES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "flores200-devtest"
ENGLISH = FLORES / "flores200.devtest.eng_Latn.txt"
SPANISH = FLORES / "flores200.devtest.spa_Latn.txt"


def raw_apertium(lines: list[str]) -> list[str]:
    """The lines through ``apertium -u eng-spa`` (plain text format), one process."""
    done = subprocess.run([settings.APERTIUM, "-u", settings.APERTIUM_MODE], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    return done.stdout.split("\n")[: len(lines)]


def pipeline_apertium(lines: list[str]) -> list[str]:
    """The lines as one-sentence segments through detect and the translate stage."""
    doc = Document("flores", [Paragraph([Segment(line)], number) for number, line in enumerate(lines, 1)])
    try:
        from pipeline.detect import detect
    except ImportError:  # detect stage not there yet: engine path alone
        detect = None
    if detect is not None:
        detect(doc)
    segments = list(doc.segments())
    translate_segments(segments, ApertiumEngine(), quiet=True)
    return [segment.translation or segment.text for segment in segments]


def engine_apertium(lines: list[str]) -> list[str]:
    """The lines straight through ApertiumEngine.translate_batch (its repairs, no detect stage)."""
    return ApertiumEngine().translate_batch([[Span(line)] for line in lines])


def protected_count(lines: list[str]) -> int:
    """How many lines the detect stage gives a protected span (names, Spanish)."""
    try:
        from pipeline.detect import detect
    except ImportError:
        return 0
    doc = detect(Document("flores", [Paragraph([Segment(line)], n) for n, line in enumerate(lines, 1)]))
    return sum(1 for s in doc.segments() if any(span.protected for span in s.spans))


def measure(name: str, translate, lines: list[str], references: list[str], words: int) -> dict:
    start = time.perf_counter()
    output = translate(lines)
    seconds = time.perf_counter() - start
    return {
        "name": name,
        "bleu": sacrebleu.corpus_bleu(output, [references]).score,
        "chrf": sacrebleu.corpus_chrf(output, [references]).score,
        "words_per_s": words / seconds,
        "seconds": seconds,
        "aligned": len(output) == len(lines) and all(o.strip() for o in output),
        "lines": len(output),
        "output": output,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="first N lines only (0: all 1012)")
    parser.add_argument("--write", type=Path, help="folder to write raw.txt and pipeline.txt into")
    args = parser.parse_args(argv)
    lines = ENGLISH.read_text(encoding="utf-8").splitlines()
    references = SPANISH.read_text(encoding="utf-8").splitlines()
    if args.limit:
        lines, references = lines[: args.limit], references[: args.limit]
    words = sum(len(line.split()) for line in lines)
    if not ApertiumEngine.available():
        print("Apertium eng-spa is not installed", file=sys.stderr)
        return 1
    results = [measure("raw apertium -u", raw_apertium, lines, references, words),
               measure("engine alone", engine_apertium, lines, references, words),
               measure("pipeline (apertium)", pipeline_apertium, lines, references, words)]
    print(f"FLORES-200 devtest en->es, {len(lines)} lines, {words} words; sacreBLEU {sacrebleu.__version__}")
    print(f"lines with protected spans from detect: {protected_count(lines)}")
    print(f"{'':22}{'BLEU':>8}{'chrF':>8}{'words/s':>10}{'seconds':>9}  aligned")
    for r in results:
        print(f"{r['name']:22}{r['bleu']:8.2f}{r['chrf']:8.2f}{r['words_per_s']:10.0f}{r['seconds']:9.2f}"
              f"  {r['lines']}/{len(lines)} {'yes' if r['aligned'] else 'NO'}")
    raw, _, ours = results
    print(f"{'delta (pipeline-raw)':22}{ours['bleu'] - raw['bleu']:+8.2f}{ours['chrf'] - raw['chrf']:+8.2f}"
          f"{ours['words_per_s'] / raw['words_per_s']:9.2f}x")
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for r, name in zip(results, ("raw.txt", "engine.txt", "pipeline.txt")):
            (args.write / name).write_text("\n".join(r["output"]) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
