"""How long reading and rendering take, per source format, side by side.

    .venv/bin/python benchmarks/render.py [--copies 10]

The reference article is repeated (`--copies` times, each copy numbered) and
written as plain text, Markdown and HTML. For each format it prints: read
(parse + segment), detect, render (all six outputs of one document, with every
segment carrying a machine translation), and render of the site index; then
the Markdown/HTML times relative to plain text. No engine runs: render reads
what the catalog holds, so translations are stand-ins here.
"""
from __future__ import annotations

import argparse
import html
import re
import tempfile
import time
from pathlib import Path

from pipeline.detect import detect
from pipeline.model import State
from pipeline.readers import read_document
from pipeline.render import render_document
from pipeline.site import render_site

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"


def sources(folder: Path, copies: int) -> dict[str, Path]:
    """The article repeated, as .txt, .md and .html."""
    paragraphs = [p.strip() for p in CORPUS.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body = [f"{p} (part {n})" if len(p) > 60 else p for n in range(copies) for p in paragraphs]
    text = "\n\n".join(body) + "\n"
    markdown = "# " + body[0] + "\n\n" + "\n\n".join(
        re.sub(r"\b(Castillo)\b", r"**\1**", p).replace("\n", "  \n") for p in body[1:]) + "\n"
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html.escape(body[0])
            + "</title></head><body>\n<h1>" + html.escape(body[0]) + "</h1>\n"
            + "\n".join("<p>" + re.sub(r"\b(Castillo)\b", r"<em>\1</em>", html.escape(p)).replace("\n", "<br>\n")
                        + "</p>" for p in body[1:]) + "\n</body></html>\n")
    out = {}
    for suffix, content in ((".txt", text), (".md", markdown), (".html", page)):
        path = folder / f"article{suffix}"
        path.write_text(content, encoding="utf-8")
        out[suffix] = path
    return out


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for suffix, path in sources(tmp, args.copies).items():
            doc, read_s = timed(read_document, path)
            _, detect_s = timed(detect, doc)
            for segment in doc.segments():
                segment.translation, segment.state = segment.text, State.MACHINE
            dist = tmp / f"dist{suffix}"
            _, render_s = timed(render_document, doc, dist)
            _, site_s = timed(render_site, [doc], dist, replace_index=True)
            segments = sum(1 for _ in doc.segments())
            rows[suffix] = (segments, read_s, detect_s, render_s, site_s)
    print(f"reference article x{args.copies}")
    print(f"{'format':8} {'segments':>8} {'read s':>8} {'detect s':>9} {'render s':>9} {'seg/s render':>13} "
          f"{'site s':>7} {'render vs .txt':>15}")
    base = rows[".txt"][3]
    for suffix, (segments, read_s, detect_s, render_s, site_s) in rows.items():
        print(f"{suffix:8} {segments:8d} {read_s:8.3f} {detect_s:9.3f} {render_s:9.3f} {segments / render_s:13.0f} "
              f"{site_s:7.3f} {render_s / base:14.2f}x")


if __name__ == "__main__":
    main()
