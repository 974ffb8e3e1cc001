"""Text longer than the length limits is cut at a defined point, with a warning and a QA note (issue 13,
finding 9). Speed and memory are measured by benchmarks/robustness.py, not here.

The long inputs are built from the reference article's and FLORES' sentences, not written for the test.
"""
from __future__ import annotations

import re

import polib

from conftest import CORPUS, FLORES, extracted_catalog, msgfmt_check, run_cli
from pipeline import catalog
from pipeline.segment import PARAGRAPH_LIMIT, SENTENCE_LIMIT, segment_text, split_sentences

FLORES_SENTENCES = [line.strip() for line in (FLORES / "flores200.devtest.eng_Latn.txt").read_text(
    encoding="utf-8").splitlines() if line.strip()]


def _long_line(size: int) -> str:
    """FLORES sentences joined with spaces on one line, at least `size` characters."""
    text, index = "", 0
    while len(text) < size:
        text += (" " if text else "") + FLORES_SENTENCES[index % len(FLORES_SENTENCES)]
        index += 1
    return text


def _run_on(count: int) -> str:
    """One sentence with no stop inside: `count` FLORES sentences without their stops, quotes or digits."""
    plain = [s for s in FLORES_SENTENCES if not re.search(r"[\"“”()\d:;]", s)]
    return " ".join(re.sub(r"[.!?]", "", s) for s in plain[:count])


def _msgids(po_path):
    return [e.msgid for e in polib.pofile(str(po_path)) if e.msgid]


def test_a_paragraph_over_the_limit_is_cut_after_a_sentence_end_with_a_warning_naming_its_line(tmp_path):
    line = _long_line(3 * PARAGRAPH_LIMIT)
    source, po_path = extracted_catalog(tmp_path, "long.txt", f"A title\n\nA short paragraph.\n\n{line}\n")
    done = run_cli("extract", source, "--locales", tmp_path / "locales2", cwd=tmp_path)
    assert re.search(rf"pipeline: warning: {re.escape(str(source))}:5: paragraph longer than "
                     rf"{PARAGRAPH_LIMIT:,} characters: cut at the last sentence end or blank before the limit "
                     r"\(3 cuts\)", done.stderr), done.stderr
    po = polib.pofile(str(po_path))
    cut = [e for e in po if "cut: paragraph" in e.comment]
    assert len(cut) == 3 and all(e.occurrences == [("long.txt", "5")] for e in cut)  # the source line
    assert msgfmt_check(po_path).returncode == 0
    # nothing lost: the paragraph's segments, with the blanks between them, give the line back
    doc = segment_text(source.read_text(encoding="utf-8"), "long")
    paragraph = doc.paragraphs[2]
    assert paragraph.text == line
    starts = [i for i, s in enumerate(paragraph.segments) if s.cut]
    offset = 0
    for index, segment in enumerate(paragraph.segments):
        if index in starts:  # the cut: after a FLORES sentence's end, before the limit since the last cut
            assert line[:offset].rstrip()[-1] in ".!?\"”" and segment.text[0].isupper()
        offset += len(segment.text) + len(segment.trailing)
    pieces = [sum(len(s.text) + len(s.trailing) for s in paragraph.segments[a:b])
              for a, b in zip([0] + starts, starts + [len(paragraph.segments)])]
    assert all(piece <= PARAGRAPH_LIMIT for piece in pieces[:-1])
    # the cuts fell between FLORES sentences: each piece starts with one
    assert all(any(f.startswith(paragraph.segments[i].text[:40]) for f in FLORES_SENTENCES) for i in starts)


def test_a_sentence_over_the_limit_is_cut_at_its_last_blank_and_no_word_is_lost(tmp_path):
    words = _run_on(40)
    words = words[: words.rfind(" ", 0, PARAGRAPH_LIMIT - 100)]  # a paragraph under its own limit
    assert len(words) > 2 * SENTENCE_LIMIT
    source, po_path = extracted_catalog(tmp_path, "run-on.txt", f"A title\n\n{words}.\n")
    msgids = _msgids(po_path)[1:]
    assert " ".join(msgids) == words + "." and len(msgids) >= 3
    for msgid, following in zip(msgids, msgids[1:]):  # each cut at the last blank before the limit
        assert len(msgid) <= SENTENCE_LIMIT < len(msgid) + 1 + len(following.split(" ")[0])
    po = polib.pofile(str(po_path))
    assert [bool(e.comment.startswith("cut: sentence")) for e in po if e.msgid][1:] == [False] + [True] * (
        len(msgids) - 1)
    done = run_cli("extract", source, "--locales", tmp_path / "again", cwd=tmp_path)
    assert f"{source}:3: sentence longer than {SENTENCE_LIMIT:,} characters" in done.stderr


def test_text_with_no_blank_is_cut_at_the_limit():
    text = "x" * (2 * SENTENCE_LIMIT + 10)
    pieces = split_sentences(text)
    assert [len(s) for s, _ in pieces] == [SENTENCE_LIMIT, SENTENCE_LIMIT, 10]
    assert "".join(s + t for s, t in pieces) == text


def test_a_long_markdown_paragraph_is_cut_too_with_its_warning(tmp_path):
    line = _long_line(PARAGRAPH_LIMIT + 500)
    source, po_path = extracted_catalog(tmp_path, "long.md", f"# A title\n\n*Emphasis* here. {line}\n")
    po = polib.pofile(str(po_path))
    assert sum("cut: paragraph" in e.comment for e in po) == 1
    done = run_cli("extract", source, "--locales", tmp_path / "again", cwd=tmp_path)
    assert f"{source}:3: paragraph longer than {PARAGRAPH_LIMIT:,} characters" in done.stderr


def test_qa_warns_about_a_translated_segment_that_starts_at_a_cut(tmp_path):
    words = _run_on(20)
    source = tmp_path / "run-on.txt"
    source.write_text(f"A title\n\n{words}.\n", encoding="utf-8")
    done = run_cli("run", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist", "--engine",
                   "apertium", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    qa = run_cli("qa", "--locales", tmp_path / "locales", cwd=tmp_path)
    assert re.search(r"run-on\.po:\d+: warning: cut: starts where the source was cut: sentence longer than", qa.stdout
                     + qa.stderr), qa.stdout + qa.stderr
    # a re-run keeps the comment and changes nothing
    po_path = catalog.po_path(tmp_path / "locales", "run-on")
    before = po_path.read_bytes()
    again = run_cli("run", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist", "--engine",
                    "apertium", "-q", cwd=tmp_path)
    assert again.returncode == 0 and po_path.read_bytes() == before


def test_ordinary_paragraphs_are_never_cut():
    """The reference article and a FLORES paragraph just under the limit: no cut, no cut comment."""
    doc = segment_text(CORPUS.read_text(encoding="utf-8"), "peru")
    assert not any(s.cut for s in doc.segments())
    under = _long_line(PARAGRAPH_LIMIT - 400)[: PARAGRAPH_LIMIT - 400]
    under = under[: under.rfind(". ") + 1]
    pieces = [s for s, _ in split_sentences(under) if s]
    assert "".join(pieces).replace(" ", "") == under.replace(" ", "")
    assert not any(s.cut for s in segment_text(f"Title\n\n{under}\n", "x").segments())
