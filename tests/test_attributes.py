"""Titles and alt text are prose (issue 14): each its own PO entry, translated by Apertium through the CLI,
put back into its attribute escaped; destinations and every other attribute byte-identical.

The Spanish Markdown is parsed with markdown-it and the Spanish HTML with html5lib (parsers the pipeline
does not use to write them); catalogs are read back with polib and checked with `msgfmt -c`."""
from __future__ import annotations

import shutil
from pathlib import Path

import html5lib
import polib
import pytest
from markdown_it import MarkdownIt

from conftest import msgfmt_check, run_cli, translated_sources

LINKS = """# Field notes

See [the manual](https://example.org/a_(b) "The user's manual") and
![A map of the river](img/map.png 'Map of the old river') before the march.

Read [the guide][guide] and [INSTALL][] first.

> [guide]: https://example.org/guide?a=1&b=2 "The installation guide"

[INSTALL]: install.html (Install notes)

Nothing to translate in [this one](https://example.org/x "https://example.org/x").
"""

PAGE = """<!DOCTYPE html>
<html><head><title>Water notes</title></head><body>
<p title="About the march">Read the <a href="https://example.org/guide?a=1&amp;b=2" class="ext" id="g1"
title="The march guide">guide</a> before you go.</p>
<p><img src="img/map.png" alt="A map of the river" width="10" data-x="The river"></p>
<p>Use the <abbr title="World Health Organization">WHO</abbr> numbers and <code title="A code sample">x = 1</code>.</p>
<form action="/send"><input type="text" name="name" placeholder="Your name">
<input type="submit" value="Send the form"><button aria-label="Close the window">X</button></form>
<div translate="no"><img src="keep.png" alt="Keep this text" title="Keep this title"></div>
<p lang="es"><img src="y.png" alt="Un mapa del río"> Texto en español.</p>
<p><a href="/x" title="https://example.org/x">the old bridge</a> and <img src=z.png alt=Unquoted title='The new bridge'>.</p>
</body></html>
"""

