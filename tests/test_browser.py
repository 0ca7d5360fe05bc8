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


def _shot(page, folder: Path, name: str, full: bool = False) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
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
    page.goto(server + "/stories?sort=size")  # the largest story: several outlets side by side
    story = page.locator("a.story-link").first
    if story.count() == 0:
        pytest.skip("no stories (tightrope.stories not available)")
    story.click()
    page.wait_for_load_state()
    assert "/story/" in page.url
    assert page.locator(".column").count() >= 2
    assert page.locator(".column .actor").count() > 0 and page.locator(".column .event").count() > 0
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
    assert not page.problems, page.problems


def test_pair_page_chart_and_filters(server, page, shots):
    page.goto(server + "/pair/USA/IND?start=&end=")
    page.wait_for_selector("#chart[data-rendered='1'] .main-svg", timeout=15000)
    # three panels with their own y-axes, tick labels are whole numbers, and the x-axis shows dates, not every week
    assert page.locator("#chart .main-svg").count() >= 1
    ticks = page.locator("#chart .ytick text").all_text_contents()
    assert ticks and all(t.replace("−", "-").lstrip("-").isdigit() for t in ticks), ticks
    assert 2 <= page.locator("#chart .xtick text").count() <= 12
    titles = " ".join(page.locator("#chart .annotation-text").all_text_contents())
    assert "USA → IND: events per month" in titles and "IND → USA" in titles and "[" not in titles
    assert page.locator("table.events tbody tr").count() == 16
    page.select_option("select[name=type]", "SANCTION")
    page.click("form.filters button")
    page.wait_for_load_state()
    assert "type=SANCTION" in page.url
    assert page.locator("table.events tbody tr").count() == 1
    page.locator("table.events a.evidence-link").first.click()
    page.wait_for_load_state()
    assert "imposed sanctions" in page.locator(".article-text").inner_text()
    assert not page.problems, page.problems


