"""PO catalogs: one POT template and one Spanish PO file per source document.

The PO file is where reviewers work, so it is read before anything is written
and its translations win: a catalog entry that has a translation is kept as it
is (a reviewed one is never overwritten), removed segments become obsolete
(``#~``) and come back with their translation when the sentence returns, and an
edited sentence inherits the closest old translation as a fuzzy starting point
with the old source as previous msgid (``#| msgid``), as msgmerge does.

Files are read with polib and written in GNU gettext's layout (wrapped at
``PO_WRAP_WIDTH`` = 79 columns like msgmerge, breaking after spaces,
hyphens and slashes; ``wrap = 0`` in pipeline.toml disables wrapping), entries in
source order, header dates kept unless the content changed, so a re-run on
unchanged input changes no byte and a file re-saved by msgcat or Poedit is
taken as it is.

States, as the PO shows them (see :func:`entry_state`):
untranslated (empty msgstr); machine (``#, fuzzy`` + ``#. machine translation:
ENGINE``); fuzzy (``#, fuzzy`` with ``#| msgid`` or ``#. from translation memory:
NAME``); reviewed (a msgstr without ``fuzzy``).
"""
from __future__ import annotations

import bisect
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Sequence

import polib

from .config import PO_WRAP_WIDTH, PROJECT_ID
from .errors import InputError
from .files import read_text, write_atomic
from .model import SOURCE_LANG, TARGET_LANG, Document, Paragraph, Segment, Span, State
from .similarity import best_match

# Extracted-comment prefixes (one `#.` line each).
KEEP = "keep: "
KIND = "kind: "
MACHINE = "machine translation: "
MEMORY = "from translation memory: "
REPLACED = ("glossary: ", "date: ")  # "REASON: TEXT → REPLACEMENT" for spans given to the engine as Spanish
ARROW = " → "
OURS = (KEEP, KIND, MACHINE, MEMORY, *REPLACED)

MEMORY_ENGINE = "tm:"  # Segment.engine of a translation-memory match: "tm:CATALOG_NAME" (set by pipeline.tm)
PREVIOUS_MSGIDS = "previous_msgids"  # Document.meta key: {(msgctxt, msgid): old msgid} for fuzzy matches

POT_PLACEHOLDERS = {"PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE", "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
                    "Language-Team": "LANGUAGE <LL@li.org>", "Language": ""}
PO_DEFAULTS = {"Last-Translator": "Automatically generated", "Language-Team": "none"}  # as msginit writes
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
HEADER_ORDER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding", "Plural-Forms", "X-Source")
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}

SOURCE = SOURCE_LANG
Key = tuple[str | None, str]  # (msgctxt, msgid)


# Paths

def pot_path(locales: Path, name: str) -> Path:
    """The template of document NAME: LOCALES/templates/NAME.pot."""
    return Path(locales) / "templates" / f"{name}.pot"


def po_path(locales: Path, name: str) -> Path:
    """The Spanish catalog of document NAME: LOCALES/es/LC_MESSAGES/NAME.po."""
    return Path(locales) / TARGET_LANG / "LC_MESSAGES" / f"{name}.po"


def catalogs(locales: Path) -> list[Path]:
    """The Spanish PO files under `locales`, sorted by name."""
    folder = po_path(locales, "x").parent
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def require_catalogs(locales: Path) -> list[Path]:
    """The Spanish PO files under `locales`; InputError when there are none."""
    found = catalogs(locales)
    if not found:
        raise InputError("no PO catalogs here (expected es/LC_MESSAGES/*.po; "
                         "run `pipeline extract` or `pipeline run` first)", locales)
    return found


# Reading

_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*')


