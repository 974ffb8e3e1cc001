"""Batch scale on FLORES-200 devtest made into about 2,000 documents: every figure of issue 12 in one run.

Run: .venv/bin/python benchmarks/scale.py [--documents N] [--subset N]

The corpus: the 1,012 devtest sentences four times, each copy's sentences behind a lead-in
of their own ("Officials said that ...", ...), two sentences a document: 2,024 distinct
documents, 4,048 sentences. Every run is ``python -m pipeline run`` as a user starts it
(its ``--json`` summary read back), in a fresh folder unless said otherwise. Printed, with
the targets:

- first run: the median of ``--first-runs`` (3) first runs, each in a new folder with a cold cache;
- unchanged re-run and re-run after editing one document (another document each time), ``--re-runs``
  (5) of each, taking turns in the first folder: their median as seconds and as a ratio of the median
  first run, their range, and the engine batches of each (the ``engine_calls`` of the ``--json`` summary).
  One run of 0.5 s moves by tens of milliseconds with the machine's load: the median of five is steadier;
- peak RSS of ``pipeline run --jobs 1`` at 100 documents (taken evenly from the corpus) and at all of
  them (``wait4``): the peak is set by the detector's models, which the text decides, not by the count;
- the pipeline's throughput against raw ``apertium -u eng-spa`` over the same text, run just before
  and just after each first run (the mean of the two: the machine's speed drifts within a minute): the
  median of the first runs' ratios;
- the repaired engine alone (``ApertiumEngine.translate_batch``) against raw Apertium;
- ``--jobs 1`` against ``--jobs 2`` and ``--executor dask`` (a LocalCluster of 2 workers)
  against local, on the first `--subset` documents (first runs), with Dask's cost per document.

The machine is noisy: compare the ratios, which are taken within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
FLORES = REPO.parent / "shared" / "eval" / "flores200-devtest" / "flores200.devtest.eng_Latn.txt"
LEAD_INS = ("", "Officials said that ", "According to the report, ", "In a statement, it was said that ")


def sentences() -> list[str]:
    lines = FLORES.read_text(encoding="utf-8").splitlines()
    found = []
    for copy, lead in enumerate(LEAD_INS):
        for line in lines:
            found.append(lead + (line[0].lower() + line[1:] if lead else line))
    return found


def make_corpus(folder: Path, count: int, every: int = 1) -> list[str]:
    """`count` documents of two sentences each (every `every`-th document of the corpus); returns the
    sentences used."""
    text = sentences()
    folder.mkdir(parents=True)
    used = []
    for number in range(0, count * every, every):
        pair = text[2 * number: 2 * number + 2]
        used += pair
        (folder / f"doc{number:05d}.txt").write_text(" ".join(pair) + "\n", encoding="utf-8")
    return used


CACHE_FOLDER: Path | None = None  # the run's own PIPELINE_CACHE_DIR (main sets it): empty at the first run


def _child_environment() -> dict[str, str]:
    """The environment of each ``pipeline`` process: this one's, with the project on the path, and Python's
    bytecode cache on as on a user's machine (this machine sets PYTHONDONTWRITEBYTECODE, which made every
    run compile its 112 modules again: 0.08 s of a 0.5 s unchanged re-run), and a cache folder of this
    benchmark's own, so that the first run starts cold, as on a new machine or a CI runner, and the
    re-runs find what it left (pivot answers, FreeDict's senses, wordfreq's lists: pipeline/cache.py)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    if CACHE_FOLDER is not None:
        environment["PIPELINE_CACHE_DIR"] = str(CACHE_FOLDER)
    return environment


def pipeline_run(work: Path, *options: str) -> tuple[float, dict]:
    """`pipeline run src --json OPTIONS` in `work`: (wall seconds, its summary)."""
    command = [sys.executable, "-m", "pipeline", "run", "src", "--engine", "apertium", "--json", *options]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=work, env=_child_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"pipeline run failed: {err.strip().splitlines()[-1:]}")
    return seconds, json.loads(out)


