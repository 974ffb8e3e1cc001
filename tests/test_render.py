"""The render stage: what a reader of dist/ sees for a Document whose translations came from its PO."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline.errors import InputError
from pipeline.model import Document, Paragraph, Segment, Span, State
from pipeline.render import TEMPLATES_DIR, iso_date, render_document

CHANT = "¡Que se vayan todos!"


class _Page(HTMLParser):
    """Elements, text per language column, and attributes of a rendered page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.column: list[str] = []
        self.text = {"en": [], "es": [], "all": []}
        self.depth: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("br", "meta", "link", "input"):
            return
        classes = (attrs.get("class") or "").split()
        self.depth.append(next((c for c in ("en", "es") if c in classes and tag == "div"), ""))

    def handle_endtag(self, tag):
        if self.depth and tag not in ("br", "meta", "link", "input"):
            self.depth.pop()

    def handle_data(self, data):
        self.text["all"].append(data)
        column = next((c for c in reversed(self.depth) if c), "")
        if column:
            self.text[column].append(data)

    def joined(self, column: str) -> str:
        return re.sub(r"\s+", " ", "".join(self.text[column])).strip()


def article() -> Document:
    """A small article as catalog.load leaves it: reviewed, machine, untranslated and kept-Spanish segments."""
    return Document("march", [
        Paragraph([Segment("Water defenders march", kind="headline",
                           translation="Marchan los defensores del agua", state=State.REVIEWED)], 1, 1),
        Paragraph([Segment("By Ana Ruiz", kind="byline", trailing="\n", translation="Por Ana Ruiz",
                           state=State.REVIEWED),
                   Segment("March 3, 2024", kind="date", translation="3 de marzo de 2024",
                           state=State.MACHINE, engine="apertium")], 2, 3),
        Paragraph([Segment(f"Marchers chanted, “{CHANT}” all day.", trailing=" ",
                           spans=[Span("Marchers chanted, “"), Span(CHANT, True, "es", "spanish"),
                                  Span("” all day.")],
                           translation=f"Los manifestantes corearon «{CHANT}» todo el día.",
                           state=State.MACHINE, engine="apertium"),
                   Segment("Nobody has translated this yet.")], 3, 6),
        Paragraph([Segment("¡El agua no se vende!", lang="es", translation="¡El agua no se vende!",
                           state=State.REVIEWED)], 4, 8),
    ])


@pytest.fixture
def rendered(tmp_path) -> Path:
    render_document(article(), tmp_path)
    return tmp_path


def test_writes_every_output(rendered):
    names = sorted(p.name for p in rendered.iterdir())
    assert names == ["march.bilingual.html", "march.en.html", "march.es.html", "march.es.md", "march.es.txt",
                     "march.interleaved.html"]


def test_spanish_text_keeps_paragraphs_and_lines(rendered):
    text = (rendered / "march.es.txt").read_text(encoding="utf-8")
    assert text == ("Marchan los defensores del agua\n\n"
                    "Por Ana Ruiz\n3 de marzo de 2024\n\n"
                    f"Los manifestantes corearon «{CHANT}» todo el día. Nobody has translated this yet.\n\n"
                    "¡El agua no se vende!\n")


def test_bilingual_columns_hold_every_paragraph(rendered):
    page = _Page((rendered / "march.bilingual.html").read_text(encoding="utf-8"))
    english, spanish = page.joined("en"), page.joined("es")
    for paragraph in article().paragraphs:
        assert re.sub(r"\s+", " ", paragraph.text) in english
        assert re.sub(r"\s+", " ", paragraph.translation) in spanish
    rows = [a for t, a in page.tags if t == "section" and "row" in a.get("class", "")]
    assert len(rows) == 4
    assert [t for t, a in page.tags if t == "html"][0] and page.tags[0][1]["lang"] == "es"


def test_kept_spanish_is_marked_in_english_column(rendered):
    html = (rendered / "march.bilingual.html").read_text(encoding="utf-8")
    assert re.search(rf'<div class="en" lang="en">.*<span lang="es"[^>]*>{CHANT}</span>', html)
    # an all-Spanish paragraph is marked Spanish as a whole
    assert re.search(r'<span lang="es"[^>]*>¡El agua no se vende!</span>', html)


