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
