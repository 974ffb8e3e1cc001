"""The render stage: a Document with translations (loaded from its PO catalog) → files in dist.

For a document NAME this writes

- ``NAME.es.txt``: the Spanish text, paragraphs separated by blank lines, lines kept;
- ``NAME.es.md``: the Spanish Markdown (a Markdown source keeps its own structure);
- ``NAME.es.html``: the Spanish page (an HTML source keeps its own markup);
- ``NAME.en.html``: the English page, so both language versions link to each other;
- ``NAME.bilingual.html``: English and Spanish side by side, block by block;
- ``NAME.interleaved.html``: each English block followed by its Spanish.

Pages come from Jinja2 templates (autoescape on) in ``templates/`` or a folder
given with ``templates=`` whose files override them one by one. Text is always
data: only markup that the source itself holds passes through unescaped.

Render options (keywords of :func:`render_document`):

- ``hide_review_marks``: do not mark machine translations awaiting review;
- ``unreviewed``: ``"machine"`` (default) shows machine/fuzzy translations,
  ``"english"`` shows the English for every segment not yet reviewed;
- ``incomplete``: a short note shown on every page (a document under the review threshold).
"""
from __future__ import annotations

import functools
import textwrap
from collections import Counter
import html
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING, cast

from markupsafe import Markup, escape

from . import attributes
from .characters import balance_bidi
from .errors import InputError
from .files import write_atomic
from .model import TARGET_LANG, Document, Paragraph, Segment, Span, State

if TYPE_CHECKING:  # Jinja2 is imported where pages are made: a run with nothing to render does not load it
    import jinja2

# In the repository the templates sit at the top (templates/); wheels ship them as pipeline/templates/.
TEMPLATES_DIR = next((folder for folder in (Path(__file__).resolve().parent / "templates",
                                            Path(__file__).resolve().parents[1] / "templates")
                      if folder.is_dir()), Path(__file__).resolve().parents[1] / "templates")
UNREVIEWED_CHOICES = ("machine", "english")
REVIEW_NOTE = "Traducción automática pendiente de revisión"
META_KINDS = ("headline", "byline", "date", "dateline")
_AWAITING_REVIEW = (State.MACHINE, State.FUZZY)
_DATE_FORMATS = ("%B %d, %Y", "%b. %d, %Y", "%b %d, %Y", "%d %B %Y", "%Y-%m-%d")


@dataclass
class Block:
    """One paragraph as the page templates see it: both languages as safe HTML."""

    number: int
    kind: str  # headline, heading, byline, date, dateline, paragraph, list_item, quote, ...
    tag: str  # the HTML element for both columns: h1, h2, p, blockquote, ...
    english: Markup
    spanish: Markup
    awaiting_review: bool  # holds machine or fuzzy translations not yet reviewed
    untranslated: bool  # holds segments shown in English for want of a translation


@dataclass
class Page:
    """Everything a page template needs about one document."""

    name: str
    meta: dict
    blocks: list[Block]
    counts: dict
    hide_review_marks: bool = False
    incomplete: str = ""
    links: dict = field(default_factory=dict)

    @property
    def percent_awaiting(self) -> str:
        """The share of entries awaiting review, as the notice prints it ("94.6")."""
        return _percent(self.counts, "awaiting_review")


def render_document(doc: Document, dist: Path, templates: Path | None = None, *,
                    hide_review_marks: bool = False, unreviewed: str = "machine",
                    incomplete: str = "", env: jinja2.Environment | None = None) -> list[Path]:
    """Write every output of `doc` into `dist`; returns the files that were created or changed.

    `env`: the run's template environment (:func:`environment`), made once per run and shared,
    because compiling the templates again for every document was 80% of a 1,020-document re-run."""
    dist = Path(dist)
    return [dist / name for name, text in document_pages(doc, templates, hide_review_marks=hide_review_marks,
                                                         unreviewed=unreviewed, incomplete=incomplete,
                                                         env=env).items()
            if write_atomic(dist / name, text)]


