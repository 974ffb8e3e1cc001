"""The CommonMark spec examples through the pipeline, compared with their Spanish Markdown.

The examples are markdown-it-py's copy of the spec (its sdist's test fixture
``tests/test_cmark_spec/commonmark.json``), fetched at test time from PyPI with
pip and cached; nothing of it is stored in this repository. The placeholder
words (foo, bar, ...) are swapped for English words so the engine really
translates them. All examples go through one pipeline run (one Apertium
process), then each source and its ``.es.md`` are parsed with markdown-it and
compared: token structure, link and image destinations, code and inline HTML.

Run as a script to print the figures: ``python tests/commonmark_spec.py``.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

# Placeholder words of the spec, and the English words put in their place.
WORDS = {"foo": "house", "bar": "garden", "baz": "river", "bim": "tree", "qux": "window", "quux": "bridge",
         "aaa": "water", "bbb": "bread", "ccc": "music", "ddd": "paper"}
_WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bilingual-pipeline"


def spec_examples() -> list[dict]:
    """The spec examples of the installed markdown-it-py version, downloaded once from PyPI."""
    release = version("markdown-it-py")
    cached = cache_dir() / f"commonmark-{release}.json"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        download = cached.parent / "sdist"
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:", "--no-deps",
                        f"markdown-it-py=={release}", "-d", str(download)], check=True)
        archive = next(download.glob(f"markdown_it_py-{release}.tar.gz"))
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("test_cmark_spec/commonmark.json"))
            data = tar.extractfile(member).read()
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(cached)
    return json.loads(cached.read_text(encoding="utf-8"))


def english(markdown: str) -> str:
    """An example with its placeholder words swapped for English ones (case kept)."""
    def swap(match):
        word = WORDS[match.group().lower()]
        return word.upper() if match.group().isupper() else word.capitalize() if match.group()[0].isupper() else word
    return _WORD.sub(swap, markdown)


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _flat(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _flat(token.children)


def facts(markdown: str) -> dict:
    """What must survive translation: structure, destinations, code and HTML."""
    tokens = list(_flat(_parser().parse(markdown)))
    structure = [(t.type, t.tag, t.nesting) for t in tokens if t.type not in ("text", "softbreak", "inline")]
    destinations = [t.attrs.get("href") or t.attrs.get("src") for t in tokens
                    if t.type in ("link_open", "image")]
    code = [(t.type, t.content) for t in tokens
            if t.type in ("code_inline", "code_block", "fence", "html_inline", "html_block")]
    return {"structure": structure, "destinations": destinations, "code": code}


def run_examples(workdir: Path, examples: list[dict]) -> list[dict]:
    """Every example through one pipeline run; per example: its facts before and after."""
    import pipeline

    src = workdir / "src"
    src.mkdir(parents=True, exist_ok=True)
    sources = []
    for item in examples:
        path = src / f"example-{item['example']:03d}.md"
        path.write_text(english(item["markdown"]), encoding="utf-8")
        sources.append(path)
    pipeline.run([src], locales=workdir / "locales", dist=workdir / "dist", engine="apertium", quiet=True)
    results = []
    for item, path in zip(examples, sources):
        source = path.read_text(encoding="utf-8")
        out = (workdir / "dist" / f"{path.stem}.es.md").read_text(encoding="utf-8")
        before, after = facts(source), facts(out)
        results.append({"example": item["example"], "section": item["section"], "source": source,
                        "spanish": out, **{key: before[key] == after[key] for key in before}})
    return results


def summary(results: list[dict]) -> dict:
    total = len(results)
    return {key: sum(r[key] for r in results) for key in ("structure", "destinations", "code")} | {"total": total}


if __name__ == "__main__":
    import tempfile
    from collections import Counter

    with tempfile.TemporaryDirectory() as tmp:
        results = run_examples(Path(tmp), spec_examples())
    print(summary(results))
    failing = [r for r in results if not (r["structure"] and r["destinations"] and r["code"])]
    print(Counter(r["section"] for r in failing))
    for r in failing[: int(os.environ.get("SHOW", "40"))]:
        print(f"--- {r['example']} {r['section']} s={r['structure']} d={r['destinations']} c={r['code']}")
        print(r["source"], "=>", r["spanish"], sep="\n")
