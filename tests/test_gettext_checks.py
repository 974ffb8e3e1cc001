"""What msgfmt -c rejects is a QA error and fails `check` by default; a msgstr's raw HTML stays text in
NAME.es.md (issue 13, findings 7 and 8). Each verdict is compared with GNU msgfmt's own."""
from __future__ import annotations

import polib
import pytest
from markdown_it import MarkdownIt

from conftest import extracted_catalog, msgfmt_check, run_cli
from pipeline import catalog
from pipeline.gettext_checks import plural_expression_problem


@pytest.fixture
def extracted(tmp_path):
    _, path = extracted_catalog(tmp_path, "a.txt", "A title\n\nThe march began at dawn.\n\nPeople walked for days.\n")
    po = polib.pofile(str(path))
    for entry in po:  # everything reviewed: only the broken part can fail the gate
        if entry.msgid:
            entry.msgstr = {"A title": "Un título", "The march began at dawn.": "La marcha empezó al alba.",
                            "People walked for days.": "La gente caminó durante días."}[entry.msgid]
    po.save(str(path))
    return tmp_path, path


def _break(path, header=None, msgstr=None):
    po = polib.pofile(str(path))
    if header:
        po.metadata.update(header)
    if msgstr:
        po.find("The march began at dawn.").msgstr = msgstr
    po.save(str(path))


@pytest.mark.parametrize("header, msgstr, check", [
    ({"Plural-Forms": "nplurals=x; plural=garbage((;"}, None, "header-plural-forms"),
    ({"Plural-Forms": "nplurals=2; plural=(n != 1"}, None, "header-plural-forms"),
    ({"Content-Type": "text/plain"}, None, "header-content-type"),
    (None, "La marcha empezó al alba.\n", "newlines"),
    (None, "\nLa marcha empezó al alba.", "newlines"),
])
def test_what_msgfmt_rejects_is_a_qa_error_and_fails_check_by_default(extracted, header, msgstr, check):
    tmp_path, path = extracted
    assert run_cli("check", "--locales", tmp_path / "locales", cwd=tmp_path).returncode == 0
    _break(path, header, msgstr)
    verdict = msgfmt_check(path)
    assert verdict.returncode != 0 or "charset" in verdict.stderr  # GNU gettext rejects it (or warns) ...
    qa = run_cli("qa", "--locales", tmp_path / "locales", cwd=tmp_path)
    assert qa.returncode == 1 and f": error: {check}: " in qa.stdout  # ... and so does qa
    gate = run_cli("check", "--locales", tmp_path / "locales", cwd=tmp_path)
    assert gate.returncode == 1 and "check failed" in gate.stderr
    assert run_cli("check", "--fail-on-qa", "never", "--locales", tmp_path / "locales", cwd=tmp_path).returncode == 0


def test_a_language_header_missing_is_a_qa_error(extracted):
    tmp_path, path = extracted
    po = polib.pofile(str(path))
    del po.metadata["Language"]
    po.save(str(path))
    qa = run_cli("qa", "--locales", tmp_path / "locales", cwd=tmp_path)
    assert qa.returncode == 1 and "error: header-language" in qa.stdout


def test_a_dropped_kept_span_fails_check_without_any_option(tmp_path):
    _, path = extracted_catalog(tmp_path, "b.txt",
                                "A title\n\nThey chanted ¡El pueblo unido jamás será vencido! in the square.\n")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid:
            entry.msgstr = "Un título" if entry.msgid == "A title" else "Corearon algo en la plaza."
    po.save(str(path))
    gate = run_cli("check", "--locales", tmp_path / "locales", cwd=tmp_path)
    assert gate.returncode == 1 and "keep" in gate.stderr


@pytest.mark.parametrize("expression, good", [
    ("(n != 1)", True), ("n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2", True),
    ("0", True), ("garbage((", False), ("n !=", False), ("(n > 1", False), ("n ? 1", False),
])
def test_plural_expressions_parse_as_msgfmt_parses_them(tmp_path, expression, good):
    po = tmp_path / "p.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n'
                  f'"Plural-Forms: nplurals=3; plural={expression};\\n"\n', encoding="utf-8")
    assert (plural_expression_problem(expression) == "") == good
    assert (msgfmt_check(po).returncode == 0) == good


def test_raw_html_in_a_msgstr_stays_text_in_the_spanish_markdown(tmp_path):
    source, path = extracted_catalog(tmp_path, "a.md", "# Title\n\nThe march <b>began</b> at dawn.\n")
    po = polib.pofile(str(path))
    entry = next(e for e in po if "march" in e.msgid)
    entry.msgstr = entry.msgstr or entry.msgid
    entry.msgstr = "<script>alert(1)</script> La marcha <b>empezó</b> al alba <img src=x onerror=alert(2)>."
    po.save(str(path))
    done = run_cli("render", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rendered = MarkdownIt("commonmark").render((tmp_path / "dist" / "a.es.md").read_text(encoding="utf-8"))
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<b>empezó</b>" in rendered  # the source's own markup still passes