def test_machine_translation_is_marked_until_hidden(tmp_path):
    render_document(article(), tmp_path)
    html = (tmp_path / "march.bilingual.html").read_text(encoding="utf-8")
    marked = re.findall(r'<span class="machine"[^>]*>(.*?)</span>', html.split("<main")[1])
    assert marked == ["3 de marzo de 2024", f"Los manifestantes corearon «{CHANT}» todo el día."]
    assert "pendiente de revisión" in html
    assert '<span lang="en" class="untranslated">Nobody has translated this yet.</span>' in html

    written = render_document(article(), tmp_path, hide_review_marks=True)
    assert tmp_path / "march.bilingual.html" in written
    hidden = (tmp_path / "march.bilingual.html").read_text(encoding="utf-8")
    assert 'class="machine"' not in hidden and "Los manifestantes corearon" in hidden


def test_unreviewed_english_shows_source_for_machine_segments(tmp_path):
    render_document(article(), tmp_path, unreviewed="english")
    text = (tmp_path / "march.es.txt").read_text(encoding="utf-8")
    assert "March 3, 2024" in text and "Los manifestantes" not in text
    assert "Marchan los defensores del agua" in text  # reviewed stays
    with pytest.raises(InputError, match="unreviewed must be one of"):
        render_document(article(), tmp_path, unreviewed="nonsense")


def test_spanish_page_is_clean_spanish_with_metadata(rendered):
    html = (rendered / "march.es.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"es\">")
    assert "<title>Marchan los defensores del agua</title>" in html
    assert '<meta name="author" content="Ana Ruiz">' in html
    assert '<meta name="date" content="2024-03-03">' in html
    assert '<link rel="alternate" hreflang="en" href="march.en.html">' in html
    # machine text awaiting review is marked on the Spanish page too, with a notice in Spanish
    assert 'class="machine"' in html and "Nobody has translated" in html
    assert "pendiente de revisión" in html
    english = (rendered / "march.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and '<title>Water defenders march</title>' in english
    assert '<link rel="alternate" hreflang="es" href="march.es.html">' in english


def test_interleaved_puts_each_spanish_block_after_its_english(rendered):
    page = _Page((rendered / "march.interleaved.html").read_text(encoding="utf-8"))
    columns = [a["class"] for t, a in page.tags if t == "div" and a.get("class") in ("en", "es")]
    assert columns == ["en", "es"] * 4


def test_source_text_is_data_not_markup(tmp_path):
    evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }}'
    doc = Document("evil", [Paragraph([Segment(f"Headline {evil}", kind="headline",
                                               translation=f"Titular {evil}", state=State.MACHINE)], 1)])
    render_document(doc, tmp_path)
    for name in ("evil.bilingual.html", "evil.es.html", "evil.en.html", "evil.interleaved.html"):
        page = _Page((tmp_path / name).read_text(encoding="utf-8"))
        assert not [t for t, _ in page.tags if t in ("script", "img")], name
        assert "{{ 7*7 }}" in page.joined("all") and "49" not in page.joined("all")
        assert "<script>alert(1)</script>" in page.joined("all")


def test_spanish_markdown_is_markdown_of_the_text(rendered):
    text = (rendered / "march.es.md").read_text(encoding="utf-8")
    tokens = [t.type for t in MarkdownIt("commonmark").parse(text)]
    assert tokens[0] == "heading_open" and tokens.count("paragraph_open") == 3
    assert "Por Ana Ruiz\\\n3 de marzo de 2024" in text  # a hard line break keeps the line structure


def test_markdown_output_escapes_text_that_looks_like_markdown(tmp_path):
    doc = Document("stars", [Paragraph([Segment("# not a heading *or* [link](x)",
                                                translation="# no es título *ni* [enlace](x)",
                                                state=State.REVIEWED)], 1)])
    render_document(doc, tmp_path)
    html = MarkdownIt("commonmark").render((tmp_path / "stars.es.md").read_text(encoding="utf-8"))
    assert html.strip() == "<p># no es título *ni* [enlace](x)</p>"


