"""Apertium English-to-Spanish (Debian ``apertium-eng-spa``, mode ``eng-spa``).

A whole batch goes through one ``apertium -f html -u eng-spa`` process. Each
segment travels as one numbered ``<p>`` block, so N segments in always come
back as N translations: text is HTML-escaped, so the only tags in the output
are ours. Protected spans ride inside ``<apertium-notrans>``, which the HTML
deformatter passes through untouched as a superblank.

The pair's own mode is run with two repairs spliced into its pipe (see
:func:`repaired_mode`), each fixing a fault where it is made:

- sentence case: the transfer rules capitalise the first *rule-matched* chunk
  after a sentence end (``firstWord`` macro, ``EOS`` variable). Unknown words
  and superblanks match no rule, so after "Danius" or a kept Spanish span the
  next chunk was capitalised mid-sentence ("Danius Dijo"). After interchunk,
  that chunk is lowercased when words already came before it.
- blanks: some transfer rules output lexical units without a ``<b/>`` between
  them ("ratonesde4meses", "nosgusta"), and blanks of dropped words (subject
  pronouns, the genitive 's) land before punctuation or double up
  ("Siria .", "Red  CEO"). After postchunk, a blank goes between glued words
  and stray blanks before closing punctuation or repeated ones are dropped.
"""
from __future__ import annotations

import codecs
import html
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .. import settings
from ..errors import EngineError
from ..model import Span
from .base import Engine

_BLOCK = re.compile(r'<p id="s(\d+)">(.*?)</p>', re.DOTALL)
_NOTRANS_TAG = re.compile(r"</?apertium-notrans>")

# The Apertium stream: superblanks [..] (also [[..]] and [{..}]), lexical units ^..$,
# chunks ^name<tags>{^..$ ^..$}$, escaped characters, and plain blank text.
_STREAM = re.compile(
    r"\[\[(?:\\.|[^\]\\])*\]\]"
    r"|\[(?:\\.|[^\]\\])*\]"
    r"|\^(?:\\.|[^{$\\])*\{(?:\\.|[^}\\])*\}\$"
    r"|\^(?:\\.|[^$\\])*\$"
    r"|\\."
    r"|[^\[\^\\]+"
    r"|[\[\^\\]",
    re.DOTALL,
)
_CLOSING_PUNCTUATION = set(".,;:!?)]}…%»")


