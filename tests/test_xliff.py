"""XLIFF 1.2 for CAT tools (issue 15): `pipeline xliff export DIR` / `pipeline xliff import DIR`.

The reference article is run through `pipeline run --engine apertium`; the
XLIFF is read and edited with Translate Toolkit's own XLIFF classes and with
lxml (as a CAT tool would leave it), and the catalogs are read back with polib
and checked with `msgfmt -c`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from conftest import REPO, msgfmt_check, run_cli

translate_xliff = pytest.importorskip("translate.storage.xliff")

REFERENCE = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"
NAME = "peru-2023-coup-protests"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}

pytestmark = pytest.mark.skipif(not REFERENCE.is_file(), reason="reference article not available")


# the reference article run once with Apertium, and a private copy per test: the fixtures of the tests
from test_publishing import po_of, reference_run, work  # noqa: E402,F401  (pytest fixtures)


def blocks(po: Path) -> list[str]:
    """The PO file's entry blocks (header first), as written."""
    return po.read_text(encoding="utf-8").split("\n\n")


def export(work: Path, folder: str = "xlf") -> Path:
    done = run_cli("xliff", "export", folder, cwd=work)
    assert done.returncode == 0, done.stderr
    return work / folder / f"{NAME}.xlf"


def imported(work: Path, folder: str = "xlf"):
    return run_cli("xliff", "import", folder, cwd=work)


def test_export_states_targets_notes_as_translate_toolkit_reads_them(work):
    xlf = export(work)
    store = translate_xliff.xlifffile.parsefile(str(xlf))
    units = list(store.unit_iter())
    po = polib.pofile(str(po_of(work)))
    active = [e for e in po if not e.obsolete and e.msgid]
    assert [u.source for u in units] == [e.msgid for e in active]
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "es"
    root = etree.parse(str(xlf)).getroot()
    assert root.get("version") == "1.2" and root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff"
    for unit, entry in zip(units, active):
        assert unit.target == entry.msgstr
        assert unit.getlocations() == [f"{path}:{line}" for path, line in entry.occurrences]
        # every entry of a fresh Apertium run is machine output awaiting review
        assert not unit.isapproved() and unit.isreview()
        assert unit.getlanguageNode(lang=None, index=1).get("state") == "needs-review-translation"
        for keep in (line for line in entry.comment.splitlines() if line.startswith("keep: ")):
            assert keep in unit.getnotes("developer")
    assert any("keep: " in u.getnotes("developer") for u in units)  # the kept Spanish travels as notes
    # ids are unique and the same on re-export; the bytes are too
    assert len({u.getid() for u in units}) == len(units)
    first = xlf.read_bytes()
    xlf.unlink()
    assert export(work).read_bytes() == first
    stamp = xlf.stat().st_mtime_ns
    export(work)
    assert xlf.stat().st_mtime_ns == stamp  # unchanged content is not rewritten


def test_edit_in_translate_toolkit_comes_back_reviewed_others_byte_identical(work):
    xlf = export(work)
    po_path = po_of(work)
    before = blocks(po_path)
    store = translate_xliff.xlifffile.parsefile(str(xlf))
    units = list(store.unit_iter())
    edited, approved = units[4], units[2]
    new_text = edited.target.replace("fuerzas de ala derecha", "las fuerzas de derecha")
    assert new_text != edited.target
    edited.target = new_text  # Translate Toolkit marks an edited target translated
    approved.markfuzzy(False)  # approved in the tool as it is: state="translated" approved="yes"
    store.savefile(str(xlf))

    done = imported(work)
    assert done.returncode == 0, done.stderr
    assert "2 entries changed in 1 catalogs" in done.stderr
    po = polib.pofile(str(po_path))
    entry = po.find(edited.source)
    assert entry.msgstr == new_text and not entry.fuzzy
    assert "machine translation" not in entry.tcomment and entry.previous_msgid is None
    date = po.find(approved.source)
    assert not date.fuzzy and date.msgstr == approved.target
    assert msgfmt_check(po_path).returncode == 0, msgfmt_check(po_path).stderr
    after = blocks(po_path)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after)
    # exactly the two entries (and the header's PO-Revision-Date); every other entry byte-identical
    two = [i for i in changed if i]
    assert len(two) == 2 and set(changed) <= {0, *two}
    assert any(new_text[:30] in after[i] for i in two) and any(approved.source in after[i] for i in two)
    done = run_cli("stats", "--json", cwd=work)
    assert '"reviewed": 2' in done.stdout


def test_edit_with_lxml_keeps_state_and_still_comes_back_reviewed(work):
    xlf = export(work)
    tree = etree.parse(str(xlf))
    target = tree.findall(".//x:trans-unit", NS)[6].find("x:target", NS)
    source = target.getprevious().text
    target.text = "Un texto corregido a mano."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    done = imported(work)
    assert done.returncode == 0, done.stderr
    entry = polib.pofile(str(po_of(work))).find(source)
    assert entry.msgstr == "Un texto corregido a mano." and not entry.fuzzy
    assert msgfmt_check(po_of(work)).returncode == 0


def test_needs_translation_state_comes_back_fuzzy(work):
    xlf = export(work)
    store = translate_xliff.xlifffile.parsefile(str(xlf))
    unit = list(store.unit_iter())[5]
    unit.target = "Borrador del traductor."
    unit.markfuzzy(True)  # the tool's "needs work": state="needs-translation"
    store.savefile(str(xlf))
    assert imported(work).returncode == 0
    entry = polib.pofile(str(po_of(work))).find(unit.source)
    assert entry.msgstr == "Borrador del traductor." and entry.fuzzy
    assert "machine translation" not in entry.tcomment


