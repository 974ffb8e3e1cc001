"""Apertium English-to-Spanish (Debian ``apertium-eng-spa``, mode ``eng-spa``).

A whole batch goes through one ``apertium -f html -u eng-spa`` process. Each
segment travels as one numbered ``<p>`` block, so N segments in always come
back as N translations: text is HTML-escaped, so the only tags in the output
are ours. Protected spans ride inside ``<apertium-notrans>``, which the HTML
deformatter passes through untouched as a superblank.

The pair's own mode is run with repairs spliced into its pipe (see
:func:`repaired_mode`), each fixing a fault where it is made:

- plural genitive: the analyser reads the apostrophe of "the prisoners' demands"
  as a bare ``<apos>``, so the genitive rule never fires ("los prisioneros' las
  demandas"). After analysis, an apostrophe glued to a plural noun is read as
  the genitive ``'s`` ("las demandas de los prisioneros").

- sentence case: the transfer rules capitalise the first *rule-matched* chunk
  after a sentence end (``firstWord`` macro, ``EOS`` variable). Unknown words
  and superblanks match no rule, so after "Danius" or a kept Spanish span the
  next chunk was capitalised mid-sentence ("Danius Dijo"). After interchunk,
  that chunk is lowercased when words already came before it.
- blanks: some transfer rules output lexical units without a ``<b/>`` between
  them ("ratonesde4meses", "nosgusta"), and blanks of dropped words (subject
  pronouns, the genitive 's) land before punctuation or double up
  ("Siria .", "Red  CEO"). After postchunk, a blank goes between glued words
  and stray blanks before closing punctuation or repeated ones are dropped.
- unknown words: ordinary English words missing from the pair's dictionaries
  ("chanted", "indigenous") reach the generator as ``^*word$`` and come out in
  English. After postchunk they are replaced by a Spanish word, still marked
  unknown: the English-Catalan-Spanish pivot's answer for the word alone
  (:mod:`.pivot_lexicon`, found before the batch runs), else FreeDict's
  (:mod:`.freedict`, by lemma); words neither knows stay as they are.

Second opinions (opt-in, _SETTINGS.apertium_pivots): the same batch also goes through
other installed chains, such as English-Catalan-Spanish and English-Galician-Spanish, in
parallel, and each segment takes the candidate most like the others (:mod:`.consensus`).
The pivots have faults of their own, but rarely the same ones: a word one pair
mistranslates costs that candidate agreement. They do not get the rule modules, though,
and since those came in the eng-spa pair alone scores better (see the benchmark).

In the output, the post-generator's slips are put right ("EL agua" -> "El agua", "de el" -> "del"), and
two Spanish conventions the pair leaves in English: thousands
separators ("17,500" -> "17 500") and double quotes ("..." -> «...»). Dates are
not the engine's: the dates stage (pipeline/dates.py) hands them over as kept text.
"""
from __future__ import annotations

import codecs
import html
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..config import engine_settings
from ..errors import EngineError
from ..model import Span
from .base import Engine
from . import english_rules, lexical_choice, spanish_rules
from .consensus import most_agreed
from .freedict import FreeDict
from .pivot_lexicon import WordList, accept, candidate_words, unknown_words
from .stream import neighbour

_SETTINGS = engine_settings(os.environ)  # interim: replaced by settings passed to the engine

_BLOCK = re.compile(r'<p id="s(\d+)">(.*?)</p>', re.DOTALL)
_NOTRANS_TAG = re.compile(r"</?apertium-notrans>")

# The Apertium stream: superblanks [..] (also [[..]] and [{..}]), lexical units ^..$,
# chunks ^name<tags>{^..$ ^..$}$, escaped characters, and plain blank text.
_STREAM = re.compile(
    r"\[\[(?:\\.|[^\]\\])*\]\]"
    r"|\[(?:\\.|[^\]\\])*\]"
    r"|\^(?:\\.|[^{$\\])*\{(?:\\.|[^}\\])*\}\$"
    r"|\^(?:\\.|[^{$\\])*\$"  # no "{": half a chunk that has arrived is not a lexical unit
    r"|\\."
    r"|[^\[\^\\]+"
    r"|[\[\^\\]",
    re.DOTALL,
)
_CLOSING_PUNCTUATION = set(".,;:!?)]}…%»")


