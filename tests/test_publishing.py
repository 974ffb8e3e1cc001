"""Issue 15: review and publishing you can trust, tested against the tools translators and CI use.

Each test is one finding of the issue, run on the reference article with the
real Apertium engine and checked with GNU gettext (msgfmt --statistics,
msgmerge --previous, msgcat), Translate Toolkit (pocount, pofilter), Babel's
read_po/write_po round trip and Chromium.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import polib
import pytest

from conftest import REPO, msgfmt_check, run_cli

REFERENCE = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"
NAME = "peru-2023-coup-protests"
TOOLS = Path(sys.executable).parent  # pocount and pofilter live beside the interpreter
ROADBLOCK = "Indigenous peoples lead resistance to coup. Here, a roadblock."

pytestmark = pytest.mark.skipif(not REFERENCE.is_file(), reason="reference article not available")


def po_of(work: Path) -> Path:
    return work / "locales" / "es" / "LC_MESSAGES" / f"{NAME}.po"


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory) -> Path:
    """The reference article run once through `pipeline run` with Apertium (catalogs and dist)."""
    work = tmp_path_factory.mktemp("reference")
    shutil.copy(REFERENCE, work / f"{NAME}.txt")
    done = run_cli("run", f"{NAME}.txt", "--engine", "apertium", "-q", cwd=work)
    assert done.returncode == 0, done.stderr
    return work


@pytest.fixture
def work(reference_run, tmp_path) -> Path:
    """A private copy of the reference run, for tests that change it."""
    target = tmp_path / "work"
    shutil.copytree(reference_run, target)
    return target


def stats_json(work: Path, *args: str) -> dict:
    done = run_cli("stats", "--json", *args, cwd=work)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["catalogs"][NAME]


def msgfmt_statistics(po: Path) -> dict[str, int]:
    out = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True,
                         text=True, check=True).stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out):
        counts[kind] = int(number)
    return counts


def pocount(po: Path) -> dict[str, tuple[int, int]]:
    out = subprocess.run([str(TOOLS / "pocount"), "--no-color", str(po)], capture_output=True, text=True,
                         check=True).stdout
    found = {}
    for kind in ("Translated", "Fuzzy", "Untranslated", "Total"):
        match = re.search(rf"^{kind}:\s+(\d+)[^\n]*?\s(\d+)\s", out, re.MULTILINE)
        if match is None:
            match = re.search(rf"^{kind}:\s+(\d+)\s+(\d+)", out, re.MULTILINE)
        found[kind.lower()] = (int(match.group(1)), int(match.group(2)))
    return found


# 1, 7: counts -----------------------------------------------------------------------------------

def test_1_counts_agree_with_msgfmt_and_pocount(reference_run):
    po = po_of(reference_run)
    numbers = stats_json(reference_run)
    gettext = msgfmt_statistics(po)
    assert numbers["translated"] == numbers["reviewed"] == gettext["translated"]
    assert numbers["awaiting_review"] == numbers["machine"] + numbers["fuzzy"] == gettext["fuzzy"]
    assert numbers["untranslated"] == gettext["untranslated"]
    counted = pocount(po)
    assert counted["translated"][0] == numbers["translated"] and counted["fuzzy"][0] == numbers["awaiting_review"]
    assert numbers["translated_percent"] == numbers["reviewed_percent"] < 10


def test_1_gate_on_raw_machine_output_refuses_to_publish(work):
    done = run_cli("build", f"{NAME}.txt", "--min-translated", "100", "--dist", "public", cwd=work)
    assert done.returncode == 1 and "review gate failed" in done.stderr
    assert not (work / "public").exists()
    check = run_cli("check", "--json", "--min-translated", "100", cwd=work)
    assert check.returncode == 1 and json.loads(check.stdout)["passed"] is False


def test_7_words_are_counted_like_pocount_and_run_counts_entries_like_stats(reference_run, tmp_path):
    numbers = stats_json(reference_run)
    assert numbers["words"] == pocount(po_of(reference_run))["total"][1] == 1558
    (tmp_path / "twice.txt").write_text("The strike goes on.\n\nPolice blocked the road.\n\nThe strike goes on.\n",
                                        encoding="utf-8")
    done = run_cli("run", "twice.txt", "--json", "--engine", "apertium", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["segments"] == 2 == stats_json_named(tmp_path, "twice")["total"]
    assert {"documents", "segments", "translated", "from_memory", "engine", "files_written"} <= set(summary)


def stats_json_named(work: Path, name: str) -> dict:
    done = run_cli("-q", "stats", "--json", cwd=work)  # -q before the command, --json after it
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["catalogs"][name]


# 2: marks that survive msgmerge and msgcat ------------------------------------------------------

def test_2_machine_marks_survive_msgmerge_and_msgcat(work):
    po, pot = po_of(work), work / "locales" / "templates" / f"{NAME}.pot"
    before = stats_json(work)
    assert before["machine"] == 74
    merged = work / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(merged), str(po), str(pot)], check=True)
    merged.replace(po)
    after = stats_json(work)
    assert (after["machine"], after["fuzzy"]) == (before["machine"], 0)
    entry = next(e for e in polib.pofile(str(po)) if e.msgid.startswith("Jan. 30, 2023"))
    assert "machine translation: apertium" in entry.tcomment and "keep: Pedro Castillo" in entry.comment
    subprocess.run(["msgcat", "-o", str(merged), str(po)], check=True)
    merged.replace(po)
    assert stats_json(work)["machine"] == 74
    automatic = next(e for e in polib.pofile(str(po)) if e.msgid == "February 1, 2023")
    assert "filled automatically: date" in automatic.tcomment and automatic.fuzzy


def test_2_older_catalogs_with_extracted_comments_still_read(work):
    po = po_of(work)
    text = po.read_text(encoding="utf-8")
    legacy = re.sub(r"^# (machine translation: \w+)\n", r"#. \1\n", text, flags=re.MULTILINE)
    legacy = re.sub(r"^# filled automatically: date\n", "#. machine translation: apertium\n", legacy,
                    flags=re.MULTILINE)
    assert "#. machine translation: apertium" in legacy and "\n# machine" not in legacy
    po.write_text(legacy, encoding="utf-8")
    assert stats_json(work)["machine"] == 74
    done = run_cli("extract", f"{NAME}.txt", "-q", cwd=work)  # the next save moves the marks
    assert done.returncode == 0, done.stderr
    moved = po.read_text(encoding="utf-8")
    assert "#. machine translation" not in moved and "# machine translation: apertium" in moved
    assert stats_json(work)["machine"] == 74 and msgfmt_check(po).returncode == 0


# 3: source edits keep reviewed work in front of the reviewer -------------------------------------

def review(po: Path, *msgids: str) -> None:
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid in msgids:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    catalog.save(str(po))


EDITS = {"Here, a roadblock.": "Here, a roadblock near Juliaca.",
         "Indigenous peoples lead resistance to coup.": "Indigenous peoples lead the resistance to the coup.",
         "By Michael Otto": "By Michael Otto Jr."}


def test_3_edited_sentences_are_offered_as_fuzzy_wherever_msgmerge_offers_them(work):
    po, pot = po_of(work), work / "locales" / "templates" / f"{NAME}.pot"
    review(po, *EDITS)
    reviewed = {e.msgid: e.msgstr for e in polib.pofile(str(po)) if e.msgid in EDITS}
    assert len(reviewed) == 3
    source = work / f"{NAME}.txt"
    text = source.read_text(encoding="utf-8")
    for old, new in EDITS.items():
        text = text.replace(old, new, 1)
    source.write_text(text, encoding="utf-8")
    old_po = work / "old.po"
    shutil.copy(po, old_po)
    done = run_cli("extract", source.name, "-q", cwd=work)
    assert done.returncode == 0, done.stderr
    ours = {e.msgid: e for e in polib.pofile(str(po)) if not e.obsolete}
    # msgmerge on the same edit: the old catalog against the new template
    merged = work / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(merged), str(old_po), str(pot)], check=True)
    offered = {e.msgid: e for e in polib.pofile(str(merged)) if e.fuzzy and e.previous_msgid in EDITS}
    assert set(offered) == set(EDITS.values())
    for msgid, theirs in offered.items():
        entry = ours[msgid]
        assert entry.fuzzy and entry.previous_msgid == theirs.previous_msgid, msgid
        assert entry.msgstr == reviewed[entry.previous_msgid]
    assert msgfmt_check(po).returncode == 0


# 4, 5: the project file and folder scans ----------------------------------------------------------

def test_4_a_folder_scan_never_reads_outputs_locales_or_environments(work):
    (work / ".venv" / "lib").mkdir(parents=True)
    (work / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (work / "env").mkdir()
    (work / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (work / "env" / "notes.txt").write_text("Not an article.\n")
    (work / ".hidden.md").write_text("# Not an article\n")
    for _ in range(2):
        done = run_cli("run", ".", "--engine", "apertium", "--json", cwd=work)
        assert done.returncode == 0, done.stderr
        assert [d["name"] for d in json.loads(done.stdout)["documents"]] == [NAME]


def test_5_render_and_build_without_arguments_after_a_babel_round_trip(work):
    from babel.messages.pofile import read_po, write_po

    po = po_of(work)
    with po.open("rb") as handle:
        babel_catalog = read_po(handle)
    with po.open("wb") as handle:
        write_po(handle, babel_catalog)
    assert "X-Source" not in po.read_text(encoding="utf-8")
    shutil.rmtree(work / "dist")
    done = run_cli("render", cwd=work)
    assert done.returncode == 0, done.stderr
    assert (work / "dist" / f"{NAME}.es.html").is_file()
    (work / "pipeline.toml").write_text('sources = ["*.txt"]\n', encoding="utf-8")
    built = run_cli("build", "--dist", "public", cwd=work)
    assert built.returncode == 0, built.stderr and (work / "public" / "index.html").is_file()
    (work / "pipeline.toml").unlink()
    (work / f"{NAME}.txt").rename(work / "elsewhere.txt")
    missing = run_cli("render", cwd=work)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert f"{NAME}.po" in missing.stderr and "sources` of pipeline.toml" in missing.stderr


# 6: QA that finds what pofilter finds -------------------------------------------------------------

# pofilter findings that are not faults in Spanish, and why (the README says the same):
NOT_FAULTS = {
    "isfuzzy": "a review state, not a fault of the text",
    "doublequoting": "“” written «» as Spanish does",
    "acronyms": "U.S. is EE.UU. in Spanish",
}


def not_a_fault(test: str, entry: polib.POEntry) -> bool:
    if test in NOT_FAULTS:
        return True
    source, translation = entry.msgid, entry.msgstr
    if test in ("startpunc", "endpunc"):  # “” → «», and the full stop after the closing quote (RAE)
        normal = lambda text: re.sub(r"([.,])([”»])", r"\2\1", text.replace("“", "«").replace("”", "»"))
        return normal(source)[-2:] == normal(translation)[-2:] if test == "endpunc" else \
            normal(source)[:1] == normal(translation)[:1]
    if test == "simplecaps":  # a date: digits first in Spanish ("1 de febrero de 2023")
        return translation[:1].isdigit()
    if test == "unchanged":  # a dateline: place names are the same in Spanish
        return "kind: dateline" in entry.comment
    if test == "sentencecount":  # pofilter ends a sentence at the abbreviations "U.S." / "EE.UU." and ". ("
        return "EE.UU." in translation or "». (" in translation
    return False


def test_6_every_real_pofilter_fault_is_a_pipeline_qa_finding(reference_run, tmp_path):
    po = po_of(reference_run)
    filtered = tmp_path / "pofilter.po"
    subprocess.run([str(TOOLS / "pofilter"), "--progress=none", str(po), str(filtered)], check=True,
                   capture_output=True)
    faults = []
    for entry in polib.pofile(str(filtered)):
        for test in re.findall(r"^\(pofilter\) (\w+):", entry.tcomment, re.MULTILINE):
            if not not_a_fault(test, entry):
                faults.append((test, entry.msgid))
    assert len(faults) >= 8 and {t for t, _ in faults} >= {"doublewords", "singlequoting", "puncspacing",
                                                           "startcaps", "simplecaps"}
    done = run_cli("qa", "--json", "--fail-on", "never", cwd=reference_run)
    assert done.returncode == 0, done.stderr
    findings: dict[str, set[str]] = {}
    for finding in json.loads(done.stdout):
        findings.setdefault(finding["msgid"], set()).add(finding["check"])
    missed = [(test, msgid[:60]) for test, msgid in faults if msgid not in findings]
    assert missed == []
    checks = set().union(*findings.values())
    assert {"quote-pairs", "guillemet-spacing", "sentence-start-case", "doubled-words"} <= checks
    lima = next(e for e in polib.pofile(str(po)) if e.msgid == "‘The Taking of Lima’")
    assert "quote-pairs" in findings[lima.msgid]


def test_6_new_checks_on_their_own():
    from pipeline import qa

    def checks(source: str, translation: str) -> set[str]:
        entry = polib.POEntry(msgid=source, msgstr=translation)
        return {f.check for f in qa.check_entry(entry)}

    assert "quote-pairs" in checks("“Water is life,” they said.", "«El agua es vida”, dijeron.")
    assert "quote-pairs" not in checks("“Water is life,” they said.", "«El agua es vida», dijeron.")
    assert "guillemet-spacing" in checks("He said “gold!”", "Dijo « ¡oro! »")
    assert "sentence-start-case" in checks("Will it rain? Yes.", "¿lloverá? Sí.")
    assert "sentence-count" in checks("It rained. The river rose.", "Llovió y el río creció.")
    assert "sentence-count" not in checks("On Jan. 9 the U.S. embassy closed.", "El 9 de enero la embajada de EE.UU. cerró.")


# 8: references ----------------------------------------------------------------------------------

def test_8_references_give_the_line_where_the_paragraph_starts(reference_run):
    lines = (reference_run / f"{NAME}.txt").read_text(encoding="utf-8").split("\n")
    catalog = polib.pofile(str(po_of(reference_run)))
    roadblock = next(e for e in catalog if e.msgid == "Here, a roadblock.")
    assert roadblock.occurrences == [(f"{NAME}.txt", "10")] and ROADBLOCK in lines[9]
    for entry in catalog:
        for _, line in entry.occurrences:
            paragraph = lines[int(line) - 1:]
            text = " ".join(paragraph[:next((i for i, l in enumerate(paragraph) if not l.strip()), len(paragraph))])
            assert entry.msgid.split()[0] in text, (entry.msgid, line)


# 9: the command line ----------------------------------------------------------------------------

def test_9_cli_version_quiet_json_help_and_folders(work, tmp_path):
    version = run_cli("--version")
    assert version.returncode == 0 and re.match(r"pipeline \S+", version.stdout)
    quiet = run_cli("stats", "-q", cwd=work)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert run_cli("-q", "check", cwd=work).stderr == ""
    run_help = run_cli("run", "--help").stdout
    for item in (".txt", ".md", ".html", "NAME.bilingual.html", "NAME.interleaved.html", "NAME.es.html",
                 "NAME.en.html", "NAME.es.md", "NAME.es.txt", "index.html", "manifest.json"):
        assert item in " ".join(run_help.split()), item
    terms = [" ".join(run_cli(command, "--help").stdout.split()) for command in ("render", "check", "stats")]
    definition = "reviewed = translated, as gettext counts it"
    assert all(definition in text for text in terms)
    missing = tmp_path / "nonexistent" / "dir"
    exported = run_cli("tm", "export", missing / "x.tmx", cwd=work)
    assert exported.returncode == 2 and "does not exist" in exported.stderr and not missing.parent.exists()
    nowhere = tmp_path / "no-locales"
    for command in (["stats"], ["check"], ["qa"]):
        run_cli(*command, "--locales", nowhere, cwd=work)
    assert not nowhere.exists()


def test_9_build_marks_below_its_own_threshold(work):
    refused = run_cli("build", f"{NAME}.txt", "--below", "mark", "--dist", "public", cwd=work)
    assert refused.returncode == 2 and "--mark-below" in refused.stderr
    done = run_cli("build", f"{NAME}.txt", "--mark-below", "50", "--dist", "public", "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"][0]["status"] == "incomplete"
    assert "Traducción incompleta" in (work / "public" / f"{NAME}.es.html").read_text(encoding="utf-8")


def test_9_unknown_engine_is_an_error_when_nothing_needs_translating(tmp_path):
    import pipeline
    from pipeline.errors import PipelineError

    source = tmp_path / "spanish.txt"
    source.write_text("¡El pueblo unido jamás será vencido!\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="deepl"):
        pipeline.run([source], locales=tmp_path / "locales", dist=tmp_path / "dist", engine="deepl", quiet=True)
    assert not (tmp_path / "locales").exists()


# 10: automatic dates ----------------------------------------------------------------------------

def test_10_automatic_dates_are_not_reviewed_nor_exported_as_reviewed(work):
    entry = next(e for e in polib.pofile(str(po_of(work))) if e.msgid == "February 1, 2023")
    assert entry.msgstr == "1 de febrero de 2023" and entry.fuzzy
    assert stats_json(work)["reviewed"] == 0
    done = run_cli("tm", "export", "memory.tmx", cwd=work)
    assert done.returncode == 0, done.stderr
    assert "1 de febrero de 2023" not in (work / "memory.tmx").read_text(encoding="utf-8")
    review(po_of(work), "February 1, 2023")  # a reviewer approves it: now it counts and is exported
    assert stats_json(work)["reviewed"] == 1
    assert run_cli("tm", "export", "memory.tmx", cwd=work).returncode == 0
    assert "1 de febrero de 2023" in (work / "memory.tmx").read_text(encoding="utf-8")


# 11: pages --------------------------------------------------------------------------------------

def parse(path: Path):
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def test_11_every_page_marks_machine_text_and_has_the_top_navigation(reference_run):
    dist = reference_run / "dist"
    spanish = parse(dist / f"{NAME}.es.html")
    marks = spanish.findall(".//span[@class='machine']")
    assert len(marks) >= 70
    notice = spanish.find(".//p[@class='review-notice']")
    assert notice is not None and "74 de 74" in "".join(notice.itertext())
    for page in ("es.html", "en.html", "bilingual.html", "interleaved.html"):
        tree = parse(dist / f"{NAME}.{page}")
        nav = tree.find(".//body/nav[@class='top']")
        assert nav is not None, page
        links = {a.get("href") for a in nav.iter("a")}
        assert {"index.html", f"{NAME}.en.html", f"{NAME}.es.html", f"{NAME}.bilingual.html"} <= links, page
    index = parse(dist / "index.html")
    assert index.find(".//body/nav[@class='top']") is not None
    from importlib.metadata import version

    import pipeline

    # the installed distribution's version, which pyproject.toml reads from pipeline.__version__
    assert pipeline.__version__ == version("bilingual-pipeline")
    assert polib.pofile(str(po_of(reference_run))).metadata["X-Generator"] == f"bilingual-pipeline {version('bilingual-pipeline')}"


def test_11_hiding_marks_is_explicit(work):
    done = run_cli("render", f"{NAME}.txt", "--hide-review-marks", "--dist", "clean", cwd=work)
    assert done.returncode == 0, done.stderr
    page = parse(work / "clean" / f"{NAME}.es.html")
    assert page.find(".//span[@class='machine']") is None and page.find(".//p[@class='review-notice']") is None


def test_11_ci_example_gates_on_the_reviewed_share():
    example = (REPO / "examples" / "ci" / "github-pages.yml").read_text(encoding="utf-8")
    command = next(line for line in example.splitlines() if "run: pipeline build" in line)
    assert "--min-reviewed" in command and "--hide-review-marks" not in command


def test_11_index_fits_a_390px_screen_in_chromium(reference_run):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.skip("Debian chromium not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            for name in ("index.html", f"{NAME}.bilingual.html", f"{NAME}.es.html"):
                page.goto((reference_run / "dist" / name).as_uri())
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (name, width)
            page.goto((reference_run / "dist" / "index.html").as_uri())
            box = page.locator("a[href$='.bilingual.html']").first.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390
        finally:
            browser.close()


# 12: the typed API ------------------------------------------------------------------------------

def test_12_render_options_are_typed_keywords(reference_run):
    import pipeline

    with pytest.raises(TypeError, match="hide_review_mark"):
        pipeline.render_documents([], hide_review_mark=True)  # type: ignore[call-arg]
    assert (REPO / "pipeline" / "py.typed").is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "py.typed" in pyproject and "mypy" in pyproject and '"pipeline.catalog"' in pyproject


def test_12_mypy_is_clean_on_the_whole_package():
    """`mypy pipeline`, with the settings of pyproject.toml, as CI runs it: no error in any module."""
    pytest.importorskip("mypy")
    done = subprocess.run([sys.executable, "-m", "mypy", "pipeline"], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
