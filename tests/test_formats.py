"""Format fidelity on inputs of the kinds that broke (issue 14): one pipeline run with Apertium over
Markdown, HTML and plain text sources; the Spanish outputs are parsed with markdown-it and html5lib."""
from __future__ import annotations

import re
from pathlib import Path

import html5lib
import polib
import pytest
from markdown_it import MarkdownIt

from conftest import msgfmt_check

README = """# Setup

Please read the file [INSTALL][] and the [README] before you start.

The main **configuration** file is small. I *prefer* they be quiet.

Ruby's <a href="https://ruby-doc.org/Enumerable.html" title="Enumerable docs">Enumerable</a> module.

Call `foo``bar` or `` a`b `` here, and see [the manual](https://example.org/a_(b)).

First line of the address  
second line\\
third line.

| City | Population |
|------|------------|
| Lima | ten million |

[INSTALL]: install.html
[README]: readme.html
"""

PAGE = """<!DOCTYPE html>
<html><head><title>Water notes</title></head><body>
<p>Ruby's <a href="https://ruby-doc.org/Enumerable.html">Enumerable</a> module is useful.</p>
<p>In the <b>house</b>'s garden there are old trees.</p>
<p>Use &lt;b&gt; for bold text and <b>this</b> for emphasis.</p>
<p>The outer <tt>do</tt>-loop runs <!-- counted twice --> two times.</p>
<p>Set <kbd>Ctrl</kbd> and <span translate="no">Keep This</span> now.</p>
<div>Text beside a list.<ul><li>First item<li>Second item</ul></div>
<li>Intro of the item<pre>code here</pre></li>
</body></html>
"""

