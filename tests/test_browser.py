"""The dashboard in a real browser: Debian's chromium driven headless by Playwright (sync API).

Skips cleanly when /usr/bin/chromium or the playwright package is missing. The server runs in a
subprocess (`python -m tightrope serve`) on a free loopback port against a small database. Screenshots
go to $TIGHTROPE_SCREENSHOTS when set (e.g. docs/screenshots to refresh the README's), else to a
temporary folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from relations_fixture import add_stories, build_db

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (/usr/bin/chromium)"),
]
SAMPLE = Path(__file__).resolve().parent.parent / "src" / "tightrope" / "sample"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tightrope", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/api/counts", timeout=2).read()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"server did not start: {out[-2000:]}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("TIGHTROPE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "t.duckdb"
    build_db(db)
    add_stories(db)
    proc, base = _serve(db)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1100, "height": 720})
    pg = ctx.new_page()
    pg.problems = []  # console errors, page errors, dialogs (an executed alert() would show here)
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on("response", lambda r: pg.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    ctx.close()


def _shot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    try:  # keep the PNGs small: 64-colour palette
        from PIL import Image

        Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)
    except ImportError:
        pass
    return path


def test_story_to_event_evidence(server, page, shots):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator(".count b").first.inner_text() == "12"
    _shot(page, shots, "overview")
    story = page.locator("a.story-link").first
    if story.count() == 0:
        pytest.skip("no stories (tightrope.stories not available)")
    story.click()
    page.wait_for_load_state()
    assert "/story/" in page.url
    assert page.locator(".column").count() >= 2
    assert page.locator(".column .actor").count() > 0 and page.locator(".column .event").count() > 0
    _shot(page, shots, "story")
    link = page.locator(".column a.evidence-link").first
    label = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert "/article/" in page.url and "#e" in page.url
    anchor_id = page.url.split("#", 1)[1]
    anchor = page.locator(f"#{anchor_id}")
    assert anchor.count() == 1
    # the sentence right after the anchor is the event's evidence, highlighted as an event
    sentence = page.evaluate(f"document.getElementById('{anchor_id}').nextElementSibling.className")
    assert "event" in sentence
    marked = page.locator("span.targeted")  # article.js marks the whole evidence sentence
    assert marked.count() >= 1
    evidence = "".join(marked.all_inner_texts())
    assert evidence.strip().endswith(".") and len(evidence) > 20
    assert label.split()[1] in page.locator("table.events").inner_text()  # the event type is listed
    _shot(page, shots, "evidence")
    assert not page.problems, page.problems


def test_pair_page_chart_and_filters(server, page, shots):
    page.goto(server + "/pair/USA/IND")
    page.wait_for_selector("#chart[data-rendered='1'] .main-svg", timeout=15000)
    assert page.locator("#chart .main-svg").count() >= 1
    assert page.locator("table.events tbody tr").count() == 16
    _shot(page, shots, "pair")
    page.select_option("select[name=type]", "SANCTION")
    page.click("form.filters button")
    page.wait_for_load_state()
    assert "type=SANCTION" in page.url
    assert page.locator("table.events tbody tr").count() == 1
    page.locator("table.events a.evidence-link").first.click()
    page.wait_for_load_state()
    assert "imposed sanctions" in page.locator(".article-text").inner_text()
    assert not page.problems, page.problems


def test_network_search_and_events(server, page, shots):
    page.goto(server + "/network")
    assert page.locator(".network svg a.edge").count() == 4
    _shot(page, shots, "network")
    assert page.locator(".network svg a.edge").first.get_attribute("href").startswith("/pair/USA/IND")
    page.locator("main table a[href^='/pair/']").first.click()
    page.wait_for_load_state()
    assert "/pair/" in page.url
    page.goto(server + "/")
    page.fill("nav input[name=q]", "talking")
    page.press("nav input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search?q=talking" in page.url
    assert page.locator("text=We will keep talking").count() >= 1
    _shot(page, shots, "search")
    for path in ["/articles", "/stories", "/pairs", "/events", "/alerts", "/docs", "/actors", "/quotes",
                 "/triangle?a=USA&b=IND&c=PAK"]:
        resp = page.goto(server + path)
        assert resp.status == 200, path
    assert not page.problems, page.problems


def test_hostile_article_renders_as_text(server, page):
    page.goto(server + "/article/art030")
    text = page.locator(".article-text").inner_text()
    assert '<script>alert("x")</script><b>bold</b>' in text
    assert page.locator("main b:text('bold')").count() == 0
    assert page.locator("h1").inner_text().startswith("Hostile <script>")
    page.goto(server + "/search?q=" + "%3Cscript%3E")
    page.goto(server + "/stories")
    assert not [p for p in page.problems if p.startswith("dialog")], page.problems


@pytest.mark.skipif(not any(SAMPLE.glob("*.txt")), reason="bundled sample corpus not present yet")
def test_sample_corpus_pages(tmp_path, page, shots):
    import tightrope

    db = tmp_path / "sample.duckdb"
    tightrope.extract_paths([str(SAMPLE)], db=str(db))
    add_stories(db)
    proc, base = _serve(db)
    try:
        for path in ["/", "/stories", "/articles", "/pairs", "/events", "/network", "/alerts", "/search?q=the"]:
            resp = page.goto(base + path)
            assert resp.status == 200, path
        page.goto(base + "/")
        _shot(page, shots, "sample-overview")
        story = page.locator("a.story-link").first
        if story.count():
            story.click()
            page.wait_for_load_state()
            assert page.locator(".column").count() >= 1
            _shot(page, shots, "sample-story")
            ev = page.locator(".column a.evidence-link").first
            if ev.count():
                ev.click()
                page.wait_for_load_state()
                assert "#e" in page.url
        assert not page.problems, page.problems
    finally:
        proc.terminate()
        proc.wait(timeout=10)
