"""Spanish-side edits to Apertium's postchunk stream (Spanish lexical units, before generation).

The transfer builds Spanish word for word from the English; these edits put
right constructions where Spanish grammar differs, reading the lexical units'
lemmas and tags (each edit builds units the generator knows):

- the passive with "se" where no agent follows: "fue construido" -> "se construyó",
  "ha sido encontrado" -> "se ha encontrado", "puede ser visto" -> "se puede ver";
- the preposition a verb takes before an infinitive, where the transfer writes
  "para" for every English "to": "empezó a dejar", "trata de ver";
- the definite article before a noun opening a sentence ("Los investigadores dicen");
- "sólo" written "solo", as the RAE recommends;
- a full stop or comma after the closing quote, not before it ("«... nada»." for English "... nothing.""),
  and a colon before a quotation after a verb of saying ("dijo: «...»");
- "tanto X como Y" for English "both X and Y" ("ambos virtual y real" -> "tanto virtual como real");
- "que" for the transfer's "el cual" opening a clause after a comma ("Irán, que tiene");
- "soler" for "used to" ("solía ser").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from .stream import neighbour

_UNIT = re.compile(r"\^((?:\\.|[^<$\\])*)((?:<[^>]*>)*)(.*)\$", re.DOTALL)
_TAG = re.compile(r"<([^>]*)>")
_OPENING_QUOTE = re.compile(r" *[\"\u201c]")
_ESCAPED = re.compile(r"\\(.)")
_MARKUP = re.compile(r"<[^>]*>|[\s\[\]{}]")


def edit_postchunk(items: Sequence[str]) -> list[str]:
    """Postchunk stream items (whole sentences) with the Spanish-side edits applied."""
    items = subject_articles(both_and(used_to_habits(governed_infinitives(se_passive(comma_relatives(items))))))
    return quote_punctuation([solo(item) for item in items])


# --- reading units ---------------------------------------------------------------------

def lemma(item: str) -> str:
    """The lemma of a lexical unit ``^lemma<tags>$`` ("" for anything else)."""
    return _read(item)[0]


def tags(item: str) -> list[str]:
    """The tags of a lexical unit's first word, in order (empty for anything else; a fresh list)."""
    return list(_read(item)[1])


@lru_cache(maxsize=1 << 16)
def _read(item: str) -> tuple[str, tuple[str, ...]]:
    # every rule reads every unit and its neighbours: read once, a unit costs a dictionary look-up
    # (the step took 0.94 s of CPU on FLORES x4 with the two regular expressions run at each reading)
    match = _UNIT.fullmatch(item) if item.startswith("^") else None
    return (match.group(1), tuple(_TAG.findall(match.group(2)))) if match else ("", ())


def _unit(word: str, unit_tags: Sequence[str]) -> str:
    """A lexical unit from a lemma and its tags."""
    return "^" + word + "".join(f"<{t}>" for t in unit_tags) + "$"


def _next(items: Sequence[str], index: int | None, step: int = 1) -> int | None:
    """Index of the nearest lexical unit after (step 1) or before (step -1) items[index], across plain blanks only."""
    return neighbour(items, index, step)


def _with_case(word: str, model: str) -> str:
    """`word` with its first letter in the case of `model`'s first letter."""
    return (word[:1].upper() if model[:1].isupper() else word[:1].lower()) + word[1:]


def _recased(unit: str, model: str) -> str:
    """A lexical unit whose lemma starts in the case of `model`'s first letter."""
    word = lemma(unit)
    return "^" + _with_case(word, model) + unit[1 + len(word):]


# --- the "se" passive ------------------------------------------------------------------

_SE = "^se<prn><pro><ref><p3><mf><sp>$"
_FINITE = ("pri", "pii", "ifi", "fti", "cni", "prs", "pis")
# Clause ends: an agent phrase after them belongs to another clause.
_CLAUSE_END = {"cm", "sent", "lpar", "rpar", "lquest", "rel", "cnjsub", "cnjcoo", "cnjadv"}
# Participles that tell a state or a feeling, not an action done to the subject.
_STATIVE = {"nacer", "morir", "casar", "interesar", "preocupar", "cansar", "emocionar", "sorprender",
            "confundir", "asustar", "enfadar", "enojar", "aburrir", "decepcionar", "dormir", "herir", "saber"}


