"""wordfreq's lists kept in the cache folder for detection (pipeline/frequencies.py): the same numbers, the
same detection, whether the cache is cold, warm, damaged or absent; wordfreq not imported when it is warm."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline import cache, frequencies
from conftest import CORPUS, REPO

wordfreq = pytest.importorskip("wordfreq")

# detection of the reference article, as a new process does it, with the cache folder given by argv[1]
# ("" for none); prints the languages and spans, and whether wordfreq was imported
DETECT = """
import json, sys
from pathlib import Path
from pipeline.detect import detect
from pipeline.readers import read_document
from pipeline.config import Config, EngineSettings
folder = Path(sys.argv[1]) if sys.argv[1] else None
config = Config(engines=EngineSettings(cache_dir=folder))
doc = detect(read_document(Path(sys.argv[2]), config), cache_dir=config.cache_dir)
spans = [[s.lang, [[x.text, x.protected, x.reason] for x in s.spans]] for s in doc.segments()]
print(json.dumps({"spans": spans, "wordfreq imported": "wordfreq" in sys.modules}))
"""


def detect_in_new_process(folder) -> dict:
    done = subprocess.run([sys.executable, "-c", DETECT, str(folder or ""), str(CORPUS)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=True)
    assert not done.stderr
    return json.loads(done.stdout)


def test_the_kept_lists_give_wordfreqs_numbers_for_every_word(tmp_path):
    cold = frequencies.load(tmp_path)
    warm = frequencies.load(tmp_path)
    assert all(isinstance(table, frequencies.Frequencies) for table in warm)
    for language, cold_table, warm_table in zip(frequencies.LANGUAGES, cold, warm):
        expected = wordfreq.get_frequency_dict(language)
        assert cold_table == expected
        assert all(warm_table.get(word, 0.0) == value for word, value in expected.items())
        for absent in ("zzqxv", "", "Hola", "ı̇stanbul", "\ud800"):
            assert warm_table.get(absent, 0.0) == expected.get(absent, 0.0)


def test_detection_is_the_same_cold_warm_damaged_and_without_cache(tmp_path):
    none = detect_in_new_process(None)
    cold = detect_in_new_process(tmp_path)
    warm = detect_in_new_process(tmp_path)
    assert none["wordfreq imported"] and cold["wordfreq imported"]
    assert not warm["wordfreq imported"]  # the point: a warm cache spares wordfreq's import and its dicts
    assert none["spans"] == cold["spans"] == warm["spans"]
    assert any(span[1] for segment in warm["spans"] for span in segment[1])  # Spanish found: a real test
    [kept] = tmp_path.glob(f"{frequencies.CACHE_NAME}-*.sections")
    whole = kept.read_bytes()
    kept.write_bytes(whole[:len(whole) // 2])  # truncated: half the buckets are gone
    damaged = detect_in_new_process(tmp_path)
    assert damaged["wordfreq imported"] and damaged["spans"] == none["spans"]
    kept.write_bytes(whole[:len(whole) // 2] + bytes(len(whole) - len(whole) // 2))  # zeros: damaged buckets
    damaged = detect_in_new_process(tmp_path)
    assert damaged["wordfreq imported"] and damaged["spans"] == none["spans"]
    assert detect_in_new_process(tmp_path)["wordfreq imported"]  # the damaged file went: made again
    assert not detect_in_new_process(tmp_path)["wordfreq imported"] and kept.read_bytes() == whole


def test_a_cache_folder_that_cannot_be_made_falls_back_on_wordfreq(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    english, spanish = frequencies.load(blocker / "cache")
    assert english == wordfreq.get_frequency_dict("en") and spanish == wordfreq.get_frequency_dict("es")
    assert cache.load_sections(blocker / "cache", frequencies.CACHE_NAME, frequencies.wordfreq_key()) is None


def test_a_process_that_finds_another_building_the_lists_uses_wordfreqs_own_and_stores_nothing(tmp_path):
    """Two workers of a first run miss the cache at once: one packs and stores the lists, the other uses
    wordfreq's (the same numbers) and leaves the file to it."""
    import fcntl

    key = frequencies.wordfreq_key()
    with open(tmp_path / f"{frequencies.CACHE_NAME}-{key[:24]}.lock", "a+b") as other:
        fcntl.flock(other, fcntl.LOCK_EX)  # another process is building them
        english, _ = frequencies.load(tmp_path)
        assert isinstance(english, dict) and english.get("the") == wordfreq.get_frequency_dict("en")["the"]
        assert not list(tmp_path.glob("*.sections"))
    english, _ = frequencies.load(tmp_path)  # no one else: this process packs and stores them
    assert list(tmp_path.glob("*.sections"))
    assert isinstance(frequencies.load(tmp_path)[0], frequencies.Frequencies)
