"""English-side edits to Apertium's tagged stream (after ``apertium-tagger``, before transfer).

Each unit is ``^lemma<tags>$`` with the tagger's one reading. Edits here give the
transfer English it translates better:

- articles: Spanish takes the definite article with generic plurals and with a
  bare noun subject where English has none ("Scientists say..." -> "Los científicos
  dicen...", "Japanese culture is..." -> "La cultura japonesa es..."). "the" is put
  before such noun phrases; the transfer gives it the noun's gender and number.
- complementizer: English may leave out "that" after a verb of saying or thinking
  ("she stated the outbreak was..."); Spanish needs "que" ("declaró que el brote...").
"""
from __future__ import annotations

import re
from typing import Sequence

_PLURAL_NOUN = re.compile(r"\^[^*<$]*<n>(?:<\w+>)*<pl>")
_SINGULAR_NOUN = re.compile(r"\^[^*<$]*<n>(?:<\w+>)*<sg>")
# words that make up a noun phrase before its head: "very large animals", "research teams"
_MODIFIER = re.compile(r"\^[^*<$]*<(?:adj|n|preadv)>")
# what already determines the phrase, or makes a bare noun right in Spanish ("miles de personas", "más que")
_DETERMINED_AFTER = re.compile(r"\^[^<$]*<(?:det|num|predet|gen|apos|prn|np)>|\^(?:of|than|as|such|like)<", re.I)
_QUANTITY = re.compile(r"\^(?:dozen|hundred|thousand|million|billion|lot|ton|tonne)<n>", re.I)
_FINITE_VERB = re.compile(r"\^[^<$]*<(?:vblex|vbser|vbhaver|vbdo)><(?:pri|past|pres)>|\^[^<$]*<(?:vaux|vbmod)>")
_REPORTING_VERB = re.compile(
    r"\^(?:say|tell|think|believe|know|report|claim|add|note|hope|feel|suggest|show|find|announce|expect|fear"
    r"|realise|realize|argue|insist|agree|admit|explain|warn|confirm|deny|estimate|predict|learn|understand"
    r"|assume|suppose|recall|decide|state|reveal|indicate|mean)<vblex>", re.I)
# a word that can begin or continue a subject noun phrase ("the accused", "US troops", "this animal's plumage")
_SUBJECT_WORD = re.compile(r"\^[^<$]*<(?:det|n|np|adj|num|predet|gen)>|\^\*")


def _unit_before(items: Sequence[str], index: int) -> int | None:
    """Index of the lexical unit before items[index] across plain blanks; None at a sentence or text edge."""
    index -= 1
    while index >= 0:
        item = items[index]
        if item.startswith("^"):
            return None if "<sent>" in item else index
        if item.startswith("[") or item.strip(" "):  # superblank, quote or bracket: the text starts anew
            return None
        index -= 1
    return None


def _unit_after(items: Sequence[str], index: int) -> int | None:
    """Index of the lexical unit after items[index] across plain blanks, or None."""
    index += 1
    while index < len(items):
        item = items[index]
        if item.startswith("^"):
            return index
        if item.startswith("[") or item.strip(" "):
            return None
        index += 1
    return None


def _item(items: Sequence[str], index: int | None) -> str:
    return "" if index is None else items[index]


def _phrase_start(items: Sequence[str], head: int) -> int:
    """Index of the first word of the noun phrase ending in items[head] (modifiers and hyphenated words before it)."""
    start = head
    while (before := _unit_before(items, start)) is not None:
        if not (_MODIFIER.match(items[before]) or ("<guio>" in items[before] and before == start - 1)):
            break
        start = before
    return start


def _needs_article(items: Sequence[str], head: int) -> bool:
    """True when the noun at items[head] heads a phrase Spanish gives the definite article and English does not."""
    following = _item(items, _unit_after(items, head))
    if _MODIFIER.match(following) or "<gen>" in following:
        return False  # not the head: "sports cars", "players' rights"
    if _QUANTITY.match(items[head]) and following.startswith("^of<"):
        return False  # a measure phrase: "miles de personas"
    start = _phrase_start(items, head)
    before_index = _unit_before(items, start)
    before = _item(items, before_index)
    phrase = items[start:head + 1]
    if _DETERMINED_AFTER.match(before) or before.startswith("^*"):
        return False  # after an unknown word the article would land inside its phrase: "Indigenous los campesinos"
    if any(re.search(r"<(?:num|guio|comp|sup)>|^\^(?:more|less|most|fewer|enough)<", unit, re.I) for unit in phrase):
        return False  # "4-month-old mice", "two or more metals": counted or compared, no article
    if re.match(r"\^be<vbser>", before) and re.match(r"\^there<", _item(items, _unit_before(items, before_index)), re.I):
        return False  # "there are doctors": "hay médicos"
    if _PLURAL_NOUN.match(items[head]):
        return True
    # a bare singular noun opening the sentence as the subject of a verb: "Agriculture is..."
    return bool(_SINGULAR_NOUN.match(items[head]) and not before and _FINITE_VERB.match(following))


def _with_article(items: list[str], start: int) -> None:
    """Puts "the" before the phrase at items[start]; at a sentence start the capital moves to the article."""
    first = items[start]
    if not first[1:2].isupper():
        items[start:start] = ["^the<det><def><sp>$", " "]
    elif _unit_before(items, start) is None and re.match(r"\^.[^<A-Z]*<", first):
        items[start:start + 1] = ["^The<det><def><sp>$", " ", "^" + first[1].lower() + first[2:]]
    # other capitals are names or acronyms ("MS"): left as they are


def articles(items: Sequence[str]) -> list[str]:
    """Items with "the" before the noun phrases Spanish gives the definite article (see the module docstring)."""
    items = list(items)
    for head in reversed(range(len(items))):  # from the end, so insertions leave earlier indexes right
        if items[head].startswith("^") and _needs_article(items, head):
            _with_article(items, _phrase_start(items, head))
    return items


def _opens_clause(items: Sequence[str], index: int | None) -> bool:
    """True when a subject and its finite verb start at items[index] ("they were", "the foam had fallen")."""
    if index is None or not _SUBJECT_WORD.match(items[index]) and "<prn><subj>" not in items[index]:
        return False
    pronoun = "<prn><subj>" in items[index]
    for _ in range(6):  # a subject noun phrase of a few words at most
        index = _unit_after(items, index)
        if index is None:
            return False
        if _FINITE_VERB.match(items[index]):
            return True
        if pronoun or not _SUBJECT_WORD.match(items[index]):
            return False
    return False


def complementizers(items: Sequence[str]) -> list[str]:
    """Items with "that" after a verb of saying or thinking that a clause follows directly ("dijo que...")."""
    items = list(items)
    for index in reversed(range(len(items))):
        if _REPORTING_VERB.match(items[index]) and _opens_clause(items, _unit_after(items, index)):
            items[index + 1:index + 1] = [" ", "^that<cnjsub>$"]
    return items


def edit_tagged(items: Sequence[str]) -> list[str]:
    """Tagged stream items (whole sentences) with the English-side edits applied."""
    return complementizers(articles(items))
