"""QA checks on PO entries: each check fires on a faulty translation and stays quiet on a good one."""
from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check, run_cli
from pipeline import qa
from pipeline.catalog import po_path, po_text
from pipeline.config import PO_WRAP_WIDTH
from pipeline.glossary import Term


def entry(msgid: str, msgstr: str, keep: tuple[str, ...] = (), fuzzy: bool = False) -> polib.POEntry:
    """A PO entry as the catalog writes it: keep: comments for kept Spanish spans."""
    found = polib.POEntry(msgid=msgid, msgstr=msgstr, comment="\n".join(f"keep: {k}" for k in keep),
                          occurrences=[("article.txt", "1")], flags=["fuzzy"] if fuzzy else [])
    found.linenum = 7
    return found


def checks(found: list[qa.Finding]) -> set[str]:
    return {f.check for f in found}


# (check name, msgid, faulty msgstr, good msgstr, keep comments)
CASES = [
    ("keep", "The crowd chanted ¡Que se vayan todos! in the square.",
     "La multitud coreó ¡Que se vayan todo! en la plaza.",
     "La multitud coreó ¡Que se vayan todos! en la plaza.", ("¡Que se vayan todos!",)),
    ("numbers", "About 1,500 people marched 2.5 kilometres.",
     "Unas 150 personas marcharon 2,5 kilómetros.",
     "Unas 1.500 personas marcharon 2,5 kilómetros.", ()),
    ("placeholders", "%(count)s people signed {petition}.",
     "%(cuenta)s personas firmaron {peticion}.",
     "%(count)s personas firmaron {petition}.", ()),
    ("markup", "Read <a href=\"https://example.org/x\">the report</a> and [the law](https://ley.pe/1).",
     "Lea el informe y [la ley](https://ley.pe/2).",
     "Lea <a href=\"https://example.org/x\">el informe</a> y [la ley](https://ley.pe/1).", ()),
    ("untranslated", "The police blocked the road.", "The police blocked the road.",
     "La policía bloqueó la carretera.", ()),
    ("end-punctuation", "Who ordered the shooting?", "¿Quién ordenó los disparos.",
     "¿Quién ordenó los disparos?", ()),
    ("inverted-marks", "Who ordered the shooting?", "Quién ordenó los disparos?",
     "¿Quién ordenó los disparos?", ()),
    ("brackets", "The ombudsman (Defensoría del Pueblo) counted the dead.",
     "La defensoría (Defensoría del Pueblo contó los muertos.",
     "La defensoría (Defensoría del Pueblo) contó los muertos.", ("Defensoría del Pueblo",)),
    ("quotes", "She called it \"a massacre\" on radio.", "Lo llamó «una masacre en la radio.",
     "Lo llamó «una masacre» en la radio.", ()),
    ("doubled-words", "The marchers reached the square.", "Los manifestantes llegaron a la la plaza.",
     "Los manifestantes llegaron a la plaza.", ()),
    ("doubled-spaces", "The marchers reached the square.", "Los manifestantes llegaron a  la plaza.",
     "Los manifestantes llegaron a la plaza.", ()),
    ("space-before-punctuation", "In Puno, the marchers stopped.", "En Puno , los manifestantes pararon .",
     "En Puno, los manifestantes pararon.", ()),
    ("length", "The regional governments declared a state of emergency on Monday.", "Emergencia.",
     "Los gobiernos regionales declararon el estado de emergencia el lunes.", ()),
]


@pytest.mark.parametrize("name, msgid, bad, good, keep", CASES, ids=[c[0] for c in CASES])
def test_each_check_fires_on_a_fault_and_not_on_a_good_translation(name, msgid, bad, good, keep):
    assert name in checks(qa.check_entry(entry(msgid, bad, keep))), bad
    assert qa.check_entry(entry(msgid, good, keep)) == [], good


