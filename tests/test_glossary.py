"""Glossary: loading glossary.csv, marking terms, steering a real engine, and the QA check."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check, run_cli
from pipeline import catalog, glossary, qa
from pipeline.config import PO_WRAP_WIDTH
from pipeline.engines import get_engine
from pipeline.errors import InputError
from pipeline.model import Document, Paragraph, Segment, Span, State
from pipeline import translate
from pipeline.translate import translate_segments

CSV = """English term,Spanish term,note
strike,paro,"Peru: a general strike is a paro, not huelga"
road blockade,bloqueo de carretera,
Congress,Congreso,the institution; capital C only
coup,golpe de Estado,
"""


@pytest.fixture
def terms(tmp_path: Path) -> list[glossary.Term]:
    (tmp_path / "glossary.csv").write_text(CSV, encoding="utf-8")
    return glossary.load(tmp_path)


def test_load_reads_terms_and_notes(terms):
    assert [(t.english, t.spanish) for t in terms] == [
        ("strike", "paro"), ("road blockade", "bloqueo de carretera"), ("Congress", "Congreso"),
        ("coup", "golpe de Estado")]
    assert terms[0].note.startswith("Peru:") and terms[0].line == 2


def test_missing_glossary_is_empty_and_bad_rows_name_file_and_line(tmp_path):
    assert glossary.load(tmp_path) == []
    (tmp_path / "glossary.csv").write_text("English,Spanish,note\nstrike,paro,\nmarch,,\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        glossary.load(tmp_path)
    assert error.value.line == 3 and str(error.value).startswith(f"{tmp_path / 'glossary.csv'}:3:")
    (tmp_path / "glossary.csv").write_text("English,Spanish\nstrike,paro\nstrike,huelga\n", encoding="utf-8")
    with pytest.raises(InputError, match="already has Spanish 'paro'"):
        glossary.load(tmp_path)


def test_find_is_whole_word_and_case_aware(terms):
    found = lambda text: [(text[o.start:o.end], o.spanish(text)) for o in glossary.find(text, terms)]
    assert found("Strike! The strike and the STRIKE.") == [("Strike", "Paro"), ("strike", "paro"),
                                                          ("STRIKE", "PARO")]
    assert found("Strikes, strikers, a hunger-strike, sTrike") == []  # other words, not the term
    assert found("Congress met; congress is a meeting.") == [("Congress", "Congreso")]  # capitals as written
    assert found("A road  blockade near Puno.") == [("road  blockade", "bloqueo de carretera")]


def doc_of(*segments: Segment) -> Document:
    return Document("article", [Paragraph(list(segments), number=1)])


def test_apply_splits_english_spans_and_leaves_spanish_alone(terms):
    mixed = Segment("The strike began as they chanted ¡Paro nacional, strike!",
                    spans=[Span("The strike began as they chanted "),
                           Span("¡Paro nacional, strike!", True, "es", "spanish")])
    spanish = Segment("¡Huelga, strike!", lang="es")
    plain = Segment("Congress feared a coup.")
    glossary.apply(doc_of(mixed, spanish, plain), terms)
    assert "".join(s.text for s in mixed.spans) == mixed.text
    assert [(s.text, s.protected, s.reason, s.replacement) for s in mixed.spans] == [
        ("The ", False, "", None), ("strike", True, "glossary", "paro"), (" began as they chanted ", False, "", None),
        ("¡Paro nacional, strike!", True, "spanish", None)]
    assert spanish.spans == []
    assert [(s.text, s.output) for s in plain.spans if s.protected] == [("Congress", "Congreso"),
                                                                       ("coup", "golpe de Estado")]


def test_apertium_is_steered_to_the_glossary_term_and_qa_flags_the_unsteered_output(terms):
    sentence = "Workers called a national strike on Monday."
    unsteered, steered = Segment(sentence), Segment(sentence)
    glossary.apply(doc_of(steered), terms)
    engine = get_engine("apertium")
    translate_segments([unsteered], engine)
    translate_segments([steered], engine)
    assert steered.state == State.MACHINE and unsteered.state == State.MACHINE
    assert "paro" in steered.translation and "huelga" in unsteered.translation  # Apertium's own word
    assert "lunes" in steered.translation  # the rest is still translated

    def checks(segment: Segment) -> list[str]:
        entry = polib.POEntry(msgid=sentence, msgstr=segment.translation, flags=["fuzzy"],
                              comment="machine translation: apertium")
        return [f.check for f in qa.check_entry(entry, terms)]

    assert "glossary" in checks(unsteered)
    assert "glossary" not in checks(steered)


def test_cli_qa_reports_glossary_violations_from_the_locales_glossary(tmp_path):
    locales = tmp_path / "locales"
    (locales).mkdir()
    (locales / "glossary.csv").write_text(CSV, encoding="utf-8")
    doc = doc_of(Segment("The strike closed the airport.", translation="La huelga cerró el aeropuerto.",
                         state=State.REVIEWED))
    catalog.save(doc, locales, PO_WRAP_WIDTH)
    path = catalog.po_path(locales, "article")
    assert msgfmt_check(path).returncode == 0
    done = run_cli("qa", "--locales", locales)
    assert done.returncode == 0  # a warning for the reviewer, not an error
    assert "warning: glossary: 'strike' should be translated 'paro'" in done.stdout


def test_steering_only_where_apertium_misses_the_term_keeps_its_grammar_elsewhere(terms):
    water = [glossary.Term("water", "agua")]
    missed = Segment("Workers called a national strike on Monday.")
    used = Segment("The water of the lake belongs to the people.")
    reference = Segment(used.text)  # no glossary at all
    engine = get_engine("apertium")
    translate_segments([reference], engine)
    glossary.apply(doc_of(missed), terms)
    glossary.apply(doc_of(used), water)
    assert translate.translate([missed, used], engine) == 2
    assert "paro" in missed.translation  # Apertium said "huelga": translated again, steered
    assert used.translation == reference.translation  # Apertium already said "agua": its own sentence kept
    for segment in (missed, used):
        assert segment.state == State.MACHINE and segment.engine == "apertium"
        assert any(s.reason == "glossary" for s in segment.spans)  # spans as apply left them, for the catalog