def peak_rss(work: Path, *options: str) -> float:
    """Peak RSS (MB) of `pipeline run` in `work`, measured by wait4 on the process itself."""
    command = [sys.executable, "-m", "pipeline", "run", "src", "--engine", "apertium", "-q", *options]
    process = subprocess.Popen(command, cwd=work, env=_child_environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit("pipeline run failed while measuring RSS")
    return usage.ru_maxrss / 1024


def raw_apertium(lines: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(["apertium", "-u", "eng-spa"], input="\n".join(lines) + "\n", capture_output=True, text=True,
                   check=True)
    return time.monotonic() - started


def engine_alone(lines: list[str]) -> float:
    from pipeline.config import engine_settings
    from pipeline.engines.apertium import ApertiumEngine
    from pipeline.model import Span

    engine = ApertiumEngine(engine_settings(os.environ))
    started = time.monotonic()
    engine.translate_batch([[Span(line)] for line in lines])
    return time.monotonic() - started


EDITS = ("The market reopened on Monday.", "The market reopened on Tuesday after the storm.",
         "Officials said the bridge would close for a week.", "The council met again on Friday.",
         "Traders returned to the square before dawn.")


def spread(values: list[float], unit: str = "s", scale: float = 1.0, digits: int = 2) -> str:
    """'median (min-max, N runs)' of `values`."""
    return (f"{statistics.median(values) * scale:.{digits}f} {unit} (median of {len(values)}: "
            f"{min(values) * scale:.{digits}f}-{max(values) * scale:.{digits}f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2024)
    parser.add_argument("--subset", type=int, default=400, help="documents for the --jobs and Dask comparisons")
    parser.add_argument("--first-runs", type=int, default=3, help="first runs, each in a new folder with a cold cache")
    parser.add_argument("--re-runs", type=int, default=len(EDITS),
                        help=f"unchanged re-runs and re-runs after an edit (at most {len(EDITS)})")
    args = parser.parse_args()
    global CACHE_FOLDER
    root = Path(tempfile.mkdtemp(prefix="pipeline-scale-"))
    os.environ["PIPELINE_CACHE_DIR"] = str(root / "cache-engine-alone")  # the engine alone: cold too
    try:
        lines = make_corpus(root / "corpus" / "src", args.documents)
        raw_before = raw_apertium(lines)
        engine = engine_alone(lines)  # right after raw, so that both see the same load on the machine
        raws = [raw_apertium(lines)]
        raw = (raw_before + raws[0]) / 2
        # first runs, each in a folder and a cache folder of its own (a new machine, a CI runner), each
        # between two raw runs: the pipeline against raw Apertium is taken against the raw runs either
        # side of it (the machine's speed drifts over a minute)
        firsts, ratios, first_summary = [], [], {}
        for number in range(args.first_runs):
            folder = root / f"full-{number}"
            shutil.copytree(root / "corpus", folder)
            CACHE_FOLDER = root / f"cache-{number}"
            seconds, summary = pipeline_run(folder)
            raws.append(raw_apertium(lines))
            firsts.append(seconds)
            ratios.append((raws[-2] + raws[-1]) / 2 / seconds)
            first_summary = first_summary or summary
        first = statistics.median(firsts)
        work, CACHE_FOLDER = root / "full-0", root / "cache-0"
        unchanged_runs, edit_runs, unchanged_starts, unchanged_written, edit_starts, edit_unchanged = [], [], [], [], [], []
        for number in range(min(args.re_runs, len(EDITS))):  # an unchanged re-run, then one after an edit
            seconds, summary = pipeline_run(work)
            unchanged_runs.append(seconds)
            unchanged_starts.append(summary["engine_calls"])
            unchanged_written.append(len(summary["files_written"]))
            edited = work / "src" / f"doc{7 + 100 * number:05d}.txt"
            edited.write_text(edited.read_text(encoding="utf-8") + EDITS[number] + "\n", encoding="utf-8")
            seconds, summary = pipeline_run(work)
            edit_runs.append(seconds)
            edit_starts.append(summary["engine_calls"])
            edit_unchanged.append(summary["unchanged"])
        unchanged, edit = statistics.median(unchanged_runs), statistics.median(edit_runs)

        # 100 documents taken evenly from the corpus: the peak is set by what the text makes the detector
        # load (lingua's English and Spanish models, ~130 MB, for the first ambiguous span), not by the count
        small = root / "rss-100"
        make_corpus(small / "src", 100, every=args.documents // 100)
        rss_small = peak_rss(small, "--jobs", "1")
        first_100 = root / "rss-first-100"
        make_corpus(first_100 / "src", 100)
        rss_first_100 = peak_rss(first_100, "--jobs", "1")
        rss_full = peak_rss(work, "--jobs", "1", "--force")

        timings = {}
        for label, options in (("jobs 1", ["--jobs", "1"]), ("jobs 2", ["--jobs", "2"]),
                               ("dask", ["--executor", "dask", "--jobs", "2"])):
            folder = root / label.replace(" ", "-")
            make_corpus(folder / "src", args.subset)
            timings[label] = pipeline_run(folder, *options)[0]
        rows = [
            ("corpus", f"{args.documents} documents, {len(lines)} sentences", ""),
            ("first run", f"{spread(firsts, digits=1)}, each cold ({first_summary['translated']} segments, "
                          f"{first_summary['from_cache']} from the run's cache, "
                          f"{first_summary['engine_calls']} engine calls)", ""),
            ("unchanged re-run", f"{spread(unchanged_runs)} = {unchanged / first:.1%} of the first "
                                 f"(each {min(unchanged_runs) / first:.1%}-{max(unchanged_runs) / first:.1%}), "
                                 f"{max(unchanged_starts)} engine calls, {max(unchanged_written)} files written",
             "<= 2%, 0 engine calls"),
            ("one document edited", f"{spread(edit_runs)} = {edit / first:.1%} of the first "
                                    f"(each {min(edit_runs) / first:.1%}-{max(edit_runs) / first:.1%}), "
                                    f"{max(edit_starts)} engine calls, {min(edit_unchanged)} unchanged", "<= 5%"),
            ("peak RSS", f"{rss_small:.0f} MB at 100 documents (every {args.documents // 100}th), {rss_full:.0f} MB "
                         f"at {args.documents}: {rss_full / rss_small:.2f}x", "<= 1.3x"),
            ("", f"(the first 100 documents alone: {rss_first_100:.0f} MB; their text never needs lingua)", ""),
            ("raw apertium -u eng-spa", f"{raw:.1f} s on the same text (mean of one run before and one after "
                                        f"the engine alone), {min(raws):.1f}-{max(raws):.1f} s around the first runs", ""),
            ("pipeline vs raw", f"{spread(ratios, unit='x')} raw throughput (each first run, end to end, "
                                "against the raw runs just before and after it)", ">= 0.33x"),
            ("repaired engine vs raw", f"{engine:.1f} s: {raw / engine:.2f}x raw throughput", ">= 0.5x"),
            (f"--jobs 1 vs --jobs 2 ({args.subset} docs)", f"{timings['jobs 1']:.1f} s vs {timings['jobs 2']:.1f} s: "
                                                          f"{timings['jobs 1'] / timings['jobs 2']:.2f}x", ""),
            (f"dask (LocalCluster, 2 workers) vs local ({args.subset} docs)",
             f"{timings['dask']:.1f} s vs {timings['jobs 2']:.1f} s: "
             f"{(timings['dask'] - timings['jobs 2']) / args.subset * 1000:+.1f} ms per document "
             "(the LocalCluster's start included)", ""),
        ]
        width = max(len(row[0]) for row in rows)
        for name, figure, target in rows:
            print(f"{name:<{width}}  {figure}" + (f"   [target {target}]" if target else ""))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