def test_severity_errors_for_what_breaks_the_text_warnings_for_style():
    found = qa.check_entry(entry("In 2023, 49 people died in ¡Fuera Dina!.", "En 2022, murieron 49 personas ..",
                                 ("¡Fuera Dina!",)))
    severity = {f.check: f.severity for f in found}
    assert severity["keep"] == "error" and severity["numbers"] == "error"
    assert severity["space-before-punctuation"] == "warning"
    assert all(f.line == 7 and f.msgid.startswith("In 2023") for f in found)


def test_number_formats_of_either_language_are_the_same_number():
    for english, spanish in (("1,000", "1.000"), ("1,000", "1000"), ("2.5", "2,5"), ("12,345.6", "12.345,6"),
                             ("10,000", "10\u00a0000"), ("1,000", "1,000")):
        assert "numbers" not in checks(qa.check_entry(entry(f"It cost {english} soles.", f"Costó {spanish} soles."))), \
            (english, spanish)
    assert "numbers" in checks(qa.check_entry(entry("It cost 1,000 soles.", "Costó 1,5 soles.")))
    assert "numbers" in checks(qa.check_entry(entry("On 7 December.", "El 7 y 8 de diciembre.")))  # one too many


def test_wholly_spanish_entry_kept_as_written_is_not_untranslated():
    chant = "¡El agua no se vende, se defiende!"
    assert qa.check_entry(entry(chant, chant, (chant,))) == []
    # a name-only byline is not "untranslated" either: nothing English in it
    assert qa.check_entry(entry("Héctor Bejár", "Héctor Bejár", ("Héctor Bejár",))) == []
    # nor is a dateline of place names
    dateline = entry("Ibarra, Ecuador", "Ibarra, Ecuador")
    assert checks(qa.check_entry(dateline)) == {"untranslated"}
    dateline.comment = "kind: dateline"
    assert qa.check_entry(dateline) == []


def test_kept_spanish_is_not_judged_by_spanish_style_checks():
    # an informal slogan without ¡ is the writer's text, kept as is; the translation around it is checked
    source = "They shouted Que se vaya Dina! at the police."
    good = "Gritaron Que se vaya Dina! a la policía."
    assert qa.check_entry(entry(source, good, ("Que se vaya Dina!",))) == []
    assert "inverted-marks" in checks(qa.check_entry(entry("Stop!", "Para!")))


def test_glossary_violation_is_reported():
    terms = [Term("strike", "paro"), Term("Congress", "Congreso")]
    bad = qa.check_entry(entry("The strike paralysed Congress.", "La huelga paralizó el Congreso."), terms)
    assert [f.check for f in bad] == ["glossary"] and "paro" in bad[0].message
    assert qa.check_entry(entry("The strike paralysed Congress.", "El paro paralizó el Congreso."), terms) == []
    assert qa.check_entry(entry("Strikes are legal.", "Las huelgas son legales."), terms) == []  # not the term
    coup = [Term("coup", "golpe de Estado")]
    assert qa.check_entry(entry("One coup after another.", "Golpes de Estado uno tras otro."), coup) == []
    # a term inside kept Spanish is the writer's text, not the translation's
    kept = entry("They chanted ¡Huelga, strike!", "Corearon ¡Huelga, strike!", ("¡Huelga, strike!",))
    assert qa.check_entry(kept, terms) == []


def test_untranslated_and_header_entries_have_no_findings():
    assert qa.check_entry(entry("The police blocked the road.", "")) == []
    assert qa.check_entry(polib.POEntry(msgid="", msgstr="Language: es\n")) == []