def se_passive(items: Sequence[str]) -> list[str]:
    """Passives as the "se" passive, where no agent ("por ...") follows and the subject is no person.

    - third-person ser + participle: "fue construido" -> "se construyó", "son usados" -> "se usan";
    - present estar + participle, the transfer's present passive: "están contados" -> "se cuentan",
      but not a state with a complement ("está hecho de rocas");
    - haber + sido + participle: "ha sido encontrado" -> "se ha encontrado";
    - a modal + ser + participle: "puede ser visto" -> "se puede ver".
    Adverbs between them go after the verb ("se utiliza generalmente").
    """
    items = list(items)
    index = 0
    while index < len(items):
        # only a lexical unit can start a passive (_se_passive_at reads its tags first)
        edited = _se_passive_at(items, index) if items[index].startswith("^") else None
        if edited:
            end, replacement = edited
            items[index:end] = replacement
            index += len(replacement)
        else:
            index += 1
    return items


def _se_passive_at(items: Sequence[str], index: int) -> tuple[int, list[str]] | None:
    """(end, replacement items) for a passive whose first verb is items[index], or None."""
    head_tags = tags(items[index])
    if len(head_tags) < 4 or "+" in items[index] or head_tags[1] not in _FINITE or head_tags[2] != "p3":
        return None
    if _person_subject(items, index):
        return None  # "Gibson se transportó" reads as reflexive
    word = lemma(items[index]).lower()
    if word == "ser" and head_tags[0] == "vbser" or word == "estar" and head_tags[:2] == ["vblex", "pri"]:
        found = _passive_participle(items, _next(items, index))
        if not found:
            return None
        adverbs, participle = found
        complement = _next(items, participle)
        if word == "estar" and complement is not None and lemma(items[complement]) in ("de", "arriba"):
            return None  # a state: "está hecho de rocas", "está hecho arriba de"
        verbs = [_unit(lemma(items[participle]), ["vblex"] + head_tags[1:4])]
    elif head_tags[0] in ("vbhaver", "vbmod"):
        been = _next(items, index)
        wanted = ["vbser", "pp"] if head_tags[0] == "vbhaver" else ["vbser", "inf"]
        if been is None or lemma(items[been]).lower() != "ser" or tags(items[been])[:2] != wanted:
            return None
        found = _passive_participle(items, _next(items, been))
        if not found:
            return None
        adverbs, participle = found
        form = ["vblex", "pp", "m", "sg"] if head_tags[0] == "vbhaver" else ["vblex", "inf"]
        verbs = [_recased(items[index], "a"), " ", _unit(lemma(items[participle]), form)]
    else:
        return None
    out = [_recased(_SE, lemma(items[index])), " "] + verbs
    for adverb in adverbs:
        out += [" ", items[adverb]]
    return participle + 1, out


def _person_subject(items: Sequence[str], index: int) -> bool:
    """True when the verb at items[index] may have a person as its subject: a person's name or a
    pronoun right before it, or no subject at all (a dropped "he" looks like a dropped "it")."""
    before = _next(items, index, -1)
    while before is not None and (tags(items[before])[:1] == ["adv"] or "<prn><pro>" in items[before]):
        before = _next(items, before, -1)
    if before is None:
        return True
    before_tags = tags(items[before])
    if "rel" in before_tags:
        return False  # "el cual fue construido"
    return bool(set(before_tags) & (_CLAUSE_END | {"ant", "cog"})) or before_tags[:1] == ["prn"]


def _passive_participle(items: Sequence[str], index: int | None) -> tuple[list[int], int] | None:
    """(indexes of adverbs, index of the participle) for a participle at items[index], after adverbs;
    None when there is none, it tells a state, or an agent follows."""
    adverbs = []
    while index is not None and tags(items[index])[:1] == ["adv"] and lemma(items[index]) != "no":
        adverbs.append(index)
        index = _next(items, index)
    if index is None or tags(items[index])[:2] != ["vblex", "pp"] or "+" in items[index]:
        return None
    if lemma(items[index]).lower() in _STATIVE or _has_agent(items, index):
        return None
    return adverbs, index


def _has_agent(items: Sequence[str], index: int) -> bool:
    """True when a "por" phrase follows items[index] in the same clause ("construido por X")."""
    for item in items[index + 1:]:
        if item.startswith("["):
            return False
        if item.startswith("^"):
            if lemma(item).lower() == "por":
                return True
            if set(tags(item)) & _CLAUSE_END:
                return False
    return False


# --- prepositions before an infinitive -------------------------------------------------

# Verbs that take an infinitive after their own preposition (the transfer writes "para" for "to").
_GOVERNED = {
    **dict.fromkeys(("empezar", "comenzar", "ayudar", "volver", "aprender", "enseñar", "obligar", "forzar",
                     "invitar", "animar", "tender", "ir", "llegar", "atreverse", "negarse", "probar"), "a"),
    **dict.fromkeys(("tratar", "acabar", "olvidarse", "encargarse"), "de"),
}


