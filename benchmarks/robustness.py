"""Size: time and peak memory of `pipeline extract` per megabyte, side by side (issue 13, finding 9).

Three inputs, each extracted by its own `python -m pipeline extract` process (peak
RSS from getrusage of that child):

- the reference article (../shared/corpus/peru-2023-coup-protests.txt), the per-MB yardstick;
- a large source: the article's paragraphs repeated, each numbered so no two are alike, to --mb MB;
- one line of --line-mb MB (the article's sentences joined with spaces, no line break).

Targets: the large source within 1.5x the article's seconds per MB and under 500 MB peak;
the single line no slower per MB than the large source's ordinary paragraphs.

    .venv/bin/python benchmarks/robustness.py --mb 30 --line-mb 1
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"


# The extract runs in a child that reports its own peak RSS (getrusage of the children would give the
# largest child so far, not this one's) and its time without interpreter start-up and imports.
CHILD = ("import resource, sys, time\nfrom pipeline.cli import main\nstarted = time.perf_counter()\n"
         "code = main(sys.argv[1:])\nprint('FIGURES', time.perf_counter() - started, "
         "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)")


def measure(source: Path, folder: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one extract of `source` in a fresh process."""
    done = subprocess.run([sys.executable, "-c", CHILD, "extract", "-q", str(source), "--locales",
                           str(folder / f"locales-{source.stem}")], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    if done.returncode != 0:
        raise SystemExit(f"extract of {source.name} failed: {done.stderr.strip()}")
    seconds, peak = done.stderr.strip().splitlines()[-1].split()[1:]
    return float(seconds), int(peak) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=30, help="size of the large source (default: 30)")
    parser.add_argument("--line-mb", type=float, default=1, help="size of the single line (default: 1)")
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
        rows = []
        for label, source in (("reference article", ARTICLE), (f"{args.mb:g} MB source", large),
                              (f"{args.line_mb:g} MB single line", line)):
            mb = source.stat().st_size / 1e6
            seconds, peak = measure(source, folder)
            rows.append((label, mb, seconds, seconds / mb, peak))
    base = rows[0][3]
    print(f"{'input':<22} {'MB':>8} {'seconds':>9} {'s/MB':>9} {'x article':>10} {'peak MB':>9}")
    for label, mb, seconds, per_mb, peak in rows:
        print(f"{label:<22} {mb:>8.2f} {seconds:>9.2f} {per_mb:>9.2f} {per_mb / base:>10.2f} {peak:>9.0f}")
    print(f"targets: large source <= 1.5x article s/MB and <= 500 MB peak; "
          f"single line <= large source s/MB ({rows[2][3] / rows[1][3]:.2f}x now)")


if __name__ == "__main__":
    main()
