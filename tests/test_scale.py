"""Batch runs at scale (issue 12): incremental builds, parallel jobs, a Dask executor, the JSON summary.

Real Apertium, real files: a small corpus made from FLORES-200 devtest sentences (the
big corpus is only in benchmarks/scale.py). Engine starts are counted through an
``apertium`` wrapper that logs each start, then runs the real one.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from conftest import FLORES, REPO, msgfmt_check
from pipeline import api
from pipeline.config import Config, EngineSettings
from pipeline import __version__
from pipeline.buildstate import STATE_FILE, BuildState

DOCUMENTS = 6
SENTENCES = 4


def make_corpus(folder: Path, documents: int = DOCUMENTS, sentences: int = SENTENCES, start: int = 0) -> list[Path]:
    """Documents of FLORES devtest sentences: a headline, then the sentences as two paragraphs."""
    lines = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(documents):
        chunk = lines[start + number * sentences: start + (number + 1) * sentences]
        half = len(chunk) // 2
        text = f"Report number {number + 1}\n\n" + " ".join(chunk[:half]) + "\n\n" + " ".join(chunk[half:]) + "\n"
        path = folder / f"doc{number + 1:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def counting_config(tmp_path: Path) -> tuple[Config, Path]:
    """A config whose engine is the real Apertium behind a wrapper that logs every start."""
    log = tmp_path / "apertium-calls.log"
    wrapper = tmp_path / "apertium-counting"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{shutil.which("apertium")}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return Config(engine="apertium", engines=EngineSettings(apertium=str(wrapper))), log


def translations_started(log: Path) -> int:
    return sum(1 for line in log.read_text().splitlines() if "eng-spa" in line.split()) if log.exists() else 0


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (but the lock file): its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".pipeline.lock"}


def comparable(folder: Path) -> dict[str, bytes]:
    """Catalogs and pages by name, with the PO/POT date headers (the minute of the run) blanked."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in (".pipeline.lock", STATE_FILE) and not path.name.startswith(".tm"):
            data = path.read_bytes()
            if path.suffix in (".po", ".pot"):
                data = re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"', rb'"\1: -"', data)
            found[path.relative_to(folder).as_posix()] = data
    return found


