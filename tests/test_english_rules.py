"""English-side rules on the tagged stream: articles Spanish needs, and "that" before a reported clause."""
from __future__ import annotations

import pytest

from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.stream import items
from pipeline.engines.apertium.english_rules import (all_of, articles, as_prepositions, complementizers, decades, edit_tagged,
                                           last_periods, object_it, participles, past_tenses, relatives,
                                           used_to_purposes)


def edited(stream: str, rule=edit_tagged) -> str:
    """A hand-written tagged stream after `rule`."""
    return "".join(rule(items(stream)))


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


def test_no_article_after_adjectives_joined_before_one_noun():
    stream = "^hold<vblex><past>$ ^presidential<adj>$ ^and<cnjcoo>$ ^legislative<adj>$ ^election<n><pl>$^.<sent>$"
    assert edited(stream, articles) == stream


def test_that_between_a_noun_and_its_verb_is_the_relative():
    stream = ("^mouse<n><pl>$ ^that<cnjsub>$ ^be<vbser><pres>$ ^fine<adj>$ ^and<cnjcoo>$ ^anything<prn><tn><m><sg>$ "
              "^that<prn><tn><mf><sg>$ ^cross<vblex><pp>$ ^its<det><pos><sp>$ ^path<n><sg>$^.<sent>$")
    assert edited(stream, relatives) == (
        "^mouse<n><pl>$ ^that<rel><an><mf><sp>$ ^be<vbser><pres>$ ^fine<adj>$ ^and<cnjcoo>$ "
        "^anything<prn><tn><m><sg>$ ^that<rel><an><mf><sp>$ ^cross<vblex><past>$ ^its<det><pos><sp>$ "
        "^path<n><sg>$^.<sent>$")


@pytest.mark.parametrize("stream", [
    "^fact<n><sg>$ ^that<cnjsub>$ ^person<n><pl>$ ^be<vbser><pres>$",            # a conjunction: a subject follows
    "^say<vblex><past>$ ^that<cnjsub>$ ^be<vbser><past><p3><sg>$ ^wrong<adj>$",   # after a verb
    "^book<n><pl>$ ^which<prn><itg><m><sp>$ ^write<vblex><pp>$",                  # "written" is no past tense
])
def test_no_relative_or_past_tense_where_they_do_not_fit(stream):
    assert edited(stream, relatives) == stream


def test_as_before_a_noun_phrase_without_a_verb_is_the_preposition():
    assert edited("^serve<vblex><past>$ ^as<preadv>$ ^wildlife<n><sg>$ ^habitat<n><pl>$^.<sent>$", as_prepositions) == (
        "^serve<vblex><past>$ ^as<pr>$ ^wildlife<n><sg>$ ^habitat<n><pl>$^.<sent>$")
    assert edited("^As<cnjadv>$ ^rough<adj>$ ^rule<n><pl>$^,<cm>$ ^prpers<prn><subj><p2><mf><sp>$", as_prepositions) == (
        "^As<pr>$ ^rough<adj>$ ^rule<n><pl>$^,<cm>$ ^prpers<prn><subj><p2><mf><sp>$")


@pytest.mark.parametrize("stream", [
    "^be<vbser><past>$ ^as<preadv>$ ^safe<adj>$ ^as<pr>$ ^possible<adj>$^.<sent>$",                 # "as ... as"
    "^As<cnjadv>$ ^the<det><def><sp>$ ^trial<n><sg>$ ^begin<vblex><past>$^,<cm>$",                 # a clause
    "^As<cnjadv>$ ^light<adj>$ ^pollution<n><sg>$ ^in<pr>$ ^it<det><pos><sp>$ ^heyday<n><sg>$ ^be<vbser><past>$",
])
def test_as_stays_in_comparisons_and_clauses(stream):
    assert edited(stream, as_prepositions) == stream


