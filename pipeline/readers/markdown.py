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
from typing import Callable, Sequence

from markdown_it import MarkdownIt

from ..model import Document, Paragraph, Segment, Span
from .blocks import markup, segments_from_spans

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_INLINE_MARKUP = re.compile(r"""
    (?P<code>`+)[^`].*?(?P=code)(?!`)            # a code span, whole
  | <(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>   # an autolink, whole
  | <[a-zA-Z/!?][^>]*>                           # inline HTML, one tag
  | !?\[(?=[^\]]*\][(\[])                        # the opening bracket of a link or image
  | \]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)   # ](destination "title")
  | \]\[[^\]]*\]                                 # ][reference]
  | \\[!-/:-@\[-`{-~]                            # a backslash escape
  | (?<=\S)\*+|\*+(?=\S)                          # emphasis marks that touch text
  | (?<!\w)_+(?=\S)|(?<=\S)_+(?!\w)                 # underscores, never inside a word
""", re.VERBOSE)
_CONTAINERS = {"blockquote_open": "quote", "list_item_open": "list_item", "th_open": "table_cell",
               "td_open": "table_cell", "heading_open": "heading"}


def _nesting(token: str) -> tuple[str, str] | None:
    """How an inline markup token nests: emphasis toggles, link brackets open and close."""
    if token.startswith(("[", "![")):
        return ("open", "link")
    if token.startswith("]"):
        return ("close", "link")
    if token[0] in "*_" and token.strip(token[0]) == "":
        return ("toggle", token)
    return None


def inline_spans(text: str) -> list[Span]:
    """Plain-text and protected markup spans covering a block's inline Markdown exactly."""
    spans, last = [], 0
    for match in _INLINE_MARKUP.finditer(text):
        spans.append(Span(text[last:match.start()]))
        spans.append(markup(match.group()))
        last = match.end()
    spans.append(Span(text[last:]))
    return [s for s in spans if s.text]


def parse_front_matter(text: str) -> tuple[dict[str, tuple[int, str]], int]:
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


def read(path: Path, text: str, front_matter: Sequence[str] = ()) -> Document:
    """A Document from Markdown: one paragraph per heading, paragraph, list item, quote or table cell."""
    doc = Document(name=path.stem, source=path, format="markdown", meta={"source_text": text})
    fields, skip = parse_front_matter(text)
    if "title" in fields:
        doc.meta["title"] = fields["title"][1]
    for key in front_matter:
        if key in fields and fields[key][1]:
            line, value = fields[key]
            segment = Segment(value, kind="front_matter")
            _add(doc, [segment], kind="front_matter", line=line, meta={"key": key, "line_index": line})
    body = "\n" * skip + text[len(_FRONT_MATTER.match(text).group(0)):] if skip else text
    containers: list[str] = []
    cell_index = 0
    for token in MarkdownIt("commonmark").enable("table").parse(body):
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
            meta = {"level": level}
        else:
            meta = {}
        content = " ".join(line.strip() for line in token.content.split("\n"))
        split = kind not in ("heading", "table_cell")
        segments = segments_from_spans(inline_spans(content), _nesting, split=split,
                                       kind="heading" if kind == "heading" else "sentence")
        meta.update(lines=token.map, first=token.content.split("\n")[0].strip())
        if kind == "table_cell":
            meta["cell"] = cell_index
        _add(doc, segments, kind=kind, line=token.map[0] + 1, meta=meta)
    return doc


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
    cells: dict[int, dict[int, str]] = {}
    for paragraph in doc.paragraphs:
        new = "".join(translate(s) + s.trailing for s in paragraph.segments)
        meta = paragraph.meta
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
        replaced[start] = line[:at] + new + tail
        for index in range(start + 1, end):
            replaced[index] = None
    for index, by_cell in cells.items():
        line = lines[index]
        for number, (low, high) in reversed(list(enumerate(_split_cells(line)))):
            if number in by_cell:
                line = line[:low] + by_cell[number] + line[high:]
        replaced[index] = line
    out = [replaced.get(i, line) for i, line in enumerate(lines)]
    return "\n".join(line for line in out if line is not None)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
