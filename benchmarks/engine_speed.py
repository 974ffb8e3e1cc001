"""The repaired Apertium engine's throughput against raw Apertium, and where its time goes.

Run: .venv/bin/python benchmarks/engine_speed.py [--rounds N] [--compare CHECKOUT] [--no-profile] [--cprofile N]
     [--only-small] [--sizes 1,50,200,500] [--starts N]

On FLORES-200 devtest (1,012 sentences) and on the same four times over as
benchmarks/scale.py makes its corpus (4,048 sentences, each copy behind a lead-in of its own),
in one run, printed side by side:

- raw ``apertium -u eng-spa`` over the lines (plain text, one process, as a user runs it);
- the repaired engine alone, ``ApertiumEngine(engine_settings(os.environ)).translate_batch``
  with one segment a line, as ``engine_alone`` in benchmarks/scale.py; and with ``--compare``
  the same from another checkout (e.g. a worktree of main: before and after in one run);
- the ratio raw seconds / engine seconds (the target: at least 0.5x), and the CPU seconds of
  each (all processes of the pipe: on two cores, CPU is what the pipe shares).

Each figure is the median of ``--rounds`` rounds, taken in turn (raw, engine, raw, engine, ...),
and the throughput ratio the median of each round's engine against the raw run right before it,
so a busy moment of a shared machine does not land on one side only; the CPU ratio (raw CPU
seconds / the engine's) is the steadiest figure when other jobs share the cores. Every engine run
is a fresh Python process of the checkout measured (its start-up and imports not counted), so
nothing is cached between them.

Then, on the 4,048 sentences, the cost of each part of the repaired pipe: the stream entering
each in-pipe program (``python -m pipeline.engines.apertium STEP,...``) is captured with
``tee`` in one run of the repaired mode, and each program is run alone on it (wall and CPU
seconds, and its start-up on empty input), each step of a shared position alone as well;
and the pivot word list the engine makes for the unknown-words step while the pipe runs. With
``--cprofile N``, a cProfile of each in-pipe program on that stream, its N costliest functions.

Small batches (first, or alone with ``--only-small``): batches of the first ``--sizes`` lines of
the 4,048 (one sentence, 50, 200, 500), each through both ways of running the pipe's repair steps, in one long-lived
process (as a batch job's engine: start-up and first-batch costs out): in threads of that process between
relays (:func:`pipeline.engines.apertium.process.translate_relayed`) and in the five in-pipe programs;
medians of ``--rounds`` rounds taken in turn, wall and CPU seconds (the process and its children), and
the ratios of the threads to the programs, so where they cross is
``pipeline.engines.apertium.engine.IN_PROCESS_SEGMENTS``. Then each in-pipe program's start on empty
input (CPU, the median of ``--starts`` starts), for this checkout and each ``--compare`` one.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from scale import FLORES, sentences  # noqa: E402  (the same corpus as benchmarks/scale.py)

# the engine alone, as a child process of the checkout in argv[1]: lines from argv[2]; prints the seconds
# and the CPU seconds (its own and its children's: the whole pipe) of translate_batch alone, start-up excluded
# what both child scripts start with: the checkout in argv[1], CPU seconds of the process and its
# children (the whole pipe), the lines of argv[2] and the engine
CHILD_START = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline.config import engine_settings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.model import Span
def cpu():
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
engine = ApertiumEngine(engine_settings(os.environ))
"""
ENGINE_ALONE = CHILD_START + """
started, spent = time.monotonic(), cpu()
engine.translate_batch([[Span(line)] for line in lines])
print(json.dumps([time.monotonic() - started, cpu() - spent]))
"""


# batches through both paths in one process of the checkout in argv[1]: lines from argv[2], sizes argv[3],
# rounds argv[4], argv[5] batches at once (threads of the process); prints
# {size: {path: [[seconds, CPU seconds], ...]}} (the paths chosen by the threshold)
SMALL_BATCHES = CHILD_START + """
from pipeline.engines.apertium import engine as module
engine.translate_batch([[Span(lines[0])]])  # the first batch's costs (FreeDict's senses, imports) out
paths = {"threads": 10 ** 9, "programs": -1}
found = {}
from concurrent.futures import ThreadPoolExecutor
at_once = int(sys.argv[5])
for size in map(int, sys.argv[3].split(",")):
    batches = [[[Span(line)] for line in lines[part * size:(part + 1) * size]] for part in range(at_once)]
    outputs = {}
    with ThreadPoolExecutor(max_workers=at_once) as pool:  # as PartitionedEngine runs a --jobs N run's partitions
        for _ in range(int(sys.argv[4])):
            for path, threshold in paths.items():
                module.IN_PROCESS_SEGMENTS = threshold
                started, spent = time.monotonic(), cpu()
                outputs[path] = list(pool.map(engine.translate_batch, batches))
                found.setdefault(size, {}).setdefault(path, []).append([time.monotonic() - started, cpu() - spent])
    assert outputs["threads"] == outputs["programs"], f"the two paths differ on {size} segments"
print(json.dumps(found))
"""

