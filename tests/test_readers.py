"""Markdown and HTML sources: structure and inline markup survive a real translation (Apertium)."""
from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from markdown_it import MarkdownIt

from conftest import msgfmt_check, run_cli, translated_sources
from pipeline.detect import detect
from pipeline.readers import expand_sources, read_document

MARKDOWN = """---
title: Water defenders march
layout: post
---

# Water defenders march in Cochabamba

Thousands of people marched through the **city center** on Saturday. Read [the full report](https://example.org/report "Report") before the vote.
The crowd chanted `npm run water` and “¡El agua es nuestra, carajo!” all afternoon.

> The water belongs to the people. We will not sell it.

- The council will vote next week.
- The coalition promises to keep *the slogan* alive.

| City | Marchers |
|------|----------|
| Cochabamba | Thousands of people |

```
water --march --city Cochabamba
```
"""

HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Water defenders march in Cochabamba</title>
<style>p::after { content: "The water is ours"; }</style>
<script>var banner = "The water is ours";</script>
</head>
<body>
<h1>Water defenders march in Cochabamba</h1>
<p>Thousands of people marched through the <em>city center</em> on Saturday. Read <a href="https://example.org/report">the full report</a> before the vote.</p>
<p>The crowd chanted <span lang="es">¡El agua es nuestra, carajo!</span> all afternoon &amp; evening.</p>
<p translate="no">Coordinadora del Agua press office</p>
<p lang="es">¡El agua no se vende!</p>
<ul><li>The council will vote <code>next week</code>.</li></ul>
<pre>The water is ours.</pre>
</body>
</html>
"""


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> Path:
    """Both sources through `pipeline run` with Apertium (one engine process)."""
    return translated_sources(tmp_path_factory.mktemp("readers"), {"march.md": MARKDOWN, "page.html": HTML},
                              folder="articles")


def test_folders_expand_to_markdown_and_html(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/one.md", "two.html", "three.txt", "notes.rst"):
        (tmp_path / name).write_text("Text.\n")
    found = sorted(p.name for p in expand_sources([tmp_path]))
    assert found == ["one.md", "three.txt", "two.html"]


def test_markdown_blocks_become_paragraphs_with_markup_protected(tmp_path):
    path = tmp_path / "march.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = detect(read_document(path))
    assert doc.format == "markdown" and doc.meta["title"] == "Water defenders march"
    assert [p.kind for p in doc.paragraphs] == ["heading", "paragraph", "attribute", "quote", "list_item",
                                                "list_item", "table_cell", "table_cell", "table_cell", "table_cell"]
    assert doc.paragraphs[2].segments[0].text == "Report"  # the link's title: an entry of its own
    texts = [s.text for s in doc.segments()]
    assert "Read [the full report](https://example.org/report \"Report\") before the vote." in texts
    assert not any("water --march" in t or "layout" in t for t in texts)  # code block, front matter
    link = next(s for s in doc.segments() if s.text.startswith("Read"))
    assert [p.text for p in link.spans if p.protected] == ["[", '](https://example.org/report "Report")']
    chant = next(s for s in doc.segments() if "npm run water" in s.text)
    kept = [(p.text, p.reason) for p in chant.spans if p.protected]
    assert ("`npm run water`", "markup") in kept and ("¡El agua es nuestra, carajo!", "spanish") in kept


def test_html_blocks_skip_code_and_respect_translate_no_and_lang(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    doc = detect(read_document(path))
    texts = [s.text for s in doc.segments()]
    assert not any("press office" in t or "banner" in t or "content:" in t for t in texts)
    assert "The water is ours." not in texts  # <pre>
    spanish = next(s for s in doc.segments() if s.text == "¡El agua no se vende!")
    assert spanish.lang == "es" and spanish.fully_protected
    chant = next(s for s in doc.segments() if "crowd" in s.text)
    assert '<span lang="es">¡El agua es nuestra, carajo!</span>' in chant.protected
    assert "all afternoon & evening." in chant.text  # entities are text to the translator
    code = next(s for s in doc.segments() if "council" in s.text)
    assert "<code>next week</code>" in code.protected


def test_spanish_markdown_keeps_structure_links_and_code(translated):
    spanish = (translated / "dist" / "march.es.md").read_text(encoding="utf-8")
    parser = MarkdownIt("commonmark").enable("table")
    shape = [t.type for t in parser.parse(MARKDOWN)]
    assert [t.type for t in parser.parse(spanish)] == shape
    assert spanish.startswith("---\ntitle: Water defenders march\nlayout: post\n---\n")
    assert "```\nwater --march --city Cochabamba\n```" in spanish
    assert "](https://example.org/report \"El informe\")" in spanish and "`npm run water`" in spanish  # title translated
    assert "¡El agua es nuestra, carajo!" in spanish
    link_text = re.search(r"\[([^\]]+)\]\(https://example.org/report", spanish).group(1)
    assert link_text != "the full report" and "informe" in link_text  # translated, in place
    assert "**" in spanish and "Thousands" not in spanish


def test_markdown_catalog_holds_markdown_and_passes_msgfmt(translated):
    po_path = translated / "locales" / "es" / "LC_MESSAGES" / "march.po"
    assert msgfmt_check(po_path).returncode == 0
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid.startswith("Read ["))
    assert "](https://example.org/report \"Report\")" in entry.msgstr
    assert all(ref == "march.md" for e in po for ref, _ in e.occurrences)


def test_markdown_pages_render_inline_markup(translated):
    page = (translated / "dist" / "march.bilingual.html").read_text(encoding="utf-8")
    assert page.count('<a href="https://example.org/report" title="Report">') == 1  # English column
    assert page.count('<a href="https://example.org/report" title="El informe">') == 1  # Spanish column
    assert "<code>npm run water</code>" in page and "<strong>" in page
    assert re.search(r'<span lang="es"[^>]*>¡El agua es nuestra, carajo!</span>', page)


def test_spanish_html_keeps_markup_and_untouched_elements(translated):
    spanish = (translated / "dist" / "page.es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in spanish and '<link rel="alternate" hreflang="en" href="page.en.html">' in spanish
    for kept in ('<script>var banner = "The water is ours";</script>', '<pre>The water is ours.</pre>',
                 '<p translate="no">Coordinadora del Agua press office</p>', '<p lang="es">¡El agua no se vende!</p>',
                 '<span lang="es">¡El agua es nuestra, carajo!</span>', "<code>next week</code>",
                 '<style>p::after { content: "The water is ours"; }</style>'):
        assert kept in spanish, kept
    link = re.search(r'<a href="https://example.org/report">([^<]+)</a>', spanish)
    assert link and "informe" in link.group(1)
    assert "&amp;" in spanish and "Thousands of people" not in spanish
    title = re.search(r"<title>([^<]+)</title>", spanish).group(1)
    assert "Cochabamba" in title and "Water defenders" not in title


def test_translator_cannot_add_markup_to_html_output(translated, tmp_path):
    import shutil

    work = tmp_path / "w"
    shutil.copytree(translated, work)
    po_path = work / "locales" / "es" / "LC_MESSAGES" / "page.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "crowd" in e.msgid)
    entry.msgstr = ('La multitud <script>alert(1)</script><img src=x onerror=alert(2)> coreó '
                    '<span lang="es">¡El agua es nuestra, carajo!</span> toda la tarde.')
    entry.flags = []
    po.save(str(po_path))
    done = run_cli("render", work / "articles" / "page.html", "--locales", work / "locales", "--dist", work / "dist")
    assert done.returncode == 0, done.stderr
    for name in ("page.es.html", "page.bilingual.html"):
        out = (work / "dist" / name).read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in out, name
        assert '<span lang="es">¡El agua es nuestra, carajo!</span> toda la tarde.' in out, name
        assert "<script>alert" not in out and "<img" not in out


def test_front_matter_is_translated_only_when_configured(tmp_path):
    (tmp_path / "march.md").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "pipeline.toml").write_text('[markdown]\nfront_matter = ["title"]\n', encoding="utf-8")
    done = run_cli("run", "march.md", "--engine", "apertium", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    spanish = (tmp_path / "dist" / "march.es.md").read_text(encoding="utf-8")
    title = re.match(r'---\ntitle: "([^"]+)"\nlayout: post\n---\n', spanish)
    assert title and "agua" in title.group(1)
    po = polib.pofile(str(tmp_path / "locales" / "es" / "LC_MESSAGES" / "march.po"))
    assert any(e.msgid == "Water defenders march" and "kind: front_matter" in e.comment for e in po)