class ApertiumEngine(Engine):
    """Rule-based translation through the ``apertium`` command."""

    name = "apertium"

    @classmethod
    def available(cls) -> bool:
        """True when the apertium executable runs and lists the eng-spa mode."""
        if shutil.which(settings.APERTIUM) is None:
            return False
        try:
            listed = subprocess.run([settings.APERTIUM, "-l"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return False
        return settings.APERTIUM_MODE in listed.stdout.split()

    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        """Translate every segment in one apertium process; protected spans pass through verbatim."""
        texts = ["".join(s.text for s in spans) for spans in segments]
        results = list(texts)  # whitespace-only segments stay as they are
        blocks = [f'<p id="s{i}">{encode(spans)}</p>\n'
                  for i, (spans, text) in enumerate(zip(segments, texts)) if text.strip()]
        if not blocks:
            return results
        found = {int(number): body for number, body in _BLOCK.findall(run_apertium("".join(blocks)))}
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            if index not in found:
                raise EngineError(f"apertium lost segment {index + 1} of {len(segments)} (output not aligned)")
            results[index] = follow_source_edges(text, decode(found[index]))
        return results


def encode(spans: Sequence[Span]) -> str:
    """The HTML apertium reads for one segment: text escaped, protected spans in <apertium-notrans>."""
    parts = []
    for span in spans:
        if span.protected:
            parts.append(f"<apertium-notrans>{html.escape(span.output, quote=False)}</apertium-notrans>")
        else:
            parts.append(html.escape(span.text, quote=False))
    return "".join(parts)


def decode(body: str) -> str:
    """Plain text from apertium's HTML output for one segment."""
    return html.unescape(_NOTRANS_TAG.sub("", body))


def follow_source_edges(source: str, translation: str) -> str:
    """The translation with the source's outer whitespace, and a lowercase start where the source has one.

    Apertium capitalises every sentence start; a segment that starts lowercase
    (e.g. the words after a kept span) must not come back capitalised.
    """
    lead = source[: len(source) - len(source.lstrip())]
    tail = source[len(source.rstrip()):]
    translation = translation.strip()
    first_source_word = re.match(r"\W*(\w+)", source)
    first_word = re.match(r"(\W*)(\w+)", translation)
    if (first_source_word and first_word and first_source_word.group(1)[0].islower()
            and first_word.group(2)[0].isupper() and first_word.group(2) not in source):
        start = first_word.start(2)
        translation = translation[:start] + translation[start].lower() + translation[start + 1:]
    return lead + translation + tail


# --- running apertium ------------------------------------------------------------------

def run_apertium(text: str) -> str:
    """Apertium's output for HTML input, from one process; EngineError with its stderr on failure."""
    with tempfile.TemporaryDirectory(prefix="pipeline-apertium-") as datadir:
        command = [settings.APERTIUM, "-f", "html", "-u", settings.APERTIUM_MODE]
        mode = system_mode_file()
        repair = Path(datadir, "repair")
        repaired = repaired_mode(mode.read_text(encoding="utf-8"), repair) if mode else None
        if repaired:
            # in null-flush mode apertium adds -z after each step's first word: the repairs get a script of their own
            repair.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m {__name__} \"$@\"\n")
            repair.chmod(0o755)
            modes = Path(datadir, "modes")
            modes.mkdir()
            (modes / f"{settings.APERTIUM_MODE}.mode").write_text(repaired, encoding="utf-8")
            command[1:1] = ["-d", datadir]
        # the plain HTML deformatter, not Transfuse (a Recommends that may be absent): same stream everywhere
        environment = dict(os.environ, APERTIUM_TRANSFUSE="no")
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, env=environment)
        except OSError as error:
            raise EngineError(f"cannot run {settings.APERTIUM}: {error.strerror}") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit status {done.returncode}"
        raise EngineError(f"apertium failed: {message}")
    return done.stdout.decode("utf-8", "replace")


def system_mode_file() -> Path | None:
    """The installed eng-spa mode file (the shell pipe apertium runs), if found."""
    candidates = [os.environ.get("APERTIUM_DATADIR", "")]
    executable = shutil.which(settings.APERTIUM)
    if executable:
        candidates.append(str(Path(executable).resolve().parent.parent / "share" / "apertium"))
    candidates += ["/usr/share/apertium", "/usr/local/share/apertium"]
    for datadir in filter(None, candidates):
        mode = Path(datadir, "modes", f"{settings.APERTIUM_MODE}.mode")
        if mode.is_file():
            return mode
    return None


def repaired_mode(mode: str, repair: Path) -> str | None:
    """The mode's pipe with the case repair after interchunk and the blank repair after postchunk.

    None when the pipe does not have the expected stages (then the mode runs unchanged).
    """
    steps = [step.strip() for step in mode.strip().split(" | ")]
    interchunk = [i for i, step in enumerate(steps) if step.startswith("apertium-interchunk ")]
    postchunk = [i for i, step in enumerate(steps) if step.startswith("apertium-postchunk ")]
    if len(interchunk) != 1 or len(postchunk) != 1 or interchunk[0] > postchunk[0]:
        return None
    steps.insert(postchunk[0] + 1, f"{shlex.quote(str(repair))} blanks")
    steps.insert(interchunk[0] + 1, f"{shlex.quote(str(repair))} case")
    return " | ".join(steps) + "\n"


# --- stream repairs (run inside the apertium pipe) --------------------------------------

def _lemma(unit: str) -> str:
    """The lemma of a lexical unit or chunk ``^lemma<tags>...$``."""
    return re.match(r"\^((?:\\.|[^<{$\\])*)", unit).group(1)


def _has_text(blank: str) -> bool:
    """True when a superblank carries text (a kept span, an entity), not just tags and spaces."""
    inner = re.sub(r"\\(.)", r"\1", blank.strip("[]{}"))
    return bool(re.sub(r"<[^>]*>|\s", "", inner))