def test_unchanged_render_writes_nothing(tmp_path):
    assert len(render_document(article(), tmp_path)) == 6
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert render_document(article(), tmp_path) == []
    assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps


def test_templates_folder_overrides_one_template(tmp_path):
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "bilingual.html").write_text(
        '{% extends "base.html" %}{% block content %}<ol>{% for b in page.blocks %}'
        '<li>{{ b.english }} = {{ b.spanish }}</li>{% endfor %}</ol>{% endblock %}', encoding="utf-8")
    render_document(article(), tmp_path / "dist", templates=custom)
    html = (tmp_path / "dist" / "march.bilingual.html").read_text(encoding="utf-8")
    assert html.count("<li>") == 4 and "<title>" in html  # the base template still gives the head
    assert '<div class="en"' in (tmp_path / "dist" / "march.interleaved.html").read_text(encoding="utf-8")


def test_dates_become_iso():
    assert iso_date("February 1, 2023") == "2023-02-01"
    assert iso_date("Jan. 30, 2023") == "2023-01-30"
    assert iso_date("Ibarra, Ecuador") == ""


def test_broken_template_is_an_input_error_naming_file_and_line(tmp_path):
    from pipeline.errors import InputError

    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "es.html").write_text('{% extends "base.html" %}\n{% block content %}\n{% for %}\n{% endblock %}\n')
    with pytest.raises(InputError, match=r"es\.html:3: template error"):
        render_document(article(), tmp_path / "dist", templates=custom)
    assert not (tmp_path / "dist" / "march.es.html").exists()


def test_compiled_templates_kept_in_the_cache_folder_give_the_same_pages(tmp_path):
    """render.CompiledTemplates: the pages from compiled code kept in the cache folder are the pages of a
    fresh compile; an edited template is compiled again; a damaged or unwritable cache costs only a compile."""
    from pipeline.render import document_pages, environment

    reference = document_pages(article())  # no cache folder
    cache = tmp_path / "cache"
    assert document_pages(article(), env=environment(None, cache)) == reference
    kept = sorted(cache.glob("template-*.marshal"))
    assert len(kept) >= 5  # the page templates and what they extend or include
    later = environment(None, cache)
    source, filename, _ = later.loader.get_source(later, "bilingual.html")
    bucket = later.bytecode_cache.get_bucket(later, "bilingual.html", filename, source)
    assert bucket.code is not None  # read from the folder, not compiled
    assert document_pages(article(), env=later) == reference

    custom = tmp_path / "templates"
    custom.mkdir()
    base = (TEMPLATES_DIR / "base.html").read_text(encoding="utf-8")
    for footer in ("Edición 1", "Edición 2"):  # the same name and file, another source
        (custom / "base.html").write_text(base.replace("</body>", f"<footer>{footer}</footer></body>"), encoding="utf-8")
        pages = document_pages(article(), env=environment(custom, cache))
        assert all(f"<footer>{footer}</footer>" in text for name, text in pages.items() if name.endswith(".html"))

    for path in cache.glob("template-*.marshal"):
        path.write_bytes(path.read_bytes()[:-40] + b"\0" * 40)  # damaged: the digest no longer matches
    assert document_pages(article(), env=environment(None, cache)) == reference
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    assert document_pages(article(), env=environment(None, blocked)) == reference


def test_index_template_sees_manifest_entries_as_dicts(tmp_path):
    """The index template gets the manifest entries as dicts (the built-in one reads them as items): a
    custom one may use attribute syntax, item syntax and a dict's own methods."""
    from pipeline.site import write_index

    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "index.html").write_text(
        "{% for doc in documents %}{{ doc.name }}|{{ doc['title'] }}|{{ doc.items() | list | length }}|"
        "{{ doc.get('missing', 'none') }}|{{ doc.counts.total }}|{{ doc.absent is defined }}\n{% endfor %}",
        encoding="utf-8")
    entries = [{"name": "b", "title": "<B>", "counts": {"total": 3}}, {"name": "a", "title": "A", "counts": {"total": 1}}]
    write_index(entries, tmp_path / "dist", custom)
    assert (tmp_path / "dist" / "index.html").read_text(encoding="utf-8") == (
        "a|A|3|none|1|False\nb|&lt;B&gt;|3|none|3|False\n")
