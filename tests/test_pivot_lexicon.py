"""Words eng-spa does not know, looked up alone through English-Catalan-Spanish (pipeline/engines/apertium/unknown_words.py)."""
from __future__ import annotations

import pytest

from dataclasses import replace

from pipeline.config import EngineSettings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.process import installed_modes
from pipeline.engines.apertium.unknown_words import WordList, accept, candidate_words, pivot_words, unknown_words
from pipeline.model import Span

needs_pivot = pytest.mark.skipif(
    not ApertiumEngine.available() or not {"eng-cat", "cat-spa"} <= installed_modes(EngineSettings().apertium),
    reason="apertium-eng-spa, apertium-eng-cat and apertium-spa-cat are needed")


# no second opinions, no FreeDict: the pivot's answers alone
WORD_PIVOT = EngineSettings(apertium_pivots=(), freedict="/nonexistent/freedict-eng-spa")


def translate(*texts: str, settings: EngineSettings = WORD_PIVOT) -> list[str]:
    return ApertiumEngine(settings).translate_batch([[Span(text)] for text in texts])


def test_words_of_three_letters_or_more_are_candidates_in_lowercase():
    assert candidate_words(["Indigenous workers hosted a party in Lima's x-ray room", "hosted again", "NASA"]) == [
        "indigenous", "workers", "hosted", "party", "lima's", "x-ray", "room", "again"]


def test_unknown_forms_are_read_from_the_analysis():
    analysis = "^the/the<det><def><sp>$\n^sewage/*sewage$\n^house/house<n><sg>$\n^sewage/*sewage$\n"
    assert unknown_words(analysis) == ["sewage"]


@pytest.mark.parametrize("english, answer, accepted", [
    ("sewage", "agua residual", "agua residual"),
    ("inmates", "los presos", "presos"),          # the article the Catalan pair gives a bare plural
    ("schoolteacher", "*schoolteacher", None),    # unknown to the pivot too
    ("sized", "va #medir", None),                 # a generation fault, not a word
    ("shuttle", "de lanzadera", None),            # a phrase that is not a translation of the word alone
    ("stirrup", "stirrup", None),
    ("otherwise", "de otro modo y así más", None),
])
def test_pivot_answers_are_kept_only_when_they_are_clean_spanish_words(english, answer, accepted):
    assert accept(english, answer) == accepted


def test_word_list_round_trips_through_its_file(tmp_path):
    words = WordList({"sewage": "agua residual", "impeached": "impugnado"})
    words.save(tmp_path / "words.tsv")
    assert WordList.load(tmp_path / "words.tsv").words == words.words


@needs_pivot
def test_words_unknown_to_eng_spa_come_out_in_spanish():
    (sewage, impeached) = translate("They built a plant to treat sewage.", "The president was impeached in December.")
    assert "sewage" not in sewage and "agua residual" in sewage  # eng-spa alone: "sewage"
    assert "impeached" not in impeached and "impugnado" in impeached


@needs_pivot
def test_a_capitalised_unknown_word_is_lowercase_in_mid_sentence_and_names_stay():
    middle, start = translate("This attack on the first Indigenous president of Peru.",
                              "Indigenous leaders met Boluarte.")
    assert "indígena" in middle and "Indigenous" not in middle  # eng-spa alone: "Indigenous"
    assert start.startswith("Indígena") and "Boluarte" in start


@needs_pivot
def test_without_the_word_pivot_the_pair_leaves_them_in_english():
    without = replace(WORD_PIVOT, apertium_word_pivot=())
    assert pivot_words(["They treat sewage."], without) is None
    (sewage,) = translate("They built a plant to treat sewage.", settings=without)
    assert "sewage" in sewage


@needs_pivot
def test_a_word_pivot_that_is_not_installed_is_skipped():
    (sewage,) = translate("They built a plant to treat sewage.",
                          settings=replace(WORD_PIVOT, apertium_word_pivot=("eng-xx", "xx-spa")))
    assert "sewage" in sewage


@needs_pivot
def test_protected_spans_and_known_words_are_not_looked_up():
    words = pivot_words(["the house sewage", "Marchers chanted"], WORD_PIVOT)
    assert set(words.words) <= {"sewage", "chanted"} and "house" not in words.words
    (out,) = ApertiumEngine(WORD_PIVOT).translate_batch([[Span("They treat "), Span("sewage", True, "es", "spanish"),
                                                 Span(" here.")]])
    assert "sewage" in out and "agua residual" not in out
