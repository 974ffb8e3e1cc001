"""Spanish-side grammar edits on Apertium's postchunk stream: through the real engine, and on hand-written streams."""
from __future__ import annotations

import re

import pytest

from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.stream import items
from pipeline.engines.apertium.spanish_rules import (both_and, comma_relatives, edit_postchunk,
                                           governed_infinitives, quote_punctuation, se_passive, solo,
                                           subject_articles, used_to_habits)

needs_apertium = pytest.mark.skipif(not ApertiumEngine.available(), reason="apertium-eng-spa is not installed")


def edited(stream: str) -> str:
    return "".join(edit_postchunk(items(stream)))


# --- through the engine ----------------------------------------------------------------

@needs_apertium
def test_passives_without_agent_take_se(translate):
    built, used, confirmed, seen, often = translate(
        "The house was built in 1990.", "The bridges are used every day.", "The results have been confirmed.",
        "The virus can be seen with a microscope.", "The money is generally used for roads.")
    assert built.startswith("La casa se construyó en 1990")
    assert re.search(r"Los puentes se (utilizan|usan) todos los días", used)
    assert "Los resultados se han confirmado" in confirmed
    assert "El virus se puede ver" in seen
    assert re.search(r"se (utiliza|usa) generalmente", often)


@needs_apertium
def test_passives_with_an_agent_a_person_or_a_state_keep_their_form(translate):
    agent, person, state = translate("The report was written by three doctors.", "Gibson was taken to a hospital.",
                                     "The surface is made of rock and dust.")
    assert "fue escrito por tres" in agent
    assert "Gibson fue" in person and " se " not in person
    assert "está hecha de" in state


@needs_apertium
def test_infinitive_after_a_verb_takes_its_preposition(translate):
    (started,) = translate("The children started to leave their homes.")
    assert re.search(r"(empezaron|comenzaron) a dejar", started)


@needs_apertium
def test_sentence_opening_noun_takes_the_article_and_solo_loses_its_accent(translate):
    president, only = translate("President Obama spoke on Monday.", "Only three people came.")
    assert president.startswith("El presidente Obama")
    assert only.startswith("Solo tres personas")


@needs_apertium
def test_el_cual_after_a_comma_becomes_que(translate):
    (revolution,) = translate("The Iranian Revolution, which led to the crisis, was important.")
    assert "La Revolución iraní, que" in revolution and "el cual" not in revolution


@needs_apertium
def test_used_to_is_soler(translate):
    used, purpose = translate("She used to start early.", "The drug is used to eliminate pain.")
    assert used.startswith("Solía comenzar")
    assert "soler" not in purpose and "para eliminar" in purpose


@needs_apertium
def test_both_and_becomes_tanto_como(translate):
    real, names, nations, men = translate(
        "Scaffolds can be both virtual and real.", "It announced the prosecution of both Huhne and Pryce.",
        "Jerusalem is sacred to both nations and the issue of the valley.", "Both men held the flag.")
    assert "tanto virtual como real" in real
    assert "tanto de Huhne como de Pryce" in names
    assert "a ambas naciones y" in nations
    assert men.startswith("Ambos hombres")


@needs_apertium
def test_full_stops_and_commas_go_after_the_closing_quote(translate):
    said, added, asked = translate('Danius said, "For now, that is enough."', '"We have mice," he added.',
                                   'He asked, "Why?"')
    assert said.startswith("Danius dijo: «") and said.endswith("».")
    assert added.startswith("«") and "», añadió." in added
    assert asked.endswith("?»")


# --- on hand-written streams -----------------------------------------------------------

def test_se_passive_keeps_tense_number_and_moves_adverbs_after_the_verb():
    stream = ("^El<det><def><m><pl>$ ^puente<n><m><pl>$ ^ser<vbser><ifi><p3><pl>$ ^generalmente<adv>$ "
              "^construir<vblex><pp><m><pl>$ ^en<pr>$ ^1990<num>$^.<sent>$")
    assert "".join(se_passive(items(stream))) == (
        "^El<det><def><m><pl>$ ^puente<n><m><pl>$ ^se<prn><pro><ref><p3><mf><sp>$ "
        "^construir<vblex><ifi><p3><pl>$ ^generalmente<adv>$ ^en<pr>$ ^1990<num>$^.<sent>$")


def test_se_passive_with_haber_and_after_a_relative():
    stream = ("^caso<n><m><pl>$ ^que<rel><an><mf><sp>$ ^haber<vbhaver><pri><p3><pl>$ ^ser<vbser><pp><m><sg>$ "
              "^informar<vblex><pp><m><pl>$^.<sent>$")
    assert "".join(se_passive(items(stream))) == (
        "^caso<n><m><pl>$ ^que<rel><an><mf><sp>$ ^se<prn><pro><ref><p3><mf><sp>$ "
        "^haber<vbhaver><pri><p3><pl>$ ^informar<vblex><pp><m><sg>$^.<sent>$")


def test_no_se_passive_with_an_agent_or_without_a_subject():
    agent = "^casa<n><f><sg>$ ^ser<vbser><ifi><p3><sg>$ ^construir<vblex><pp><f><sg>$ ^por<pr>$ ^él<prn><tn>$"
    no_subject = "^Ser<vbser><ifi><p3><sg>$ ^arrestar<vblex><pp><m><sg>$ ^en<pr>$ ^India<np><loc><f><sg>$"
    for stream in (agent, no_subject):
        assert "".join(se_passive(items(stream))) == stream


