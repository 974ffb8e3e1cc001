"""The catalog save stage alone over the 2,024 FLORES documents of benchmarks/scale.py (issue 12).

Run: .venv/bin/python benchmarks/save_stage.py [--documents N] [--repeats N]

The documents are read and machine-translated once (the real stages, Apertium); then, each repeat
on fresh copies of them, side by side:

- ``stages.save_catalogs`` into an empty locales folder (a first run) and again over what it wrote
  (a re-save), as shipped: the PO the save wrote exactly as made is not parsed again;
- the same with that parse (``read_back`` given no ``Saved``), as before;
- the 4,048 files of a first run written by ``files.write_atomic`` with and without an fsync (what
  a created catalog and a template no longer pay).

The machine is noisy: compare the figures of one repeat, printed together; the minimum of each is last.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from scale import make_corpus  # noqa: E402

from pipeline import catalog, stages  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.files import write_atomic  # noqa: E402
from pipeline.model import State  # noqa: E402
from pipeline.readers import read_document  # noqa: E402


def save_stage(docs, config: Config, parse: bool) -> float:
    """Seconds of ``stages.save_catalogs`` (with `parse`: every PO parsed again, as before)."""
    original = catalog.read_back
    if parse:
        catalog.read_back = lambda doc, locales, similarity, saved=None: original(doc, locales, similarity)
    try:
        started = time.perf_counter()
        stages.save_catalogs(docs, stages.Context.for_project(config))
        return time.perf_counter() - started
    finally:
        catalog.read_back = original


def writes(texts: list[tuple[str, str]], folder: Path, durable: bool) -> float:
    """Seconds to write each (name, text) into `folder` as a new file."""
    started = time.perf_counter()
    for name, text in texts:
        write_atomic(folder / name, text, durable=durable)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2024)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="save-stage-") as temporary:
        work = Path(temporary)
        make_corpus(work / "src", args.documents)
        config = Config(locales=work / "locales", dist=work / "dist", engine="apertium")
        docs = [read_document(path, config) for path in sorted((work / "src").iterdir())]
        context = stages.Context.for_project(config)
        stages.run_stages(docs, context, ("detect", "dates", "glossary", "catalog", "memory", "translate"))
        print(f"{len(docs)} documents, {sum(1 for d in docs for _ in d.segments())} segments, "
              f"{sum(1 for d in docs for s in d.segments() if s.state != State.UNTRANSLATED)} translated")
        figures: dict[str, list[float]] = {}
        for repeat in range(args.repeats):
            row = {}
            for parse in (False, True):
                label = "with the re-parse" if parse else "as shipped"
                shutil.rmtree(config.locales, ignore_errors=True)
                row[f"first run, {label}"] = save_stage(copy.deepcopy(docs), config, parse)
                row[f"re-save, {label}"] = save_stage(copy.deepcopy(docs), config, parse)
            texts = [(p.relative_to(config.locales).as_posix().replace("/", "_"), p.read_text(encoding="utf-8"))
                     for p in sorted(config.locales.rglob("*.po*"))]
            for durable in (True, False):
                folder = work / f"writes-{durable}"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                row[f"{len(texts)} new files, {'with' if durable else 'without'} fsync"] = writes(texts, folder, durable)
            print(f"repeat {repeat + 1}: " + "; ".join(f"{name} {seconds:.2f} s" for name, seconds in row.items()))
            for name, seconds in row.items():
                figures.setdefault(name, []).append(seconds)
        print("minimum: " + "; ".join(f"{name} {min(values):.2f} s" for name, values in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
