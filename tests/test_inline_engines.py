"""Inline codes through every engine: the Markdown/HTML inputs of test_formats through the Argos engine
(the tiny genuine model of tests/tinyargos.py, whose output is meaningless text that may hold ``*``,
``[`` or ``#``): every output still well-formed, every code kept once, nothing crossed; and markup the
engine moved reaches the reviewer as a QA finding and a translator comment."""
from __future__ import annotations

from pathlib import Path

import html5lib
import polib
import pytest
from markdown_it import MarkdownIt

from conftest import msgfmt_check, run_cli
from test_formats import PAGE, README
from tinyargos import build_package, isolated_env


def html_errors(text: str) -> int:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(text)
    return len(parser.errors)


def link_targets(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        found += [t.attrs.get("href") or t.attrs.get("src") for t in token.children or []
                  if t.type in ("link_open", "image")]
    return found


@pytest.fixture(scope="module")
def argos_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("argos-inline")
    env = isolated_env(root / "argos")
    done = run_cli("models", "install", "--file", build_package(root / "tiny.argosmodel"), env=env)
    assert done.returncode == 0, done.stderr
    src = root / "src"
    src.mkdir()
    (src / "readme.md").write_text(README, encoding="utf-8")
    (src / "page.html").write_text(PAGE, encoding="utf-8")
    done = run_cli("run", src, "--locales", root / "locales", "--dist", root / "dist", "--engine", "argos",
                   "--quiet", env=env, cwd=root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return root


def test_argos_html_well_formed_and_codes_kept(argos_run):
    spanish = (argos_run / "dist" / "page.es.html").read_text(encoding="utf-8")
    assert html_errors(spanish) <= html_errors(PAGE)
    for kept in ('<a href="https://ruby-doc.org/Enumerable.html">', "<tt>do</tt>", "<kbd>Ctrl</kbd>",
                 "<!-- counted twice -->", "&lt;b&gt;"):
        assert spanish.count(kept) == PAGE.count(kept), kept
    for name in ("page.bilingual.html", "page.interleaved.html", "readme.bilingual.html"):
        assert html_errors((argos_run / "dist" / name).read_text(encoding="utf-8")) <= html_errors(PAGE)


def test_argos_markdown_keeps_destinations_and_code(argos_run):
    spanish = (argos_run / "dist" / "readme.es.md").read_text(encoding="utf-8")
    assert link_targets(spanish) == link_targets(README)
    for kept in ("`foo``bar`", "`` a`b ``", "https://example.org/a_(b)"):
        assert kept in spanish


def test_argos_catalogs_valid_and_every_markup_moved_entry_flagged(argos_run):
    for name in ("readme", "page"):
        path = argos_run / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
        assert msgfmt_check(path).returncode == 0
        for entry in polib.pofile(str(path)):
            flagged = "qa: warning: markup-moved:" in entry.tcomment
            assert not flagged or "fuzzy" in entry.flags
    done = run_cli("qa", "--locales", argos_run / "locales", cwd=argos_run)
    assert "Traceback" not in done.stderr
