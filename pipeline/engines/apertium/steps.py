"""STEPS: the repair steps of the Apertium engine, where each one runs, and what it fixes.

Each fault is put right where the pair makes it: a step runs right after one program of
the eng-spa mode (``lt-proc`` analyser, ``apertium-tagger``, ``lrx-proc``,
``apertium-interchunk``, ``apertium-postchunk``), inside apertium's own pipe, or on each
segment's text once it is out (``output``). Three things read this registry:

- the mode builder (:class:`.engine.ApertiumEngine` via :func:`pipe_splices` and
  :func:`.process.repaired_mode`): one in-pipe program after each position that has steps;
- the in-pipe program (``python -m pipeline.engines.apertium STEP,STEP``, :func:`repair_stream`);
- the benchmark's ablation (``ApertiumEngine(settings, disabled_steps={name})``).

A step is one of two kinds. A *sentence fix* (`fix`) takes the items of whole sentences
and returns them edited; the stream is held back until a sentence ends
(:class:`.stream.Sentences`), and adjacent fixes at one position share the hold. A
*streaming repair* (`repair`) is made once per pipe process and takes each piece of the
stream as it arrives with the item after it. Output steps (`fix` on text) run in the engine on
the translated text with the kept spans masked. Steps at one position run in the order below.

Adding a step: write the fix (items -> items, reading them with :mod:`.stream`) in the module
of its side (english_rules, spanish_rules, repairs), add a Step here after the program whose
output it reads, and measure it with ``benchmarks/translation_quality.py --ablation`` (quality)
and ``benchmarks/engine_speed.py`` (its in-pipe program's CPU seconds).

Cost: one Python process per position that has steps, five a batch, each reading the whole stream;
a small batch (engine.IN_PROCESS_SEGMENTS) runs the same :func:`repair_pipe` in a thread per position of
the engine's process instead, between FIFOs and shell relays (:func:`.process.translate_relayed`), and
pays no start-up: one sentence 0.18 s against 0.38 s (benchmarks/engine_speed.py --only-small).
CPU seconds on FLORES devtest x4 (4,048 sentences; benchmarks/engine_speed.py, each program alone
on the stream it reads in the pipe), before and after they were made faster with the same output:
disambiguation 0.63 -> 0.25, english-rules 1.43 -> 0.44, lexical-choices 0.89 -> 0.34,
sentence-case 0.36 -> 0.27, the postchunk four 1.46 -> 0.61; start-up about 80 -> 60 ms each. On empty
input (CPU, medians of 25 starts, this machine shared): about 70 ms each, the postchunk program 89 -> 74 ms
with FreeDict's senses from the cache folder (parsing them was 18 ms) and hashlib and subprocess imported
only where used. Then each program loaded only its own position's rules (:class:`Rule`), without
dataclasses (inspect) or argparse: 63 -> 37 ms each, the postchunk program 69 -> 48 ms
(benchmarks/engine_speed.py --starts 15, medians, the two checkouts in turn). What is left is the
interpreter, pathlib (pipeline.errors) and compiling the rules' patterns. A fix
reads every item of every sentence, so a rule tests the cheap thing first (a substring a pattern
needs, the lemma) and looks at neighbours only where it can fire; patterns are compiled once.

Why each is on: engine chrF on FLORES devtest with all of them is 46.60, and without one
(benchmarks/translation_quality.py --ablation): disambiguation 46.61, english-rules 46.23,
lexical-choices 45.21, sentence-case 46.55, transfer-fixes 46.58, spanish-rules 46.46,
unknown-words 46.28, blanks 46.60, postgeneration 46.60, thousands 46.58, angle-quotes 46.50;
with none, 44.12, as raw ``apertium -u``. Disambiguation, blanks and postgeneration fix faults
chrF hardly sees (a genitive word order, "ratonesde4meses", "EL agua") and stay for the reader.
"""
from __future__ import annotations

import itertools
from functools import reduce
from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from ...errors import EngineError
from .process import PROGRAMS
from .stream import Sentences, pieces

if TYPE_CHECKING:
    Repair = Callable[[list[str], str], list[str]]  # a streaming repair: (items, the item after them) -> items

OUTPUT = "output"  # the position after the pipe: each segment's translated text, in the engine


class Rule:
    """A step's function, named by its module and imported when first called: an in-pipe program loads
    the rules of its own position only (each of the five loaded all of them, with the word senses' table)."""

    __slots__ = ("module", "name", "_function")

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name
        self._function: Callable[..., Any] | None = None

    def __call__(self, *arguments: Any) -> Any:
        if self._function is None:
            self._function = getattr(import_module(f".{self.module}", __package__), self.name)
        return self._function(*arguments)

    def __repr__(self) -> str:
        return f"Rule({self.module}.{self.name})"


