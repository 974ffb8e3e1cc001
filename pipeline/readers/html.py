"""HTML sources: text content is translated, markup is kept.

Each innermost block element holding text (p, h1-h6, li, td, th, blockquote,
figcaption, ...) becomes a paragraph; the ``<title>`` too. Inline tags stay in
the segment text as protected ``markup`` spans, so links keep their URL and
their text is translated. Elements with ``translate="no"`` (HTML, W3C ITS) are
protected whole, elements with ``lang="es"`` are protected as already-Spanish,
and ``<script>``, ``<style>``, ``<code>``, ``<pre>`` are left untouched. The
Spanish page is the source with each block's content replaced
(:func:`substitute`) and ``lang="es"`` on ``<html>``.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from ..errors import InputError
from .. import attributes
from ..model import TARGET_LANG, Document, Paragraph, Segment, Span
from ..inline import VOID, tag_nesting
from .blocks import markup, segments_from_spans

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption", "figcaption",
          "blockquote", "div", "section", "article", "header", "footer", "aside", "main", "nav", "summary",
          "legend", "label", "address", "title", "option", "button"}
UNTOUCHED = {"script", "style", "code", "pre", "kbd", "samp", "var", "tt", "textarea", "svg", "math",
             "template", "noscript", "iframe", "object"}
_KINDS = {"li": "list_item", "blockquote": "quote", "td": "table_cell", "th": "table_cell", "title": "title",
          **{f"h{n}": "heading" for n in range(1, 7)}}


# Implied end tags, as the HTML parsing algorithm has them: a start tag closes an open element of
# these kinds, unless one of the scope boundaries comes first (a <li> inside a nested <ul> is not closed).
_CLOSES_P = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
             "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
             "menu", "nav", "ol", "p", "pre", "section", "table", "ul", "li", "dd", "dt"}
_P_SCOPE = {"table", "td", "th", "caption", "button", "object", "template", "html", "li", "dd", "dt"}
_IMPLIED = {"li": ({"li"}, {"ul", "ol", "menu"}), "dt": ({"dt", "dd"}, {"dl"}), "dd": ({"dt", "dd"}, {"dl"}),
            "tr": ({"tr", "td", "th"}, {"table", "thead", "tbody", "tfoot"}), "td": ({"td", "th"}, {"tr", "table"}),
            "th": ({"td", "th"}, {"tr", "table"}), "option": ({"option"}, {"select", "datalist", "optgroup"}),
            "thead": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
            "tbody": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
            "tfoot": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"})}


@dataclass
class Node:
    """An element or a text run, with its place in the source text."""

    tag: str  # "" for text
    attrs: dict = field(default_factory=dict)
    start: int = 0  # where the start tag (or text) begins
    inner: int = 0  # where the content begins
    inner_end: int = 0  # where the content ends (the end tag begins)
    end: int = 0  # after the end tag
    children: list["Node"] = field(default_factory=list)
    line: int = 0

    def is_protected(self) -> str:
        """Why the element is kept whole: "do-not-translate", "spanish", "untouched" or ""."""
        if self.attrs.get("translate", "").lower() == "no":
            return "do-not-translate"
        if (self.attrs.get("lang") or "").lower().split("-")[0] == TARGET_LANG:
            return "spanish"
        return "untouched" if self.tag in UNTOUCHED else ""


class _TreeBuilder(HTMLParser):
    """A forgiving tree of Nodes with source offsets (end tags close up to their match)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.root = Node("#root", end=len(text), inner_end=len(text))
        self.stack = [self.root]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        self._close_implied(tag, start)
        raw = self.get_starttag_text() or ""
        node = Node(tag, {k: v or "" for k, v in attrs}, start, start + len(raw), start + len(raw),
                    start + len(raw), line=self.getpos()[0])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def _close_implied(self, tag: str, at: int) -> None:
        """Close what this start tag implicitly ends: an open <p> before a block, a <li> before the next."""
        rules = [({"p"}, _P_SCOPE)] if tag in _CLOSES_P else []
        if tag in _IMPLIED:
            rules.append(_IMPLIED[tag])
        for closes, boundary in rules:
            for node in reversed(self.stack[1:]):
                if node.tag in closes:
                    self._close(node.tag, at, at)
                    break
                if node.tag in boundary:
                    break

    def handle_startendtag(self, tag, attrs):
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}, start, start + len(raw),
                                            start + len(raw), start + len(raw), line=self.getpos()[0]))

    def handle_endtag(self, tag):
        start = self._offset()
        self._close(tag, start, self.text.find(">", start) + 1 or len(self.text))

    def _close(self, tag: str, start: int, end: int) -> None:
        """Close `tag` and every element left open inside it; a stray end tag is ignored."""
        if not any(n.tag == tag for n in self.stack[1:]):
            return
        while len(self.stack) > 1:
            node = self.stack.pop()
            node.inner_end = start
            node.end = end if node.tag == tag else start
            if node.tag == tag:
                break

    def _text(self, length: int):
        start = self._offset()
        self.stack[-1].children.append(Node("", start=start, end=start + length, line=self.getpos()[0]))

    def handle_data(self, data):
        self._text(len(data))

    def handle_entityref(self, name):
        self._text(len(name) + 2 if self.text.startswith(";", self._offset() + len(name) + 1) else len(name) + 1)

    def handle_charref(self, name):
        self._text(len(name) + 3 if self.text.startswith(";", self._offset() + len(name) + 2) else len(name) + 2)

    def handle_comment(self, data):
        start = self._offset()
        self.stack[-1].children.append(Node("#comment", start=start, end=start + len(data) + 7))

    def handle_pi(self, data):  # <?...>: kept in place like a comment
        start = self._offset()
        self.stack[-1].children.append(Node("#comment", start=start, end=start + len(data) + 3))