class ApertiumEngine(Engine):
    """Rule-based translation through the ``apertium`` command."""

    name = "apertium"

    @classmethod
    def available(cls) -> bool:
        """True when the apertium executable runs and lists the eng-spa mode."""
        return _SETTINGS.apertium_mode in installed_modes()

    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        """Translate every segment in one apertium process; protected spans pass through verbatim.

        With pivot pairs installed (_SETTINGS.apertium_pivots), the same batch also goes through
        them, at the same time, and each segment takes the translation most like the others.
        """
        texts = ["".join(s.text for s in spans) for spans in segments]
        results = list(texts)  # whitespace-only segments stay as they are
        blocks = "".join(f'<p id="s{i}">{encode(spans)}</p>\n'
                         for i, (spans, text) in enumerate(zip(segments, texts)) if text.strip())
        if not blocks:
            return results
        pivots = available_pivots()
        with ThreadPoolExecutor(max_workers=max(1, len(pivots))) as pool:
            seconds = [pool.submit(run_chain, blocks, chain) for chain in pivots]  # they need no word list
            words = pivot_words([span.text for spans in segments for span in spans if not span.protected])
            runs = [run_apertium(blocks, words)] + [run.result() for run in seconds]
            outputs = [dict((int(n), body) for n, body in _BLOCK.findall(run)) for run in runs]
        for index, (spans, text) in enumerate(zip(segments, texts)):
            if not text.strip():
                continue
            if index not in outputs[0]:
                raise EngineError(f"apertium lost segment {index + 1} of {len(segments)} (output not aligned)")
            candidates = [follow_source_edges(text, decode(outputs[0][index]))]
            kept = [span.output for span in spans if span.protected]
            for output in outputs[1:]:
                if index in output:
                    candidate = follow_source_edges(text, tidy(decode(output[index])))
                    if all(span in candidate for span in kept):
                        candidates.append(candidate)
            results[index] = candidates[most_agreed(candidates)]
        return results


def encode(spans: Sequence[Span]) -> str:
    """The HTML apertium reads for one segment: text escaped, protected spans in <apertium-notrans>."""
    parts = []
    for span in spans:
        if span.protected:
            parts.append(f"<apertium-notrans>{html.escape(span.output, quote=False)}</apertium-notrans>")
        else:
            parts.append(html.escape(span.text, quote=False))
    return "".join(parts)


def decode(body: str) -> str:
    """Plain text from apertium's HTML output for one segment, Spanish number and quote usage outside kept text."""
    pieces = re.split(r"<apertium-notrans>(.*?)</apertium-notrans>", body, flags=re.DOTALL)
    kept = [html.unescape(piece) for piece in pieces[1::2]]
    # kept text stands in as private-use characters while the usage fixes run over the translated text
    text = "".join(html.unescape(piece) + (chr(0xF0000 + i) if i < len(kept) else "")
                   for i, piece in enumerate(pieces[0::2]))
    text = spanish_quotes(spanish_thousands(postgeneration(text)))
    return re.sub("[\U000F0000-\U000FFFFD]", lambda m: kept[ord(m.group()) - 0xF0000], text)


def postgeneration(text: str) -> str:
    """What the post-generator misses or mangles: "EL agua" -> "El agua" (turning a capitalised
    "La agua" into "El agua" it writes the word in capitals), and "de el" / "a el" -> "del" / "al"
    where the article came from text it never saw joined ("más allá de" + "el día")."""
    text = re.sub(r"\b(E|A|DE)L(?= [a-záéíóúñü])", lambda m: m.group(1).capitalize() + "l", text)
    return re.sub(r"\b([Dd]e|[Aa]) el(?= [a-záéíóúñü])", r"\1l", text)


# --- Spanish usage the pair leaves in English ------------------------------------------

