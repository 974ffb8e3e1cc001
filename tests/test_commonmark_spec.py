"""The 652 CommonMark spec examples through the pipeline (Apertium), in one run: the Spanish
Markdown keeps the token structure, every link/image destination, code and inline HTML."""
from __future__ import annotations

import pytest

from commonmark_spec import run_examples, spec_examples, summary


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    try:
        examples = spec_examples()
    except Exception as exc:  # no network and no cached copy: say so instead of failing obscurely
        pytest.fail(f"cannot obtain markdown-it-py's CommonMark spec fixture from PyPI: {exc}")
    return run_examples(tmp_path_factory.mktemp("spec"), examples)


def test_all_spec_examples_ran(results):
    assert len(results) == 652


def test_structure_kept_in_at_least_97_percent(results):
    figures = summary(results)
    assert figures["structure"] / figures["total"] >= 0.97, [r["example"] for r in results if not r["structure"]]


def test_every_link_destination_and_code_kept(results):
    assert [r["example"] for r in results if not r["destinations"]] == []
    assert [r["example"] for r in results if not r["code"]] == []


def test_examples_were_really_translated(results):
    """The figures mean something only if the engine changed the prose."""
    changed = sum(r["source"] != r["spanish"] for r in results)
    assert changed > 400
