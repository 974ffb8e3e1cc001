"""English-side edits to Apertium's tagged stream (after ``apertium-tagger``, before transfer).

Each unit is ``^lemma<tags>$`` with the tagger's one reading. Edits here give the
transfer English it translates better:

- articles: Spanish takes the definite article with generic plurals and with a
  bare noun subject where English has none ("Scientists say..." -> "Los científicos
  dicen...", "Japanese culture is..." -> "La cultura japonesa es..."). "the" is put
  before such noun phrases; the transfer gives it the noun's gender and number.
- complementizer: English may leave out "that" after a verb of saying or thinking
  ("she stated the outbreak was..."); Spanish needs "que" ("declaró que el brote..."). The
  clause's verb may be an "-ed" form the tagger read as a participle ("They found the Sun
  operated on..." -> "Encontraron que el Sol operó en...").
- relative "that": after a noun and before its verb, "that" is the relative pronoun
  ("mice that are...", "anything that crossed..."), which the tagger often reads as
  a conjunction or a demonstrative ("ratones que es", "cualquier cosa aquello cruzó");
  an "-ed" form right after a relative is its past tense, not a participle.
- joined adjectives: in "presidential and legislative elections" the words after "and" are no
  noun phrase of their own and take no article ("elecciones presidenciales y legislativas").
- "as" before a noun phrase: the preposition ("served as wildlife habitats", "known as the
  centre" -> "como"), which the tagger reads as the "as" of "as ... as" or as a conjunction
  ("sirvió el tan vida silvestre", "conocido el tan centro").
- past tenses: "-ed" forms the tagger reads as participles where they are the clause's verb:
  after a name ("Xinhua reported that" -> "Xinhua informó que", not "informado"), after a
  quote ('," said Glen'), and after a sentence-opening noun phrase with no other verb.
- "be used to" before an infinitive: the passive of "use" and a purpose ("should be used to
  alleviate" -> "se debería utilizar para aliviar"), not "be accustomed" ("debería soler aliviar").
- decades: "the 1960s" -> "the decade of 1960" ("la década de 1960"), not "el 1960s".
- participles: and the other way round, a past tense the tagger reads right after a noun where only
  the participle fits: "a man called Aristarchus" ("llamado", not "llamó"), "accidents related to",
  "a system based on", "a place known as".
- "all of the animals" as "all the animals" ("todos los animales", not "todo de los animales").
- "last week": the week before this one, "la semana pasada", not the final one ("última semana").
- object "it": right after a verb and before no verb of its own, "it" is the verb's object
  ("keeps it from competing" -> "lo mantiene"), not a subject ("mantiene él").
"""
from __future__ import annotations

import re
from typing import Sequence

from .stream import neighbour

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
    r"|assume|suppose|recall|decide|state|reveal|indicate|mean"
    r"|remark|conclude|discover|notice|ensure|mention|acknowledge|emphasise|emphasize|stress|assert|declare"
    r"|observe|recognise|recognize|promise|demonstrate|prove|imply|speculate|theorise|theorize|allege|testify"
    r"|complain|reply|write|tweet|hear|presume|reckon|imagine|calculate|determine|worry|doubt|guess)<vblex>", re.I)
# a word that can begin or continue a subject noun phrase ("the accused", "US troops", "this animal's plumage")
_SUBJECT_WORD = re.compile(r"\^[^<$]*<(?:det|n|np|adj|num|predet|gen)>|\^\*")
# counted or compared phrases take no article ("4-month-old mice", "two or more metals")
_COUNTED = re.compile(r"<(?:num|guio|comp|sup)>|^\^(?:more|less|most|fewer|enough)<", re.I)
_BE = re.compile(r"\^be<vbser>")
_THERE = re.compile(r"\^there<", re.I)
_AND_OR = re.compile(r"\^(?:and|or)<cnjcoo>", re.I)
_ADJECTIVE = re.compile(r"\^[^<$]*<adj>")
_ADVERB = re.compile(r"\^[^<$]*<adv>")
_NOUN = re.compile(r"\^[^<$]*<n>")
_NOUN_OR_NAME = re.compile(r"\^[^<$]*<(?:n|np)>")
_LEXICAL_VERB = re.compile(r"\^[^<$]*<vblex>")
_LOWERCASE_WORD = re.compile(r"\^.[^<A-Z]*<")
_CLOSING_QUOTE = re.compile(r"[\"”]\s*$")
_THAT_CONJUNCTION = re.compile(r"\^that<cnjsub>", re.I)
# the patterns below are compiled once: each rule tries every item of every sentence, and the re module's
# pattern cache look-up per call was a fifth of the step's time (benchmarks/engine_speed.py)


