"""The cache folder (pipeline/cache.py) and what is kept in it: the pivot's answers per word and FreeDict's
senses (pipeline/engines/apertium/unknown_words.py), with the real Apertium pairs."""
from __future__ import annotations

import multiprocessing
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import cache, config
from pipeline.config import EngineSettings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.process import installed_modes, system_mode_file
from pipeline.engines.apertium.unknown_words import (FREEDICT_CACHE, PIVOT_CACHE, FreeDict, pivot_answers, pivot_key,
                                                     pivot_words)
from pipeline.model import Span

needs_pivot = pytest.mark.skipif(
    not ApertiumEngine.available() or not {"eng-cat", "cat-spa"} <= installed_modes(EngineSettings().apertium),
    reason="apertium-eng-spa, apertium-eng-cat and apertium-spa-cat are needed")
FREEDICT = EngineSettings().freedict
needs_freedict = pytest.mark.skipif(not Path(f"{FREEDICT}.index").is_file(), reason="dict-freedict-eng-spa is needed")

# sentences with words eng-spa does not know, some the pivot answers ("recruited", "reopened") and some not
SENTENCES = ["Rangers Inc recruited shooters in Jerusalem.", "The market reopened on Monday.",
             "Indigenous protesters chanted near the sewage plant.", "Martelly stayed in the Marianas."]


def translate(settings: EngineSettings) -> list[str]:
    return ApertiumEngine(settings).translate_batch([[Span(text)] for text in SENTENCES])


def pivot_file(folder: Path, settings: EngineSettings) -> Path:
    return cache.path_of(folder, PIVOT_CACHE, pivot_key(settings))


# --- the cache folder -------------------------------------------------------------------------------

def test_the_folder_is_the_setting_else_the_xdg_cache_else_home():
    assert config.load(environ={"PIPELINE_CACHE_DIR": "/srv/c", "HOME": "/h"}).cache_dir == Path("/srv/c")
    assert config.load(environ={"XDG_CACHE_HOME": "/x", "HOME": "/h"}).cache_dir == Path("/x/bilingual-pipeline")
    assert config.load(environ={"XDG_CACHE_HOME": "rel", "HOME": "/h"}).cache_dir == Path("/h/.cache/bilingual-pipeline")
    assert config.load(environ={}).cache_dir is None
    # where the cache is decides no output: the engine's version (the build state's fingerprint) ignores it
    settings = config.load(environ={"PIPELINE_CACHE_DIR": "/srv/c"}).engines
    assert ApertiumEngine(settings).version == ApertiumEngine(replace(settings, cache_dir=None)).version


def test_a_value_comes_back_and_a_damaged_or_other_file_is_ignored(tmp_path):
    assert cache.store(tmp_path, "things", "k1", {"a": "b", "c": None})
    assert cache.load(tmp_path, "things", "k1") == {"a": "b", "c": None}
    assert cache.load(tmp_path, "things", "k2") is None  # another key: another file
    path = cache.path_of(tmp_path, "things", "k1")
    raw = path.read_bytes()
    path.write_bytes(raw[:-3])  # truncated
    assert cache.load(tmp_path, "things", "k1") is None
    path.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))  # one bit flipped in the payload
    assert cache.load(tmp_path, "things", "k1") is None
    path.write_bytes(b"\x00garbage")
    assert cache.load(tmp_path, "things", "k1") is None
    assert cache.merge(tmp_path, "things", "k1", {"x": "y"}) == {"x": "y"}  # the damaged file is replaced
    assert cache.load(tmp_path, "things", "k1") == {"x": "y"}
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_files_of_old_keys_go_once_unused_for_a_month(tmp_path):
    cache.store(tmp_path, "things", "old", {"a": "1"})
    cache.store(tmp_path, "things", "recent", {"a": "2"})
    cache.merge(tmp_path, "things", "recent", {"b": "3"})  # and its lock file
    month_ago = cache.path_of(tmp_path, "things", "old").stat().st_mtime - 31 * 86400
    for key in ("old", "recent"):
        os.utime(cache.path_of(tmp_path, "things", key), (month_ago, month_ago))
    assert cache.load(tmp_path, "things", "recent") == {"a": "2", "b": "3"}  # used: marked as such
    cache.store(tmp_path, "things", "new", {"a": "4"})
    assert cache.load(tmp_path, "things", "old") is None and not cache.path_of(tmp_path, "things", "old").exists()
    assert cache.load(tmp_path, "things", "recent") == {"a": "2", "b": "3"}
    assert cache.load(tmp_path, "things", "new") == {"a": "4"}