# the in-pipe programs of the checkout in argv[1], written by its own install_repaired_mode into the folder
# argv[2]; prints [[position, the program's arguments], ...] (the program is argv[2]/repair)
PROGRAMS_OF = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from pipeline.config import engine_settings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.process import install_repaired_mode
from pipeline.engines.apertium.steps import Dictionaries, pipe_splices
settings = engine_settings(os.environ)
datadir = Path(sys.argv[2])
words = datadir / "unknown-words.tsv"
words.write_text("")
splices = pipe_splices(ApertiumEngine(settings).steps, Dictionaries((str(words),), settings.freedict,
                                                                    str(settings.cache_dir or "")))
assert install_repaired_mode(settings, datadir, splices)
print(json.dumps(splices))
"""


def timed(command: list[str], stdin: bytes = b"", env: dict | None = None) -> tuple[float, bytes]:
    """(wall seconds, stdout) of one run of `command` given `stdin`; SystemExit with its error when it fails."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env)
    out, err = process.communicate(stdin)
    wall = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {err.decode(errors='replace').strip()[-300:]}")
    return wall, out


class Clock:
    """CPU seconds of children between calls (RUSAGE_CHILDREN only grows)."""

    def __init__(self):
        self.last = self.now()

    @staticmethod
    def now() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def lap(self) -> float:
        now = self.now()
        spent, self.last = now - self.last, now
        return spent


def raw_apertium(lines: list[str], clock: Clock) -> tuple[float, float]:
    wall, _ = timed(["apertium", "-u", "eng-spa"], ("\n".join(lines) + "\n").encode())
    return wall, clock.lap()


