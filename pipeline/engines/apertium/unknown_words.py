"""Spanish for the English words the eng-spa pair does not know: a pivot word list, then FreeDict.

Ordinary English words missing from the pair's dictionaries ("chanted", "indigenous")
reach the generator as ``^*word$`` and come out in English. The unknown-words step
(after postchunk, :mod:`.steps`) replaces each by a Spanish word, still marked unknown:
the English-Catalan-Spanish pivot's answer for the word alone, else FreeDict's (by
lemma); words neither knows stay as they are.

Pivot word list. The English-Catalan pair's dictionaries are larger than English-Spanish's:
of the lowercase words eng-spa leaves in English on FLORES devtest and the reference
article, eng-cat -> cat-spa translates about four in ten, FreeDict about one in
eight. Before a batch, its unknown words are found with the eng-spa analyser
(:func:`pivot_words`), sent alone through the pivot chain, and the clean one-to-three-word
answers make a word list the step consults before FreeDict (a real pair's analyser
and dictionary beat FreeDict's first sense; where both answer, the scores tie).
Measured on FLORES devtest: engine chrF 46.36 -> 46.60, both halves.

The answers are kept in the cache folder (:mod:`pipeline.cache`), "no usable answer" too, keyed
by the chain's mode files, the data files and programs they name and this package's code, so a
word goes through the pivot once on a machine. Starting the two modes was most of a one-sentence
engine run (eng-cat alone 0.29 CPU seconds); benchmarks/startup.py, one sentence, medians of seven
rounds on this shared 2-core machine: 1.22 s before, 0.63 s with a warm cache (0.52x). That a cached answer
is right needs a word's answer not to depend on the words asked with it: each word is asked as a
sentence of its own (:func:`pivot_request`). Asked as bare words one after another, 2 of 1,247
words came back otherwise in another order ("inc": "el inc" or "inc", both refused; "recruited":
"contrató" or "contratado"); as sentences, 0, between the original order, two shuffles and one word
per request (``benchmarks/startup.py --orders``, which counts accepted answers: 1 before, 0 now). On
FLORES devtest that changed one line ("eran contrató" -> "eran contratado"); chrF 46.60 both ways.

FreeDict (Debian ``dict-freedict-eng-spa``). A dictd dictionary is an index
(``word<TAB>offset<TAB>length``, numbers in base 64) and a dictzip file, which gzip
reads. An inflected English word is looked up by its lemma ("chanted" -> "chant"), and
the first sense found is inflected the same simple way in Spanish where that is safe
(noun plural, participle, gerund, -mente adverb); otherwise the Spanish lemma is used.
Measured on FLORES devtest: engine chrF 46.58 without it, 46.60 with it.

The in-pipe step gets the word-list files, the FreeDict path and the cache folder on its command
line from the engine (:class:`.steps.Dictionaries`); it reads no settings of its own.
"""
from __future__ import annotations

import html
import re
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ...cache import key_of, load, merge, stamp, store
from ...errors import EngineError
from .process import (blocks, mode_data_files, mode_programs, package_code, read_blocks, run,
                      system_mode_file, translate_chain)
from .stream import is_word

if TYPE_CHECKING:  # settings come as arguments: the in-pipe program never loads config
    from ...config import EngineSettings

# --- the pivot word list ------------------------------------------------------------

# words worth looking up, three letters or more; capitalised ones in lowercase ("Indigenous"):
# a name is rarely known to the pivot either
_WORD = re.compile(r"(?<![\w'-])[A-Za-z][a-z'-]+[a-z](?![\w'-])")
_UNKNOWN = re.compile(r"\^([^/$]*)/\*")
_ANSWER = re.compile(r"[a-záéíóúüñ]+(?: [a-záéíóúüñ]+){0,2}")
# a pivot answer may start with the article the Catalan pair gives bare plurals ("inmates" -> "los presos")
_LEADING_ARTICLE = re.compile(r"(?:el|la|los|las|lo) ")
_NOT_A_TRANSLATION = re.compile(r"(?:de|del|a|al|en|un|una|unos|unas|y|o|que|se)(?: |$)")


