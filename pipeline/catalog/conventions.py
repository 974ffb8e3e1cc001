"""What the pipeline's comments, flags and header mean in a PO file: read and written here only.

A PO entry carries the pipeline's knowledge in GNU gettext's own places, so that
any PO editor keeps it: extracted comments (``#.``), one per line, say what a
segment is and what it must keep; the ``fuzzy`` flag, the previous msgid
(``#| msgid``) and those comments together say where a translation came from.

- ``#. kind: KIND``: the segment kind, when it is not a sentence.
- ``#. attribute: NAME of <TAG>`` (``title of a link`` in Markdown): the segment is an attribute value (a link title,
  an image's alt text), put back into that attribute when rendering (pipeline/attributes.py).
- ``#. keep: TEXT``: a span the translation must contain verbatim (Spanish of the
  source, or a do-not-translate term).
- ``#. glossary: TEXT → SPANISH``, ``#. date: TEXT → SPANISH``: a span the engine
  was given as its Spanish.
- ``#. cut: KIND LIMIT ...``: the segment starts where a paragraph or sentence longer than a
  length limit was cut (``pipeline.segment.PARAGRAPH_LIMIT``, ``SENTENCE_LIMIT``); QA warns about it.
- ``#. imported from: FILE.tmx``: in a translation-memory file, the TMX file a pair came from.

Where a translation came from is a fact of the catalog, not of the source, so
it is written as a translator comment (``# ``), the one place every tool keeps:
``msgmerge`` replaces extracted comments with the template's and ``msgmerge``
and ``msgcat`` drop flags they do not know (``#, fuzzy, mt-apertium`` comes back
as ``#, fuzzy``; tested in tests/test_publishing.py), while translator comments
survive msgmerge, msgcat, Poedit, Lokalize and Weblate.

- ``# machine translation: ENGINE``: engine output; with ``fuzzy`` and no
  previous msgid it is unreviewed (MACHINE).
- ``# filled automatically: date``: a segment the pipeline filled by rule (a
  date wholly turned into Spanish); fuzzy like engine output, so it is not
  counted as reviewed until a reviewer approves it.
- ``# from translation memory: CATALOG``: a memory match (Segment.engine ``tm:CATALOG``).

Catalogs written before this convention carry ``#. machine translation:`` and
``#. from translation memory:`` extracted comments; they are read the same way
and moved to translator comments on the next save. Every other comment is a
translator's or another tool's and is kept as it is. The catalog, the memory,
QA, stats and the review app read entries through the functions below, so a
convention changes in one place.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator, Mapping

import polib

from ..config import PROJECT_ID
from ..model import DATE, GLOSSARY, SEGMENT_KINDS, TARGET_LANG, State

# Extracted-comment prefixes (one `#.` line each).
KEEP = "keep: "
CUT = "cut: "  # followed by pipeline.segment.CUT_NOTES[Segment.cut]: its first word is the Segment.cut
KIND = "kind: "
ATTRIBUTE = "attribute: "  # where an attribute value sits: "attribute: title of <a>"
MACHINE = "machine translation: "
MEMORY = "from translation memory: "
AUTOMATIC = "filled automatically: "  # "filled automatically: date": a rule, not an engine, wrote it
AUTOMATIC_ENGINE = "auto:"  # Segment.engine of an automatic entry: "auto:date"
REPLACED = (f"{GLOSSARY}: ", f"{DATE}: ")  # "REASON: TEXT → REPLACEMENT" for spans given to the engine as Spanish
ARROW = " → "
OURS = (KEEP, KIND, ATTRIBUTE, MACHINE, MEMORY, AUTOMATIC, CUT, *REPLACED)  # extracted comments rewritten from the source on every save
HISTORY = (MACHINE, MEMORY, AUTOMATIC)  # where a translation came from: translator comments, kept with it
IMPORTED = "imported from: "  # a translation-memory file's entries: the TMX file they came from

SENTENCE = SEGMENT_KINDS[0]  # the kind no `kind:` comment is written for
MEMORY_ENGINE = "tm:"  # Segment.engine of a translation-memory match: "tm:CATALOG_NAME" (set by pipeline.tm)
PREVIOUS_MSGIDS = "previous_msgids"  # Document.meta key: {(msgctxt, msgid): old msgid} for fuzzy matches

# The header. A template has gettext's placeholders where a catalog has its translator's values.
POT_PLACEHOLDERS = {"PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE", "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
                    "Language-Team": "LANGUAGE <LL@li.org>"}
PO_DEFAULTS = {"Last-Translator": "Automatically generated", "Language-Team": "none"}  # as msginit writes
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
CONTENT = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
HEADER_ORDER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding", "Plural-Forms", "X-Generator", "X-Source")


# Reading an entry's comments

def comment_values(entry: polib.POEntry, prefix: str) -> list[str]:
    """The values of the extracted comment lines starting with `prefix`, in order."""
    return [line[len(prefix):] for line in entry.comment.splitlines() if line.startswith(prefix)]


def comment_value(entry: polib.POEntry, prefix: str) -> str | None:
    """The value of the first extracted comment line starting with `prefix`, if any."""
    values = comment_values(entry, prefix)
    return values[0] if values else None


def kind_of(entry: polib.POEntry) -> str:
    """The segment kind of an entry (`kind:`), "sentence" when it has none."""
    kind = comment_value(entry, KIND)
    return SENTENCE if kind is None else kind


def cut_of(entry: polib.POEntry) -> str:
    """The Segment.cut of the entry ("paragraph", "sentence"), from its ``cut:`` comment, or ""."""
    value = comment_value(entry, CUT)
    return value.split(" ", 1)[0] if value else ""


def keep_texts(entry: polib.POEntry) -> list[str]:
    """The texts of the entry's ``keep:`` comments: spans that must appear verbatim."""
    return comment_values(entry, KEEP)