def test_ed_forms_after_names_quotes_and_opening_subjects_are_past_tenses():
    assert edited("^*Xinhua$ ^report<vblex><pp>$ ^that<cnjsub>$", past_tenses) == (
        "^*Xinhua$ ^report<vblex><past>$ ^that<cnjsub>$")
    assert edited('^ground<n><sg>$^,<cm>$" ^say<vblex><pp>$ ^Glen<np><ant><m><sg>$', past_tenses) == (
        '^ground<n><sg>$^,<cm>$" ^say<vblex><past>$ ^Glen<np><ant><m><sg>$')
    assert edited("^The<det><def><sp>$ ^ministry<n><sg>$ ^respond<vblex><pp>$ ^by<pr>$ ^call<vblex><ger>$^.<sent>$",
                  past_tenses) == ("^The<det><def><sp>$ ^ministry<n><sg>$ ^respond<vblex><past>$ ^by<pr>$ "
                                   "^call<vblex><ger>$^.<sent>$")


@pytest.mark.parametrize("stream", [
    "^*Danius$ ^back<vblex><pp>$ ^by<pr>$ ^the<det><def><sp>$ ^committee<n><sg>$",          # a passive with its agent
    "^A<det><ind><sg>$ ^study<n><sg>$ ^publish<vblex><pp>$ ^on<pr>$ ^Thursday<n><sg>$ "
    "^report<vblex><pp>$ ^on<pr>$ ^it<det><pos><sp>$ ^finding<n><pl>$^.<sent>$",               # another verb follows
    "^see<vblex><past>$ ^the<det><def><sp>$ ^man<n><sg>$ ^kill<vblex><pp>$ ^in<pr>$",         # no opening subject
])
def test_participles_stay_with_an_agent_or_another_verb(stream):
    assert edited(stream, past_tenses) == stream


def test_past_tenses_after_nouns_read_as_participles_where_only_those_fit():
    assert edited("^a<det><ind><sg>$ ^man<n><sg>$ ^call<vblex><past>$ ^*Aristarchus$ ^say<vblex><past>$",
                  participles) == "^a<det><ind><sg>$ ^man<n><sg>$ ^call<vblex><pp>$ ^*Aristarchus$ ^say<vblex><past>$"
    assert edited("^problem<n><pl>$ ^relate<vblex><past>$ ^to<pr>$", participles) == (
        "^problem<n><pl>$ ^relate<vblex><pp>$ ^to<pr>$")
    opening = "^The<det><def><sp>$ ^committee<n><sg>$ ^name<vblex><past>$ ^the<det><def><sp>$ ^winner<n><sg>$"
    assert edited(opening, participles) == opening


def test_it_right_after_a_verb_and_before_no_verb_is_an_object():
    assert edited("^keep<vblex><pri><p3><sg>$ ^prpers<prn><subj><p3><nt><sg>$ ^from<pr>$", object_it) == (
        "^keep<vblex><pri><p3><sg>$ ^prpers<prn><obj><p3><nt><sg>$ ^from<pr>$")
    clause = "^say<vblex><past>$ ^prpers<prn><subj><p3><nt><sg>$ ^be<vbser><past>$"
    assert edited(clause, object_it) == clause


def test_be_used_to_before_an_infinitive_is_a_passive_and_a_purpose():
    assert edited("^should<vaux><inf>$ ^be<vblex><inf># used to$ ^alleviate<vblex><pres>$", used_to_purposes) == (
        "^should<vaux><inf>$ ^be<vbser><inf>$ ^use<vblex><pp>$ ^to<pr>$ ^alleviate<vblex><inf>$")
    accustomed = "^be<vblex><pres># used to$ ^see<vblex><ger>$"
    assert edited(accustomed, used_to_purposes) == accustomed


def test_decades_become_the_decade_of_their_first_year():
    assert edited("^during<pr>$ ^the<det><def><sp>$ ^1980s<num>$", decades) == (
        "^during<pr>$ ^the<det><def><sp>$ ^decade<n><sg>$ ^of<pr>$ ^1980<num>$")
    assert edited("^throughout<pr>$ ^1960s<num>$", decades) == (
        "^throughout<pr>$ ^the<det><def><sp>$ ^decade<n><sg>$ ^of<pr>$ ^1960<num>$")
    assert edited("^the<det><def><sp>$ ^late<adj>$ ^1970s<num>$", decades) == (
        "^the<det><def><sp>$ ^end<n><sg>$ ^of<pr>$ ^the<det><def><sp>$ ^decade<n><sg>$ ^of<pr>$ ^1970<num>$")
    century = "^since<pr>$ ^the<det><def><sp>$ ^1800s<num>$"
    assert edited(century, decades) == century