def document_pages(doc: Document, templates: Path | None = None, *, hide_review_marks: bool = False,
                   unreviewed: str = "machine", incomplete: str = "",
                   env: jinja2.Environment | None = None) -> dict[str, str]:
    """Every output of `doc` as file name -> text, written nowhere (a worker renders, the driver writes)."""
    if unreviewed not in UNREVIEWED_CHOICES:
        raise InputError(f"unreviewed must be one of {', '.join(UNREVIEWED_CHOICES)}, not {unreviewed!r}")
    fill_meta(doc)
    env = env if env is not None else environment(templates)
    page = build_page(doc, hide_review_marks, unreviewed, incomplete)
    outputs = {
        page.links["text"]: spanish_text(doc, unreviewed),
        page.links["markdown"]: spanish_markdown(doc, unreviewed),
        page.links["es"]: spanish_page(doc, page, env, unreviewed),
        page.links["en"]: english_page(doc, page, env),
        page.links["bilingual"]: render_template(env, "bilingual.html", page=page, current="bilingual"),
        page.links["interleaved"]: render_template(env, "interleaved.html", page=page, current="interleaved"),
    }
    return outputs


def output_names(name: str) -> dict[str, str]:
    """The file name of each output of document NAME, by output kind."""
    return {"bilingual": f"{name}.bilingual.html", "interleaved": f"{name}.interleaved.html",
            "es": f"{name}.es.html", "en": f"{name}.en.html", "markdown": f"{name}.es.md",
            "text": f"{name}.es.txt"}


def environment(templates: Path | None = None, cache_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment with autoescape on; files in `templates` override the defaults. With a cache
    folder, the templates' compiled code is kept there (:class:`CompiledTemplates`)."""
    import jinja2

    loaders = [jinja2.FileSystemLoader(str(TEMPLATES_DIR))]
    if templates is not None:
        templates = Path(templates)
        if not templates.is_dir():
            raise InputError("templates folder not found", templates)
        loaders.insert(0, jinja2.FileSystemLoader(str(templates)))
    # auto_reload off: an environment lives for one run, and checking every template file's time at every
    # page was 42,000 stat calls for the 12,000 pages of 2,024 documents
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, keep_trailing_newline=True,
                              trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                              # duck-typed: get_bucket and set_bucket are all Jinja2 asks of a bytecode cache
                              bytecode_cache=cast("jinja2.BytecodeCache", CompiledTemplates(cache_dir))
                              if cache_dir is not None else None)


