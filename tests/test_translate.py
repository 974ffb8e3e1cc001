"""The translate stage around a real engine: protected spans verbatim, fallback, batching."""
from __future__ import annotations

import pytest

from pipeline.engines import get_engine
from pipeline.engines.apertium import ApertiumEngine
from pipeline.model import Segment, Span, State
from pipeline.translate import spans_kept, translate_segments


class ManglingApertium(ApertiumEngine):
    """Real Apertium whose output then loses the accents and ¡ of protected spans,
    as a neural engine may do to a mask; records what it was asked to translate."""

    def __init__(self):
        super().__init__()
        self.batches: list[list[str]] = []

    def translate_batch(self, segments):
        self.batches.append(["".join(s.text for s in spans) for spans in segments])
        out = super().translate_batch(segments)
        for spans in segments:
            for span in spans:
                if span.protected:
                    out = [t.replace(span.output, span.output.replace("¡", "").replace("é", "e")) for t in out]
        return out


def segment(*parts: tuple[str, bool]) -> Segment:
    spans = [Span(text, protected, "es" if protected else "en", "spanish" if protected else "") for text, protected in parts]
    return Segment("".join(p[0] for p in parts), spans=spans)


def test_protected_span_survives_an_engine_that_mangles_it():
    engine = ManglingApertium()
    seg = segment(("The crowd chanted ", False), ("¡Que se vayan todos!", True), (" in the main square.", False))
    other = segment(("Héctor Bejár", True), (" spoke to the marchers.", False))
    assert translate_segments([seg, other], engine) == 2
    for s in (seg, other):
        assert spans_kept(s.pieces, s.translation), s.translation
        assert s.state == State.MACHINE and s.engine == "apertium"
    assert "¡Que se vayan todos!" in seg.translation and "Héctor Bejár" in other.translation
    assert "crowd" not in seg.translation  # the English around the span was translated
    assert len(engine.batches) == 2  # the batch, then one call for every piece around failed spans


def test_wholly_spanish_segments_never_reach_the_engine():
    engine = ManglingApertium()
    spanish = Segment("¡El agua no se vende!", lang="es", spans=[Span("¡El agua no se vende!", True, "es", "spanish")])
    english = segment(("The water is not for sale.", False))
    translate_segments([spanish, english], engine)
    assert engine.batches == [["The water is not for sale."]]
    assert spanish.translation == "¡El agua no se vende!" and spanish.state == State.REVIEWED


def test_identical_segments_are_translated_once_and_reviewed_ones_not_at_all():
    engine = ManglingApertium()
    first, second = segment(("Close the Congress!", False)), segment(("Close the Congress!", False))
    reviewed = Segment("Out with Dina Boluarte!", translation="¡Fuera Dina Boluarte!", state=State.REVIEWED)
    assert translate_segments([first, second, reviewed], engine) == 2
    assert engine.batches == [["Close the Congress!"]]
    assert first.translation == second.translation and first.translation
    assert reviewed.translation == "¡Fuera Dina Boluarte!"


def test_glossary_replacement_comes_out_in_place_of_the_term():
    seg = Segment("The Public Defender denounced the murder.", spans=[
        Span("The "), Span("Public Defender", True, "en", "glossary", replacement="Defensoría del Pueblo"),
        Span(" denounced the murder.")])
    translate_segments([seg], get_engine("apertium"))
    assert "Defensoría del Pueblo" in seg.translation and "Public Defender" not in seg.translation


def test_auto_engine_without_any_engine_says_how_to_get_one(monkeypatch, tmp_path):
    from pipeline.config import EngineSettings
    from pipeline.errors import EngineError

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))  # argostranslate's own variable
    with pytest.raises(EngineError, match="apt-get install apertium-eng-spa"):
        get_engine("auto", EngineSettings(apertium=str(tmp_path / "no-apertium")))



def test_the_engine_registry_names_the_choices():
    from pipeline.engines import ENGINE_NAMES, ENGINES, engine_class
    from pipeline.errors import EngineError

    assert ENGINE_NAMES == ("auto", "apertium", "argos") and ENGINES["apertium"] is ApertiumEngine
    assert engine_class("apertium") is ApertiumEngine
    with pytest.raises(EngineError, match=r"unknown engine 'moses' \(choose from auto, apertium, argos\)"):
        get_engine("moses")