def governed_infinitives(items: Sequence[str]) -> list[str]:
    """"para" between a verb and an infinitive made the verb's own preposition
    ("empezó a dejar", "trata de ver", not "empezó para dejar")."""
    items = list(items)
    for index, item in enumerate(items):
        if item != "^para<pr>$":
            continue
        verb, infinitive = _next(items, index, -1), _next(items, index)
        if (verb is not None and infinitive is not None and tags(items[verb])[:1] in (["vblex"], ["vbmod"])
                and lemma(items[verb]).lower() in _GOVERNED and tags(items[infinitive])[1:2] == ["inf"]):
            items[index] = _unit(_GOVERNED[lemma(items[verb]).lower()], ["pr"])
    return items


def used_to_habits(items: Sequence[str]) -> list[str]:
    """"soler" for English "used to" (a past habit): "utilizó para ser" -> "solía ser".

    A finite past "utilizar" right before "para" + infinitive is "used to"; "was used to build" (a
    participle) keeps "para", and so does one right after a noun phrase ("los métodos más comunes
    utilizados para ilustrar", which the tagger reads as a past).
    """
    items = list(items)
    for index in reversed(range(len(items))):
        if items[index] != "^para<pr>$":
            continue
        verb, infinitive = _next(items, index, -1), _next(items, index)
        if verb is None or infinitive is None or "+" in items[verb]:
            continue
        verb_tags, subject = tags(items[verb]), _next(items, verb, -1)
        if (lemma(items[verb]).lower() == "utilizar" and verb_tags[:2] == ["vblex", "ifi"] and len(verb_tags) >= 4
                and tags(items[infinitive])[1:2] == ["inf"]
                and (subject is None or tags(items[subject])[:1] not in (["n"], ["np"], ["adj"]))):
            items[verb] = _recased(_unit("soler", ["vblex", "pii"] + verb_tags[2:4]), lemma(items[verb]))
            del items[index:infinitive]  # "para" and the blank after it
    return items


# --- "tanto ... como" -----------------------------------------------------------------------

def both_and(items: Sequence[str]) -> list[str]:
    """"tanto X como Y" for the transfer's "ambos X y Y" (English "both X and Y"): "ambos" is a determiner
    of one plural noun ("ambos países"); before a pair joined by "y" Spanish says "tanto... como"
    ("tanto virtual como real", "tanto Huhne como Pryce"), and a preposition before the pair goes with
    each half ("de ambos Huhne y Pryce" -> "tanto de Huhne como de Pryce").

    Only when "y" comes within a few words and no comma, verb or clause end comes first ("ambos hombres
    aguantaron..." stays), and not when "ambos" determines the plural noun right before "y" ("sagrado a
    ambas naciones y el asunto...").
    """
    items = list(items)
    for index in reversed(range(len(items))):
        item = items[index]
        if lemma(item).lower() != "ambos" or tags(item)[:1] not in (["det"], ["prn"]):
            continue
        conjunction = _pair_end(items, index)
        if conjunction is None:
            continue
        preposition = _next(items, index, -1)
        if preposition is not None and tags(items[preposition]) == ["pr"]:
            items[conjunction:conjunction + 1] = ["^como<cnjadv>$", " ", items[preposition]]
            items[preposition:index + 1] = [_recased("^tanto<adv>$", lemma(items[preposition])), " ",
                                            _recased(items[preposition], "a")]
        else:
            items[conjunction] = "^como<cnjadv>$"
            items[index] = _recased("^tanto<adv>$", lemma(item))
    return items


def _pair_end(items: Sequence[str], both: int) -> int | None:
    """Index of the "y" joining the pair after "ambos" at items[both], or None."""
    following, steps = _next(items, both), 0
    while following is not None and steps < 4:
        following_tags = tags(items[following])
        if lemma(items[following]) == "y" and following_tags[:1] == ["cnjcoo"]:
            first = _next(items, both)  # not None: `following` was found after it
            plural_noun = steps == 1 and first is not None and tags(items[first])[:1] == ["n"] and "pl" in tags(
                items[first])
            return None if steps == 0 or plural_noun else following
        if set(following_tags) & (_CLAUSE_END | {"vblex", "vbser", "vbhaver", "vbmod"}) or (
                not following_tags and not items[following].startswith("^*")):
            return None
        following, steps = _next(items, following), steps + 1
    return None