def _unit_before(items: Sequence[str], index: int | None) -> int | None:
    """Index of the lexical unit before items[index] across plain blanks; None at a sentence or text edge
    (a superblank, quote or bracket: the text starts anew), and for no index (so look-ups chain)."""
    if index is None:
        return None
    found = neighbour(items, index, -1)
    return None if found is None or "<sent>" in items[found] else found


def _unit_after(items: Sequence[str], index: int | None) -> int | None:
    """Index of the lexical unit after items[index] across plain blanks, or None (also for no index)."""
    return None if index is None else neighbour(items, index, 1)


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
    if any(_COUNTED.search(unit) for unit in phrase):
        return False  # "4-month-old mice", "two or more metals": counted or compared, no article
    if _joined_adjectives(items, before_index):
        return False  # "presidential and legislative elections": "elecciones presidenciales y legislativas"
    if _BE.match(before) and _THERE.match(_item(items, _unit_before(items, before_index))):
        return False  # "there are doctors": "hay médicos"
    if _PLURAL_NOUN.match(items[head]):
        return True
    # a bare singular noun opening the sentence as the subject of a verb: "Agriculture is..."
    return bool(_SINGULAR_NOUN.match(items[head]) and not before and _FINITE_VERB.match(following))


def _joined_adjectives(items: Sequence[str], conjunction: int | None) -> bool:
    """True when items[conjunction] is "and"/"or" between two adjectives of one noun ("presidential and
    legislative elections", "any necessary and appropriate changes"): the phrase after it is no noun
    phrase of its own and takes no article ("presidenciales y las elecciones legislativas")."""
    if conjunction is None or not _AND_OR.match(items[conjunction]):
        return False
    before = _unit_before(items, conjunction)
    return before is not None and _ADJECTIVE.match(items[before]) is not None


def _with_article(items: list[str], start: int) -> None:
    """Puts "the" before the phrase at items[start]; at a sentence start the capital moves to the article."""
    first = items[start]
    if not first[1:2].isupper():
        items[start:start] = ["^the<det><def><sp>$", " "]
    elif _unit_before(items, start) is None and _LOWERCASE_WORD.match(first):
        items[start:start + 1] = ["^The<det><def><sp>$", " ", "^" + first[1].lower() + first[2:]]
    # other capitals are names or acronyms ("MS"): left as they are


def articles(items: Sequence[str]) -> list[str]:
    """Items with "the" before the noun phrases Spanish gives the definite article (see the module docstring)."""
    items = list(items)
    for head in reversed(range(len(items))):  # from the end, so insertions leave earlier indexes right
        # only a noun can need one (_needs_article ends in the noun patterns): the test in front spares the
        # look-around for the other units, 0.3 s of the step's 0.8 s on FLORES x4 (benchmarks/engine_speed.py)
        if items[head].startswith("^") and "<n>" in items[head] and _needs_article(items, head):
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
        if _FINITE_VERB.match(items[index]) or _past_form(items[index]) and not _finite_verb_after(items, index):
            return True  # "they were"; "the company started when..." (an "-ed" form read as a participle)
        if pronoun or not _SUBJECT_WORD.match(items[index]):
            return False
    return False


def complementizers(items: Sequence[str]) -> list[str]:
    """Items with "that" after a verb of saying or thinking that a clause follows directly ("dijo que...")."""
    items = list(items)
    for index in reversed(range(len(items))):
        if "<vblex>" in items[index] and _REPORTING_VERB.match(items[index]) and _opens_clause(items, _unit_after(items, index)):
            items[index + 1:index + 1] = [" ", "^that<cnjsub>$"]
    return items