def read_po(path: Path) -> polib.POFile:
    """The PO (or POT) file at `path`, parsed by polib.

    Raises InputError naming the file and line for a syntax error polib or
    GNU gettext would reject (unterminated string, stray text, duplicate entry).
    """
    path = Path(path)
    text = read_text(path)
    _check_syntax(text, path)
    try:
        po = polib.pofile(text, wrapwidth=PO_WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise InputError(f"PO syntax error: {exc}".split(" in po file")[0], path,
                         int(found.group(1)) if found else None) from None
    po.fpath = str(path)
    seen: dict[Key, int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if entry.obsolete:
            continue
        if key in seen:
            raise InputError(f"duplicate entry for msgid {entry.msgid[:40]!r} (first at line {seen[key]})",
                             path, entry.linenum)
        seen[key] = entry.linenum
    return po


# What may follow each kind of line within one entry: msgctxt → msgid → [msgid_plural] → msgstr(s).
_FOLLOWS = {"start": {"msgctxt", "msgid"}, "msgctxt": {"msgid", "string"},
            "msgid": {"msgid_plural", "msgstr", "string"}, "msgid_plural": {"msgstr[]", "string"}, "msgstr": {"string"}, "msgstr[]": {"msgstr[]", "string"},
            "string": set()}


def _check_syntax(text: str, path: Path) -> None:
    """Raise InputError at the first line that breaks the PO grammar (polib accepts some of these)."""
    keyword_state = "start"
    for number, line in enumerate(text.split("\n"), 1):
        body = line.strip()
        if body.startswith("#~") and not body.startswith("#~|"):
            body = body[2:].strip()  # an obsolete entry's line
        elif body.startswith("#") or not body:
            if body and keyword_state not in ("start", "msgstr", "msgstr[]"):
                raise InputError("PO syntax error: comment inside an entry, before its msgstr", path, number)
            if keyword_state in ("msgstr", "msgstr[]"):
                keyword_state = "start"
            continue
        if not _LINE.fullmatch(body):
            raise InputError(f"PO syntax error: {_describe(body)}", path, number)
        keyword = "string" if body.startswith('"') else body.split(None, 1)[0]
        keyword = "msgstr[]" if keyword.startswith("msgstr[") else keyword
        if keyword in ("msgctxt", "msgid") and keyword_state in ("msgstr", "msgstr[]"):
            keyword_state = "start"  # the next entry starts without a blank line
        if keyword != "string" and keyword not in _FOLLOWS[keyword_state]:
            expected = " or ".join(sorted(k for k in _FOLLOWS[keyword_state] if k != "string"))
            raise InputError(f"PO syntax error: {keyword} where {expected} was expected", path, number)
        if keyword == "string" and keyword_state == "start":
            raise InputError("PO syntax error: a string outside any entry", path, number)
        if keyword != "string":
            keyword_state = keyword
    if keyword_state not in ("start", "msgstr", "msgstr[]"):
        raise InputError("PO syntax error: the last entry has no msgstr", path, number)


def _describe(line: str) -> str:
    """What is wrong with a PO line, in a few words."""
    if '"' in line and not re.search(rf'{_STRING}\s*$', line):
        return "unterminated string"
    return f"unexpected text {line[:30]!r}"


def entry_state(entry: polib.POEntry) -> State:
    """The review state an entry shows a reviewer."""
    if not (entry.msgstr or any(entry.msgstr_plural.values())):
        return State.UNTRANSLATED
    if entry.fuzzy:
        if entry.previous_msgid is None and _comment(entry, MACHINE) is not None:
            return State.MACHINE
        return State.FUZZY
    return State.REVIEWED


def _comment(entry: polib.POEntry, prefix: str) -> str | None:
    """The value of the first extracted comment line starting with `prefix`, if any."""
    for line in entry.comment.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):]
    return None


def _engine_of(entry: polib.POEntry) -> str:
    """Segment.engine for an entry: tm:NAME for a memory match, the engine of unreviewed machine output."""
    memory = _comment(entry, MEMORY)
    if memory is not None:
        return MEMORY_ENGINE + memory
    return (_comment(entry, MACHINE) or "") if entry_state(entry) == State.MACHINE else ""


# Loading into a Document

