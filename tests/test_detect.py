"""Language of segments and the Spanish spans kept verbatim, on the reference article and hard cases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import detect
from pipeline.detect import detect as detect_document, language, load_do_not_translate, spanish_spans
from pipeline.segment import segment_text

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
ARTICLE = SHARED / "corpus" / "peru-2023-coup-protests.txt"
FLORES = SHARED / "eval" / "flores200-devtest"


def article_document(terms=()):
    return detect_document(segment_text(ARTICLE.read_text(encoding="utf-8"), "peru", ARTICLE), terms)


@pytest.fixture(scope="module")
def article():
    return article_document()


def protected_texts(doc) -> list[str]:
    return [text for segment in doc.segments() for text in segment.protected]


@pytest.mark.parametrize("span", [
    "¡Que se vayan todos!", "Toma de Lima", "Cuatro Suyos", "El Salto Diario", "Wayka Perú",
    "Resumen Latinoamericano", "La Republica", "Héctor Bejár", "Víctor Santisteban Yacsavilca",
])
def test_article_spanish_is_protected_exactly(article, span):
    assert span in protected_texts(article)


@pytest.mark.parametrize("english", [
    "The Taking of Lima", "Peoples Dispatch", "Washington Post", "All must go", "National University",
    "Times Square", "Michael Otto", "John Catalinotto", "Ayacucho Massacre",
])
def test_article_english_is_not_protected(article, english):
    assert not any(english in text for text in protected_texts(article))


def test_article_every_protected_span_is_labelled_spanish(article):
    """Precision and recall against the hand labels of the article (tests/data/peru-article-spans.tsv)."""
    must, either = {}, {}
    for line in (DATA / "peru-article-spans.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            number, label, text = line.split("\t")
            (must if label == "spanish" else either).setdefault(int(number), []).append(text)
    for paragraph in article.paragraphs:
        found = [t for s in paragraph.segments for t in s.protected]
        expected = must.get(paragraph.line, [])
        assert sorted(t for t in found if t in expected) == sorted(expected), paragraph.line
        unexpected = [t for t in found if t not in expected and t not in either.get(paragraph.line, [])]
        assert unexpected == [], paragraph.line


def test_article_segments_are_english_with_spans_covering_the_text(article):
    for segment in article.segments():
        assert segment.lang == "en", segment.text
        assert "".join(span.text for span in segment.spans) == segment.text
        for span in segment.spans:
            if span.protected:
                assert span.text == span.text.strip() and span.reason == "spanish" and span.lang == "es"
    chant = next(s for s in article.segments() if "¡Que se vayan todos!" in s.text)
    assert not chant.fully_protected  # "All must go!" and the rest still go to the engine


def test_quotation_marks_stay_outside_the_protected_span():
    sentence = "Caravans brought thousands from the “Cuatro Suyos” for the “Toma de Lima.”"
    assert [sentence[a:b] for a, b in spanish_spans(sentence)] == ["Cuatro Suyos", "Toma de Lima"]


@pytest.mark.parametrize("sentence, spans", [
    # a clearly Spanish word makes the name Spanish; alone, Apertium made "Teatro Municipales"
    ("Tickets for the Teatro Municipal sold out.", ["Teatro Municipal"]),
    ("Reporters from Convoca-Investigaciones were there.", ["Convoca-Investigaciones"]),
    # clearly Spanish words in a row, no quotes: a title or a chant written inline
    ("Her column Memoria de los pueblos ran on Sundays.", ["Memoria de los pueblos"]),
    ("They chanted el pueblo unido jamás será vencido as police advanced.",
     ["el pueblo unido jamás será vencido"]),
    # English names and loanwords stay English
    ("He flew from Los Angeles to Central Park with a piñata.", []),
])
def test_spanish_names_and_unquoted_phrases(sentence, spans):
    assert [sentence[a:b] for a, b in spanish_spans(sentence)] == spans


def test_marked_sentences_precision_and_recall():
    """Every [[span]] found exactly, nothing else protected but {{names}} (tests/data/spanish_spans.txt)."""
    mark = re.compile(r"\[\[(.+?)\]\]|\{\{(.+?)\}\}")
    for line in (DATA / "spanish_spans.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        sentence = mark.sub(lambda m: m.group(1) or m.group(2), line)
        must = [m.group(1) for m in mark.finditer(line) if m.group(1)]
        either = [m.group(2) for m in mark.finditer(line) if m.group(2)]
        found = [sentence[a:b] for a, b in spanish_spans(sentence)]
        assert [t for t in found if t not in either] == must, sentence


def test_wholly_spanish_segments_are_one_protected_span():
    doc = detect_document(segment_text(
        "Water defenders march\n\n¡El agua no se vende!\n\n"
        "Los manifestantes bloquearon las carreteras del sur durante toda la semana.", "x"))
    heading, sentence = doc.paragraphs[1].segments[0], doc.paragraphs[2].segments[0]
    for segment in (heading, sentence):
        assert segment.lang == "es" and segment.fully_protected
        assert [(s.text, s.protected, s.reason) for s in segment.spans] == [(segment.text, True, "spanish")]
    assert doc.paragraphs[0].segments[0].lang == "en"


@pytest.mark.parametrize("text,expected", [
    ("The", "en"), ("On Monday,", "en"), ("Scientists say", "en"), ("A", "en"), ("It was", "en"),
    ("El", "es"), ("Según", "es"), ("Los científicos", "es"), ("No obstante,", "es"), ("Sra. Quispe", "es"),
    ("¡Fuera!", "es"), ("Toma de Lima", "es"), ("que se vayan todos", "es"),
    ("The Taking of Lima", "en"), ("Close the Congress!", "en"), ("All must go!", "en"),
    ("Pedro Castillo was ousted on Dec. 7.", "en"),
    ("Wayka Perú reported the latest death of Víctor Santisteban Yacsavilca.", "en"),
    ("The Frente de Defensa de los Intereses del Pueblo called a strike.", "en"),
    ("The people chanted “¡Que se vayan todos!” in the Plaza San Martín.", "en"),
    ("Los jóvenes compartieron el video en TikTok y en Twitter.", "es"),
    ("El streaming del mitin tuvo miles de likes.", "es"),
])
def test_language_of_short_spans_and_news_sentences(text, expected):
    assert language(text) == expected


def test_language_accuracy_on_held_out_flores_short_spans():
    """First 1-3 words of FLORES devtest sentences (odd lines, not used to set thresholds): at least 97%."""
    english = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    spanish = (FLORES / "flores200.devtest.spa_Latn.txt").read_text(encoding="utf-8").splitlines()
    cases = [(lang, " ".join(sentence.split()[:k]))
             for index in range(1, len(english), 2)
             for lang, sentence in (("en", english[index]), ("es", spanish[index]))
             for k in (1, 2, 3)]
    correct = sum(language(text) == lang for lang, text in cases)
    assert correct / len(cases) >= 0.97
    sentences = [("en", english[i]) for i in range(1, 200, 2)] + [("es", spanish[i]) for i in range(1, 200, 2)]
    assert all(language(text) == lang for lang, text in sentences)


def test_do_not_translate_terms(tmp_path):
    (tmp_path / "do-not-translate.txt").write_text(
        "# names the engine must leave alone\nPeoples Dispatch\n\nDina Boluarte  # the president\n"
        "Peoples Dispatch\n", encoding="utf-8")
    terms = load_do_not_translate(tmp_path)
    assert terms == ["Peoples Dispatch", "Dina Boluarte"]
    doc = article_document(terms)
    quoted = next(s for s in doc.segments() if s.text.startswith("Peoples Dispatch quotes"))
    assert [(s.text, s.reason) for s in quoted.spans if s.protected][0] == ("Peoples Dispatch", "do-not-translate")
    assert "Dina Boluarte" in protected_texts(doc)
    assert "Dispatch" not in "".join(protected_texts(article_document()))


def test_do_not_translate_missing_or_empty_file(tmp_path):
    assert load_do_not_translate(tmp_path) == []
    (tmp_path / "do-not-translate.txt").write_text("\n", encoding="utf-8")
    assert load_do_not_translate(tmp_path) == []


def test_results_are_deterministic(article):
    again = article_document()
    assert [(s.lang, s.spans) for s in again.segments()] == [(s.lang, s.spans) for s in article.segments()]
    text = "El streaming del mitin"
    assert detect.langdetect_spanish_probability(text) == detect.langdetect_spanish_probability(text)