def protected_comments(entry: polib.POEntry) -> Iterator[tuple[str | None, str, str | None]]:
    """(reason, text, replacement) of each ``keep:`` and replaced-span comment, in comment order.

    A ``keep:`` line has reason and replacement None (the caller knows whether
    the text is Spanish or a do-not-translate term); a ``glossary:``/``date:``
    line without an arrow is someone else's comment and is skipped.
    """
    for line in entry.comment.splitlines():
        if line.startswith(KEEP):
            yield None, line[len(KEEP):], None
        elif line.startswith(REPLACED) and ARROW in line:
            reason, rest = line.split(": ", 1)
            text, replacement = rest.split(ARROW, 1)
            yield reason, text, replacement


def history_comments(entry: polib.POEntry) -> list[str]:
    """The lines that say where the entry's translation came from (engine, memory, rule), in order:
    its translator comments, then (a catalog written before they moved there) its extracted comments."""
    lines = [line for line in (entry.tcomment or "").splitlines() if line.startswith(HISTORY)]
    return lines + [line for line in entry.comment.splitlines() if line.startswith(HISTORY) and line not in lines]


def history_value(entry: polib.POEntry, prefix: str) -> str | None:
    """The value of the first history line (translator comment, else legacy extracted comment) with `prefix`."""
    for line in history_comments(entry):
        if line.startswith(prefix):
            return line[len(prefix):]
    return None


def translator_comments(entry: polib.POEntry) -> list[str]:
    """The entry's translator comment lines that are not the pipeline's history marks."""
    return [line for line in (entry.tcomment or "").splitlines() if not line.startswith(HISTORY)]


def history_lines(engine: str) -> list[str]:
    """The translator-comment lines that record a Segment.engine: tm:NAME, auto:RULE or an engine name."""
    if not engine:
        return []
    if engine.startswith(MEMORY_ENGINE):
        return [MEMORY + engine[len(MEMORY_ENGINE):]]
    if engine.startswith(AUTOMATIC_ENGINE):
        return [AUTOMATIC + engine[len(AUTOMATIC_ENGINE):]]
    return [MACHINE + engine]


