"""The one configuration: pipeline.toml and environment variables, read once, strict about what it accepts."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from pipeline import config
from pipeline.errors import InputError


def test_defaults_without_a_file_or_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no pipeline.toml here
    defaults = config.load(environ={})
    assert (defaults.min_reviewed, defaults.min_translated, defaults.fail_on_qa, defaults.similarity,
            defaults.trust_tm_exact, defaults.wrap, defaults.sources) == (0, 0, "error", 0.75, False, 79, ())
    assert (defaults.locales, defaults.dist, defaults.engine) == (Path("locales"), Path("dist"), "auto")
    assert defaults.engines == config.EngineSettings()


def test_values_from_the_file_at_top_level_and_under_pipeline(tmp_path):
    path = tmp_path / "pipeline.toml"
    path.write_text('wrap = 0\n[pipeline]\nmin_reviewed = 80\nfail_on_qa = "warning"\nsources = ["articles"]\n'
                    'trust_tm_exact = true\nlocales = "po"\n[markdown]\nfront_matter = ["title"]\n', encoding="utf-8")
    loaded = config.load(path, environ={})
    assert (loaded.min_reviewed, loaded.fail_on_qa, loaded.wrap, loaded.sources, loaded.trust_tm_exact) == (
        80, "warning", 0, ("articles",), True)
    assert loaded.locales == Path("po") and loaded.markdown_front_matter == ("title",)


@pytest.mark.parametrize("text, message, line", [
    ("wrap = 79\nmin_reviewd = 80\n", "unknown setting 'min_reviewd'", 2),
    ("[site]\ntitle = 'x'\n", "unknown setting 'site'", None),
    ("[markdown]\nfrontmatter = ['title']\n", "unknown setting 'markdown.frontmatter'", 2),
    ('\n\nmin_reviewed = "lots"\n', "min_reviewed = 'lots': expected int", 3),
    ("trust_tm_exact = 1\n", "expected bool", 1),
    ("wrap = true\n", "expected int", 1),
    ("similarity = 1.5\n", "similarity must be above 0", 1),
    ("x = 1\ny = = 2\n", "invalid TOML", 2),
])
def test_a_bad_file_is_an_error_naming_file_and_line(tmp_path, text, message, line):
    path = tmp_path / "pipeline.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as raised:
        config.load(path, environ={})
    assert str(raised.value).startswith(f"{path}:{line}: " if line else f"{path}: ")


def test_an_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such config file"):
        config.load(tmp_path / "absent.toml")


def test_the_environment_wins_over_the_file(tmp_path):
    path = tmp_path / "pipeline.toml"
    path.write_text('locales = "from-file"\nengine = "apertium"\n', encoding="utf-8")
    loaded = config.load(path, environ={"PIPELINE_LOCALES": "from-env", "PIPELINE_APERTIUM_PIVOTS": "eng-cat cat-spa,en-gl gl-es",
                                        "PIPELINE_APERTIUM_WORD_PIVOT": "", "PIPELINE_ARGOS_BEAM_SIZE": "2"})
    assert loaded.locales == Path("from-env") and loaded.engine == "apertium"
    assert loaded.engines.apertium_pivots == (("eng-cat", "cat-spa"), ("en-gl", "gl-es"))
    assert loaded.engines.apertium_word_pivot == () and loaded.engines.argos_beam_size == 2
    with pytest.raises(InputError, match="PIPELINE_ARGOS_BATCH_SIZE"):
        config.load(path, environ={"PIPELINE_ARGOS_BATCH_SIZE": "many"})


def test_cli_reports_a_misspelt_key_once_for_every_command(tmp_path):
    (tmp_path / "pipeline.toml").write_text("min_reviewd = 80\n", encoding="utf-8")
    for command in (["stats"], ["check"], ["render"]):
        done = run_cli(*command, cwd=tmp_path)
        assert done.returncode == 2
        assert done.stderr.strip().splitlines() == [
            "pipeline: error: pipeline.toml:1: unknown setting 'min_reviewd' (known: dist, engine, executor, fail_on_qa, jobs, "
            "locales, min_reviewed, min_translated, similarity, sources, trust_tm_exact, wrap)"]


def test_the_api_honours_pipeline_locales_like_the_cli(tmp_path, monkeypatch):
    import pipeline

    monkeypatch.chdir(tmp_path)
    source = tmp_path / "a.txt"
    source.write_text("¡Que se vayan todos!\n", encoding="utf-8")  # all Spanish: no engine needed
    monkeypatch.setenv("PIPELINE_LOCALES", str(tmp_path / "env-locales"))
    monkeypatch.setenv("PIPELINE_DIST", str(tmp_path / "env-dist"))
    pipeline.run([source], quiet=True)
    assert (tmp_path / "env-locales" / "es" / "LC_MESSAGES" / "a.po").is_file()
    assert (tmp_path / "env-dist" / "a.es.txt").is_file()
    assert not (tmp_path / "locales").exists()


def test_settings_in_pipeline_toml_reach_the_stages_through_the_cli(tmp_path):
    """wrap (catalog writer) and similarity (catalog lifecycle) come from the file the CLI loaded."""
    long = ("The marchers walked from the highlands to the capital over many days, carrying banners and "
            "singing songs about the water that the mines had taken from their valleys.")
    source = tmp_path / "a.txt"
    source.write_text(long + "\n", encoding="utf-8")
    (tmp_path / "pipeline.toml").write_text("wrap = 0\nsimilarity = 0.4\n", encoding="utf-8")
    assert run_cli("extract", source, "--locales", "loc", cwd=tmp_path).returncode == 0
    po = (tmp_path / "loc" / "es" / "LC_MESSAGES" / "a.po").read_text(encoding="utf-8")
    assert f'msgid "{long}"' in po  # one line: not wrapped at 79 columns
    po_path = tmp_path / "loc" / "es" / "LC_MESSAGES" / "a.po"
    po_path.write_text(po.replace(f'msgid "{long}"\nmsgstr ""', f'msgid "{long}"\nmsgstr "Los manifestantes."'),
                       encoding="utf-8")
    source.write_text("The marchers walked from the highlands to the capital.\n", encoding="utf-8")
    assert run_cli("extract", source, "--locales", "loc", cwd=tmp_path).returncode == 0
    # 0.49 alike: offered as fuzzy only because similarity = 0.4 (the default 0.75 would not)
    assert '#| msgid "The marchers walked' in po_path.read_text(encoding="utf-8")
