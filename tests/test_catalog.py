"""The catalog stage: real PO/POT files, read back with polib and checked by GNU msgfmt."""
from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check
from pipeline import catalog
from pipeline.config import Config
from pipeline.errors import InputError
from pipeline.model import Document, Paragraph, Segment, Span, State
from pipeline.translate import keep_protected, needs_engine

SPANISH = ["¡El agua es nuestra, carajo!", "¡El agua no se vende!", "Coordinadora del Agua", "Los Tiempos",
           "¿Quién manda aquí? ¡El pueblo!"]

HEADLINE = "Water defenders march in Cochabamba"
LONG = ("March 2, 2024 — Thousands of people marched through the center of Cochabamba on Saturday to "
        "demand public control of the city's water.")
CALLED = "The march was called by the Coordinadora del Agua, the coalition that led the water war of 2000."
CHANT = "Marchers carried banners and chanted, “¡El agua es nuestra, carajo!”"
COLORS = "Many wore the colors of their neighborhood committees."
SLOGAN = "¡El agua no se vende!"
VOTE = "The newspaper Los Tiempos wrote that the city council will vote on the proposal next week."

ARTICLE = [[(HEADLINE, "headline")], [LONG, CALLED], [CHANT, COLORS], [SLOGAN], [VOTE]]

# The project's defaults for what the API would pass down from pipeline.toml.
SIMILARITY, WRAP = Config().similarity, Config().wrap


def segment(text: str, kind: str = "sentence") -> Segment:
    """A segment whose known Spanish phrases are protected spans, as the detect stage marks them."""
    if text in SPANISH:
        return Segment(text, kind=kind, lang="es", spans=[Span(text, True, "es", "spanish")])
    found = sorted((text.index(p), p) for p in SPANISH if p in text)
    spans, at = [], 0
    for start, phrase in found:
        spans += [Span(text[at:start]), Span(phrase, True, "es", "spanish")]
        at = start + len(phrase)
    if found and at < len(text):
        spans.append(Span(text[at:]))
    return Segment(text, kind=kind, spans=spans)


def make_doc(paragraphs, source: Path) -> Document:
    """A Document of paragraphs given as lists of texts or (text, kind) pairs."""
    doc = Document(name=source.stem, source=source)
    for number, items in enumerate(paragraphs, 1):
        segments = [segment(*item) if isinstance(item, tuple) else segment(item) for item in items]
        for seg in segments[:-1]:
            seg.trailing = " "
        doc.paragraphs.append(Paragraph(segments, number))
    return doc


def machine_translate(doc: Document, engine: str = "apertium") -> None:
    """Stand-in for the translate stage (not under test here): mark output as an engine's."""
    keep_protected(list(doc.segments()))
    for seg in doc.segments():
        if needs_engine(seg):
            seg.translation, seg.state, seg.engine = f"[es] {seg.text}", State.MACHINE, engine


def run_cycle(paragraphs, source: Path, locales: Path, engine: str = "apertium",
              wrap: int = WRAP) -> tuple[Document, list[Path]]:
    """What `pipeline run` does to the catalogs: load, translate what is left, save."""
    doc = make_doc(paragraphs, source)
    catalog.load(doc, locales, SIMILARITY)
    machine_translate(doc, engine)
    return doc, catalog.save(doc, locales, wrap)


def entries(po_path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path))}


def test_save_writes_pot_and_po_that_gettext_accepts(project):
    _, source, locales = project
    _, written = run_cycle(ARTICLE, source, locales)
    pot_file, po_file = catalog.pot_path(locales, "water-march"), catalog.po_path(locales, "water-march")
    assert written == [pot_file, po_file]
    assert po_file == locales / "es" / "LC_MESSAGES" / "water-march.po"
    for path in written:
        check = msgfmt_check(path)
        assert check.returncode == 0, check.stderr

    po = polib.pofile(str(po_file))
    assert [e.msgid for e in po] == [HEADLINE, LONG, CALLED, CHANT, COLORS, SLOGAN, VOTE]  # source order
    assert po.metadata["Language"] == "es"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Project-Id-Version"] == "bilingual-pipeline"
    assert po.metadata["X-Source"] == "../water-march.txt"
    for key in ("POT-Creation-Date", "PO-Revision-Date", "Last-Translator", "Language-Team", "MIME-Version",
                "Content-Transfer-Encoding"):
        assert po.metadata[key], key

    by_id = {e.msgid: e for e in po}
    chant = by_id[CHANT]
    assert chant.fuzzy and chant.msgstr == f"[es] {CHANT}"
    assert chant.comment.splitlines() == ["keep: ¡El agua es nuestra, carajo!"]
    assert chant.tcomment.splitlines() == ["machine translation: apertium"]  # where msgmerge keeps it
    assert chant.occurrences == [("water-march.txt", "3")]
    assert by_id[HEADLINE].comment.splitlines() == ["kind: headline"]
    assert by_id[HEADLINE].tcomment == "machine translation: apertium"
    slogan = by_id[SLOGAN]  # wholly Spanish: kept as written, final
    assert slogan.msgstr == SLOGAN and not slogan.fuzzy and slogan.comment == f"keep: {SLOGAN}"
    assert all(e.msgctxt is None for e in po)

    pot = polib.pofile(str(pot_file))
    assert [e.msgid for e in pot] == [e.msgid for e in po]
    assert all(e.msgstr == "" and not e.fuzzy for e in pot)
    assert "machine translation" not in pot_file.read_text(encoding="utf-8")


