"""The Apertium engine, run for real: alignment, kept spans, one process per batch, and its repairs."""
from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import EngineSettings
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium.steps import STEPS, repair_stream, steps_named
from pipeline.errors import EngineError
from pipeline.model import Segment, Span, State
from pipeline.translate import translate_segments

FLORES_EN = Path(__file__).resolve().parents[2] / "shared" / "eval" / "flores200-devtest" / "flores200.devtest.eng_Latn.txt"

pytestmark = pytest.mark.skipif(not ApertiumEngine.available(), reason="apertium-eng-spa is not installed")


# The eng-spa pair without second opinions or the pivot word list: these tests check its repairs
# and FreeDict (tests/test_consensus.py and tests/test_pivot_lexicon.py the rest).
ALONE = EngineSettings(apertium_pivots=(), apertium_word_pivot=())


def translate(*texts: str, settings: EngineSettings = ALONE) -> list[str]:
    return ApertiumEngine(settings).translate_batch([[Span(text)] for text in texts])


def flores_line(start: str) -> str:
    """The FLORES devtest English line that starts with `start`."""
    return next(line for line in FLORES_EN.read_text(encoding="utf-8").splitlines() if line.startswith(start))


@pytest.fixture
def counting_apertium(tmp_path) -> tuple[EngineSettings, Path]:
    """Settings whose apertium is a wrapper that logs each start's arguments, then runs the real apertium."""
    log = tmp_path / "starts.log"
    wrapper = tmp_path / "apertium"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {shutil.which("apertium")} "$@"\n')
    wrapper.chmod(0o755)
    return replace(ALONE, apertium=str(wrapper)), log


def translating_starts(log: Path) -> int:
    """Apertium processes that translated something (not `apertium -l` availability checks)."""
    return sum(1 for line in log.read_text().splitlines() if ALONE.apertium_mode in line.split()) if log.exists() else 0


def test_awkward_batch_stays_aligned():
    long_text = " ".join(f"The women walked {n} kilometres to the square." for n in range(300))
    awkward = [
        "",
        "   ",
        "The first line\nand the second line",
        "Write <b> and &amp; as plain text.",
        '<p id="s0">A fake block</p> and a stray </p> tag',
        "Stream marks: $5 [note] ^up^ back\\slash {x} @home *star* #tag",
        long_text,
        "Close the Congress",
        "Line one\n\nLine two",
    ]
    out = translate(*awkward)
    assert len(out) == len(awkward)
    assert out[0] == "" and out[1] == "   "
    assert "\n" in out[2] and out[2].split("\n")[0].startswith("La primera")
    assert "<b>" in out[3] and "&amp;" in out[3] and "texto" in out[3]
    assert '<p id="s0">' in out[4] and "</p>" in out[4] and "bloque" in out[4]
    assert all(mark in out[5] for mark in ("$5", "[", "^", "\\", "{x}", "@", "#"))
    assert out[6].count("plaza.") == 300 and "women" not in out[6]
    assert out[7] == "Cercano el Congreso"  # the segment after a 300-sentence one is its own translation
    assert out[8].count("\n\n") == 1


def test_a_thousand_segments_come_back_in_order():
    texts = [f"Segment number {n} has {n} houses." for n in range(1000)]
    out = translate(*texts)
    assert len(out) == 1000
    assert all(f"{n} casas" in text for n, text in enumerate(out)), [t for n, t in enumerate(out) if f"{n} casas" not in t][:3]


def test_protected_spanish_comes_out_verbatim_and_the_english_around_it_is_translated():
    spans = [Span("Marchers chanted "), Span("¡Que se vayan todos!", True, "es", "spanish"), Span(" in Lima.")]
    (out,) = ApertiumEngine(ALONE).translate_batch([spans])
    assert "¡Que se vayan todos!" in out
    assert out.endswith("en Lima.")  # translated, and not capitalised after the kept span
    glossary = [Span("The "), Span("Public Defender", True, "en", "glossary", replacement="Defensoría del Pueblo"),
                Span(" & the police <b>arrived</b>.")]
    (out,) = ApertiumEngine(ALONE).translate_batch([glossary])
    assert "Defensoría del Pueblo" in out and "Public Defender" not in out
    assert "& la policía <b>" in out and "</b>" in out  # markup-like text is text, not markup