def test_that_before_a_reported_clause_whose_verb_was_read_as_a_participle():
    stream = ("^find<vblex><past>$ ^the<det><def><sp>$ ^Sun<n><sg>$ ^operate<vblex><pp>$ ^on<pr>$ "
              "^basic<adj>$ ^principle<n><pl>$^.<sent>$")
    assert edited(stream) == ("^find<vblex><past>$ ^that<cnjsub>$ ^the<det><def><sp>$ ^Sun<n><sg>$ "
                              "^operate<vblex><past>$ ^on<pr>$ ^the<det><def><sp>$ ^basic<adj>$ "
                              "^principle<n><pl>$^.<sent>$")


def test_last_week_without_a_determiner_is_the_past_week():
    assert edited("^leave<vblex><past>$ ^last<det><ord><sp>$ ^week<n><sg>$", last_periods) == (
        "^leave<vblex><past>$ ^the<det><def><sp>$ ^past<adj>$ ^week<n><sg>$")
    final = "^the<det><def><sp>$ ^last<det><ord><sp>$ ^week<n><sg>$ ^of<pr>$"
    assert edited(final, last_periods) == final


def test_all_of_before_a_determined_noun_is_all():
    assert edited("^for<pr>$ ^all<prn><tn><mf><sp>$ ^of<pr>$ ^our<det><pos><sp>$ ^athlete<n><pl>$", all_of) == (
        "^for<pr>$ ^all<predet><sp>$ ^our<det><pos><sp>$ ^athlete<n><pl>$")
    pronoun = "^all<prn><tn><mf><sp>$ ^of<pr>$ ^this<det><dem><sg>$ ^be<vbser><past>$"
    assert edited(pronoun, all_of) == pronoun


# --- the real engine -------------------------------------------------------------------

needs_apertium = pytest.mark.skipif(not ApertiumEngine.available(), reason="apertium-eng-spa is not installed")


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


@needs_apertium
def test_relative_that_agrees_and_is_no_demonstrative(translate):
    mice, anything, disease = translate("We now have mice that are healthy.",
                                        "There was no escape for anything that crossed its path.",
                                        "The disease which started near the camp spread.")
    assert "ratones que son" in mice
    assert "cualquier cosa que cruzó" in anything and "aquello" not in anything
    assert "que comenzó" in disease


@needs_apertium
def test_joined_adjectives_take_no_article_of_their_own(translate):
    (elections,) = translate("They held presidential and legislative elections.")
    assert "elecciones presidenciales y legislativas" in elections


@needs_apertium
def test_as_before_a_noun_phrase_is_como(translate):
    habitat, manager, comparison = translate("This sediment served as wildlife habitats.", "He emerged as the manager.",
                                             "It was as safe as possible.")
    assert "sirvió como" in habitat and " tan " not in habitat
    assert "como la gerente" in manager or "como el gerente" in manager
    assert "tan seguro como" in comparison


@needs_apertium
def test_ed_forms_after_names_are_past_tenses_and_after_nouns_participles(translate):
    reported, quoted, called = translate(
        "Xinhua reported that investigators recovered two recorders.",
        '"There are holes in the ground," said Glen Cushing.',
        "Thousands of years ago, a man called Aristarchus said it.")
    assert reported.startswith("Xinhua informó que")
    assert "dijo Glen Cushing" in quoted
    assert "un hombre llamado Aristarchus" in called


@needs_apertium
def test_object_it_decades_and_be_used_to(translate):
    used, decade, purpose = translate("Scientists used it as a baseline.", "During the 1980s he worked on shows.",
                                      "The drug is used to eliminate pain.")
    assert "lo utilizaron como" in used
    assert decade.startswith("Durante la década de 1980")
    assert "se utiliza para eliminar" in purpose


@needs_apertium
def test_last_week_and_all_of(translate):
    week, athletes = translate("He left last week.", "We want a safe environment for all of our athletes.")
    assert "la semana pasada" in week
    assert "para todos nuestros atletas" in athletes