class SentenceCase:
    """Lowercases a chunk capitalised as a sentence start when words already came before it.

    Reads interchunk output, where only the sentence-start chunk has a capitalised
    name; keeps its place in the sentence from one piece of the stream to the next.
    """

    def __init__(self):
        self.words_before = False

    def __call__(self, items: Sequence[str]) -> str:
        out = []
        for item in items:
            if item.startswith("^") and item.endswith("}$"):
                name = _lemma(item)
                body = item[item.index("{"):]
                if name == "punt":
                    if _lemma(body[1:]) not in (";", ":"):  # as the t1x rule that sets EOS
                        self.words_before = False
                elif "^" in body:
                    if name[:1].isupper() and self.words_before:
                        item = "^" + name[0].lower() + item[2:]
                    self.words_before = True
            elif item.startswith("[") and _has_text(item):
                self.words_before = True
            out.append(item)
        return "".join(out)


def repair_sentence_case(stream: str) -> str:
    """Interchunk output with mid-sentence capitals from the transfer's sentence-start rule undone."""
    return SentenceCase()(_STREAM.findall(stream))


def _is_word(unit: str) -> bool:
    return bool(re.search(r"\w", _lemma(unit)))


def _glued(left: str, right: str) -> bool:
    """True when two adjacent units are words a transfer rule forgot to separate."""
    if not (_is_word(left) and _is_word(right)) or right.startswith("^*") or left.startswith("^*"):
        return False
    if "<acr>" in right:
        return False
    if "<num>" in left:  # "4 meses", "70 km"; but "802.11g" came glued in the source
        return "<n>" in right
    return True


class Blanks:
    """Puts a blank between glued words, drops blanks before closing punctuation and repeated spaces.

    Reads postchunk output (lexical units only); blanks holding a newline are kept.
    Remembers the last item from one piece of the stream to the next.
    """

    def __init__(self):
        self.previous = ""

    def __call__(self, items: Sequence[str], lookahead: str = "") -> str:
        """The items repaired; `lookahead` is the item that follows them in the stream, if known."""
        out: list[str] = []
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else lookahead
            if item.startswith("^"):
                out.append(item)
                if following.startswith("^") and _glued(item, following):
                    out.append(" ")
            elif not item.startswith("[") and "\n" not in item:
                if (not item.strip(" ") and self.previous.startswith("^") and following.startswith("^")
                        and _lemma(following)[:1] in _CLOSING_PUNCTUATION):
                    item = ""  # "Siria ." -> "Siria."
                out.append(re.sub(" {2,}", " ", item))
            else:
                out.append(item)
            self.previous = item
        return "".join(out)


def repair_blanks(stream: str) -> str:
    """Postchunk output with a blank between glued words, none before closing punctuation, no repeated spaces."""
    return Blanks()(_STREAM.findall(stream))


def _pieces(chunks: Iterable[bytes]) -> Iterator[tuple[list[str], str]]:
    """The stream as (complete items, the item after them) as it arrives; the last lookahead is ""."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        items = _STREAM.findall(pending)
        opened = [i for i, item in enumerate(items) if item in ("[", "^", "\\")]  # not complete yet
        # the lookahead (items[keep]) must be complete too: it comes before anything open or last
        keep = max(0, min(opened[0] - 1 if opened else len(items), len(items) - 2))
        if keep:
            yield items[:keep], items[keep]
            pending = "".join(items[keep:])
    pending += decoder.decode(b"", final=True)
    if pending:
        yield _STREAM.findall(pending), ""


def main(argv: Sequence[str]) -> int:
    """Entry point of the repairs in the apertium pipe: ``python -m pipeline.engines.apertium [-z] case|blanks``.

    Streams: each complete piece is repaired and flushed at once, so the stages
    after it work while apertium is still reading.
    """
    names = [arg for arg in argv if arg != "-z"]
    if len(names) != 1 or names[0] not in ("case", "blanks"):
        print("usage: python -m pipeline.engines.apertium [-z] case|blanks", file=sys.stderr)
        return 2
    case, blanks = SentenceCase(), Blanks()
    chunks = iter(lambda: sys.stdin.buffer.read1(1 << 16), b"")
    for items, following in _pieces(chunks):
        repaired = case(items) if names[0] == "case" else blanks(items, following)
        sys.stdout.buffer.write(repaired.encode("utf-8", "surrogateescape"))
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
