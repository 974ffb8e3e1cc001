"""How long the catalog stage takes on a large article, and how a re-run compares with the first run.

    .venv/bin/python benchmarks/catalog.py [--copies 20]

The reference article's sentences are repeated (each copy numbered, so every
segment is distinct) into one document; figures are printed side by side:
first save, unchanged re-run (load + save, nothing written), a re-run after
10% of the sentences were edited (fuzzy matching), and `msgcat` on the result.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import time
import resource
from pathlib import Path

from pipeline import catalog
from pipeline.config import Config
from pipeline.model import Document, Paragraph, Segment, State

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "peru-2023-coup-protests.txt"
SETTINGS = Config()  # the defaults: similarity 0.75, wrap 79


def build(copies: int, edited_every: int = 0) -> Document:
    """One document of `copies` numbered copies of the article, machine-translated."""
    text = CORPUS.read_text(encoding="utf-8")
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    doc = Document(name="big", source=Path("big.txt"))
    count = 0
    for copy in range(copies):
        for block in blocks:
            segments = []
            for sentence in re.split(r"(?<=[.!?])\s+", block):
                count += 1
                sentence = f"{sentence} ({copy})"
                if edited_every and count % edited_every == 0:
                    sentence = sentence.replace(" the ", " this ", 1) + " Reportedly."
                segments.append(Segment(sentence, trailing=" "))
            doc.paragraphs.append(Paragraph(segments, len(doc.paragraphs) + 1))
    return doc


def machine(doc: Document) -> None:
    for segment in doc.segments():
        if segment.state == State.UNTRANSLATED:
            segment.translation, segment.state, segment.engine = segment.text.upper(), State.MACHINE, "apertium"


def timed(step):
    """Seconds taken by `step`, and its result."""
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        locales = Path(folder) / "locales"
        first = build(args.copies)
        machine(first)
        segments = sum(1 for _ in first.segments())

        def rerun(doc):
            catalog.load(doc, locales, SETTINGS.similarity)
            machine(doc)
            return catalog.save(doc, locales, SETTINGS.wrap)

        rows = [("first save", *timed(lambda: catalog.save(first, locales, SETTINGS.wrap)))]
        rows.append(("unchanged re-run", *timed(lambda: rerun(build(args.copies)))))
        edited = build(args.copies, edited_every=10)
        rows.append(("re-run, 10% edited", *timed(lambda: rerun(edited))))
        fuzzy = sum(s.state == State.FUZZY for s in edited.segments())
        po_file = catalog.po_path(locales, "big")
        start = time.perf_counter()
        subprocess.run(["msgcat", "-o", "/dev/null", str(po_file)], check=True)
        msgcat_seconds = time.perf_counter() - start

        print(f"{segments} segments, PO file {po_file.stat().st_size / 1024:.0f} KiB")
        base = rows[0][1]
        print(f"{'step':<22}{'seconds':>9}{'× first':>9}  files written")
        for name, seconds, written in rows:
            print(f"{name:<22}{seconds:>9.3f}{seconds / base:>9.2f}  {len(written)}")
        print(f"{'msgcat (reference)':<22}{msgcat_seconds:>9.3f}{msgcat_seconds / base:>9.2f}")
        print(f"edited sentences matched as fuzzy: {fuzzy} of {segments // 10}")
        print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