def test_states_read_back_as_written(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    doc = make_doc(ARTICLE, source)
    catalog.load(doc, locales, SIMILARITY)
    states = {s.text: (s.state, s.engine) for s in doc.segments()}
    assert states[CHANT] == (State.MACHINE, "apertium")
    assert states[SLOGAN] == (State.REVIEWED, "")
    assert not any(needs_engine(s) for s in doc.segments()), "a translated segment would go to the engine again"


def test_rerun_on_unchanged_input_changes_no_byte(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    files = [catalog.pot_path(locales, "water-march"), catalog.po_path(locales, "water-march")]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in files]
    _, written = run_cycle(ARTICLE, source, locales)
    assert written == []
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in files] == before


def test_output_has_gettext_layout(project):
    """msgcat (GNU gettext) would write our files byte for byte as they are: wrapping at 79 like msgmerge."""
    _, source, locales = project
    long_article = ARTICLE + [[LONG.replace("water", "water-supply-and-sanitation/drainage " * 3)]]
    run_cycle(long_article, source, locales)
    for path in (catalog.po_path(locales, "water-march"), catalog.pot_path(locales, "water-march")):
        text = path.read_text(encoding="utf-8")
        assert max(len(line) for line in text.splitlines() if not line.startswith("#.")) <= 79
        assert subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout == text


def test_wrap_zero_writes_one_line_per_string(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales, wrap=0)
    text = catalog.po_path(locales, "water-march").read_text(encoding="utf-8")
    assert f'msgid "{LONG}"' in text
    no_wrap = subprocess.run(["msgcat", "--no-wrap", str(catalog.po_path(locales, "water-march"))],
                             capture_output=True, text=True, check=True).stdout
    assert no_wrap == text


def test_same_sentence_twice_is_one_entry_unless_context_differs(project):
    _, source, locales = project
    doc = make_doc([[COLORS], [VOTE], [COLORS]], source)
    machine_translate(doc)
    catalog.save(doc, locales, WRAP)
    po = polib.pofile(str(catalog.po_path(locales, "water-march")))
    assert [e.occurrences for e in po if e.msgid == COLORS] == [[("water-march.txt", "1"), ("water-march.txt", "3")]]

    doc.paragraphs[2].segments[0].context = "caption"  # the same text needing its own translation
    catalog.save(doc, locales, WRAP)
    po = polib.pofile(str(catalog.po_path(locales, "water-march")))
    assert sorted((e.msgctxt or "", e.occurrences[0][1]) for e in po if e.msgid == COLORS) == [("", "1"), ("caption", "3")]
    assert msgfmt_check(catalog.po_path(locales, "water-march")).returncode == 0


