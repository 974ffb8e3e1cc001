"""Lexical choices after lrx-proc: the stream function on hand-written units, then the real engine."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pipeline.engines.apertium import lexical_choice
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.stream import items
from pipeline.engines.apertium.lexical_choice import choose

GENERATOR = "/usr/share/apertium/apertium-eng-spa/eng-spa.autogen.bin"


def chosen(stream: str) -> str:
    """The lexical-step stream `stream` after the choices."""
    return "".join(choose(items(stream)))


# --- the stream function ---------------------------------------------------------------

def test_table_entry_goes_first_with_the_first_target_s_number():
    assert (chosen("^research<n><pl>/búsqueda<n><f><pl>$")
            == "^research<n><pl>/investigación<n><f><pl>/búsqueda<n><f><pl>$")


def test_preferred_alternative_goes_first_and_the_others_stay():
    stream = "^condition<n><pl>/afección<n><f><pl>/condición<n><f><pl>$"
    assert chosen(stream) == "^condition<n><pl>/condición<n><f><pl>/afección<n><f><pl>$"


def test_entry_keeps_the_sentence_start_capital():
    assert chosen("^Research<n><sg>/Búsqueda<n><f><sg>$").startswith("^Research<n><sg>/Investigación<n><f><sg>/")


def test_entry_restricted_by_tags_leaves_other_forms():
    assert chosen("^know<vblex><pp>/saber<vblex><pp>/conocer<vblex><pp>$").startswith("^know<vblex><pp>/conocer<vblex><pp>")
    assert chosen("^know<vblex><inf>/saber<vblex><inf>/conocer<vblex><inf>$").startswith("^know<vblex><inf>/saber<")


def test_fixed_multiword_text_becomes_a_word_the_generator_passes_through():
    assert chosen("^often<adv>/a menudo<adv>$") == "^*con frecuencia/*con frecuencia$"
    assert chosen("^Often<adv>/A menudo<adv>$") == "^*Con frecuencia/*Con frecuencia$"


def test_blanks_superblanks_and_unknown_words_are_kept_in_order():
    stream = ('[<p id="s0">]^research<n><sg>/búsqueda<n><f><sg>$ [<b>]^*Ehud/*Ehud$  '
              '^be<vbser><pri><p3><sg>/ser<vbser><pri><p3><sg>$^.<sent>/.<sent>$[</p>]\n')
    chosen = choose(items(stream))
    assert [i for i in chosen if not i.startswith("^")] == [i for i in items(stream) if not i.startswith("^")]
    assert "".join(chosen) == stream.replace("/búsqueda", "/investigación<n><f><sg>/búsqueda")


WHO = "^who<prn><itg><m><sp>/quién<prn><itg><mf><ND>$"
WHEN = "^when<adv><itg>/cuándo<adv><itg>$"
CAME = " ^come<vblex><past>/venir<vblex><past>$"


def test_who_after_a_noun_is_the_relative():
    stream = "^man<n><sg>/hombre<n><m><sg>$ " + WHO + CAME + "^.<sent>/.<sent>$"
    assert "^who<rel><an><mf><sp>/que<rel><an><mf><sp>$" in chosen(stream)


def test_who_in_a_question_first_or_after_a_verb_stays_interrogative():
    assert WHO in chosen("^man<n><sg>/hombre<n><m><sg>$ " + WHO + CAME + "^?<sent>/?<sent>$")
    assert WHO in chosen(WHO + CAME + "^.<sent>/.<sent>$")
    assert WHO in chosen("^know<vblex><pri><p3><sg>/saber<vblex><pri><p3><sg>$ " + WHO + CAME + "^.<sent>/.<sent>$")


def test_when_outside_a_question_is_the_conjunction_and_each_sentence_is_read_apart():
    stream = ("^rain<vblex><past>/llover<vblex><past>$ " + WHEN + CAME + "^.<sent>/.<sent>$ "
              + WHEN + CAME + "^?<sent>/?<sent>$")
    out = chosen(stream)
    assert out.count("^when<cnjadv>/cuando<cnjadv>$") == 1 and out.count(WHEN) == 1


def test_like_without_a_subject_is_the_preposition():
    like = "^like<vblex><pres>/gustar<vblex><pres>$"
    assert "^like<pr>/como<pr>$" in chosen("^act<vblex><ger>/obrar<vblex><ger>$ " + like)
    assert like in chosen("^not<adv>/no<adv>$ " + like)
    assert like in chosen("^cat<n><pl>/gato<n><m><pl>$ " + like)


def test_you_is_usted():
    assert (chosen("^prpers<prn><subj><p2><mf><sp>/prpers<prn><tn><p2><mf><sg>$")
            == "^prpers<prn><subj><p3><mf><sg>/prpers<prn><tn><p3><mf><sg>$")


def test_on_and_over_read_as_adverbs_before_a_noun_phrase_are_prepositions():
    some = " ^some<det><qnt><pl>/alguno<det><qnt><GD><pl>$ ^route<n><pl>/ruta<n><f><pl>$"
    assert chosen("^On<adv>/Encima<adv>$" + some).startswith("^On<pr>/En<pr>$ ")
    assert chosen("^on<adv>/encima<adv>$ ^find<vblex><ger>/encontrar<vblex><ger>$").startswith("^on<pr>/en<pr>$")
    assert chosen("^over<adv>/encima<adv>$" + some).startswith("^over<pr>/sobre<pr>$ ")
    assert chosen("^over<adv>/encima<adv>$ ^100<num>/100<num>$").startswith("^*más de/*más de$ ")
    # a particle at the end or before a gerund ("take over funding") is left alone
    assert chosen("^on<adv>/encima<adv>$^.<sent>/.<sent>$").startswith("^on<adv>/encima<adv>$")
    assert chosen("^over<adv>/encima<adv>$ ^fund<vblex><ger>/financiar<vblex><ger>$").startswith("^over<adv>/")


THAT = "^that<prn><tn><mf><sg>/aquello<prn><tn><m><sp>$"


def test_that_between_a_noun_and_a_verb_is_the_relative():
    eat = " ^eat<vblex><pres>/comer<vblex><pres>$"
    assert "^that<rel><an><mf><sp>/que<rel><an><mf><sp>$" in chosen("^cat<n><pl>/gato<n><m><pl>$ " + THAT + eat)
    assert THAT in chosen("^,<cm>/,<cm>$ " + THAT + " ^be<vbser><pri><p3><sg>/ser<vbser><pri><p3><sg>$")
    assert THAT in chosen("^cat<n><pl>/gato<n><m><pl>$ " + THAT + "^.<sent>/.<sent>$")


def test_every_table_line_has_a_reason_and_every_fixed_text_is_multiword():
    lines = [line for line in lexical_choice._TABLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines and all(len(line.split("\t")) == 3 and line.split("\t")[2].strip() for line in lines)
    # a one-word fixed text would be taken for an unknown English word downstream
    assert all(" " in line.split("\t")[1] for line in lines if line.split("\t")[1].startswith("*"))


@pytest.mark.skipif(shutil.which("lt-proc") is None, reason="lttoolbox is not installed")
def test_every_table_target_generates():
    """Each Spanish lemma with its tags and a typical inflection is a form the pair's generator knows."""
    inflection = {"<n>": "<sg>", "<vblex>": "<inf>", "<adj>": "<m><sg>", "<adv>": "", "<pr>": "", "<det>": "<sg>",
                  "<cnjadv>": ""}
    units = []
    for entries in lexical_choice.table().values():
        for entry in entries:
            if entry.target.startswith("*"):
                continue
            tags = "".join(entry.target_tags).replace("<GD>", "<m>")
            pos = entry.target_tags[0]
            extra = "" if re.search(r"<(?:sg|pl)>", tags) else inflection[pos]
            if pos == "<adj>" and "<mf>" in tags:
                extra = "<sg>"
            head, _, queue = entry.target.partition("#")  # "llegar# a ser": the inflection goes on the head
            units.append(f"^{head}{tags}{extra}{'#' + queue if queue else ''}$")
    done = subprocess.run(["lt-proc", "-g", GENERATOR], input="\n".join(units), capture_output=True, text=True)
    words = done.stdout.split("\n")
    assert len(words) >= len(units)
    failed = [unit for unit, word in zip(units, words) if word.startswith("#") or not word.strip()]
    assert not failed