# what a relative clause hangs on: a noun, a name or an indefinite pronoun ("anything", "those")
_ANTECEDENT = re.compile(r"\^[^<$]*<(?:n|np)>|\^[^<$]*<prn><tn>")
_RELATIVE_THAT = "that<rel><an><mf><sp>$"
_RELATIVE = re.compile(r"\^(?:that<rel>|which<(?:prn|det)><itg>|who<prn><itg>)", re.I)
_THAT_NOT_RELATIVE = re.compile(r"\^that<(?:cnjsub|prn><tn|det><dem)", re.I)
_PARTICIPLE = re.compile(r"\^([^<$]*)<vblex><pp>\$")
# verbs whose participle is no past tense ("written", "seen"): such a form opens no relative clause
_IRREGULAR_PARTICIPLE = set("""arise awake be bear beat become begin bite blow break choose come do draw drink drive eat
fall fly forbid forget forgive freeze get give go grow hide know lie mistake overcome overtake prove ride ring rise run
see sew shake show sing sink sow speak steal stride strive swear swim take tear throw undergo undertake wear withdraw
write""".split())


def _past_form(unit: str) -> bool:
    """True for a participle unit whose form is a past tense too ("started", "built", "found")."""
    if "<vblex><pp>$" not in unit:
        return False  # what _PARTICIPLE needs: the test spares the regular expression most units
    participle = _PARTICIPLE.match(unit)
    return participle is not None and participle.group(1).lower() not in _IRREGULAR_PARTICIPLE


def _verb_after(items: Sequence[str], index: int) -> int | None:
    """Index of the unit after items[index] past any adverbs ("that also had")."""
    after = _unit_after(items, index)
    while after is not None and _ADVERB.match(items[after]):
        after = _unit_after(items, after)
    return after


def relatives(items: Sequence[str]) -> list[str]:
    """Items with "that" read as the relative pronoun after a noun and before its verb ("mice that are",
    "anything that crossed"), and an "-ed" form opening a relative clause read as a past tense
    ("the disease which started" -> "que comenzó", not "que comenzado": a relative clause needs a finite verb).

    Between a noun and a verb, "that" can only be the relative: as a conjunction a subject would follow it
    ("the fact that people are"), as a demonstrative a noun. The tagger often reads it as either, and the
    transfer then writes "aquello" or loses the verb's agreement ("ratones que es" for "mice that are").
    """
    items = list(items)
    for index, item in enumerate(items):
        if not _THAT_NOT_RELATIVE.match(item):
            continue
        before, after = _unit_before(items, index), _verb_after(items, index)
        if (before is not None and _ANTECEDENT.match(items[before]) and after is not None
                and (_FINITE_VERB.match(items[after]) or _past_form(items[after]))):
            items[index] = "^" + item[1] + _RELATIVE_THAT[1:]
    for index, item in enumerate(items):
        if _RELATIVE.match(item):
            after = _verb_after(items, index)
            if after is not None and _past_form(items[after]):
                items[after] = items[after].replace("<vblex><pp>$", "<vblex><past>$")
    return items


_NAME = re.compile(r"\^\*[A-Z][^$]*\$|\^[^<$]*<np>")
# a noun phrase opening a sentence, up to the verb: "The ministry", "Government investigators", "METI"
_SUBJECT_PHRASE = re.compile(r"\^\*[A-Z]|\^[^<$]*<(?:det|n|np|adj|num|gen)>")


def past_tenses(items: Sequence[str]) -> list[str]:
    """Items with an "-ed" form read as the past tense where it can only be the clause's verb
    ("Xinhua reported that..." -> "Xinhua informó que...", not "Xinhua informado que...").

    The tagger reads many "-ed" forms as participles; as a participle they would modify the word before
    them ("the man killed in the crash"), which a name cannot take without commas, nor a phrase opening a
    sentence in which no other verb follows. So the form is a past tense:
    - right after a name (a proper noun or an unknown capitalised word: "Runnels commented that");
    - after a closing quote, for a verb of saying ('"...," said Glen');
    - after a noun phrase opening the sentence, or a clause after "that", when no other verb follows in
      the sentence ("The ministry responded by calling..."; but "A study published on Thursday reported...").
    Not before "by" and its agent ("a statement backed by the committee"): that is a passive participle.
    """
    items = list(items)
    for index, item in enumerate(items):
        if not _past_form(item) or _agent_after(items, index):
            continue
        before = _unit_before(items, index)
        if before is None:
            quoted = index > 0 and not items[index - 1].startswith("^") and _CLOSING_QUOTE.search(items[index - 1])
            past = bool(quoted and _REPORTING_VERB.match(item.replace("<pp>", "")))
        elif _NAME.match(items[before]):
            past = True
        else:
            past = _opens_sentence(items, before) and not _finite_verb_after(items, index)
        if past:
            items[index] = item.replace("<vblex><pp>$", "<vblex><past>$")
    return items


