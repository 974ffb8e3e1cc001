"""Spanish words for English words Apertium does not know, from FreeDict (Debian ``dict-freedict-eng-spa``).

A dictd dictionary is an index (``word<TAB>offset<TAB>length``, numbers in
base 64) and a dictzip file, which gzip reads. An inflected English word is
looked up by its lemma ("chanted" -> "chant"), and the first sense found is
inflected the same simple way in Spanish where that is safe (noun plural,
participle, gerund, -mente adverb); otherwise the Spanish lemma is used.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Callable

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
    def load(cls, stem: str | Path) -> "FreeDict | None":
        """The dictionary at STEM.index + STEM.dict.dz, or None when it is missing or unreadable."""
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
