"""Screenshots of `pipeline review`'s document page for the README (docs/review-1366.png, docs/review-390.png).

Builds a project in a temporary folder from the reference article (``pipeline run --engine
apertium``, with a one-line glossary so terms show highlighted), starts the real server,
approves the headline, leaves a QA finding on one segment and photographs the page in
Debian's Chromium through Playwright at 1366 and 390 px.

    .venv/bin/python scripts/review_screenshots.py
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO.parent / "shared" / "corpus" / "peru-2023-coup-protests.txt"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copy(ARTICLE, project / ARTICLE.name)
        (project / "locales").mkdir()
        (project / "locales" / "glossary.csv").write_text("English,Spanish,note\ncoup,golpe de Estado,\n",
                                                          encoding="utf-8")
        subprocess.run([sys.executable, "-m", "pipeline", "run", ARTICLE.name, "--engine", "apertium", "-q"],
                       cwd=project, check=True)
        server = subprocess.Popen([sys.executable, "-m", "pipeline", "review", "--port", "0"], cwd=project,
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = server.stdout.readline().strip()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 860})
                page.goto(url)
                page.click("a[href^='/documents/']")
                page.wait_for_selector("#counts:not(:empty)")
                headline = page.locator(".seg .tgt").first
                headline.click()
                page.keyboard.press("Control+A")
                page.keyboard.type("El pueblo del Perú se levanta y rechaza el golpe que derrocó a Castillo")
                page.keyboard.press("Control+Enter")
                expect(page.locator(".seg").nth(1).locator(".tgt")).to_be_focused()
                kept = page.locator(".seg", has=page.locator(".src mark.kept")).first
                kept.locator(".tgt").click()
                page.keyboard.press("Control+A")
                page.keyboard.type("El 30 de enero de 2023, las fuerzas de derecha dieron un golpe de Estado "
                                   "el 7 de diciembre contra el presidente electo.")
                page.keyboard.press("Control+s")
                kept.locator(".qa li").first.wait_for()
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(REPO / "docs" / "review-1366.png"))
                page.set_viewport_size({"width": 390, "height": 844})
                kept.scroll_into_view_if_needed()
                page.screenshot(path=str(REPO / "docs" / "review-390.png"))
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    print("wrote docs/review-1366.png and docs/review-390.png")


if __name__ == "__main__":
    main()
