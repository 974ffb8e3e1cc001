"""News-style English dates come out as Spanish dates, whatever the engine would do with them."""
from __future__ import annotations

import re

import polib
import pytest

from conftest import EXAMPLE, msgfmt_check, run_cli
from pipeline import catalog
from pipeline.dates import apply, find
from pipeline.model import Document, Paragraph, Segment, Span


@pytest.mark.parametrize("text,expected", [
    ("February 1, 2023", [("February 1, 2023", "1 de febrero de 2023")]),
    ("Jan. 30, 2023 — Right-wing forces", [("Jan. 30, 2023", "30 de enero de 2023")]),
    ("carry out a coup Dec. 7 against", [("Dec. 7", "el 7 de diciembre")]),
    ("On Jan. 19 many thousands marched", [("On Jan. 19", "El 19 de enero")]),
    ("began on Sept. 4th, 2020, with", [("on Sept. 4th, 2020", "el 4 de septiembre de 2020")]),
    ("appointed in July 2021 but", [("July 2021", "julio de 2021")]),
    ("Times Square, N.Y., Jan. 14, 2023.", [("Jan. 14, 2023", "14 de enero de 2023")]),
    ("the March 2 protest", [("March 2", "2 de marzo")]),
    ("They may 5 times march; 11 million people; Dr. May spoke.", []),
])
def test_dates_found_and_written_in_spanish(text, expected):
    assert [(text[start:end], spanish) for start, end, spanish in find(text)] == expected


def test_dates_inside_kept_spanish_are_left_alone():
    seg = Segment("Marchers chanted “Enero 30” on Jan. 30.", spans=[
        Span("Marchers chanted “"), Span("Enero 30", True, "es", "spanish"), Span("” on Jan. 30.")])
    apply(Document("d", [Paragraph([seg], 1)]))
    assert [s.text for s in seg.spans if s.protected] == ["Enero 30", "on Jan. 30"]
    assert "".join(s.text for s in seg.spans) == seg.text


def test_run_translates_dates_and_records_them_in_the_catalog(tmp_path):
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    done = run_cli("run", EXAMPLE, "--locales", locales, "--dist", dist, "--engine", "apertium")
    assert done.returncode == 0, done.stderr
    spanish = (dist / "water-march.es.txt").read_text(encoding="utf-8")
    assert "\n3 de marzo de 2024\n" in spanish
    assert "2 de marzo de 2024 — " in spanish and not re.search(r"\bMarch\b", spanish)
    po_path = catalog.po_path(locales, "water-march")
    assert msgfmt_check(po_path).returncode == 0
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgid.startswith("March 2, 2024 —"))
    assert "date: March 2, 2024 → 2 de marzo de 2024" in entry.comment.splitlines()
    rebuilt = catalog.document_from_catalog(po_path, do_not_translate=[])
    segment = next(s for s in rebuilt.segments() if s.text == entry.msgid)
    assert [(s.text, s.replacement) for s in segment.spans if s.protected] == [("March 2, 2024", "2 de marzo de 2024")]
