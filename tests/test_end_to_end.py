"""The whole pipeline as a user runs it: real Apertium, real PO files, real HTML."""
from __future__ import annotations

import hashlib
import re
import shutil
import stat
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from conftest import EXAMPLE, msgfmt_check, run_cli

KEPT_PHRASES = ["¡Que se vayan todos!", "Toma de Lima", "Cuatro Suyos", "El Salto Diario",
                "Wayka Perú", "Resumen Latinoamericano"]


class _TextCollector(HTMLParser):
    """Visible text of a page, and whether the parser met anything it could not close."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    """All visible text of an HTML file with whitespace folded."""
    collector = _TextCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return fold("".join(collector.parts))  # inline <span lang="es"> must not add spaces


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def digest(folder: Path) -> dict[str, str]:
    """Every file's SHA-256, but the writer lock's (its content says who holds it: pid and time)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".pipeline.lock"}


def counting_apertium(tmp_path: Path) -> tuple[dict, Path]:
    """An `apertium` wrapper that logs the arguments of each start and then runs the real one."""
    log = tmp_path / "apertium-calls.log"
    wrapper = tmp_path / "apertium-counting"
    real = shutil.which("apertium")
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return {"PIPELINE_APERTIUM": str(wrapper)}, log


def translations_started(log: Path) -> int:
    """How many apertium processes translated something (not `apertium -l` checks)."""
    return sum(1 for line in log.read_text().splitlines() if "eng-spa" in line.split())


@pytest.fixture(scope="module")
def article_run(tmp_path_factory, corpus):
    """`pipeline run` on the reference article with Apertium, once for this module."""
    work = tmp_path_factory.mktemp("article")
    source = work / corpus.name
    shutil.copy(corpus, source)
    done = run_cli("run", source, "--locales", work / "locales", "--dist", work / "dist",
                   "--engine", "apertium", cwd=work)
    assert done.returncode == 0, done.stderr
    return work, source


def test_run_keeps_spanish_phrases_verbatim(article_run):
    work, _ = article_run
    spanish = (work / "dist" / "peru-2023-coup-protests.es.txt").read_text(encoding="utf-8")
    for phrase in KEPT_PHRASES:
        assert phrase in spanish, phrase


def test_run_translates_every_english_sentence(article_run):
    work, _ = article_run
    po = polib.pofile(str(work / "locales" / "es" / "LC_MESSAGES" / "peru-2023-coup-protests.po"))
    def wholly_kept(entry):  # all Spanish, or a date-only line given as the Spanish date
        return any(line == f"keep: {entry.msgid}" or line.startswith(f"date: {entry.msgid} → ")
                   for line in entry.comment.splitlines())

    english = [e for e in po if not e.obsolete and not wholly_kept(e)]
    assert len(english) > 40
    for entry in english:
        assert entry.msgstr.strip(), f"untranslated: {entry.msgid}"
        if len(entry.msgid.split()) > 3:
            assert entry.msgstr != entry.msgid, f"left in English: {entry.msgid}"
        assert entry.fuzzy and "machine translation: apertium" in entry.tcomment


def test_run_writes_valid_catalogs(article_run):
    work, _ = article_run
    po_path = work / "locales" / "es" / "LC_MESSAGES" / "peru-2023-coup-protests.po"
    pot_path = work / "locales" / "templates" / "peru-2023-coup-protests.pot"
    for path in (po_path, pot_path):
        check = msgfmt_check(path)
        assert check.returncode == 0, check.stderr
    po = polib.pofile(str(po_path))
    assert po.metadata["Language"] == "es"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert "nplurals=2" in po.metadata["Plural-Forms"]
    quoted = next(e for e in po if "¡Que se vayan todos!" in e.msgid)
    assert "keep: ¡Que se vayan todos!" in quoted.comment.splitlines()
    assert all(re.fullmatch(r"peru-2023-coup-protests\.txt", ref) and num.isdigit()
               for e in po for ref, num in e.occurrences)


