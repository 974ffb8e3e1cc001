"""Fixed start-up costs of a re-run for one edited sentence, with and without the cache folder (pipeline/cache.py).

Run: .venv/bin/python benchmarks/startup.py [--rounds N] [--compare CHECKOUT] [--orders]

Issue 12's target is a re-run after editing one document of 2,024 in at most 5% of the first run;
what such a run pays whatever the amount of text is measured here, in one run, side by side:

- the engine on one sentence ("The market reopened on Monday."), ``ApertiumEngine.translate_batch``
  in a fresh process of the checkout (its imports not counted): without a cache folder, with a cold one
  (empty: the pivot and FreeDict are asked, then kept) and a warm one (the words and senses kept);
  with ``--compare`` the same from another checkout (e.g. a worktree of main, which has no cache);
- detection's start-up in a fresh process: importing ``pipeline.detect`` and loading the word
  frequencies (wordfreq, or the cache's fast-loading form), then one word judged.

Each figure is the median of ``--rounds`` rounds taken in turn (each kind once a round), wall
seconds and CPU seconds (the process and its children: the Apertium pipe); the ratios are to the
first row of the table. CPU is the steadier figure on a shared machine.

``--orders``: whether the pivot's answer for a word depends on the words sent with it. The words
eng-spa leaves unknown in FLORES devtest, the reference article and the bundled example are sent
through eng-cat -> cat-spa as bare words in blocks (the request form before the cache) and as
sentences of their own (:func:`pipeline.engines.apertium.unknown_words.pivot_request`), in the
original order, two shuffles, and one word per request; it prints how many words' accepted answers
differ from the original order's. One word per request starts two Apertium modes per word: minutes.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parents[1]
SENTENCE = "The market reopened on Monday."

# the engine on one sentence, in a fresh process of the checkout in argv[1], cache folder argv[2] ("": none)
ENGINE_ONE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from dataclasses import fields, replace
from pathlib import Path
from pipeline.config import EngineSettings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.model import Span
def cpu():
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
settings = EngineSettings()
if "cache_dir" in {field.name for field in fields(settings)}:
    settings = replace(settings, cache_dir=Path(sys.argv[2]) if sys.argv[2] else None)
started, spent = time.monotonic(), cpu()
ApertiumEngine(settings).translate_batch([[Span(sys.argv[3])]])
print(json.dumps([time.monotonic() - started, cpu() - spent]))
"""

# detection's start-up in a fresh process: import, the frequencies, one word judged
DETECT_START = """
import json, resource, sys, time
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
sys.path.insert(0, sys.argv[1])
import pipeline.config  # the package's own imports are not what is measured
started, spent = time.monotonic(), cpu()
from pathlib import Path
from pipeline import detect
if hasattr(detect, "load_frequencies"):
    detect.load_frequencies(Path(sys.argv[2]) if sys.argv[2] else None)
else:
    detect._frequencies()
detect.word_evidence("market")
print(json.dumps([time.monotonic() - started, cpu() - spent, "wordfreq" in sys.modules]))
"""


def child(script: str, *arguments: str) -> list:
    done = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed: {done.stderr.strip()[-300:]}")
    return json.loads(done.stdout)


def table(title: str, runs: dict[str, list[list]]) -> None:
    print(f"\n{title}: medians of {len(next(iter(runs.values())))} rounds")
    print(f"  {'':46}{'seconds':>9}{'CPU s':>8}{'vs first':>10}{'CPU vs first':>14}")
    first_wall = first_cpu = 0.0
    for label, measured in runs.items():
        wall, cpu = median(m[0] for m in measured), median(m[1] for m in measured)
        first_wall, first_cpu = (wall, cpu) if not first_wall else (first_wall, first_cpu)
        print(f"  {label:46}{wall:9.3f}{cpu:8.3f}{wall / first_wall:9.2f}x{cpu / first_cpu:13.2f}x")


