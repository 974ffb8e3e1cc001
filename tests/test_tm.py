"""Translation memory: reviewed translations reused across documents, its cache, and TMX exchange."""
from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from translate.storage import tmx as toolkit_tmx

from conftest import msgfmt_check, run_cli
from pipeline import catalog, tm
from pipeline.config import Config
from pipeline.model import Document, Paragraph, Segment, Span, State

MARCH = "The march began at noon in the Plaza San Martín."
ROAD = "Police blocked the road to Lima with two trucks."
MARCH_ES = "La marcha empezó al mediodía en la Plaza San Martín."
ROAD_ES = "La policía bloqueó la carretera a Lima con dos camiones."
DEFAULTS = Config()  # the settings the API passes down when pipeline.toml sets none


def document(name: str, *texts: str) -> Document:
    return Document(name, [Paragraph([Segment(t) for t in texts], number=1)], source=Path(f"{name}.txt"))


def reviewed(locales: Path, name: str, pairs: dict[str, str]) -> Path:
    """Save a document whose segments a reviewer translated; returns its PO file."""
    doc = document(name, *pairs)
    for segment in doc.segments():
        segment.translation, segment.state = pairs[segment.text], State.REVIEWED
    catalog.save(doc, locales, DEFAULTS.wrap)
    path = catalog.po_path(locales, name)
    assert msgfmt_check(path).returncode == 0
    return path


def run_memory(locales: Path, doc: Document, config: Config = DEFAULTS) -> int:
    """What `pipeline run` does for one document: load its own catalog, fill from memory, save."""
    catalog.load(doc, locales, config.similarity)
    filled = fill(doc, locales, config)
    catalog.save(doc, locales, config.wrap)
    return filled


def fill(doc: Document, locales: Path, config: Config = DEFAULTS) -> int:
    """The memory stage for one document, with the settings the API passes down."""
    return tm.fill([doc], locales, config.similarity, config.trust_tm_exact)


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    reviewed(folder, "lima", {MARCH: MARCH_ES, ROAD: ROAD_ES})
    return folder


def test_reviewed_translation_in_one_document_fills_the_same_sentence_in_another(locales):
    doc = document("cusco", MARCH, "Nothing like this was ever said before today.")
    assert run_memory(locales, doc) == 1
    first, other = doc.segments()
    assert (first.translation, first.state, first.engine) == (MARCH_ES, State.FUZZY, "tm:lima")
    assert other.state == State.UNTRANSLATED  # left for the engine
    entry = catalog.read_po(catalog.po_path(locales, "cusco")).find(MARCH)
    assert entry.msgstr == MARCH_ES and entry.fuzzy and "from translation memory: lima" in entry.tcomment
    assert entry.previous_msgid is None
    assert catalog.entry_state(entry) == State.FUZZY
    assert msgfmt_check(catalog.po_path(locales, "cusco")).returncode == 0


def test_trusted_exact_matches_are_reviewed(locales):
    doc = document("cusco", MARCH)
    run_memory(locales, doc, Config(trust_tm_exact=True))
    entry = catalog.read_po(catalog.po_path(locales, "cusco")).find(MARCH)
    assert not entry.fuzzy and entry.msgstr == MARCH_ES and "from translation memory: lima" in entry.tcomment


def test_close_match_is_offered_as_fuzzy_with_the_memory_source_as_previous_msgid(locales):
    edited = "Police blocked the road to Lima with three trucks."
    doc = document("cusco", edited, "Completely unrelated words appear in this one.")
    assert run_memory(locales, doc) == 1
    segment = next(doc.segments())
    assert (segment.translation, segment.state, segment.engine) == (ROAD_ES, State.FUZZY, "tm:lima")
    entry = catalog.read_po(catalog.po_path(locales, "cusco")).find(edited)
    assert entry.fuzzy and entry.previous_msgid == ROAD
    # below the configured similarity nothing is offered
    strict = document("arequipa", edited)
    assert run_memory(locales, strict, Config(similarity=0.99)) == 0


def test_a_document_does_not_match_its_own_catalog(locales):
    # lima's catalog lost the reviewed translation of ROAD (a reviewer cleared it); the memory
    # must not offer lima's own entries back to lima, so only other catalogs can fill it
    path = catalog.po_path(locales, "lima")
    po = catalog.read_po(path)
    po.find(ROAD).msgstr = ""
    path.write_text(catalog.po_text(po), encoding="utf-8")
    doc = document("lima", MARCH, ROAD, "Police blocked the road to Lima with two tanks.")
    catalog.load(doc, locales, DEFAULTS.similarity)
    assert fill(doc, locales) == 0
    reviewed(locales, "puno", {ROAD: "Otra traducción revisada."})
    doc = document("lima", MARCH, ROAD)
    catalog.load(doc, locales, DEFAULTS.similarity)
    assert fill(doc, locales) == 1
    assert doc.paragraphs[0].segments[1].engine == "tm:puno"