# participles that modify a noun before a preposition of their own ("related to", "based on"): an active
# past tense there would need an object first ("the company based its...")
_PARTICIPLE_BEFORE = {"relate": "to", "base": "on|in|upon", "locate": "in|on|at|near", "situate": "in|on|at|near",
                      "equip": "with", "associate": "with", "link": "to|with", "connect": "to|with",
                      "dedicate": "to", "devote": "to", "know": "as|for", "compose": "of", "make up": "of"}
# verbs of naming, a participle before the name after a noun ("a man called Aristarchus")
_NAMING = {"call", "name", "dub", "title"}
_PAST = re.compile(r"\^([^<$]*)<vblex><past>\$")
_PREPOSITION_AFTER = {verb: re.compile(rf"\^(?:{prepositions})<pr>", re.I)
                      for verb, prepositions in _PARTICIPLE_BEFORE.items()}
_NAME_AFTER = re.compile(r"\^[^<$]*<(?:det|np)>|\^\*[A-Z]")


def participles(items: Sequence[str]) -> list[str]:
    """Items with a past tense right after a noun read as the participle modifying the noun where only
    that reading fits: before the preposition the participle takes ("accidents related to the devices",
    "a dish based on rice", "a cave known as Hira") or, for verbs of naming, before the name unless the noun
    opens the sentence as the subject of this verb ("a man called Aristarchus said" -> "un hombre llamado
    Aristarchus dijo", not "llamó"; "The committee named the winner." stays).
    """
    items = list(items)
    for index, item in enumerate(items):
        past = _PAST.match(item)
        if not past:
            continue
        before = _unit_before(items, index)
        if before is None or not _NOUN.match(items[before]):
            continue
        verb, following = past.group(1).lower(), _item(items, _unit_after(items, index))
        if verb in _PARTICIPLE_BEFORE:
            fits = _PREPOSITION_AFTER[verb].match(following) is not None
        elif verb in _NAMING:
            fits = bool(_NAME_AFTER.match(following)) and (
                not _opens_sentence(items, before) or _finite_verb_after(items, index))
        else:
            continue
        if fits:
            items[index] = item.replace("<vblex><past>$", "<vblex><pp>$")
    return items


_BY = re.compile(r"\^by<", re.I)
_NOUN_OR_CAPITAL = re.compile(r"\^[^<$]*<(?:n|np)>|\^\*[A-Z]")


def _agent_after(items: Sequence[str], index: int) -> bool:
    """True when "by" and a noun phrase follow items[index] ("backed by the committee"); "by" with a
    gerund tells the means ("responded by calling"), no agent."""
    by = _unit_after(items, index)
    return by is not None and _BY.match(items[by]) is not None and "<ger>" not in _item(items, _unit_after(items, by))


def _opens_sentence(items: Sequence[str], head: int) -> bool:
    """True when items[head] is a noun ending a noun phrase that opens its sentence or a "that" clause."""
    if not _NOUN_OR_CAPITAL.match(items[head]):
        return False
    index = head
    for _ in range(8):
        before = _unit_before(items, index)
        if before is None or _THAT_CONJUNCTION.match(items[before]):
            return True
        if not _SUBJECT_PHRASE.match(items[before]):
            return False
        index = before
    return False


def _finite_verb_after(items: Sequence[str], index: int) -> bool:
    """True when a finite verb, or another "-ed" form that may be one, follows items[index] before the
    sentence ends ("A study published on Thursday reported...": the first is the participle)."""
    for item in items[index + 1:]:
        if "<sent>" in item:
            return False
        if _FINITE_VERB.match(item) or _past_form(item):
            return True
    return False


_SUBJECT_IT = re.compile(r"\^([Pp])rpers<prn><subj><p3><nt><sg>\$")
_ANY_VERB = re.compile(r"\^[^<$]*<(?:vblex|vbser|vbhaver|vbdo|vaux|vbmod)>")


