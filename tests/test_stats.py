"""Catalog statistics and the publish gate, on real PO files and through the command line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import msgfmt_check, run_cli
from pipeline import stats
from pipeline.errors import InputError

HEADER = """msgid ""
msgstr ""
"Project-Id-Version: bilingual-pipeline\\n"
"POT-Creation-Date: 2024-03-01 10:00+0100\\n"
"PO-Revision-Date: 2024-03-02 10:00+0100\\n"
"Last-Translator: Ana Ruiz <ana@example.org>\\n"
"Language-Team: none\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""

# One entry in each state: machine, reviewed, reviewed (wholly Spanish), fuzzy, untranslated, obsolete.
NEWS = HEADER + """
#. machine translation: apertium
#: news.txt:1
#, fuzzy
msgid "Police closed the bridge."
msgstr "La policía cerró el puente."

#: news.txt:2
msgid "The council will vote next week."
msgstr "El concejo votará la próxima semana."

#. keep: ¡El pueblo!
#: news.txt:3
msgid "¡El pueblo!"
msgstr "¡El pueblo!"

#: news.txt:4
#, fuzzy
#| msgid "Ten people marched."
msgid "Twelve people marched."
msgstr "Diez personas marcharon."

#: news.txt:5
msgid "Nobody has translated this sentence yet."
msgstr ""

#~ msgid "An old removed sentence."
#~ msgstr "Una vieja frase eliminada."
"""

REVIEWED_ONLY = HEADER + """
#: done.txt:1
msgid "The council will vote next week."
msgstr "El concejo votará la próxima semana."
"""

NUMBER_ERROR = HEADER + """
#: march.txt:1
msgid "In 2024, 300 people marched."
msgstr "En 2023, 300 personas marcharon."
"""


def write_catalogs(locales: Path, **texts: str) -> dict[str, Path]:
    folder = locales / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / f"{name}.po"
        paths[name].write_text(text, encoding="utf-8")
        assert msgfmt_check(paths[name]).returncode == 0
    return paths


def test_catalog_stats_counts_strings_and_words_by_state(tmp_path):
    paths = write_catalogs(tmp_path / "locales", news=NEWS)
    numbers = stats.catalog_stats(paths["news"])
    assert {key: numbers[key] for key in ("total", "translated", "reviewed", "machine", "fuzzy", "untranslated",
                                          "obsolete", "words")} == {
        "total": 5, "translated": 2, "reviewed": 2, "machine": 1, "fuzzy": 1, "untranslated": 1,
        "obsolete": 1, "words": 4 + 6 + 2 + 3 + 6}
    assert numbers["words_by_state"] == {"total": 21, "translated": 8, "awaiting_review": 7, "reviewed": 8,
                                         "machine": 4, "fuzzy": 3, "untranslated": 6, "obsolete": 4}
    assert numbers["awaiting_review"] == 2  # machine + fuzzy: msgfmt's "fuzzy translations"
    # gettext's meaning: translated = not fuzzy = reviewed (machine output and fuzzy matches are not)
    assert (numbers["reviewed_percent"], numbers["translated_percent"], numbers["awaiting_review_percent"]) == \
        (40.0, 40.0, 40.0)


def test_collect_sums_catalogs(tmp_path):
    locales = tmp_path / "locales"
    write_catalogs(locales, news=NEWS, done=REVIEWED_ONLY)
    report = stats.collect(locales)
    assert list(report["catalogs"]) == ["done", "news"]
    assert report["total"]["total"] == 6 and report["total"]["reviewed"] == 3
    assert report["total"]["words"] == 27 and report["total"]["reviewed_percent"] == 50.0
    with pytest.raises(InputError, match="no PO catalogs"):
        stats.collect(tmp_path / "empty")