def test_one_apertium_process_per_batch(counting_apertium):
    settings, log = counting_apertium
    segments = [Segment(f"The water of river {n} is not for sale.") for n in range(120)]
    segments.append(Segment("Marchers chanted ¡Fuera Dina! in Lima.", spans=[
        Span("Marchers chanted "), Span("¡Fuera Dina!", True, "es", "spanish"), Span(" in Lima.")]))
    assert translate_segments(segments, ApertiumEngine(settings), quiet=True) == 121
    assert translating_starts(log) == 1
    assert all(s.state == State.MACHINE and "agua" in s.translation for s in segments[:120])


def test_a_failing_apertium_is_an_engine_error_with_its_message(tmp_path):
    broken = tmp_path / "apertium"
    broken.write_text('#!/bin/sh\necho "Error: Mode eng-spa does not exist." >&2\necho "second line" >&2\nexit 1\n')
    broken.chmod(0o755)
    with pytest.raises(EngineError) as raised:
        translate("The house is red.", settings=replace(ALONE, apertium=str(broken)))
    assert "Mode eng-spa does not exist. second line" in str(raised.value) and "\n" not in str(raised.value)
    missing = replace(ALONE, apertium=str(tmp_path / "missing"))
    assert not ApertiumEngine.available(missing)
    with pytest.raises(EngineError, match="cannot run"):
        translate("The house is red.", settings=missing)


# --- repairs: each fault Apertium makes on its own, on FLORES lines where it was seen ---

def test_no_words_glued_by_transfer_rules():
    mice, film, likes = translate(
        flores_line('"We now have 4-month-old mice'),
        flores_line("The other nominations include Best Picture"),
        "We like the house.")
    assert "ratones de 4 meses" in mice and "ratonesde4meses" not in mice  # raw: ratonesde4meses
    assert "queedita" not in film and "que edita" in film  # raw: queeditaPelícula
    assert likes.startswith("Nos gusta")  # raw: Nosgusta


def test_no_space_before_punctuation_nor_double_spaces():
    syria, said, ring = translate(
        flores_line("Late on Sunday, the United States President Donald Trump"),
        flores_line("He built a WiFi door bell"),
        flores_line("Previously, Ring's CEO"))
    assert syria.endswith("Siria.")  # raw: "Siria ."
    for text in (syria, said, ring):
        assert not re.search(r" [,.;:!?)]", text), text
        assert "  " not in text, text  # raw: "puerta,  dijo", "Red  CEO"


def test_no_capital_in_mid_sentence_after_an_unknown_word():
    danius, lionsgate = translate(
        flores_line("Danius said,"),
        flores_line("Two songs from the movie"))
    assert danius.startswith("Danius dijo")  # raw: "Danius Dijo"
    assert "Lionsgate el estudio" in lionsgate  # raw: "Lionsgate El estudio"
    # sentence starts keep their capital
    (two,) = translate("He said it. She agreed.")
    assert re.match(r"[A-Z]\w+ .*\. [A-Z]", two), two


def test_a_segment_that_starts_lowercase_is_not_capitalised():
    (piece,) = translate("in the main square")
    assert piece.startswith("en ")
    (name,) = translate("in Lima")
    assert name == "en Lima"


def test_flores_devtest_all_lines_aligned_and_free_of_mechanical_faults():
    lines = FLORES_EN.read_text(encoding="utf-8").splitlines()
    out = translate(*lines)  # one process, streamed through the repairs in many pipe reads
    assert len(out) == len(lines) == 1012 and all(text.strip() for text in out)
    assert not [t for t in out if re.search(r"\w [,.;:!?)]|  |ratonesde|queedita|Nosgusta", t)]