def parse(text: str, path: Path) -> Node:
    """The element tree of an HTML source."""
    builder = _TreeBuilder(text)
    try:
        builder.feed(text)
        builder.close()
    except (AssertionError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}", path) from None
    for node in builder.stack[1:]:  # elements never closed end with the document
        node.inner_end = node.end = len(text)
    return builder.root


def _has_block(node: Node) -> bool:
    return any(c.tag in BLOCKS or (c.tag and not c.is_protected() and _has_block(c)) for c in node.children)


def _has_text(node: Node, text: str) -> bool:
    return any((not c.tag and html.unescape(text[c.start:c.end]).strip())
               or (c.tag and c.tag != "#comment" and _has_text(c, text)) for c in node.children)


_ESCAPED_MARKUP = re.compile(r"&lt;/?[A-Za-z][^<>&]*?&gt;|&lt;|&gt;|&#0*60;|&#0*62;|&#[xX]0*3[cCeE];")


def _text_spans(raw: str) -> list[Span]:
    """A text run unescaped, except escaped tags and angle brackets: those stay as written
    (protected), so escaped text can never come out as markup."""
    spans, last = [], 0
    for match in _ESCAPED_MARKUP.finditer(raw):
        spans.append(Span(re.sub(r"\s+", " ", html.unescape(raw[last:match.start()]))))
        spans.append(markup(match.group()))
        last = match.end()
    spans.append(Span(re.sub(r"\s+", " ", html.unescape(raw[last:]))))
    return [s for s in spans if s.text]


def _inline_spans(node: Node, text: str, owners: dict[int, Node]) -> list[Span]:
    """Text and markup spans of an element's content; protected elements whole. `owners` gets the
    element of each start tag span (and of each kept-whole untouched element), by span id."""
    spans: list[Span] = []
    for index, child in enumerate(node.children):
        if not child.tag:
            if index and not node.children[index - 1].tag:
                continue  # taken with the run it continues
            end = child.end
            for following in node.children[index + 1:]:  # entity references are nodes of their own:
                if following.tag:  # the run is read whole, so "&lt;b&gt;" is seen as one escaped tag
                    break
                end = following.end
            spans.extend(_text_spans(text[child.start:end]))
        elif child.tag == "#comment":
            spans.append(markup(text[child.start:child.end]))  # kept where it was
        elif child.is_protected():
            span = markup(text[child.start:child.end])
            span.lang = TARGET_LANG if child.is_protected() == "spanish" else span.lang
            spans.append(span)
            if child.is_protected() == "untouched":  # <code title="…">: its content kept, its title prose
                owners[id(span)] = child
        else:
            spans.append(markup(text[child.start:child.inner]))
            owners[id(spans[-1])] = child
            if child.tag not in VOID and child.end > child.inner:
                spans.extend(_inline_spans(child, text, owners))
                closing = text[child.inner_end:child.end]
                if closing:
                    spans.append(markup(closing))
    return spans