def spanish_thousands(text: str) -> str:
    """English thousands separators as in Spanish: "1,400" -> "1400", "17,500" -> "17 500" (no-break space)."""
    def regroup(match: re.Match) -> str:
        digits = match.group().replace(",", "")
        if len(digits) <= 4:
            return digits
        groups = [digits[max(0, end - 3):end] for end in range(len(digits), 0, -3)]
        return "\u00a0".join(reversed(groups))
    return re.sub(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d]|[.,]\d)", regroup, text)


def spanish_quotes(text: str) -> str:
    """Paired double quotes, straight or curly, as Spanish angle quotes: "no" -> «no».

    Unpaired straight quotes stay, and so do all of them in text with markup-like attributes (id="s0").
    """
    text = re.sub(r"“([^“”]*)”", r"«\1»", text)
    if text.count('"') % 2 == 0 and '="' not in text:
        text = re.sub(r'"([^"]*)"', r"«\1»", text)
    return text


def follow_source_edges(source: str, translation: str) -> str:
    """The translation with the source's outer whitespace, and a lowercase start where the source has one.

    Apertium capitalises every sentence start; a segment that starts lowercase
    (e.g. the words after a kept span) must not come back capitalised.
    """
    lead = source[: len(source) - len(source.lstrip())]
    tail = source[len(source.rstrip()):]
    translation = translation.strip()
    first_source_word = re.match(r"\W*(\w+)", source)
    first_word = re.match(r"(\W*)(\w+)", translation)
    if (first_source_word and first_word and first_source_word.group(1)[0].islower()
            and first_word.group(2)[0].isupper() and first_word.group(2) not in source):
        start = first_word.start(2)
        translation = translation[:start] + translation[start].lower() + translation[start + 1:]
    return lead + translation + tail


# --- running apertium ------------------------------------------------------------------

def run_apertium(text: str, words: WordList | None = None) -> str:
    """Apertium's output for HTML input, from one process; EngineError with its stderr on failure.

    `words`: Spanish for words the pair does not know, tried before FreeDict.
    """
    with tempfile.TemporaryDirectory(prefix="pipeline-apertium-") as datadir:
        command = [_SETTINGS.apertium, "-f", "html", "-u", _SETTINGS.apertium_mode]
        mode = system_mode_file()
        repair, word_file = Path(datadir, "repair"), Path(datadir, "unknown-words.tsv") if words else None
        if word_file:
            words.save(word_file)
        repaired = repaired_mode(mode.read_text(encoding="utf-8"), repair, word_file) if mode else None
        if repaired:
            # in null-flush mode apertium adds -z after each step's first word: the repairs get a script of their own
            repair.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m {__name__} \"$@\"\n")
            repair.chmod(0o755)
            modes = Path(datadir, "modes")
            modes.mkdir()
            (modes / f"{_SETTINGS.apertium_mode}.mode").write_text(repaired, encoding="utf-8")
            command[1:1] = ["-d", datadir]
        # the plain HTML deformatter, not Transfuse (a Recommends that may be absent): same stream everywhere
        environment = dict(os.environ, APERTIUM_TRANSFUSE="no")
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, env=environment)
        except OSError as error:
            raise EngineError(f"cannot run {_SETTINGS.apertium}: {error.strerror}") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit status {done.returncode}"
        raise EngineError(f"apertium failed: {message}")
    return done.stdout.decode("utf-8", "replace")


def run_chain(text: str, modes: Sequence[str], marks: bool = False) -> str:
    """HTML `text` through a chain of installed Apertium modes (a pivot: English-Catalan, Catalan-Spanish).

    `marks`: keep the unknown-word marks (``*word``) in the output.
    """
    environment = dict(os.environ, APERTIUM_TRANSFUSE="no")
    for mode in modes:
        done = subprocess.run([_SETTINGS.apertium, "-f", "html", *([] if marks else ["-u"]), mode],
                              input=text.encode("utf-8"), capture_output=True, env=environment)
        if done.returncode != 0:
            message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit status {done.returncode}"
            raise EngineError(f"apertium {mode} failed: {message}")
        text = done.stdout.decode("utf-8", "replace")
    return text