def repaired(names: list[str], *chunks: bytes) -> str:
    """A stream as the in-pipe program repairs it with these steps, given in these pieces."""
    return "".join(repair_stream(steps_named(names), chunks))


def repaired_wherever_cut(names: list[str], stream: str, every: int = 1) -> str:
    """The stream repaired in one piece, checked to come out the same cut in two at every `every`-th byte."""
    data = stream.encode()
    whole = repaired(names, data)
    for cut in range(1, len(data), every):
        assert repaired(names, data[:cut], data[cut:]) == whole, cut
    return whole


def test_repairs_do_not_depend_on_where_the_pipe_cuts_the_stream():
    postchunk = ("^Tener<vblex><pri><p1><pl>$ ^ratón<n><m><pl>$^de<pr>$^4<num>$^mes<n><m><pl>$  "
                 "[<apertium-notrans>¡Ya!<\\/apertium-notrans>] ^Siria<np><loc><f><sg>$ ^.<sent>$^.<sent>$[][\n]")
    whole = repaired(["blanks"], postchunk.encode())
    assert "^ratón<n><m><pl>$ ^de<pr>$ ^4<num>$ ^mes" in whole and "$^.<sent>$" in whole
    data = postchunk.encode()
    for cut in range(1, len(data)):
        assert repaired(["blanks"], data[:cut], data[cut:]) == whole, cut


def test_sentence_fixes_see_the_same_runs_wherever_the_pipe_cuts_after_a_sentence_end():
    # postchunk output of two table rows ("| `pipeline check` | ...") and a sentence with an entity in it:
    # a word after "| `" or after an inline superblank does not start a sentence, however the pieces come
    stream = ('^Ir<vblex><pri><p3><sg>$^.<sent>$[][<\\/p>\n<p id="s1">]| `^control<n><m><sg>$ ^de<pr>$ '
              '^tubería<n><f><sg>$` | ^puerta<n><f><sg>$^.<sent>$[][<\\/p>\n<p id="s2">]^Ver<vblex><pri><p3><sg>$ '
              '^uno<det><ind><m><sg>$ [&lt;]^investigador<n><m><pl>$[&gt;] ^ayer<adv>$^.<sent>$ "^Nada<prn><tn><m><sg>$'
              '^.<sent>$" ^máquina<n><f><sg>$ ^trabajar<vblex><pri><p3><sg>$^.<sent>$[][<\\/p>\n]')
    whole = repaired_wherever_cut(["spanish-rules"], stream)
    assert "| `^control<n><m><sg>$" in whole and "[&lt;]^investigador<n><m><pl>$" in whole
    assert '^Nada<prn><tn><m><sg>$"^.<sent>$ ' in whole  # the period goes after the closing quote


def test_the_stream_is_split_into_whole_items_escapes_included():
    from pipeline.engines.apertium.stream import items

    stream = ("^a\\$b<n>$ [x\\]y] [[t:i:1]]^Nom<SN>{^c\\}d<n>$ ^e<adj>$}$\\^ plain ^f/g<n>/h<vblex>$"
              "^unit<n>$^open{^x<n>$")
    assert items(stream) == ["^a\\$b<n>$", " ", "[x\\]y]", " ", "[[t:i:1]]", "^Nom<SN>{^c\\}d<n>$ ^e<adj>$}$", "\\^",
                             " plain ", "^f/g<n>/h<vblex>$", "^unit<n>$", "^", "open{", "^x<n>$"]
    assert "".join(items(stream)) == stream  # a chunk not complete yet is no lexical unit: a lone "^" waits


