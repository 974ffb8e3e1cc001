"""Format fidelity on real documents nobody here wrote: Markdown long descriptions of the installed
Python packages (their METADATA) and HTML pages under /usr/share/doc, through one pipeline run with
Apertium. Prints, per file and in total, how many keep their structure, links and code.

Markdown: token structure (markdown-it, text tokens aside), link/image destinations and code spans /
inline HTML compared between source and ``.es.md``. HTML: html5lib parse errors of ``.es.html`` not
above the source's, the same tags (by name and count), ``pre``/``code`` content and ``href``s kept, and
``bilingual.html`` / ``interleaved.html`` without parse errors beyond the template's.

Usage: ``python benchmarks/format_fidelity.py [--markdown N] [--html N]`` (default 20 and 10).
/usr/share/doc may be stripped on a minimal machine: HTML files found there are used, none is required.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from importlib.metadata import distributions
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def markdown_sources(limit: int) -> list[tuple[str, str]]:
    found = {}
    for dist in distributions():
        meta = dist.metadata
        if "markdown" not in (meta.get("Description-Content-Type") or "").lower():
            continue
        body = meta.get_payload() or meta.get("Description") or ""
        name = re.sub(r"[^a-z0-9]+", "-", meta["Name"].lower())
        if len(body) > 500 and name not in found:
            found[name] = body
    return sorted(found.items())[:limit]


def html_sources(limit: int) -> list[tuple[str, str]]:
    found = []
    for path in sorted(Path("/usr/share/doc").rglob("*.html")):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if 2000 < len(text) < 200_000 and "<p" in text:
            found.append((re.sub(r"[^a-z0-9]+", "-", f"{path.parent.name}-{path.stem}".lower()), text))
    step = max(1, len(found) // limit) if found else 1
    return found[::step][:limit]


def html_facts(text: str) -> dict:
    import html5lib

    text = re.sub(r'\n?<link rel="alternate" hreflang="[a-z]+" href="[^"]*">', "", text)  # added by the pipeline
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(text)
    tags = Counter(m.group(1).lower() for m in re.finditer(r"<([a-zA-Z][\w-]*)", text))
    tags.pop("link", None)  # the hreflang link the Spanish page adds
    code = re.findall(r"<(pre|code|tt|kbd)\b[^>]*>(.*?)</\1>", text, re.DOTALL | re.IGNORECASE)
    return {"errors": len(parser.errors), "tags": tags, "code": code,
            "links": re.findall(r"""href\s*=\s*["']([^"']*)""", text)}


def main() -> None:
    import html5lib
    import pipeline
    from commonmark_spec import facts

    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--markdown", type=int, default=20)
    options.add_argument("--html", type=int, default=10)
    args = options.parse_args()
    md, pages = markdown_sources(args.markdown), html_sources(args.html)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name, text in md:
            (src / f"{name}.md").write_text(text, encoding="utf-8")
        for name, text in pages:
            (src / f"{name}.html").write_text(text, encoding="utf-8")
        pipeline.run([src], locales=Path(tmp) / "locales", dist=Path(tmp) / "dist", engine="apertium", quiet=True)
        dist = Path(tmp) / "dist"
        totals = Counter()
        print("markdown file                      structure links code  (links kept/source)")
        for name, text in md:
            before, after = facts(text), facts((dist / f"{name}.es.md").read_text(encoding="utf-8"))
            ok = {key: before[key] == after[key] for key in ("structure", "destinations", "code")}
            kept = sum(1 for d in before["destinations"] if d in after["destinations"])
            totals.update({f"md_{k}": v for k, v in ok.items()} | {"md_all": all(ok.values()),
                          "md_links": len(before["destinations"]), "md_links_kept": kept})
            print(f"{name[:34]:34} {ok['structure']!s:9} {ok['destinations']!s:5} {ok['code']!s:5} "
                  f"({kept}/{len(before['destinations'])})")
        print("\nhtml file                          errors(src→es) tags  code  links bilingual")
        for name, text in pages:
            before, after = html_facts(text), html_facts((dist / f"{name}.es.html").read_text(encoding="utf-8"))
            side = []
            for page in ("bilingual", "interleaved"):
                parser = html5lib.HTMLParser(strict=False)
                parser.parse((dist / f"{name}.{page}.html").read_text(encoding="utf-8"))
                side.append(len(parser.errors))
            ok = {"errors": after["errors"] <= before["errors"], "tags": before["tags"] == after["tags"],
                  "code": before["code"] == after["code"], "links": before["links"] == after["links"],
                  "bilingual": not any(side)}
            totals.update({f"html_{k}": v for k, v in ok.items()} | {"html_all": all(ok.values())})
            print(f"{name[:34]:34} {before['errors']:>3}→{after['errors']:<3}       {ok['tags']!s:5} "
                  f"{ok['code']!s:5} {ok['links']!s:5} {side}")
    print(f"\nMarkdown: {len(md)} files; all kept in {totals['md_all']}; structure {totals['md_structure']}, "
          f"links {totals['md_destinations']}, code {totals['md_code']}; "
          f"links kept {totals['md_links_kept']} of {totals['md_links']}")
    print(f"HTML: {len(pages)} files; all kept in {totals['html_all']}; no new parse errors {totals['html_errors']}, "
          f"tags {totals['html_tags']}, code {totals['html_code']}, links {totals['html_links']}, "
          f"valid bilingual/interleaved {totals['html_bilingual']}")


if __name__ == "__main__":
    main()