class CompiledTemplates:
    """Jinja2's bytecode cache (the ``get_bucket``/``set_bucket`` of ``jinja2.BytecodeCache``) in the cache
    folder, through :mod:`pipeline.cache` (digest-checked, atomic, old keys removed; no folder or a
    read-only one: compiled again, never an error). Compiling the five page templates was 14 ms of every
    run that renders, 1 ms from here. The key is the template's name, file and source with what else
    decides its code (Jinja2's and Python's versions, this module's environment options), so an edited
    template is compiled again."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str):
        import jinja2
        from jinja2.bccache import Bucket

        from . import cache

        options = (environment.autoescape, environment.trim_blocks, environment.lstrip_blocks,
                   environment.keep_trailing_newline)
        key = cache.key_of(("template", name, filename, source, jinja2.__version__, sys.version, options))
        bucket = Bucket(environment, key, "")  # no checksum of its own: the source is in the key
        code = cache.load(self.folder, "template", key)
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)  # a bucket that does not take it stays empty: compiled again
        return bucket

    def set_bucket(self, bucket) -> None:
        from . import cache

        cache.store(self.folder, "template", bucket.key, bucket.bytecode_to_string())


def render_template(env: jinja2.Environment, name: str, **context) -> str:
    """One page from a template; a broken (user) template is an InputError naming its file and line."""
    import jinja2

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise InputError(f"template error: {exc}", name) from None


# --- article metadata ---------------------------------------------------------------------------

def fill_meta(doc: Document) -> dict:
    """Fill doc.meta with headline, byline, date, dateline (English and Spanish) from segment kinds.

    Keys a reader already set (a Markdown front matter title, an HTML <title>) are kept.
    """
    for segment in doc.segments():
        if segment.kind in META_KINDS and segment.kind not in doc.meta:
            doc.meta[segment.kind] = segment.text
            doc.meta[f"{segment.kind}_es"] = shown_translation(segment, "machine")
    headline = doc.meta.get("headline") or doc.meta.get("title") or _first_heading(doc) or doc.name
    doc.meta.setdefault("headline", headline)
    doc.meta.setdefault("headline_es", _translation_of(doc, headline))
    if "date" in doc.meta and "date_iso" not in doc.meta:
        iso = iso_date(doc.meta["date"])
        if iso:
            doc.meta["date_iso"] = iso
    if "byline" in doc.meta and "author" not in doc.meta:
        doc.meta["author"] = re.sub(r"^\s*by\s+", "", doc.meta["byline"], flags=re.IGNORECASE).strip()
    return doc.meta


def iso_date(text: str) -> str:
    """'February 1, 2023' → '2023-02-01'; '' when the text is not a date this knows."""
    cleaned = re.sub(r"\s+", " ", text.strip().replace("Sept.", "Sep."))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _first_heading(doc: Document) -> str:
    for paragraph in doc.paragraphs:
        if paragraph.kind in ("heading", "headline") or any(s.kind == "headline" for s in paragraph.segments):
            return paragraph.text.strip()
    return ""


def _translation_of(doc: Document, text: str) -> str:
    for paragraph in doc.paragraphs:
        if paragraph.text.strip() == text:
            return "".join(shown_translation(s, "machine") + s.trailing for s in paragraph.segments).strip()
    return text


# --- what each segment shows --------------------------------------------------------------------

def falls_back(segment: Segment, unreviewed: str = "machine") -> bool:
    """True when a segment shows its English: no translation, or an unreviewed one not to be shown."""
    if not segment.translation or segment.state == State.UNTRANSLATED:
        return True
    return segment.state in _AWAITING_REVIEW and unreviewed == "english"


def shown_translation(segment: Segment, unreviewed: str = "machine") -> str:
    """The Spanish a reader sees for a segment: the English when there is no usable translation."""
    return segment.text if falls_back(segment, unreviewed) else segment.translation


def _shows_english(segment: Segment, unreviewed: str) -> bool:
    return falls_back(segment, unreviewed) and not segment.fully_protected


def _awaiting_review(segment: Segment, unreviewed: str) -> bool:
    return segment.state in _AWAITING_REVIEW and not _shows_english(segment, unreviewed)


# --- inline HTML, per source format -------------------------------------------------------------

def _is_spanish(span: Span) -> bool:
    return span.protected and (span.lang == TARGET_LANG or span.reason == "spanish")


def _is_markup(span: Span) -> bool:
    return span.protected and span.reason == "markup"


def escape_except(text: str, trusted: list[str], escape_text=lambda part: str(escape(part))) -> Markup:
    """`text` escaped (by `escape_text`, HTML's by default), except for occurrences of the `trusted`
    strings (the source's own markup), each trusted at most as often as the source holds it: an extra copy is text."""
    budget = Counter(t for t in trusted if t)
    if not budget:
        return Markup(escape_text(text))
    pattern = re.compile("|".join(map(re.escape, sorted(budget, key=len, reverse=True))))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape_text(text[last:match.start()]))
        trust = budget[match.group()] > 0
        budget[match.group()] -= 1
        out.append(match.group() if trust else escape_text(match.group()))
        last = match.end()
    out.append(escape_text(text[last:]))
    return Markup("".join(out))


# What CommonMark reads as raw HTML (spec 6.6: open and closing tags, comments, processing instructions,
# declarations, CDATA) or an autolink: the '<' of each is escaped; a '<' that starts none of them is text already.
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_RAW_HTML_START = re.compile(rf"<(?=[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|/[A-Za-z][A-Za-z0-9-]*\s*>"
                             r"|!--|\?|![A-Za-z]|!\[CDATA\[|[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
                             r"|[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*>)")


def markdown_raw_html_escaped(text: str, trusted: list[str]) -> str:
    """A translation for a Markdown source with every raw-HTML opening `<` backslash-escaped, except in the
    source's own markup (`trusted`): a `<script>` typed into a msgstr stays text downstream (finding 7)."""
    return str(escape_except(text, trusted, lambda part: _RAW_HTML_START.sub(r"\\<", part)))


_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks around kept Spanish while Markdown renders


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})  # raw HTML in Markdown stays text