def load(doc: Document, locales: Path, similarity: float | None = None) -> Document:
    """Fill each segment's translation, state and engine from the document's existing PO file.

    An exact msgid (and msgctxt) match, active or obsolete, gives its translation
    and state. Otherwise the closest translated old entry at least `similarity`
    alike (default from pipeline.toml, 0.75) becomes a FUZZY starting point, its
    msgid recorded as previous msgid in ``doc.meta["previous_msgids"]``.
    Segments with no match stay as they are (UNTRANSLATED, for the engine).
    """
    path = po_path(locales, doc.name)
    previous: dict[Key, str] = {}
    doc.meta[PREVIOUS_MSGIDS] = previous
    if not path.is_file():
        return doc
    po = read_po(path)
    if similarity is None:
        from .config import load as load_config

        similarity = load_config().similarity
    by_key = _by_key(po)
    unmatched = []
    for segment in doc.segments():
        key = (segment.context, segment.text)
        entry = by_key.get(key)
        if entry is not None and entry_state(entry) != State.UNTRANSLATED:
            _fill(segment, entry)
            if entry.previous_msgid is not None and not entry.obsolete:
                previous[key] = entry.previous_msgid
        elif not segment.fully_protected and segment.state == State.UNTRANSLATED:
            unmatched.append(segment)
    if unmatched:
        keys = {(s.context, s.text) for s in doc.segments()}
        candidates = [e for e in by_key.values()
                      if entry_state(e) != State.UNTRANSLATED and (e.msgctxt, e.msgid) not in keys]
        for segment in unmatched:
            old = closest(segment.text, candidates, similarity)
            if old is not None:
                segment.translation, segment.state, segment.engine = old.msgstr, State.FUZZY, ""
                previous[(segment.context, segment.text)] = old.msgid
    return doc


def _by_key(po: polib.POFile) -> dict[Key, polib.POEntry]:
    """Entries by (msgctxt, msgid); an active entry wins over an obsolete one."""
    found: dict[Key, polib.POEntry] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key not in found or found[key].obsolete:
            found[key] = entry
    return found


def _fill(segment: Segment, entry: polib.POEntry) -> None:
    segment.translation = entry.msgstr
    segment.state = entry_state(entry)
    segment.engine = _engine_of(entry)


def closest(text: str, entries: list[polib.POEntry], similarity: float) -> polib.POEntry | None:
    """The entry whose msgid is most like `text`, if at least `similarity` alike (0..1)."""
    found = best_match(text, entries, similarity, key=lambda entry: entry.msgid)
    return found[0] if found else None


# Saving

def save(doc: Document, locales: Path, wrap: int | None = None) -> list[Path]:
    """Write the document's POT and PO files; returns the files that changed.

    An existing entry that has a translation is kept as it is (a reviewed one
    is never overwritten); entries whose segment left the source become
    obsolete. A file whose content would not change is left as it is, in
    whatever layout it was saved (msgcat, Poedit). `wrap` defaults to
    pipeline.toml's ``wrap`` (79); 0 means no wrapping.
    """
    locales = Path(locales)
    pot_file, po_file = pot_path(locales, doc.name), po_path(locales, doc.name)
    old_po = read_po(po_file) if po_file.is_file() else None
    old_pot = read_po(pot_file) if pot_file.is_file() else None
    if wrap is None:
        from .config import load as load_config

        wrap = load_config().wrap
    groups = _group(doc)
    source = _x_source(doc, locales, old_po)

    pot = polib.POFile()
    pot.metadata_is_fuzzy = True
    created = old_pot.metadata.get("POT-Creation-Date") if old_pot else None
    pot.metadata = _pot_header(created or _now(), source)
    for key, occurrences in groups.items():
        pot.append(_template_entry(key, occurrences, doc.filename))
    pot_text = po_text(pot, wrap)
    if created is None or pot_text != po_text(old_pot, wrap):
        created = pot.metadata["POT-Creation-Date"] = _now()  # the template changed: new date
        pot_text = po_text(pot, wrap)

    old_text = po_text(old_po, wrap) if old_po is not None else None
    po = _po_file(old_po, created, source)
    old_by_key = _by_key(old_po) if old_po is not None else {}
    previous = doc.meta.get(PREVIOUS_MSGIDS, {})
    for template in pot:
        key = (template.msgctxt, template.msgid)
        po.append(_catalog_entry(template, groups[key][0][1], old_by_key.get(key), previous.get(key)))
    if old_po is not None:
        po.extend(_obsolete(old_po, set(groups)))
    outputs = []
    if pot_text != (po_text(old_pot, wrap) if old_pot is not None else None):
        outputs.append((pot_file, pot_text))
    text = po_text(po, wrap)
    if text != old_text:  # same content in another tool's layout is left as the translator saved it
        outputs.append((po_file, text))
    written = []
    for path, text in outputs:
        if write_atomic(path, text):
            written.append(path)
    return written


def _group(doc: Document) -> dict[Key, list[tuple[int, Segment]]]:
    """(paragraph number, segment) pairs by (msgctxt, msgid), in source order; blank segments skipped."""
    groups: dict[Key, list[tuple[int, Segment]]] = {}
    for paragraph in doc.paragraphs:
        for segment in paragraph.segments:
            if segment.text.strip():
                groups.setdefault((segment.context, segment.text), []).append((paragraph.number, segment))
    return groups