class Dictionaries(NamedTuple):
    """What the unknown-words step looks words up in, passed to the in-pipe program on its command line:
    the pivot word lists (TSV files), then FreeDict (a dictd stem; empty: none), and the cache folder
    its parsed senses are kept in (empty: none; :mod:`pipeline.cache`). (NamedTuples here, not dataclasses:
    importing dataclasses, with inspect, was the largest part of each in-pipe program's start.)"""

    word_lists: tuple[str, ...] = ()
    freedict: str = ""
    cache_dir: str = ""

    def arguments(self) -> list[str]:
        """These dictionaries as in-pipe program options."""
        return [*itertools.chain.from_iterable(("--words", path) for path in self.word_lists),
                *(["--freedict", self.freedict] if self.freedict else []),
                *(["--cache", self.cache_dir] if self.freedict and self.cache_dir else [])]


class Step(NamedTuple):
    """One repair: its name, the program it runs after (:data:`.process.PROGRAMS`, or OUTPUT), what it fixes,
    and either `fix` (whole sentences of items -> items; at OUTPUT, text -> text) or `repair` (makes a
    streaming repair from the dictionaries)."""

    name: str
    after: str
    fixes: str
    fix: Callable[..., Any] | None = None
    repair: Callable[[Dictionaries], Repair] | None = None
    uses_dictionaries: bool = False


def _unknown_words(dictionaries: Dictionaries) -> Repair:
    from .unknown_words import UnknownWords

    return UnknownWords.load(dictionaries.word_lists, dictionaries.freedict, dictionaries.cache_dir)


STEPS: tuple[Step, ...] = (
    Step("disambiguation", "analyser",
         "readings that cannot fit their neighbours: the plural genitive (\"the prisoners' demands\"), "
         "preposition or adverb (\"on many occasions\"), participle after be/have (\"is widely used\")",
         fix=Rule("repairs", "disambiguate")),
    Step("english-rules", "tagger",
         "English the transfer translates badly: missing articles and \"that\", relatives, past tenses "
         "read as participles, \"as\", decades (english_rules.py)",
         fix=Rule("english_rules", "edit_tagged")),
    Step("lexical-choices", "lexical selection",
         "word senses the pair picks wrongly, from lexical_choice.tsv and the words around them",
         fix=Rule("lexical_choice", "choose")),
    Step("sentence-case", "interchunk",
         "a capital in mid-sentence after an unknown word or a kept span (\"Danius Dijo\")",
         repair=lambda dictionaries: import_module(".repairs", __package__).SentenceCase()),
    Step("transfer-fixes", "postchunk",
         "estar for a passive (\"estuvo construido\"), an interrogative for a relative (\"personas quién\")",
         fix=Rule("repairs", "fix_transfer")),
    Step("spanish-rules", "postchunk",
         "Spanish the transfer gets wrong: se passives, governed infinitives, \"both ... and\", "
         "subject articles, punctuation around quotes (spanish_rules.py)",
         fix=Rule("spanish_rules", "edit_postchunk")),
    Step("unknown-words", "postchunk",
         "English words the pair does not know (\"chanted\"): the pivot word list's Spanish, else FreeDict's",
         repair=_unknown_words,
         uses_dictionaries=True),
    Step("blanks", "postchunk",
         "words glued by transfer rules (\"ratonesde4meses\"), blanks before punctuation or doubled (\"Siria .\")",
         repair=lambda dictionaries: import_module(".repairs", __package__).Blanks()),
    Step("postgeneration", OUTPUT,
         "the post-generator's slips: \"EL agua\" -> \"El agua\", \"de el\" -> \"del\"",
         fix=Rule("text_fixes", "postgeneration")),
    Step("thousands", OUTPUT,
         "English thousands separators: \"17,500\" -> \"17 500\", \"1,400\" -> \"1400\"",
         fix=Rule("text_fixes", "spanish_thousands")),
    Step("angle-quotes", OUTPUT,
         "double quotes as Spanish angle quotes: \"no\" -> «no»",
         fix=Rule("text_fixes", "spanish_quotes")),
)
STEP_NAMES = tuple(step.name for step in STEPS)
_BY_NAME = {step.name: step for step in STEPS}
assert all(step.after in PROGRAMS or step.after == OUTPUT for step in STEPS)


def steps_named(names: Iterable[str]) -> list[Step]:
    """The steps of these names, in STEPS order; EngineError naming the unknown ones."""
    names = set(names)
    unknown = names - set(_BY_NAME)
    if unknown:
        raise EngineError(f"unknown repair step {', '.join(sorted(unknown))} (steps: {', '.join(STEP_NAMES)})")
    return [step for step in STEPS if step.name in names]


def pipe_groups(steps: Sequence[Step]) -> list[tuple[str, list[Step]]]:
    """(position, the steps of `steps` that run after it) for each position of the pipe they use, in pipe order."""
    groups: dict[str, list[Step]] = {}
    for step in steps:
        if step.after != OUTPUT:
            groups.setdefault(step.after, []).append(step)
    return list(groups.items())


