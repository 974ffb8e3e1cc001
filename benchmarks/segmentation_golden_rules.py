"""Sentence segmentation against pySBD's Golden Rules, pipeline vs pySBD, in one run.

Usage: python benchmarks/segmentation_golden_rules.py

Rules: the English Golden Rules and Spanish rules of the pySBD test suite
(inputs and expected sentences only, in tests/data/golden_rules.json), plus
the news-text rules this project needs (tests/data/news_segmentation.json).
Speed: sentences per second on the reference article (repeated) and on FLORES
English prose.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.segment import segment_text, split_sentences  # noqa: E402

DATA = ROOT / "tests" / "data"
ARTICLE = ROOT.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"
FLORES = ROOT.parent / "shared" / "eval" / "flores200-devtest"


def pipeline_splitter(lang: str):
    return lambda text: [s for s, _ in split_sentences(text, lang) if s]


def pysbd_splitter(lang: str):
    import pysbd

    segmenter = pysbd.Segmenter(language=lang, clean=False)
    return lambda text: [s.strip() for s in segmenter.segment(text) if s.strip()]


def passes(split, cases) -> tuple[int, list[str]]:
    failed = [case["text"] for case in cases if split(case["text"]) != case["expected"]]
    return len(cases) - len(failed), failed


def sentences_per_second(split, paragraphs: list[str], repeat: int) -> float:
    start = time.perf_counter()
    count = 0
    for _ in range(repeat):
        for paragraph in paragraphs:
            count += len(split(paragraph))
    return count / (time.perf_counter() - start)


def main() -> None:
    golden = json.loads((DATA / "golden_rules.json").read_text(encoding="utf-8"))
    news = json.loads((DATA / "news_segmentation.json").read_text(encoding="utf-8"))
    sets = [("English Golden Rules", "en", golden["en"]), ("Spanish rules", "es", golden["es"]),
            ("news-text rules", "en", news)]
    print("| rule set | rules | pipeline passes | pySBD passes |")
    print("|---|---|---|---|")
    failures = []
    for name, lang, cases in sets:
        ours, our_failed = passes(pipeline_splitter(lang), cases)
        theirs, their_failed = passes(pysbd_splitter(lang), cases)
        print(f"| {name} | {len(cases)} | {ours} | {theirs} |")
        failures += [(name, "pipeline", t) for t in our_failed] + [(name, "pySBD", t) for t in their_failed]
    for name, who, text in failures:
        print(f"  {who} fails ({name}): {text[:90]}")

    text = ARTICLE.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    repeat = 20
    ours = sentences_per_second(pipeline_splitter("en"), paragraphs, repeat)
    theirs = sentences_per_second(pysbd_splitter("en"), paragraphs, repeat)
    flores = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    prose = [" ".join(flores[i:i + 3]) for i in range(0, len(flores) - 2, 3)]
    ours_prose = sentences_per_second(pipeline_splitter("en"), prose, 1)
    theirs_prose = sentences_per_second(pysbd_splitter("en"), prose, 1)
    start = time.perf_counter()
    for _ in range(repeat):
        segment_text(text, "article")
    whole = (time.perf_counter() - start) / repeat
    print()
    count = sum(1 for _ in segment_text(text, "a").segments())
    print("| sentences per second | reference article (quote-heavy news) | FLORES English, 3-sentence paragraphs |")
    print("|---|---|---|")
    print(f"| pipeline split_sentences | {ours:,.0f} | {ours_prose:,.0f} |")
    print(f"| pySBD alone | {theirs:,.0f} | {theirs_prose:,.0f} |")
    print(f"| pipeline segment_text, whole article ({count} segments, kinds and all) | {count / whole:,.0f} | |")


if __name__ == "__main__":
    main()