def candidate_words(texts: Iterable[str]) -> list[str]:
    """The distinct words of `texts` in lowercase, in order of first appearance."""
    return list(dict.fromkeys(word.lower() for text in texts for word in _WORD.findall(text)))


def unknown_words(analysis: str) -> list[str]:
    """The surface forms the analyser marked unknown (``^sewage/*sewage$``) in its output."""
    return list(dict.fromkeys(_UNKNOWN.findall(analysis)))


def accept(english: str, spanish: str) -> str | None:
    """The pivot's answer for one English word, cleaned, or None when it is not a usable word:
    still unknown (``*sewage``), the English word back, a name, or a phrase of other words."""
    spanish = _LEADING_ARTICLE.sub("", spanish.strip(), count=1)
    if not _ANSWER.fullmatch(spanish) or spanish == english or _NOT_A_TRANSLATION.match(spanish):
        return None
    return spanish


class WordList:
    """English word form -> Spanish, read from and written to a two-column TSV file."""

    def __init__(self, words: dict[str, str]):
        self.words = words

    def translate(self, word: str) -> str | None:
        """The Spanish for an English word form, or None."""
        return self.words.get(word)

    def save(self, path: Path) -> None:
        path.write_text("".join(f"{english}\t{spanish}\n" for english, spanish in self.words.items()),
                        encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "WordList":
        rows = (line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines())
        return cls({row[0]: row[1] for row in rows if len(row) == 2})


# Each word goes as a sentence of its own, "word ." in its own block: the taggers (HMM and constraint
# grammar) and the transfer start again at a sentence end, so a word's answer does not depend on the words
# sent with it, and a cached answer is the one a look-up would give today. As bare words in blocks, 2 of the
# 1,247 words eng-spa leaves unknown on FLORES devtest and the reference articles changed with the order they
# were sent in ("recruited": "contrató" after "inc", read as one sentence, "contratado" alone); as sentences,
# 0 of them, between the original order, two shuffles and each word sent alone (benchmarks/startup.py --orders).
# The full stop is a token apart (a space before it), so no word becomes an abbreviation with it ("inc.").
_SENTENCE_END = " ."
PIVOT_CACHE = "pivot-words"  # the cache file's name (pipeline.cache): English word -> accepted answer or ""


def pivot_request(words: Sequence[str]) -> str:
    """The HTML the pivot chain reads for `words`: block N is word N, as a sentence of its own."""
    return blocks((number, html.escape(word + _SENTENCE_END, quote=False)) for number, word in enumerate(words))


def pivot_answers(words: Sequence[str], settings: EngineSettings) -> dict[str, str]:
    """The pivot chain's accepted answer for each of `words` ("" where it has none usable), asked now;
    a word whose block did not come back is left out (not an answer to keep)."""
    output = read_blocks(translate_chain(settings, settings.apertium_word_pivot, pivot_request(words), marks=True))
    answers = {}
    for number, word in enumerate(words):
        if number in output:
            answer = html.unescape(output[number]).strip()
            answer = answer[:-1].rstrip() if answer.endswith(".") else answer  # the sentence's full stop
            answers[word] = accept(word, answer) or ""
    return answers


def pivot_key(settings: EngineSettings) -> str | None:
    """What decides the pivot's answers: the chain's mode files, the data files and programs they name
    (size and time), the apertium executable, this package's code; None when a mode is not installed."""
    parts: list[object] = [settings.apertium_word_pivot, stamp(shutil.which(settings.apertium) or settings.apertium),
                           package_code(), sys.version]
    for name in settings.apertium_word_pivot:
        mode = system_mode_file(settings, name)
        if mode is None:
            return None
        text = mode.read_text(encoding="utf-8")
        parts += [text, *map(stamp, mode_data_files(text)), *map(stamp, mode_programs(text))]
    return key_of(parts)


def pivot_words(texts: Sequence[str], settings: EngineSettings) -> WordList | None:
    """Spanish for the words of `texts` (in lowercase) the eng-spa analyser does not know, each sent alone
    through ``settings.apertium_word_pivot``; None when that chain or the analyser is not installed.

    Answers are kept in the cache folder (``settings.cache_dir``, :mod:`pipeline.cache`), "no usable
    answer" included, so a word is sent through the pivot once on a machine; a word's answer does not
    depend on the others sent with it (:func:`pivot_request`), so a cold and a warm cache give the same list.
    """
    chain, mode = settings.apertium_word_pivot, system_mode_file(settings)
    # the chain's mode files where apertium looks, not `apertium -l` (40 ms, in every engine run's first batch)
    if not chain or mode is None or not all(system_mode_file(settings, name) for name in chain):
        return None
    analyser = shlex.split(mode.read_text(encoding="utf-8").split(" | ")[0])
    words = candidate_words(texts)
    if analyser[:1] != ["lt-proc"] or not words:
        return None
    try:
        analysis = run(analyser, "\n".join(words))
    except EngineError:
        return None  # no word list: the step falls back on FreeDict
    unknown = unknown_words(analysis)
    if not unknown:
        return WordList({})
    key = pivot_key(settings)
    folder = settings.cache_dir if key is not None else None  # no key (a mode not found): no cache
    kept = load(folder, PIVOT_CACHE, key or "")
    answers = kept if isinstance(kept, dict) else {}
    missing = [word for word in unknown if not isinstance(answers.get(word), str)]
    if missing:
        answers = {**answers, **merge(folder, PIVOT_CACHE, key or "", pivot_answers(missing, settings))}
    return WordList({word: answers[word] for word in unknown if answers.get(word)})


# --- FreeDict -------------------------------------------------------------------------

FREEDICT_CACHE = "freedict-senses"  # the cache file's name (pipeline.cache): English headword -> first sense
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_VOWELS = "aeiouáéíóú"


def _number(digits: str) -> int:
    value = 0
    for digit in digits:
        value = value * 64 + _BASE64.index(digit)
    return value


def first_sense(entry: str) -> str:
    """The first Spanish sense of a dictd entry body ("chant /tʃænt/\\n1. canto, cántico\\n" -> "canto")."""
    for line in entry.splitlines()[1:]:
        sense = re.sub(r"^\s*\d+\.\s*", "", line)
        sense = re.sub(r"\([^)]*\)", "", re.split(r"[,;]", sense)[0]).strip()
        if sense:
            return sense
    return ""


class FreeDict:
    """An English-to-Spanish word list read from FreeDict dictd files; `FreeDict.load` gives None when absent."""

    def __init__(self, senses: dict[str, str]):
        self.senses = senses

    @classmethod
    def load(cls, stem: str | Path, cache_dir: Path | None = None) -> "FreeDict | None":
        """The dictionary at STEM.index + STEM.dict.dz, or None when it is missing or unreadable.

        With `cache_dir`, the parsed senses are kept there (:mod:`pipeline.cache`, keyed by both files'
        size and time and this module): reading the index and gunzipping the dictionary was 18 ms of CPU
        at every engine run, in an in-pipe program the pipe waits for; the cached senses load in 1 ms.
        """
        key = key_of([stamp(f"{stem}.index"), stamp(f"{stem}.dict.dz"), stamp(__file__), sys.version])
        kept = load(cache_dir, FREEDICT_CACHE, key)
        if isinstance(kept, dict):
            return cls(kept)
        found = cls.parse(stem)
        if found is not None:
            store(cache_dir, FREEDICT_CACHE, key, found.senses)
        return found

    @classmethod
    def parse(cls, stem: str | Path) -> "FreeDict | None":
        """The dictionary read from its dictd files (see :meth:`load`)."""
        import gzip  # here: with a warm cache the in-pipe program never needs it

        try:
            index = Path(f"{stem}.index").read_text(encoding="utf-8")
            data = gzip.open(f"{stem}.dict.dz").read()
        except (OSError, EOFError, UnicodeDecodeError):
            return None
        senses: dict[str, str] = {}
        for row in index.splitlines():
            fields = row.split("\t")
            if len(fields) != 3 or fields[0].startswith("00database") or fields[0] in senses:
                continue
            start, length = _number(fields[1]), _number(fields[2])
            sense = first_sense(data[start:start + length].decode("utf-8", "replace"))
            if sense:
                senses[fields[0].lower()] = sense
        return cls(senses)

    def translate(self, word: str) -> str | None:
        """A Spanish rendering of a lowercase English word form, or None when no lemma of it is listed.

        Words under three letters are left alone: they are mostly pieces of codes ("802.11n").
        """
        if len(word) < 3:
            return None
        for lemma, inflect in english_lemmas(word):
            sense = self.senses.get(lemma)
            if sense and not sense[0].isupper():  # a capital is a name ("lie" -> "Lieja"), not this word
                spanish = inflect(sense)
                if spanish:
                    return spanish
        return None


# --- English lemmas and the matching Spanish inflection -------------------------------

def _same(spanish: str) -> str:
    return spanish


def plural(spanish: str) -> str:
    """A Spanish noun in the plural ("casa" -> "casas", "canción" -> "canciones"); phrases stay as they are."""
    if " " in spanish or spanish.endswith("s") or _verb_ending(spanish):
        return spanish  # an infinitive is the verb's -s form ("cedes"), not a noun
    if spanish.endswith("z"):
        return spanish[:-1] + "ces"
    if spanish[-1] in _VOWELS:
        return spanish + "s"
    unaccented = spanish.translate(str.maketrans("áéíóú", "aeiou"))
    return (unaccented if re.search(r"[áéíóú]n$", spanish) else spanish) + "es"


def _verb_ending(spanish: str) -> tuple[str, str] | None:
    """(stem, ar|er|ir) of a one-word Spanish infinitive (reflexive -se dropped), else None."""
    match = re.fullmatch(r"(\w+?)(ar|er|ir)(?:se)?", spanish)
    return (match.group(1), match.group(2)) if match and " " not in spanish else None


def participle(spanish: str) -> str | None:
    """A Spanish infinitive as its regular participle ("corear" -> "coreado"); None for other words,
    since an English -ed form whose first sense is not a verb is another word ("marched" is not "marzo")."""
    verb = _verb_ending(spanish)
    return verb[0] + ("ado" if verb[1] == "ar" else "ido") if verb else None


def gerund(spanish: str) -> str | None:
    """A Spanish infinitive as its regular gerund ("corear" -> "coreando"); None for other words."""
    verb = _verb_ending(spanish)
    return verb[0] + ("ando" if verb[1] == "ar" else "iendo") if verb else None


def adverb(spanish: str) -> str:
    """A Spanish adjective as a -mente adverb ("rápido" -> "rápidamente"); phrases stay."""
    if " " in spanish:
        return spanish
    return (spanish[:-1] + "a" if spanish.endswith("o") else spanish) + "mente"


def english_lemmas(word: str) -> list[tuple[str, Callable[[str], str | None]]]:
    """Candidate (lemma, Spanish inflection) pairs for an English word form, the word itself first."""
    candidates: list[tuple[str, Callable[[str], str | None]]] = [(word, _same)]

    def add(lemma: str, inflect) -> None:
        if len(lemma) >= 2:
            candidates.append((lemma, inflect))

    for suffix, inflect in (("ed", participle), ("ing", gerund)):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            add(stem, inflect)
            add(stem + "e", inflect)
            if len(stem) > 2 and stem[-1] == stem[-2]:
                add(stem[:-1], inflect)  # stopped -> stop
            if suffix == "ed" and stem.endswith("i"):
                add(stem[:-1] + "y", inflect)  # carried -> carry
    if word.endswith("s") and not word.endswith("ss"):
        add(word[:-1], plural)  # before -es: "envelopes" is "envelope", not "envelop"
    if word.endswith("es"):
        add(word[:-2], plural)
    if word.endswith("ies"):
        add(word[:-3] + "y", plural)
    if word.endswith("ily"):
        add(word[:-3] + "y", adverb)
    if word.endswith("ly"):
        add(word[:-2], adverb)
        add(word[:-2] + "le", adverb)  # gently -> gentle
    return candidates


# --- the step -------------------------------------------------------------------------

WORD_LIST_WAIT = 600.0  # seconds the step waits for the engine's word list before it gives up
_UNKNOWN_WORD = re.compile(r"\^\*([A-Za-z][a-z'-]*)\$")


class UnknownWords:
    """Replaces unknown English words (``^*chanted$``) by a Spanish word from the first dictionary
    that has one, still marked. A capitalised word ("Indigenous") is looked up in lowercase, in the
    pivot word lists only (a name is rarely in them), and comes out capitalised only at a sentence start.
    """

    def __init__(self, dictionaries: Sequence["FreeDict | WordList | None"], word_lists: Sequence[str | Path] = ()):
        self.dictionaries = [dictionary for dictionary in dictionaries if dictionary is not None]
        self.words_before = False
        self._word_lists = list(word_lists)  # read on first use: the engine may still be writing them
        self._held: list[str] = []  # the stream read while the word lists are not there yet

    @classmethod
    def load(cls, word_lists: Sequence[str | Path] = (), freedict: str | Path = "",
             cache_dir: str | Path | None = None) -> "UnknownWords":
        """The step with the pivot word lists (TSV files) first, then FreeDict at `freedict` (a dictd
        stem; empty or absent: not used; its senses cached in `cache_dir` if given). The word lists are read once all of them are there (the engine
        makes the list while the pipe runs); until then the step holds the stream it reads, and it waits
        for them only at the stream's end (see :meth:`__call__`)."""
        return cls([FreeDict.load(freedict, Path(cache_dir) if cache_dir else None) if freedict else None], word_lists)

    def _read_word_lists(self) -> None:
        lists: list[FreeDict | WordList] = []
        for path in self._word_lists:
            waited = 0.0
            while not Path(path).exists():
                if waited > WORD_LIST_WAIT:
                    raise SystemExit(f"unknown-words: no word list at {path} after {WORD_LIST_WAIT:g} s")
                time.sleep(0.01)
                waited += 0.01
            lists.append(WordList.load(path))
        self.dictionaries = lists + self.dictionaries
        self._word_lists = []

    def __call__(self, items: Sequence[str], lookahead: str = "") -> list[str]:
        """The items with unknown words replaced; `lookahead` is the item after them ("" at the stream's end).

        While the word lists are not all there, the items are held (nothing goes on) and the step keeps
        reading, so the programs before it in the pipe go on working: waiting for the list at the first
        piece stalled the whole pipe for as long as the pivot took (0.5 to 1.2 s for FLORES devtest x4
        on this shared machine; benchmarks/engine_speed.py's last line). The held items go out, in order,
        with the first call that has the lists; everything goes out at once, so the `lookahead` of the
        last item is still the right one.
        """
        if self._word_lists:
            if lookahead and not all(Path(path).exists() for path in self._word_lists):
                self._held += items
                return []
            self._read_word_lists()
        if self._held:
            items, self._held = [*self._held, *items], []
        out = []
        for item in items:
            if item.startswith("^*") and self.dictionaries:
                item = self.replace(item, sentence_start=not self.words_before)
            if "<sent>" in item or (item.startswith("[") and "<p" in item):
                self.words_before = False
            elif item.startswith("^") and is_word(item):
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
