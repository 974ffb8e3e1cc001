"""Repairs of faults the eng-spa pair's own pipe makes, each run right after the program that makes it.

- disambiguation (after the analyser): readings that cannot fit their neighbours are removed
  before the tagger chooses. The analyser reads the apostrophe of "the prisoners' demands" as a
  bare ``<apos>``, so the genitive rule never fires ("los prisioneros' las demandas"); "on many
  occasions" came out "encima muchas ocasiones"; "is widely used" as "es ampliamente utilizó".
- sentence case (after interchunk): the transfer rules capitalise the first *rule-matched* chunk
  after a sentence end (``firstWord`` macro, ``EOS`` variable). Unknown words and superblanks
  match no rule, so after "Danius" or a kept Spanish span the next chunk was capitalised
  mid-sentence ("Danius Dijo").
- transfer fixes (after postchunk): "was built" took estar ("estuvo construido"), and an
  interrogative after a noun stood for the relative ("personas quién").
- blanks (after postchunk): some transfer rules output lexical units without a blank between them
  ("ratonesde4meses", "nosgusta"), and blanks of dropped words (subject pronouns, the genitive
  's) land before punctuation or double up ("Siria .", "Red  CEO").

The rule modules (english_rules, lexical_choice, spanish_rules) hold the quality edits;
these are the pair's mechanical slips. :mod:`.steps` says where each one runs.
"""
from __future__ import annotations

import re
from typing import Sequence

from .stream import has_text, is_word, lemma, neighbour, next_unit, readings

_CLOSING_PUNCTUATION = set(".,;:!?)]}…%»")


_NOMINAL = re.compile(r"<(?:det|num|n|np|adj)>|<prn>(?!<subj>)")
_READING_SEPARATOR = re.compile(r"(?<!\\)/")
_PLURAL_NOUN = re.compile(r"<n>.*<pl>")
_BE_OR_HAVE = re.compile(r"(?:be<vbser>|have<vbhaver>)", re.IGNORECASE)
_ESTAR_PRETERITE = re.compile(r"\^[Ee]star<vblex><ifi>")
_INTERROGATIVE = re.compile(r"\^(?:quién|cuál)<prn><itg>")
_NOUN_OR_COMMA = re.compile(r"<(?:n|np|cm)>")
_SPACES = re.compile(" {2,}")


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
        if item == "^'/'<apos>$":
            before = items[index - 1] if index else ""
            if before.startswith("^") and any(_PLURAL_NOUN.search(r) for r in readings(before)):
                items[index] = "^'/'s<gen>$"
            continue
        if item.count("/") < 2:
            continue  # one reading at most: nothing to choose (most units; the split below costs more)
        choices = readings(item)
        if len(choices) < 2:
            continue
        keep = choices
        if any("<pr>" in r for r in choices) and any("<adv>" in r for r in choices):
            following = readings(next_unit(items, index, 1))
            if following and all(_NOMINAL.search(r) for r in following):
                keep = [r for r in choices if "<pr>" in r]
        elif any("<vblex><past>" in r for r in choices) and any("<vblex><pp>" in r for r in choices):
            before_index = neighbour(items, index, -1)
            while before_index is not None and all("<adv>" in r for r in readings(items[before_index])):
                before_index = neighbour(items, before_index, -1)  # "is widely used"
            before = "" if before_index is None else items[before_index]
            if before and not before.startswith("^'s/") and any(
                    _BE_OR_HAVE.match(r) for r in readings(before)):
                keep = [r for r in choices if "<pp>" in r]
        if keep != choices:
            form = _READING_SEPARATOR.split(item[1:-1])[0]
            items[index] = "^" + form + "/" + "/".join(keep) + "$"
    return items


class SentenceCase:
    """Lowercases a chunk capitalised as a sentence start when words already came before it.

    Reads interchunk output, where only the sentence-start chunk has a capitalised
    name; keeps its place in the sentence from one piece of the stream to the next.
    """

    def __init__(self):
        self.words_before = False

    def __call__(self, items: Sequence[str], lookahead: str = "") -> list[str]:
        out = []
        for item in items:
            if item.startswith("^") and item.endswith("}$"):
                name = lemma(item)
                body = item[item.index("{"):]
                if name == "punt":
                    if lemma(body[1:]) not in (";", ":"):  # as the t1x rule that sets EOS
                        self.words_before = False
                elif "^" in body:
                    if name[:1].isupper() and self.words_before:
                        item = "^" + name[0].lower() + item[2:]
                    self.words_before = True
            elif item.startswith("[") and has_text(item):
                self.words_before = True
            out.append(item)
        return out


def fix_transfer(items: Sequence[str]) -> list[str]:
    """Postchunk output with two transfer choices put right, from the English they came from.

    - "was built" is a passive: ser, not estar, in the preterite ("fue construido", not "estuvo");
    - an interrogative right after a noun or comma is a relative ("personas que", not "personas quién").
    """
    items = list(items)
    for index, item in enumerate(items):
        if not item.startswith("^"):
            continue
        if _ESTAR_PRETERITE.match(item) and "<vblex><pp>" in next_unit(items, index, 1):
            items[index] = "^" + ("S" if item[1] == "E" else "s") + "er<vbser>" + item[len("^estar<vblex>"):]
        elif _INTERROGATIVE.match(item):
            before = next_unit(items, index, -1)
            if _NOUN_OR_COMMA.search(before):
                items[index] = "^que<rel><an><mf><sp>$"
    return items


def _glued(left: str, right: str) -> bool:
    """True when two adjacent units are words a transfer rule forgot to separate."""
    if not (is_word(left) and is_word(right)) or right.startswith("^*") or left.startswith("^*"):
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

    def __call__(self, items: Sequence[str], lookahead: str = "") -> list[str]:
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
                        and lemma(following)[:1] in _CLOSING_PUNCTUATION):
                    item = ""  # "Siria ." -> "Siria."
                out.append(_SPACES.sub(" ", item) if "  " in item else item)
            else:
                out.append(item)
            self.previous = item
        return out