def test_memory_skips_unreviewed_and_obsolete_entries(tmp_path):
    folder = tmp_path / "locales"
    doc = document("lima", MARCH, ROAD)
    first, second = doc.segments()
    first.translation, first.state, first.engine = "traducción automática", State.MACHINE, "apertium"
    second.translation, second.state = "de la memoria", State.FUZZY
    catalog.save(doc, folder, DEFAULTS.wrap)
    assert len(tm.Memory.load(folder)) == 0


def test_cache_is_used_while_a_catalog_is_unchanged_and_rebuilt_when_it_changes(locales):
    assert tm.Memory.load(locales).exact(MARCH).target == MARCH_ES
    cache_path = locales / tm.CACHE_FILE
    cache = json.loads(cache_path.read_text(encoding="utf-8"))
    # a cache entry is trusted while size and mtime match: edit its text to see it is what is read
    units = cache["files"]["es/LC_MESSAGES/lima.po"]["units"]
    units[0][1] = "DESDE LA CACHÉ"
    cache_path.write_text(json.dumps(cache), encoding="utf-8")
    assert tm.Memory.load(locales).exact(MARCH).target == "DESDE LA CACHÉ"
    # a reviewer changes the PO: the cache entry for that catalog is rebuilt from the file
    path = catalog.po_path(locales, "lima")
    po = catalog.read_po(path)
    po.find(MARCH).msgstr = "La marcha comenzó a mediodía en la Plaza San Martín."
    path.write_text(catalog.po_text(po), encoding="utf-8")
    assert tm.Memory.load(locales).exact(MARCH).target == "La marcha comenzó a mediodía en la Plaza San Martín."
    rebuilt = json.loads(cache_path.read_text(encoding="utf-8"))
    assert rebuilt["files"]["es/LC_MESSAGES/lima.po"]["units"][0][1].startswith("La marcha comenzó")
    # a removed catalog leaves the memory and the cache
    catalog.po_path(locales, "lima").unlink()
    assert len(tm.Memory.load(locales)) == 0
    assert json.loads(cache_path.read_text(encoding="utf-8"))["files"] == {}


def test_a_runs_cache_file_is_read_again_once_another_program_changed_it(locales):
    cache = tm.CacheFile(locales)  # what a run shares between its memory and save stages
    assert tm.Memory.load(locales, cache).exact(MARCH).target == MARCH_ES
    cache_path = locales / tm.CACHE_FILE
    data = json.loads(cache_path.read_text(encoding="utf-8"))
    data["files"]["es/LC_MESSAGES/lima.po"]["units"][0][1] = "DESDE LA CACHÉ"
    cache_path.write_text(json.dumps(data), encoding="utf-8")  # another program's write, after this run read it
    assert tm.Memory.load(locales, cache).exact(MARCH).target == "DESDE LA CACHÉ"
    tm.remember(locales, [], cache)  # nothing saved: the file is left as that program wrote it
    assert json.loads(cache_path.read_text(encoding="utf-8")) == data