def _markdown_inline(text: str) -> Markup:
    rendered = _markdown_parser().renderInline(text)
    return Markup(rendered.replace(_OPEN, '<span lang="es" class="kept">').replace(_CLOSE, "</span>"))


def english_html(segment: Segment, fmt: str) -> Markup:
    """The English segment as HTML, kept Spanish spans marked lang="es"."""
    pieces = segment.pieces
    if segment.lang == TARGET_LANG and not any(_is_markup(p) for p in pieces):
        pieces = [Span(segment.text, protected=True, lang=TARGET_LANG, reason="spanish")]
    if fmt == "markdown":
        text = "".join(_OPEN + p.text + _CLOSE if _is_spanish(p) and not _is_markup(p) else p.text for p in pieces)
        return _markdown_inline(text)
    out = []
    for piece in pieces:
        if fmt == "html" and _is_markup(piece):
            out.append(Markup(piece.text))
        elif _is_spanish(piece) and piece.text.strip():
            core = piece.text.strip()
            lead, tail = piece.text[:piece.text.index(core)], piece.text[piece.text.index(core) + len(core):]
            out.append(Markup('{}<span lang="es" class="kept">{}</span>{}').format(lead, core, tail))
        else:
            out.append(escape(piece.text))
    return Markup("").join(out)


def spanish_html(segment: Segment, fmt: str, unreviewed: str) -> Markup:
    """The Spanish segment as HTML; only markup the source segment holds passes through."""
    text = shown_translation(segment, unreviewed)
    shown = functools.partial(shown_translation, unreviewed=unreviewed)  # a title/alt inside its codes
    if fmt == "markdown":
        return _markdown_inline(attributes.in_markdown(segment, text, shown))
    if fmt == "html":
        return Markup(attributes.in_html(segment, escape_except(text, [p.text for p in segment.pieces
                                                                       if _is_markup(p)]), shown))
    return escape(text)


def _trailing_html(trailing: str) -> Markup:
    """A segment's trailing text: a line break (with the next list item's marker, if any) or blanks."""
    if "\n" not in trailing:
        return escape(trailing)
    return Markup("<br>\n") + escape(trailing.rsplit("\n", 1)[1].lstrip(" \t"))


def block_html(paragraph: Paragraph, fmt: str, unreviewed: str, hide_review_marks: bool) -> tuple[Markup, Markup]:
    """Both columns of one paragraph: English with kept Spanish marked, Spanish with review marks."""
    lead = escape(paragraph.meta.get("lead", ""))  # a plain-text list's first marker
    english, spanish = [lead], [lead]
    for segment in paragraph.segments:
        # Bidi controls closed within each segment (pipeline.characters): one U+202E cannot reverse the page.
        english.append(Markup(balance_bidi(english_html(segment, fmt))) + _trailing_html(segment.trailing))
        shown = Markup(balance_bidi(spanish_html(segment, fmt, unreviewed)))
        if _shows_english(segment, unreviewed):
            shown = Markup('<span lang="en" class="untranslated">{}</span>').format(shown)
        elif _awaiting_review(segment, unreviewed) and not hide_review_marks:
            shown = _review_mark(segment, shown)
        spanish.append(shown + _trailing_html(segment.trailing))
    return Markup("").join(english), Markup("").join(spanish)