def foreign_comments(entry: polib.POEntry) -> list[str]:
    """The entry's extracted comment lines that are not the pipeline's (a translator's, another tool's)."""
    return [line for line in entry.comment.splitlines() if not line.startswith(OURS)]


# Writing a template entry's comments

def kind_comments(kind: str) -> list[str]:
    """The `kind:` line for a segment kind (none for a sentence)."""
    return [KIND + kind] if kind != SENTENCE else []


def attribute_comments(places: list[str]) -> list[str]:
    """The ``attribute:`` lines of an attribute value's entry, one per distinct place (a segment
    rebuilt from a catalog holds all its entry's places, one a line)."""
    return [ATTRIBUTE + place for place in dict.fromkeys(p for joined in places for p in joined.split("\n")) if place]


def replaced_comment(reason: str, text: str, replacement: str) -> str:
    """The comment for a span given to the engine as its Spanish: "REASON: TEXT → REPLACEMENT"."""
    return f"{reason}: {text}{ARROW}{replacement}"


# What an entry's state is

def memory_pair(entry: polib.POEntry) -> tuple[str, str, str | None] | None:
    """(msgid, msgstr, msgctxt) of an entry the translation memory takes (``pipeline.tm``): translated,
    not fuzzy, not obsolete, not plural, not a copy of the English; else None."""
    if (entry.msgid and not entry.obsolete and not entry.msgid_plural
            and entry_state(entry) == State.REVIEWED and entry.msgstr != entry.msgid):
        return entry.msgid, entry.msgstr, entry.msgctxt
    return None


def entry_state(entry: polib.POEntry) -> State:
    """The review state an entry shows a reviewer.

    untranslated: empty msgstr; machine: ``fuzzy`` with a ``machine translation:``
    or ``filled automatically:`` mark and no previous msgid; fuzzy: any other
    ``fuzzy`` (an old or memory translation as a starting point); reviewed: a
    msgstr without ``fuzzy`` -- what gettext counts as translated.
    """
    if not (entry.msgstr or any(entry.msgstr_plural.values())):
        return State.UNTRANSLATED
    if entry.fuzzy:
        if entry.previous_msgid is None and (history_value(entry, MACHINE) is not None
                                             or history_value(entry, AUTOMATIC) is not None):
            return State.MACHINE
        return State.FUZZY
    return State.REVIEWED


def engine_of(entry: polib.POEntry) -> str:
    """Segment.engine for an entry: tm:NAME for a memory match, the engine (or auto:RULE) of
    unreviewed machine output, else ''."""
    memory = history_value(entry, MEMORY)
    if memory is not None:
        return MEMORY_ENGINE + memory
    if entry_state(entry) != State.MACHINE:
        return ""
    automatic = history_value(entry, AUTOMATIC)
    return AUTOMATIC_ENGINE + automatic if automatic is not None else (history_value(entry, MACHINE) or "")


def awaiting_review(state: State) -> bool:
    """True for the states a reviewer still has to look at (machine output, fuzzy matches)."""
    return state in (State.MACHINE, State.FUZZY)


# Changing an entry's state (the review app's actions; one place, like entry_state)

def mark_reviewed(entry: polib.POEntry) -> None:
    """Approve an entry: not fuzzy, no previous msgid, no machine or memory mark; entry_state says REVIEWED."""
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    entry.previous_msgid = entry.previous_msgctxt = None
    _drop_history(entry)


def _drop_history(entry: polib.POEntry) -> None:
    """Remove the machine/memory/automatic marks, translator comments and (legacy) extracted ones."""
    entry.comment = "\n".join(line for line in entry.comment.splitlines() if not line.startswith(HISTORY))
    entry.tcomment = "\n".join(translator_comments(entry))


def mark_edited(entry: polib.POEntry) -> None:
    """A human edit saved but not approved: fuzzy (awaiting review), no longer marked as machine output.

    A previous msgid stays, so the reviewer still sees what the source was.
    """
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    _drop_history(entry)


