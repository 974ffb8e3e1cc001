"""The catalog lifecycle when a source changes, as msgmerge and po4a handle it: no reviewed work is lost."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import msgfmt_check
from pipeline import catalog
from pipeline.model import State
from pipeline.translate import needs_engine
from test_catalog import (ARTICLE, CALLED, CHANT, COLORS, LONG, SIMILARITY, SLOGAN, VOTE, WRAP, make_doc,
                          run_cycle)

EDITED = "Many wore the colours of their neighbourhood committees."  # COLORS, edited (≥ 75% alike)
REVIEWED = "Muchos vestían los colores de sus comités vecinales."


def po_entries(locales: Path) -> polib.POFile:
    return polib.pofile(str(catalog.po_path(locales, "water-march")))


def review(locales: Path, msgid: str, translation: str) -> None:
    """What a translator does in the PO file: write the translation and clear `fuzzy`."""
    path = catalog.po_path(locales, "water-march")
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    entry.msgstr = translation
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    po.save(str(path))


def loaded(paragraphs, source: Path, locales: Path, similarity: float = SIMILARITY) -> dict[str, tuple[State, str]]:
    """State and translation of each segment after load, before any engine."""
    doc = make_doc(paragraphs, source)
    catalog.load(doc, locales, similarity)
    return {s.text: (s.state, s.translation) for s in doc.segments()}


def with_paragraph(paragraphs, index, items):
    return [items if i == index else p for i, p in enumerate(paragraphs)]


def test_unchanged_segments_keep_translation_and_state(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    review(locales, COLORS, REVIEWED)
    changed = ARTICLE + [["A brand new closing sentence about the council vote."]]
    states = loaded(changed, source, locales)
    assert states[COLORS] == (State.REVIEWED, REVIEWED)
    assert states[CHANT] == (State.MACHINE, f"[es] {CHANT}")
    assert states[SLOGAN] == (State.REVIEWED, SLOGAN)


def test_new_segment_stays_untranslated_after_load_for_the_engine(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    new = "A brand new closing sentence about the council vote."
    doc = make_doc(ARTICLE + [[new]], source)
    catalog.load(doc, locales, SIMILARITY)
    pending = [s.text for s in doc.segments() if needs_engine(s)]
    assert pending == [new]


def test_edited_sentence_gets_old_translation_as_fuzzy_with_previous_msgid(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    review(locales, COLORS, REVIEWED)
    edited = with_paragraph(ARTICLE, 2, [CHANT, EDITED])
    doc, _ = run_cycle(edited, source, locales)
    assert {s.text: s.state for s in doc.segments()}[EDITED] == State.FUZZY  # not sent to the engine

    po = po_entries(locales)
    entry = po.find(EDITED)
    assert entry.msgstr == REVIEWED and entry.fuzzy
    assert entry.previous_msgid == COLORS
    assert "machine translation" not in entry.comment  # distinguishable from raw engine output
    assert catalog.entry_state(entry) == State.FUZZY
    assert catalog.entry_state(po.find(CHANT)) == State.MACHINE
    old = next(e for e in po.obsolete_entries() if e.msgid == COLORS)
    assert old.msgstr == REVIEWED and not old.fuzzy
    text = catalog.po_path(locales, "water-march").read_text(encoding="utf-8")
    assert f'#| msgid "{COLORS}"' in text and f'#~ msgid "{COLORS}"' in text
    assert msgfmt_check(catalog.po_path(locales, "water-march")).returncode == 0

    # the next unchanged run keeps the fuzzy match as it is, byte for byte
    assert run_cycle(edited, source, locales)[1] == []


def test_similarity_threshold_only_chooses_it_never_hides_an_edit_made_in_place(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    edited = with_paragraph(ARTICLE, 2, [CHANT, EDITED])
    # the sentence changed at the same place: offered whatever the setting, as msgmerge offers it
    assert loaded(edited, source, locales, similarity=0.99)[EDITED][0] == State.FUZZY
    assert loaded(edited, source, locales, similarity=0.75)[EDITED][0] == State.FUZZY


def test_unrelated_new_sentence_is_no_fuzzy_match(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    unrelated = "Police closed the bridge to traffic before noon."
    assert loaded(with_paragraph(ARTICLE, 2, [CHANT, unrelated]), source, locales)[unrelated] == (State.UNTRANSLATED, "")


def test_removed_segment_becomes_obsolete_and_returns_with_translation_and_state(project):
    _, source, locales = project
    run_cycle(ARTICLE, source, locales)
    review(locales, VOTE, "El diario Los Tiempos escribió que el concejo votará la propuesta la próxima semana.")
    shorter = [p for p in ARTICLE if p != [VOTE] and p != [CHANT, COLORS]]
    run_cycle(shorter, source, locales)
    po = po_entries(locales)
    assert VOTE not in [e.msgid for e in po if not e.obsolete]
    obsolete = {e.msgid: e for e in po.obsolete_entries()}
    assert set(obsolete) == {VOTE, CHANT, COLORS}
    assert not obsolete[VOTE].fuzzy and obsolete[VOTE].msgstr.startswith("El diario Los Tiempos")
    assert obsolete[CHANT].fuzzy and "machine translation: apertium" in obsolete[CHANT].tcomment
    assert msgfmt_check(catalog.po_path(locales, "water-march")).returncode == 0

    doc, _ = run_cycle(ARTICLE, source, locales)  # the sentences come back
    states = {s.text: (s.state, s.engine) for s in doc.segments()}
    assert states[VOTE] == (State.REVIEWED, "")
    assert states[CHANT] == (State.MACHINE, "apertium")
    po = po_entries(locales)
    assert not po.obsolete_entries()
    assert po.find(VOTE).msgstr.startswith("El diario Los Tiempos") and not po.find(VOTE).fuzzy
    assert po.find(CHANT).occurrences == [("water-march.txt", "3")]


def test_untranslated_removed_entries_are_dropped_not_kept_obsolete(project):
    _, source, locales = project
    doc = make_doc(ARTICLE, source)
    catalog.save(doc, locales, WRAP)  # extracted, nothing translated
    catalog.save(make_doc([[LONG, CALLED]], source), locales, WRAP)
    po = po_entries(locales)
    assert [e.msgid for e in po] == [LONG, CALLED] and not po.obsolete_entries()


def test_memory_match_is_distinguishable_from_machine_output(project):
    _, source, locales = project
    doc = make_doc(ARTICLE, source)
    catalog.load(doc, locales, SIMILARITY)
    colors = next(s for s in doc.segments() if s.text == COLORS)
    colors.translation, colors.state, colors.engine = REVIEWED, State.FUZZY, catalog.MEMORY_ENGINE + "other-article"
    from test_catalog import machine_translate

    machine_translate(doc)
    catalog.save(doc, locales, WRAP)
    po = po_entries(locales)
    entry = po.find(COLORS)
    assert entry.fuzzy and "from translation memory: other-article" in entry.tcomment.splitlines()
    assert catalog.entry_state(entry) == State.FUZZY
    assert loaded(ARTICLE, source, locales)[COLORS] == (State.FUZZY, REVIEWED)


# Property: random edit sequences and random reviews never lose a reviewed translation.

POOL = [
    "Thousands marched through the center of Cochabamba on Saturday.",
    "The march was called by the Coordinadora del Agua.",
    "Marchers carried banners and chanted, “¡El agua es nuestra, carajo!”",
    "Many wore the colors of their neighborhood committees.",
    "¡El agua no se vende!",
    "Local radio reported that the march reached the main square at two.",
    "The organizers said a hydrologist would present a report on the wells.",
    "The newspaper Los Tiempos wrote that the council will vote next week.",
    "Until then, the coalition promises to keep the slogan alive.",
    "People gathered at the water march in Cochabamba, Bolivia.",
]
SUFFIXES = ["", " today", " again", ", officials said", " in the rain"]

operations = st.lists(st.tuples(
    st.sampled_from(["edit", "insert", "delete", "restore", "review", "review"]),
    st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=8)


def _apply(op: str, a: int, b: int, current: list[str], removed: list[str]) -> None:
    """Change the source as an editor would: edit a sentence a little, insert, delete, bring one back."""
    if op == "edit" and current:
        i = a % len(current)
        base = next((s for s in POOL if current[i].startswith(s.rstrip("."))), current[i])
        removed.append(current[i])
        current[i] = base.rstrip(".") + SUFFIXES[b % len(SUFFIXES)] + ("." if base.endswith(".") else "")
    elif op == "insert":
        candidates = [s for s in POOL if s not in current]
        if candidates:
            current.insert(a % (len(current) + 1), candidates[b % len(candidates)])
    elif op == "delete" and len(current) > 1:
        removed.append(current.pop(a % len(current)))
    elif op == "restore" and removed:
        back = removed.pop(a % len(removed))
        if back not in current:
            current.insert(b % (len(current) + 1), back)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_reviewed_translations_survive_any_edit_sequence(steps):
    folder = Path(tempfile.mkdtemp(prefix="lifecycle-"))
    try:
        source, locales = folder / "water-march.txt", folder / "locales"
        current, removed = list(POOL[:5]), []
        run_cycle([[s] for s in current], source, locales)
        reviewed: dict[str, str] = {}  # every pair a translator has reviewed
        for number, (op, a, b) in enumerate(steps):
            if op == "review":
                po = po_entries(locales)
                active = [e for e in po if not e.obsolete and e.msgstr != e.msgid]
                if active:
                    entry = active[a % len(active)]
                    translation = f"revisado {number}: {entry.msgid[:20]}"
                    review(locales, entry.msgid, translation)
                    reviewed[entry.msgid] = translation
            else:
                _apply(op, a, b, current, removed)
            run_cycle([[s] for s in current], source, locales)
            po = po_entries(locales)
            by_id = {e.msgid: e for e in po}
            for msgid, translation in reviewed.items():
                if msgid in current:
                    entry = by_id[msgid]
                    assert not entry.obsolete and entry.msgstr == translation and not entry.fuzzy, (op, msgid)
                else:  # kept, obsolete, for when the sentence returns
                    assert msgid in by_id and by_id[msgid].msgstr == translation
            # one entry per distinct sentence, in source order (an edit can make two sentences equal)
            assert [e.msgid for e in po if not e.obsolete] == list(dict.fromkeys(current))
        assert msgfmt_check(catalog.po_path(locales, "water-march")).returncode == 0
    finally:
        shutil.rmtree(folder)
