"""The Argos engine with a tiny genuine model: every segment translated, protected spans verbatim.

The tiny model's words are meaningless; these tests check what the pipeline
guarantees whatever a model outputs.
"""
from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import polib
import pytest

from conftest import CORPUS, EXAMPLE, msgfmt_check, run_cli
from tinyargos import build_package, isolated_env

from pipeline.engines import argos_models
from pipeline.engines import get_engine
from pipeline.engines.argos import ArgosEngine
from pipeline.errors import EngineError
from pipeline.model import Span

SPANISH = ["¡Que se vayan todos!", "Toma de Lima", "Cuatro Suyos", "El Salto Diario", "Wayka Perú",
           "Resumen Latinoamericano", "¡El agua es nuestra, carajo!", "Coordinadora del Agua", "Los Tiempos"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_package(tmp_path_factory.mktemp("model") / "translate-en_es-tiny.argosmodel")


@pytest.fixture(scope="module")
def engine(tmp_path_factory, tiny_model):
    """An ArgosEngine over the tiny model, installed with argostranslate into a private folder."""
    root = tmp_path_factory.mktemp("argos")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in isolated_env(root).items():
            patch.setenv(key, value)
        argos_models.install_file(tiny_model)
        yield ArgosEngine()


def sentences(path: Path) -> list[str]:
    """Rough sentences of an article (the engine only needs text, not the project's segmenter)."""
    text = path.read_text(encoding="utf-8")
    return [s for s in re.split(r"(?<=[.!?”])\s+|\n", text) if s.strip()]


def protect(sentence: str, rng: random.Random) -> list[Span]:
    """Spans over `sentence`: known Spanish phrases protected, plus one random word for variety."""
    marks = [(m.start(), m.end(), "spanish") for phrase in SPANISH for m in re.finditer(re.escape(phrase), sentence)]
    words = [m for m in re.finditer(r"\w+", sentence) if not any(a <= m.start() < b for a, b, _ in marks)]
    if words and rng.random() < 0.5:
        word = rng.choice(words)
        marks.append((word.start(), word.end(), "do-not-translate"))
    spans, at = [], 0
    for start, end, reason in sorted(marks):
        if start > at:
            spans.append(Span(sentence[at:start]))
        spans.append(Span(sentence[start:end], protected=True, lang="es", reason=reason))
        at = end
    if at < len(sentence):
        spans.append(Span(sentence[at:]))
    return spans


def assert_kept(spans: list[Span], translation: str) -> None:
    assert translation.strip(), f"empty translation for {''.join(s.text for s in spans)!r}"
    assert "⟦" not in translation, f"placeholder leaked: {translation!r}"
    for span in spans:
        if span.protected:
            wanted = sum(1 for s in spans if s.protected and s.output == span.output)
            assert translation.count(span.output) >= wanted, (span.output, translation)


def test_available_only_with_an_english_spanish_model(tmp_path, monkeypatch, tiny_model):
    for key, value in isolated_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    packages = argos_models.packages_dir()
    (packages / "no-metadata").mkdir()  # argostranslate itself fails on such a folder
    (packages / "bad-json").mkdir()
    (packages / "bad-json" / "metadata.json").write_text("{not json")
    assert ArgosEngine.available() is False
    with pytest.raises(EngineError, match="pipeline models install en es"):
        get_engine("argos")

    argos_models.install_file(build_package(tmp_path / "es_en.argosmodel", from_code="es", to_code="en"))
    assert ArgosEngine.available() is False, "a Spanish-to-English model is not the engine's model"

    argos_models.install_file(tiny_model)
    assert ArgosEngine.available() is True
    assert get_engine("auto").name == "argos", "auto prefers Argos once a model is installed"


def test_corpus_segments_all_translated_with_spans_verbatim(engine):
    rng = random.Random(3)
    batch = [protect(s, rng) for s in sentences(CORPUS) + sentences(EXAMPLE)]
    assert sum(any(s.protected and s.reason == "spanish" for s in spans) for spans in batch) >= 5
    results = engine.translate_batch(batch)
    assert len(results) == len(batch)
    for spans, translation in zip(batch, results):
        assert_kept(spans, translation)


def test_hard_span_layouts_come_out_verbatim(engine):
    es = lambda text: Span(text, protected=True, lang="es", reason="spanish")  # noqa: E731
    batch = [
        [es("¡Que se vayan todos!")],  # all protected
        [es("¡Que se vayan todos!"), Span(" they chanted.")],  # at the start
        [Span("They chanted "), es("¡Que se vayan todos!")],  # at the end
        [Span("They read "), es("Wayka"), Span(" and "), es("Wayka"), Span(" again.")],  # twice
        [Span("Marchers said “"), es("¡El pueblo!"), Span("”, then left.")],  # glued to punctuation
        [es("Toma"), es(" de Lima"), Span(" began.")],  # adjacent spans
        [Span("The "), Span("water war", protected=True, reason="glossary", replacement="guerra del agua"),
         Span(" began in 2000.")],  # a glossary term comes out as its Spanish
        [Span("Ruiz reported it, "), es("carajo"), Span("!")],
    ]
    results = engine.translate_batch(batch)
    for spans, translation in zip(batch, results):
        assert_kept(spans, translation)
    assert "water war" not in results[6]


def test_placeholders_the_model_returns_become_the_spans(engine):
    """Where a model copies the placeholders (a real model mostly does), spans go back in their place."""
    kept = [Span("¡Fuera!", protected=True, lang="es"), Span("Lima", protected=True, lang="es")]
    masked = engine._mask([[Span("They shouted "), kept[0], Span(" in "), kept[1], Span(".")]])
    assert [t for t in masked[0][0] if "⟦" in t] == ["▁⟦0⟧", "▁⟦1⟧"]
    pieces = engine._encode(["Gritaron", "en"])
    moved = pieces[1] + ["▁⟦1⟧"] + pieces[0] + ["▁⟦0⟧", "."]  # reordered, as translation may
    lost = pieces[0] + ["▁⟦0⟧", "."]
    doubled = pieces[0] + ["▁⟦0⟧", "▁⟦0⟧", "▁⟦1⟧"]
    results = engine._unmask([moved, lost, doubled], [kept, kept, kept])
    assert results[0] == "en Lima Gritaron ¡Fuera!."
    assert results[1:] == [None, None], "a lost or doubled placeholder sends the segment to the fallback"


def test_unprotected_segments_and_empty_batch(engine):
    assert engine.translate_batch([]) == []
    results = engine.translate_batch([[Span("The people of Lima marched.")], [Span("2023.")]])
    assert all(r.strip() for r in results)
    assert engine.translate_batch([[Span("The people of Lima marched.")]]) == results[:1], \
        "the same segment translates the same way alone and in a batch"


def test_translator_loads_once_per_engine(engine):
    engine.translate_batch([[Span("One.")]])
    loaded = engine._translator
    engine.translate_batch([[Span("Two.")], [Span("Three.")]])
    assert engine._translator is loaded


@pytest.fixture()
def cli_env(tmp_path, tiny_model):
    env = isolated_env(tmp_path / "argos")
    done = run_cli("models", "install", "--file", tiny_model, env=env)
    assert done.returncode == 0, done.stderr
    return env


def test_pipeline_run_with_argos_writes_fuzzy_machine_entries(tmp_path, cli_env):
    source = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, source)
    done = run_cli("run", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist",
                   "--engine", "argos", env=cli_env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    po_path = tmp_path / "locales" / "es" / "LC_MESSAGES" / f"{source.stem}.po"
    assert msgfmt_check(po_path).returncode == 0, msgfmt_check(po_path).stderr
    catalog = polib.pofile(str(po_path))
    machine = [e for e in catalog if "machine translation: argos" in e.tcomment]
    assert len(machine) >= 5
    for entry in catalog:
        if entry.obsolete:
            continue
        assert entry.msgstr.strip(), f"untranslated: {entry.msgid!r}"
        kept = [line[len("keep: "):] for line in entry.comment.splitlines() if line.startswith("keep: ")]
        for text in kept:
            assert text in entry.msgstr, (text, entry.msgstr)
        if entry in machine:
            assert "fuzzy" in entry.flags
    spanish_text = (tmp_path / "dist" / f"{source.stem}.es.txt").read_text(encoding="utf-8")
    for phrase in ("¡El agua no se vende!", "¡El agua es nuestra, carajo!"):
        assert phrase in spanish_text


def test_pipeline_run_with_argos_and_no_model_says_how_to_install(tmp_path):
    source = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, source)
    done = run_cli("run", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist",
                   "--engine", "argos", env=isolated_env(tmp_path / "argos"), cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "pipeline models install en es" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_engine_module_does_not_import_argostranslate():
    import subprocess

    code = ("import sys, pipeline.engines.argos, pipeline.engines.argos_models, pipeline.cli;"
            "pipeline.engines.argos.ArgosEngine.available();"
            "print([m for m in sys.modules if m.split('.')[0] in ('argostranslate', 'ctranslate2', 'torch')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