def _now() -> str:
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")


def _x_source(doc: Document, locales: Path, old_po: polib.POFile | None) -> str | None:
    """The source path relative to the locales folder, with forward slashes."""
    if doc.source is None:
        return old_po.metadata.get("X-Source") if old_po else None
    return Path(os.path.relpath(Path(doc.source).absolute(), Path(locales).absolute())).as_posix()


def _pot_header(created: str, source: str | None) -> dict[str, str]:
    header = {"Project-Id-Version": PROJECT_ID, "POT-Creation-Date": created, **POT_PLACEHOLDERS,
              "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
              "Content-Transfer-Encoding": "8bit"}
    if source:
        header["X-Source"] = source
    return header


def _po_file(old_po: polib.POFile | None, created: str, source: str | None) -> polib.POFile:
    """An empty PO file whose header keeps what a translator set in the old one."""
    po = polib.POFile()
    if old_po is not None:
        po.header, po.metadata_is_fuzzy = old_po.header, False
        header = dict(old_po.metadata)
    else:
        header = {"Project-Id-Version": PROJECT_ID, "PO-Revision-Date": created, **PO_DEFAULTS}
    header["POT-Creation-Date"] = created
    header["Language"] = TARGET_LANG
    header["Content-Type"] = "text/plain; charset=UTF-8"
    header["Content-Transfer-Encoding"] = "8bit"
    for name, value in (("Project-Id-Version", PROJECT_ID), ("PO-Revision-Date", created),
                        *PO_DEFAULTS.items(), ("MIME-Version", "1.0"), ("Plural-Forms", PLURAL_FORMS)):
        header.setdefault(name, value)
    if source:
        header["X-Source"] = source
    if old_po is None:
        header = {name: header[name] for name in sorted(header, key=_header_rank)}
    po.metadata = header
    return po


def _header_rank(name: str) -> tuple[int, str]:
    return (HEADER_ORDER.index(name), "") if name in HEADER_ORDER else (len(HEADER_ORDER), name)


def _template_entry(key: Key, occurrences: list[tuple[int, Segment]], filename: str) -> polib.POEntry:
    """The POT entry for all occurrences of one segment text: comments and references."""
    first = occurrences[0][1]
    lines = [KIND + first.kind] if first.kind != "sentence" else []
    kept = list(dict.fromkeys(s.text for s in first.spans
                              if s.protected and s.replacement is None and s.text.strip() and "\n" not in s.text))
    if not kept and first.lang == TARGET_LANG:
        kept = [first.text]
    lines += [KEEP + text for text in kept]
    lines += list(dict.fromkeys(f"{s.reason}: {s.text}{ARROW}{s.replacement}" for s in first.spans
                                if s.protected and s.replacement is not None))
    references = list(dict.fromkeys((filename, str(number)) for number, _ in occurrences))
    return polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr="", comment="\n".join(lines),
                         occurrences=references)


def _catalog_entry(template: polib.POEntry, segment: Segment, old: polib.POEntry | None,
                   previous: str | None) -> polib.POEntry:
    """The PO entry: the old entry's translation if it has one, else the segment's."""
    lines = template.comment.splitlines()
    entry = polib.POEntry(msgctxt=template.msgctxt, msgid=template.msgid, occurrences=template.occurrences)
    if old is not None:
        entry.tcomment = old.tcomment
        entry.flags = [f for f in old.flags if f != "fuzzy"]
    if old is not None and entry_state(old) != State.UNTRANSLATED:
        entry.msgstr = old.msgstr
        if old.fuzzy:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = old.previous_msgid if old.fuzzy and not old.obsolete else None
        lines += [line for line in old.comment.splitlines() if line.startswith((MACHINE, MEMORY))]
        lines += [line for line in old.comment.splitlines() if not line.startswith(OURS)]
    else:
        entry.msgstr = segment.translation if segment.state != State.UNTRANSLATED else ""
        if entry.msgstr and segment.state in (State.MACHINE, State.FUZZY):
            entry.flags.insert(0, "fuzzy")
        if entry.msgstr and segment.state == State.FUZZY:
            entry.previous_msgid = previous
        if segment.engine.startswith(MEMORY_ENGINE):
            lines.append(MEMORY + segment.engine[len(MEMORY_ENGINE):])
        elif entry.msgstr and segment.state == State.MACHINE:
            lines.append(MACHINE + (segment.engine or "unknown"))
        if old is not None:
            lines += [line for line in old.comment.splitlines() if not line.startswith(OURS)]
    entry.comment = "\n".join(lines)
    return entry