def _review_mark(segment: Segment, shown: Markup) -> Markup:
    """A segment's Spanish inside the mark of machine text awaiting review."""
    return Markup('<span class="machine" data-state="{}" title="{}">{}</span>').format(
        segment.state.value, REVIEW_NOTE, shown)


def block_kind(paragraph: Paragraph) -> str:
    """The kind of block a paragraph is: its metadata segment kind, or the paragraph's own kind."""
    kinds = {s.kind for s in paragraph.segments}
    for kind in META_KINDS:
        if kind in kinds:
            return kind
    return paragraph.kind


def block_tag(paragraph: Paragraph, kind: str) -> str:
    """The HTML element both columns use for a block."""
    if kind == "headline":
        return "h1"
    if kind == "heading":
        return f"h{min(max(int(paragraph.meta.get('level', 2)), 1), 6)}"
    return "blockquote" if kind == "quote" else "p"


_BLOCK_TAG = re.compile(r"<(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption"
                        r"|figure|footer|form|h[1-6]|header|hgroup|hr|listing|main|menu|nav|ol|p|pre|section|table"
                        r"|ul|xmp)\b", re.IGNORECASE)
# An XHTML-style empty element (<a name="x"/>) is an open tag to an HTML parser: in a page built
# from blocks it would swallow what follows, so it is written <a name="x"></a> there.
_SELF_CLOSED = re.compile(r"<(?!(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b)"
                          r"([a-zA-Z][\w-]*)((?:\s[^<>]*?)?)\s*/>")


def _html5_empty(html_text: Markup) -> Markup:
    return Markup(_SELF_CLOSED.sub(r"<\1\2></\1>", str(html_text)))


def _holds_block_markup(paragraph: Paragraph) -> bool:
    return any(_is_markup(p) and _BLOCK_TAG.search(p.text) for s in paragraph.segments for p in s.pieces)


def build_page(doc: Document, hide_review_marks: bool = False, unreviewed: str = "machine",
               incomplete: str = "") -> Page:
    """The template view of a document: metadata, counts and one Block per paragraph."""
    blocks = []
    for paragraph in doc.paragraphs:
        if paragraph.kind in ("title", attributes.KIND):  # <title> is in the head; a title/alt in its tag
            continue
        english, spanish = block_html(paragraph, doc.format, unreviewed, hide_review_marks)
        if doc.format == "html":
            english, spanish = _html5_empty(english), _html5_empty(spanish)
        kind = block_kind(paragraph)
        tag = block_tag(paragraph, kind)
        if doc.format == "html" and tag == "p" and _holds_block_markup(paragraph):
            tag = "div"  # a <p> cannot hold a <pre>, a list or a table: the parser would close it early
        blocks.append(Block(
            number=paragraph.number, kind=kind, tag=tag, english=english, spanish=spanish,
            awaiting_review=any(_awaiting_review(s, unreviewed) for s in paragraph.segments),
            untranslated=any(_shows_english(s, unreviewed) for s in paragraph.segments)))
    return Page(name=doc.name, meta=dict(doc.meta), blocks=blocks, counts=completeness(doc),
                hide_review_marks=hide_review_marks, incomplete=incomplete, links=output_names(doc.name))