def pivot_words(texts: Sequence[str]) -> WordList | None:
    """Spanish for the words of `texts` (in lowercase) the eng-spa analyser does not know, each sent alone
    through _SETTINGS.apertium_word_pivot (:mod:`.pivot_lexicon`); None when that chain or the
    analyser is not installed."""
    chain, mode = _SETTINGS.apertium_word_pivot, system_mode_file()
    if not chain or mode is None or not all(name in installed_modes() for name in chain):
        return None
    analyser = shlex.split(mode.read_text(encoding="utf-8").split(" | ")[0])
    words = candidate_words(texts)
    if analyser[:1] != ["lt-proc"] or not words:
        return None
    try:
        analysis = subprocess.run(analyser, input="\n".join(words), capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    unknown = unknown_words(analysis.stdout)
    if not unknown:
        return WordList({})
    blocks = "".join(f'<p id="s{i}">{word}</p>\n' for i, word in enumerate(unknown))
    answers = dict(_BLOCK.findall(run_chain(blocks, chain, marks=True)))
    found = ((word, accept(word, html.unescape(answers.get(str(i), "")))) for i, word in enumerate(unknown))
    return WordList({word: spanish for word, spanish in found if spanish})


def installed_modes() -> frozenset[str]:
    """The modes ``apertium -l`` lists (empty when apertium does not run)."""
    return _listed_modes(_SETTINGS.apertium)


@lru_cache(maxsize=None)
def _listed_modes(executable: str) -> frozenset[str]:
    if shutil.which(executable) is None:
        return frozenset()
    try:
        listed = subprocess.run([executable, "-l"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(listed.stdout.split())


def available_pivots() -> list[list[str]]:
    """The pivot chains of _SETTINGS.apertium_pivots whose modes are all installed."""
    return [chain for chain in _SETTINGS.apertium_pivots if all(mode in installed_modes() for mode in chain)]


def tidy(text: str) -> str:
    """A pivot's output without blanks before closing punctuation or repeated spaces."""
    return re.sub(r" {2,}", " ", re.sub(r" +(?=[.,;:!?)\]}…%»])", "", text))


def system_mode_file() -> Path | None:
    """The installed eng-spa mode file (the shell pipe apertium runs), if found."""
    candidates = [os.environ.get("APERTIUM_DATADIR", "")]
    executable = shutil.which(_SETTINGS.apertium)
    if executable:
        candidates.append(str(Path(executable).resolve().parent.parent / "share" / "apertium"))
    candidates += ["/usr/share/apertium", "/usr/local/share/apertium"]
    for datadir in filter(None, candidates):
        mode = Path(datadir, "modes", f"{_SETTINGS.apertium_mode}.mode")
        if mode.is_file():
            return mode
    return None


def repaired_mode(mode: str, repair: Path, words: Path | None = None) -> str | None:
    """The mode's pipe with the genitive repair after analysis, the case repair after interchunk,
    and the word and blank repairs after postchunk.

    None when the pipe does not have the expected stages (then the mode runs unchanged).
    """
    steps = [step.strip() for step in mode.strip().split(" | ")]
    interchunk = [i for i, step in enumerate(steps) if step.startswith("apertium-interchunk ")]
    postchunk = [i for i, step in enumerate(steps) if step.startswith("apertium-postchunk ")]
    if len(interchunk) != 1 or len(postchunk) != 1 or interchunk[0] > postchunk[0]:
        return None
    tagger = [i for i, step in enumerate(steps) if step.startswith("apertium-tagger ")]
    lexical = [i for i, step in enumerate(steps) if step.startswith("lrx-proc ")]
    inserts = [(postchunk[0], f"blanks {shlex.quote(str(words))}" if words else "blanks"), (interchunk[0], "case")]
    inserts += [(lexical[0], "lexical")] if len(lexical) == 1 else []
    inserts += [(tagger[0], "tagged")] if len(tagger) == 1 else []
    if steps[0].startswith("lt-proc ") and "automorf" in steps[0]:
        inserts.append((0, "analysis"))
    for after, name in sorted(inserts, reverse=True):  # from the end, so earlier indexes stay right
        steps.insert(after + 1, f"{shlex.quote(str(repair))} {name}")
    return " | ".join(steps) + "\n"


# --- stream repairs (run inside the apertium pipe) --------------------------------------

def _lemma(unit: str) -> str:
    """The lemma of a lexical unit or chunk ``^lemma<tags>...$``."""
    return re.match(r"\^((?:\\.|[^<{$\\])*)", unit).group(1)


def _has_text(blank: str) -> bool:
    """True when a superblank carries text (a kept span, an entity), not just tags and spaces."""
    inner = re.sub(r"\\(.)", r"\1", blank.strip("[]{}"))
    return bool(re.sub(r"<[^>]*>|\s", "", inner))


class SentenceCase:
    """Lowercases a chunk capitalised as a sentence start when words already came before it.

    Reads interchunk output, where only the sentence-start chunk has a capitalised
    name; keeps its place in the sentence from one piece of the stream to the next.
    """

    def __init__(self):
        self.words_before = False

    def __call__(self, items: Sequence[str]) -> str:
        out = []
        for item in items:
            if item.startswith("^") and item.endswith("}$"):
                name = _lemma(item)
                body = item[item.index("{"):]
                if name == "punt":
                    if _lemma(body[1:]) not in (";", ":"):  # as the t1x rule that sets EOS
                        self.words_before = False
                elif "^" in body:
                    if name[:1].isupper() and self.words_before:
                        item = "^" + name[0].lower() + item[2:]
                    self.words_before = True
            elif item.startswith("[") and _has_text(item):
                self.words_before = True
            out.append(item)
        return "".join(out)


def repair_sentence_case(stream: str) -> str:
    """Interchunk output with mid-sentence capitals from the transfer's sentence-start rule undone."""
    return SentenceCase()(_STREAM.findall(stream))


def _is_word(unit: str) -> bool:
    return bool(re.search(r"\w", _lemma(unit)))


def _glued(left: str, right: str) -> bool:
    """True when two adjacent units are words a transfer rule forgot to separate."""
    if not (_is_word(left) and _is_word(right)) or right.startswith("^*") or left.startswith("^*"):
        return False
    if "<acr>" in right:
        return False
    if "<num>" in left:  # "4 meses", "70 km"; but "802.11g" came glued in the source
        return "<n>" in right
    return True


class Blanks:
    """Puts a blank between glued words, drops blanks before closing punctuation and repeated spaces.

    Reads postchunk output (lexical units only); blanks holding a newline are kept.
    Remembers the last item from one piece of the stream to the next.
    """

    def __init__(self):
        self.previous = ""

    def __call__(self, items: Sequence[str], lookahead: str = "") -> str:
        """The items repaired; `lookahead` is the item that follows them in the stream, if known."""
        out: list[str] = []
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else lookahead
            if item.startswith("^"):
                out.append(item)
                if following.startswith("^") and _glued(item, following):
                    out.append(" ")
            elif not item.startswith("[") and "\n" not in item:
                if (not item.strip(" ") and self.previous.startswith("^") and following.startswith("^")
                        and _lemma(following)[:1] in _CLOSING_PUNCTUATION):
                    item = ""  # "Siria ." -> "Siria."
                out.append(re.sub(" {2,}", " ", item))
            else:
                out.append(item)
            self.previous = item
        return "".join(out)


def repair_blanks(stream: str) -> str:
    """Postchunk output with a blank between glued words, none before closing punctuation, no repeated spaces."""
    return Blanks()(_STREAM.findall(stream))


def _readings(unit: str) -> list[str]:
    """The analyses of an analyser unit ``^form/reading/reading$`` (form excluded)."""
    return re.split(r"(?<!\\)/", unit[1:-1])[1:]


def _next_unit(items: Sequence[str], index: int, step: int) -> str:
    """The nearest lexical unit before or after items[index] (see :func:`.stream.neighbour`), or ""."""
    found = neighbour(items, index, step)
    return "" if found is None else items[found]


class Sentences:
    """Holds stream items back until a sentence or block ends, so fixes see whole sentences.

    `fix` takes a complete run of items and returns it repaired; `__call__` returns
    the items ready to go on, and `final=True` lets everything out. The blank text after
    a sentence end goes with it (a closing quote there belongs to the sentence), so a run
    is cut only once the item after its end has arrived: where the pipe cuts the stream
    does not change what the fixes see.
    """

    def __init__(self, fix):
        self.fix = fix
        self.pending: list[str] = []

    def __call__(self, items: Sequence[str], final: bool = False) -> list[str]:
        self.pending += items
        ends = [i for i, item in enumerate(self.pending[:-1]) if item.startswith("[") or "<sent>" in item]
        if final:
            cut = len(self.pending)
        elif ends:
            cut = ends[-1] + (1 if self.pending[ends[-1] + 1].startswith(("^", "[")) else 2)
        else:
            cut = 0
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        return self.fix(ready) if ready else []


_NOMINAL = re.compile(r"<(?:det|num|n|np|adj)>|<prn>(?!<subj>)")


def disambiguate(items: Sequence[str]) -> list[str]:
    """Analyser output with readings that cannot fit their neighbours removed, before the tagger chooses.

    - an apostrophe glued to a plural noun ("prisoners' demands") is the genitive ``'s``;
    - a preposition/adverb before a determiner, number, noun or adjective is the
      preposition ("on many occasions": "en", not the adverb "encima");
    - a past/participle form after a form of be or have is the participle
      ("is widely used": "utilizado", not "utilizó").
    """
    items = list(items)
    for index, item in enumerate(items):
        if not item.startswith("^"):
            continue
        readings = _readings(item)
        form = re.split(r"(?<!\\)/", item[1:-1])[0]
        if item == "^'/'<apos>$":
            before = items[index - 1] if index else ""
            if before.startswith("^") and any(re.search(r"<n>.*<pl>", r) for r in _readings(before)):
                items[index] = "^'/'s<gen>$"
            continue
        if len(readings) < 2:
            continue
        keep = readings
        if any("<pr>" in r for r in readings) and any("<adv>" in r for r in readings):
            following = _readings(_next_unit(items, index, 1))
            if following and all(_NOMINAL.search(r) for r in following):
                keep = [r for r in readings if "<pr>" in r]
        elif any("<vblex><past>" in r for r in readings) and any("<vblex><pp>" in r for r in readings):
            before_index = neighbour(items, index, -1)
            while before_index is not None and all("<adv>" in r for r in _readings(items[before_index])):
                before_index = neighbour(items, before_index, -1)  # "is widely used"
            before = "" if before_index is None else items[before_index]
            if before and not before.startswith("^'s/") and any(
                    re.match(r"(?:be<vbser>|have<vbhaver>)", r, re.IGNORECASE) for r in _readings(before)):
                keep = [r for r in readings if "<pp>" in r]
        if keep != readings:
            items[index] = "^" + form + "/" + "/".join(keep) + "$"
    return items


def repair_analysis(stream: str) -> str:
    """Analyser output disambiguated by :func:`disambiguate` (a whole stream at once)."""
    return "".join(Sentences(disambiguate)(_STREAM.findall(stream), final=True))


def fix_transfer(items: Sequence[str]) -> list[str]:
    """Postchunk output with two transfer choices put right, from the English they came from.

    - "was built" is a passive: ser, not estar, in the preterite ("fue construido", not "estuvo");
    - an interrogative right after a noun or comma is a relative ("personas que", not "personas quién").
    """
    items = list(items)
    for index, item in enumerate(items):
        if not item.startswith("^"):
            continue
        if re.match(r"\^[Ee]star<vblex><ifi>", item) and "<vblex><pp>" in _next_unit(items, index, 1):
            items[index] = "^" + ("S" if item[1] == "E" else "s") + "er<vbser>" + item[len("^estar<vblex>"):]
        elif re.match(r"\^(?:quién|cuál)<prn><itg>", item):
            before = _next_unit(items, index, -1)
            if re.search(r"<(?:n|np|cm)>", before):
                items[index] = "^que<rel><an><mf><sp>$"
    return items


_UNKNOWN_WORD = re.compile(r"\^\*([A-Za-z][a-z'-]*)\$")


class UnknownWords:
    """Replaces unknown English words (``^*chanted$``) by a Spanish word from the first dictionary
    that has one, still marked. A capitalised word ("Indigenous") is looked up in lowercase, in the
    pivot word lists only (a name is rarely in them), and comes out capitalised only at a sentence start.
    """

    def __init__(self, dictionaries: Sequence["FreeDict | WordList | None"]):
        self.dictionaries = [dictionary for dictionary in dictionaries if dictionary is not None]
        self.words_before = False

    def __call__(self, items: Sequence[str]) -> list[str]:
        out = []
        for item in items:
            if item.startswith("^*") and self.dictionaries:
                item = self.replace(item, sentence_start=not self.words_before)
            if "<sent>" in item or (item.startswith("[") and "<p" in item):
                self.words_before = False
            elif item.startswith("^") and _is_word(item):
                self.words_before = True
            out.append(item)
        return out

    def replace(self, item: str, sentence_start: bool = False) -> str:
        match = _UNKNOWN_WORD.fullmatch(item)
        if not match:
            return item
        word = match.group(1)
        dictionaries = self.dictionaries if word.islower() else [d for d in self.dictionaries if isinstance(d, WordList)]
        found = (dictionary.translate(word.lower()) for dictionary in dictionaries)
        spanish = next((translation for translation in found if translation), None)
        if not spanish:
            return item
        if sentence_start and not word.islower():
            spanish = spanish[0].upper() + spanish[1:]
        return "^*" + re.sub(r"([\^$@*<>{}\[\]/\\#])", r"\\\1", spanish) + "$"


def _pieces(chunks: Iterable[bytes]) -> Iterator[tuple[list[str], str]]:
    """The stream as (complete items, the item after them) as it arrives; the last lookahead is ""."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        items = _STREAM.findall(pending)
        opened = [i for i, item in enumerate(items) if item in ("[", "^", "\\")]  # not complete yet
        # the lookahead (items[keep]) must be complete too: it comes before anything open or last
        keep = max(0, min(opened[0] - 1 if opened else len(items), len(items) - 2))
        if keep:
            yield items[:keep], items[keep]
            pending = "".join(items[keep:])
    pending += decoder.decode(b"", final=True)
    if pending:
        yield _STREAM.findall(pending), ""


# The repair steps spliced into the pipe, in pipe order (see repaired_mode).
STAGES = ("analysis", "tagged", "lexical", "case", "blanks")


def main(argv: Sequence[str]) -> int:
    """Entry point of the repairs in the apertium pipe:
    ``python -m pipeline.engines.apertium [-z] STAGE``, and ``blanks WORDS.tsv`` with a pivot word list.

    Streams: each complete piece is repaired and flushed at once, so the stages
    after it work while apertium is still reading.
    """
    names = [arg for arg in argv if arg != "-z"]
    if not names or names[0] not in STAGES or len(names) > (2 if names[0] == "blanks" else 1):
        print(f"usage: python -m pipeline.engines.apertium [-z] {'|'.join(STAGES)} [WORDS.tsv]", file=sys.stderr)
        return 2
    analysis, case, blanks = Sentences(disambiguate), SentenceCase(), Blanks()
    transfer = Sentences(lambda items: spanish_rules.edit_postchunk(fix_transfer(items)))
    tagged, lexical = Sentences(english_rules.edit_tagged), Sentences(lexical_choice.choose)
    words = UnknownWords([*map(WordList.load, names[1:]), FreeDict.load(_SETTINGS.freedict)]
                         if names[0] == "blanks" else [])
    chunks = iter(lambda: sys.stdin.buffer.read1(1 << 16), b"")
    for items, following in itertools.chain(_pieces(chunks), [([], "")]):  # the empty last piece lets held items out
        final = following == ""
        if names[0] == "analysis":
            repaired = "".join(analysis(items, final))
        elif names[0] == "tagged":
            repaired = "".join(tagged(items, final))
        elif names[0] == "lexical":
            repaired = "".join(lexical(items, final))
        elif names[0] == "case":
            repaired = case(items)
        else:
            ready = words(transfer(items, final))
            repaired = blanks(ready, transfer.pending[0] if transfer.pending else following)
        sys.stdout.buffer.write(repaired.encode("utf-8", "surrogateescape"))
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
