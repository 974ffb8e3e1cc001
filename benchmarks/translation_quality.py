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
With ``--ablation``, the engine alone again with each quality change switched off in turn,
and with the opt-in pivot consensus (Catalan and Galician second opinions) switched on.
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
PIVOT_CHAINS = [["eng-cat", "cat-spa"], ["en-gl", "gl-es"]]  # the opt-in second opinions, for --ablation


def raw_apertium(lines: list[str]) -> list[str]:
    """The lines through ``apertium -u eng-spa`` (plain text format), one process."""
    done = subprocess.run([settings.APERTIUM, "-u", settings.APERTIUM_MODE], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    return done.stdout.split("\n")[: len(lines)]


def pipeline_apertium(lines: list[str]) -> list[str]:
    """The lines as one-sentence segments through detect, dates and the translate stage, as `pipeline run`."""
    from pipeline import dates
    from pipeline.detect import detect

    doc = Document("flores", [Paragraph([Segment(line)], number) for number, line in enumerate(lines, 1)])
    dates.apply(detect(doc))
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


def scores(output: list[str], references: list[str]) -> tuple[float, float]:
    return sacrebleu.corpus_bleu(output, [references]).score, sacrebleu.corpus_chrf(output, [references]).score


# The stream repairs run in apertium's pipe as `python -m MODULE`: this module, written to a
# temporary folder, switches the named ones off there before running the engine's entry point.
_ABLATION_RUNNER = """import os, sys
import pipeline.engines.apertium as engine
off = os.environ.get("ABLATION_OFF", "").split(",")
if "analysis disambiguation" in off: engine.disambiguate = list
if "transfer fixes" in off: engine.fix_transfer = list
if "English rules" in off: engine.english_rules.edit_tagged = list
if "lexical choices" in off: engine.lexical_choice.choose = list
if "Spanish rules" in off: engine.spanish_rules.edit_postchunk = list
sys.exit(engine.main(sys.argv[1:]))
"""


def ablation(lines: list[str], references: list[str]) -> None:
    """chrF of the engine alone with each quality change off in turn, and with all of them off."""
    import os
    import tempfile

    from pipeline.engines import apertium

    changes = ["pivot word list", "FreeDict unknown words", "thousands", "angle quotes",
               "analysis disambiguation", "transfer fixes", "English rules", "lexical choices", "Spanish rules"]
    saved = (apertium.__name__, apertium.spanish_thousands, apertium.spanish_quotes,
             os.environ.get("PYTHONPATH"), os.environ.get("PIPELINE_FREEDICT"))
    pivots, word_pivot = settings.APERTIUM_PIVOTS, settings.APERTIUM_WORD_PIVOT
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "ablation_runner.py").write_text(_ABLATION_RUNNER)
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, saved[3]]))
        apertium.__name__ = "ablation_runner"
        print(f"\n{'ablation (engine alone)':33}{'BLEU':>8}{'chrF':>8}{'even chrF':>11}{'odd chrF':>10}")
        try:
            for off in [[], ["+pivots"]] + [[change] for change in changes] + [changes]:
                os.environ["ABLATION_OFF"] = ",".join(off)
                os.environ["PIPELINE_FREEDICT"] = "/nonexistent" if "FreeDict unknown words" in off else (
                    saved[4] or settings.FREEDICT_ENG_SPA)
                settings.APERTIUM_PIVOTS = PIVOT_CHAINS if "+pivots" in off else pivots
                settings.APERTIUM_WORD_PIVOT = [] if "pivot word list" in off else word_pivot
                apertium.spanish_thousands = (lambda text: text) if "thousands" in off else saved[1]
                apertium.spanish_quotes = (lambda text: text) if "angle quotes" in off else saved[2]
                output = engine_apertium(lines)
                label = ("all changes" if not off else "none of them" if off == changes
                         else "with pivot consensus" if off == ["+pivots"] else f"without {off[0]}")
                bleu, chrf = scores(output, references)
                print(f"{label:33}{bleu:8.2f}{chrf:8.2f}{scores(output[0::2], references[0::2])[1]:11.2f}"
                      f"{scores(output[1::2], references[1::2])[1]:10.2f}")
        finally:
            apertium.__name__, apertium.spanish_thousands, apertium.spanish_quotes = saved[:3]
            settings.APERTIUM_PIVOTS, settings.APERTIUM_WORD_PIVOT = pivots, word_pivot
            for name, value in (("PYTHONPATH", saved[3]), ("PIPELINE_FREEDICT", saved[4])):
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


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
    if not ApertiumEngine.available():
        print("Apertium eng-spa is not installed", file=sys.stderr)
        return 1
    results = [measure("raw apertium -u", raw_apertium, lines, references, words),
               measure("engine alone", engine_apertium, lines, references, words),
               measure("pipeline (apertium)", pipeline_apertium, lines, references, words)]
    print(f"FLORES-200 devtest en->es, {len(lines)} lines, {words} words; sacreBLEU {sacrebleu.__version__}")
    print(f"lines with protected spans from detect: {protected_count(lines)}")
    from pipeline.engines.apertium import available_pivots
    print("pivot pairs consulted by the engine: "
          + (", ".join(" > ".join(chain) for chain in available_pivots()) or "none (PIPELINE_APERTIUM_PIVOTS)"))
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
