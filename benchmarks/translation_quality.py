"""Translation quality on FLORES-200 devtest: raw Apertium beside the pipeline's Apertium path.

Run: .venv/bin/python benchmarks/translation_quality.py [--limit N]

Both columns translate the same English lines in the same run and are scored
with sacreBLEU (defaults: BLEU 13a, chrF) against the Spanish reference:

- raw: ``apertium -u eng-spa`` over the whole file, one process, as a user would run it;
- engine alone: the same lines through ``ApertiumEngine.translate_batch`` (HTML
  format, stream repairs, rule modules and unknown words from the Catalan pivot and
  FreeDict), to tell the engine's cost from the detect stage's;
- pipeline: one segment per line, through the detect stage (Spanish spans and
  names protected, as in a real run), the dates stage and ``pipeline.translate.translate_segments``
  with the Apertium engine (its stream repairs, protected-span checks and fallback).

Prints BLEU, chrF and words/s for each, the delta, and whether all lines stayed aligned;
then the same scores on the even and the odd lines apart (the rules were written
from reading devtest output: a gain that holds on both halves is not one line's luck).
With ``--ablation``, the engine alone again with each repair step of
``pipeline/engines/apertium/steps.py`` (STEPS) switched off in turn, and without the pivot
word list or FreeDict (the unknown-words step's dictionaries), and with the opt-in pivot
consensus (Catalan and Galician second opinions) switched on. Each is an
``ApertiumEngine(settings, disabled_steps=...)``: nothing is patched.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import sacrebleu

from pipeline.config import EngineSettings, engine_settings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.steps import STEP_NAMES
from pipeline.model import Document, Paragraph, Segment, Span
from pipeline.translate import translate_segments

FLORES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "flores200-devtest"
ENGLISH = FLORES / "flores200.devtest.eng_Latn.txt"
SPANISH = FLORES / "flores200.devtest.spa_Latn.txt"
PIVOT_CHAINS = (("eng-cat", "cat-spa"), ("en-gl", "gl-es"))  # the opt-in second opinions, for --ablation
SETTINGS: EngineSettings = engine_settings(os.environ)  # this script is a program start, as the CLI


def raw_apertium(lines: list[str]) -> list[str]:
    """The lines through ``apertium -u eng-spa`` (plain text format), one process."""
    done = subprocess.run([SETTINGS.apertium, "-u", SETTINGS.apertium_mode], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    return done.stdout.split("\n")[: len(lines)]


def pipeline_apertium(lines: list[str]) -> list[str]:
    """The lines as one-sentence segments through detect, dates and the translate stage, as `pipeline run`."""
    from pipeline import dates
    from pipeline.detect import detect

    doc = Document("flores", [Paragraph([Segment(line)], number) for number, line in enumerate(lines, 1)])
    dates.apply(detect(doc))
    segments = list(doc.segments())
    translate_segments(segments, ApertiumEngine(SETTINGS), quiet=True)
    return [segment.translation or segment.text for segment in segments]


def engine_apertium(lines: list[str], engine: ApertiumEngine | None = None) -> list[str]:
    """The lines straight through ApertiumEngine.translate_batch (its repairs, no detect stage)."""
    return (engine or ApertiumEngine(SETTINGS)).translate_batch([[Span(line)] for line in lines])


def protected_count(lines: list[str]) -> int:
    """How many lines the detect stage gives a protected span (names, Spanish)."""
    from pipeline.detect import detect

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


def scores(output: list[str], references: list[str]) -> tuple[float, float]:
    return sacrebleu.corpus_bleu(output, [references]).score, sacrebleu.corpus_chrf(output, [references]).score


def ablation(lines: list[str], references: list[str]) -> None:
    """chrF of the engine alone with each repair step off in turn, without each dictionary of the
    unknown-words step, with the pivot consensus on, and with all of the steps and dictionaries off."""
    alone = SETTINGS  # as the environment says: by default, no pivot consensus
    without_dictionaries = replace(alone, apertium_word_pivot=(), freedict="")
    runs = [("all changes", alone, ()),
            ("with pivot consensus", replace(alone, apertium_pivots=PIVOT_CHAINS), ()),
            ("without pivot word list", replace(alone, apertium_word_pivot=()), ()),
            ("without FreeDict unknown words", replace(alone, freedict=""), ())]
    runs += [(f"without {name.replace('-', ' ')}", alone, (name,)) for name in STEP_NAMES]
    runs += [("none of them", without_dictionaries, STEP_NAMES)]
    print(f"\n{'ablation (engine alone)':33}{'BLEU':>8}{'chrF':>8}{'even chrF':>11}{'odd chrF':>10}")
    for label, settings, disabled in runs:
        output = engine_apertium(lines, ApertiumEngine(settings, disabled_steps=frozenset(disabled)))
        bleu, chrf = scores(output, references)
        print(f"{label:33}{bleu:8.2f}{chrf:8.2f}{scores(output[0::2], references[0::2])[1]:11.2f}"
              f"{scores(output[1::2], references[1::2])[1]:10.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="first N lines only (0: all 1012)")
    parser.add_argument("--write", type=Path, help="folder to write raw.txt and pipeline.txt into")
    parser.add_argument("--ablation", action="store_true", help="also score the engine with each change off")
    args = parser.parse_args(argv)
    lines = ENGLISH.read_text(encoding="utf-8").splitlines()
    references = SPANISH.read_text(encoding="utf-8").splitlines()
    if args.limit:
        lines, references = lines[: args.limit], references[: args.limit]
    words = sum(len(line.split()) for line in lines)
    if not ApertiumEngine.available(SETTINGS):
        print("Apertium eng-spa is not installed", file=sys.stderr)
        return 1
    results = [measure("raw apertium -u", raw_apertium, lines, references, words),
               measure("engine alone", engine_apertium, lines, references, words),
               measure("pipeline (apertium)", pipeline_apertium, lines, references, words)]
    print(f"FLORES-200 devtest en->es, {len(lines)} lines, {words} words; sacreBLEU {sacrebleu.__version__}")
    print(f"lines with protected spans from detect: {protected_count(lines)}")
    print("pivot pairs consulted by the engine: "
          + (", ".join(" > ".join(chain) for chain in ApertiumEngine(SETTINGS).available_pivots())
             or "none (PIPELINE_APERTIUM_PIVOTS)"))
    print(f"{'':22}{'BLEU':>8}{'chrF':>8}{'words/s':>10}{'seconds':>9}  aligned")
    for r in results:
        print(f"{r['name']:22}{r['bleu']:8.2f}{r['chrf']:8.2f}{r['words_per_s']:10.0f}{r['seconds']:9.2f}"
              f"  {r['lines']}/{len(lines)} {'yes' if r['aligned'] else 'NO'}")
    raw, _, ours = results
    print(f"{'delta (pipeline-raw)':22}{ours['bleu'] - raw['bleu']:+8.2f}{ours['chrf'] - raw['chrf']:+8.2f}"
          f"{ours['words_per_s'] / raw['words_per_s']:9.2f}x")
    print(f"\n{'halves':22}{'even BLEU':>10}{'chrF':>8}{'odd BLEU':>10}{'chrF':>8}")
    for r in results:
        even, odd = scores(r["output"][0::2], references[0::2]), scores(r["output"][1::2], references[1::2])
        print(f"{r['name']:22}{even[0]:10.2f}{even[1]:8.2f}{odd[0]:10.2f}{odd[1]:8.2f}")
    if args.ablation:
        ablation(lines, references)
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for r, name in zip(results, ("raw.txt", "engine.txt", "pipeline.txt")):
            (args.write / name).write_text("\n".join(r["output"]) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