def test_no_folder_or_one_that_cannot_be_made_is_no_cache(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    for folder in (None, blocker, blocker / "below"):
        assert cache.store(folder, "things", "k", {"a": "b"}) is False
        assert cache.load(folder, "things", "k") is None
        assert cache.merge(folder, "things", "k", {"a": "b"}) == {"a": "b"}


def _merge_many(folder: str, worker: int) -> None:
    for round_ in range(20):
        cache.merge(Path(folder), "words", "key", {f"w{worker}-{round_}": str(worker)})


def test_concurrent_merges_lose_no_entry(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_merge_many, args=(str(tmp_path), worker)) for worker in range(6)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    assert cache.load(tmp_path, "words", "key") == {f"w{w}-{r}": str(w) for w in range(6) for r in range(20)}


# --- the pivot's answers ----------------------------------------------------------------------------

@needs_pivot
def test_a_words_answer_does_not_depend_on_the_words_sent_with_it():
    # FLORES devtest's "inc" and "recruited": sent as bare words one after the other, "inc recruited" was
    # read as one sentence and "recruited" came back "contrató", alone "contratado"
    settings = EngineSettings()
    alone = {word: pivot_answers([word], settings)[word] for word in ("inc", "recruited", "rangers", "mick")}
    assert alone["recruited"]
    for batch in (["inc", "recruited"], ["rangers", "inc", "recruited", "mick"], ["mick", "recruited", "inc"]):
        assert pivot_answers(batch, settings) == {word: alone[word] for word in batch}


@needs_pivot
def test_a_warm_cache_gives_the_output_of_a_cold_one_and_of_none(tmp_path):
    settings = EngineSettings(cache_dir=tmp_path)
    none = translate(replace(settings, cache_dir=None))
    cold = translate(settings)
    kept = cache.load(tmp_path, PIVOT_CACHE, pivot_key(settings))
    assert "recruited" in kept and "martelly" in kept and kept["martelly"] == ""  # "no usable answer" is kept too
    assert (tmp_path / pivot_file(tmp_path, settings).name).is_file()
    warm = translate(settings)
    assert cold == none == warm
    assert any("reabri" in line for line in warm)


@needs_pivot
def test_a_kept_answer_is_used_without_asking_the_pivot(tmp_path):
    settings = EngineSettings(cache_dir=tmp_path, freedict="")
    # "recruited" and "inc" are unknown to eng-spa; the pivot says "contratado" and nothing usable
    cache.store(tmp_path, PIVOT_CACHE, pivot_key(settings), {"recruited": "alistado", "inc": ""})
    assert pivot_words(["Inc recruited."], settings).words == {"recruited": "alistado"}
    assert "alistado" in ApertiumEngine(settings).translate_batch([[Span("The firm recruited guards.")]])[0]


@needs_pivot
def test_a_damaged_cache_file_or_a_folder_that_cannot_be_made_gives_the_right_output(tmp_path):
    settings = EngineSettings(cache_dir=tmp_path / "cache")
    expected = translate(replace(settings, cache_dir=None))
    assert translate(settings) == expected
    path = pivot_file(settings.cache_dir, settings)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated, as by a full disk
    assert translate(settings) == expected
    assert isinstance(cache.load(settings.cache_dir, PIVOT_CACHE, pivot_key(settings)), dict)  # replaced whole
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert translate(replace(settings, cache_dir=blocker / "cache")) == expected


@needs_pivot
def test_answers_kept_under_other_mode_data_are_not_used(tmp_path, monkeypatch):
    # a datadir of our own (apertium reads APERTIUM_DATADIR as we do) whose eng-cat mode names a copy of
    # one of its data files: a new time on that copy is another key, so the old answers are not read
    settings = EngineSettings(cache_dir=tmp_path / "cache", freedict="")
    datadir = tmp_path / "apertium"
    (datadir / "modes").mkdir(parents=True)
    for name in ("eng-spa", "eng-cat", "cat-spa"):
        shutil.copy(system_mode_file(settings, name), datadir / "modes" / f"{name}.mode")
    mode = datadir / "modes" / "eng-cat.mode"
    generator = re.search(r"'(/[^']+autogen\.bin)'", mode.read_text()).group(1)
    copy = datadir / Path(generator).name
    shutil.copy(generator, copy)
    mode.write_text(mode.read_text().replace(generator, str(copy)))
    monkeypatch.setenv("APERTIUM_DATADIR", str(datadir))
    old_key = pivot_key(settings)
    cache.store(settings.cache_dir, PIVOT_CACHE, old_key, {"recruited": "alistado"})
    assert pivot_words(["recruited"], settings).words == {"recruited": "alistado"}
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10**9))
    assert pivot_key(settings) != old_key
    assert pivot_words(["recruited"], settings).words == {"recruited": "contratado"}


# --- FreeDict's senses ------------------------------------------------------------------------------

@needs_freedict
def test_freedict_senses_come_from_the_cache_once_parsed(tmp_path):
    stem = tmp_path / "dict" / "freedict-eng-spa"
    stem.parent.mkdir()
    for suffix in (".index", ".dict.dz"):
        shutil.copy(f"{FREEDICT}{suffix}", f"{stem}{suffix}")
    parsed = FreeDict.parse(stem).senses
    assert FreeDict.load(stem, tmp_path / "cache").senses == parsed  # cold: parsed, then kept
    kept = list((tmp_path / "cache").glob(f"{FREEDICT_CACHE}-*.marshal"))
    assert len(kept) == 1
    kept[0].write_bytes(kept[0].read_bytes()[:100])
    assert FreeDict.load(stem, tmp_path / "cache").senses == parsed  # damaged: parsed again
    # the dictionary changed (a new index): the old senses are not used
    index = Path(f"{stem}.index")
    index.write_text(index.read_text(encoding="utf-8").replace("\nabide\t", "\nabidex\t"), encoding="utf-8")
    changed = FreeDict.load(stem, tmp_path / "cache").senses
    assert "abidex" in changed and "abidex" not in parsed


@needs_pivot
@needs_freedict
def test_the_in_pipe_step_keeps_freedicts_senses_in_the_cache_folder(tmp_path):
    settings = EngineSettings(cache_dir=tmp_path)
    first = translate(settings)
    assert list(tmp_path.glob(f"{FREEDICT_CACHE}-*.marshal"))
    assert translate(settings) == first == translate(replace(settings, cache_dir=None))