def completeness(doc: Document) -> dict[str, int]:
    """Entries by review state, counted as ``pipeline stats`` and gettext count the document's catalog.

    One count per distinct (msgctxt, msgid), blank segments left out, so a
    sentence repeated in an article counts once, as in its PO file. translated
    = reviewed (gettext: non-empty, not fuzzy; all-Spanish segments are final
    as written); awaiting_review = machine + fuzzy.
    """
    states: dict[tuple[str | None, str], State] = {}
    for segment in doc.segments():
        if segment.text.strip():
            kept = segment.fully_protected and segment.state == State.UNTRANSLATED
            states.setdefault((segment.context, segment.text), State.REVIEWED if kept else segment.state)
    counts = {"total": len(states), "reviewed": 0, "machine": 0, "fuzzy": 0, "untranslated": 0}
    for state in states.values():
        counts[state.value] += 1
    counts["translated"] = counts["reviewed"]
    counts["awaiting_review"] = counts["machine"] + counts["fuzzy"]
    return counts


# --- the Spanish text and Markdown --------------------------------------------------------------

def plain_translation(segment: Segment, fmt: str, unreviewed: str) -> str:
    """The Spanish of a segment as plain text, without the source's inline markup."""
    text = shown_translation(segment, unreviewed)
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]*>", "", str(escape_except(text, [p.text for p in segment.pieces
                                                                             if _is_markup(p)]))))
    elif fmt == "markdown":
        text = html.unescape(re.sub(r"<[^>]*>", "", str(_markdown_inline(text))))
    return text


def spanish_text(doc: Document, unreviewed: str = "machine") -> str:
    """NAME.es.txt: paragraphs separated by blank lines, each keeping its lines (Segment.trailing)."""
    paragraphs = []
    for p in doc.paragraphs:
        if p.kind == attributes.KIND:  # a title or alt text: no place in plain text
            continue
        text = p.meta.get("lead", "") + "".join(plain_translation(s, doc.format, unreviewed) + s.trailing
                                                 for s in p.segments).rstrip()
        if p.meta.get("unwrapped") and not p.meta.get("width"):  # [text] rewrap = false: one line
            text = re.sub(r"[ \t]*\n[ \t]*", " ", text)
        elif p.meta.get("width"):  # a hard-wrapped source paragraph: wrapped again at its width
            text = "\n".join(textwrap.fill(line, p.meta["width"], break_long_words=False, break_on_hyphens=False)
                              for line in text.split("\n"))
        paragraphs.append(text)
    return "\n\n".join(paragraphs) + "\n"


# Escaped only where Markdown would read markup: intraword "_" and a "1." inside a line are text.
_MD_SPECIAL = re.compile(r"[\\`*\[\]<]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([ \t]*)(?:(#{1,6}(?=\s|$)|>|[+-](?=\s|$))|(\d{1,9})([.)])(?=\s|$)|(=+|-+)(?=[ \t]*$))",
                            re.MULTILINE)


def _escape_line_start(match: re.Match) -> str:
    lead, marker, number, delimiter, underline = match.groups()
    if number is not None:
        return f"{lead}{number}\\{delimiter}"  # "1\." : a backslash before a digit would show
    return f"{lead}\\{marker or underline}"


def markdown_escape(text: str) -> str:
    """Plain text made safe to place in Markdown: no accidental emphasis, links, HTML, headings or lists,
    and no backslash where Markdown would not read one as an escape."""
    return _MD_LINE_START.sub(_escape_line_start, _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text))


def _markdown_marker(marker: str) -> str:
    """A plain-text list marker as Markdown: "-", "*", "1." stay list markers; "•" and "a)" become "- •"."""
    bare = marker.strip()
    return marker.lstrip() if bare in ("-", "*") or re.fullmatch(r"\d{1,3}[.)]", bare) else "- " + markdown_escape(bare) + " "


def _markdown_trailing(trailing: str) -> str:
    if "\n" not in trailing:
        return trailing
    rest = trailing.rsplit("\n", 1)[1]
    return "\n" + _markdown_marker(rest) if rest.strip() else "\\\n"