def _blocks(node: Node, text: str, found: list[tuple[Node, str]], inherited: str = "") -> None:
    for child in node.children:
        if not child.tag or child.tag == "#comment":
            continue
        reason = child.is_protected()
        if reason in ("do-not-translate", "untouched"):
            continue
        lang_reason = reason or inherited
        if (child.tag in BLOCKS or child.tag == "title") and not _has_block(child) and _has_text(child, text):
            found.append((child, lang_reason))
        else:
            if child.tag in BLOCKS:
                _mixed_runs(child, text, found, lang_reason)
            _blocks(child, text, found, lang_reason)


def _is_block(node: Node) -> bool:
    return node.tag in BLOCKS or node.tag in ("ul", "ol", "dl", "table", "pre", "hr", "form", "fieldset",
                                              "figure", "hgroup", "menu", "details", "tbody", "thead", "tr")\
        or bool(node.tag and node.tag != "#comment" and not node.is_protected() and _has_block(node))


def _mixed_runs(node: Node, text: str, found: list, reason: str) -> None:
    """Text beside block children (``<div>Intro<ul>...</ul></div>``, an implicitly closed ``<li>``):
    each run of inline content between block children is a paragraph of its own."""
    run: list[Node] = []
    for child in node.children + [None]:
        if child is None or _is_block(child):
            if run:
                holder = Node("#run", attrs={"in": node.tag}, children=run, start=run[0].start, inner=run[0].start,
                              inner_end=run[-1].end, end=run[-1].end, line=run[0].line)
                if _has_text(holder, text):
                    found.append((holder, reason))
            run = []
        else:
            run.append(child)


def read(path: Path, text: str) -> Document:
    """A Document from HTML: one paragraph per innermost text block."""
    root = parse(text, path)
    doc = Document(name=path.stem, source=path, format="html", meta={"source_text": text})
    found: list[tuple[Node, str]] = []
    _blocks(root, text, found)
    hosted: set[int] = set()  # elements whose start tag is a code of a translated segment
    for node, reason in found:
        kind = _KINDS.get(node.tag, "paragraph")
        if node.tag == "#run" and _KINDS.get(node.attrs["in"]) in ("list_item", "quote", "table_cell"):
            kind = _KINDS[node.attrs["in"]]  # the text of an item beside its nested list is the item's
        owners: dict[int, Node] = {}
        spans = _inline_spans(node, text, owners)
        split = kind not in ("heading", "title", "table_cell")
        segments = segments_from_spans(spans, tag_nesting, split=split,
                                       kind=kind if kind in ("heading", "title") else "sentence")
        if not segments:
            continue
        raw = text[node.inner:node.inner_end]
        meta = {"inner": node.inner, "inner_end": node.inner_end, "lead": raw[:len(raw) - len(raw.lstrip())],
                "tail": raw[len(raw.rstrip()):]}
        if reason == "spanish":
            meta["lang"] = TARGET_LANG  # declared by the source: detect keeps it
            for segment in segments:
                segment.lang = TARGET_LANG
        if kind == "heading":
            meta["level"] = int(node.tag[1])
        if kind == "title":
            doc.meta["title"] = "".join(s.text for s in segments)
        doc.paragraphs.append(Paragraph(segments, number=len(doc.paragraphs) + 1, line=node.line, kind=kind,
                                        meta=meta))
        for segment in segments:
            for piece in segment.spans:
                element = owners.get(id(piece))
                if element is None:
                    continue
                hosted.add(id(element))
                for name, low, high, value in (_translatable(element, text) if reason != "spanish" else ()):
                    place = attributes.Place(name, f"<{element.tag}>", low - element.start, high - element.start,
                                             host=segment, code=piece.text,
                                             occurrence=attributes.occurrences(segment.spans, piece.text, piece))
                    doc.paragraphs.append(attributes.paragraph(value, place, len(doc.paragraphs) + 1, element.line))
    blocks = [(p.meta["inner"], p.meta["inner_end"]) for p in doc.paragraphs if "inner" in p.meta]
    for element in _elements(root):
        if id(element) not in hosted and not any(low <= element.start < high for low, high in blocks):
            for name, low, high, value in _translatable(element, text):
                place = attributes.Place(name, f"<{element.tag}>", low, high)
                doc.paragraphs.append(attributes.paragraph(value, place, len(doc.paragraphs) + 1, element.line))
    return doc