def test_stats_command_json_and_table(tmp_path):
    locales = tmp_path / "locales"
    write_catalogs(locales, news=NEWS, done=REVIEWED_ONLY)
    done = run_cli("stats", "--json", "--locales", locales)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for key in ("total", "translated", "fuzzy", "untranslated", "obsolete", "words", "reviewed", "machine"):
        assert key in report["catalogs"]["news"], key
    assert report["catalogs"]["news"]["machine"] == 1 and report["total"]["untranslated"] == 1

    table = run_cli("stats", "--locales", locales)
    assert table.returncode == 0, table.stderr
    news_row = next(line for line in table.stdout.splitlines() if line.startswith("news"))
    assert "40%" in news_row and "80%" not in news_row and "1 (4 words)" in news_row


def test_gate_reasons(tmp_path):
    locales = tmp_path / "locales"
    paths = write_catalogs(locales, news=NEWS, done=REVIEWED_ONLY)
    assert stats.gate(locales, min_reviewed=40, min_translated=40, fail_on_qa="") == []
    assert stats.gate(locales, min_reviewed=40, min_translated=80, fail_on_qa="")  # machine + fuzzy do not count
    reasons = stats.gate(locales, min_reviewed=50, min_translated=0, fail_on_qa="")
    assert reasons == [f"{paths['news']}: 40% reviewed (2/5 translated as gettext counts; 1 machine and 1 fuzzy "
                       "awaiting review), minimum 50%"]
    assert not reasons.passed and reasons.failures == list(reasons)
    assert stats.gate(locales, min_reviewed=100, min_translated=100, fail_on_qa="", names=["done"]) == []
    missing = stats.gate(locales, min_reviewed=0, min_translated=0, fail_on_qa="", names=["done", "nowhere"])
    assert len(missing) == 1 and "nowhere.po: no catalog" in missing[0]


def test_check_command_exit_codes(tmp_path):
    locales = tmp_path / "locales"
    paths = write_catalogs(locales, news=NEWS, done=REVIEWED_ONLY)
    passed = run_cli("check", "--min-reviewed", "40", "--min-translated", "40", "--locales", locales)
    assert passed.returncode == 0, passed.stderr

    failed = run_cli("check", "--min-reviewed", "50", "--locales", locales)
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and str(paths["news"]) in lines[0] and "40% reviewed" in lines[0]

    assert run_cli("check", "--min-reviewed", "100", "--locales", locales, "done").returncode == 0
    bad_value = run_cli("check", "--min-reviewed", "120", "--locales", locales)
    assert bad_value.returncode == 2 and "Traceback" not in bad_value.stderr
    no_catalogs = run_cli("check", "--locales", tmp_path / "nowhere")
    assert no_catalogs.returncode == 2 and "no PO catalogs" in no_catalogs.stderr


def test_check_thresholds_come_from_pipeline_toml(tmp_path):
    locales = tmp_path / "locales"
    write_catalogs(locales, news=NEWS)
    (tmp_path / "pipeline.toml").write_text("min_reviewed = 60\nmin_translated = 50\n", encoding="utf-8")
    from_config = run_cli("check", "--locales", locales, cwd=tmp_path)
    assert from_config.returncode == 1 and "minimum 60%" in from_config.stderr
    overridden = run_cli("check", "--min-reviewed", "40", "--min-translated", "40", "--locales", locales, cwd=tmp_path)
    assert overridden.returncode == 0, overridden.stderr

    (tmp_path / "pipeline.toml").write_text("min_reviewed = 60\nmin_translated = [\n", encoding="utf-8")
    broken = run_cli("check", "--locales", locales, cwd=tmp_path)
    assert broken.returncode == 2
    assert broken.stderr.strip().splitlines() == [next(line for line in broken.stderr.splitlines())]
    assert "pipeline.toml:" in broken.stderr and "invalid TOML" in broken.stderr


def test_check_fails_on_qa_findings(tmp_path):
    locales = tmp_path / "locales"
    paths = write_catalogs(locales, done=REVIEWED_ONLY, march=NUMBER_ERROR)
    assert run_cli("check", "--fail-on-qa", "never", "--locales", locales).returncode == 0  # QA turned off
    assert run_cli("check", "--locales", locales).returncode == 1  # QA errors fail the check by default
    failed = run_cli("check", "--fail-on-qa", "error", "--locales", locales)
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and str(paths["march"]) in lines[0] and "QA error" in lines[0] and "numbers" in lines[0]
