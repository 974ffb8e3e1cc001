"""English/Spanish identification and Spanish-span finding, measured side by side.

Usage: python benchmarks/langid_accuracy.py [--quick]

1. Language identification on FLORES-200 devtest: spans made of the first k
   words of each sentence (k = 1..3 and 4..6) and whole sentences, English and
   Spanish in equal numbers. The pipeline's thresholds were set looking at the
   even-numbered sentences only, so the table is computed on the odd-numbered
   ones (held out). Then the hand-written news cases (tests/data/langid_news.tsv).
2. Spanish spans inside English sentences (pipeline.detect.spanish_spans):
   precision and recall on tests/data/spanish_spans.txt (used while building
   the finder), tests/data/spanish_spans_heldout.txt and spanish_spans_heldout2.txt
   (written afterwards; each file's header says what was changed after its first run)
   and the hand-labelled reference article
   (tests/data/peru-article-spans.tsv). Spans must match exactly; Spanish names
   written the same in both languages (Pedro Castillo) count either way.

Time per span is wall time of one call on this machine (models loaded beforehand).
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import detect  # noqa: E402

SHARED = ROOT.parent / "shared"
FLORES = SHARED / "eval" / "flores200-devtest"
ARTICLE = SHARED / "corpus" / "peru-2023-coup-protests.txt"
DATA = ROOT / "tests" / "data"


# ------------------------------------------------------------------ detectors

def langdetect_top():
    """langdetect with all its languages, seeded; the likelier of en/es."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            probabilities = {p.lang: p.prob for p in detect_langs(text)}
        except LangDetectException:
            return "en"
        return "es" if probabilities.get("es", 0) > probabilities.get("en", 0) else "en"
    return run


def langdetect_limited():
    """langdetect with only the English and Spanish profiles, seeded."""
    def run(text: str) -> str:
        return "es" if detect.langdetect_spanish_probability(text) > 0.5 else "en"
    return run


def lingua_high():
    from lingua import Language, LanguageDetectorBuilder

    detector = (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
                .with_preloaded_language_models().build())

    def run(text: str) -> str:
        return "es" if detector.detect_language_of(text) == Language.SPANISH else "en"
    return run


def langid_restricted():
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=False)
    identifier.set_languages(["en", "es"])

    def run(text: str) -> str:
        return identifier.classify(text)[0]
    return run


DETECTORS = {
    "langdetect, seeded, top of en/es": langdetect_top,
    "langdetect limited to en/es": langdetect_limited,
    "lingua, en/es, high accuracy": lingua_high,
    "langid, restricted to en/es": langid_restricted,
    "pipeline language()": lambda: detect.language,
}


# ------------------------------------------------------------------ data

def flores_buckets(quick: bool) -> dict[str, list[tuple[str, str]]]:
    """(lang, span) lists per length bucket, from the held-out (odd) FLORES lines."""
    english = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    spanish = (FLORES / "flores200.devtest.spa_Latn.txt").read_text(encoding="utf-8").splitlines()
    step = 6 if quick else 2
    buckets: dict[str, list[tuple[str, str]]] = {"1-3 words": [], "4-6 words": [], "sentence": []}
    for index in range(1, len(english), step):
        for lang, sentence in (("en", english[index]), ("es", spanish[index])):
            words = sentence.split()
            for k in (1, 2, 3):
                buckets["1-3 words"].append((lang, " ".join(words[:k])))
            for k in (4, 5, 6):
                buckets["4-6 words"].append((lang, " ".join(words[:k])))
            buckets["sentence"].append((lang, sentence))
    return buckets


def news_cases() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "langid_news.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def measure(run, cases: list[tuple[str, str]]) -> tuple[float, float]:
    """(accuracy %, µs per span)."""
    start = time.perf_counter()
    correct = sum(run(text) == lang for lang, text in cases)
    elapsed = time.perf_counter() - start
    return 100.0 * correct / len(cases), elapsed / len(cases) * 1e6


# ------------------------------------------------------------------ spans

_MARK = re.compile(r"\[\[(.+?)\]\]|\{\{(.+?)\}\}")


def parse_marked(line: str) -> tuple[str, list[str], list[str]]:
    """Plain sentence, must-protect spans, either-way names of one marked line."""
    must, names = [], []
    for match in _MARK.finditer(line):
        (must if match.group(1) else names).append(match.group(1) or match.group(2))
    return _MARK.sub(lambda m: m.group(1) or m.group(2), line), must, names