def spanish_markdown(doc: Document, unreviewed: str = "machine") -> str:
    """NAME.es.md: a Markdown source with each block's inline text replaced, else Markdown built from blocks."""
    if doc.format == "markdown" and "source_text" in doc.meta:
        from .readers.markdown import substitute

        return substitute(doc, lambda segment: shown_translation(segment, unreviewed)  # a title: text, escaped there
                          if segment.kind == attributes.KIND else markdown_raw_html_escaped(
                              shown_translation(segment, unreviewed), [p.text for p in segment.pieces if _is_markup(p)]))
    blocks = []
    for paragraph in doc.paragraphs:
        if paragraph.kind == attributes.KIND:
            continue
        if paragraph.meta.get("table"):  # a plain-text table, kept as it is
            blocks.append("```\n" + paragraph.text + "\n```")
            continue
        text = "".join(markdown_escape(plain_translation(s, doc.format, unreviewed)) + _markdown_trailing(s.trailing)
                       for s in paragraph.segments).rstrip()
        if paragraph.meta.get("lead"):
            text = _markdown_marker(paragraph.meta["lead"]) + text
        kind = block_kind(paragraph)
        tag = block_tag(paragraph, kind)
        if tag.startswith("h"):
            text = "#" * int(tag[1]) + " " + text
        elif kind == "quote":
            text = "> " + text.replace("\n", "\n> ")
        elif kind == "list_item" and not paragraph.meta.get("lead"):
            text = "- " + text
        blocks.append(text)
    return "\n\n".join(blocks) + "\n"


# --- whole pages --------------------------------------------------------------------------------

def spanish_page(doc: Document, page: Page, env: jinja2.Environment, unreviewed: str) -> str:
    """NAME.es.html: an HTML source with its text translated in place, else the es.html template.

    Machine text awaiting review is marked and announced in Spanish here too,
    as on the bilingual pages, unless the marks were hidden explicitly.
    """
    if doc.format == "html" and "source_text" in doc.meta:
        from .readers.html import substitute

        def marked(segment: Segment) -> str:
            shown = spanish_html(segment, "html", unreviewed)
            if _awaiting_review(segment, unreviewed) and not page.hide_review_marks and segment.kind not in ("title", attributes.KIND):
                shown = _review_mark(segment, shown)
            return str(shown)

        text = substitute(doc, marked, lang=TARGET_LANG, alternate=page.links["en"])
        return _insert_after_body(text, "" if page.hide_review_marks else review_notice(page.counts))
    return render_template(env, "es.html", page=page, current="es")


def review_notice(counts: dict) -> str:
    """The short Spanish notice of how much is machine translation awaiting review, as HTML ('' if none)."""
    if not counts.get("awaiting_review"):
        return ""
    return (f'<p class="review-notice" role="note" lang="es" style="background:#fff8e1;padding:.5rem .75rem">'
            f'<strong>Traducción automática pendiente de revisión:</strong> {counts["awaiting_review"]} de '
            f'{counts["total"]} segmentos ({_percent(counts, "awaiting_review")}&nbsp;%) no los ha revisado aún '
            f'una persona y van marcados.</p>\n')


def _percent(counts: dict, key: str) -> str:
    return f"{round(100 * counts[key] / counts['total'], 1):g}" if counts.get("total") else "0"


def _insert_after_body(text: str, snippet: str) -> str:
    if not snippet:
        return text
    body = re.search(r"<body\b[^>]*>", text, re.IGNORECASE)
    at = body.end() if body else 0
    return text[:at] + "\n" + snippet + text[at:]


def english_page(doc: Document, page: Page, env: jinja2.Environment) -> str:
    """NAME.en.html: the English version, the other half of the hreflang pair."""
    if doc.format == "html" and "source_text" in doc.meta:
        from .readers.html import substitute

        return substitute(doc, None, lang="en", alternate=page.links["es"])
    return render_template(env, "en.html", page=page, current="en")