def test_unchanged_import_leaves_the_catalog_byte_identical(work):
    export(work)
    before = po_of(work).read_bytes()
    stamp = po_of(work).stat().st_mtime_ns
    done = imported(work)
    assert done.returncode == 0, done.stderr
    assert po_of(work).read_bytes() == before and po_of(work).stat().st_mtime_ns == stamp


def test_a_poedit_edit_after_export_is_not_reverted_and_a_double_edit_is_reported(work):
    xlf = export(work)
    po = polib.pofile(str(po_of(work)))
    active = [e for e in po if not e.obsolete and e.msgid]
    active[4].msgstr = "Editado en Poedit."
    active[4].flags.remove("fuzzy")
    active[7].msgstr = "También en Poedit."
    po.save(str(po_of(work)))  # another tool's writer
    store = translate_xliff.xlifffile.parsefile(str(xlf))
    unit = list(store.unit_iter())[7]
    unit.target = "Y en el CAT."
    store.savefile(str(xlf))
    before = po_of(work).read_bytes()
    done = imported(work)
    assert done.returncode == 0, done.stderr
    assert po_of(work).read_bytes() == before  # nothing reverted, the double edit skipped
    warnings = [line for line in done.stderr.splitlines() if line.startswith("pipeline: warning:")]
    assert len(warnings) == 1 and "changed in the catalog too" in warnings[0] and f"{NAME}.xlf:" in warnings[0]


def test_a_unit_whose_source_matches_no_entry_is_reported_and_skipped(work):
    xlf = export(work)
    tree = etree.parse(str(xlf))
    unit = tree.findall(".//x:trans-unit", NS)[3]
    unit.find("x:source", NS).text = "A sentence the article no longer has."
    unit.find("x:target", NS).text = "Una frase que ya no está."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_of(work).read_bytes()
    done = imported(work)
    assert done.returncode == 0, done.stderr
    assert po_of(work).read_bytes() == before
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "no longer matches" in warnings[0] and "A sentence the article" in warnings[0]


def test_malformed_xliff_is_one_line_naming_file_and_line_and_writes_nothing(work):
    xlf = export(work)
    # an edit in the first file read, so a write before the malformed second file would show
    store = translate_xliff.xlifffile.parsefile(str(xlf))
    list(store.unit_iter())[4].target = "Cambio que no debe escribirse."
    store.savefile(str(xlf))
    shutil.copy(po_of(work), po_of(work).with_name("second.po"))
    run_cli("xliff", "export", "other", cwd=work)
    bad = work / "xlf" / "second.xlf"
    lines = (work / "other" / "second.xlf").read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "</target>" in line)
    lines[number] = lines[number].replace("</target>", "")  # an unclosed element
    bad.write_text("\n".join(lines), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in po_of(work).parent.iterdir()}
    done = imported(work)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("pipeline: error: xlf/second.xlf:") and "not well-formed XML" in done.stderr
    line = int(done.stderr.split("second.xlf:")[1].split(":")[0])
    assert line > number
    assert {p.name: p.read_bytes() for p in po_of(work).parent.iterdir()} == before
    # not XLIFF at all
    bad.write_text("<?xml version='1.0'?><tmx version='1.4'><body/></tmx>\n", encoding="utf-8")
    done = imported(work)
    assert done.returncode == 2 and "not an XLIFF" in done.stderr and len(done.stderr.splitlines()) == 1


def test_export_never_creates_folders_deep(work):
    done = run_cli("xliff", "export", "missing/deeper", cwd=work)
    assert done.returncode == 2 and "missing: no such folder" in done.stderr
    assert not (work / "missing").exists()


def test_fuzzy_previous_msgid_msgctxt_and_untranslated_travel(work):
    po_path = po_of(work)
    po = polib.pofile(str(po_path))
    active = [e for e in po if not e.obsolete and e.msgid]
    fuzzy, empty, context = active[4], active[5], active[6]
    fuzzy.previous_msgid = "An older source sentence."
    empty.msgstr = ""
    empty.flags = []
    context.msgctxt = "caption"
    po.save(str(po_path))  # polib's writer: a catalog the pipeline did not write
    xlf = export(work)
    store = translate_xliff.xlifffile.parsefile(str(xlf))
    by_source = {u.source: u for u in store.unit_iter()}
    unit = by_source[fuzzy.msgid]
    assert unit.getlanguageNode(lang=None, index=1).get("state-qualifier") == "fuzzy-match"
    alt = unit.getalttrans()
    assert alt and alt[0].source == "An older source sentence." and alt[0].target == fuzzy.msgstr
    assert by_source[empty.msgid].target in (None, "") and by_source[empty.msgid].getlanguageNode(lang=None, index=1) is None
    groups = by_source[context.msgid].getcontextgroups("po-entry")
    assert ("x-po-msgctxt", "caption") in groups[0]
    # a translation typed into the empty unit comes back into the entry with the context matched
    by_source[empty.msgid].target = "Traducción nueva."
    by_source[context.msgid].target = "Con contexto."
    store.savefile(str(xlf))
    done = imported(work)
    assert done.returncode == 0, done.stderr
    po = polib.pofile(str(po_path))
    assert po.find(empty.msgid).msgstr == "Traducción nueva." and not po.find(empty.msgid).fuzzy
    assert po.find(context.msgid, msgctxt="caption").msgstr == "Con contexto."
    assert msgfmt_check(po_path).returncode == 0