def _obsolete(old_po: polib.POFile, keys: set[Key]) -> list[polib.POEntry]:
    """Old entries no longer in the source that hold a translation, in their old order, marked obsolete."""
    gone = []
    for entry in old_po:
        key = (entry.msgctxt, entry.msgid)
        if key in keys or entry_state(entry) == State.UNTRANSLATED or not entry.msgid:
            continue
        keys = keys | {key}
        entry.obsolete, entry.occurrences, entry.previous_msgid = True, [], None
        gone.append(entry)
    return gone


# Rebuilding a Document from a catalog

def document_from_catalog(po_path: Path, do_not_translate: Sequence[str] = ()) -> Document:
    """A Document rebuilt from a PO file alone, for filling its untranslated entries.

    One Paragraph per reference number; each segment's protected spans come
    back from its ``keep:`` comments (reason "do-not-translate" for terms of the
    locales' do-not-translate list, else "spanish"); translations, states and
    engines from the entries. Saving it again obsoletes nothing.
    """
    po_path = Path(po_path)
    po = read_po(po_path)
    locales = po_path.parent.parent.parent
    source_name = po.metadata.get("X-Source")
    references = [ref for entry in po if not entry.obsolete for ref, _ in entry.occurrences]
    if source_name:
        source = Path(os.path.normpath(locales / source_name))
    else:
        source = locales / (references[0] if references else po_path.stem + ".txt")
    terms = set(do_not_translate)
    paragraphs: dict[int, list[Segment]] = {}
    previous: dict[Key, str] = {}
    number = 1
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        numbers = [int(n) for _, n in entry.occurrences if n.isdigit()] or [number]
        number = numbers[0]
        for where in dict.fromkeys(numbers):
            paragraphs.setdefault(where, []).append(_segment_from_entry(entry, terms))
        if entry.previous_msgid is not None:
            previous[(entry.msgctxt, entry.msgid)] = entry.previous_msgid
    doc = Document(name=po_path.stem, source=source, format=FORMATS.get(source.suffix.lower(), "text"),
                   meta={PREVIOUS_MSGIDS: previous})
    for where in sorted(paragraphs):
        segments = paragraphs[where]
        for segment in segments[:-1]:
            segment.trailing = " "
        doc.paragraphs.append(Paragraph(segments=segments, number=where))
    return doc


def _segment_from_entry(entry: polib.POEntry, terms: set[str]) -> Segment:
    """A Segment with spans rebuilt from the entry's keep:/glossary: comments."""
    lines = entry.comment.splitlines()
    kind = next((line[len(KIND):] for line in lines if line.startswith(KIND)), "sentence")
    protected: list[tuple[int, int, Span]] = []
    for line in lines:
        if line.startswith(KEEP):
            text = line[len(KEEP):]
            span = Span(text, protected=True, lang=SOURCE if text in terms else TARGET_LANG,
                        reason="do-not-translate" if text in terms else "spanish")
        elif line.startswith(REPLACED) and ARROW in line:
            reason, rest = line.split(": ", 1)
            text, replacement = rest.split(ARROW, 1)
            span = Span(text, protected=True, reason=reason, replacement=replacement)
        else:
            continue
        for found in re.finditer(re.escape(text), entry.msgid) if text else ():
            if not any(start < found.end() and found.start() < end for start, end, _ in protected):
                protected.append((found.start(), found.end(), Span(**vars(span))))
    protected.sort(key=lambda item: item[0])
    spans, at = [], 0
    for start, end, span in protected:
        if start > at:
            spans.append(Span(entry.msgid[at:start]))
        spans.append(span)
        at = end
    if spans and at < len(entry.msgid):
        spans.append(Span(entry.msgid[at:]))
    whole = len(protected) == 1 and protected[0][2].text == entry.msgid and protected[0][2].reason == "spanish"
    segment = Segment(text=entry.msgid, kind=kind, lang=TARGET_LANG if whole else SOURCE, spans=spans,
                      context=entry.msgctxt)
    state = entry_state(entry)
    if state != State.UNTRANSLATED:
        segment.translation, segment.state, segment.engine = entry.msgstr, state, _engine_of(entry)
    return segment


