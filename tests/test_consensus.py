"""Second opinions for Apertium: chrF agreement between candidates, and the engine consulting pivot pairs."""
from __future__ import annotations

from dataclasses import replace

import pytest
import sacrebleu

from pipeline.config import EngineSettings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.consensus import chrf, most_agreed
from pipeline.model import Span

PIVOTS = (("eng-cat", "cat-spa"), ("en-gl", "gl-es"))


@pytest.mark.parametrize("hypothesis, reference", [
    ("El anuncio se hizo tras la conversación.", "El anuncio fue hecho después de la conversación."),
    ("Los atletas persiguen sus sueños", "para que los atletas persigan sus sueños"),
    ("a", "b"),
    ("", "algo"),
])
def test_chrf_is_sacrebleu_sentence_chrf(hypothesis, reference):
    expected = sacrebleu.CHRF().sentence_score(hypothesis, [reference]).score / 100
    assert chrf(hypothesis, reference) == pytest.approx(expected, abs=1e-4)


def test_the_candidate_most_like_the_others_wins():
    candidates = ["Un perro comió la comida del gato.",
                  "El perro comió la comida del gato.",
                  "El perro se comió la comida del gato."]
    assert most_agreed(candidates) == 1
    assert most_agreed(["Una casa.", "La casa roja."]) == 0  # two cannot outvote each other: the first stays
    assert most_agreed(["La misma.", "La misma.", "La misma."]) == 0


@pytest.fixture
def with_pivots() -> EngineSettings:
    """Settings with both pivot pairs, skipped where they are not installed; no pivot word list,
    which would give the eng-spa candidate the same words (tests/test_pivot_lexicon.py)."""
    settings = EngineSettings(apertium_pivots=PIVOTS, apertium_word_pivot=())
    if not ApertiumEngine.available(settings) or len(ApertiumEngine(settings).available_pivots()) < len(PIVOTS):
        pytest.skip("apertium-eng-cat, apertium-spa-cat, apertium-en-gl, apertium-es-gl are not all installed")
    return settings


def test_words_the_eng_spa_pair_leaves_in_english_are_outvoted(with_pivots):
    sentence = [[Span("French electoral law rather strictly codifies the proceedings.")]]
    (agreed,) = ApertiumEngine(with_pivots).translate_batch(sentence)
    (alone,) = ApertiumEngine(replace(with_pivots, apertium_pivots=())).translate_batch(sentence)
    assert "codifies" in alone and "proceedings" in alone  # what the eng-spa pair alone gives
    assert "codifies" not in agreed and "proceedings" not in agreed and agreed.startswith("La ley electoral")


def test_with_pivots_segments_stay_aligned_and_kept_spans_verbatim(with_pivots):
    kept = Span("¡Que se vayan todos!", protected=True)
    batch = [[Span("The result of plotting analysis will be posted to a public website.")],
             [Span("   ")],
             [Span("The crowd shouted "), kept, Span(" outside Congress.")],
             [Span("Efforts to search for the crash site are being met by bad weather.")]]
    out = ApertiumEngine(with_pivots).translate_batch(batch)
    assert len(out) == 4 and out[1] == "   "
    assert "¡Que se vayan todos!" in out[2] and "Congreso" in out[2]
    assert "sitio web" in out[0] and "buscar" in out[3]
