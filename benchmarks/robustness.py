"""Size: time and peak memory of `pipeline extract` per megabyte, side by side (issue 13, finding 9).

Three inputs, each extracted by its own `python -m pipeline extract` process:

- the reference article (../shared/corpus/peru-2023-coup-protests.txt), the per-MB yardstick
  (extracted --repeat times, the fastest kept: at 10 KB its work takes well under a second);
- a large source: the article's paragraphs repeated, each numbered so no two are alike, to --mb MB;
- one line of --line-mb MB (the article's sentences joined with spaces, no line break).

How it measures: the child first loads what every extract loads once whatever the size (imports,
wordfreq's lists, the lingua and langdetect models, pySBD) and reports that as start-up; then it
times `pipeline extract` alone, CPU (user + system, steadier on a shared machine) and wall clock.
What is left of the fixed cost (first use of pySBD's rules, regular expressions compiled once, the
catalog's files) is the work of a tiny input (the article's headline and first paragraph), measured
the same way and subtracted from every row: "net s/MB" = (work - tiny work) / MB. Start-up was ~3 s,
300 s/MB of the 10 KB article, and hid the cost of the work. Peak RSS is the child's own (getrusage),
start-up included.

Targets: the large source within 1.5x the article's seconds per MB and at most 500 MB peak;
the single line no slower per MB than the large source's ordinary paragraphs. "met" is judged on
net CPU s/MB (the machine is shared: wall time also counts other people's work); both are printed.

    .venv/bin/python benchmarks/robustness.py --mb 30 --line-mb 1
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"


# The extract runs in a child that reports its own start-up, wall and CPU time of the work, and peak RSS
# (getrusage of the children would give the largest child so far, not this one's).
CHILD = """
import os, resource, sys, time
started = time.perf_counter()
from pipeline.cli import main
from pipeline.detect import _langdetect_factory, _lingua, load_frequencies
from pipeline.segment import _pysbd
load_frequencies(); _lingua(); _langdetect_factory(); _pysbd("en").segment("One. Two.")
startup = time.perf_counter() - started
cpu, wall = sum(os.times()[:2]), time.perf_counter()
code = main(sys.argv[1:])
print("FIGURES", startup, time.perf_counter() - wall, sum(os.times()[:2]) - cpu,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""
PEAK_MB = 500  # the large source's peak RSS target
LARGE_X = 1.5  # the large source's s/MB at most this many times the article's


@dataclass
class Row:
    label: str
    mb: float
    startup: float
    seconds: float
    cpu: float
    peak: float  # MB

    @property
    def per_mb(self) -> float:
        return self.seconds / self.mb

    @property
    def cpu_per_mb(self) -> float:
        return self.cpu / self.mb


def measure(label: str, source: Path, folder: Path, repeat: int = 1) -> Row:
    """The fastest of `repeat` extracts of `source`, each in a fresh process into fresh locales."""
    rows = []
    for attempt in range(repeat):
        locales = folder / f"locales-{source.stem}-{attempt}"
        done = subprocess.run([sys.executable, "-c", CHILD, "extract", "-q", str(source), "--locales", str(locales)],
                              cwd=folder, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        if done.returncode != 0:
            raise SystemExit(f"extract of {source.name} failed: {done.stderr.strip()}")
        startup, seconds, cpu, peak = done.stderr.strip().splitlines()[-1].split()[1:]
        rows.append(Row(label, source.stat().st_size / 1e6, float(startup), float(seconds), float(cpu),
                        int(peak) / 1024))  # ru_maxrss is in KiB on Linux
        shutil.rmtree(locales, ignore_errors=True)
    return min(rows, key=lambda row: row.cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=30, help="size of the large source (default: 30)")
    parser.add_argument("--line-mb", type=float, default=1, help="size of the single line (default: 1)")
    parser.add_argument("--repeat", type=int, default=3, help="extracts of the article, fastest kept (default: 3)")
    args = parser.parse_args()
    text = ARTICLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        large, line = folder / "large.txt", folder / "line.txt"
        pieces, size, n = [], 0, 0
        while size < args.mb * 1e6:
            piece = f"{paragraphs[n % len(paragraphs)]} (Part {n}.)"
            pieces.append(piece)
            size += len(piece.encode("utf-8")) + 2
            n += 1
        large.write_text("\n\n".join(pieces) + "\n", encoding="utf-8")
        sentences = " ".join(" ".join(p.split()) for p in paragraphs[1:])
        repeat = int(args.line_mb * 1e6 / len(sentences.encode("utf-8"))) + 1
        line.write_text("Title\n\n" + " ".join([sentences] * repeat)[: int(args.line_mb * 1e6)] + "\n", encoding="utf-8")
        tiny = folder / "tiny.txt"
        tiny.write_text("\n\n".join(paragraphs[:2]) + "\n", encoding="utf-8")
        fixed = measure("tiny input", tiny, folder, args.repeat)
        article = measure("reference article", ARTICLE, folder, args.repeat)
        large_row = measure(f"{args.mb:g} MB source", large, folder)
        line_row = measure(f"{args.line_mb:g} MB single line", line, folder)
    def net(row: Row) -> float:  # CPU seconds per MB of the work, the fixed cost taken out
        return max(row.cpu - fixed.cpu, 0.0) / row.mb

    def net_wall(row: Row) -> float:
        return max(row.seconds - fixed.seconds, 0.0) / row.mb

    targets = {
        article.label: ("(yardstick)", None),
        large_row.label: (f"<= {LARGE_X}x article, <= {PEAK_MB} MB",
                          net(large_row) <= LARGE_X * net(article) and large_row.peak <= PEAK_MB),
        line_row.label: ("<= 1.0x large source", net(line_row) <= net(large_row)),
    }
    print(f"fixed cost (tiny input, {fixed.mb * 1e3:.1f} KB): start-up {fixed.startup:.2f} s, "
          f"work {fixed.cpu:.2f} s CPU / {fixed.seconds:.2f} s wall, peak {fixed.peak:.0f} MB")
    print(f"{'input':<20} {'MB':>6} {'start s':>7} {'CPU s':>8} {'wall s':>8} {'net s/MB':>8} {'wall s/MB':>9} "
          f"{'x article':>9} {'x large':>7} {'peak MB':>7}  target")
    for row in (article, large_row, line_row):
        target, met = targets[row.label]
        verdict = "" if met is None else "  met" if met else "  NOT MET"
        print(f"{row.label:<20} {row.mb:>6.2f} {row.startup:>7.2f} {row.cpu:>8.2f} {row.seconds:>8.2f} "
              f"{net(row):>8.2f} {net_wall(row):>9.2f} {net(row) / net(article):>9.2f} "
              f"{net(row) / net(large_row):>7.2f} {row.peak:>7.0f}  {target}{verdict}")
    print("net s/MB: CPU seconds of the work per MB, the tiny input's work subtracted; targets judged on it "
          "(wall time also counts the other work on a shared machine)")


if __name__ == "__main__":
    main()