def start_up(checkouts: dict[str, Path], rounds: int, folder: Path) -> None:
    warm = folder / "warm"
    child(ENGINE_ONE, str(REPO), str(warm), SENTENCE)  # the warm folder: one run first
    child(DETECT_START, str(REPO), str(warm))
    engine: dict[str, list[list]] = {}
    detect: dict[str, list[list]] = {}
    for round_ in range(rounds):
        for label, checkout in checkouts.items():
            engine.setdefault(f"{label}: no cache", []).append(child(ENGINE_ONE, str(checkout), "", SENTENCE))
            detect.setdefault(f"{label}: no cache (wordfreq)", []).append(child(DETECT_START, str(checkout), ""))
        cold = folder / f"cold-{round_}"
        engine.setdefault("this checkout: cold cache", []).append(child(ENGINE_ONE, str(REPO), str(cold), SENTENCE))
        engine.setdefault("this checkout: warm cache", []).append(child(ENGINE_ONE, str(REPO), str(warm), SENTENCE))
        detect.setdefault("this checkout: warm cache", []).append(child(DETECT_START, str(REPO), str(warm)))
        shutil.rmtree(cold, ignore_errors=True)
    table(f"the engine on one sentence ({SENTENCE!r})", engine)
    table("detection's start-up (import, word frequencies, one word)", detect)
    print(f"  wordfreq imported with a warm cache: {'yes' if child(DETECT_START, str(REPO), str(warm))[2] else 'no'}")


def orders() -> None:
    sys.path.insert(0, str(REPO))
    from pipeline.config import EngineSettings
    from pipeline.engines.apertium.process import blocks, read_blocks, run, system_mode_file, translate_chain
    from pipeline.engines.apertium.unknown_words import accept, candidate_words, pivot_answers, unknown_words
    from scale import FLORES

    settings = EngineSettings()
    texts = FLORES.read_text(encoding="utf-8").splitlines()
    texts += (REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt").read_text(encoding="utf-8").splitlines()
    texts += (REPO / "examples" / "water-march.txt").read_text(encoding="utf-8").splitlines()
    analyser = shlex.split(system_mode_file(settings).read_text(encoding="utf-8").split(" | ")[0])
    words = unknown_words(run(analyser, "\n".join(candidate_words(texts))))

    def bare(batch: list[str]) -> dict[str, str]:  # the request form before the cache: bare words in blocks
        output = read_blocks(translate_chain(settings, settings.apertium_word_pivot,
                                             blocks(enumerate(html.escape(w, quote=False) for w in batch)), marks=True))
        return {w: accept(w, html.unescape(output.get(i, ""))) or "" for i, w in enumerate(batch)}

    def sentences(batch: list[str]) -> dict[str, str]:
        return pivot_answers(batch, settings)

    print(f"\nthe pivot's answers by request order ({len(words):,} words eng-spa leaves unknown in FLORES devtest, "
          "the reference article and the example)")
    print(f"  {'request form':32}{'shuffle 1':>11}{'shuffle 2':>11}{'one word each':>15}   words that differ")
    for label, ask in (("bare words in blocks (before)", bare), ("sentences of their own (now)", sentences)):
        original = ask(words)
        shuffles = []
        for seed in (1, 2):
            shuffled = list(words)
            random.Random(seed).shuffle(shuffled)
            shuffles.append(ask(shuffled))
        with ThreadPoolExecutor(max_workers=2) as pool:
            alone = dict(zip(words, pool.map(lambda word: ask([word])[word], words)))
        differ = [[w for w in words if other[w] != original[w]] for other in (*shuffles, alone)]
        names = sorted(set().union(*differ))
        print(f"  {label:32}{len(differ[0]):>11}{len(differ[1]):>11}{len(differ[2]):>15}   {', '.join(names)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each kind of run once a round")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout measured beside this one (e.g. a worktree of main)")
    parser.add_argument("--orders", action="store_true", help="also: do the pivot's answers depend on request order")
    args = parser.parse_args()
    checkouts = {f"{path.resolve().name}": path.resolve() for path in args.compare}
    checkouts["this checkout"] = REPO
    folder = Path(tempfile.mkdtemp(prefix="pipeline-startup-"))
    try:
        start_up(checkouts, args.rounds, folder)
        if args.orders:
            orders()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