def engine_alone(checkout: Path, lines_file: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of translate_batch as the child measured them."""
    _, out = timed([sys.executable, "-c", ENGINE_ALONE, str(checkout), str(lines_file)])
    wall, cpu = json.loads(out)
    return wall, cpu


def throughput(corpora: dict[str, list[str]], checkouts: dict[str, Path], rounds: int, folder: Path) -> None:
    """Per corpus: the median seconds and CPU seconds of each, and the median of the rounds' ratios
    (raw seconds / engine seconds, each round's engine against the raw run just before it)."""
    clock = Clock()
    for name, lines in corpora.items():
        lines_file = folder / f"{len(lines)}.txt"
        lines_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        runs: dict[str, list[tuple[float, float]]] = {"raw apertium -u eng-spa": []}
        ratios: dict[str, list[float]] = {label: [] for label in checkouts}
        for _ in range(rounds):
            raw = raw_apertium(lines, clock)
            runs["raw apertium -u eng-spa"].append(raw)
            for label, checkout in checkouts.items():
                engine = engine_alone(checkout, lines_file)
                runs.setdefault(label, []).append(engine)
                ratios[label].append(raw[0] / engine[0])
            clock.lap()  # the engine children's CPU is measured by them
        raw_cpu = median(cpu for _, cpu in runs["raw apertium -u eng-spa"])
        print(f"\n{name}: medians of {rounds} rounds")
        print(f"  {'':34}{'seconds':>9}{'CPU s':>9}{'throughput vs raw':>19}{'CPU vs raw':>12}")
        for label, measured in runs.items():
            wall, cpu = median(w for w, _ in measured), median(c for _, c in measured)
            ratio = "" if label not in ratios else f"{median(ratios[label]):.2f}x"
            cpu_ratio = "" if label not in ratios else f"{raw_cpu / cpu:.2f}x"
            print(f"  {label:34}{wall:9.2f}{cpu:9.2f}{ratio:>19}{cpu_ratio:>12}")


def small_batches(lines: list[str], sizes: str, rounds: int, folder: Path, at_once: int = 1) -> None:
    """Batches of each size through the threads and through the in-pipe programs, side by side;
    `at_once` batches at the same time in threads of one process (a --jobs N run's partitions)."""
    lines_file = folder / "small.txt"
    lines_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, out = timed([sys.executable, "-c", SMALL_BATCHES, str(REPO), str(lines_file), sizes, str(rounds),
                    str(at_once)])
    found = json.loads(out)
    print(f"\nsmall batches{'' if at_once == 1 else f', {at_once} at once (as --jobs {at_once})'}: "
          "the repair steps in threads of the engine's process or in five in-pipe programs "
          f"(one process, medians of {rounds} rounds; the same output both ways)")
    print(f"  {'segments':>9}{'threads s':>11}{'CPU s':>8}{'programs s':>12}{'CPU s':>8}"
          f"{'threads/programs':>18}{'CPU':>7}")
    for size, paths in found.items():
        (wall_t, cpu_t), (wall_p, cpu_p) = [(median(w for w, _ in paths[path]), median(c for _, c in paths[path]))
                                            for path in ("threads", "programs")]
        print(f"  {int(size):9,}{wall_t:11.3f}{cpu_t:8.3f}{wall_p:12.3f}{cpu_p:8.3f}"
              f"{wall_t / wall_p:17.2f}x{cpu_t / cpu_p:6.2f}x")


def program_starts(checkouts: dict[str, Path], starts: int, folder: Path) -> None:
    """Each in-pipe program's start on empty input, per checkout, side by side; the checkouts' starts
    taken in turn, so a busy moment of the machine lands on all of them."""
    programs = {}
    for number, (label, checkout) in enumerate(checkouts.items()):
        datadir = folder / f"starts-{number}"
        datadir.mkdir()
        _, out = timed([sys.executable, "-c", PROGRAMS_OF, str(checkout), str(datadir)])
        programs[label] = [(position, [str(datadir / "repair"), "-z", *arguments])
                           for position, arguments in json.loads(out)]
    clock = Clock()
    labels = list(programs)
    spent: dict[tuple[str, int], list[float]] = {}
    for label in labels:
        for _, command in programs[label]:
            timed(command)  # FreeDict's senses into the cache folder first
    clock.lap()
    for _ in range(starts):
        for index in range(len(programs[labels[0]])):
            for label in labels:
                timed(programs[label][index][1])
                spent.setdefault((label, index), []).append(clock.lap())
    print(f"\nin-pipe programs started on empty input (CPU ms, medians of {starts} starts taken in turn)")
    print(f"  {'position: steps':58}" + "".join(f"{label[-16:]:>18}" for label in labels)
          + ("" if len(labels) < 2 else f"{'last/first':>12}"))
    for index, (position, command) in enumerate(programs[labels[0]]):
        ms = [median(spent[label, index]) * 1000 for label in labels]
        print(f"  {(position + ': ' + command[2])[:58]:58}" + "".join(f"{m:18.1f}" for m in ms)
              + ("" if len(labels) < 2 else f"{ms[-1] / ms[0]:11.2f}x"))


def capture_streams(lines: list[str], folder: Path) -> tuple[list[tuple[str, list[str], Path]], float]:
    """One run of the repaired mode on `lines` with the stream entering each in-pipe program saved:
    [(position, the program's arguments, its input file)], and the seconds the pivot word list took."""
    from pipeline.config import engine_settings
    from pipeline.engines.apertium import ApertiumEngine
    from pipeline.engines.apertium.engine import encode
    from pipeline.engines.apertium.process import blocks, install_repaired_mode
    from pipeline.engines.apertium.steps import Dictionaries, pipe_splices
    from pipeline.engines.apertium.unknown_words import WordList, pivot_words
    from pipeline.model import Span

    settings = engine_settings(os.environ)
    engine = ApertiumEngine(settings)
    datadir = folder / "datadir"
    datadir.mkdir()
    words_file = datadir / "unknown-words.tsv"
    started = time.monotonic()
    (pivot_words(lines, settings) or WordList({})).save(words_file)
    pivot_seconds = time.monotonic() - started
    splices = pipe_splices(engine.steps, Dictionaries((str(words_file),), settings.freedict))
    if not install_repaired_mode(settings, datadir, splices):
        raise SystemExit("the repaired mode cannot be made here (is apertium-eng-spa installed?)")
    mode_file = datadir / "modes" / f"{settings.apertium_mode}.mode"
    repair = str(datadir / "repair")
    programs = mode_file.read_text(encoding="utf-8").strip().split(" | ")
    captured = []
    for index, program in enumerate(programs):
        if program.strip("'").startswith(repair):
            position = splices[len(captured)][0]
            stream = folder / f"into-{len(captured) + 1}.txt"
            captured.append((position, splices[len(captured)][1], stream))
            programs[index] = f"tee {stream} | {program}"
    mode_file.write_text(" | ".join(programs) + "\n", encoding="utf-8")
    batch = blocks((i, encode([Span(line)])) for i, line in enumerate(lines))
    timed([settings.apertium, "-d", str(datadir), "-f", "html", "-u", settings.apertium_mode], batch.encode(),
          env=dict(os.environ, APERTIUM_TRANSFUSE="no"))
    return [(position, arguments, stream) for position, arguments, stream in captured], pivot_seconds


def profile(lines: list[str], folder: Path, functions: int = 0) -> None:
    """The per-program table; with `functions`, then a cProfile of each in-pipe program (run in this
    process on the stream it reads) showing that many functions by their own time."""
    captured, pivot_seconds = capture_streams(lines, folder)
    repair = str(folder / "datadir" / "repair")
    print(f"\nwhere the repaired pipe's time goes ({len(lines)} sentences; each in-pipe program alone on the "
          "stream it reads in the pipe)")
    print(f"  {'in-pipe program (position: steps)':58}{'seconds':>9}{'CPU s':>9}{'start-up s':>12}")
    total_wall = total_cpu = 0.0
    clock = Clock()
    for position, arguments, stream in captured:
        steps, options = arguments[0], arguments[1:]
        rows = [steps] + (steps.split(",") if "," in steps else [])
        for number, chosen in enumerate(rows):
            data = stream.read_bytes()
            wall, _ = timed([repair, chosen, *options], data)
            cpu = clock.lap()
            timed([repair, chosen, *options], b"")
            start_up = clock.lap()
            label = f"{position}: {chosen}" if number == 0 else f"    alone: {chosen}"
            print(f"  {label[:58]:58}{wall:9.2f}{cpu:9.2f}{start_up:12.3f}")
            if number == 0:
                total_wall, total_cpu = total_wall + wall, total_cpu + cpu
    print(f"  {'all in-pipe programs':58}{total_wall:9.2f}{total_cpu:9.2f}")
    print(f"  {'pivot word list (made while the pipe runs)':58}{pivot_seconds:9.2f}")
    if functions:
        from pipeline.engines.apertium.steps import main as in_pipe_program

        for position, arguments, stream in captured:
            print(f"\ncProfile of the in-pipe program after the {position}: {' '.join(arguments)[:80]}")
            profiler = cProfile.Profile()
            with stream.open("rb") as stdin, open(os.devnull, "wb") as stdout:
                profiler.runcall(in_pipe_program, arguments, stdin, stdout)
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(functions)
            print("\n".join(line for line in report.getvalue().splitlines()
                            if line.strip() and not line.lstrip().startswith(("Ordered by", "List reduced"))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of raw and engine runs, taken in turn")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout whose engine is measured beside this one's (e.g. a worktree of main)")
    parser.add_argument("--no-profile", action="store_true", help="skip the per-program figures")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also a cProfile of each in-pipe program: its N costliest functions")
    parser.add_argument("--only-small", action="store_true",
                        help="only the small batches (threads against programs) and the programs' start-up")
    parser.add_argument("--sizes", default="1,50,200,500", help="the small batches' sizes, comma-separated")
    parser.add_argument("--starts", type=int, default=25, help="starts of each in-pipe program on empty input")
    args = parser.parse_args()
    flores = FLORES.read_text(encoding="utf-8").splitlines()
    corpora = {f"FLORES devtest ({len(flores):,} sentences)": flores}
    four = sentences()
    corpora[f"FLORES devtest x4, as benchmarks/scale.py ({len(four):,} sentences)"] = four
    checkouts = {"repaired engine alone": REPO}
    checkouts.update({f"repaired engine alone, {path.name}": path.resolve() for path in args.compare})
    folder = Path(tempfile.mkdtemp(prefix="pipeline-engine-speed-"))
    try:
        small_batches(four, args.sizes, args.rounds, folder)
        small_batches(four, args.sizes, args.rounds, folder, at_once=2)
        program_starts({f"{path.resolve().name}": path.resolve() for path in args.compare} | {"this checkout": REPO},
                       args.starts, folder)
        if args.only_small:
            return 0
        throughput(corpora, checkouts, args.rounds, folder)
        if not args.no_profile:
            profile(four, folder, args.cprofile)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
