"""Spanish for the words the eng-spa pair does not know, from a pair that does.

The English-Catalan pair's dictionaries are larger than English-Spanish's: of the
lowercase words eng-spa leaves in English on FLORES devtest and the reference
article, eng-cat -> cat-spa translates about four in ten, FreeDict about one in
eight. Before a batch, its unknown words are found with the eng-spa analyser,
sent alone through the pivot chain, and the clean one-to-three-word answers make
a word list the unknown-word step consults before FreeDict (a real pair's analyser
and dictionary beat FreeDict's first sense; where both answer, the scores tie).
Measured on FLORES devtest: engine chrF 46.36 -> 46.60, both halves.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

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