def test_corrupt_cache_is_rebuilt_not_an_error(locales):
    (locales / tm.CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert tm.Memory.load(locales).exact(ROAD).target == ROAD_ES


def test_protected_spans_do_not_stop_a_memory_match(locales):
    chant = "They chanted ¡Que se vayan todos! outside."
    reviewed(locales, "puno", {chant: "Corearon ¡Que se vayan todos! afuera."})
    doc = document("cusco", chant)
    segment = next(doc.segments())
    segment.spans = [Span("They chanted "), Span("¡Que se vayan todos!", True, "es", "spanish"), Span(" outside.")]
    assert fill(doc, locales) == 1 and segment.translation == "Corearon ¡Que se vayan todos! afuera."


def test_tmx_export_reads_back_with_translate_toolkit(locales, tmp_path):
    out = tmp_path / "memory.tmx"
    assert tm.export_tmx(locales, out) == 2
    store = toolkit_tmx.tmxfile(out.read_bytes())
    assert {(u.source, u.target) for u in store.units} == {(MARCH, MARCH_ES), (ROAD, ROAD_ES)}
    first = out.read_bytes()
    tm.export_tmx(locales, out)
    assert out.read_bytes() == first  # byte-stable


def test_tmx_written_by_translate_toolkit_is_imported_and_reused(tmp_path):
    store = toolkit_tmx.tmxfile(sourcelanguage="en", targetlanguage="es")
    for source, target in ((MARCH, MARCH_ES), ("Tom & Jerry say <hello>.", "Tom y Jerry dicen <hola>.")):
        store.addsourceunit(source).target = target
    tmx_path = tmp_path / "omegat.tmx"
    tmx_path.write_bytes(bytes(store))
    folder = tmp_path / "locales"
    added, memory_po = tm.import_tmx(tmx_path, folder, DEFAULTS.wrap)
    assert added == 2 and memory_po == folder / "memory" / "imported.po"
    assert msgfmt_check(memory_po).returncode == 0
    assert {(e.msgid, e.msgstr) for e in polib.pofile(str(memory_po))} == {
        (MARCH, MARCH_ES), ("Tom & Jerry say <hello>.", "Tom y Jerry dicen <hola>.")}
    assert tm.import_tmx(tmx_path, folder, DEFAULTS.wrap)[0] == 0  # importing again adds nothing
    doc = document("cusco", MARCH)
    assert fill(doc, folder) == 1
    assert next(doc.segments()).engine == "tm:memory/imported"
    assert catalog.catalogs(folder) == []  # the memory file is not a document catalog


def test_cli_tm_export_and_import_round_trip(locales, tmp_path):
    out = tmp_path / "out.tmx"
    done = run_cli("tm", "export", out, "--locales", locales)
    assert done.returncode == 0 and "2 translation units" in done.stderr
    other = tmp_path / "other-locales"
    done = run_cli("tm", "import", out, "--locales", other)
    assert done.returncode == 0, done.stderr
    assert tm.Memory.load(other).exact(ROAD).target == ROAD_ES


def test_cli_tm_import_of_bad_tmx_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu>\n</body>\n</tmx>\n', encoding="utf-8")
    done = run_cli("tm", "import", bad, "--locales", tmp_path / "locales")
    assert done.returncode == 2 and done.stderr.startswith(f"pipeline: error: {bad}:5:")
    assert not (tmp_path / "locales").exists()  # nothing written
    missing = run_cli("tm", "import", tmp_path / "none.tmx", "--locales", tmp_path / "locales")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_pipeline_run_reuses_a_reviewed_translation_from_another_article(tmp_path):
    """The whole command: article A reviewed, then article B with a shared sentence takes it from memory."""
    shared = "The regional strike committee called for a march to Lima on Thursday."
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(f"{shared}\n\nThe roads to the south stayed closed.\n", encoding="utf-8")
    second.write_text(f"A new article about the highlands.\n\n{shared}\n", encoding="utf-8")
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    done = run_cli("run", first, "--locales", locales, "--dist", dist, "--engine", "apertium", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = catalog.po_path(locales, "first")
    po = catalog.read_po(path)
    po.find(shared).msgstr = "El comité regional de lucha convocó una marcha a Lima para el jueves."
    po.find(shared).flags.remove("fuzzy")  # what a reviewer does in Poedit
    path.write_text(catalog.po_text(po), encoding="utf-8")
    done = run_cli("run", second, "--locales", locales, "--dist", dist, "--engine", "apertium", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 from memory" in done.stderr
    entry = catalog.read_po(catalog.po_path(locales, "second")).find(shared)
    assert entry.msgstr == "El comité regional de lucha convocó una marcha a Lima para el jueves."
    assert entry.fuzzy and "from translation memory: first" in entry.tcomment
    assert msgfmt_check(catalog.po_path(locales, "second")).returncode == 0


def test_catalogs_a_run_saved_are_in_the_memory_cache_as_a_parse_reads_them(tmp_path):
    """The save hands the memory's cache what it wrote, so the next run does not parse every catalog again;
    what it hands over is what units_from_po reads from the files: reviewed entries included, once a
    translator's review was saved again by a run."""
    from conftest import CORPUS, EXAMPLE
    from pipeline import api

    sources = [tmp_path / "article.txt", tmp_path / "example.txt"]
    sources[0].write_text(CORPUS.read_text(encoding="utf-8"), encoding="utf-8")
    sources[1].write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    api.run(sources, config=config, quiet=True, engine="apertium")
    po_file = catalog.po_path(config.locales, "example")
    reviewed = polib.pofile(str(po_file))
    for entry in list(reviewed)[:6]:
        if entry.msgstr:
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    reviewed.save()
    sources[1].write_text(sources[1].read_text(encoding="utf-8") + "\nThe march ended at night.\n", encoding="utf-8")
    api.run(sources, config=config, quiet=True, engine="apertium")  # saves the reviewed catalog again

    cache = json.loads((config.locales / tm.CACHE_FILE).read_text(encoding="utf-8"))["files"]
    for path in catalog.catalogs(config.locales):
        key = path.relative_to(config.locales).as_posix()
        stat = path.stat()
        assert (cache[key]["mtime_ns"], cache[key]["size"]) == (stat.st_mtime_ns, stat.st_size)  # no parse due
        parsed = [[u.source, u.target, u.catalog, u.context] for u in tm.units_from_po(catalog.read_po(path), path.stem)]
        assert cache[key]["units"] == parsed
    assert len(cache["es/LC_MESSAGES/example.po"]["units"]) >= 3