def test_reviewed_translation_is_never_overwritten(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file = catalog.po_path(locales, "water-march")
    po = polib.pofile(str(po_file))
    entry = po.find(COLORS)
    entry.msgstr, entry.flags = "Muchos vestían los colores de sus comités vecinales.", []
    po.save(str(po_file))

    doc = make_doc(ARTICLE, source)  # an in-memory document that still holds engine output
    machine_translate(doc)
    catalog.save(doc, locales, WRAP)
    entry = entries(po_file)[COLORS]
    assert entry.msgstr == "Muchos vestían los colores de sus comités vecinales." and not entry.fuzzy
    assert catalog.entry_state(entry) == State.REVIEWED  # the engine comment stays, as history


def test_translator_comments_and_flags_survive(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file = catalog.po_path(locales, "water-march")
    po = polib.pofile(str(po_file))
    po.find(VOTE).tcomment = "Los Tiempos is a Cochabamba daily."
    po.find(VOTE).flags.append("no-c-format")
    po.save(str(po_file))
    run_cycle(ARTICLE + [["A new closing sentence about the water."]], source, locales)
    entry = entries(po_file)[VOTE]
    assert entry.tcomment == "Los Tiempos is a Cochabamba daily."
    assert entry.flags == ["fuzzy", "no-c-format"]


def _break_line(po_file: Path, replace: str, by: str) -> int:
    lines = po_file.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(replace) and i > 20)
    lines[number] = by
    po_file.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


@pytest.mark.parametrize("start,broken,message", [
    ("msgstr", 'msgstr "unterminated', "unterminated string"),
    ("msgstr", "msgstr Sin comillas", "unexpected text"),
    ("#:", 'msgid "water-march.txt:2"', "comment inside an entry"),  # polib alone accepts these two
    ('msgid "Many', 'msgstr "Muchos"', "msgstr where msgctxt or msgid was expected"),
])
def test_po_syntax_error_is_input_error_with_line_and_nothing_is_written(project, start, broken, message):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file, pot_file = catalog.po_path(locales, "water-march"), catalog.pot_path(locales, "water-march")
    line = _break_line(po_file, start, broken)
    before = po_file.read_bytes(), pot_file.read_bytes()
    with pytest.raises(InputError) as raised:
        run_cycle(ARTICLE + [["A new sentence."]], source, locales)
    assert raised.value.path == po_file and raised.value.line is not None
    assert message in str(raised.value)
    assert raised.value.line in (line, line + 1)  # the broken line, or the next that cannot follow it
    assert (po_file.read_bytes(), pot_file.read_bytes()) == before


def test_duplicate_entry_is_input_error(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file = catalog.po_path(locales, "water-march")
    po_file.write_text(po_file.read_text(encoding="utf-8") + f'\nmsgid "{COLORS}"\nmsgstr "Otra."\n',
                       encoding="utf-8")
    with pytest.raises(InputError, match="duplicate entry") as raised:
        catalog.read_po(po_file)
    assert raised.value.line == len(po_file.read_text(encoding="utf-8").splitlines()) - 1


def test_catalog_resaved_by_msgcat_is_accepted_and_nothing_spurious_written(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file = catalog.po_path(locales, "water-march")
    subprocess.run(["msgcat", "--width=40", "-o", str(po_file), str(po_file)], check=True)
    other_layout = po_file.read_bytes()
    assert b'"[es] Many wore the colors of their "' in other_layout  # really wrapped differently

    doc, written = run_cycle(ARTICLE, source, locales)
    assert written == [] and po_file.read_bytes() == other_layout  # same content: left as msgcat wrote it
    assert {s.text: s.state for s in doc.segments()}[CHANT] == State.MACHINE

    _, written = run_cycle(ARTICLE + [["A new sentence."]], source, locales)  # real change: normalised
    assert po_file in written
    po = entries(po_file)
    assert po[CHANT].fuzzy and "machine translation: apertium" in po[CHANT].tcomment
    assert po[SLOGAN].msgstr == SLOGAN and not po[SLOGAN].fuzzy
    assert msgfmt_check(po_file).returncode == 0


def test_catalog_updated_by_msgmerge_is_accepted(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file, pot_file = catalog.po_path(locales, "water-march"), catalog.pot_path(locales, "water-march")
    subprocess.run(["msgmerge", "--quiet", "--no-wrap", "--update", "--backup=off", str(po_file), str(pot_file)],
                   check=True)
    merged = entries(po_file)
    assert merged[COLORS].fuzzy and merged[COLORS].msgstr == f"[es] {COLORS}"
    # msgmerge takes extracted comments from the POT but keeps translator comments, where the
    # `machine translation:` mark lives: such entries still read back as MACHINE, nothing sent again
    doc = make_doc(ARTICLE, source)
    catalog.load(doc, locales, SIMILARITY)
    states = {s.text: s.state for s in doc.segments()}
    assert states[SLOGAN] == State.REVIEWED
    assert {states[text] for text in states if text != SLOGAN} == {State.MACHINE}
    assert not any(needs_engine(s) for s in doc.segments())
    assert catalog.save(doc, locales, WRAP) == []
    assert msgfmt_check(po_file).returncode == 0


POEDIT_HEADER = """# Spanish translation of the water march article.
# Ana Ruiz <ana@example.org>, 2024.
#
msgid ""
msgstr ""
"Project-Id-Version: bilingual-pipeline\\n"
"Language-Team: Equipo de traducción <es@example.org>\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"POT-Creation-Date: {created}\\n"
"PO-Revision-Date: 2024-03-05 18:22+0100\\n"
"Last-Translator: Ana Ruiz <ana@example.org>\\n"
"X-Generator: Poedit 3.4.2\\n"
"X-Source: ../water-march.txt\\n"
"""


def test_poedit_style_resave_loses_nothing(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    po_file = catalog.po_path(locales, "water-march")
    po = polib.pofile(str(po_file), wrapwidth=0)
    reviewed = "Muchos vestían los colores de sus comités vecinales."
    po.find(COLORS).msgstr, po.find(COLORS).flags = reviewed, []
    body = str(po).split("\n\n", 1)[1]  # entries unwrapped, as Poedit writes with wrapping off
    po_file.write_text(POEDIT_HEADER.format(created=po.metadata["POT-Creation-Date"]) + "\n" + body,
                       encoding="utf-8")
    saved_by_poedit = po_file.read_bytes()

    doc, written = run_cycle(ARTICLE, source, locales)
    assert written == [] and po_file.read_bytes() == saved_by_poedit
    assert {s.text: (s.state, s.translation) for s in doc.segments()}[COLORS] == (State.REVIEWED, reviewed)

    run_cycle(ARTICLE + [["A new sentence."]], source, locales)  # a real change afterwards
    after = polib.pofile(str(po_file))
    assert after.find(COLORS).msgstr == reviewed and not after.find(COLORS).fuzzy
    assert after.metadata["Last-Translator"] == "Ana Ruiz <ana@example.org>"
    assert after.metadata["PO-Revision-Date"] == "2024-03-05 18:22+0100"
    assert after.metadata["Language-Team"] == "Equipo de traducción <es@example.org>"
    assert after.metadata["X-Generator"] == "Poedit 3.4.2"
    assert list(after.metadata)[:3] == ["Project-Id-Version", "Language-Team", "Language"]  # the translator's order
    assert after.header.startswith("Spanish translation of the water march article.")
    assert msgfmt_check(po_file).returncode == 0


def test_document_from_catalog_rebuilds_what_translate_needs(project):
    _, source, locales = project
    doc = make_doc(ARTICLE, source)
    keep_protected(list(doc.segments()))
    catalog.save(doc, locales, WRAP)  # as `pipeline extract` leaves it: English untranslated
    po_file = catalog.po_path(locales, "water-march")
    source.unlink()  # `pipeline translate` works from the catalog alone

    rebuilt = catalog.document_from_catalog(po_file, do_not_translate=[])
    assert rebuilt.name == "water-march" and rebuilt.filename == "water-march.txt"
    assert [p.number for p in rebuilt.paragraphs] == [1, 2, 3, 4, 5]
    assert [[s.text for s in p.segments] for p in rebuilt.paragraphs] == [
        [HEADLINE], [LONG, CALLED], [CHANT, COLORS], [SLOGAN], [VOTE]]
    chant = rebuilt.paragraphs[2].segments[0]
    assert "".join(s.text for s in chant.spans) == CHANT
    assert [(s.text, s.reason) for s in chant.spans if s.protected] == [("¡El agua es nuestra, carajo!", "spanish")]
    slogan = rebuilt.paragraphs[3].segments[0]
    assert slogan.fully_protected and slogan.state == State.REVIEWED
    assert rebuilt.paragraphs[0].segments[0].kind == "headline"
    assert sum(needs_engine(s) for s in rebuilt.segments()) == 6

    machine_translate(rebuilt)
    catalog.save(rebuilt, locales, WRAP)
    po = polib.pofile(str(po_file))
    assert not po.obsolete_entries()
    assert all(e.msgstr for e in po)
    assert po.find(CHANT).occurrences == [("water-march.txt", "3")]
    assert po.metadata["X-Source"] == "../water-march.txt"
    assert msgfmt_check(po_file).returncode == 0
    assert catalog.save(catalog.document_from_catalog(po_file, do_not_translate=[]), locales, WRAP) == []


def test_do_not_translate_terms_come_back_with_their_reason(project):
    _, source, locales = project
    doc = make_doc([[COLORS]], source)
    seg = doc.paragraphs[0].segments[0]
    seg.text = "Cochabamba wore the colors."
    seg.spans = [Span("Cochabamba", True, "en", "do-not-translate"), Span(" wore the colors.")]
    catalog.save(doc, locales, WRAP)
    rebuilt = catalog.document_from_catalog(catalog.po_path(locales, "water-march"), do_not_translate=["Cochabamba"])
    spans = rebuilt.paragraphs[0].segments[0].spans
    assert [(s.text, s.protected, s.reason) for s in spans] == [
        ("Cochabamba", True, "do-not-translate"), (" wore the colors.", False, "")]


def test_catalogs_lists_po_files(project):
    _, source, locales = project
    assert catalog.catalogs(locales) == []
    run_cycle(ARTICLE, source, locales)
    run_cycle([[VOTE]], source.with_name("another.txt"), locales)
    assert catalog.catalogs(locales) == [catalog.po_path(locales, "another"), catalog.po_path(locales, "water-march")]