# Attributes whose value is prose (the HTML standard's translatable attributes, and ARIA labels), by the
# elements they are prose on ("*": any). A value is taken only when it reads as words (attributes.is_prose).
TRANSLATABLE = {"title": "*", "aria-label": "*", "alt": {"img", "area", "input"}, "placeholder": {"input", "textarea"},
                "label": {"option", "optgroup", "track"}, "abbr": {"th"}}
_BUTTON_VALUE = {"button", "submit", "reset"}  # <input type=submit value="Send">: the value is the button's text
_NO_PROSE = {"html", "head", "meta", "link", "base", "script", "style", "template", "svg", "math"}
_ATTRIBUTE = re.compile(r"""[\s"'/]([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def _translatable(element: Node, text: str) -> list[tuple[str, int, int, str]]:
    """(name, start, end, value) of the element's prose attributes: where each value stands in the
    source, quotes included, and the value as text (entities resolved)."""
    if element.tag in _NO_PROSE or element.tag.startswith("#"):
        return []
    raw = text[element.start:element.inner]
    found, seen = [], set()
    for match in _ATTRIBUTE.finditer(raw, 1 + len(element.tag)):
        name = match.group(1).lower()
        if name in seen or match.group(2) is None:
            seen.add(name)
            continue
        seen.add(name)
        on = TRANSLATABLE.get(name)
        if name == "value" and element.tag == "input" and element.attrs.get("type", "").lower() in _BUTTON_VALUE:
            on = {"input"}
        if not on or (on != "*" and element.tag not in on):
            continue
        if name == "alt" and element.tag == "input" and element.attrs.get("type", "").lower() != "image":
            continue
        value = re.sub(r"\s+", " ", html.unescape(match.group(2).strip("\"'") if match.group(2)[0] in "\"'"
                                                  else match.group(2))).strip()
        if attributes.is_prose(value):
            found.append((name, element.start + match.start(2), element.start + match.end(2), value))
    return found


def _elements(node: Node):
    """Every element whose attributes may be prose, in source order: not inside ``translate="no"`` or
    ``lang="es"`` content, nor inside untouched elements (whose own attributes are still given)."""
    for child in node.children:
        if not child.tag or child.tag.startswith("#"):
            continue
        reason = child.is_protected()
        if reason in ("do-not-translate", "spanish"):
            continue
        yield child
        if reason != "untouched":
            yield from _elements(child)


def substitute(doc: Document, translate: Callable[[Segment], str] | None, lang: str = TARGET_LANG,
               alternate: str | None = None) -> str:
    """The HTML source with block contents replaced by `translate(segment)` HTML, `lang` on <html>,
    and a hreflang link to the `alternate` language version; `translate=None` keeps the text."""
    text = doc.meta["source_text"]
    edits: list[tuple[int, int, str]] = []
    if translate is not None:
        for paragraph in doc.paragraphs:
            if paragraph.kind == attributes.KIND:
                place = paragraph.meta["place"]
                if place.host is None:  # else it is put back inside its host's tag (render.spanish_html)
                    value = html.unescape(translate(paragraph.segments[0]))  # the segment's HTML, as text
                    edits.append((place.start, place.end, attributes.html_value(value)))
                continue
            new = "".join(translate(s) + s.trailing for s in paragraph.segments)
            new = paragraph.meta.get("lead", "") + new + paragraph.meta.get("tail", "")
            edits.append((paragraph.meta["inner"], paragraph.meta["inner_end"], new))
    root_tag = re.search(r"<html\b[^>]*>", text, re.IGNORECASE)
    if root_tag:
        tag = root_tag.group()
        if re.search(r"\slang\s*=", tag, re.IGNORECASE):
            new_tag = re.sub(r"""(\slang\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", rf'\1"{lang}"', tag,
                             flags=re.IGNORECASE)
        else:
            new_tag = tag[:5] + f' lang="{lang}"' + tag[5:]
        edits.append((root_tag.start(), root_tag.end(), new_tag))
    head = re.search(r"<head\b[^>]*>", text, re.IGNORECASE)
    if head and alternate:
        other = "en" if lang == TARGET_LANG else TARGET_LANG
        link = f'\n<link rel="alternate" hreflang="{other}" href="{html.escape(alternate)}">'
        edits.append((head.end(), head.end(), link))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    if not root_tag:
        text = f'<html lang="{lang}">\n' + text
    return text