def test_the_unknown_words_step_reads_on_while_the_word_list_is_made(tmp_path, monkeypatch):
    """The pipe is not stalled while the engine makes the pivot word list: the step holds what it reads
    and lets it out, repaired with the list, once the list is there."""
    from pipeline.engines.apertium import unknown_words
    from pipeline.engines.apertium.steps import Dictionaries
    from pipeline.engines.apertium.unknown_words import WordList

    monkeypatch.setattr(unknown_words, "WORD_LIST_WAIT", 1.0)  # a stall fails the test instead of hanging it
    sentence = "^Ellos<prn><tn><p3><m><pl>$ ^*chanted$ ^eslogan<n><m><pl>$^.<sent>$[][\n]"
    chunks = [sentence.encode()] * 6
    words = tmp_path / "words.tsv"
    step = steps_named(["unknown-words"])
    read: list[int] = []

    def arriving():
        for number, chunk in enumerate(chunks):
            if number == 4:  # the engine's list lands while the stream is half read
                WordList({"chanted": "coreado"}).save(words)
            read.append(number)
            yield chunk

    out = [(len(read), piece) for piece in repair_stream(step, arriving(), Dictionaries((str(words),)))]
    assert all(number > 4 for number, piece in out if piece)  # nothing went on before the list was there
    assert "".join(piece for _, piece in out) == sentence.replace("*chanted", "*coreado") * 6
    assert "".join(repair_stream(step, chunks, Dictionaries((str(words),)))) == "".join(piece for _, piece in out)


# --- quality: unknown words, Spanish usage, and transfer choices put right (issue 6) ---

FREEDICT = Path(EngineSettings().freedict)
needs_freedict = pytest.mark.skipif(not Path(f"{FREEDICT}.index").is_file(),
                                    reason="dict-freedict-eng-spa is not installed")


@needs_freedict
def test_unknown_english_words_are_looked_up_in_freedict_by_lemma():
    (warned,) = translate(flores_line("Dr. Ehud Ur, professor of medicine"))
    assert "cautioned" not in warned and "avisado" in warned  # raw: "cautioned"
    (conservatives,) = translate("The conservatives spoke courageously.")
    assert "conservadores" in conservatives and "bravamente" in conservatives, conservatives
    (code,) = translate(flores_line("The 802.11n standard"))
    assert "802.11n" in code  # a letter glued to a number is not a word to look up
    (marched,) = translate("Thousands of people marched through the center of the city.")
    assert "marzo" not in marched  # an -ed form is a verb: FreeDict's noun sense "marzo" is not it


def test_without_freedict_unknown_words_stay_as_they_were():
    (warned,) = translate("The experts cautioned the public.", settings=replace(ALONE, freedict="/nonexistent/freedict-eng-spa"))
    assert "cautioned" in warned


def test_numbers_and_quotes_follow_spanish_usage():
    numbers, quoted = translate(
        "About 1,400 people walked 17,500 miles; 3.5 m of rain fell.",
        'He said "the water is not for sale".')
    assert "1400 personas" in numbers and "17\u00a0500 millas" in numbers and "3.5 m" in numbers
    assert "«" in quoted and quoted.endswith("».") and '"' not in quoted


def test_quotes_around_a_kept_span_become_angle_quotes_and_the_span_stays_verbatim():
    spans = [Span('They chanted "'), Span('"Fuera Dina"', True, "es", "spanish"), Span('" in Lima.')]
    (out,) = ApertiumEngine(ALONE).translate_batch([spans])
    assert '«"Fuera Dina"»' in out and out.endswith("en Lima.")


def test_transfer_choices_put_right():
    genitive, passive, used, relative, occasions = translate(
        flores_line("Negotiators tried to rectify the situation"),
        flores_line("Wagonways were built in England"),
        "Russian is widely used.",
        "People who already have diabetes.",
        flores_line("During his trip, Iwasaki ran into trouble"))
    assert "las demandas de los prisioneros" in genitive  # raw: "los prisioneros' las demandas"
    # raw: "estuvo construido"; a passive or the reflexive "se" passive is right
    assert re.search(r"fueron construidos|fue construido|se construy", passive) and "estuvo" not in passive
    # "used" read as a participle (raw: "utilizó"): passive or "se" passive
    assert re.search(r"\b(utilizado|usado)\b|se (utiliza|usa)\b", used) and "utilizó" not in used
    assert "que ya" in relative and "quién" not in relative  # raw: "personas quién ya"
    assert "en muchas ocasiones" in occasions  # raw: "encima muchas ocasiones"


