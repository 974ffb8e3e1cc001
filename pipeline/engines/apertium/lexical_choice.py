"""Lexical choices over Apertium's bilingual lookup (after ``lrx-proc``, before transfer).

Units here read ``^source<tags>/target<tags>[/target<tags>...]$`` and the transfer
takes the first target. Two kinds of choice:

- a table (``lexical_choice.tsv``): for an English lemma and leading tags, the Spanish
  word usually preferred over the pair's first target ("research": "investigación",
  not "búsqueda"), each entry with its reason;
- words read from their neighbours: "when", "who", "which" outside a question are the
  conjunction and the relative ("cuando", "que"), not the interrogatives the tagger
  tends to pick; "like" with no subject before it is the preposition "como"; "you" is
  "usted" (third person), the register of general information in Spanish; "on" and "over"
  tagged as adverbs before a noun phrase are the prepositions "en" and "sobre" ("más de"
  before a number); "that" tagged as a pronoun between a noun and a verb is the relative "que".
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Sequence

_TABLE = Path(__file__).with_name("lexical_choice.tsv")
_TAGS = re.compile(r"<[^<>]*>")
_TARGETS = re.compile(r"(?<!\\)/")


class Unit(NamedTuple):  # NamedTuples, not dataclasses: importing dataclasses was most of this in-pipe program's start
    """A bilingual lexical unit: the English analysis and the Spanish targets, in order."""

    source: str
    targets: tuple[str, ...]

    @staticmethod
    def parse(item: str) -> "Unit | None":
        """The unit of a stream item ``^source/target...$``; None for other items and unknown words."""
        return _parsed(item)

    def __str__(self) -> str:
        return "^" + "/".join((self.source,) + self.targets) + "$"


@lru_cache(maxsize=1 << 16)
def _parsed(item: str) -> Unit | None:
    # a Unit is frozen, so one may stand for every occurrence of its item: the same few thousand units
    # make up most of a text ("the", "of", punctuation), and parsing each anew was 0.35 s of the step's
    # 0.9 s on FLORES x4 (benchmarks/engine_speed.py)
    if not item.startswith("^") or item.startswith("^*") or not item.endswith("$"):
        return None
    parts = _TARGETS.split(item[1:-1])
    return Unit(parts[0], tuple(parts[1:])) if len(parts) > 1 else None


def _split(analysis: str) -> tuple[str, list[str]]:
    """The lemma and the tags of ``lemma<tag><tag>`` (a fresh list: callers may change it)."""
    lemma, tags = _split_cached(analysis)
    return lemma, list(tags)


@lru_cache(maxsize=1 << 16)
def _split_cached(analysis: str) -> tuple[str, tuple[str, ...]]:
    # each unit is split about six times (every rule reads its neighbours): 0.5 s of the step's 2 s on FLORES
    start = analysis.find("<")
    start = len(analysis) if start < 0 else start
    return analysis[:start], tuple(_TAGS.findall(analysis[start:]))


def _same_case(word: str, model: str) -> str:
    """`word` capitalised when `model` is (a sentence start)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


class Entry(NamedTuple):
    """One table line: English lemma and leading tags, the Spanish lemma and its lexical tags."""

    lemma: str
    tags: tuple[str, ...]
    target: str
    target_tags: tuple[str, ...]

    def matches(self, unit: Unit) -> bool:
        lemma, tags = _split(unit.source)
        return lemma.lower() == self.lemma and tuple(tags[:len(self.tags)]) == self.tags

    def apply(self, unit: Unit) -> Unit:
        """The unit with this target first: its lexical tags, the first target's inflection tags."""
        first_lemma, first_tags = _split(unit.targets[0])
        if self.target.startswith("*"):
            fixed = "*" + _same_case(self.target[1:], first_lemma)
            return Unit(fixed, (fixed,))
        spanish = (_same_case(self.target, first_lemma) + "".join(self.target_tags)
                   + "".join(first_tags[len(self.target_tags):]))
        others = tuple(t for t in unit.targets if _split(t)[0].lower() != self.target)
        return Unit(unit.source, (spanish,) + others)