def object_it(items: Sequence[str]) -> list[str]:
    """Items with "it" read as an object right after a lexical verb when no verb follows it ("used it as a
    baseline" -> "lo utilizaron como", not "utilizaron él como"). The tagger reads such an "it" as a subject
    and the transfer writes the subject pronoun "él" after the verb; with a verb after it ("said it was")
    "it" is the subject of a clause and stays."""
    items = list(items)
    for index, item in enumerate(items):
        subject = _SUBJECT_IT.match(item)
        if not subject:
            continue
        before, after = _unit_before(items, index), _unit_after(items, index)
        if (before is not None and _LEXICAL_VERB.match(items[before]) and not _REPORTING_VERB.match(items[before])
                and not _ANY_VERB.match(_item(items, after))):
            items[index] = f"^{subject.group(1)}rpers<prn><obj><p3><nt><sg>$"
    return items


_NOUN_PHRASE_WORD = re.compile(r"\^[^<$]*<(?:det|n|np|adj|num|gen)>|\^\*")
_CLAUSE_END = re.compile(r"\^[^<$]*<(?:cm|sent|cnjcoo|cnjsub|rel|lpar)>|\^(?:that|which|who)<", re.I)
_AS = re.compile(r"\^([Aa]s)<(preadv|cnjadv)>\$")
_SECOND_AS = re.compile(r"\^as<", re.I)


def _verb_in_clause(items: Sequence[str], index: int) -> bool:
    """True when a verb or a subject pronoun comes from items[index] on before the clause ends
    (a comma, a conjunction, a relative or the sentence end)."""
    for item in items[index:]:
        if _CLAUSE_END.match(item):
            return False
        if item.startswith("[") or not item.startswith("^") and item.strip(" "):
            return False
        if _ANY_VERB.match(item) or "<prn><subj>" in item:
            return True
    return False


def as_prepositions(items: Sequence[str]) -> list[str]:
    """Items with "as" read as the preposition before a noun phrase that no verb follows ("worked as an
    advisor", "served as wildlife habitats", "as part of" -> "como").

    The tagger often reads it as the adverb of "as ... as" (then no second "as" follows) or as the
    conjunction (then the noun phrase is the subject of a verb in its clause: "as the sun rose" stays). The transfer
    writes the adverb "tan", and the article rule took it for a modifier ("el tan vida silvestre").
    """
    items = list(items)
    for index, item in enumerate(items):
        word = _AS.match(item)
        if not word:
            continue
        after = _unit_after(items, index)
        if after is None or not _NOUN_PHRASE_WORD.match(items[after]):
            continue
        end: int | None = after
        length = 0
        while end is not None and _NOUN_PHRASE_WORD.match(items[end]) and length < 6:
            end, length = _unit_after(items, end), length + 1
        following = _item(items, end)
        if _SECOND_AS.match(following) or _verb_in_clause(items, after):
            continue  # "as safe as", "as the sun rose", "as light pollution in their heyday was"
        if word.group(2) == "preadv" and _ADJECTIVE.match(items[after]) and not _NOUN_OR_NAME.match(
                _item(items, _unit_after(items, after))):
            continue  # "as high", "as freaky" with the second "as" further on
        items[index] = f"^{word.group(1)}<pr>$"
    return items


_BE_USED_TO = re.compile(r"\^([Bb]e)<vblex>((?:<\w+>)*)# used to\$")
_INFINITIVE = re.compile(r"(\^[^<$]*<(?:vblex|vbser|vbhaver)>)<(?:inf|pres)>\$")


def used_to_purposes(items: Sequence[str]) -> list[str]:
    """Items with "be used to" + infinitive read as the passive of "use" followed by "to" of purpose
    ("wealth should be used to alleviate suffering": "se debería utilizar para aliviar").

    The analyser reads "be used to" as one word, "be accustomed to"; that sense takes a noun or an
    "-ing" form ("is used to seeing"), never an infinitive.
    """
    items = list(items)
    for index in reversed(range(len(items))):
        used = _BE_USED_TO.match(items[index])
        if not used:
            continue
        verb = _unit_after(items, index)
        infinitive = _INFINITIVE.match(_item(items, verb))
        if infinitive and verb is not None:
            items[verb] = infinitive.group(1) + "<inf>$"  # the tagger may read it as a present tense
            items[index:index + 1] = [f"^{used.group(1)}<vbser>{used.group(2)}$", " ", "^use<vblex><pp>$", " ",
                                      "^to<pr>$"]
    return items


