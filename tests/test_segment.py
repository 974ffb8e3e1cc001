"""Paragraphs, sentences and line kinds, on the reference article and known hard cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.segment import segment_text, split_sentences

DATA = Path(__file__).resolve().parent / "data"
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "peru-2023-coup-protests.txt"
GOLDEN = json.loads((DATA / "golden_rules.json").read_text(encoding="utf-8"))
NEWS = json.loads((DATA / "news_segmentation.json").read_text(encoding="utf-8"))

# Golden rules the segmenter is known to fail (none today). A rule listed here
# that starts passing, or a rule not listed that starts failing, fails the run.
KNOWN_FAILING: dict[str, str] = {}


def sentences(text: str, lang: str = "en") -> list[str]:
    return [s for s, _ in split_sentences(text, lang) if s]


@pytest.fixture(scope="module")
def article():
    return segment_text(ARTICLE.read_text(encoding="utf-8"), "peru-2023-coup-protests", ARTICLE)


@pytest.mark.parametrize("text", [
    "The coup had the support of U.S. imperialism and the army.",
    "It happened on Jan. 30 in the south.",
    "Parliament voted on Dec. 7 to remove him.",
    "Dr. Ehud Ur said the research was early.",
    "The march reached the square at 2 p.m. on Saturday.",
    "The report by J. R. R. Tolkien and John F. Kennedy was read aloud.",
    "We are dying of hunger. . . . and these right wingers want to make us their slaves.",
    "He said, “We are not a democracy. We are at war. We are dying.”",
    "A participant said, “They talk about development. For the poor, we are still poor.”",
])
def test_does_not_split(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize("case", NEWS, ids=lambda c: c["text"][:40])
def test_news_text_rules(case):
    assert sentences(case["text"]) == case["expected"]


def _golden_params(lang: str):
    params = []
    for case in GOLDEN[lang]:
        marks = []
        if case["text"] in KNOWN_FAILING:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[case["text"]])]
        params.append(pytest.param(case, marks=marks, id=case["text"][:40]))
    return params


@pytest.mark.parametrize("case", _golden_params("en"))
def test_english_golden_rules(case):
    assert sentences(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", _golden_params("es"))
def test_spanish_rules(case):
    assert sentences(case["text"], "es") == case["expected"]


def test_spanish_paragraph_is_split_with_spanish_rules():
    doc = segment_text("Envíe mis saludos a la Sra. Rescia. Los ministros viajaron a los EE. UU. ayer. "
                       "¿Quién manda aquí? ¡El pueblo!", "es-sample")
    assert [s.text for s in doc.segments()] == [
        "Envíe mis saludos a la Sra. Rescia.",
        "Los ministros viajaron a los EE. UU. ayer.",
        "¿Quién manda aquí?",
        "¡El pueblo!",
    ]


def test_article_head_lines(article):
    first, byline_and_date, dateline, lead = article.paragraphs[:4]
    assert [(s.kind, s.text) for s in first.segments] == [
        ("headline", "Perú’s people rise up, reject coup that ousted Castillo")]
    assert [(s.kind, s.text, s.trailing) for s in byline_and_date.segments] == [
        ("byline", "By Michael Otto", "\n"), ("date", "February 1, 2023", "")]
    assert [(s.kind, s.text) for s in dateline.segments] == [("dateline", "Ibarra, Ecuador")]
    # The "Jan. 30, 2023 —" dateline stays at the start of the first sentence.
    assert lead.segments[0].kind == "sentence"
    assert lead.segments[0].text.startswith("Jan. 30, 2023 — Right-wing forces in Perú — with the support of U.S. "
                                            "imperialism — used a majority")
    assert lead.segments[0].text.endswith("against elected President Pedro Castillo.")
    assert article.meta == {"headline": first.segments[0].text, "byline": "By Michael Otto",
                            "date": "February 1, 2023", "dateline": "Ibarra, Ecuador"}


def test_article_headings_and_caption(article):
    kinds = {s.text: s.kind for s in article.segments()}
    assert kinds["All must go!"] == "heading"
    assert kinds["Ayacucho Massacre increases resistance"] == "heading"
    assert kinds["‘The Taking of Lima’"] == "heading"
    last = article.paragraphs[-1].segments
    assert [(s.kind, s.text) for s in last] == [
        ("sentence", "People opposing the coup in Perú at protest of war in Ukraine, Times Square, N.Y., Jan. 14, 2023."),
        ("caption", "(Photo: John Catalinotto)")]
    # Exclamations inside a paragraph are sentences, not headings.
    assert kinds["Out with Dina Boluarte!"] == "sentence"


def test_article_numbers_lines_and_text(article):
    source = ARTICLE.read_text(encoding="utf-8")
    lines = source.split("\n")
    assert [p.number for p in article.paragraphs] == list(range(1, len(article.paragraphs) + 1))
    assert len(article.paragraphs) == 35
    for paragraph in article.paragraphs:
        assert lines[paragraph.line - 1].strip().startswith(paragraph.segments[0].text[:20])
        for segment in paragraph.segments:
            assert segment.text == segment.text.strip() and segment.text
    # Joining segments with their trailing whitespace, paragraphs with a blank line, gives the source back.
    rebuilt = "\n\n".join(p.text for p in article.paragraphs)
    assert rebuilt == source.strip()


def test_article_sentences_inside_quotations_are_kept_whole(article):
    texts = [s.text for s in article.segments()]
    assert any(t.startswith("Peoples Dispatch quotes Pedro Huamani") and t.endswith("responding and resisting.”")
               for t in texts)
    assert "(, Jan. 6)" in next(t for t in texts if t.startswith("An indefinite national strike"))
    assert any(t.startswith("One of the loudest chants") for t in texts)


def test_blank_lines_with_spaces_and_crlf_free_text():
    doc = segment_text("Title line\n   \n\nFirst sentence here. Second one.\n\n\n  Indented paragraph.  \n", "x")
    assert [(p.number, p.line, [s.text for s in p.segments]) for p in doc.paragraphs] == [
        (1, 1, ["Title line"]),
        (2, 4, ["First sentence here.", "Second one."]),
        (3, 7, ["Indented paragraph."]),
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("ab .!?¿¡\"“”()\n\tU.S") + ["Dr. ", "Jan. ", " . . . ", "The ", "1) "]),
                max_size=40).map("".join))
def test_split_sentences_pieces_concatenate_to_the_input(text):
    pieces = split_sentences(text)
    assert "".join(s + t for s, t in pieces) == text
    for sentence, trailing in pieces:
        assert sentence == sentence.strip()
        assert trailing.strip() == ""


def test_byline_and_caption_lines_around_prose_are_their_own_segments():
    doc = segment_text("Headline here\n\nBy Ana Ruiz\nThe march began at noon. It ended late.\n(Photo: Ana Ruiz)", "x")
    paragraph = doc.paragraphs[1]
    assert [(s.kind, s.text, s.trailing) for s in paragraph.segments] == [
        ("byline", "By Ana Ruiz", "\n"), ("sentence", "The march began at noon.", " "),
        ("sentence", "It ended late.", "\n"), ("caption", "(Photo: Ana Ruiz)", "")]


def test_wrapped_lines_join_and_line_breaks_after_a_sentence_split():
    assert split_sentences("A long sentence that\nwraps onto the next line. Second one.") == [
        ("A long sentence that\nwraps onto the next line.", " "), ("Second one.", "")]
    assert split_sentences("¡Que se vayan todos!\nAll must go!") == [("¡Que se vayan todos!", "\n"), ("All must go!", "")]
    assert [s for s, _ in split_sentences("Demands:\n- new elections\n- a new constitution")] == [
        "Demands:", "- new elections", "- a new constitution"]


# pySBD, found faster: the same sentences as pySBD's own Segmenter.segment, on text nobody here wrote

def _flores(name: str) -> list[str]:
    from conftest import FLORES

    return (FLORES / name).read_text(encoding="utf-8").splitlines()


def test_pysbd_span_search_gives_what_pysbd_gives_on_flores_and_odd_text():
    import random

    from pipeline.segment import _pysbd, _pysbd_segment

    english, spanish = _flores("flores200.devtest.eng_Latn.txt"), _flores("flores200.devtest.spa_Latn.txt")
    cases = [("en", " ".join(english[i:i + 3])) for i in range(0, len(english), 3)]
    cases += [("es", " ".join(spanish[i:i + 3])) for i in range(0, len(spanish), 3)]
    cases += [("en", paragraph) for paragraph in ARTICLE.read_text(encoding="utf-8").split("\n\n") if paragraph]
    chosen = random.Random(7)
    marks = list("ab. .!?\"'()1\n\t A.B. Mr. e.g. ¿¡…") + ["\u2028", "\x1c", "  "]
    cases += [("en", "".join(chosen.choice(marks) for _ in range(chosen.randint(1, 60)))) for _ in range(1500)]

    def outcome(split, lang: str, text: str):
        try:
            return split(lang, text)
        except ValueError as exc:  # pySBD's own bug with a control before "1" (issue 13): the same either way
            return repr(exc)

    differing = [(lang, text) for lang, text in cases
                 if outcome(_pysbd_segment, lang, text) != outcome(lambda l, t: _pysbd(l).segment(t), lang, text)]
    assert not differing, differing[:3]


def test_long_text_in_pieces_gives_the_sentences_of_the_whole_text():
    """Text over SPLITTER_PIECE goes to pySBD piece by piece, cut at a plain full stop (a lowercase word that
    is no abbreviation, then a capital) or else re-reading the last sentence, never inside a quotation: the same
    sentences as pySBD on the whole text (FLORES in runs of 12 sentences, 1,000-2,500 characters; the
    reference article as one line, 4,000 characters at a time)."""
    from pipeline.segment import SPLITTER_PIECE, _pysbd_segment, _pysbd_sentences

    english, spanish = _flores("flores200.devtest.eng_Latn.txt"), _flores("flores200.devtest.spa_Latn.txt")
    line = " ".join(" ".join(p.split()) for p in ARTICLE.read_text(encoding="utf-8").split("\n\n") if p.strip())
    cases = [("en", " ".join(english[i:i + 12])) for i in range(0, len(english), 12)]
    cases += [("es", " ".join(spanish[i:i + 12])) for i in range(0, len(spanish), 12)]  # «...» across a cut
    cases += [("en", line[i:i + 4000]) for i in range(0, len(line), 3000)]
    assert sum(len(text) > SPLITTER_PIECE for _, text in cases) > 150
    for lang, text in cases:
        assert _pysbd_sentences(text, lang) == [s.strip() for s in _pysbd_segment(lang, text) if s.strip()]
