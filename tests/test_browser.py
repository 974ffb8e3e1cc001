"""Rendered pages in a real browser: headless Chromium driven over the DevTools protocol (a pipe).

Needs only the Debian package `chromium` (/usr/bin/chromium); no Python package.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REPO, run_cli

CHROMIUM = os.environ.get("PIPELINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTICLE = "peru-2023-coup-protests"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian package chromium not installed")


class Browser:
    """One headless Chromium page, spoken to with the DevTools protocol over --remote-debugging-pipe."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()

        def child_pipes():  # Chromium reads commands on fd 3 and writes replies on fd 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target, inheritable=True)

        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}",
                                         "--remote-debugging-pipe", "about:blank"],
                                        preexec_fn=child_pipes, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no reply from Chromium")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, timeout: float = 60, **params) -> dict:
        """Send one command and wait for its result, keeping the events that arrive meanwhile."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event:
                    return self.events.pop(index)
            self.events.append(self._read_message(deadline))

    def open(self, path: Path, width: int = 1200, height: int = 900) -> None:
        """Load a local file at the given viewport size and wait until it has loaded."""
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)
        self.events.clear()
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path, width: int = 1200, height: int = 1500) -> None:
        shot = self.call("Page.captureScreenshot", session=True, format="png",
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        path.write_bytes(base64.b64decode(shot["data"]))

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, dialogs (alert) and requests for anything but the file."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                found.append(f"console {params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log error: {params['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith("file://") and not url.startswith("data:"):
                    found.append(f"network request: {url}")
        return found

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    opened = Browser()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def article_dist(corpus, tmp_path_factory) -> Path:
    """The reference article through the real pipeline (`pipeline run` with Apertium)."""
    work = tmp_path_factory.mktemp("article")
    done = run_cli("run", corpus, "--locales", work / "locales", "--dist", work / "dist", "--engine", "apertium",
                   "--quiet")
    assert done.returncode == 0, done.stderr
    return work / "dist"


BLOCKS_JS = """(() => {
  const rows = [...document.querySelectorAll('main section.row')];
  const top = el => Math.round(el.getBoundingClientRect().top);
  return {
    rows: rows.length,
    english: document.querySelectorAll('main section.row > .en').length,
    spanish: document.querySelectorAll('main section.row > .es').length,
    misaligned: rows.filter(r => top(r.querySelector('.en')) !== top(r.querySelector('.es'))).length,
    stacked: rows.filter(r => top(r.querySelector('.es')) > top(r.querySelector('.en'))
                              + r.querySelector('.en').getBoundingClientRect().height - 1).length,
    kept: [...document.querySelectorAll('main .en [lang="es"]')].map(e => e.textContent),
    machine: document.querySelectorAll('main .es .machine').length,
    wider: document.documentElement.scrollWidth > window.innerWidth,
  };
})()"""


def test_bilingual_page_of_reference_article(browser, article_dist, corpus):
    page = article_dist / f"{ARTICLE}.bilingual.html"
    browser.open(page, width=1200, height=900)
    found = browser.evaluate(BLOCKS_JS)
    paragraphs = [p for p in corpus.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert found["english"] == found["spanish"] == found["rows"] == len(paragraphs)
    assert found["misaligned"] == 0 and not found["wider"]
    assert "¡Que se vayan todos!" in found["kept"]
    assert found["machine"] > 0  # fresh machine output is marked as awaiting review
    assert browser.problems() == []
    assert browser.requests() == [page.resolve().as_uri()]

    shot = article_dist.parent / "bilingual.png"
    browser.open(page, width=1000, height=1150)
    browser.screenshot(shot, width=1000, height=1150)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and 30_000 < shot.stat().st_size < 600_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):  # refresh the README's picture: UPDATE_DOCS_SCREENSHOT=1 pytest ...
        shutil.copyfile(shot, REPO / "docs" / "bilingual.png")


def test_columns_stack_on_a_phone(browser, article_dist):
    browser.open(article_dist / f"{ARTICLE}.bilingual.html", width=390, height=800)
    found = browser.evaluate(BLOCKS_JS)
    assert found["stacked"] == found["rows"] > 0
    assert not found["wider"]  # no sideways scrolling on a narrow screen
    assert browser.problems() == []


def test_review_marks_switch_hides_marks_without_script(browser, article_dist):
    browser.open(article_dist / f"{ARTICLE}.bilingual.html")
    style = "(s => [s.backgroundColor, s.textDecorationLine])(getComputedStyle(document.querySelector('main .machine')))"
    assert browser.evaluate(style) != ["rgba(0, 0, 0, 0)", "none"]
    browser.evaluate("document.getElementById('hide-review-marks').click()")
    assert browser.evaluate(style) == ["rgba(0, 0, 0, 0)", "none"]


def test_other_pages_load_cleanly(browser, article_dist):
    for name in (f"{ARTICLE}.es.html", f"{ARTICLE}.en.html", f"{ARTICLE}.interleaved.html"):
        browser.open(article_dist / name)
        assert browser.evaluate("document.querySelectorAll('main p, main h1, main h2').length") > 20, name
        assert browser.problems() == [], name


def test_injected_markup_and_template_syntax_stay_text(browser, tmp_path):
    """A source sentence and a translator's msgstr holding script, an onerror image and Jinja2 syntax."""
    import polib

    evil = "<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }}"
    source = tmp_path / "evil.txt"
    source.write_text(f"Headline of the day\n\nThe mayor wrote {evil} on the wall.\n", encoding="utf-8")
    locales, dist = tmp_path / "locales", tmp_path / "dist"
    assert run_cli("extract", source, "--locales", locales).returncode == 0
    po_path = locales / "es" / "LC_MESSAGES" / "evil.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = f"Traducido {evil} {{% raw %}}" if "mayor" in entry.msgid else "Titular del día"
    po.save(str(po_path))
    done = run_cli("render", source, "--locales", locales, "--dist", dist)
    assert done.returncode == 0, done.stderr
    for name in ("evil.bilingual.html", "evil.es.html", "evil.interleaved.html", "evil.en.html", "index.html"):
        browser.open(dist / name)
        found = browser.evaluate("""({
            scripts: document.scripts.length, images: document.images.length,
            text: document.body.innerText, pwned: typeof window.pwned })""")
        assert found["scripts"] == 0 and found["images"] == 0, name
        assert browser.problems() == [], name
        if name != "index.html":
            assert "<script>alert(1)</script>" in found["text"] and "{{ 7*7 }}" in found["text"], name
            assert "49" not in found["text"]
    bilingual = (dist / "evil.bilingual.html").read_text(encoding="utf-8")
    assert "Traducido &lt;script&gt;alert(1)&lt;/script&gt;" in bilingual and "{% raw %}" in bilingual