def write_catalog(locales: Path, name: str, entries: list[polib.POEntry]) -> Path:
    """A Spanish catalog written as the catalog stage writes it, checked by msgfmt."""
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": "test", "Language": "es", "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for item in entries:
        po.append(item)
    path = po_path(locales, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(po_text(po), encoding="utf-8")
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    return path


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    write_catalog(folder, "march", [
        entry("The march began at noon.", "La marcha empezó al mediodía."),
        entry("About 1,500 people chanted ¡Fuera Dina!", "Unas 150 personas corearon ¡Fuera Dina!", ("¡Fuera Dina!",),
              fuzzy=True),
        entry("Who ordered the shooting?", "Quién ordenó los disparos?"),
    ])
    return folder


def test_check_catalog_reports_lines_of_the_po_file(locales):
    path = po_path(locales, "march")
    found = qa.check_catalog(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    numbers = next(f for f in found if f.check == "numbers")
    assert numbers.severity == "error" and numbers.path == str(path)
    assert "About 1,500" in "\n".join(lines[numbers.line - 1:numbers.line + 4])  # the entry starts there
    assert {f.check for f in found} == {"numbers", "inverted-marks"}


def test_write_comments_replaces_earlier_qa_comments_only(locales):
    path = po_path(locales, "march")
    po = polib.pofile(str(path))
    po[0].tcomment = "qa: warning: length: stale finding\nAsk the editor about this one."
    path.write_text(po_text(po), encoding="utf-8")
    assert qa.write_comments(path, qa.check_catalog(path), PO_WRAP_WIDTH)
    text = path.read_text(encoding="utf-8")
    assert "stale finding" not in text and "# Ask the editor about this one." in text
    assert "# qa: error: numbers: number 1,500 missing from the translation" in text
    assert "# qa: warning: inverted-marks:" in text
    assert msgfmt_check(path).returncode == 0
    reread = polib.pofile(str(path))
    assert [e.msgstr for e in reread] == ["La marcha empezó al mediodía.", "Unas 150 personas corearon ¡Fuera Dina!",
                                          "Quién ordenó los disparos?"]
    assert reread[1].fuzzy  # nothing else changed
    assert not qa.write_comments(path, qa.check_catalog(path), PO_WRAP_WIDTH)  # same findings: same bytes, not rewritten


def test_cli_qa_lists_findings_and_fails_on_errors(locales):
    done = run_cli("qa", "--locales", locales)
    assert done.returncode == 1, done.stderr
    path = po_path(locales, "march")
    assert f"{path}:" in done.stdout and ": error: numbers: number 1,500 missing" in done.stdout
    assert "1 errors, 1 warnings in 1 catalogs" in done.stderr

    as_json = run_cli("qa", "--locales", locales, "--json", "--fail-on", "never")
    assert as_json.returncode == 0
    found = json.loads(as_json.stdout)
    assert {f["check"] for f in found} == {"numbers", "inverted-marks"}
    assert all({"check", "severity", "message", "line", "msgid"} <= set(f) for f in found)


def test_cli_qa_passes_with_only_warnings_unless_asked_to_fail_on_them(tmp_path):
    folder = tmp_path / "locales"
    write_catalog(folder, "march", [entry("Who ordered the shooting?", "Quién ordenó los disparos?")])
    assert run_cli("qa", "--locales", folder).returncode == 0
    assert run_cli("qa", "--locales", folder, "--fail-on", "warning").returncode == 1
    done = run_cli("qa", "--locales", folder, "--write-comments", "-q")
    assert done.returncode == 0 and done.stderr == ""
    assert "# qa: warning: inverted-marks" in po_path(folder, "march").read_text(encoding="utf-8")


def test_cli_qa_bad_input_is_one_line_and_exit_2(tmp_path):
    empty = run_cli("qa", "--locales", tmp_path / "nothing")
    assert empty.returncode == 2 and empty.stderr.startswith("pipeline: error:") and "Traceback" not in empty.stderr
    broken = po_path(tmp_path / "locales", "broken")
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Hello\nmsgstr "Hola"\n', encoding="utf-8")
    done = run_cli("qa", "--locales", tmp_path / "locales")
    assert done.returncode == 2 and f"{broken}:5:" in done.stderr and "Traceback" not in done.stderr