# --- relatives ---------------------------------------------------------------------------

def comma_relatives(items: Sequence[str]) -> list[str]:
    """"que" for "el cual" (any gender and number) opening a relative clause right after a comma.

    The transfer writes the English "which" after a comma as "el cual", always masculine singular
    ("la Revolución iraní, el cual dirigió"); Spanish opens such a clause with "que" ("Irán, que tiene").
    After a preposition ("en el cual") it stays.
    """
    items = list(items)
    for index, item in enumerate(items):
        if "<rel>" in item and lemma(item).lower() == "el cual" and tags(item)[:1] == ["rel"]:
            before = _next(items, index, -1)
            if before is not None and tags(items[before])[:1] == ["cm"]:
                items[index] = _recased("^que<rel><an><mf><sp>$", lemma(item))
    return items


# --- articles and spelling --------------------------------------------------------------

# Nouns that count what follows them ("Miles de personas"): no article.
_QUANTITIES = {"mil", "millar", "millón", "centenar", "ciento", "docena", "decena", "par"}
_ARTICLES = {("m", "sg"): "el", ("f", "sg"): "la", ("m", "pl"): "los", ("f", "pl"): "las"}


def subject_articles(items: Sequence[str]) -> list[str]:
    """A definite article before a noun opening a sentence without one: Spanish subjects take it where
    English has a bare plural, a mass noun or a title ("Los investigadores dicen", "El presidente Obama")."""
    items = list(items)
    starts = [0] + [index + 1 for index, item in enumerate(items) if "<sent>" in item]
    for start in reversed(starts):  # from the end, so earlier indexes stay right
        first = _first_word(items, start)
        if first is None or "+" in items[first] or tags(items[first])[:1] != ["n"] or len(tags(items[first])) < 3:
            continue
        gender, number = tags(items[first])[1:3]
        gender = "m" if gender == "mf" else gender
        if (gender, number) in _ARTICLES and lemma(items[first]).lower() not in _QUANTITIES:
            article = _unit(_with_case(_ARTICLES[gender, number], lemma(items[first])), ["det", "def", gender, number])
            items[first:first + 1] = [article, " ", _recased(items[first], "a")]
    return items


def _first_word(items: Sequence[str], index: int) -> int | None:
    """Index of the first lexical unit from items[index] on, across blanks and formatting;
    None when text (a kept span) or nothing comes first."""
    while index < len(items) and not items[index].startswith("^"):
        if items[index].startswith("[") and _MARKUP.sub("", _ESCAPED.sub(r"\1", items[index])):
            return None
        if not items[index].startswith("[") and items[index].strip():
            return None
        index += 1
    return index if index < len(items) else None


_CLOSING_QUOTES = ('"', "\u201d")
_SAYING = {"decir", "declarar", "añadir", "preguntar", "afirmar", "explicar", "comentar", "responder", "contestar",
           "escribir", "anunciar", "gritar", "exclamar", "advertir", "insistir", "concluir"}


def quote_punctuation(items: Sequence[str]) -> list[str]:
    """A full stop or comma that English puts before a closing quote put after it, as Spanish writes it
    (RAE): '«Por ahora, eso es suficiente».', '«...», añadió' (English '"...enough."', '"...," he added').

    A quote right after the punctuation (no blank between) closes the quotation; "?" and "!" belong to
    the quoted words and stay inside. A quotation a verb of saying introduces takes a colon, not a
    comma ('Danius dijo: «Ahora...»').
    """
    items = list(items)
    for index in range(len(items) - 1):
        if items[index] == "^,<cm>$" and _OPENING_QUOTE.match(items[index + 1]):
            verb = _next(items, index, -1)
            if verb is not None and lemma(items[verb]).lower() in _SAYING and tags(items[verb])[:1] == ["vblex"]:
                items[index] = "^:<sent>$"  # 'dijo, "Ahora...' -> 'dijo: «Ahora...'
        if items[index] in ("^.<sent>$", "^,<cm>$") and items[index + 1][:1] in _CLOSING_QUOTES:
            text = items[index + 1]
            items[index:index + 2] = [text[0], items[index]] + ([text[1:]] if text[1:] else [])
    return items


def solo(item: str) -> str:
    """The adverb "sólo" as "solo", the spelling the RAE recommends since 2010.

    The generator knows no adverb "solo": the adjective's masculine singular has the same form.
    """
    if item in ("^sólo<adv>$", "^Sólo<adv>$"):
        return _recased("^solo<adj><m><sg>$", item[1])
    return item
