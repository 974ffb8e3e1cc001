"""Creating a first run's files: write_atomic with an unnamed temporary file linked under its name, and with a named one renamed.

Run: .venv/bin/python benchmarks/new_files.py [--files N] [--rounds N] [--folder DIR]

A first run of benchmarks/scale.py's 2,024 documents creates about 16,000 files (six pages and two
catalogs a document), every one through ``files.write_atomic``. For a file that does not exist yet it
now opens an unnamed file in the folder (``O_TMPFILE``) and links it under its name once written; before,
it made a named temporary file (``tempfile.mkstemp``: a random name, an exclusive create) and renamed it.
Printed, side by side, in each round: N new files of about 7 KB (a page's size) in a fresh folder each
way, wall and CPU seconds, and the ratio of the two. The two ways take turns, so the disk's mood, which
changes from moment to moment on this machine, falls on both.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import files  # noqa: E402

UNNAMED = files._UNNAMED  # False where the filesystem or the system has no O_TMPFILE: both ways are then one


def named_and_renamed(folder: Path, names: list[str], data: bytes) -> None:
    """write_atomic as it was: a named temporary file (mkstemp) and a rename, whatever the filesystem offers."""
    files._UNNAMED = False
    try:
        through_write_atomic(folder, names, data)
    finally:
        files._UNNAMED = UNNAMED


def through_write_atomic(folder: Path, names: list[str], data: bytes) -> None:
    for name in names:
        files.write_atomic(folder / name, data, durable=False)


def timed(way, folder: Path, names: list[str], data: bytes) -> tuple[float, float]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    wall, cpu = time.perf_counter(), time.process_time()
    way(folder, names, data)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=12_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--folder", type=Path, default=None, help="where to write (default: a temporary folder)")
    args = parser.parse_args()
    top = args.folder or Path(tempfile.mkdtemp(prefix="new-files-"))
    names = [f"doc{number:05d}.bilingual.html" for number in range(args.files)]
    data = os.urandom(3500).hex().encode()  # 7 KB that compresses as little as a page's bytes vary
    print(f"{args.files} new files of {len(data)} bytes in one folder, in {top}"
          + ("" if UNNAMED else " (no O_TMPFILE here: both columns are the named way)"))
    print(f"{'round':>5}  {'mkstemp + rename':>22}  {'O_TMPFILE + link':>22}  {'ratio (wall)':>12}")
    ratios: list[float] = []
    try:
        for number in range(1, args.rounds + 1):
            before = timed(named_and_renamed, top / "named", names, data)
            now = timed(through_write_atomic, top / "unnamed", names, data)
            print(f"{number:>5}  {before[0]:8.2f} s ({before[1]:.2f} CPU)  {now[0]:8.2f} s ({now[1]:.2f} CPU)"
                  f"  {now[0] / before[0]:11.2f}x")
            ratios.append(now[0] / before[0])
    finally:
        if args.folder is None:
            shutil.rmtree(top, ignore_errors=True)
    print(f"median ratio {sorted(ratios)[len(ratios) // 2]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