_DECADE = re.compile(r"\^(\d{2}[1-9]0|\d{3}0)s<num>\$")
_LATE_OR_EARLY = re.compile(r"\^(late|early)<adj>", re.I)
_THE = re.compile(r"\^the<det>", re.I)


def decades(items: Sequence[str]) -> list[str]:
    """Items with a decade written "the 1960s" as "the decade of 1960": Spanish names it "la década de 1960"
    (the transfer leaves "el 1960s"); "the late 1970s" as "the end of the decade of 1970" ("el final de
    la década de 1970"). "the 1800s" is a century, not a decade, and stays."""
    items = list(items)
    for index in reversed(range(len(items))):
        decade = _DECADE.match(items[index])
        if not decade or decade.group(1).endswith("00"):
            continue
        replacement = ["^decade<n><sg>$", " ", "^of<pr>$", " ", f"^{decade.group(1)}<num>$"]
        before = _unit_before(items, index)
        part = _LATE_OR_EARLY.match(_item(items, before))
        if part and before is not None:  # "the late 1970s": "the end of the decade of 1970", "finales de la década"
            noun = "end" if part.group(1).lower() == "late" else "beginning"
            replacement = [f"^{noun}<n><sg>$", " ", "^of<pr>$", " ", "^the<det><def><sp>$", " "] + replacement
            items[before:index] = []
            index = before
            before = _unit_before(items, index)
        if before is None or not _THE.match(items[before]):
            replacement = ["^the<det><def><sp>$", " "] + replacement  # "Throughout 1960s", "late 1970s"
        items[index:index + 1] = replacement
    return items


_ALL = re.compile(r"\^([Aa])ll<prn><tn><mf><sp>\$")
_OF = re.compile(r"\^of<pr>\$")
_DETERMINER = re.compile(r"\^[^<$]*<det><(?:def|pos|dem)>")
_NOMINAL = re.compile(r"\^[^<$]*<(?:n|adj|num)>|\^\*")


def all_of(items: Sequence[str]) -> list[str]:
    """Items with "all of" before a determiner as "all" ("all of our athletes" -> "all our athletes"):
    Spanish says "todos nuestros atletas"; "all of" comes out as "todo de" ("todo de nuestros atletas")."""
    items = list(items)
    for index in reversed(range(len(items))):
        all_ = _ALL.match(items[index])
        if not all_:
            continue
        of = _unit_after(items, index)
        determiner = _unit_after(items, of) if of is not None else None
        if _OF.match(_item(items, of)) and _DETERMINER.match(_item(items, determiner)) and _NOMINAL.match(
                _item(items, _unit_after(items, determiner))):  # not "all of this was"
            items[index:_unit_after(items, of)] = [f"^{all_.group(1)}ll<predet><sp>$", " "]
    return items


_LAST = re.compile(r"\^([Ll])ast<det><ord><sp>\$")
_DETERMINED = re.compile(r"\^[^<$]*<(?:det|gen|predet)>")
_PERIOD = re.compile(r"\^(?:week|month|year|weekend|summer|winter|spring|autumn|fall|season|night)<n><sg>\$", re.I)


def last_periods(items: Sequence[str]) -> list[str]:
    """Items with "last week" (no determiner before it) as "the past week": Spanish "la semana pasada",
    "el mes pasado". "último" tells the final one of a series ("la última semana del torneo"), which
    is what "the last week" keeps."""
    items = list(items)
    for index in reversed(range(len(items))):
        last = _LAST.match(items[index])
        if not last or not _PERIOD.match(_item(items, _unit_after(items, index))):
            continue
        before = _item(items, _unit_before(items, index))
        if _DETERMINED.match(before):
            continue  # "the last week", "this year's last month"
        article = "The" if last.group(1) == "L" else "the"
        items[index:index + 1] = [f"^{article}<det><def><sp>$", " ", "^past<adj>$"]
    return items


def edit_tagged(items: Sequence[str]) -> list[str]:
    """Tagged stream items (whole sentences) with the English-side edits applied."""
    return object_it(participles(past_tenses(relatives(complementizers(articles(as_prepositions(used_to_purposes(decades(last_periods(all_of(items)))))))))))