# --- the real engine -------------------------------------------------------------------

needs_engine = pytest.mark.skipif(not ApertiumEngine.available(), reason="apertium-eng-spa is not installed")


@needs_engine
def test_engine_chooses_the_usual_words(translate):
    research, often, only, wildlife = translate(
        "The research is new.", "They often go there.", "It is only a test.", "The park protects wildlife.")
    assert "investigación" in research and "búsqueda" not in research
    assert "con frecuencia" in often and "a menudo" not in often
    assert re.search(r"\bsolo\b", only) and "sólo" not in only
    assert "vida silvestre" in wildlife


@needs_engine
def test_engine_relatives_outside_questions(translate):
    relative, conjunction, question = translate(
        "The man who came left.", "It rained when he arrived.", "Who came?")
    assert "que vino" in relative and "quién" not in relative.lower()
    assert "cuando" in conjunction and "cuándo" not in conjunction
    assert question.startswith("Quién")


@needs_engine
def test_engine_prefers_the_general_sense(translate):
    work, market, facility, leader = translate(
        "They work hard every day.", "Birds are sold at the market.", "The facility is near the border.",
        "The leader received a nomination.")
    assert "Trabajan" in work and "obra" not in work.lower()
    assert "aves" in market and "mercado" in market and "lonja" not in market
    assert "instalación" in facility and "frontera" in facility and "facilidad" not in facility
    assert "líder" in leader and "nominación" in leader and "nombramiento" not in leader


@needs_engine
def test_engine_prepositions_and_relative_that(translate):
    routes, tombs, anything = translate(
        "On some routes, the larger companies have their own planes.",
        "There are sculptures of doves over some tombs.", "It attacked anything that entered the water.")
    assert routes.startswith("En algunas rutas") and "encima" not in routes.lower()
    assert "sobre algunas tumbas" in tombs
    assert "cualquier cosa que" in anything and "aquello" not in anything


@needs_engine
def test_engine_like_and_usted(translate):
    like, you = translate("He was acting like a child.", "If you visit Paris, you can see the tower.")
    assert "como un niño" in like and "gusta" not in like
    assert "puede ver" in you and "puedes" not in you