def test_network_map_search_and_lists(server, page, shots):
    page.goto(server + "/network?min_events=1")
    page.wait_for_selector("#network[data-rendered='1'] .main-svg", timeout=15000)
    assert page.locator("#network .scatterlayer .point").count() >= 4
    _shot(page, shots, "network")
    page.locator("main table.network-edges a[href^='/pair/']").first.click()
    page.wait_for_load_state()
    assert "/pair/" in page.url
    page.goto(server + "/map")
    assert page.locator(".map svg a.country").count() > 150
    page.locator(".map svg path[data-code='USA']").click()
    page.wait_for_load_state()
    assert "country=USA" in page.url and page.locator(".map svg a.partner-line").count() == 2  # IND and PAK
    _shot(page, shots, "map")
    page.goto(server + "/")
    page.fill("nav input[name=q]", "talking")
    page.press("nav input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search?q=talking" in page.url
    assert page.locator("text=We will keep talking").count() >= 1
    _shot(page, shots, "search")
    for path in ["/articles", "/stories", "/pairs", "/events", "/alerts", "/docs", "/actors", "/quotes", "/outlets",
                 "/tables", "/tables/events?_facet=type", "/sql?sql=SELECT+1", "/triangle?a=USA&b=IND&c=PAK"]:
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
    page.goto(server + "/tables/articles")
    assert not [p for p in page.problems if p.startswith("dialog")], page.problems


SAMPLE_LEANS = "name,lean,country\nAtlas Wire,center,GBR\nHarbor Line News,lean right,USA\nThe Meridian Post,lean left,USA\n"


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    """The `tightrope demo` database (the bundled sample), with an outlet table from a user CSV."""
    from typer.testing import CliRunner

    from tightrope.cli import app

    folder = tmp_path_factory.mktemp("sample")
    db = folder / "sample.duckdb"
    r = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert r.exit_code == 0, r.output
    leans = folder / "outlets.csv"
    leans.write_text(SAMPLE_LEANS)
    r = CliRunner().invoke(app, ["outlets", "--db", str(db), "--from", str(leans)])
    assert r.exit_code == 0, r.output
    proc, base = _serve(db)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(not any(SAMPLE.glob("*.txt")), reason="bundled sample corpus not present")
def test_analyst_question_on_the_sample(sample_server, page, shots):
    """What happened between India and Pakistan in November, who said what, how did outlets differ: pick the
    pair, pick the month, see both directions, the quotes of each side about the other, the events with their
    evidence, and the story's outlet coverage."""
    base = sample_server
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Overview"
    _shot(page, shots, "overview")
    page.goto(base + "/pairs")
    _shot(page, shots, "pairs")
    page.locator("a.pair-link", has_text="IND → PAK").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/pair/IND/PAK")
    page.wait_for_selector("#chart[data-rendered='1'] .main-svg", timeout=15000)
    page.locator("a.period-link", has_text="2025-11").click()  # the month
    page.wait_for_load_state()
    assert "start=2025-11-01" in page.url and "end=2025-11-30" in page.url
    assert "2025-11-01 to 2025-11-30" in page.locator("form.window").inner_text()
    page.wait_for_selector("#chart[data-rendered='1'] .main-svg", timeout=15000)
    # both directions side by side
    ab, ba = page.locator("section.direction-ab"), page.locator("section.direction-ba")
    assert "IND → PAK" in ab.inner_text() and "PAK → IND" in ba.inner_text()
    assert int(ab.locator("b").first.inner_text()) >= 1 and int(ba.locator("b").first.inner_text()) >= 1
    # the quotes of either side about the other, by date, all inside the month
    quotes = page.locator("table.pair-quotes tbody tr")
    assert quotes.count() >= 2
    sides = {quotes.nth(i).locator("td").nth(1).locator("b").inner_text() for i in range(quotes.count())}
    assert sides == {"IND", "PAK"}
    qdays = [quotes.nth(i).locator("td").first.inner_text() for i in range(quotes.count())]
    assert qdays == sorted(qdays) and all(d.startswith("2025-11") for d in qdays)
    # the events of both directions, by date, each with its evidence sentence
    rows = page.locator("table.events tbody tr")
    days = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert len(days) >= 2 and days == sorted(days) and all(d.startswith("2025-11") for d in days)
    pairs = {rows.nth(i).locator("td").nth(1).inner_text().split(" → ")[0][:3] for i in range(rows.count())}
    assert pairs == {"IND", "PAK"}
    _shot(page, shots, "pair", full=True)
    page.locator("table.events a.evidence-link").first.click()
    page.wait_for_load_state()
    assert "/article/" in page.url and "#e" in page.url
    assert page.locator("span.targeted").count() >= 1
    _shot(page, shots, "evidence")
    # the story of that day and its outlet coverage
    page.goto(base + "/stories?start=2025-11&end=2025-11")
    _shot(page, shots, "stories")
    page.locator("a.story-link", has_text="Ceasefire").first.click()
    page.wait_for_load_state()
    assert "/story/" in page.url
    bar = page.locator(".coverage-bar a.cov")
    assert bar.count() >= 2
    covered = set(bar.all_inner_texts())
    missing = page.locator("details.missing").inner_text()
    assert covered and not any(name in missing.split("story")[-1] for name in covered)
    assert page.locator(".coverage-bar a.lean-lean-left, .coverage-bar a.lean-center, .coverage-bar a.lean-lean-right").count() >= 1
    assert page.locator("table.tone tbody tr").count() >= 2
    _shot(page, shots, "story")
    page.goto(base + "/map?country=IND")
    _shot(page, shots, "sample-map")
    page.goto(base + "/tables/events?_facet=type&_facet=source_country")
    _shot(page, shots, "tables")
    page.goto(base + "/sql?sql=SELECT+source_country%2C+target_country%2C+count(*)+AS+n+FROM+events+GROUP+BY+ALL+ORDER+BY+n+DESC+LIMIT+10")
    assert page.locator("table.sql-result tbody tr").count() >= 5
    _shot(page, shots, "sql")
    assert not page.problems, page.problems


@pytest.mark.slow
def test_page_timings(sample_server, browser):
    """Every page's load time in the browser (navigation to load event), printed and written to
    $TIGHTROPE_TIMINGS when set. No assertion on the numbers: a busy machine would break it."""
    import json

    ctx = browser.new_context()
    pg = ctx.new_page()
    timings = {}
    for path in TIMED_PAGES:
        pg.goto(sample_server + path)
        timings[path] = pg.evaluate("performance.getEntriesByType('navigation')[0].duration")
        assert pg.evaluate("document.readyState") == "complete"
    ctx.close()
    for path, ms in timings.items():
        print(f"{ms:8.0f} ms  {path}")
    out = os.environ.get("TIGHTROPE_TIMINGS")
    if out:
        Path(out).write_text(json.dumps(timings, indent=1))


TIMED_PAGES = ["/", "/articles", "/stories", "/pairs", "/pair/IND/PAK", "/pair/IND/PAK?start=2025-11&end=2025-11",
               "/events", "/actors", "/quotes", "/outlets", "/network", "/map", "/map?country=IND", "/alerts",
               "/search?q=India", "/tables", "/tables/events", "/sql?sql=SELECT+count(*)+FROM+events"]
