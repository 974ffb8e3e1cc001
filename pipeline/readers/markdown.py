"""Markdown sources (CommonMark with tables, parsed by markdown-it-py).

Headings, paragraphs, list items, block quotes and table cells become
paragraphs of the Document; code blocks, HTML blocks and front matter are
left as they are. Inline markup stays in the segment text as protected
``markup`` spans (emphasis marks, link brackets and destinations, code spans,
inline HTML, autolinks), so a translator sees ordinary Markdown in the PO, a
link keeps its URL while its text is translated, and the Spanish Markdown is
the source with each block's text replaced (:func:`substitute`).

Front matter keys listed in ``pipeline.toml`` under ``[markdown]
front_matter = ["title", ...]`` are translated too (default: none).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Collection, Iterator

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll

from .. import attributes
from ..model import Document, Paragraph, Segment, Span
from ..inline import nesting
from .blocks import markup, segments_from_spans

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ENTITY = r"&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
# Raw HTML as CommonMark reads it: attribute values may hold ">" and a tag may span lines.
HTML_TAG = (rf"<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
            r"|<!--.*?-->|<\?.*?\?>|<![A-Za-z]+[^>]*>|<!\[CDATA\[.*?\]\]>")
_INLINE_MARKUP = re.compile(rf"""
    (?P<escape>\\[!-/:-@\[-`{{-~])               # a backslash escape
  | (?P<hardbreak>(?:[ ]{{2,}}|\\)\n)             # a hard line break
  | (?<!`)(?P<code>`+)(?!`).*?(?<!`)(?P=code)(?!`)   # a code span, whole (it may span lines)
  | <(?:[a-zA-Z][a-zA-Z0-9+.-]{{1,31}}:[^\s<>]*|[a-zA-Z0-9.!#$%&'*+/=?^_`{{|}}~-]+@[a-zA-Z0-9.-]+)>   # an autolink
  | {HTML_TAG}                                   # inline HTML, one tag
  | {_ENTITY}                                    # an entity or character reference
  | (?P<open>!?\[)|(?P<close>\])                 # brackets: paired up afterwards
  | (?<=\S)\*++|\*++(?=\S)                       # emphasis marks that touch text, a run whole
  | (?<!\w)_++(?=\S)|(?<=\S)_++(?!\w)            # underscores, never inside a word, a run whole
""", re.VERBOSE | re.DOTALL)
_CONTAINERS = {"blockquote_open": "quote", "list_item_open": "list_item", "th_open": "table_cell",
               "td_open": "table_cell", "heading_open": "heading"}


def inline_spans(text: str, references: Collection[str] = ()) -> list[Span]:
    """Plain-text and protected markup spans covering a block's inline Markdown exactly.

    `references` holds the normalised labels of the document's link reference
    definitions: a collapsed (``[label][]``) or shortcut (``[label]``) reference
    is written ``[translated label][label]``, so it still matches its definition.
    Line breaks inside plain text are soft breaks and become blanks; inside code
    spans and HTML they are kept, and a hard break is a token of its own.
    """
    tokens: dict[int, tuple[int, str | None]] = {}  # start -> (end, replacement)
    opens: list[int] = []
    for match in _INLINE_MARKUP.finditer(text):
        if any(low <= match.start() < high for low, (high, _) in tokens.items()):
            continue  # inside a link's destination or label
        if match.group("open"):
            opens.append(match.start())
            continue
        if match.group("close"):
            if opens:
                _pair_brackets(text, opens.pop(), match.start(), tokens, references)
            continue
        tokens[match.start()] = (match.end(), None)
    spans, last = [], 0
    for start in sorted(tokens):
        end, replacement = tokens[start]
        if start < last:
            continue
        spans.append(Span(_SOFT_BREAK.sub(" ", text[last:start])))
        token = markup(text[start:end])
        token.replacement = replacement
        spans.append(token)
        last = end
    spans.append(Span(_SOFT_BREAK.sub(" ", text[last:])))
    return [s for s in spans if s.text]


_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def _pair_brackets(text: str, opening: int, closing: int, tokens: dict, references: Collection[str]) -> None:
    """Record the tokens of a matched ``[...]``: an inline link, a full, collapsed or shortcut
    reference, or nothing (literal brackets)."""
    start = opening
    width = 2 if text.startswith("![", opening) else 1
    inner = text[opening + width:closing]
    tail = _link_tail(text, closing + 1)
    replacement = None
    if tail is None:
        label = re.match(r"\[((?:[^\[\]\\]|\\.){0,999})\]", text[closing + 1:], re.DOTALL)
        if label and label.group(1).strip():
            tail = closing + 1 + label.end()
        elif label and normalizeReference(inner) in references:
            tail, replacement = closing + 1 + label.end(), "][" + inner + "]"
        elif normalizeReference(inner) in references and inner.strip():
            tail, replacement = closing + 1, "][" + inner + "]"
        else:
            return
    for low in [low for low in tokens if low >= closing]:  # what the tail swallowed is part of it
        del tokens[low]
    tokens[start] = (start + width, None)
    tokens[closing] = (tail, replacement)


def _link_tail(text: str, at: int) -> int | None:
    """The end of an inline link's ``(destination "title")`` starting at `at`, or None."""
    if not text.startswith("(", at):
        return None
    found = _destination_and_title(text, at + 1)
    if found is None:
        return None
    j, _ = found
    n = len(text)
    while j < n and text[j] in " \t\n":
        j += 1
    return j + 1 if j < n and text[j] == ")" else None


def _destination_and_title(text: str, i: int) -> tuple[int, tuple[int, int] | None] | None:
    """Past a link destination and its optional title starting at `i` (blanks first allowed): where
    they end, and the title's bounds with its delimiters (None without a title); None if malformed."""
    n = len(text)
    while i < n and text[i] in " \t\n":
        i += 1
    if i < n and text[i] == "<":
        close = re.compile(r"(?:[^<>\\\n]|\\.)*>").match(text, i + 1)
        if not close:
            return None
        i = close.end()
    else:
        depth = 0
        while i < n and text[i] not in " \t\n":
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if depth:
            return None
    j = i
    while j < n and text[j] in " \t\n":
        j += 1
    if j > i and j < n and text[j] in "\"'(":
        end = {"\"": "\"", "'": "'", "(": ")"}[text[j]]
        title = re.compile(rf"(?:[^\\{re.escape(end)}]|\\.)*{re.escape(end)}", re.DOTALL).match(text, j + 1)
        if not title:
            return None
        return title.end(), (j, title.end())
    return i, None


def front_matter(text: str) -> tuple[dict[str, tuple[int, str]], int]:
    """Front matter `key: value` lines as {key: (line index, value)}, and how many lines it takes."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return {}, 0
    fields = {}
    for index, line in enumerate(found.group(1).split("\n"), start=1):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "#")):
            fields[key.strip()] = (index, value.strip().strip("'\""))
    return fields, found.group(0).count("\n")


def read(path: Path, text: str, front_matter_keys: Collection[str] = ()) -> Document:
    """A Document from Markdown: one paragraph per heading, paragraph, list item, quote or table cell.

    `front_matter_keys`: the front matter keys to translate (the config's ``markdown_front_matter``).
    """
    doc = Document(name=path.stem, source=path, format="markdown", meta={"source_text": text})
    fields, skip = front_matter(text)
    if "title" in fields:
        doc.meta["title"] = fields["title"][1]
    for key in front_matter_keys:
        if key in fields and fields[key][1]:
            line, value = fields[key]
            segment = Segment(value, kind="front_matter")
            _add(doc, [segment], kind="front_matter", line=line, meta={"key": key, "line_index": line})
    found = _FRONT_MATTER.match(text)  # matched whenever front_matter() found lines to skip
    body = "\n" * skip + text[len(found.group(0)):] if skip and found else text
    containers: list[str] = []
    cell_index = 0
    env: dict = {}
    tokens = MarkdownIt("commonmark").enable("table").parse(body, env)
    references = frozenset(env.get("references", {}))
    for token in tokens:
        if token.type in _CONTAINERS:
            containers.append(_CONTAINERS[token.type])
        elif token.type.endswith("_close") and token.type.replace("_close", "_open") in _CONTAINERS:
            containers.pop()
        if token.type == "tr_open":
            cell_index = 0
        if token.type != "inline" or not token.content.strip():
            if token.type in ("th_close", "td_close"):
                cell_index += 1
            continue
        kind = containers[-1] if containers else "paragraph"
        if "heading" == kind:
            level = int(_heading_level(body, token))
            meta: dict[str, Any] = {"level": level}
        else:
            meta = {}
        split = kind not in ("heading", "table_cell")
        segments = segments_from_spans(inline_spans(token.content, references), nesting, split=split,
                                       kind="heading" if kind == "heading" else "sentence")
        where = token.map or [0, 0]  # markdown-it maps every inline token to its lines
        meta.update(lines=where, first=token.content.split("\n")[0].strip())
        if kind == "table_cell":
            meta["cell"] = cell_index
        _add(doc, segments, kind=kind, line=where[0] + 1, meta=meta)
        for place, value in _link_titles(segments):
            doc.paragraphs.append(attributes.paragraph(value, place, len(doc.paragraphs) + 1, where[0] + 1))
    for place, value in _definition_titles(body, env.get("references", {})):
        doc.paragraphs.append(attributes.paragraph(value, place, len(doc.paragraphs) + 1, place.line + 1))
    return doc


def _title_value(raw: str) -> str:
    """A title as a reader sees it: escapes and entities resolved, line breaks as blanks."""
    return re.sub(r"\s+", " ", unescapeAll(raw)).strip()


def _link_titles(segments: list[Segment]) -> Iterator[tuple[attributes.Place, str]]:
    """The titles of the inline links and images of a block's segments (``](url "title")`` codes)."""
    for segment in segments:
        openers = []
        for piece in segment.spans:
            if not (piece.protected and piece.reason == "markup"):
                continue
            if piece.text in ("[", "!["):
                openers.append(piece.text)
                continue
            if not piece.text.startswith("]"):
                continue
            element = "an image" if openers and openers.pop() == "![" else "a link"
            if not piece.text.startswith("]("):
                continue  # a reference link: its title is its definition's
            found = _destination_and_title(piece.text, 2)
            if found and found[1] and attributes.is_prose(_title_value(piece.text[found[1][0] + 1:found[1][1] - 1])):
                low, high = found[1]
                yield (attributes.Place("title", element, low, high, host=segment, code=piece.text,
                                        occurrence=attributes.occurrences(segment.spans, piece.text, piece)),
                       _title_value(piece.text[low + 1:high - 1]))


def _definition_titles(body: str, references: dict) -> Iterator[tuple[attributes.Place, str]]:
    """The titles of link reference definitions written on one line (``[label]: url "Title"``)."""
    lines = body.split("\n")
    for reference in references.values():
        if not reference.get("title") or "map" not in reference:
            continue
        start, end = reference["map"]
        for index in range(start, end):
            label = re.match(r"[ >]*\[(?:[^\[\]\\]|\\.)*\]:", lines[index])
            found = label and _destination_and_title(lines[index], label.end())
            if not found or not found[1]:
                continue
            low, high = found[1]
            value = _title_value(lines[index][low + 1:high - 1])
            if value == _title_value(reference["title"]) and attributes.is_prose(value):
                yield attributes.Place("title", "a link reference definition", low, high, line=index), value
            break


def _heading_level(body: str, token) -> int:
    line = body.split("\n")[token.map[0]].lstrip()
    hashes = len(line) - len(line.lstrip("#"))
    if 1 <= hashes <= 6:
        return hashes
    underline = body.split("\n")[token.map[1]].strip() if token.map[1] < body.count("\n") + 1 else ""
    return 1 if underline.startswith("=") else 2


def _add(doc: Document, segments: list[Segment], kind: str, line: int, meta: dict) -> None:
    if segments:
        doc.paragraphs.append(Paragraph(segments, number=len(doc.paragraphs) + 1, line=line, kind=kind, meta=meta))


def _split_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's text in a table row, leading and trailing pipes excluded."""
    bounds, start = [], 0
    pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    edges = [-1] + pipes + [len(line)]
    for low, high in zip(edges, edges[1:]):
        cell = line[low + 1:high]
        if low == -1 and not cell.strip() and pipes:
            continue
        if high == len(line) and not cell.strip() and pipes:
            continue
        start = low + 1 + (len(cell) - len(cell.lstrip()))
        bounds.append((start, start + len(cell.strip())))
    return bounds


def substitute(doc: Document, translate: Callable[[Segment], str]) -> str:
    """The Markdown source with each block's text replaced by `translate(segment)` for its segments."""
    lines = doc.meta["source_text"].split("\n")
    replaced: dict[int, str | None] = {}
    titles: dict[int, list] = {}  # line index -> (place, segment) of the definition titles on it
    cells: dict[int, dict[int, str]] = {}
    for paragraph in doc.paragraphs:
        meta = paragraph.meta
        if paragraph.kind == attributes.KIND:  # a title inside a link's code is put back with its host
            place = meta["place"]
            if place.host is None:
                titles.setdefault(place.line, []).append((place, paragraph.segments[0]))
            continue
        new = "".join(attributes.in_markdown(s, translate(s), translate) + s.trailing for s in paragraph.segments)
        if paragraph.kind == "front_matter":
            index = meta["line_index"]
            key = meta["key"]
            replaced[index] = f"{key}: " + _yaml_string(new)
            continue
        start, end = meta["lines"]
        if paragraph.kind == "table_cell":
            cells.setdefault(start, {})[meta["cell"]] = new.replace("|", "\\|")
            continue
        line = lines[start]
        at = line.find(meta["first"]) if meta["first"] else -1
        if at < 0:
            continue
        tail = line[at + len(meta["first"]):] if end - start == 1 else ""
        # lines kept inside code spans, HTML and hard breaks continue the block's container
        prefix = re.sub(r"[^\s>]", " ", line[:at])
        replaced[start] = line[:at] + new.replace("\n", "\n" + prefix) + tail
        for index in range(start + 1, end):
            replaced[index] = None
    for index, by_cell in cells.items():
        line = lines[index]
        for number, (low, high) in reversed(list(enumerate(_split_cells(line)))):
            if number in by_cell:
                line = line[:low] + by_cell[number] + line[high:]
        replaced[index] = line
    for index, found in titles.items():
        line = lines[index]
        for place, segment in sorted(found, key=lambda item: -item[0].start):
            line = line[:place.start] + attributes.markdown_title(translate(segment), line[place.start]) + line[place.end:]
        replaced.setdefault(index, line)
    out = [replaced.get(i, line) for i, line in enumerate(lines)]
    return "\n".join(line for line in out if line is not None)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
