"""Translation memory speed: close-match search and the catalog cache.

Builds a memory from FLORES-200 devtest (1,012 English/Spanish pairs, repeated
with numbered variants up to SIZE units) spread over 20 reviewed PO catalogs,
then searches it for QUERIES English sentences: half are FLORES sentences with
one word changed (a close match exists), half are unrelated (none exists). Prints
  (a) pipeline.tm.Memory.close: word index + length bounds + quick_ratio prefilter,
  (b) a brute-force scan with difflib ratio (real_quick_ratio/quick_ratio first),
  queries/second for each, the ratio a/b, and whether both found the same matches;
  (c) Memory.load from the PO files (cold) against (d) from locales/.tm-cache.json (warm).

Usage: .venv/bin/python benchmarks/tm.py [SIZE] [QUERIES]
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]
FLORES = REPO.parent / "shared" / "eval" / "flores200-devtest"
sys.path.insert(0, str(REPO))

from pipeline import tm  # noqa: E402
from pipeline.catalog import po_path, po_text  # noqa: E402
from pipeline.similarity import best_match  # noqa: E402

THRESHOLD = 0.75
CATALOGS = 20


def pairs(size: int) -> list[tuple[str, str]]:
    english = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    spanish = (FLORES / "flores200.devtest.spa_Latn.txt").read_text(encoding="utf-8").splitlines()
    base = list(zip(english, spanish))
    out = list(base)
    round_ = 1
    while len(out) < size:
        out += [(f"{en} ({round_})", f"{es} ({round_})") for en, es in base]
        round_ += 1
    return out[:size]


def write_catalogs(locales: Path, units: list[tuple[str, str]]) -> None:
    for number in range(CATALOGS):
        po = polib.POFile()
        po.metadata = {"Language": "es", "Content-Type": "text/plain; charset=UTF-8"}
        for en, es in units[number::CATALOGS]:
            po.append(polib.POEntry(msgid=en, msgstr=es))
        path = po_path(locales, f"doc{number:02d}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(po_text(po), encoding="utf-8")


def queries(units: list[tuple[str, str]], count: int) -> list[str]:
    rng = random.Random(0)
    found = []
    for en, _ in rng.sample(units, count // 2):
        words = en.split()
        words[rng.randrange(len(words))] = "zebra"
        found.append(" ".join(words))
    filler = "Nothing in this sentence was ever written by the FLORES authors about number"
    found += [f"{filler} {n} of the {n * 7} cats." for n in range(count - len(found))]
    return found


def brute_force(memory: tm.Memory, text: str) -> tm.Unit | None:
    """A plain scan of every unit, the baseline the indexed search is measured against."""
    found = best_match(text, (u for u in memory.units if u.source != text), THRESHOLD, key=lambda u: u.source)
    return found[0] if found else None


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    units = pairs(size)
    with tempfile.TemporaryDirectory() as folder:
        locales = Path(folder)
        write_catalogs(locales, units)
        cold_memory, cold = timed(tm.Memory.load, locales)
        _, warm = timed(tm.Memory.load, locales)
        memory = cold_memory
        asked = queries(units, count)
        indexed, t_indexed = timed(lambda: [memory.close(q, THRESHOLD) for q in asked])
        brute, t_brute = timed(lambda: [brute_force(memory, q) for q in asked])
    same = sum((m.unit if m else None) == b for m, b in zip(indexed, brute))
    print(f"memory: {len(memory)} units in {CATALOGS} catalogs; {count} queries (half with a close match)")
    print(f"(a) Memory.close (indexed)  {count / t_indexed:10.1f} queries/s  found {sum(m is not None for m in indexed)}")
    print(f"(b) brute-force difflib     {count / t_brute:10.1f} queries/s  found {sum(b is not None for b in brute)}")
    print(f"    speed-up a/b            {t_brute / t_indexed:10.1f} x    same best match: {same}/{count}")
    print(f"(c) Memory.load cold (PO)   {cold * 1000:10.1f} ms")
    print(f"(d) Memory.load warm (cache){warm * 1000:10.1f} ms    speed-up c/d {cold / warm:.1f} x")


if __name__ == "__main__":
    main()
