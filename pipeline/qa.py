"""Quality checks on translated PO entries: the useful core of Translate Toolkit's pofilter, plus ours.

Each check looks at one entry (English msgid, Spanish msgstr, its ``keep:``
comments) and returns findings. Errors are what breaks the text — a kept
Spanish span lost, a number changed, markup or a placeholder broken;
warnings are what a reviewer should look at.

Checks: ``keep``, ``numbers``, ``placeholders``, ``markup`` (errors);
``markup-moved`` (inline markup the engine moved, or in another order than the source),
``untranslated``, ``end-punctuation``, ``inverted-marks`` (¿? ¡! pairing),
``brackets``, ``quotes``, ``doubled-words``, ``doubled-spaces``,
``space-before-punctuation``, ``length``, ``glossary`` (warnings); and the rest of
pofilter's default tests that mean something in Spanish: ``quote-pairs``
(single, double, “” and «» opened and closed alike, balanced as in the source),
``guillemet-spacing`` (no space inside «»), ``sentence-start-case`` (lowercase
sentence starts where the source has capitals), ``sentence-count``,
``start-punctuation``, ``whitespace``, ``pure-punctuation``,
``space-after-punctuation`` (warnings) and ``emails`` (an error). pofilter's
doublequoting/startpunc/endpunc findings on “”→«» and ``.”``→``».`` are Spanish
style, not faults, so these checks compare quotes by kind; acronyms ("U.S." →
"EE.UU.") and simpleplurals are left out for the same reason.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable, Sequence

import polib

from . import gettext_checks, glossary as glossary_module
from .catalog import conventions
from .catalog import keep_texts, kind_of, locales_of, po_text, read_po, read_po_snapshot
from .characters import CHARACTER_CHECKS
from .files import write_atomic
from .model import ERROR, WARNING

QA_PREFIX = conventions.QA  # translator comments written by --write-comments

LENGTH_RATIO = (0.5, 2.2)  # Spanish runs about 1.2 × the English; outside this is suspicious
LENGTH_MIN_CHARS = 20  # shorter sources vary too much for a ratio to mean anything
NAME_KINDS = {"dateline", "byline"}  # mostly names and places: the same text in Spanish is fine


@dataclass(frozen=True)
class Finding:
    """One problem found in one PO entry."""

    check: str
    severity: str  # "error" or "warning"
    message: str
    line: int  # line of the entry in the PO file (polib's linenum)
    msgid: str
    path: str = ""  # the PO file, when checked through check_catalog

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.check}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


def check_entry(entry: polib.POEntry, glossary: Sequence[glossary_module.Term] = ()) -> list[Finding]:
    """Findings for one entry; an untranslated, obsolete or header entry has none."""
    if not entry.msgid or entry.obsolete or not entry.msgstr:
        return []
    kept = keep_texts(entry)
    source, translation = entry.msgid, entry.msgstr
    if kept == [source] and translation == source:
        return []  # an entirely-Spanish segment, kept as written
    kind = kind_of(entry)
    found = []
    for name, severity, check in CHECKS:
        if name == "untranslated" and kind in NAME_KINDS:
            continue
        for message in check(source, translation, kept, glossary):
            found.append(Finding(name, severity, message, entry.linenum, source))
    for name, severity, entry_check in ENTRY_CHECKS:
        found += [Finding(name, severity, message, entry.linenum, source) for message in entry_check(entry)]
    return found


def check_catalog(po_path: Path, glossary: Sequence[glossary_module.Term] | None = None) -> list[Finding]:
    """Findings for every entry of a PO file, in file order.

    `glossary` defaults to the glossary.csv of the locales folder holding the
    catalog (LOCALES/es/LC_MESSAGES/NAME.po). Raises InputError for a bad PO file.
    """
    po_path = Path(po_path)
    po = read_po(po_path)
    if glossary is None:
        glossary = glossary_module.load(locales_of(po_path.resolve()))
    found = [replace_path(f, str(po_path)) for entry in po for f in check_entry(entry, glossary)]
    return found + gettext_findings(po, str(po_path))


def gettext_findings(po: polib.POFile, path: str) -> list[Finding]:
    """What ``msgfmt -c`` would reject (``pipeline.gettext_checks``) and characters a reviewer cannot see
    (``pipeline.characters``), as findings."""
    found = [Finding(name, severity, message, gettext_checks.header_line(po), "", path)
             for name, severity, check in gettext_checks.CATALOG_CHECKS if not po_path_is_template(path)
             for message in check(po)]
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        found += [Finding(name, severity, message, entry.linenum, entry.msgid, path)
                  for name, severity, check in gettext_checks.ENTRY_CHECKS for message in check(entry)]
        if entry.msgstr:
            found += [Finding(name, severity, message, entry.linenum, entry.msgid, path)
                      for name, severity, check in CHARACTER_CHECKS for message in check(entry.msgid, entry.msgstr)]
    return found


def po_path_is_template(path: str) -> bool:
    return path.endswith(".pot")


def write_comments(po_path: Path, findings: Iterable[Finding], wrap: int) -> bool:
    """Replace the ``# qa:`` translator comments of a PO file with these findings; True if it changed.

    Findings are matched to entries by line and msgid, so they must come from the
    file as it is now (check_catalog just before). Other comments and everything
    else stay as they are; the file is written atomically, `wrap` columns wide
    (the project's ``wrap`` setting).
    """
    po_path = Path(po_path)
    po, snapshot = read_po_snapshot(po_path)  # replaced only if no one saved it since (FileChanged)
    by_entry: dict[tuple[int, str], list[Finding]] = {}
    for finding in findings:
        by_entry.setdefault((finding.line, finding.msgid), []).append(finding)
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        lines = [line for line in entry.tcomment.split("\n") if not line.startswith(QA_PREFIX)] \
            if entry.tcomment else []
        lines += [f"{QA_PREFIX}{f.severity}: {f.check}: {f.message}"
                  for f in by_entry.get((entry.linenum, entry.msgid), ())]
        entry.tcomment = "\n".join(lines)
    return write_atomic(po_path, po_text(po, wrap), expected=snapshot)


def replace_path(finding: Finding, path: str) -> Finding:
    return Finding(finding.check, finding.severity, finding.message, finding.line, finding.msgid, path)


def _without(text: str, kept: Sequence[str]) -> str:
    """The text with kept spans cut out (they are the writer's, not the translation's)."""
    for span in sorted(kept, key=len, reverse=True):
        text = text.replace(span, "\ufffc")  # a neutral mark: not a word, space or punctuation
    return text


# The checks: each takes (source, translation, kept spans, glossary) and yields messages.

def check_keep(source, translation, kept, glossary):
    """Every kept Spanish span appears verbatim, as often as in the source."""
    for span, count in Counter(kept).items():
        wanted = max(count, source.count(span))
        if translation.count(span) < wanted:
            yield f"kept text {span!r} is missing or altered"


_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f\u2009]\d+)*")


def number_values(token: str) -> frozenset[Decimal | str]:
    """The values a number may stand for in English or Spanish formatting (1,000 / 1.000 / 1 000; 2.5 / 2,5)."""
    values: set[Decimal | str] = set()
    plain = re.sub(r"[\u00a0\u202f\u2009]", "", token)
    for thousands, decimal in ((",", "."), (".", ",")):
        parts = plain.split(decimal)
        if len(parts) > 2:
            continue
        groups = parts[0].split(thousands)
        if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            continue
        text = "".join(groups) + ("." + parts[1] if len(parts) == 2 else "")
        try:
            values.add(Decimal(text).normalize())
        except InvalidOperation:
            continue
    return frozenset(values) or frozenset({token})


def check_numbers(source, translation, kept, glossary):
    """The same numbers in source and translation, allowing either language's formatting."""
    wanted = [(t, number_values(t)) for t in _NUMBER.findall(source)]
    offered = [(t, number_values(t)) for t in _NUMBER.findall(translation)]
    missing = []
    for token, values in wanted:
        match = next((i for i, (_, v) in enumerate(offered) if v & values), None)
        if match is None:
            missing.append(token)
        else:
            offered.pop(match)
    yield from _differences("number", missing, [t for t, _ in offered])


_PLACEHOLDER = re.compile(r"(?<![\w%])%(?:\(\w+\)|\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdifr](?![A-Za-z])"
                          r"|\{\w*(?:[.:!][^{}\s]*)?\}")


def check_placeholders(source, translation, kept, glossary):
    """printf-style (%s, %(name)s) and brace ({name}, {0}) placeholders kept, as often."""
    yield from _differences("placeholder", _PLACEHOLDER.findall(source), _PLACEHOLDER.findall(translation))


_TAG = re.compile(r"</?([A-Za-z][\w-]*)(?:\s[^<>]*)?/?>")
_URL = re.compile(r"https?://[^\s<>()\"'«»]+[^\s<>()\"'«».,;:!?]")
_MD_LINK_TARGET = re.compile(r"\]\(([^()\s]+)(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"`[^`]+`")
_EMPHASIS = re.compile(r"\*\*|__|~~")


def check_markup(source, translation, kept, glossary):
    """HTML tags, Markdown link targets, inline code, URLs and ** markers kept."""
    def tags(text: str) -> list[str]:
        return [("</" if m.group(0).startswith("</") else "<") + m.group(1).lower() + ">" for m in _TAG.finditer(text)]

    yield from _differences("tag", tags(source), tags(translation))
    for kind, pattern in (("link", _MD_LINK_TARGET), ("URL", _URL), ("code", _CODE)):
        for item in dict.fromkeys(pattern.findall(source)):
            if item not in translation:
                yield f"{kind} {item} missing from the translation"
    if len(_EMPHASIS.findall(source)) != len(_EMPHASIS.findall(translation)):
        yield "emphasis markers (** __ ~~) differ from the source"


def _differences(kind: str, wanted: list[str], offered: list[str]) -> Iterable[str]:
    """One message for what is missing from the translation and what it adds."""
    missing, extra = Counter(wanted) - Counter(offered), Counter(offered) - Counter(wanted)
    parts = [f"{kind} {', '.join(missing.elements())} missing from the translation"] if missing else []
    parts += [f"{kind} {', '.join(extra.elements())} not in the source"] if extra else []
    if parts:
        yield "; ".join(parts)


_LETTER = re.compile(r"[^\W\d_]")


def check_untranslated(source, translation, kept, glossary):
    """A translation identical to the English source, when there is English to translate."""
    english = _without(source, kept)
    if translation.strip() == source.strip() and len(_LETTER.findall(english)) > 1:
        yield "translation is the same as the English source"


_CLOSERS = "\"'”’»)]}*_ "
_END_MARKS = {"...": "…", "…": "…", ".": ".", "?": "?", "!": "!", ":": ":", ";": ";"}


def _end_mark(text: str) -> str:
    body = text.rstrip(_CLOSERS)
    for mark in _END_MARKS:
        if body.endswith(mark):
            return _END_MARKS[mark]
    return ""


def check_end_punctuation(source, translation, kept, glossary):
    """The translation ends with the same mark as the source (. ? ! : ; …), quotes aside."""
    wanted, found = _end_mark(source), _end_mark(translation)
    if wanted == found:
        return
    if not wanted:
        yield f"translation ends with {found!r}, the source has no end punctuation"
    elif not found:
        yield f"source ends with {wanted!r}, the translation does not"
    else:
        yield f"source ends with {wanted!r}, the translation with {found!r}"


def check_inverted_marks(source, translation, kept, glossary):
    """Spanish questions and exclamations open with ¿ and ¡ and close with ? and !."""
    text = _without(translation, kept)
    for opening, closing, name in (("¿", "?", "question"), ("¡", "!", "exclamation")):
        depth, unopened = 0, 0
        for char in text:
            if char == opening:
                depth += 1
            elif char == closing:
                if depth:
                    depth -= 1
                else:
                    unopened += 1
        if unopened:
            yield f"{name} mark {closing!r} without an opening {opening!r}"
        if depth:
            yield f"{opening!r} opened but no closing {closing!r}"


_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))
_DOUBLE_QUOTES = "\"“”«»„"


def check_brackets(source, translation, kept, glossary):
    """Brackets opened and closed as in the source (a sentence may close one opened earlier)."""
    for opening, closing in _BRACKETS:
        balance = lambda text: text.count(opening) - text.count(closing)
        if balance(source) != balance(translation):
            yield f"brackets {opening}{closing} unbalanced: {translation.count(opening)} {opening!r} " \
                  f"and {translation.count(closing)} {closing!r} (source: {source.count(opening)} and " \
                  f"{source.count(closing)})"


def check_quotes(source, translation, kept, glossary):
    """As many double quotation marks as in the source (any style: \" “ ” « »)."""
    count = lambda text: sum(text.count(q) for q in _DOUBLE_QUOTES)
    if count(source) != count(translation):
        yield f"{count(translation)} quotation marks where the source has {count(source)}"


_DOUBLED_WORD = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)


def check_doubled_words(source, translation, kept, glossary):
    """The same word twice in a row, where the source does not do it."""
    in_source = {m.group(1).lower() for m in _DOUBLED_WORD.finditer(source)}
    for match in _DOUBLED_WORD.finditer(_without(translation, kept)):
        if match.group(1).lower() not in in_source:
            yield f"doubled word {match.group(0)!r}"


def check_doubled_spaces(source, translation, kept, glossary):
    """Two spaces in a row, where the source has none."""
    if "  " in translation.strip() and "  " not in source:
        yield "doubled space"


_SPACE_BEFORE = re.compile(r"\S( +)([,.;:?!)\]»”])")


def check_space_before_punctuation(source, translation, kept, glossary):
    """A space before , . ; : ? ! or a closing bracket/quote, where the source has none (an Apertium slip)."""
    found = {m.group(0)[1:].strip() for m in _SPACE_BEFORE.finditer(_without(translation, kept))}
    found -= {m.group(0)[1:].strip() for m in _SPACE_BEFORE.finditer(source)}
    if found:
        yield f"space before {' '.join(sorted(found))}"


def check_length(source, translation, kept, glossary):
    """A translation much shorter or longer than the English usually lost or repeated something."""
    if len(source) < LENGTH_MIN_CHARS:
        return
    ratio = len(translation) / len(source)
    if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
        yield f"translation is {ratio:.1f} × the length of the source"


def check_glossary(source, translation, kept, glossary):
    """Where the source has a glossary term, the translation uses its Spanish term."""
    english = _without(source, kept)
    for occurrence in glossary_module.find(english, glossary):
        term = occurrence.term
        if not glossary_module.contains_spanish(translation, term):
            yield f"{english[occurrence.start:occurrence.end]!r} should be translated {term.spanish!r}"


# --- pofilter's remaining default tests, as they apply to Spanish -------------------------------
# Spanish news style writes «» where English writes “” and puts the full stop after the closing
# quote (RAE: «lawfare». for “lawfare.”): pofilter's doublequoting/startpunc/endpunc report every
# such conversion, so the checks below compare quotes by kind and never count a style change.

_OPENERS = {"“": "”", "‘": "’", "«": "»", "‹": "›"}
_CLOSERS_OF = {closer: opener for opener, closer in _OPENERS.items()}
_DOUBLE_KIND = {"“": "double", "”": "double", "«": "double", "»": "double", '"': "double"}


def _quote_balance(text: str) -> tuple[int, int]:
    """(double, single) quotes opened minus closed; straight apostrophes inside words are not quotes."""
    double = sum(text.count(q) for q in "“«") - sum(text.count(q) for q in "”»")
    single = text.count("‘") - len(re.findall(r"’(?![^\W\d_])|(?<![^\W\d_])’", text))
    return double, single


def check_quote_pairs(source, translation, kept, glossary):
    """Quotes that open and close with the same kind of mark (‘…’, “…”, «…»), balanced as in the source.

    ‘El Tomando de Lima' closes a curly quote with a straight one: a fault in any language. A
    sentence may close a quote opened in the previous one, so balance is compared with the source.
    """
    text = _without(translation, kept)
    stack: list[str] = []
    for index, char in enumerate(text):
        if char in _OPENERS:
            stack.append(char)
        elif char in _CLOSERS_OF:
            if stack and stack[-1] == _CLOSERS_OF[char]:
                stack.pop()
            elif stack and char != "’":
                yield f"{stack[-1]!r} closed with {char!r}"
                stack.pop()
        elif char == "'" and stack and stack[-1] == "‘":
            after = text[index + 1:index + 2]
            if not after or not after.isalpha():  # not an apostrophe inside a word
                yield "'‘' closed with a straight quote \"'\""
                stack.pop()
    wanted, found = _quote_balance(_without(source, kept)), _quote_balance(text)
    if wanted[0] != found[0]:
        yield f"double quotes unbalanced: {found[0]:+d} open where the source has {wanted[0]:+d}"
    if wanted[1] != found[1] and "'" not in text:
        yield f"single quotes unbalanced: {found[1]:+d} open where the source has {wanted[1]:+d}"


_GUILLEMET_SPACE = re.compile(r"«[ \t\u00a0]+|[ \t\u00a0]+»")


def check_guillemet_spacing(source, translation, kept, glossary):
    """No space inside «…» in Spanish («hay oro», not « hay oro »), as pofilter's puncspacing finds."""
    for match in _GUILLEMET_SPACE.finditer(_without(translation, kept)):
        yield f"space inside «»: {match.group()!r}"
        return


_SENTENCE_END = re.compile(r"[.!?…]+[”’»\"')\]]*\s+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:[A-Z][a-z]{0,3}|[a-z]{1,3}|EE\.UU|U\.S|U\.K|etc|St|Mr|Mrs|Ms|Dr|Sr|Sra|"
                           r"Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|No|núm|pág|p)\.)$")
_OPENING = "¿¡«“‘\"'([—–- "


def sentence_starts(text: str) -> list[str]:
    """The first letter-or-digit of each sentence of `text` (abbreviations such as "Jan." and "EE.UU."
    do not end one; a sentence ends at . ! ? … with closing quotes, then a space)."""
    starts, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[:match.start() + 1]
        if text[match.start()] == "." and _ABBREVIATION.search(before.rstrip()[-8:]):
            continue
        starts.append(text[begin:match.start()])
        begin = match.end()
    starts.append(text[begin:])
    firsts = []
    for sentence in starts:
        found = re.search(r"[^\W_]", sentence)
        if found:
            firsts.append(found.group())
    return firsts


def check_sentence_start_case(source, translation, kept, glossary):
    """A translated sentence starts with a lowercase letter where the source's sentences start with
    capitals (pofilter's startcaps and simplecaps: "el movimiento prevalece…?" for "Will the movement…")."""
    wanted = [c for c in sentence_starts(_without(source, kept)) if c.isalpha()]
    found = [c for c in sentence_starts(_without(translation, kept)) if c.isalpha()]
    lower_source = sum(c.islower() for c in wanted)
    lower = sum(c.islower() for c in found)
    if lower > lower_source:
        yield f"{lower} sentence(s) start with a lowercase letter (source: {lower_source})"


def check_sentence_count(source, translation, kept, glossary):
    """As many sentences as the source, abbreviations aside (pofilter's sentencecount)."""
    wanted, found = len(sentence_starts(source)), len(sentence_starts(translation))
    if wanted != found:
        yield f"{found} sentences where the source has {wanted}"


def _first_mark(text: str) -> str:
    """The punctuation a text starts with, quotes of any style read as one kind, ¿¡ aside."""
    body = text.lstrip()
    found = re.match(r"[^\w\s]*", body)
    lead = found.group() if found else ""
    lead = "".join(_DOUBLE_KIND.get(c, c) if c in _DOUBLE_KIND else c for c in lead if c not in "¿¡")
    return lead.replace("double", '"')


def check_start_punctuation(source, translation, kept, glossary):
    """The translation starts with the same punctuation as the source (quotes of any style alike;
    Spanish ¿ and ¡ are additions, not differences)."""
    wanted, found = _first_mark(source), _first_mark(translation)
    if wanted != found:
        yield f"source starts with {wanted or 'no punctuation'!r}, the translation with {found or 'none'!r}"


def check_whitespace(source, translation, kept, glossary):
    """Leading and trailing whitespace kept (pofilter's startwhitespace, endwhitespace)."""
    for name, pattern in (("leading", r"^\s*"), ("trailing", r"\s*$")):
        if re.search(pattern, source).group() != re.search(pattern, translation).group():
            yield f"{name} whitespace differs from the source"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def check_emails(source, translation, kept, glossary):
    """E-mail addresses kept verbatim (pofilter's emails)."""
    for address in dict.fromkeys(_EMAIL.findall(source)):
        if address not in translation:
            yield f"e-mail address {address} missing from the translation"


def check_pure_punctuation(source, translation, kept, glossary):
    """A source of punctuation only ("—", "* * *") stays as it is (pofilter's purepunc)."""
    if source.strip() and not re.search(r"[^\W_]", source) and translation.strip() != source.strip():
        yield "the source is punctuation only; the translation changes it"


_NO_SPACE_AFTER = re.compile(r"[^\W\d_][,;:](?=[^\W\d_])")


def check_space_after_punctuation(source, translation, kept, glossary):
    """A space after , ; : between words where the source has one (pofilter's puncspacing)."""
    found = {m.group()[1] for m in _NO_SPACE_AFTER.finditer(_without(translation, kept))}
    found -= {m.group()[1] for m in _NO_SPACE_AFTER.finditer(source)}
    if found:
        yield f"no space after {' '.join(sorted(found))}"
def _inline_codes(text: str) -> list[str]:
    """The paired inline codes of a msgid or msgstr (emphasis marks, link brackets, tags), in order."""
    from .inline import nesting
    from .readers.markdown import inline_spans

    return [s.text if not s.text.startswith("]") else "]" for s in inline_spans(text)
            if s.protected and nesting(s.text)]


def check_markup_moved(entry: polib.POEntry) -> Iterable[str]:
    """Inline markup the engine moved: flagged by the translate stage while the entry is unreviewed
    (the markup was kept well-formed at the end of the sentence), or the same codes in another order."""
    if conventions.markup_moved_flagged(entry):
        yield conventions.MARKUP_MOVED_NOTE
        return
    source, translation = _inline_codes(entry.msgid), _inline_codes(entry.msgstr)
    if source != translation and Counter(source) == Counter(translation):
        yield f"inline markup in another order than the source: {' '.join(translation)} (source: {' '.join(source)})"


Check = Callable[[str, str, list, Sequence], Iterable[str]]
CHECKS: list[tuple[str, str, Check]] = [
    ("keep", ERROR, check_keep),
    ("numbers", ERROR, check_numbers),
    ("placeholders", ERROR, check_placeholders),
    ("markup", ERROR, check_markup),
    ("untranslated", WARNING, check_untranslated),
    ("end-punctuation", WARNING, check_end_punctuation),
    ("inverted-marks", WARNING, check_inverted_marks),
    ("brackets", WARNING, check_brackets),
    ("quotes", WARNING, check_quotes),
    ("doubled-words", WARNING, check_doubled_words),
    ("doubled-spaces", WARNING, check_doubled_spaces),
    ("space-before-punctuation", WARNING, check_space_before_punctuation),
    ("length", WARNING, check_length),
    ("glossary", WARNING, check_glossary),
    ("quote-pairs", WARNING, check_quote_pairs),
    ("guillemet-spacing", WARNING, check_guillemet_spacing),
    ("sentence-start-case", WARNING, check_sentence_start_case),
    ("sentence-count", WARNING, check_sentence_count),
    ("start-punctuation", WARNING, check_start_punctuation),
    ("whitespace", WARNING, check_whitespace),
    ("emails", ERROR, check_emails),
    ("pure-punctuation", WARNING, check_pure_punctuation),
    ("space-after-punctuation", WARNING, check_space_after_punctuation),
]
# Checks that need the whole entry (its comments and flags), not only its texts.
ENTRY_CHECKS: list[tuple[str, str, Callable[[polib.POEntry], Iterable[str]]]] = [
    (conventions.MARKUP_MOVED, WARNING, check_markup_moved),
]