def test_run_writes_pages_with_every_paragraph(article_run):
    work, source = article_run
    dist = work / "dist"
    bilingual = page_text(dist / "peru-2023-coup-protests.bilingual.html")
    spanish_page = page_text(dist / "peru-2023-coup-protests.es.html")
    assert '<html lang="es"' in (dist / "peru-2023-coup-protests.es.html").read_text(encoding="utf-8")
    english_paragraphs = [fold(p) for p in source.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    spanish_paragraphs = [fold(p) for p in
                          (dist / "peru-2023-coup-protests.es.txt").read_text(encoding="utf-8").split("\n\n")]
    assert len(spanish_paragraphs) == len(english_paragraphs)
    for english, spanish in zip(english_paragraphs, spanish_paragraphs):
        assert english in bilingual
        assert spanish in bilingual and spanish in spanish_page
    marked = (dist / "peru-2023-coup-protests.bilingual.html").read_text(encoding="utf-8")
    assert re.search(r'<span[^>]*lang="es"[^>]*>\s*¡Que se vayan todos!\s*</span>', marked)


def test_spanish_text_keeps_line_structure(article_run):
    work, source = article_run
    english_lines = source.read_text(encoding="utf-8").strip().split("\n")
    spanish_lines = (work / "dist" / "peru-2023-coup-protests.es.txt").read_text(encoding="utf-8").strip().split("\n")
    assert len(spanish_lines) == len(english_lines)
    assert [bool(line.strip()) for line in spanish_lines] == [bool(line.strip()) for line in english_lines]


def test_rerun_on_unchanged_input_calls_no_engine_and_changes_no_byte(tmp_path):
    env, log = counting_apertium(tmp_path)
    args = ["run", EXAMPLE, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist", "--engine", "apertium"]
    first = run_cli(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert translations_started(log) >= 1
    before = digest(tmp_path / "locales")
    log.unlink()
    second = run_cli(*args, env=env)
    assert second.returncode == 0, second.stderr
    assert not log.exists() or translations_started(log) == 0, "the engine ran on unchanged input"
    assert digest(tmp_path / "locales") == before


def test_one_engine_process_for_a_whole_run(tmp_path, corpus):
    env, log = counting_apertium(tmp_path)
    done = run_cli("run", corpus, EXAMPLE, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist",
                   "--engine", "apertium", env=env)
    assert done.returncode == 0, done.stderr
    # one process for all segments of both articles, plus at most one for masks an engine did not keep
    assert 1 <= translations_started(log) <= 2


def test_reviewed_translation_survives_rerun_and_shows_in_render(tmp_path):
    source = tmp_path / "water-march.txt"
    shutil.copy(EXAMPLE, source)
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    assert run_cli("run", source, "--locales", locales, "--dist", dist, "--engine", "apertium").returncode == 0
    po_path = locales / "es" / "LC_MESSAGES" / "water-march.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "Thousands of people marched" in e.msgid)
    reviewed = "Miles de personas marcharon por el centro de Cochabamba el sábado para exigir el control público del agua de la ciudad."
    entry.msgstr = reviewed
    entry.flags.remove("fuzzy")
    po.save(str(po_path))

    again = run_cli("run", source, "--locales", locales, "--dist", dist, "--engine", "apertium")
    assert again.returncode == 0, again.stderr
    entry = next(e for e in polib.pofile(str(po_path)) if "Thousands of people marched" in e.msgid)
    assert entry.msgstr == reviewed and not entry.fuzzy
    assert reviewed in (dist / "water-march.es.txt").read_text(encoding="utf-8")

    # a translator's later edit shows up through `pipeline render` alone, with no engine at all
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "Thousands of people marched" in e.msgid)
    entry.msgstr = reviewed.replace("Miles de personas", "Miles de vecinos")
    po.save(str(po_path))
    rendered = run_cli("render", source, "--locales", locales, "--dist", dist,
                       env={"PIPELINE_APERTIUM": str(tmp_path / "no-such-apertium")})
    assert rendered.returncode == 0, rendered.stderr
    assert "Miles de vecinos marcharon" in (dist / "water-march.es.txt").read_text(encoding="utf-8")
    assert "Miles de vecinos marcharon" in page_text(dist / "water-march.bilingual.html")


def test_extract_then_translate_then_render(tmp_path):
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    extracted = run_cli("extract", EXAMPLE, "--locales", locales)
    assert extracted.returncode == 0, extracted.stderr
    po_path = locales / "es" / "LC_MESSAGES" / "water-march.po"
    assert (locales / "templates" / "water-march.pot").is_file()
    entries = polib.pofile(str(po_path))
    english = [e for e in entries if not e.translated() and "filled automatically" not in e.tcomment]
    assert english and all(not e.msgstr for e in english)
    heading = next(e for e in entries if e.msgid == "¡El agua no se vende!")
    assert heading.msgstr == heading.msgid and not heading.fuzzy  # wholly Spanish: kept as it is

    translated = run_cli("translate", "--locales", locales, "--engine", "apertium")
    assert translated.returncode == 0, translated.stderr
    entries = polib.pofile(str(po_path))
    assert all(e.msgstr for e in entries)
    assert "¡El agua es nuestra, carajo!" in "".join(e.msgstr for e in entries)
    assert msgfmt_check(po_path).returncode == 0

    rendered = run_cli("render", "--locales", locales, "--dist", dist)
    assert rendered.returncode == 0, rendered.stderr
    assert "¡El agua es nuestra, carajo!" in (dist / "water-march.es.txt").read_text(encoding="utf-8")


def test_python_api_does_what_the_cli_does(tmp_path):
    import pipeline

    result = pipeline.run([EXAMPLE], locales=tmp_path / "locales", dist=tmp_path / "dist",
                          engine="apertium", quiet=True)
    assert result.engine == "apertium" and result.translated > 5
    assert (tmp_path / "dist" / "water-march.bilingual.html").is_file()
    doc = result.documents[0]
    assert any("¡El agua es nuestra, carajo!" in s.protected for s in doc.segments())


@pytest.mark.parametrize("command", ["run", "extract", "translate", "render", "stats"])
def test_every_command_explains_itself(command):
    done = run_cli(command, "--help")
    assert done.returncode == 0 and len(done.stdout) > 100


def test_pipeline_script_and_module_are_the_same():
    script = Path(sys.executable).parent / "pipeline"  # the console script installed beside this Python
    assert script.is_file(), "the `pipeline` script is not installed"
    import subprocess

    assert subprocess.run([script, "--help"], capture_output=True, text=True).stdout == run_cli("--help").stdout


# Bad input: one line naming the file, exit 2, nothing written, nothing changed.

def _bad_input(tmp_path: Path, name: str) -> Path:
    bad = tmp_path / name
    if name == "missing.txt":
        return bad
    if name == "folder":
        bad.mkdir()
        (bad / "notes.bin").write_bytes(b"x")
        return bad
    contents = {"empty.txt": b"", "blank.txt": b"\n\n  \n", "binary.txt": b"Hello\x00\x01\x02 world\n",
                "latin1.txt": "First line\nCaf\u00e9 con le\u00f1a\n".encode("latin-1")}
    bad.write_bytes(contents[name])
    return bad


@pytest.mark.parametrize("name,expected", [
    ("missing.txt", "no such file"),
    ("folder", "no sources"),
    ("empty.txt", "empty"),
    ("blank.txt", "empty"),
    ("binary.txt", "binary"),
    ("latin1.txt", ":2: invalid UTF-8"),
])
def test_bad_source_is_one_clear_line_and_changes_nothing(tmp_path, name, expected):
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    assert run_cli("run", EXAMPLE, "--locales", locales, "--dist", dist, "--engine", "apertium").returncode == 0
    before = {**digest(locales), **digest(dist)}
    bad = _bad_input(tmp_path, name)
    done = run_cli("run", EXAMPLE, bad, "--locales", locales, "--dist", dist, "--engine", "apertium")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and expected in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert {**digest(locales), **digest(dist)} == before


def test_po_syntax_error_names_file_and_line_and_changes_nothing(tmp_path):
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    assert run_cli("run", EXAMPLE, "--locales", locales, "--dist", dist, "--engine", "apertium").returncode == 0
    po_path = locales / "es" / "LC_MESSAGES" / "water-march.po"
    lines = po_path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken_at = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[broken_at] = 'msgstr "unterminated\n'
    po_path.write_text("".join(lines), encoding="utf-8")
    before = {**digest(locales), **digest(dist)}
    for args in (["run", EXAMPLE, "--dist", dist, "--engine", "apertium"], ["translate"], ["render", "--dist", dist]):
        done = run_cli(*args, "--locales", locales)
        assert done.returncode == 2, (args, done.stderr)
        message = done.stderr.strip().splitlines()
        assert len(message) == 1 and str(po_path) in message[0] and re.search(r":\d+:", message[0]), done.stderr
        assert {**digest(locales), **digest(dist)} == before
