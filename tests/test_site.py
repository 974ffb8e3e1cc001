"""Publishing: `pipeline render` and `pipeline build`, the index and the manifest, from real PO catalogs."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import polib
import pytest

from conftest import EXAMPLE, msgfmt_check, run_cli

SECOND = """Rain returns to the valley

By Luis Vargas
April 2, 2024

The first rain in months fell on Tuesday. Farmers said the harvest could still be saved.
"""


def translate_po(po_path: Path, reviewed: bool, only: int | None = None) -> None:
    """Act as a translator: fill msgstr (a recognisable Spanish stand-in) and review or leave fuzzy."""
    po = polib.pofile(str(po_path))
    if reviewed:  # a reviewer also approves what the pipeline filled by rule (dates), fuzzy until then
        for entry in po:
            if entry.fuzzy and "filled automatically" in entry.tcomment:
                entry.flags.remove("fuzzy")
    for index, entry in enumerate(e for e in po if not e.msgstr):
        if only is not None and index >= only:
            break
        entry.msgstr = f"ES {entry.msgid}"
        if not reviewed:
            entry.flags.append("fuzzy")
            entry.comment = (entry.comment + "\n" if entry.comment else "") + "machine translation: apertium"
    po.save(str(po_path))
    assert msgfmt_check(po_path).returncode == 0


@pytest.fixture
def project(tmp_path) -> Path:
    """Two articles extracted into catalogs; one fully reviewed, the other machine-translated."""
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles / "water-march.txt")
    (articles / "rain.txt").write_text(SECOND, encoding="utf-8")
    done = run_cli("extract", articles, "--locales", tmp_path / "locales", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    translate_po(tmp_path / "locales/es/LC_MESSAGES/water-march.po", reviewed=True)
    translate_po(tmp_path / "locales/es/LC_MESSAGES/rain.po", reviewed=False)
    return tmp_path


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_render_without_sources_uses_catalog_headers_and_writes_index(project):
    done = run_cli("render", "--locales", "locales", "--dist", "dist", cwd=project)
    assert done.returncode == 0, done.stderr
    dist = project / "dist"
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["name"]: e for e in manifest["documents"]}
    assert sorted(entries) == ["rain", "water-march"]
    water, rain = entries["water-march"], entries["rain"]
    assert water["title"] == "Water defenders march in Cochabamba"
    assert water["counts"]["reviewed"] == water["counts"]["total"] and water["percent"]["reviewed"] == 100
    assert rain["counts"]["machine"] > 0 and rain["percent"]["reviewed"] < 100 and rain["percent"]["translated"] == 0
    assert rain["percent"]["awaiting_review"] == 100
    assert rain["date_iso"] == "2024-04-02" and rain["author"] == "Luis Vargas"
    for entry in entries.values():
        for output in entry["outputs"].values():
            assert (dist / output).is_file(), output
    index = (dist / "index.html").read_text(encoding="utf-8")
    assert 'href="water-march.bilingual.html"' in index and 'href="rain.es.html"' in index
    assert "ES Rain returns to the valley" in index  # the Spanish title, from the catalog


def test_translator_edit_shows_after_render_without_engine(project):
    assert run_cli("render", "--locales", "locales", "--dist", "dist", cwd=project).returncode == 0
    po_path = project / "locales/es/LC_MESSAGES/rain.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid.startswith("The first rain"))
    entry.msgstr, entry.flags = "La primera lluvia en meses cayó el martes.", []
    po.save(str(po_path))
    done = run_cli("render", "articles/rain.txt", "--locales", "locales", "--dist", "dist", cwd=project,
                   env={"PIPELINE_APERTIUM": str(project / "no-such-apertium")})
    assert done.returncode == 0, done.stderr
    assert "La primera lluvia en meses cayó el martes." in (project / "dist/rain.es.txt").read_text(encoding="utf-8")
    # rendering one document keeps the other in the index
    names = [e["name"] for e in json.loads((project / "dist/manifest.json").read_text())["documents"]]
    assert names == ["rain", "water-march"]


def test_render_flags_for_publication(project):
    done = run_cli("render", "--locales", "locales", "--dist", "dist", "--hide-review-marks", cwd=project)
    assert done.returncode == 0, done.stderr
    assert 'class="machine"' not in (project / "dist/rain.bilingual.html").read_text(encoding="utf-8")
    done = run_cli("render", "--locales", "locales", "--dist", "dist", "--unreviewed", "english", cwd=project)
    assert done.returncode == 0, done.stderr
    text = (project / "dist/rain.es.txt").read_text(encoding="utf-8")
    assert "ES " not in text and "The first rain in months" in text


def test_threshold_skips_or_marks_documents(project):
    done = run_cli("render", "--locales", "locales", "--dist", "skip", "--min-reviewed", "90", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "skip/water-march.es.html").is_file() and not (project / "skip/rain.es.html").exists()
    rain = next(e for e in json.loads((project / "skip/manifest.json").read_text())["documents"] if e["name"] == "rain")
    assert rain["status"] == "skipped" and "por debajo del 90% requerido" in rain["note"]
    assert "no publicado" in (project / "skip/index.html").read_text(encoding="utf-8")

    done = run_cli("render", "--locales", "locales", "--dist", "mark", "--min-reviewed", "90", "--below", "mark",
                   cwd=project)
    assert done.returncode == 0, done.stderr
    page = (project / "mark/rain.bilingual.html").read_text(encoding="utf-8")
    assert 'class="incomplete"' in page and "Traducción incompleta" in page
    assert 'class="incomplete"' not in (project / "mark/water-march.bilingual.html").read_text(encoding="utf-8")


def test_build_gate_fails_and_writes_nothing(project):
    dist = project / "dist"
    dist.mkdir()
    (dist / "keep.txt").write_text("published earlier\n")
    before = digest(dist)
    done = run_cli("build", "articles", "--locales", "locales", "--dist", "dist", "--min-reviewed", "100",
                   cwd=project)
    assert done.returncode == 1
    message = done.stderr.strip().splitlines()
    assert len(message) == 1 and "review gate failed" in message[0] and "rain.po" in message[0], done.stderr
    assert digest(dist) == before


def test_build_passes_with_config_sources_and_writes_site(project):
    (project / "pipeline.toml").write_text('sources = ["articles"]\nmin_translated = 0\n', encoding="utf-8")
    done = run_cli("build", "--locales", "locales", "--dist", "public", cwd=project)
    assert done.returncode == 0, done.stderr
    public = project / "public"
    assert (public / "index.html").is_file() and (public / "rain.bilingual.html").is_file()
    assert len(json.loads((public / "manifest.json").read_text())["documents"]) == 2
    before = digest(public)
    again = run_cli("build", "--locales", "locales", "--dist", "public", cwd=project)
    assert again.returncode == 0 and digest(public) == before  # byte-stable: no timestamps anywhere

    (project / "pipeline.toml").write_text('sources = ["articles"]\nmin_reviewed = 100\n', encoding="utf-8")
    assert run_cli("build", "--locales", "locales", "--dist", "public", cwd=project).returncode == 1


def test_bad_input_is_one_line_and_exit_2(project):
    missing = run_cli("render", "--locales", "locales", "--dist", "dist", "--templates", "nowhere", cwd=project)
    assert missing.returncode == 2 and "nowhere: templates folder not found" in missing.stderr
    assert not (project / "dist").exists()
    empty = run_cli("render", "--locales", "no-locales", "--dist", "dist", cwd=project)
    assert empty.returncode == 2 and len(empty.stderr.strip().splitlines()) == 1, empty.stderr
    bad = run_cli("render", "--min-reviewed", "120", cwd=project)
    assert bad.returncode == 2 and "percentage" in bad.stderr


def test_ci_example_publishes_only_after_a_passing_build():
    yaml = pytest.importorskip("yaml")
    from pipeline.cli import build_parser

    workflow = yaml.safe_load((Path(__file__).resolve().parents[1] / "examples/ci/github-pages.yml").read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    command = next(s["run"] for s in build_steps if "pipeline build" in s.get("run", ""))
    args = build_parser().parse_args(command.split()[1:])  # the flags it uses exist
    assert args.command == "build" and args.func.__name__ == "_build"
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") and s["with"]["path"] == "dist"
               for s in build_steps)
    assert workflow["jobs"]["deploy"]["needs"] == "build"