@lru_cache(maxsize=None)
def table() -> dict[str, tuple[Entry, ...]]:
    """The entries of lexical_choice.tsv by English lemma (columns: English, Spanish, reason; # starts a comment)."""
    entries: dict[str, list[Entry]] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, target = line.split("\t")[:2]
        lemma, tags = _split(source)
        spanish, spanish_tags = _split(target)
        entries.setdefault(lemma, []).append(Entry(lemma, tuple(tags), spanish, tuple(spanish_tags)))
    return {lemma: tuple(found) for lemma, found in entries.items()}


def _is_question(units: Sequence[Unit]) -> bool:
    """True when the sentence ends with a question mark."""
    return any(_split(u.source)[0] == "?" for u in units[-2:])


# Words before which "who" and "which" introduce an indirect question ("knows who", "asked which").
_ASKING = ("<vblex>", "<vbser>", "<vbhaver>", "<vbmod>", "<vbdo>", "<pr>", "<cnjsub>")
# Verbs before which "when" asks ("asked when"); after other verbs it is the conjunction ("rained when").
_ASKING_VERBS = {"ask", "wonder", "know", "tell", "decide", "remember", "forget", "understand", "explain",
                 "learn", "determine", "discover", "predict", "guess", "reveal", "say", "show", "see"}


def _relative(unit: Unit, before: Unit | None, question: bool) -> Unit:
    """ "when", "who" and "which" outside a question and not asking (after "ask", "know"; "who" and "which"
    after any verb or preposition): the conjunction "cuando" and the relative "que", not the
    interrogatives the tagger prefers ("cuándo", "quién")."""
    lemma, tags = _split(unit.source)
    word = lemma.lower()
    if question or word not in ("when", "who", "which") or tags[1:2] != ["<itg>"]:
        return unit
    if tags[:1] == ["<det>"] and word != "which":  # "oxygen which humans breathe": read as a determiner
        return unit
    previous, previous_tags = _split(before.source) if before else ("", [])
    if word == "when" and previous.lower() in _ASKING_VERBS:
        return unit
    if word != "when" and previous_tags[:1] and previous_tags[0] in _ASKING:
        return unit
    if word == "when":
        return Unit(_same_case("when", lemma) + "<cnjadv>", (_same_case("cuando", lemma) + "<cnjadv>",))
    if before:  # sentence-first "Who"/"Which" stays a question word
        return Unit(word + "<rel><an><mf><sp>", ("que<rel><an><mf><sp>",))
    return unit


# What may come right before "like" read as a verb when it cannot be one (no subject):
# a comma, a bracket, a verb ("acting like"), an adverb ("just like"), a preposition.
_NO_SUBJECT = ("<cm>", "<lpar>", "<vblex>", "<adv>", "<pr>")


def _like(unit: Unit, before: Unit | None) -> Unit:
    """ "like" tagged as a present or infinitive verb with no subject before it is the preposition "como"."""
    lemma, tags = _split(unit.source)
    if lemma.lower() != "like" or tags[:2] not in (["<vblex>", "<pres>"], ["<vblex>", "<inf>"]):
        return unit
    if before is not None:
        previous, previous_tags = _split(before.source)
        if previous.lower() == "not" or previous_tags[:1] == [] or previous_tags[0] not in _NO_SUBJECT:
            return unit  # "do not like", "people like": the verb
    return Unit(_same_case("like", lemma) + "<pr>", (_same_case("como", lemma) + "<pr>",))


# What "on" and "over" read as adverbs come before when they are prepositions ("on some routes", "over 1,000").
_PHRASE_START = ("<n>", "<np>", "<det>", "<predet>", "<num>", "<adj>")


def _preposition(unit: Unit, after: Unit | None) -> Unit:
    """ "on" and "over" tagged as adverbs before a noun phrase or a gerund are prepositions: "on some routes" is
    "en algunas rutas", not "encima algunas rutas"; "over 1,000" is "más de 1000"; "over some tombs" is
    "sobre" (not before a gerund: "take over funding")."""
    lemma, tags = _split(unit.source)
    word = lemma.lower()
    if word not in ("on", "over") or tags != ["<adv>"] or after is None:
        return unit
    _, next_tags = _split(after.source)
    if not next_tags:
        return unit
    if word == "over" and next_tags[0] == "<num>":
        fixed = "*" + _same_case("más de", lemma)
        return Unit(fixed, (fixed,))
    if next_tags[0] in _PHRASE_START or word == "on" and next_tags[:2] == ["<vblex>", "<ger>"]:
        return Unit(lemma + "<pr>", (_same_case("en" if word == "on" else "sobre", lemma) + "<pr>",))
    return unit