def run(work: Path, config: Config, **options) -> api.RunResult:
    return api.run(["src"], locales="locales", dist="dist", quiet=True, config=config,
                   **{"jobs": 1, **options})


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A first run of the small corpus, in tmp_path (the current directory): (work, config, log)."""
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "src")
    config, log = counting_config(tmp_path)
    first = run(tmp_path, config)
    assert len(first.names) == DOCUMENTS and not first.unchanged and translations_started(log) >= 1
    log.unlink()
    return tmp_path, config, log


def changed_files(before: dict, after: dict) -> set[str]:
    return {name for name in set(before) | set(after) if before.get(name) != after.get(name)}


def test_unchanged_rerun_makes_no_engine_call_and_writes_no_byte(project):
    work, config, log = project
    before = files(work / "locales") | {f"dist/{k}": v for k, v in files(work / "dist").items()}
    again = run(work, config)
    after = files(work / "locales") | {f"dist/{k}": v for k, v in files(work / "dist").items()}
    assert translations_started(log) == 0
    assert sorted(again.unchanged) == sorted(again.names) and len(again.names) == DOCUMENTS
    assert again.written == [] and again.engine_calls == 0
    assert after == before  # content and modification time of every catalog, page, index and the state


def test_an_unchanged_rerun_leaves_the_index_alone_and_makes_a_lost_one_again(project):
    work, config, log = project
    index, manifest = work / "dist" / "index.html", work / "dist" / "manifest.json"
    made = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (index, manifest)}
    run(work, config)
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (index, manifest)} == made
    index.unlink()
    manifest.write_text("{}", encoding="utf-8")  # another tool's edit: not what the state recorded
    again = run(work, config)
    assert sorted(again.unchanged) == sorted(again.names)
    assert index.read_bytes() == made[index][0] and manifest.read_bytes() == made[manifest][0]


def test_editing_one_source_redoes_only_that_document(project):
    work, config, log = project
    before = files(work / "dist") | {f"po/{k}": v for k, v in files(work / "locales").items()}
    source = work / "src" / "doc03.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nThe river flooded the old market yesterday.\n",
                      encoding="utf-8")
    again = run(work, config)
    after = files(work / "dist") | {f"po/{k}": v for k, v in files(work / "locales").items()}
    assert sorted(set(again.names) - set(again.unchanged)) == ["doc03"]
    assert translations_started(log) == 1
    changed = changed_files(before, after)
    bookkeeping = ("index.html", "manifest.json", f"po/{STATE_FILE}", "po/.tm-cache.json")
    assert changed and all("doc03" in name or name in bookkeeping for name in changed), changed
    po = polib.pofile(str(work / "locales" / "es" / "LC_MESSAGES" / "doc03.po"))
    entry = po.find("The river flooded the old market yesterday.")
    assert entry is not None and entry.msgstr and entry.msgstr != entry.msgid
    assert msgfmt_check(work / "locales" / "es" / "LC_MESSAGES" / "doc03.po").returncode == 0


def test_editing_one_po_rerenders_only_that_document(project):
    work, config, log = project
    po_file = work / "locales" / "es" / "LC_MESSAGES" / "doc02.po"
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if e.msgid and not e.obsolete and e.fuzzy and e.msgstr)  # machine output
    entry.msgstr = "Una traducción revisada por una persona."
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_file))
    before = files(work / "dist")
    again = run(work, config)
    changed = changed_files(before, files(work / "dist"))
    assert translations_started(log) == 0
    assert sorted(set(again.names) - set(again.unchanged)) == ["doc02"]
    assert changed and all(name.startswith("doc02.") or name in ("index.html", "manifest.json") for name in changed)
    assert "Una traducción revisada por una persona." in (work / "dist" / "doc02.es.txt").read_text(encoding="utf-8")


def test_changing_a_template_rerenders_every_page_made_from_it(project):
    work, config, log = project
    templates = work / "templates"
    templates.mkdir()
    built_in = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (templates / "base.html").write_text(built_in.replace("</body>", "<footer>Edición 2</footer></body>"),
                                         encoding="utf-8")
    before = files(work / "dist")
    again = run(work, config, templates=templates)
    assert translations_started(log) == 0 and not again.unchanged
    for number in range(1, DOCUMENTS + 1):
        assert "Edición 2" in (work / "dist" / f"doc{number:02d}.bilingual.html").read_text(encoding="utf-8")
    assert "Edición 2" in (work / "dist" / "index.html").read_text(encoding="utf-8")
    plain = {n for n in before if n.endswith((".es.txt", ".es.md"))}
    assert plain and all(before[n] == files(work / "dist")[n] for n in plain)  # same bytes: not written again
    (templates / "base.html").write_text(built_in.replace("</body>", "<footer>Edición 3</footer></body>"),
                                         encoding="utf-8")
    run(work, config, templates=templates)
    assert "Edición 3" in (work / "dist" / "doc01.bilingual.html").read_text(encoding="utf-8")


def test_changing_the_glossary_retranslates_what_misses_the_term(project):
    work, config, log = project
    po_file = work / "locales" / "es" / "LC_MESSAGES" / "doc01.po"
    headline = polib.pofile(str(po_file)).find("Report number 1")
    assert headline is not None and "crónica" not in headline.msgstr.lower()
    (work / "locales" / "glossary.csv").write_text("english,spanish,note\nreport,crónica,house style\n",
                                                   encoding="utf-8")
    again = run(work, config)
    assert not again.unchanged  # the glossary is an input of every document
    assert translations_started(log) >= 1
    for number in range(1, DOCUMENTS + 1):
        entry = polib.pofile(str(work / "locales" / "es" / "LC_MESSAGES" / f"doc{number:02d}.po")).find(
            f"Report number {number}")
        assert "crónica" in entry.msgstr.lower(), entry.msgstr
    assert "rónica" in (work / "dist" / "doc04.es.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["deleted", "corrupt", "truncated"])
def test_a_lost_or_corrupt_state_gives_a_full_correct_run(project, damage):
    work, config, log = project
    reference = comparable(work)
    state = work / "locales" / STATE_FILE
    if damage == "deleted":
        state.unlink()
    elif damage == "corrupt":
        state.write_text("{not json", encoding="utf-8")
    else:
        state.write_bytes(state.read_bytes()[: len(state.read_bytes()) // 2])
    shutil.rmtree(work / "dist" )
    (work / "dist").mkdir()
    again = run(work, config)
    assert not again.unchanged and translations_started(log) == 0  # every document redone, from its catalog
    assert comparable(work) == reference
    assert json.loads(state.read_text(encoding="utf-8"))["documents"].keys() == {f"doc{n:02d}" for n in
                                                                                 range(1, DOCUMENTS + 1)}


@pytest.mark.parametrize("settled", [True, False], ids=["stamped", "just-written"])
def test_an_edit_that_keeps_the_size_and_puts_the_time_back_is_still_seen(project, settled):
    """A file whose stat matches its stamp is not read again (buildstate.py); an editor's in-place save
    of the same length whose old modification time is put back must still count as an edit."""
    work, config, log = project
    if settled:  # a forced run over files written long enough ago stamps every source and catalog
        time.sleep(0.2)
        run(work, config, force=True)
        stamps = json.loads((work / "locales" / STATE_FILE).read_text(encoding="utf-8"))["documents"]["doc02"]["stamps"]
        assert len(stamps) == 3  # source, PO, POT
    po_file = work / "locales" / "es" / "LC_MESSAGES" / "doc02.po"
    text = po_file.read_text(encoding="utf-8")
    po = polib.pofile(text)
    entry = next(e for e in po if e.msgid and not e.obsolete and e.msgstr and len(e.msgstr) > 12)
    edited_msgstr = "X" * len(entry.msgstr.encode("utf-8"))  # the same bytes long
    edited = text.replace(f'msgstr "{entry.msgstr}"', f'msgstr "{edited_msgstr}"', 1)
    assert edited != text and len(edited.encode("utf-8")) == len(text.encode("utf-8"))
    before = po_file.stat()
    with open(po_file, "r+b") as handle:  # in place, as polib's save and many editors do: the same inode
        handle.write(edited.encode("utf-8"))
    os.utime(po_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (po_file.stat().st_size, po_file.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    again = run(work, config)
    assert sorted(set(again.names) - set(again.unchanged)) == ["doc02"]
    assert edited_msgstr in (work / "dist" / "doc02.es.txt").read_text(encoding="utf-8")


def test_the_state_keeps_one_document_a_line_and_rewrites_only_the_changed_ones(project):
    work, config, log = project
    state = work / "locales" / STATE_FILE
    lines = state.read_text(encoding="utf-8").split("\n")
    assert lines[0] == '{"documents":{' and len(lines) == DOCUMENTS + 3  # the rest, then the final newline
    one_line = json.dumps(json.loads(state.read_text(encoding="utf-8")), ensure_ascii=False)
    state.write_text(one_line, encoding="utf-8")  # another layout of the same state (an older version's)
    source = work / "src" / "doc03.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nThe bridge reopened.\n", encoding="utf-8")
    first = run(work, config)
    assert sorted(set(first.names) - set(first.unchanged)) == ["doc03"]  # the other layout read as it was
    rewritten = state.read_text(encoding="utf-8").split("\n")
    assert rewritten[0] == '{"documents":{' and len(rewritten) == DOCUMENTS + 3
    source.write_text(source.read_text(encoding="utf-8") + "\nThe school reopened.\n", encoding="utf-8")
    run(work, config)
    after = state.read_text(encoding="utf-8").split("\n")
    changed = [name for name, old, new in zip(range(DOCUMENTS), rewritten[1:], after[1:]) if old != new]
    assert changed == [2]  # doc03's line alone (the others kept as read)
    documents = json.loads("\n".join(after))["documents"]
    assert sorted(documents) == [f"doc{n:02d}" for n in range(1, DOCUMENTS + 1)]
    manifests = {name: json.loads(documents[name]["manifest"]) for name in ("doc02", "doc03")}  # as manifest.json's lines
    assert manifests["doc03"]["counts"]["total"] > manifests["doc02"]["counts"]["total"]
    listed = json.loads((work / "dist" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert manifests["doc03"] == next(entry for entry in listed if entry["name"] == "doc03")


def test_a_state_another_process_saved_since_it_was_read_is_merged_not_replaced(project):
    work, config, log = project
    ours, theirs = BuildState.load(work / "locales", __version__), BuildState.load(work / "locales", __version__)
    theirs.record("doc91", theirs.entries["doc01"])  # another run's save, after ours read the file
    assert theirs.save()
    ours.record("doc92", ours.entries["doc01"])
    ours.drop("doc02")
    assert ours.save()
    final = BuildState.load(work / "locales", __version__)
    assert {"doc91", "doc92"} <= set(final.entries) and "doc02" not in final.entries
    assert set(final.entries) == {f"doc{n:02d}" for n in range(1, DOCUMENTS + 1)} - {"doc02"} | {"doc91", "doc92"}


def test_a_state_entry_of_the_wrong_shape_only_has_its_document_redone(project):
    work, config, log = project
    reference = comparable(work)
    state = work / "locales" / STATE_FILE
    data = json.loads(state.read_text(encoding="utf-8"))
    data["documents"]["doc02"]["outputs"] = {"doc02.es.txt": "not a stamp"}
    data["documents"]["doc04"]["source"] = 4
    data["documents"]["doc05"]["stamps"] = {str(Path("src") / "doc05.txt"): 5}  # no match: hashed, and the same
    state.write_text(json.dumps(data), encoding="utf-8")
    (work / "dist" / "doc02.es.txt").unlink()
    again = run(work, config)
    assert sorted(set(again.names) - set(again.unchanged)) == ["doc02", "doc04"]
    assert translations_started(log) == 0 and comparable(work) == reference


def test_force_redoes_everything_with_the_same_result(project):
    work, config, log = project
    reference = comparable(work)
    again = run(work, config, force=True)
    assert not again.unchanged and comparable(work) == reference


def fresh_run(folder: Path, **options) -> dict[str, bytes]:
    make_corpus(folder / "src", documents=8, sentences=14, start=100)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        api.run(["src"], locales="locales", dist="dist", quiet=True, engine="apertium", **options)
    finally:
        os.chdir(cwd)
    return comparable(folder)


@pytest.fixture(scope="module")
def serial_reference(tmp_path_factory):
    return fresh_run(tmp_path_factory.mktemp("serial"), jobs=1)


def test_jobs_2_gives_byte_identical_catalogs_and_pages(tmp_path, serial_reference):
    parallel = fresh_run(tmp_path, jobs=2)
    assert parallel.keys() == serial_reference.keys() and len(parallel) > 8 * 7
    assert parallel == serial_reference


def test_dask_executor_gives_byte_identical_catalogs_and_pages(tmp_path, serial_reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        on_dask = fresh_run(tmp_path, executor="dask", scheduler=cluster.scheduler_address, jobs=2)
        workers = len(cluster.workers)
    assert workers == 2
    assert on_dask == serial_reference


def test_engine_partitions_do_not_depend_on_the_number_of_jobs(monkeypatch):
    """Apertium's tagger carries state from one segment to the next within a run: cutting a batch by the
    number of jobs changed words ("agitado"/"agitó" for "waved" in FLORES devtest line 475, whose run
    did or did not hold line 459 before it). The cut is fixed, so 1, 2 or 3 jobs give the same words."""
    from pipeline.config import engine_settings
    from pipeline.engines.apertium import ApertiumEngine
    from pipeline.engines import runs
    from pipeline.engines.runs import PARTITION_SEGMENTS, PartitionedEngine
    from pipeline.model import Span

    lines = (FLORES / "flores200.devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    batch = [[Span(line)] for line in lines[409:509]]  # a cut at the middle falls between lines 459 and 475
    engine = ApertiumEngine(engine_settings(os.environ))
    one_run = engine.translate_batch(batch)
    assert engine.translate_batch(batch[:50]) + engine.translate_batch(batch[50:]) != one_run  # the cause
    for jobs in (1, 2, 3):
        assert PartitionedEngine(engine, jobs).translate_batch(batch) == one_run
    assert len(batch) <= PARTITION_SEGMENTS
    monkeypatch.setattr(runs, "PARTITION_SEGMENTS", 40)  # three partitions of 34, 33 and 33 segments
    cut = engine.translate_batch(batch[:34]) + engine.translate_batch(batch[34:67]) + engine.translate_batch(batch[67:])
    for jobs in (1, 2, 3):
        assert PartitionedEngine(engine, jobs).translate_batch(batch) == cut


def test_chunks_of_3_documents_give_byte_identical_catalogs_and_pages(tmp_path, serial_reference, monkeypatch):
    """Chunks of 3 documents (8 documents: 3 chunks, each its own engine batch) give what one chunk gives."""
    from pipeline import batch

    monkeypatch.setattr(batch, "CHUNK_DOCUMENTS", 3)
    for jobs in (1, 2):
        assert fresh_run(tmp_path / f"jobs-{jobs}", jobs=jobs) == serial_reference


def test_a_failure_reading_a_later_chunk_keeps_the_chunks_before_it(tmp_path, serial_reference, monkeypatch):
    from pipeline import batch, readers
    from pipeline.errors import InputError

    monkeypatch.setattr(batch, "CHUNK_DOCUMENTS", 3)
    real_read = readers.read_document

    def failing(path, *args, **kwargs):  # the third chunk's first document cannot be read
        if Path(path).stem == "doc07":
            raise InputError("unreadable for this test", path)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(batch, "read_document", failing)
    with pytest.raises(InputError, match="unreadable for this test"):
        fresh_run(tmp_path, jobs=1)
    saved = sorted(p.stem for p in (tmp_path / "locales").rglob("*.po"))
    assert saved == [f"doc{n:02d}" for n in range(1, 7)]  # the first two chunks are saved
    for path in (tmp_path / "locales").rglob("*.po"):
        assert all(entry.msgstr for entry in polib.pofile(str(path)) if not entry.obsolete)
    monkeypatch.setattr(batch, "read_document", real_read)
    assert fresh_run(tmp_path, jobs=1) == serial_reference  # the next run finishes the work


def test_a_killed_run_leaves_a_state_the_next_run_repairs(tmp_path, serial_reference):
    make_corpus(tmp_path / "src", documents=8, sentences=14, start=100)
    command = [sys.executable, "-m", "pipeline", "run", "src", "--locales", "locales", "--dist", "dist",
               "--engine", "apertium", "--jobs", "1", "-q"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((tmp_path / "locales").rglob("*.po")):
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its apertium processes, mid-write
    process.wait()
    assert list((tmp_path / "locales").rglob("*.po")), "the run was killed before it wrote a catalog"
    done = subprocess.run(command[:-1] + ["--json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert comparable(tmp_path) == serial_reference
    again = subprocess.run(command[:-1] + ["--json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert json.loads(again.stdout)["unchanged"] == 8


def test_run_json_prints_one_object_for_ci(tmp_path):
    make_corpus(tmp_path / "src", documents=2, sentences=2)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "pipeline", "run", "src", "--engine", "apertium", "--json"]
    first = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert len(summary["documents"]) == 2 and summary["unchanged"] == 0 and summary["engine"] == "apertium"
    assert summary["translated"] >= 4 and len(summary["files_written"]) >= 2 * 8 + 2 and summary["seconds"] > 0
    assert {"from_memory", "segments"} <= summary.keys()
    second = json.loads(subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True).stdout)
    assert second["unchanged"] == 2 and second["translated"] == 0 and second["files_written"] == []
    build = subprocess.run([sys.executable, "-m", "pipeline", "build", "src", "--json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert len(json.loads(build.stdout)["documents"]) == 2


def test_chunks_are_bounded_by_documents_and_by_source_bytes(tmp_path, monkeypatch):
    """A chunk holds at most CHUNK_DOCUMENTS documents and CHUNK_BYTES of source; a larger source is alone."""
    from pipeline import batch

    sizes = [300, 300, 300, 1500, 100, 100, 100, 100]
    pending = []
    for number, size in enumerate(sizes):
        path = tmp_path / f"doc{number}.txt"
        path.write_text("x" * size)
        pending.append((path, str(number)))
    monkeypatch.setattr(batch, "CHUNK_BYTES", 1000)
    monkeypatch.setattr(batch, "CHUNK_DOCUMENTS", 3)
    assert [[digest for _, digest in chunk] for chunk in batch.chunks(pending)] == \
        [["0", "1"], ["2"], ["3"], ["4", "5"], ["6", "7"]]  # evened out: 8 documents in 4 or more chunks
    monkeypatch.setattr(batch, "CHUNK_DOCUMENTS", 5)
    assert [len(chunk) for chunk in batch.chunks(pending[4:] * 3)] == [4, 4, 4]  # not 5, 5 and 2
    assert batch.chunks([]) == []


def test_a_file_is_trusted_by_its_stamp_only_once_its_change_time_has_settled(tmp_path):
    """buildstate.stamped_digest: the stamp of a file written a moment ago is withheld (a write in the
    same clock tick would not change its ctime); a settled one vouches for the bytes without a read,
    until any write (or rename over it) changes the stat."""
    from pipeline.buildstate import digest, stamped_digest

    path = tmp_path / "doc.po"
    path.write_bytes(b"first")
    found, stamp = stamped_digest(str(path), {}, "")
    assert found == digest(b"first") and stamp is None  # just written: not settled
    time.sleep(0.2)
    found, stamp = stamped_digest(str(path), {}, "")
    assert found == digest(b"first") and stamp is not None
    assert stamped_digest(str(path), {str(path): stamp}, "as recorded") == ("as recorded", stamp)  # not read
    path.write_bytes(b"other")  # same length
    assert stamped_digest(str(path), {str(path): stamp}, "as recorded")[0] == digest(b"other")
    path.unlink()
    assert stamped_digest(str(path), {str(path): stamp}, "as recorded") == ("", None)


def _review_first_entry(po_file: Path, msgstr: str) -> str:
    """What a translator does in an editor: one machine translation reviewed and saved; its msgid."""
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if e.msgid and e.msgstr and not e.obsolete)
    entry.msgstr = msgstr
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    po.save(str(po_file))
    return entry.msgid


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_editors_save_after_a_task_made_the_catalog_is_merged_not_lost(project, monkeypatch, jobs):
    """The catalogs are made by tasks from the PO's bytes as the driver read them; an editor's save after
    that read and before the driver writes is caught (compare before replace) and the driver saves the
    document itself, over the editor's file."""
    from pipeline import batch

    work, config, _ = project
    source = work / "src" / "doc02.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nThe committee will meet again next week.\n",
                      encoding="utf-8")
    po_file = work / "locales" / "es" / "LC_MESSAGES" / "doc02.po"
    real_write, reviewed = batch._write_catalogs, []

    def editor_saves_first(made, context):
        if any(item.path.name == po_file.name for item in made) and not reviewed:
            reviewed.append(_review_first_entry(po_file, "REVISADO por la traductora"))
        return real_write(made, context)

    monkeypatch.setattr(batch, "_write_catalogs", editor_saves_first)
    result = run(work, config, jobs=jobs)
    assert reviewed and "doc02" not in result.unchanged
    final = {entry.msgid: entry for entry in polib.pofile(str(po_file))}
    assert final[reviewed[0]].msgstr == "REVISADO por la traductora" and "fuzzy" not in final[reviewed[0]].flags
    added = final["The committee will meet again next week."]
    assert added.msgstr and "fuzzy" in added.flags  # the run's machine translation went in too
    assert msgfmt_check(po_file).returncode == 0
    assert "REVISADO por la traductora" in (work / "dist" / "doc02.es.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(batch, "_write_catalogs", real_write)
    assert run(work, config, jobs=jobs).unchanged == result.names  # the state holds the merged file's digest


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_catalog_read_halfway_through_an_editors_save_is_saved_by_the_driver(project, monkeypatch, jobs):
    """A task given half a PO (an editor's save caught between its two writes) does not fail the run:
    the driver saves that document itself, from the file as it then is, with the same result."""
    from pipeline import batch

    work, config, _ = project
    twin = work.parent / f"{work.name}-twin"
    shutil.copytree(work, twin, symlinks=True)
    for folder in (work, twin):
        source = folder / "src" / "doc03.txt"
        source.write_text(source.read_text(encoding="utf-8") + "\nThe committee will meet again next week.\n",
                          encoding="utf-8")
    os.chdir(twin)
    run(twin, config, jobs=jobs)
    os.chdir(work)
    real_bytes, halved = batch._bytes_of, []

    def half_of_the_po(path):
        data = real_bytes(path)
        if path.name == "doc03.po" and data:
            halved.append(path)
            return data[: len(data) // 2]
        return data

    monkeypatch.setattr(batch, "_bytes_of", half_of_the_po)
    run(work, config, jobs=jobs)
    assert halved
    assert comparable(work / "locales") == comparable(twin / "locales")
    assert comparable(work / "dist") == comparable(twin / "dist")


def test_the_library_run_returns_the_documents_as_their_catalogs_hold_them_with_a_pool(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "src", documents=4, sentences=4)
    config, _ = counting_config(tmp_path)
    docs = run(tmp_path, config, jobs=2).documents
    assert [doc.name for doc in docs] == ["doc01", "doc02", "doc03", "doc04"]
    for doc in docs:
        held = {entry.msgid: entry.msgstr
                for entry in polib.pofile(str(tmp_path / "locales" / "es" / "LC_MESSAGES" / f"{doc.name}.po"))}
        segments = [segment for segment in doc.segments() if segment.text.strip()]
        assert segments and all(segment.translation == held[segment.text] for segment in segments)


def test_the_index_keeps_documents_of_earlier_runs_whatever_the_state_says(project):
    """The manifest is read only when it may hold documents this run does not (the state records which
    it lists); a manifest edited by hand is read again, and a run over part of the sources keeps the rest."""
    work, config, _ = project
    (work / "part").mkdir()
    shutil.copy(work / "src" / "doc01.txt", work / "part" / "doc01.txt")
    api.run(["part"], locales="locales", dist="dist", quiet=True, config=config, jobs=1)
    listed = [entry["name"] for entry in json.loads((work / "dist" / "manifest.json").read_text())["documents"]]
    assert listed == [f"doc{n:02d}" for n in range(1, DOCUMENTS + 1)]  # the others kept: their pages are there
    manifest = json.loads((work / "dist" / "manifest.json").read_text())
    extra = dict(manifest["documents"][1], name="doc99")  # an entry someone else's run added, pages and all
    for page in extra["outputs"].values():
        shutil.copy(work / "dist" / page, work / "dist" / page.replace("doc02", "doc99"))
    extra["outputs"] = {kind: page.replace("doc02", "doc99") for kind, page in extra["outputs"].items()}
    manifest["documents"].append(extra)
    (work / "dist" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    source = work / "src" / "doc03.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nThe committee will meet again next week.\n",
                      encoding="utf-8")
    run(work, config)
    listed = [entry["name"] for entry in json.loads((work / "dist" / "manifest.json").read_text())["documents"]]
    assert listed == [f"doc{n:02d}" for n in range(1, DOCUMENTS + 1)] + ["doc99"]
    assert 'id="doc99"' in (work / "dist" / "index.html").read_text(encoding="utf-8")


def test_a_task_finished_in_another_folder_names_the_source_as_the_driver_sees_it(tmp_path, monkeypatch):
    """A Dask worker's current folder is its own: the catalog's X-Source (the source's path from the
    locales folder) is made by the driver, so a relative source and an absolute locales folder still
    give the path a run here writes."""
    from pipeline import batch, catalog
    from pipeline.site import SiteOptions

    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "src", documents=1, sentences=2)
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    doc = api.load_documents(["src/doc01.txt"], config=config)[0]
    inputs = batch.CatalogInputs(config.locales, 79, 0.8, None, None, catalog.x_source(doc, config.locales))
    elsewhere = tmp_path / "worker" / "folder"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    done = batch.finish_task(batch.FinishTask(doc, config.dist, SiteOptions(), "", None, inputs))
    po = next(item.data for item in done.catalogs if item.path.suffix == ".po")
    assert b'"X-Source: ../src/doc01.txt\\n"' in po