def test_governed_infinitive_preposition():
    stream = "^tratar<vblex><ifi><p3><sg>$ ^para<pr>$ ^ver<vblex><inf>$ ^utilizar<vblex><pri><p3><sg>$ ^para<pr>$ ^ver<vblex><inf>$"
    assert "".join(governed_infinitives(items(stream))) == (
        "^tratar<vblex><ifi><p3><sg>$ ^de<pr>$ ^ver<vblex><inf>$ ^utilizar<vblex><pri><p3><sg>$ ^para<pr>$ ^ver<vblex><inf>$")


def test_solo_unit():
    assert solo("^Sólo<adv>$") == "^Solo<adj><m><sg>$"
    assert solo("^solo<adj><m><sg>$") == "^solo<adj><m><sg>$"


def test_article_before_a_sentence_opening_noun_after_formatting_but_not_after_kept_text():
    stream = ('[<p id="s0">]^Investigador<n><m><pl>$ ^decir<vblex><pri><p3><pl>$^.<sent>$ '
              '^Mil<n><m><pl>$ ^de<pr>$ ^persona<n><f><pl>$^.<sent>$'
              '[ <apertium-notrans>Juan<\\/apertium-notrans> ]^oficina<n><f><sg>$')
    assert "".join(subject_articles(items(stream))) == (
        '[<p id="s0">]^Los<det><def><m><pl>$ ^investigador<n><m><pl>$ ^decir<vblex><pri><p3><pl>$^.<sent>$ '
        '^Mil<n><m><pl>$ ^de<pr>$ ^persona<n><f><pl>$^.<sent>$'
        '[ <apertium-notrans>Juan<\\/apertium-notrans> ]^oficina<n><f><sg>$')


def test_edits_keep_superblanks_and_blanks_in_place():
    stream = '[<p id="s3">]^casa<n><f><sg>$ ^ser<vbser><ifi><p3><sg>$ ^vender<vblex><pp><f><sg>$^.<sent>$[<\\/p>]'
    out = edited(stream)
    assert re.findall(r"\[[^\]]*\]", out) == ['[<p id="s3">]', "[<\\/p>]"]
    assert "^se<prn><pro><ref><p3><mf><sp>$ ^vender<vblex><ifi><p3><sg>$" in out


def test_comma_relative_el_cual_becomes_que_but_not_after_a_preposition():
    stream = ("^Irán<np><loc><m><sg>$^,<cm>$ ^el cual<rel><nn><m><sg>$ ^tener<vblex><pri><p3><sg>$ "
              "^en<pr>$ ^el cual<rel><nn><m><sg>$")
    assert "".join(comma_relatives(items(stream))) == (
        "^Irán<np><loc><m><sg>$^,<cm>$ ^que<rel><an><mf><sp>$ ^tener<vblex><pri><p3><sg>$ "
        "^en<pr>$ ^el cual<rel><nn><m><sg>$")


def test_used_to_habit_but_not_after_a_noun_phrase():
    used = "^prpers<prn><tn><p3><f><sg>$ ^utilizar<vblex><ifi><p3><sg>$ ^para<pr>$ ^comenzar<vblex><inf>$"
    assert "".join(used_to_habits(items(used))) == (
        "^prpers<prn><tn><p3><f><sg>$ ^soler<vblex><pii><p3><sg>$ ^comenzar<vblex><inf>$")
    for kept in ("^método<n><m><pl>$ ^utilizar<vblex><ifi><p3><pl>$ ^para<pr>$ ^ilustrar<vblex><inf>$",
                 "^común<adj><mf><pl>$ ^utilizar<vblex><ifi><p3><pl>$ ^para<pr>$ ^ilustrar<vblex><inf>$",
                 "^ser<vbser><ifi><p3><sg>$ ^utilizar<vblex><pp><m><sg>$ ^para<pr>$ ^construir<vblex><inf>$"):
        assert "".join(used_to_habits(items(kept))) == kept


def test_both_and_moves_the_preposition_to_each_half():
    stream = "^de<pr>$ ^ambos<det><ind><m><pl>$ ^*Huhne$ ^y<cnjcoo>$ ^*Pryce$^.<sent>$"
    assert "".join(both_and(items(stream))) == (
        "^tanto<adv>$ ^de<pr>$ ^*Huhne$ ^como<cnjadv>$ ^de<pr>$ ^*Pryce$^.<sent>$")
    kept = "^a<pr>$ ^ambos<det><ind><f><pl>$ ^nación<n><f><pl>$ ^y<cnjcoo>$ ^el<det><def><m><sg>$"
    assert "".join(both_and(items(kept))) == kept


def test_quote_punctuation_on_the_stream():
    stream = '^decir<vblex><ifi><p3><sg>$^,<cm>$ "^bastante<adv>$^.<sent>$"[<\\/p>]'
    assert "".join(quote_punctuation(items(stream))) == (
        '^decir<vblex><ifi><p3><sg>$^:<sent>$ "^bastante<adv>$"^.<sent>$[<\\/p>]')
    opening = '^por ejemplo<adv>$^,<cm>$ "^esto<prn><tn><m><sg>$" ^ser<vbser><pri><p3><sg>$'
    assert "".join(quote_punctuation(items(opening))) == opening