def test_sentence_level_repairs_do_not_depend_on_where_the_pipe_cuts_the_stream():
    analysis = ("^The/The<det><def><sp>$ ^prisoners/prisoner<n><pl>$^'/'<apos>$ ^demands/demand<n><pl>$ "
                "^ran/run<vblex><past>$ ^on/on<adv>/on<pr>$ ^many/many<det><qnt><pl>$ ^occasions/occasion<n><pl>$"
                "^./.<sent>$[][\n]^It/it<prn>$ ^is/be<vbser><pri><p3><sg>$ ^widely/widely<adv>$ "
                "^used/use<vblex><past>/use<vblex><pp>$^./.<sent>$")
    whole = repaired_wherever_cut(["disambiguation"], analysis, every=3)
    assert "^'/'s<gen>$" in whole and "^on/on<pr>$" in whole and "^used/use<vblex><pp>$" in whole


def test_case_repair_does_not_depend_on_where_the_pipe_cuts_a_chunk():
    # interchunk output; "Have_pp" capitalised as if it began the sentence ("Aerosmith Ha anulado")
    stream = ("^Nom<SN><PDET><mf><pl>{^oficial<n><3><4>$}$ ^verbcj<SV><reporting><ifi><p3><pl>"
              "{^decir<vblex><3><4><5>$}$ ^unknown<unknown>{^*Aerosmith$}$ ^Have_pp<SV><vblex><pri><p3><sg>"
              "{^haber<vbhaver><3><4><5>$ ^anular<vblex><pp><m><sg>$}$^punt<sent>{^.<sent>$}$[][\n]")
    whole = repaired(["sentence-case"], stream.encode())
    assert "^have_pp<SV>" in whole
    data = stream.encode()
    for cut in range(1, len(data)):  # a piece ending inside the chunk once read it as a lexical unit
        assert repaired(["sentence-case"], data[:cut], data[cut:]) == whole, cut


def test_postchunk_fixes_see_the_closing_quote_wherever_the_pipe_cuts_the_stream():
    # postchunk output for: He said, "That is enough." Then he left.
    stream = ('^.<sent>$[][<p>] ^Decir<vblex><ifi><p3><sg>$^,<cm>$ "^Aquello<prn><tn><m><sp>$ '
              '^ser<vbser><pri><p3><sg>$ ^bastante<adv>$^.<sent>$" ^Entonces<cnjadv>$  '
              '^dejar<vblex><ifi><p3><sg>$^.<sent>$[][<\\/p>\n]')
    whole = repaired(["spanish-rules"], stream.encode())
    assert '^bastante<adv>$"^.<sent>$ ^Entonces' in whole and "^:<sent>$" in whole
    data = stream.encode()
    for cut in range(1, len(data)):
        assert repaired(["spanish-rules"], data[:cut], data[cut:]) == whole, cut