def mark_machine(entry: polib.POEntry, engine: str) -> None:
    """Engine output awaiting review (entry_state MACHINE), as the catalog save writes it."""
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    entry.previous_msgid = entry.previous_msgctxt = None
    _drop_history(entry)
    # as the catalog save writes it: the translator's own comments, then the mark
    entry.tcomment = "\n".join(translator_comments(entry) + history_lines(engine or "unknown"))


# The header

def header_date() -> str:
    """Now, as PO headers write dates (``2024-03-02 14:05+0100``)."""
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")


def header(created: str, source: str | None = None, *, template: bool = False,
           old: Mapping[str, str] | None = None) -> dict[str, str]:
    """The header fields of a template (`template`) or a Spanish catalog, created at `created`.

    A catalog's `old` header keeps what a translator or their tool set there, in
    its order; the pipeline sets only the creation date, language and encoding
    and adds what is missing. A new header is in GNU gettext's order. `source`
    becomes ``X-Source``, the source path relative to the locales folder.
    """
    fields = dict(old) if old is not None else {}
    fields["POT-Creation-Date"] = created
    fields["Language"] = "" if template else TARGET_LANG
    fields.update(CONTENT)
    defaults = {"Project-Id-Version": PROJECT_ID, "PO-Revision-Date": created, **PO_DEFAULTS, "MIME-Version": "1.0",
                "X-Generator": generator()}  # as Poedit and Lokalize name themselves; theirs is kept
    if template:
        defaults.update(POT_PLACEHOLDERS)
    else:  # a template has no language, so no plural forms
        defaults["Plural-Forms"] = PLURAL_FORMS
    for name, value in defaults.items():
        fields.setdefault(name, value)
    if source:
        fields["X-Source"] = source
    if old is None:
        fields = {name: fields[name] for name in sorted(fields, key=_header_rank)}
    return fields


def generator() -> str:
    """The X-Generator value: the distribution name and version ("bilingual-pipeline 0.1.0").

    ``pipeline.__version__`` is the distribution's version (pyproject.toml reads it from there), so
    importlib.metadata is not asked: importing it was 16 ms of every run that saves a catalog."""
    from .. import __version__

    return f"{PROJECT_ID} {__version__}"


def _header_rank(name: str) -> tuple[int, str]:
    return (HEADER_ORDER.index(name), "") if name in HEADER_ORDER else (len(HEADER_ORDER), name)


# QA findings as translator comments (``# qa: SEVERITY: CHECK: MESSAGE``): written by
# ``pipeline qa --write-comments``, and by the catalog for inline markup the engine moved
# (pipeline/inline.py's last resort), so a reviewer sees it in any PO editor.

QA = "qa: "
MARKUP_MOVED = "markup-moved"  # the QA check's name
MARKUP_MOVED_NOTE = ("the engine moved the inline markup; it was kept well-formed at the end of the sentence: "
                     "put it around the right words")


def qa_comment(severity: str, check: str, message: str) -> str:
    """One translator-comment line for a QA finding."""
    return f"{QA}{severity}: {check}: {message}"


MARKUP_MOVED_COMMENT = qa_comment("warning", MARKUP_MOVED, MARKUP_MOVED_NOTE)


def with_markup_moved(tcomment: str, moved: bool) -> str:
    """Translator comments with the markup-moved line added (`moved`) or removed (a new translation without it)."""
    lines = [line for line in tcomment.split("\n") if line and line != MARKUP_MOVED_COMMENT] if tcomment else []
    return "\n".join(lines + [MARKUP_MOVED_COMMENT] if moved else lines)


def markup_moved_flagged(entry: polib.POEntry) -> bool:
    """True while an unreviewed (fuzzy) entry carries the markup-moved comment the catalog wrote."""
    return entry.fuzzy and MARKUP_MOVED_COMMENT in (entry.tcomment or "").split("\n")