PROSE = {"title", "alt", "placeholder", "aria-label", "value"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return translated_sources(tmp_path_factory.mktemp("attributes"), {"links.md": LINKS, "page.html": PAGE})


def read(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")


def md_tokens(markdown: str, env: dict | None = None) -> list:
    flat = []
    for token in MarkdownIt("commonmark").parse(markdown, env if env is not None else {}):
        flat.append(token)
        flat += token.children or []
    return flat


def links_of(markdown: str) -> list[tuple]:
    """(type, destination, title) of every link and image, and the reference definitions."""
    env: dict = {}
    found = [(t.type, t.attrs.get("href") or t.attrs.get("src"), t.attrs.get("title"))
             for t in md_tokens(markdown, env) if t.type in ("link_open", "image")]
    return found + [("definition", r["href"], r["title"]) for _, r in sorted(env["references"].items())]


def body_elements(page: str) -> list:
    """(tag, attributes) of the body's elements, the review notice and machine-translation marks left out."""
    body = html5lib.parse(page, namespaceHTMLElements=False).find("body")
    notice = {id(e) for n in body.iter() if "review-notice" in n.get("class", "") for e in n.iter()}
    return [(e.tag, dict(e.attrib)) for e in body.iter() if id(e) not in notice and e.get("class") != "machine"]


def parse_errors(page: str) -> list:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(page)
    return parser.errors


# --- Markdown ---

def test_markdown_titles_translated_destinations_and_structure_kept(project):
    english, spanish = LINKS, read(project, "dist/links.es.md")
    shape = lambda text: [(t.type, t.tag, t.nesting) for t in md_tokens(text) if t.type not in ("text", "softbreak")]
    assert shape(spanish) == shape(english)
    before, after = links_of(english), links_of(spanish)
    assert [(kind, dest) for kind, dest, _ in after] == [(kind, dest) for kind, dest, _ in before]
    titles = {old: new for (_, _, old), (_, _, new) in zip(before, after)}
    assert "manual" in titles["The user's manual"] and titles["The user's manual"] != "The user's manual"
    assert "mapa" in titles["Map of the old river"].lower()
    assert "guía" in titles["The installation guide"]  # a definition inside a block quote
    assert titles["Install notes"] != "Install notes"  # a (parenthesised) definition title
    assert titles["https://example.org/x"] == "https://example.org/x"  # a URL is not prose
    image = next(t for t in md_tokens(spanish) if t.type == "image")
    assert "mapa" in image.content.lower()  # the alt text (the image description) is translated too


def test_markdown_catalog_has_one_entry_per_title(project):
    po_path = project / "locales/es/LC_MESSAGES/links.po"
    assert msgfmt_check(po_path).returncode == 0, msgfmt_check(po_path).stderr
    po = polib.pofile(str(po_path))
    entries = {e.msgid: e for e in po}
    for title, place in (("The user's manual", "title of a link"), ("Map of the old river", "title of an image"),
                         ("The installation guide", "title of a link reference definition")):
        entry = entries[title]
        assert entry.comment.splitlines()[:2] == ["kind: attribute", f"attribute: {place}"]
        assert entry.msgstr and "fuzzy" in entry.flags  # machine translation, for review
    host = next(e for e in po if e.msgid.startswith("See ["))  # the link's code as written, title included
    assert '](https://example.org/a_(b) "The user\'s manual")' in host.msgid
    assert '](https://example.org/a_(b) "The user\'s manual")' in host.msgstr
    assert "https://example.org/x" not in entries


# --- HTML ---

def test_html_prose_attributes_translated_others_byte_identical(project):
    english, spanish = PAGE, read(project, "dist/page.es.html")
    assert len(parse_errors(spanish)) == len(parse_errors(english))
    before, after = body_elements(english), body_elements(spanish)
    assert [(tag, {k: v for k, v in attrs.items() if k not in PROSE}) for tag, attrs in after] == \
        [(tag, {k: v for k, v in attrs.items() if k not in PROSE}) for tag, attrs in before]
    changed = {old[1][name]: new[1][name] for old, new in zip(before, after) for name in PROSE & set(old[1])}
    assert not any("<" in value or "machine" in value for value in changed.values())  # no review mark inside
    assert "marcha" in changed["About the march"]  # title of the block element itself
    assert "guía" in changed["The march guide"]  # title of a link inside the translated text
    assert "mapa" in changed["A map of the river"].lower()  # alt of an image in a block without text
    assert "Organización" in changed["World Health Organization"]
    assert changed["A code sample"] != "A code sample"  # the <code>'s own title; its content untouched
    assert "nombre" in changed["Your name"]  # placeholder
    assert "ventana" in changed["Close the window"]  # aria-label
    assert changed["Send the form"] != "Send the form"  # a submit button's text
    assert "puente" in changed["The new bridge"]  # single-quoted, beside an unquoted alt
    for kept in ("Keep this text", "Keep this title", "Un mapa del río", "https://example.org/x"):
        assert changed[kept] == kept  # translate="no", lang="es", a URL
    for raw in ('<a href="https://example.org/guide?a=1&amp;b=2" class="ext" id="g1"\ntitle="',
                'width="10" data-x="The river">', '<code title="', '>x = 1</code>',
                '<div translate="no"><img src="keep.png" alt="Keep this text" title="Keep this title"></div>',
                '<img src=z.png alt='):
        assert raw in spanish  # destinations, other attributes and their layout byte-identical


def test_html_catalog_and_bilingual_page(project):
    po_path = project / "locales/es/LC_MESSAGES/page.po"
    assert msgfmt_check(po_path).returncode == 0
    entries = {e.msgid: e for e in polib.pofile(str(po_path))}
    assert "attribute: placeholder of <input>" in entries["Your name"].comment.splitlines()
    assert "attribute: title of <a>" in entries["The march guide"].comment.splitlines()
    assert not {"Keep this text", "Un mapa del río", "The river"} & set(entries)
    bilingual = read(project, "dist/page.bilingual.html")
    assert not parse_errors(bilingual)
    titles = [attrs.get("title") for tag, attrs in body_elements(bilingual) if tag == "a" and "ext" in
              attrs.get("class", "")]
    assert titles[0] == "The march guide" and "guía" in titles[1]  # English column, Spanish column


# --- a translator's edits: escaping, and nothing lost on the next run ---

TRICKY = {"The march guide": 'La guía "de la marcha" <b>no</b> & más',
          "A map of the river": "El mapa d'un <río>",
          "The user's manual": 'El "manual" \\ del (usuario) &amp; más',
          "The installation guide": 'La guía "de instalación" <b>ya</b>',
          "Install notes": "Notas (de instalación)"}


@pytest.fixture(scope="module")
def reviewed(project, tmp_path_factory) -> Path:
    """The project with tricky reviewed translations of some attributes, rendered again."""
    root = tmp_path_factory.mktemp("reviewed")
    shutil.copytree(project / "src", root / "src")
    shutil.copytree(project / "locales", root / "locales")
    for name in ("links", "page"):
        path = root / "locales/es/LC_MESSAGES" / f"{name}.po"
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid in TRICKY:
                entry.msgstr, entry.flags = TRICKY[entry.msgid], []
        po.save(str(path))
    done = run_cli("render", root / "src/links.md", root / "src/page.html", "--locales", root / "locales",
                   "--dist", root / "dist", "--quiet")
    assert done.returncode == 0, done.stderr
    return root


def test_translations_with_quotes_and_brackets_are_escaped_in_html(reviewed):
    spanish = read(reviewed, "dist/page.es.html")
    assert len(parse_errors(spanish)) == len(parse_errors(PAGE))
    elements = body_elements(spanish)
    assert [tag for tag, _ in elements] == [tag for tag, _ in body_elements(PAGE)]  # no <b> got in
    values = [attrs.get(name) for _, attrs in elements for name in ("title", "alt")]
    assert TRICKY["The march guide"] in values and TRICKY["A map of the river"] in values
    assert 'title="La guía &quot;de la marcha&quot; &lt;b&gt;no&lt;/b&gt; &amp; más"' in spanish
    bilingual = read(reviewed, "dist/page.bilingual.html")
    assert not parse_errors(bilingual)
    assert TRICKY["The march guide"] in [attrs.get("title") for _, attrs in body_elements(bilingual)]


def test_translations_with_quotes_are_escaped_in_markdown(reviewed):
    spanish = read(reviewed, "dist/links.es.md")
    shape = lambda text: [(t.type, t.tag, t.nesting) for t in md_tokens(text) if t.type not in ("text", "softbreak")]
    assert shape(spanish) == shape(LINKS)
    pairs = list(zip(links_of(LINKS), links_of(spanish)))
    assert len(pairs) == len(links_of(LINKS)) and all(old[:2] == new[:2] for old, new in pairs)
    tricky = [(old[2], new[2]) for old, new in pairs if old[2] in TRICKY]
    assert len(tricky) == 5 and all(new == TRICKY[old] for old, new in tricky)  # read back exactly (the guide's twice: definition and link)
    page = read(reviewed, "dist/links.bilingual.html")
    assert not parse_errors(page)
    assert TRICKY["The user's manual"] in [attrs.get("title") for _, attrs in body_elements(page)]


def test_next_run_keeps_reviewed_attributes_and_catalog_is_stable(reviewed):
    po_path = reviewed / "locales/es/LC_MESSAGES/page.po"
    before = po_path.read_text(encoding="utf-8")
    done = run_cli("run", reviewed / "src", "--locales", reviewed / "locales", "--dist", reviewed / "dist",
                   "--engine", "apertium", "--quiet")
    assert done.returncode == 0, done.stderr
    assert po_path.read_text(encoding="utf-8") == before  # no duplicated attribute: comments, nothing lost
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgid == "The march guide")
    assert entry.msgstr == TRICKY["The march guide"] and not entry.fuzzy


def test_translate_command_fills_attribute_entries_and_keeps_their_comments(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "page.html").write_text(PAGE, encoding="utf-8")
    locales = tmp_path / "locales"
    assert run_cli("extract", tmp_path / "src", "--locales", locales, "--quiet").returncode == 0
    po_path = locales / "es/LC_MESSAGES/page.po"
    assert not next(e for e in polib.pofile(str(po_path)) if e.msgid == "Your name").msgstr
    done = run_cli("translate", "--locales", locales, "--engine", "apertium", "--quiet")  # from the catalog alone
    assert done.returncode == 0, done.stderr
    assert msgfmt_check(po_path).returncode == 0
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgid == "Your name")
    assert "nombre" in entry.msgstr
    assert entry.comment.splitlines().count("attribute: placeholder of <input>") == 1