def score_spans(found: list[str], must: list[str], names: list[str]) -> tuple[int, int, int, list, list]:
    """(true positives, false positives, false negatives, fp texts, fn texts) for one unit."""
    must_left, names_left = list(must), list(names)
    tp = fp = 0
    false_positives = []
    for text in found:
        if text in must_left:
            must_left.remove(text)
            tp += 1
        elif text in names_left:
            names_left.remove(text)
        else:
            fp += 1
            false_positives.append(text)
    return tp, fp, len(must_left), false_positives, must_left


def span_set_scores(filename: str):
    tp = fp = fn = 0
    errors = []
    lines = [l for l in (DATA / filename).read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    for line in lines:
        sentence, must, names = parse_marked(line)
        found = [sentence[a:b] for a, b in detect.spanish_spans(sentence)]
        a, b, c, fps, fns = score_spans(found, must, names)
        tp, fp, fn = tp + a, fp + b, fn + c
        errors += [("FP", x) for x in fps] + [("FN", x) for x in fns]
    return tp, fp, fn, errors, len(lines)


def article_scores():
    from pipeline.segment import segment_text

    labels: dict[int, tuple[list[str], list[str]]] = {}
    for line in (DATA / "peru-article-spans.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            number, label, text = line.split("\t")
            must, names = labels.setdefault(int(number), ([], []))
            (must if label == "spanish" else names).append(text)
    doc = detect.detect(segment_text(ARTICLE.read_text(encoding="utf-8"), "article"))
    tp = fp = fn = 0
    errors = []
    for paragraph in doc.paragraphs:
        found = [t for s in paragraph.segments for t in s.protected]
        must, names = labels.get(paragraph.line, ([], []))
        a, b, c, fps, fns = score_spans(found, must, names)
        tp, fp, fn = tp + a, fp + b, fn + c
        errors += [("FP", x) for x in fps] + [("FN", x) for x in fns]
    return tp, fp, fn, errors


def ratio(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def main() -> None:
    quick = "--quick" in sys.argv
    buckets = flores_buckets(quick)
    news = news_cases()
    sizes = ", ".join(f"{name}: {len(cases)}" for name, cases in buckets.items())
    print(f"FLORES-200 devtest, held-out odd lines, half en / half es ({sizes}); news cases: {len(news)}")
    print("| detector | 1-3 words | 4-6 words | sentence | news cases | µs per span (1-3 / 4-6 / sentence) |")
    print("|---|---|---|---|---|---|")
    for name, factory in DETECTORS.items():
        run = factory()
        run("warm up the models"), run("Hola")
        accuracies, times = [], []
        for cases in buckets.values():
            accuracy, micros = measure(run, cases)
            accuracies.append(accuracy)
            times.append(micros)
        news_accuracy, _ = measure(run, news)
        print(f"| {name} | " + " | ".join(f"{a:.1f}" for a in accuracies)
              + f" | {news_accuracy:.1f} | " + " / ".join(f"{t:.0f}" for t in times) + " |")
    wrong = [(lang, text) for lang, text in news if detect.language(text) != lang]
    if wrong:
        print("pipeline language() wrong on news cases:", wrong)

    print()
    print("| spanish_spans | spans expected | precision % | recall % | false positives | false negatives |")
    print("|---|---|---|---|---|---|")
    errors = []
    for label, filename in (("sentence set", "spanish_spans.txt"), ("held-out sentences", "spanish_spans_heldout.txt"),
                            ("second held-out set", "spanish_spans_heldout2.txt")):
        tp, fp, fn, found_errors, count = span_set_scores(filename)
        errors += found_errors
        print(f"| {label} ({count} sentences) | {tp + fn} | {ratio(tp, tp + fp):.1f} | {ratio(tp, tp + fn):.1f} "
              f"| {fp} | {fn} |")
    tp2, fp2, fn2, errors2 = article_scores()
    print(f"| reference article (detect()) | {tp2 + fn2} | {ratio(tp2, tp2 + fp2):.1f} | "
          f"{ratio(tp2, tp2 + fn2):.1f} | {fp2} | {fn2} |")
    for kind, text in errors + errors2:
        print(f"  {kind}: {text}")
    english = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    found = [sentence[a:b] for sentence in english for a, b in detect.spanish_spans(sentence)]
    print(f"\nProtected in {len(english)} FLORES English sentences (unlabelled; all should be Spanish names): "
          f"{len(found)}: " + "; ".join(found))


if __name__ == "__main__":
    main()