# Writing, in GNU gettext's layout

def po_text(po: polib.POFile, wrap: int = PO_WRAP_WIDTH) -> str:
    """The PO file as GNU gettext writes it: header, active entries, then obsolete ones.

    Strings are wrapped at `wrap` columns (0 or less: only at embedded newlines).
    """
    blocks = [_header_block(po, wrap)]
    blocks += [_entry_block(e, wrap) for e in po if not e.obsolete]
    blocks += [_entry_block(e, wrap) for e in po if e.obsolete]
    return "\n".join(blocks)


def _header_block(po: polib.POFile, wrap: int) -> str:
    lines = [f"# {line}" if line else "#" for line in po.header.split("\n")] if po.header else []
    if po.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    lines += _field("", "msgid", "", wrap)
    lines += _field("", "msgstr", "".join(f"{k}: {v}\n" for k, v in po.metadata.items()), wrap)
    return "\n".join(lines) + "\n"


def _entry_block(entry: polib.POEntry, wrap: int) -> str:
    lines = [f"# {line}" if line else "#" for line in entry.tcomment.split("\n")] if entry.tcomment else []
    lines += [f"#. {line}" if line else "#." for line in entry.comment.split("\n")] if entry.comment else []
    if entry.occurrences and not entry.obsolete:
        lines += _references([f"{path}:{line}" if line else path for path, line in entry.occurrences], wrap)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    if not entry.obsolete:
        if entry.previous_msgctxt is not None:
            lines += _field("#| ", "msgctxt", entry.previous_msgctxt, wrap)
        if entry.previous_msgid is not None:
            lines += _field("#| ", "msgid", entry.previous_msgid, wrap)
    if entry.msgctxt is not None:
        lines += _field(prefix, "msgctxt", entry.msgctxt, wrap)
    lines += _field(prefix, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        lines += _field(prefix, "msgid_plural", entry.msgid_plural, wrap)
        for index in sorted(entry.msgstr_plural):
            lines += _field(prefix, f"msgstr[{index}]", entry.msgstr_plural[index], wrap)
    else:
        lines += _field(prefix, "msgstr", entry.msgstr, wrap)
    return "\n".join(lines) + "\n"


def _references(refs: list[str], wrap: int) -> list[str]:
    lines, current = [], ""
    for ref in refs:
        if current and wrap > 0 and len(current) + 1 + len(ref) > wrap:
            lines.append(current)
            current = ""
        current = f"{current} {ref}" if current else f"#: {ref}"
    return lines + [current]


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
            "\f": "\\f", "\v": "\\v"}
_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _field(prefix: str, keyword: str, text: str, wrap: int) -> list[str]:
    """Lines for `keyword "text"` as gettext wraps them: one line if it fits, else `keyword ""` and chunks."""
    pieces = [p for p in re.split(r"(?<=\n)", text) if p] or [""]
    escaped = [_ESCAPE.sub(lambda found: _ESCAPES[found.group()], piece) for piece in pieces]
    head = f'{prefix}{keyword} "{escaped[0]}"'
    if len(escaped) == 1 and (wrap <= 0 or len(head) <= wrap):
        return [head]
    lines = [f'{prefix}{keyword} ""']
    room = wrap - len(prefix) - 2
    for piece in escaped:
        for chunk in _chunks(piece, room) if wrap > 0 else [piece]:
            lines.append(f'{prefix}"{chunk}"')
    return lines


_BREAK_AFTER = re.compile(r" +(?=[^ ,.;:!?)\]}/])|[-/](?=[^\W\d_])")  # Unicode line-break rules, simplified


def _chunks(text: str, room: int) -> list[str]:
    """Split an escaped string after spaces, hyphens or slashes so that each chunk fits in `room`."""
    breaks = [m.end() for m in _BREAK_AFTER.finditer(text)] + [len(text)]
    chunks, start = [], 0
    while start < len(text):
        last = bisect.bisect_right(breaks, start + room) - 1  # the furthest break that fits
        end = breaks[last] if last >= 0 and breaks[last] > start else breaks[bisect.bisect_right(breaks, start)]
        chunks.append(text[start:end])
        start = end
    return chunks