NOTES = """Plans for the march

The water committee of the valley was founded a hundred years ago by
workers who came from the coast. They still meet every week in the old
school near the river.

- Bring your passport.
- Wear good shoes.

a) Bring your passport.
b) Bring water.

| City | Population | Capital |
|------|------------|---------|
| Lima | 10 million | yes |
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    import pipeline

    root = tmp_path_factory.mktemp("formats")
    src = root / "src"
    src.mkdir()
    for name, text in (("readme.md", README), ("page.html", PAGE), ("notes.txt", NOTES)):
        (src / name).write_text(text, encoding="utf-8")
    pipeline.run([src], locales=root / "locales", dist=root / "dist", engine="apertium", quiet=True)
    return root


def out(run: Path, name: str) -> str:
    return (run / "dist" / name).read_text(encoding="utf-8")


def tokens(markdown: str) -> list:
    flat = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        flat.append(token)
        flat += token.children or []
    return flat


def html_errors(text: str) -> list:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(text)
    return parser.errors


# --- Markdown ---

def test_reference_links_still_link(run):
    links = [t.attrs["href"] for t in tokens(out(run, "readme.es.md")) if t.type == "link_open"]
    assert "install.html" in links and "readme.html" in links


def test_link_destinations_code_and_html_byte_identical(run):
    spanish = out(run, "readme.es.md")
    for kept in ("https://example.org/a_(b)", "`foo``bar`", "`` a`b ``",
                 '<a href="https://ruby-doc.org/Enumerable.html" title="Enumerable docs">'):
        assert kept in spanish


def test_hard_line_breaks_kept(run):
    assert sum(t.type == "hardbreak" for t in tokens(out(run, "readme.es.md"))) == 2


def test_emphasis_on_the_translated_words_and_never_bare(run):
    spanish = tokens(out(run, "readme.es.md"))
    inside = [spanish[i + 1].content for i, t in enumerate(spanish) if t.type == "strong_open"]
    assert len(inside) == 1 and "configuración" in inside[0]
    assert sum(t.type == "em_open" for t in spanish) == 1
    assert not any("**" in t.content or re.search(r"(^|\s)\*(\s|$)", t.content) for t in spanish if t.type == "text")


def test_markdown_table_translated_cell_by_cell(run):
    rows = [line for line in out(run, "readme.es.md").splitlines() if line.startswith("|")]
    assert len(rows) == 3 and all(row.count("|") == 3 for row in rows)
    assert "Lima" in rows[2] and "ten million" not in rows[2]


def test_es_md_from_html_and_text_escapes_only_where_needed(run):
    for name in ("page.es.md", "notes.es.md"):
        assert not re.search(r"\\\d", out(run, name))


# --- HTML ---

@pytest.mark.parametrize("name", ["page.es.html", "page.en.html", "page.bilingual.html", "page.interleaved.html",
                                  "readme.bilingual.html", "readme.interleaved.html", "notes.bilingual.html",
                                  "notes.interleaved.html"])
def test_pages_well_formed(run, name):
    source_errors = len(html_errors(PAGE)) if name.startswith("page.e") else 0
    assert len(html_errors(out(run, name))) <= source_errors


def test_tags_never_cross(run):
    spanish = out(run, "page.es.html")
    for tag in ("a", "b"):
        for paragraph in re.findall(r"<p>.*?</p>", spanish):
            opened = [m.start() for m in re.finditer(f"<{tag}[ >]", paragraph)]
            closed = [m.start() for m in re.finditer(f"</{tag}>", paragraph)]
            assert len(opened) == len(closed) and all(o < c for o, c in zip(opened, closed))


def test_escaped_text_stays_text(run):
    assert "&lt;b&gt;" in out(run, "page.es.html")


def test_comment_kept_and_code_like_elements_untouched(run):
    spanish = out(run, "page.es.html")
    assert "<!-- counted twice -->" in spanish
    assert "<tt>do</tt>" in spanish and "<kbd>Ctrl</kbd>" in spanish and "Keep This" in spanish


def test_text_beside_blocks_and_implicitly_closed_items_translated(run):
    spanish = out(run, "page.es.html")
    for english in ("Text beside a list", "First item", "Intro of the item"):
        assert english not in spanish


# --- plain text ---

def test_wrapped_lines_joined_in_msgid_and_rewrapped(run, tmp_path):
    po = polib.pofile(str(run / "locales" / "es" / "LC_MESSAGES" / "notes.po"))
    assert not any("\n" in e.msgid for e in po if "|" not in e.msgid)  # a table is kept whole
    assert msgfmt_check(run / "locales" / "es" / "LC_MESSAGES" / "notes.po").returncode == 0
    paragraph = out(run, "notes.es.txt").split("\n\n")[1]
    width = max(len(line) for line in NOTES.split("\n\n")[1].split("\n"))
    assert paragraph.count("\n") >= 1 and all(len(line) <= width for line in paragraph.split("\n"))


def test_list_markers_outside_msgids_and_kept(run):
    po = polib.pofile(str(run / "locales" / "es" / "LC_MESSAGES" / "notes.po"))
    assert "Bring your passport." in {e.msgid for e in po}
    assert not any(e.msgid.startswith(("- ", "a)", "b)")) for e in po)
    assert not any("kind: heading" in e.comment and "passport" in e.msgid for e in po)
    lines = out(run, "notes.es.txt").splitlines()
    assert any(line.startswith("a) ") for line in lines) and any(line.startswith("- ") for line in lines)


def test_plain_text_table_columns_kept(run):
    assert "| City | Population | Capital |" in out(run, "notes.es.txt")


# --- issue 14, second part ---

IMPLIED = """<html><head><title>Lists</title></head><body><p>Intro paragraph<ul><li>First item<li>Second
<b>item</b><ul><li>Nested item</ul><li>Third item</ul>
<dl><dt>Water<dd>The river water is clean</dl><table><tr><td>Small house<td>Big garden</table>
<p>One sentence<p>Another sentence<div>A block of text</div><h3><a name="x"/>The old bridge</h3></body></html>
"""


def test_implied_end_tags_translated_and_pages_valid(tmp_path):
    import pipeline

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lists.html").write_text(IMPLIED, encoding="utf-8")
    pipeline.run([tmp_path / "src"], locales=tmp_path / "locales", dist=tmp_path / "dist", engine="apertium",
                 quiet=True)
    po = polib.pofile(str(tmp_path / "locales" / "es" / "LC_MESSAGES" / "lists.po"))
    msgids = {e.msgid for e in po}
    for text in ("First item", "Second <b>item</b>", "Nested item", "Third item", "The river water is clean",
                 "Small house", "Big garden", "One sentence", "Another sentence", "Intro paragraph"):
        assert text in msgids
    assert not any("<li>" in m or "<dd>" in m or "<td>" in m for m in msgids)
    spanish = (tmp_path / "dist" / "lists.es.html").read_text(encoding="utf-8")
    assert len(html_errors(spanish)) <= len(html_errors(IMPLIED))
    for page in ("bilingual", "interleaved"):
        assert html_errors((tmp_path / "dist" / f"lists.{page}.html").read_text(encoding="utf-8")) == []


def test_emphasis_with_blank_inside_made_whole():
    from pipeline.inline import trim_blanks
    from pipeline.readers.markdown import inline_spans

    spans = inline_spans("house-__(garden)__")
    assert [s.text for s in spans if s.protected] == ["__", "__"]  # a delimiter run is one code
    assert trim_blanks(spans, "casa-__(jardín) __") == "casa-__(jardín)__ "


def test_rewrap_false_keeps_wrapped_paragraphs_on_one_line(tmp_path):
    from conftest import run_cli

    (tmp_path / "pipeline.toml").write_text("[text]\nrewrap = false\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    done = run_cli("run", "notes.txt", "--quiet", "--engine", "apertium", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    paragraph = (tmp_path / "dist" / "notes.es.txt").read_text(encoding="utf-8").split("\n\n")[1]
    assert "\n" not in paragraph and "comité" in paragraph
    (tmp_path / "pipeline.toml").write_text("[text]\nrewrap = \"no\"\n", encoding="utf-8")
    done = run_cli("run", "notes.txt", "--quiet", "--engine", "apertium", cwd=tmp_path)
    assert done.returncode != 0 and "rewrap" in done.stderr and "Traceback" not in done.stderr


def test_markup_moved_reaches_the_reviewer(tmp_path):
    """A segment whose markup the last resort placed: the PO carries the translator comment, QA reports
    it while unreviewed, `qa --write-comments` keeps it, and it goes once the entry is reviewed."""
    from pipeline import catalog, qa
    from pipeline.model import Document, Paragraph, Segment, Span, State

    spans = [Span("The main "), Span("**", True, reason="markup"), Span("configuration"),
             Span("**", True, reason="markup"), Span(" file.")]
    segment = Segment("The main **configuration** file.", spans=spans, translation="La lima principal. **configuración**",
                      state=State.MACHINE, engine="apertium", markup_moved=True)
    doc = Document("moved", [Paragraph([segment], 1)], source=tmp_path / "moved.md", format="markdown")
    catalog.save(doc, tmp_path / "locales", wrap=79)
    path = tmp_path / "locales" / "es" / "LC_MESSAGES" / "moved.po"
    assert msgfmt_check(path).returncode == 0
    entry = polib.pofile(str(path)).find(segment.text)
    assert "qa: warning: markup-moved:" in entry.tcomment and entry.fuzzy
    found = qa.check_catalog(path, glossary=[])
    assert [f.check for f in found].count("markup-moved") == 1
    qa.write_comments(path, found, wrap=79)
    assert "markup-moved" in polib.pofile(str(path)).find(segment.text).tcomment
    po = polib.pofile(str(path))
    po.find(segment.text).flags.remove("fuzzy")  # the reviewer accepts it
    po.save(str(path))
    found = qa.check_catalog(path, glossary=[])
    assert "markup-moved" not in [f.check for f in found]
    qa.write_comments(path, found, wrap=79)
    assert "markup-moved" not in polib.pofile(str(path)).find(segment.text).tcomment


def test_markup_in_another_order_is_a_finding():
    from pipeline import qa

    entry = polib.POEntry(msgid="The <b>house</b> and the <i>garden</i>.", msgstr="El <i>jardín</i> y la <b>casa</b>.")
    assert [f.check for f in qa.check_entry(entry)] == ["markup-moved"]
