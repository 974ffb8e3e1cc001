"""English-side rules on the tagged stream: articles Spanish needs, and "that" before a reported clause."""
from __future__ import annotations

import pytest

from pipeline import settings
from pipeline.engines.apertium import _STREAM, ApertiumEngine
from pipeline.engines.english_rules import articles, complementizers, edit_tagged
from pipeline.model import Span


def edited(stream: str, rule=edit_tagged) -> str:
    """A hand-written tagged stream after `rule`."""
    return "".join(rule(_STREAM.findall(stream)))


# --- the rules on hand-written streams ------------------------------------------------

def test_the_goes_before_a_bare_plural_noun_phrase_with_its_modifiers():
    stream = "^treat<vblex><pres>$ ^very<preadv>$ ^sick<adj>$ ^patient<n><pl>$ ^in<pr>$ ^hospital<n><pl>$^.<sent>$"
    assert edited(stream, articles) == ("^treat<vblex><pres>$ ^the<det><def><sp>$ ^very<preadv>$ ^sick<adj>$ "
                                        "^patient<n><pl>$ ^in<pr>$ ^the<det><def><sp>$ ^hospital<n><pl>$^.<sent>$")


def test_at_a_sentence_start_the_capital_moves_to_the_article():
    stream = "^.<sent>$ ^Small<adj>$ ^child<n><pl>$ ^sleep<vblex><pres>$^.<sent>$"
    assert edited(stream, articles) == (
        "^.<sent>$ ^The<det><def><sp>$ ^small<adj>$ ^child<n><pl>$ ^sleep<vblex><pres>$^.<sent>$")


def test_only_the_head_of_a_compound_counts():
    stream = "^see<vblex><past>$ ^sport<n><pl>$ ^car<n><pl>$^.<sent>$"
    assert edited(stream, articles) == "^see<vblex><past>$ ^the<det><def><sp>$ ^sport<n><pl>$ ^car<n><pl>$^.<sent>$"


@pytest.mark.parametrize("stream", [
    "^buy<vblex><past>$ ^four<num><sp>$ ^apple<n><pl>$^.<sent>$",                 # counted
    "^buy<vblex><past>$ ^some<det><qnt><sp>$ ^pear<n><pl>$^.<sent>$",             # determined
    "^thousand<n><pl>$ ^of<pr>$ ^person<n><pl>$^.<sent>$",                         # measure phrase
    "^two<num><sp>$ ^or<cnjcoo>$ ^more<preadv>$ ^metal<n><pl>$^.<sent>$",          # compared
    "^there<adv>$ ^be<vbser><pres>$ ^marble<n><sg>$ ^sculpture<n><pl>$^.<sent>$",  # "hay esculturas"
    "^see<vblex><past>$ ^Great<adj>$ ^Lake<n><pl>$^.<sent>$",                       # part of a name
    "^player<n><pl>$ ^'s<gen>$ ^right<n><pl>$^.<sent>$",                             # a genitive
])
def test_no_article_where_spanish_has_none_or_one_is_there(stream):
    assert edited(stream, articles) == stream


def test_a_bare_singular_subject_opening_the_sentence_takes_the_article():
    assert edited("^Culture<n><sg>$ ^be<vbser><pri><p3><sg>$ ^formal<adj>$^.<sent>$", articles) == (
        "^The<det><def><sp>$ ^culture<n><sg>$ ^be<vbser><pri><p3><sg>$ ^formal<adj>$^.<sent>$")
    acronym = "^MS<n><sg>$ ^be<vbser><pri><p3><sg>$ ^a<det><ind><sg>$ ^disease<n><sg>$^.<sent>$"
    assert edited(acronym, articles) == acronym


def test_that_goes_after_a_verb_of_saying_before_a_clause():
    assert edited("^state<vblex><past>$ ^the<det><def><sp>$ ^outbreak<n><sg>$ ^be<vbser><past>$ ^over<adv>$",
                  complementizers) == ("^state<vblex><past>$ ^that<cnjsub>$ ^the<det><def><sp>$ ^outbreak<n><sg>$ "
                                       "^be<vbser><past>$ ^over<adv>$")
    assert edited("^know<vblex><past>$ ^prpers<prn><subj><p1><mf><pl>$ ^be<vbser><past>$",
                  complementizers) == "^know<vblex><past>$ ^that<cnjsub>$ ^prpers<prn><subj><p1><mf><pl>$ ^be<vbser><past>$"


@pytest.mark.parametrize("stream", [
    "^say<vblex><past>$ ^that<cnjsub>$ ^prpers<prn><subj><p3><m><sg>$ ^would<vaux><inf>$",  # "that" is there
    "^say<vblex><past>$ ^the<det><def><sp>$ ^word<n><pl>$^.<sent>$",                          # an object, no clause
    "^know<vblex><past>$ ^prpers<prn><obj><p3><m><sg>$ ^well<adv>$",                          # an object pronoun
])
def test_no_that_without_a_clause_or_with_one_already(stream):
    assert edited(stream, complementizers) == stream


def test_blanks_and_superblanks_stay_where_they_were():
    stream = '[<p id="s0">]"^patient<n><pl>$ ^wait<vblex><pres>$," ^prpers<prn><subj><p3><m><sg>$ ^say<vblex><past>$^.<sent>$[</p>]'
    out = edited(stream)
    assert out.replace("^the<det><def><sp>$ ", "") == stream
    assert out.count("^the<") == 1 and out.index('"^the<') == stream.index('"^patient')


# --- the real engine -------------------------------------------------------------------

needs_apertium = pytest.mark.skipif(not ApertiumEngine.available(), reason="apertium-eng-spa is not installed")


@pytest.fixture
def translate(monkeypatch):
    """Sentences through the eng-spa pair alone (no pivot second opinions)."""
    monkeypatch.setattr(settings, "APERTIUM_PIVOTS", [])
    return lambda *texts: ApertiumEngine().translate_batch([[Span(text)] for text in texts])


@needs_apertium
def test_generic_plurals_and_bare_subjects_get_the_spanish_article(translate):
    plurals, subject = translate("Doctors treat patients in hospitals.", "Japanese work culture is formal.")
    assert "en los hospitales" in plurals and "tratan los pacientes" in plurals
    assert subject.startswith("La cultura de trabajo japonesa")


@needs_apertium
def test_no_article_after_numbers_comparatives_or_there_are(translate):
    counted, compared, existential = translate("He bought four apples and some pears.",
                                               "Alloys are a mixture of two or more metals.",
                                               "In the churchyard there are marble sculptures.")
    assert "cuatro manzanas y algunas peras" in counted
    assert "dos o más metales" in compared
    assert "hay esculturas" in existential


@needs_apertium
def test_a_reported_clause_gets_que(translate):
    stated, knew = translate("She stated the outbreak was caused by soldiers.", "They knew we were wrong.")
    assert stated.startswith("Declaró que el")
    assert knew.startswith("Supieron que")