# Words after which "that" read as a pronoun before a verb is the relative or the conjunction "que":
# a noun ("protests that started"), an adjective, a bracket, a verb ("states that has"), "anything".
_THAT_AFTER = ("<n>", "<np>", "<adj>", "<rpar>", "<vblex>", "<prn>")
_VERBS = ("<vblex>", "<vbser>", "<vbhaver>", "<vbmod>", "<vaux>", "<vbdo>")


def _that(unit: Unit, before: Unit | None, after: Unit | None) -> Unit:
    """ "that" tagged as a pronoun between a noun (or verb) and a verb is the relative "que" ("cats that
    eat", "anything that crossed"), not the demonstrative "aquello"; after a comma or a conjunction
    ("and that is") it stays the pronoun."""
    lemma, tags = _split(unit.source)
    if lemma.lower() != "that" or tags[:1] != ["<prn>"] or "<pl>" in tags or before is None or after is None:
        return unit
    previous, previous_tags = _split(before.source)
    _, next_tags = _split(after.source)
    if not next_tags or next_tags[0] not in _VERBS:
        return unit
    if previous.lower() == "prpers" or not (previous_tags[:1] and previous_tags[0] in _THAT_AFTER
                                            or before.source.startswith("*")):
        return unit
    return Unit(lemma + "<rel><an><mf><sp>", (_same_case("que", lemma) + "<rel><an><mf><sp>",))


def _usted(unit: Unit) -> Unit:
    """ "you" (subject or object) as "usted": third person singular, the register of general advice
    and information in Spanish, not the familiar "tú" the pair gives ("puede", "le", not "puedes", "te")."""
    lemma, tags = _split(unit.source)
    if lemma.lower() != "prpers" or tags[1:3] not in (["<subj>", "<p2>"], ["<obj>", "<p2>"]):
        return unit
    return Unit(unit.source.replace("<p2>", "<p3>").replace("<sp>", "<sg>"),
                tuple(target.replace("<p2>", "<p3>") for target in unit.targets))


# the lemmas (in lowercase) the rules of _choose_in_sentence read; each rule returns any other unit as it is
_RULE_WORDS = frozenset({"when", "who", "which", "like", "on", "over", "that", "prpers"})


def choose(items: Sequence[str]) -> list[str]:
    """lrx-proc output items (whole sentences) with preferred Spanish words chosen."""
    items = list(items)
    sentence: list[int] = []
    for index, item in enumerate(items):
        if item.startswith("^"):
            sentence.append(index)
        if "<sent>" in item or index == len(items) - 1:
            _choose_in_sentence(items, sentence)
            sentence = []
    return items


def _choose_in_sentence(items: list[str], indexes: Sequence[int]) -> None:
    """The units at `indexes` (one sentence) with preferred Spanish words chosen, in place."""
    parsed = {index: Unit.parse(items[index]) for index in indexes}
    units = {index: unit for index, unit in parsed.items() if unit is not None}
    question = _is_question(list(units.values()))
    before = None
    ordered = list(units.items())
    for position, (index, unit) in enumerate(ordered):
        word = _split_cached(unit.source)[0].lower()
        if word in _RULE_WORDS:
            after = ordered[position + 1][1] if position + 1 < len(ordered) else None
            chosen = _usted(_like(_relative(unit, before, question), before))
            chosen = _that(_preposition(chosen, after), before, after)
            word = _split_cached(chosen.source)[0].lower()
        else:
            chosen = unit  # the five rules leave it: most units, 0.2 s of the step's 0.9 s on FLORES x4
        for entry in table().get(word, ()):
            if entry.matches(chosen):
                chosen = entry.apply(chosen)
                break
        if chosen != unit:
            items[index] = str(chosen)
        before = unit