def test_freedict_reader_and_simple_spanish_inflection(tmp_path):
    import gzip

    from pipeline.engines.apertium.unknown_words import _BASE64, FreeDict

    def b64(n: int) -> str:
        digits = ""
        while True:
            digits = _BASE64[n % 64] + digits
            n //= 64
            if not n:
                return digits

    entries = {"chant": "chant /tʃænt/\n1. corear, cantar\n", "song": "song /sɒŋ/\ncanción (f)\n",
               "rapid": "rapid /ˈræpɪd/\nrápido\n", "lie": "lie /laɪ/\nLieja\n"}
    body, rows = b"", []
    for word, text in entries.items():
        data = text.encode()
        rows.append(f"{word}\t{b64(len(body))}\t{b64(len(data))}")
        body += data
    (tmp_path / "fd.index").write_text("00databaseshort\tA\tB\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "fd.dict.dz").write_bytes(gzip.compress(body))
    fd = FreeDict.load(tmp_path / "fd")
    assert [fd.translate(w) for w in ("chanted", "chanting", "chants", "songs", "rapidly", "lied", "xyz")] == [
        "coreado", "coreando", "corear", "canciones", "rápidamente", None, None]
    assert FreeDict.load(tmp_path / "missing") is None


def test_feminine_nouns_with_stressed_a_start_with_el_not_all_capitals():
    (water, area) = translate("The water is clean.", "The area is large.")
    assert water.startswith("El agua ") and area.startswith("El área ")  # raw: "EL agua", "EL área"


def test_article_after_a_fixed_preposition_is_contracted():
    (beyond,) = translate("They walked beyond the river.")
    assert "más allá del río" in beyond  # without the repair: "más allá de el río"


# --- the step registry: it drives the mode, the in-pipe program and switching steps off ---

def test_the_in_pipe_program_repairs_a_stream_as_its_command_line_says():
    import subprocess
    import sys

    postchunk = "^ratón<n><m><pl>$^de<pr>$^4<num>$^mes<n><m><pl>$ ^.<sent>$  ^*chanted$^.<sent>$[][\n]"
    done = subprocess.run([sys.executable, "-m", "pipeline.engines.apertium", "-z", "blanks"],
                          input=postchunk.encode(), capture_output=True, check=True)
    assert done.stdout.decode() == repaired(["blanks"], postchunk.encode())
    assert "^ratón<n><m><pl>$ ^de<pr>$ ^4<num>$ ^mes" in done.stdout.decode()
    wrong = subprocess.run([sys.executable, "-m", "pipeline.engines.apertium", "no-such-step"],
                           input="", capture_output=True, text=True)
    assert wrong.returncode == 2 and "unknown repair step no-such-step" in wrong.stderr


def test_every_pipe_step_is_spliced_after_its_program():
    from pipeline.engines.apertium import process
    from pipeline.engines.apertium.steps import OUTPUT, Dictionaries, pipe_splices

    mode = process.system_mode_file(ALONE).read_text(encoding="utf-8")
    splices = pipe_splices(STEPS, Dictionaries(("words.tsv",), "/freedict"))
    pipe = process.repaired_mode(mode, [(position, " ".join(["R", *arguments])) for position, arguments in splices])
    programs = pipe.strip().split(" | ")
    for step in STEPS:
        if step.after == OUTPUT:
            continue
        (at,) = [i for i, program in enumerate(programs) if program.startswith("R ") and step.name in program.split()[1].split(",")]
        command, marker = process.PROGRAMS[step.after]
        assert programs[at - 1].startswith(command + " ") and marker in programs[at - 1], step.name
    assert "R transfer-fixes,spanish-rules,unknown-words,blanks --words words.tsv --freedict /freedict" in programs
    assert process.repaired_mode("cat | tac", [("postchunk", "R blanks")]) is None  # not the pipe they were written for


def test_a_step_switched_off_is_not_run():
    line = flores_line('"We now have 4-month-old mice')
    (without,) = ApertiumEngine(ALONE, disabled_steps={"blanks"}).translate_batch([[Span(line)]])
    assert "ratonesde4meses" in without  # the pair's own slip, which the blanks step puts right
    (quotes,) = ApertiumEngine(ALONE, disabled_steps={"angle-quotes"}).translate_batch([[Span('He said "no".')]])
    assert '"' in quotes and "«" not in quotes
    with pytest.raises(EngineError, match="unknown Apertium repair step nonsense"):
        ApertiumEngine(ALONE, disabled_steps={"nonsense"})