def pipe_splices(steps: Sequence[Step], dictionaries: Dictionaries) -> list[tuple[str, list[str]]]:
    """(position, in-pipe program arguments) for each position of the pipe that `steps` run after, in pipe order."""
    return [(position, [",".join(step.name for step in group),
                        *(dictionaries.arguments() if any(step.uses_dictionaries for step in group) else [])])
            for position, group in pipe_groups(steps)]


def output_fixes(steps: Sequence[Step]) -> list[Callable[[str], str]]:
    """The text fixes of the OUTPUT steps among `steps`, in order."""
    return [step.fix for step in steps if step.after == OUTPUT and step.fix is not None]


def repair_stream(steps: Sequence[Step], chunks: Iterable[bytes], dictionaries: Dictionaries = Dictionaries()
                  ) -> Iterator[str]:
    """The stream of `chunks` (as the pipe delivers it) with `steps` run over it, in order: each complete
    piece is repaired and given out at once, so the programs after it work while apertium still reads."""
    stages: list = []  # a Sentences holding whole sentences for adjacent fixes, or a streaming repair
    for step in steps:
        if step.fix is not None:
            if stages and isinstance(stages[-1], list):
                stages[-1].append(step.fix)
            else:
                stages.append([step.fix])
        elif step.repair is not None:  # a Step has one of the two
            stages.append(step.repair(dictionaries))
    stages = [Sentences(_composed(stage)) if isinstance(stage, list) else stage for stage in stages]
    for found, following in itertools.chain(pieces(chunks), [([], "")]):  # the empty last piece lets held items out
        final = following == ""
        for stage in stages:
            if isinstance(stage, Sentences):
                found = stage(found, final)
                following = stage.pending[0] if stage.pending else following
            else:
                found = stage(found, following)
        yield "".join(found)


def _composed(fixes: Sequence[Callable[[list[str]], list[str]]]) -> Callable[[list[str]], list[str]]:
    return lambda found: reduce(lambda edited, fix: fix(edited), fixes, found)


def repair_pipe(steps: Sequence[Step], dictionaries: Dictionaries, stdin, stdout) -> None:
    """The in-pipe program's work, wherever it runs (its own process, or a thread of the engine's between
    two FIFOs): the stream from `stdin` (binary) repaired by `steps` to `stdout` (binary), each piece flushed."""
    chunks = iter(lambda: stdin.read1(1 << 16), b"")
    for repaired in repair_stream(steps, chunks, dictionaries):
        stdout.write(repaired.encode("utf-8", "surrogateescape"))
        stdout.flush()


def main(argv: Sequence[str], stdin, stdout) -> int:
    """The in-pipe program: ``python -m pipeline.engines.apertium [-z] STEP[,STEP...] [--words FILE.tsv]...
    [--freedict STEM] [--cache DIR]`` repairs apertium's stream from `stdin` (binary) to `stdout` (binary), flushing each piece."""
    found = _arguments(argv)
    if found is None:  # anything else (--help, a mistake): argparse says what, as a program does
        found = _parsed(argv)
    steps, words, freedict, cache_dir = found
    try:
        chosen = steps_named(steps.split(","))
    except EngineError as error:
        _parser().error(str(error))
    if any(step.after == OUTPUT for step in chosen):
        _parser().error("output steps run in the engine, not in the pipe")
    repair_pipe(chosen, Dictionaries(tuple(words), freedict, cache_dir), stdin, stdout)
    return 0


def _arguments(argv: Sequence[str]) -> tuple[str, list[str], str, str] | None:
    """The command line as the mode file writes it (steps, word lists, FreeDict, cache folder), read
    without argparse (importing it was a tenth of each in-pipe program's start); None for any other."""
    rest = list(argv[1:] if argv[:1] == ["-z"] else argv)
    if not rest or rest[0].startswith("-"):
        return None
    steps, options = rest[0], rest[1:]
    words, values = [], {"--freedict": "", "--cache": ""}
    while options:
        if len(options) < 2 or options[1].startswith("-"):
            return None
        option, value, options = options[0], options[1], options[2:]
        if option == "--words":
            words.append(value)
        elif option in values:
            values[option] = value
        else:
            return None
    return steps, words, values["--freedict"], values["--cache"]


def _parser():
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.engines.apertium",
                                     description="Repair steps inside the apertium pipe (pipeline/engines/apertium/steps.py).")
    parser.add_argument("-z", action="store_true", help="null-flush mode (added by apertium; every piece is flushed)")
    parser.add_argument("steps", help=f"comma-separated, from: {', '.join(STEP_NAMES)}")
    parser.add_argument("--words", action="append", default=[], help="a pivot word list (TSV) for unknown-words")
    parser.add_argument("--freedict", default="", help="FreeDict dictd files without extension, for unknown-words")
    parser.add_argument("--cache", default="", help="the cache folder FreeDict's parsed senses are kept in")
    return parser


def _parsed(argv: Sequence[str]) -> tuple[str, list[str], str, str]:
    args = _parser().parse_args(argv)
    return args.steps, args.words, args.freedict, args.cache
