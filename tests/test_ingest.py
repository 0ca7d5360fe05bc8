"""Ingest readers: every format with real-looking inputs, field mapping, gzip, duplicates, language, bad input.

All sample inputs are written here, in our own words, about fictional outlets.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from tightrope.ingest import FieldMap, make_article, read_paths
from tightrope.ingest.common import article_id, normalise_date
from tightrope.ingest.formats import READERS, format_suffix, reader_for
from tightrope.records import Article, InputProblem

# --- sample articles (fictional, our own words) ----------------------------------------------------

TRADE = (
    "Ministers from Brazil and Argentina met in Montevideo on Tuesday to settle a long-running dispute over "
    "tariffs on steel and farm machinery. The two governments agreed to cut the duties in stages over three "
    "years, officials said after the talks.\n\n"
    "Brazil's trade minister told reporters that the deal would protect jobs on both sides of the border. "
    "Argentine negotiators said they had won a delay for the most sensitive products, and that the agreement "
    "still needs the approval of both parliaments before it can take effect."
)
BORDER = (
    "Soldiers from two neighbouring states exchanged fire along a disputed stretch of their mountain border "
    "early on Sunday, according to the defence ministry in the capital. Three soldiers were wounded and a "
    "supply road was closed for several hours.\n\n"
    "Both governments accused each other of starting the clash. A spokesman for the foreign ministry said the "
    "army had only answered shots fired from the other side, and called on the United Nations to send observers "
    "to the area before the situation gets worse."
)
SUMMIT = (
    "Leaders of the Pacific island states gathered in Suva for a two-day summit focused on rising seas and "
    "fishing rights. The host government said it wanted a common position before the next round of climate "
    "talks, and that wealthy countries should pay for the damage already done to coastal villages.\n\n"
    "Delegates from Australia and New Zealand attended as observers. Several leaders said they were tired of "
    "promises and would judge partners by the money that actually arrives, not by the speeches made at summits."
)
FRENCH = (
    "Le gouvernement a annoncé mardi un nouvel accord commercial avec ses voisins du sud, après des mois de "
    "négociations difficiles. Selon le ministre, les droits de douane sur l'acier seront réduits progressivement "
    "au cours des trois prochaines années, et les agriculteurs recevront une aide pendant la transition."
)


def paragraphs_html(text: str) -> str:
    return "\n".join(f"<p>{para}</p>" for para in text.split("\n\n"))


def news_page(title: str, body: str, date: str = "2024-03-05", site: str = "The Harbour Ledger") -> str:
    """A page the way news sites write them: head metadata, navigation, the article, a footer."""
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}T08:30:00Z">
<script>window.tracking = {{id: 42}};</script>
<style>body {{ font-family: serif; }}</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article>
<h1>{title}</h1>
<p class="byline">By Staff Reporter, {date}</p>
{paragraphs_html(body)}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Weather turns cold</a></li><li><a href="/b">Local team wins</a></li></ul></aside>
<footer><p>&copy; 2024 {site}. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def read_all(*paths, **kwargs) -> tuple[list[Article], list[InputProblem]]:
    items = list(read_paths([str(p) for p in paths], kwargs.pop("fields", None), **kwargs))
    articles = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert len(articles) + len(problems) == len(items)
    return articles, problems


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def one_problem(problems: list[InputProblem]) -> InputProblem:
    assert len(problems) == 1, problems
    return problems[0]


# --- registry --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, suffix", [
    ("a.txt", ".txt"), ("a.jsonl.gz", ".jsonl"), ("A.HTML", ".html"), ("x.warc.gz", ".warc"),
    ("feed.rss", ".rss"), ("t.tsv.gz", ".tsv"), ("noext", ""),
])
def test_format_suffix(name, suffix):
    assert format_suffix(Path(name)) == suffix


def test_every_promised_format_has_a_reader():
    for suffix in (".txt", ".html", ".htm", ".json", ".jsonl", ".csv", ".tsv", ".parquet",
                   ".rss", ".atom", ".xml", ".warc", ".arc"):
        assert suffix in READERS
    assert reader_for(Path("x.png")) is None


# --- plain text and JSON ---------------------------------------------------------------------------

def test_txt_with_header(tmp_path):
    path = write(tmp_path / "a.txt", "outlet: The Harbour Ledger\ndate: 5 March 2024\nurl: https://ledger.example/a\n\n"
                 "Brazil and Argentina settle tariff row\n" + TRADE)
    (article,), problems = read_all(path)
    assert not problems
    assert article.title == "Brazil and Argentina settle tariff row"
    assert article.outlet == "The Harbour Ledger" and article.published == "2024-03-05"
    assert article.url == "https://ledger.example/a" and article.text.startswith("Ministers from Brazil")


def test_jsonl_default_fields_and_gzip(tmp_path):
    rows = [
        {"title": "Tariff deal", "text": TRADE, "outlet": "Ledger", "published": "2024-03-05T10:00:00Z",
         "url": "https://ledger.example/1"},
        {"headline": "Border clash", "body": BORDER, "source": "Valley Post", "date": "March 6, 2024"},
    ]
    data = "\n".join(json.dumps(r) for r in rows) + "\n\n"
    for name in ("a.jsonl", "b.jsonl.gz"):
        articles, problems = read_all(write(tmp_path / name, data))
        assert not problems
        assert [a.title for a in articles] == ["Tariff deal", "Border clash"]
        assert [a.outlet for a in articles] == ["Ledger", "Valley Post"]
        assert [a.published for a in articles] == ["2024-03-05", "2024-03-06"]
        assert articles[0].source.endswith(":1") and articles[1].source.endswith(":2")


def test_allsides_like_rows_use_content_original_and_source(tmp_path):
    row = {"ID": "x1", "topic": "trade", "source": "Ledger - News", "source_url": "www.ledger.example",
           "url": "http://www.ledger.example/2016/trade.html", "date": "2016-09-20", "authors": "A. Writer",
           "title": "Tariffs cut", "content_original": TRADE, "bias_text": "center"}
    (article,), _ = read_all(write(tmp_path / "c.jsonl.gz", json.dumps(row) + "\n"))
    assert article.text.startswith("Ministers") and article.outlet == "Ledger - News"
    assert article.published == "2016-09-20" and article.url == "http://www.ledger.example/2016/trade.html"


def test_field_map_and_default_outlet_apply_to_json(tmp_path):
    row = {"story_body": TRADE, "hed": "Deal", "paper": "Ledger", "when": "2024-01-02", "link": "https://x.example/"}
    path = write(tmp_path / "a.json", json.dumps([row, {**row, "story_body": BORDER, "paper": None}]))
    fields = FieldMap(text="story_body", title="hed", outlet="paper", published="when", url="link",
                      defaults={"outlet": "Fallback Daily"})
    articles, problems = read_all(path, fields=fields)
    assert not problems
    assert [a.title for a in articles] == ["Deal", "Deal"]
    assert articles[0].outlet == "Ledger" and articles[0].published == "2024-01-02"
    assert articles[0].url == "https://x.example/"


def test_json_object_with_article_list(tmp_path):
    path = write(tmp_path / "a.json", json.dumps({"count": 2, "articles": [{"text": TRADE}, {"text": BORDER}]}))
    articles, problems = read_all(path)
    assert len(articles) == 2 and not problems


# --- HTML ------------------------------------------------------------------------------------------

def test_html_page_with_boilerplate(tmp_path):
    path = write(tmp_path / "page.html", news_page("Island leaders demand climate money", SUMMIT))
    (article,), problems = read_all(path)
    assert not problems
    assert "Suva" in article.text and "rising seas" in article.text
    for boilerplate in ("cookies", "Most read", "All rights reserved", "window.tracking", "Privacy policy"):
        assert boilerplate not in article.text
    assert article.title == "Island leaders demand climate money"
    assert article.outlet == "The Harbour Ledger"
    assert article.published == "2024-03-05"


def test_html_cp1252_and_gz(tmp_path):
    page = news_page("Café owners protest new rules", SUMMIT.replace("Suva", "Suva’s old café quarter"))
    path = tmp_path / "page.htm.gz"
    path.write_bytes(gzip.compress(page.replace('<meta charset="utf-8">', "").encode("cp1252")))
    (article,), problems = read_all(path)
    assert not problems and "café" in article.text


def test_html_with_no_article(tmp_path):
    path = write(tmp_path / "index.html", "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>")
    problem = one_problem(read_all(path)[1])
    assert problem.where == str(path) and "no article" in problem.reason


# --- CSV / TSV -------------------------------------------------------------------------------------

def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def test_csv_quoted_multiline_fields(tmp_path):
    rows = [["title", "body", "publisher", "pubdate", "url"],
            ["Tariff deal", TRADE, "Ledger", "2024-03-05", "https://ledger.example/1"],
            ['Clash on the "quiet" border', BORDER, "Valley Post, Evening", "6 March 2024", ""]]
    text = csv_text(rows)
    assert '"Clash on the ""quiet"" border"' in text and "\n\n" in text
    articles, problems = read_all(write(tmp_path / "a.csv", text))
    assert not problems
    assert articles[0].text == TRADE and articles[1].title == 'Clash on the "quiet" border'
    assert articles[1].outlet == "Valley Post, Evening" and articles[1].published == "2024-03-06"
    assert articles[0].source.endswith("a.csv:2")
    # the second record starts on the line after the first record's last line
    assert articles[1].source.endswith(f"a.csv:{2 + TRADE.count(chr(10)) + 1}")


def test_tsv_gz_with_field_map(tmp_path):
    rows = [["hed", "story", "paper"], ["Summit", SUMMIT, "Island Times"]]
    path = write(tmp_path / "a.tsv.gz", csv_text(rows, "\t"))
    (article,), problems = read_all(path, fields=FieldMap(text="story", title="hed", outlet="paper"))
    assert not problems and article.title == "Summit" and article.outlet == "Island Times"


def test_csv_long_field_is_read(tmp_path):
    long_body = (TRADE + "\n\n") * 200  # ~170 KB, over csv's default field limit
    articles, problems = read_all(write(tmp_path / "a.csv", csv_text([["text"], [long_body]])))
    assert len(articles) == 1 and not problems


def test_csv_malformed_rows_are_named_and_the_rest_continues(tmp_path):
    text = csv_text([["title", "text"], ["Deal", TRADE]]) + "only-one-field\n" + csv_text([["Clash", BORDER]])
    articles, problems = read_all(write(tmp_path / "a.csv", text))
    assert [a.title for a in articles] == ["Deal", "Clash"]
    problem = one_problem(problems)
    assert problem.where == f"{tmp_path / 'a.csv'}:{2 + TRADE.count(chr(10)) + 1}"
    assert "1 fields" in problem.reason and "header has 2" in problem.reason


def test_csv_header_only_and_empty(tmp_path):
    assert "no articles" in one_problem(read_all(write(tmp_path / "h.csv", "title,text\n"))[1]).reason
    problem = one_problem(read_all(write(tmp_path / "e.csv", ""))[1])
    assert "empty" in problem.reason



def test_a_table_without_a_text_column_is_one_problem_naming_its_columns(tmp_path):
    """Issue 20: a CSV whose text column has no usual name gave one 'no text field' line per row."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [["headline", "body_text"], ["Deal", TRADE], ["Clash", BORDER], ["Talks", SUMMIT]]
    pq.write_table(pa.table({"headline": ["Deal"], "body_text": [TRADE]}), tmp_path / "t.parquet")
    for path in (write(tmp_path / "t.csv", csv_text(rows)), tmp_path / "t.parquet"):
        articles, problems = read_all(path)
        assert articles == []
        problem = one_problem(problems)
        assert problem.where == str(path) and "headline, body_text" in problem.reason
        assert "--text-field" in problem.reason
        # named, the same file reads
        articles, problems = read_all(path, fields=FieldMap(text="body_text"))
        assert [a.title for a in articles][:1] == ["Deal"] and problems == []
    # a usual name is still found without --text-field
    articles, problems = read_all(write(tmp_path / "u.csv", csv_text([["title", "body"], ["Deal", TRADE]])))
    assert [a.title for a in articles] == ["Deal"] and problems == []

# --- Parquet ---------------------------------------------------------------------------------------

def test_parquet_batches_and_field_map(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tightrope.ingest import parquet as parquet_reader

    texts = [TRADE, BORDER, SUMMIT] * 400
    table = pa.table({
        "content_original": [f"Report {i}. {t}" for i, t in enumerate(texts)],
        "source": ["Ledger"] * len(texts),
        "date": [f"2024-03-{1 + i % 28:02d}" for i in range(len(texts))],
        "unused_wide_column": ["x" * 100] * len(texts),
    })
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path, row_group_size=300)
    articles, problems = read_all(path)
    assert len(articles) == len(texts) and not problems
    assert len({a.id for a in articles}) == len(texts)
    assert articles[0].outlet == "Ledger" and articles[1].published == "2024-03-02"
    assert articles[-1].source.endswith(f"corpus.parquet:{len(texts)}")
    assert "unused_wide_column" not in parquet_reader.wanted_columns(table.column_names, FieldMap())

    gz = tmp_path / "corpus.parquet.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert len(read_all(gz)[0]) == len(texts)


def test_parquet_wrong_typed_and_missing_text(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": [TRADE, None], "date": [20240305, 1]}), path)
    articles, problems = read_all(path)
    assert len(articles) == 1 and articles[0].published is None
    assert one_problem(problems).reason == "no text field" and problems[0].where.endswith(":2")
    path2 = tmp_path / "n.parquet"
    pq.write_table(pa.table({"text": [1, 2]}), path2)
    assert all("not a string" in p.reason for p in read_all(path2)[1])


# --- RSS / Atom ------------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Valley Post World</title><link>https://valleypost.example/</link>
  <description>World news from the Valley Post</description>
  <item>
    <title>Border clash leaves three soldiers wounded</title>
    <link>https://valleypost.example/world/border-clash</link>
    <pubDate>Sun, 10 Mar 2024 07:15:00 +0000</pubDate>
    <description>Short teaser only.</description>
    <content:encoded><![CDATA[{paragraphs_html(BORDER)}<script>alert('x')</script>]]></content:encoded>
  </item>
  <item>
    <title>Tariff deal reached</title>
    <link>https://valleypost.example/business/tariffs</link>
    <pubDate>Tue, 05 Mar 2024 18:00:00 GMT</pubDate>
    <description><![CDATA[{paragraphs_html(TRADE)}]]></description>
  </item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Island Times</title><id>urn:uuid:island-times</id><updated>2024-04-02T09:00:00Z</updated>
  <entry>
    <title>Island leaders demand climate money</title>
    <link href="https://islandtimes.example/summit"/>
    <id>urn:uuid:entry-1</id>
    <published>2024-04-01T12:00:00Z</published><updated>2024-04-02T09:00:00Z</updated>
    <content type="html">{paragraphs_html(SUMMIT).replace("<", "&lt;").replace(">", "&gt;")}</content>
  </entry>
</feed>"""


def test_rss_feed(tmp_path):
    articles, problems = read_all(write(tmp_path / "world.rss", RSS))
    assert not problems
    clash, deal = articles
    assert clash.title == "Border clash leaves three soldiers wounded"
    assert clash.outlet == "Valley Post World" and clash.published == "2024-03-10"
    assert clash.url == "https://valleypost.example/world/border-clash"
    assert "United Nations" in clash.text and "alert" not in clash.text and "<p>" not in clash.text
    assert "\n" in clash.text  # paragraphs kept apart
    assert deal.text.startswith("Ministers from Brazil") and deal.published == "2024-03-05"


def test_atom_feed_as_xml_and_gz(tmp_path):
    for name in ("feed.atom", "feed.xml", "feed.xml.gz"):
        (article,), problems = read_all(write(tmp_path / name, ATOM))
        assert not problems
        assert article.outlet == "Island Times" and article.published == "2024-04-01"
        assert article.url == "https://islandtimes.example/summit" and "Suva" in article.text


def test_xml_that_is_not_a_feed(tmp_path):
    path = write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    assert "not an RSS/Atom feed" in one_problem(read_all(path)[1]).reason


def test_malformed_feed_keeps_good_entries(tmp_path):
    broken = RSS.replace("</channel></rss>", "<item><title>Half an item</title><description>cut")
    articles, problems = read_all(write(tmp_path / "broken.rss", broken))
    assert len(articles) >= 2 and articles[0].title.startswith("Border clash")
    problem = [p for p in problems if p.where == str(tmp_path / "broken.rss")]
    assert len(problem) == 1 and "malformed feed" in problem[0].reason


def test_feed_junk(tmp_path):
    problem = one_problem(read_all(write(tmp_path / "junk.rss", "this is not xml at all <<<"))[1])
    assert problem.where.endswith("junk.rss") and ("malformed" in problem.reason or "no entries" in problem.reason)


# --- WARC ------------------------------------------------------------------------------------------

def write_warc(path: Path, pages: list[tuple[str, str]], gz: bool = True, extra: bool = True) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for n, (url, html) in enumerate(pages):
            date = f"2024-05-{10 + n:02d}T06:00:00Z"
            if extra:
                req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")],
                                                                              is_http_request=True),
                                                warc_headers_dict={"WARC-Date": date})
                writer.write_record(req)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                            http_headers=headers, warc_headers_dict={"WARC-Date": date})
            writer.write_record(rec)
        if extra:  # a non-HTML response is not an article and not a problem
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://a.example/logo.png", "response",
                                                          payload=io.BytesIO(b"\x89PNG\r\n"), http_headers=headers))
    return path


def page_without_date(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs_html(body)}</article></body></html>"


WARC_PAGES = [
    ("https://ledger.example/2024/tariffs", news_page("Tariff deal", TRADE)),
    ("https://valleypost.example/clash", page_without_date("Border clash", BORDER)),
]


@pytest.mark.parametrize("name, gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_response_records(tmp_path, name, gz):
    path = write_warc(tmp_path / name, WARC_PAGES, gz=gz)
    articles, problems = read_all(path)
    assert not problems
    deal, clash = articles
    assert deal.url == "https://ledger.example/2024/tariffs" and deal.published == "2024-03-05"
    assert "Montevideo" in deal.text and "cookies" not in deal.text
    assert clash.url == "https://valleypost.example/clash"
    assert clash.published == "2024-05-11"  # no date in the page: WARC-Date
    assert clash.source.startswith(str(path))


def test_truncated_warc_keeps_earlier_records(tmp_path):
    pages = [(f"https://ledger.example/{i}", news_page(f"Story {i}", f"Update {i}. " + [TRADE, BORDER, SUMMIT][i % 3]))
             for i in range(6)]
    full = write_warc(tmp_path / "full.warc.gz", pages, extra=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full[: int(len(full) * 0.7)])
    articles, problems = read_all(cut)
    assert 2 <= len(articles) < 6
    problem = one_problem(problems)
    assert problem.where == str(cut) and "cut short" in problem.reason


def test_warc_of_garbage(tmp_path):
    problem = one_problem(read_all(write(tmp_path / "x.warc", b"hello, this is not an archive\n" * 10))[1])
    assert "WARC" in problem.reason


# --- ids, duplicates, language, limits -------------------------------------------------------------

def test_same_content_same_id_across_formats(tmp_path):
    write(tmp_path / "a.txt", "Tariff deal\n" + TRADE)
    write(tmp_path / "b.jsonl", json.dumps({"title": "Other title", "text": "  " + TRADE.replace("\n\n", "\n") + " "}) + "\n")
    articles, _ = read_all(tmp_path)
    assert len(articles) == 2 and articles[0].id == articles[1].id == article_id(TRADE)


def test_non_english_is_skipped_with_a_message(tmp_path):
    path = write(tmp_path / "a.jsonl", json.dumps({"text": FRENCH}) + "\n" + json.dumps({"text": TRADE}) + "\n")
    articles, problems = read_all(path)
    assert len(articles) == 1
    assert "language is 'fr'" in one_problem(problems).reason


def test_20mb_article_is_refused_naming_the_limit(tmp_path):
    big = "Ministers met again to talk about tariffs on steel. " * 400_000  # ~20 MB
    path = write(tmp_path / "big.jsonl", json.dumps({"text": big}) + "\n" + json.dumps({"text": TRADE}) + "\n")
    articles, problems = read_all(path)
    assert len(articles) == 1
    reason = one_problem(problems).reason
    assert "over the limit of 2,000,000" in reason and "--max-chars" in reason
    assert "--max-chars" in one_problem(read_all(path, max_chars=1000)[1][:1]).reason


def test_make_article_cleans_control_characters():
    article = make_article("Ministers\x00 met\x07 in\u200b Montevideo\ud800 on Tuesday to talk.\r\nMore text here.", "x",
                           title="A\ntitle\x1b", outlet={"bad": 1}, published=["2024"], url=12)
    assert isinstance(article, Article)
    assert "\x00" not in article.text and "\x07" not in article.text and "\ud800" not in article.text
    assert article.title == "A title" and article.outlet is None and article.published is None and article.url == "12"


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "2024-03-05"), ("2024-03-05T23:10:00+02:00", "2024-03-05"), ("5 March 2024", "2024-03-05"),
    ("not a date", None), ("", None), (None, None), (20240305, None), ("9" * 500, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


# --- bad input: one clear problem each, the run goes on ---------------------------------------------

BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "spaces.txt": (b"   \n\t \n", "empty"),
    "binary.txt": (bytes(range(256)) * 20, "binary"),
    "binary.jsonl": (b"\x00\x01\x02" * 500, "binary"),
    "binary.csv": (b"\x00\xff\x00\xfe" * 500, "binary"),
    "nul.html": (b"\x00" * 2000, "binary"),
    "cut.jsonl.gz": (gzip.compress(b'{"text": "x"}\n' * 1000)[:40], "cut short"),
    "cut.txt.gz": (gzip.compress(b"Title\nbody " * 1000)[:40], "gzip"),
    "notgzip.csv.gz": (b"plain text pretending to be gzip", "gzip"),
    "array.jsonl": (b"[1, 2, 3]\n", "not an object"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    "number.json": (b"42", "neither"),
    "broken.json": (b'{"text": "unterminated', "malformed JSON"),
    "empty.rss": (b"", "empty"),
    "empty.warc": (b"", "empty"),
    "empty.jsonl.gz": (gzip.compress(b""), "no articles"),
    "blank.jsonl": (b"\n\n  \n", "no articles"),
    "junk.parquet": (b"PAR1 this is not parquet at all", "Parquet"),
    "bad.png": (b"\x89PNG", "unsupported file type .png"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_clear_problem(tmp_path, name):
    data, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    problem = one_problem(read_all(path, tmp_path / "missing.txt")[1][:1])
    assert problem.where.startswith(str(path))
    assert expected.lower() in problem.reason.lower(), problem.reason
    assert "\n" not in problem.reason and len(problem.reason) < 400


def test_missing_path_and_unreadable_file(tmp_path):
    assert one_problem(read_all(tmp_path / "nope.txt")[1]).reason == "no such file or folder"
    locked = write(tmp_path / "locked.txt", "Title\n" + TRADE)
    locked.chmod(0)
    try:
        _, problems = read_all(locked)
        if problems:  # root can read anything; others get a clear line
            assert problems[0].where == str(locked)
    finally:
        locked.chmod(0o644)


def test_jsonl_bad_rows_are_named_and_good_rows_kept(tmp_path):
    lines = [
        json.dumps({"text": TRADE}),
        '{"text": "unterminated',
        json.dumps({"title": "no text here"}),
        json.dumps({"text": 12345}),
        json.dumps({"text": ["a", "list"]}),
        json.dumps({"text": "   \u0000 "}),
        "null",
        json.dumps({"text": BORDER, "date": {"nested": True}, "title": ["x"], "url": None}),
        '{"text": "bad \x00 byte"}',
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    articles, problems = read_all(path)
    assert [a.text[:9] for a in articles] == ["Ministers", "Soldiers "]
    assert articles[1].published is None and articles[1].title == ""
    reasons = {p.where.rsplit(":", 1)[1]: p.reason for p in problems}
    assert set(reasons) == {"2", "3", "4", "5", "6", "7", "9"}
    assert "malformed JSON" in reasons["2"] and reasons["3"] == "no text field"
    assert "int" in reasons["4"] and "list" in reasons["5"] and reasons["6"] == "empty text"
    assert "not an object" in reasons["7"] and "NUL" in reasons["9"]


def test_very_long_line_and_token(tmp_path):
    token = "x" * 3_000_000
    path = write(tmp_path / "long.jsonl", json.dumps({"text": "Word " + token}) + "\n" + json.dumps({"text": TRADE}) + "\n")
    articles, problems = read_all(path)
    assert len(articles) == 1 and "--max-chars" in one_problem(problems).reason


def test_wrongly_encoded_text_is_read_as_cp1252(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(("Café talks\n" + TRADE.replace("Montevideo", "Montevidéo")).encode("cp1252"))
    (article,), problems = read_all(path)
    assert article.title == "Café talks" and "Montevidéo" in article.text


def test_utf16_text(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(("Summit\n" + SUMMIT).encode("utf-16"))
    (article,), problems = read_all(path)
    assert article.title == "Summit" and not problems


def test_folder_mixes_formats_and_problems_never_stop_the_run(tmp_path):
    write(tmp_path / "a.txt", "Deal\n" + TRADE)
    write(tmp_path / "b.html", news_page("Summit", SUMMIT))
    write(tmp_path / "c.rss", RSS)
    write(tmp_path / "d.bin", b"\x00\x01")
    write(tmp_path / "e.jsonl.gz", b"\x1f\x8b\x08\x00garbage")
    write(tmp_path / ".hidden.txt", "Hidden\n" + BORDER)
    articles, problems = read_all(tmp_path)
    assert len(articles) == 4 and len(problems) == 2


def test_20mb_html_page_is_refused_quickly(tmp_path):
    import time

    path = write(tmp_path / "huge.html", news_page("Huge", (TRADE + "\n\n") * 38_000))  # ~20 MB
    started = time.perf_counter()
    problem = one_problem(read_all(path)[1])
    assert "--max-chars" in problem.reason and "6,000,000" in problem.reason
    assert time.perf_counter() - started < 5


def test_warc_page_without_article_names_record_and_url(tmp_path):
    pages = [("https://ledger.example/index", "<html><body><nav>Home World Sport</nav></body></html>"),
             ("https://ledger.example/deal", news_page("Deal", TRADE))]
    path = write_warc(tmp_path / "c.warc.gz", pages, extra=False)
    (article,), problems = read_all(path)
    assert article.source == f"{path}:2"
    problem = one_problem(problems)
    assert problem.where == f"{path}:1 (https://ledger.example/index)" and "no article" in problem.reason


def write_arc(path: Path, url: str, html: str) -> Path:
    """An ARC v1 file (the Internet Archive's format before WARC) holding one HTTP response."""
    desc = b"1 0 Tightrope\nURL IP-address Archive-date Content-type Archive-length\n"
    body = html.encode()
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    data = (b"filedesc://t.arc 0.0.0.0 20240305100000 text/plain %d\n" % len(desc) + desc + b"\n"
            + f"{url} 10.0.0.1 20240306120000 text/html {len(http)}\n".encode() + http + b"\n")
    return write(path, data)


def test_arc_file(tmp_path):
    path = write_arc(tmp_path / "old.arc", "https://valleypost.example/clash", page_without_date("Border clash", BORDER))
    (article,), problems = read_all(path)
    assert not problems and article.url == "https://valleypost.example/clash"
    assert article.published == "2024-03-06" and "United Nations" in article.text


def test_csv_in_cp1252_with_nul_and_stray_quotes(tmp_path):
    text = csv_text([["title", "text"], ["Café deal", TRADE.replace("Montevideo", "Montevidéo")]])
    text += '"Broken" quote,here\n' + csv_text([["Clash\x00", BORDER]])
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("cp1252"))
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["Café deal", "Clash"] and "Montevidéo" in articles[0].text
    assert len(problems) == 1 and problems[0].where.startswith(f"{path}:")


def test_html_declared_charset_is_used(tmp_path):
    body = SUMMIT + "\n\nA minister from Kyiv, Ольга Петренко, spoke on the last day of the summit."
    page = news_page("Summit", body).replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    path = tmp_path / "cyr.html"
    path.write_bytes(page.encode("cp1251"))
    (article,), problems = read_all(path)
    assert "Ольга Петренко" in article.text


def test_parquet_reading_holds_one_batch_not_the_file(tmp_path):
    """Arrow memory while reading stays far below the file's size (streamed batch by batch)."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    texts = [f"Dispatch {i}. " + (TRADE, BORDER, SUMMIT)[i % 3] * 6 for i in range(6000)]  # ~27 MB of text
    path = tmp_path / "wide.parquet"
    pq.write_table(pa.table({"text": texts}), path, row_group_size=500, compression="none")
    peak = 0
    count = 0
    for item in read_paths([path]):
        count += 1
        peak = max(peak, pa.total_allocated_bytes())
    assert count == len(texts)
    assert peak < 12_000_000, peak


def test_json_file_holding_json_lines(tmp_path):
    path = write(tmp_path / "a.json", json.dumps({"text": TRADE}) + "\n" + json.dumps({"text": BORDER}) + "\n")
    articles, problems = read_all(path)
    assert len(articles) == 2 and not problems and articles[1].source.endswith("a.json:2")


def test_semicolon_csv(tmp_path):
    path = write(tmp_path / "eu.csv", csv_text([["titel", "text", "quelle"], ["Deal", TRADE, "Ledger; Europe"]], ";"))
    (article,), problems = read_all(path, fields=FieldMap(title="titel", outlet="quelle"))
    assert not problems and article.title == "Deal" and article.outlet == "Ledger; Europe"


def test_impossible_paths(tmp_path):
    for raw in ("x" * 5000, "bad\x00name", str(tmp_path / "missing" / "deeper.txt")):
        problem = one_problem(read_all(raw)[1])
        assert problem.reason


def test_warc_gzip_encoded_http_body(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "enc.warc.gz"
    body = gzip.compress(news_page("Summit", SUMMIT).encode("utf-8"))
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                              ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://islandtimes.example/s", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    (article,), problems = read_all(path)
    assert not problems and "Suva" in article.text


def test_binary_jsonl_with_many_lines_is_one_problem(tmp_path):
    junk = b"".join(bytes([i % 256, 0, 7, 10]) for i in range(5000))  # many "lines" of binary
    assert len(read_all(write(tmp_path / "j.jsonl", junk))[1]) == 1
    text_junk = "\n".join(f"not json {i}" for i in range(3000))
    problems = read_all(write(tmp_path / "t.jsonl", text_junk))[1]
    assert len(problems) == 1001 and "stopped after 1000" in problems[-1].reason


def test_csv_of_junk_stops_after_many_bad_rows(tmp_path):
    text = "title,text\n" + "\n".join(f"a,b,c,{i}" for i in range(3000))
    problems = read_all(write(tmp_path / "j.csv", text))[1]
    assert len(problems) == 1001 and "stopped after 1000" in problems[-1].reason


def test_named_text_field_missing_is_one_problem(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    fields = FieldMap(text="story")
    rows = [{"text": TRADE, "title": "a"}] * 50
    write(tmp_path / "a.jsonl", "\n".join(json.dumps(r) for r in rows))
    write(tmp_path / "b.csv", csv_text([["title", "text"]] + [["a", TRADE]] * 50))
    pq.write_table(pa.table({"text": [TRADE] * 50}), tmp_path / "c.parquet")
    articles, problems = read_all(tmp_path, fields=fields)
    assert not articles and len(problems) == 3
    assert all("no column 'story' (--text-field)" in p.reason and "text" in p.reason for p in problems)


# --- limits enforced while reading (issue 21): memory bounded whatever a file expands to ---------------

def gzip_bomb(path: Path, head: bytes, unit: bytes, megabytes: int, tail: bytes = b"") -> Path:
    """A small .gz that expands to `megabytes` MB of `unit` after `head`, written without holding it whole."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    chunk = unit * ((1 << 20) // len(unit))
    with open(path, "wb") as out:
        out.write(packer.compress(head))
        for _ in range(megabytes):
            out.write(packer.compress(chunk))
        out.write(packer.compress(tail) + packer.flush())
    return path


def peak_while_reading(*paths, **kwargs) -> tuple[list[Article], list[InputProblem], int]:
    """Articles, problems and the peak of Python's allocations (tracemalloc) while reading."""
    import tracemalloc

    tracemalloc.start()
    try:
        articles, problems = read_all(*paths, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return articles, problems, peak


def test_gzip_bomb_txt_is_refused_without_expanding_it(tmp_path):
    # the b.txt.gz at 1/16 the size: 64 MB of "a " behind a 65 KB file
    path = gzip_bomb(tmp_path / "b.txt.gz", b"T\n\n", b"a ", 64)
    articles, problems, peak = peak_while_reading(path)
    assert not articles
    reason = one_problem(problems).reason
    assert "8,000,000 bytes" in reason and "2,000,000 characters (--max-chars)" in reason
    assert peak < 24 * 2**20, peak  # the limit (8 MB) and change, never the 64 MB it expands to


def test_gzip_bomb_html_and_feed_stop_at_their_limits(tmp_path):
    from tightrope.ingest import ReadLimits

    html = gzip_bomb(tmp_path / "b.html.gz", b"<html><body><p>", b"a ", 32)
    feed = gzip_bomb(tmp_path / "b.rss.gz", b"<rss><channel><item><description>", b"a ", 32)
    limits = ReadLimits(max_chars=1_000_000, max_document_bytes=4 * 2**20)
    articles, problems, peak = peak_while_reading(html, feed, limits=limits)
    assert not articles and len(problems) == 2
    assert "12,000,000 bytes" in problems[0].reason and "--max-chars" in problems[0].reason
    assert "4,194,304 bytes" in problems[1].reason and "max_document_bytes" in problems[1].reason
    assert peak < 30 * 2**20, peak


def test_endless_jsonl_line_is_skipped_in_chunks_and_the_next_line_read(tmp_path):
    good = json.dumps({"text": TRADE}).encode() + b"\n"
    path = gzip_bomb(tmp_path / "b.jsonl.gz", good + b'{"text": "', b"x", 128, b'"}\n' + good.replace(b"Brazil", b"Chile"))
    articles, problems, peak = peak_while_reading(path)
    assert [a.text[:9] for a in articles] == ["Ministers", "Ministers"] and "Chile" in articles[1].text
    problem = one_problem(problems)
    assert problem.where == f"{path}:2"
    assert "line over 25,048,576 bytes" in problem.reason and "over the limit of 2,000,000" in problem.reason
    assert peak < 64 * 2**20, peak  # a limit's worth of line (25 MB, twice while joined), never the 128 MB line


def test_endless_csv_line_is_skipped_and_later_rows_keep_their_line_numbers(tmp_path):
    from tightrope.ingest import ReadLimits

    rows = csv_text([["title", "text"], ["Deal", TRADE]])
    path = tmp_path / "b.csv"
    path.write_text(rows + "Long," + "word " * 4_000_000 + "\n" + csv_text([["Clash", BORDER]]))
    articles, problems, peak = peak_while_reading(path, limits=ReadLimits(max_item_bytes=100_000))
    # the Deal record spans lines 2-4 (its text holds two newlines), the long line is 5
    assert [a.title for a in articles] == ["Deal", "Clash"] and articles[1].source == f"{path}:6"
    problem = one_problem(problems)
    assert problem.where == f"{path}:5" and "100,000 characters per item (max_item_bytes)" in problem.reason
    assert peak < 8 * 2**20, peak  # a 20 MB line, skipped a chunk at a time


def test_csv_record_of_many_quoted_lines_counts_as_one_item(tmp_path):
    from tightrope.ingest import ReadLimits

    many_lines = "\n".join(["a line inside one quoted field"] * 10_000)
    path = tmp_path / "q.csv"
    path.write_text(csv_text([["title", "text"], ["Long", many_lines], ["Deal", TRADE]]))
    articles, problems = read_all(path, limits=ReadLimits(max_item_bytes=50_000))
    assert "Deal" in [a.title for a in articles] and "Long" not in [a.title for a in articles]
    assert problems[0].where == f"{path}:2" and "max_item_bytes" in problems[0].reason


def test_per_file_limit_stops_a_streamed_file_with_one_line(tmp_path):
    from tightrope.ingest import ReadLimits

    jsonl = write(tmp_path / "a.jsonl", "".join(json.dumps({"text": f"{i}. {TRADE}"}) + "\n" for i in range(50)))
    csvf = write(tmp_path / "b.csv", csv_text([["text"]] + [[f"{i}. {TRADE}"] for i in range(50)]))
    articles, problems = read_all(jsonl, csvf, limits=ReadLimits(max_file_bytes=5_000))
    assert 0 < len(articles) < 20
    assert len(problems) == 2
    for path, problem in zip((jsonl, csvf), problems):
        assert problem.where == str(path) and "5,000 bytes read from one file (max_file_bytes)" in problem.reason


def test_parquet_gz_temporary_file_is_capped(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tightrope.ingest import ReadLimits

    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"text": [f"{i} {TRADE}" for i in range(3000)]}), path, compression="none")
    gz = tmp_path / "big.parquet.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    articles, problems = read_all(gz, limits=ReadLimits(max_temp_bytes=2**20))
    assert not articles
    assert "1,048,576 bytes" in one_problem(problems).reason and "max_temp_bytes" in problems[0].reason
    assert len(read_all(gz)[0]) == 3000  # under the default limit it is read as before


def test_parquet_row_over_the_item_limit_is_refused_before_it_becomes_a_string(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tightrope.ingest import ReadLimits

    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"text": [TRADE, "word " * 50_000, BORDER]}), path)
    articles, problems = read_all(path, limits=ReadLimits(max_item_bytes=100_000))
    assert [a.text[:8] for a in articles] == ["Minister", "Soldiers"]
    assert one_problem(problems).where == f"{path}:2" and "max_item_bytes" in problems[0].reason


def test_json_document_over_its_limit_suggests_json_lines(tmp_path):
    from tightrope.ingest import ReadLimits

    path = write(tmp_path / "a.json", json.dumps([{"text": TRADE}] * 100))
    reason = one_problem(read_all(path, limits=ReadLimits(max_document_bytes=10_000))[1]).reason
    assert "10,000 bytes" in reason and "max_document_bytes" in reason and ".jsonl" in reason


# --- special files and encodings ----------------------------------------------------------------------

def test_fifo_in_a_folder_is_named_and_never_opened(tmp_path):
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    write(tmp_path / "a.txt", "Deal\n" + TRADE)
    os.mkfifo(tmp_path / "b.jsonl")  # opening it for reading would block for ever
    os.mkfifo(tmp_path / "pipe")
    articles, problems = read_all(tmp_path)
    assert len(articles) == 1
    assert [(p.where, p.reason) for p in problems] == [
        (str(tmp_path / "b.jsonl"), "not a regular file: a named pipe (FIFO)"),
        (str(tmp_path / "pipe"), "not a regular file: a named pipe (FIFO)")]
    assert one_problem(read_all(tmp_path / "pipe")[1]).reason == "not a regular file: a named pipe (FIFO)"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_jsonl_and_csv_are_decoded_not_called_binary(tmp_path, codec):
    rows = [{"title": "Café deal", "text": TRADE.replace("Montevideo", "Montevidéo")}, {"text": SUMMIT}]
    jsonl = tmp_path / "u.jsonl"
    jsonl.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(codec))
    csvf = tmp_path / "u.csv"
    csvf.write_bytes(csv_text([["title", "text"], ["Café deal", TRADE], ["Summit", SUMMIT]]).encode(codec))
    gz = write(tmp_path / "u.jsonl.gz", jsonl.read_bytes())
    for path in (jsonl, csvf, gz):
        articles, problems = read_all(path)
        assert not problems, problems
        assert articles[0].title == "Café deal" and len(articles) == 2



@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_in_other_scripts_is_read(tmp_path, codec):
    """Found by the fuzz test on CI: UTF-16 without a byte-order mark whose first rows are characters outside
    the Basic Multilingual Plane (surrogate pairs: no NUL high bytes) was called binary and nothing was read."""
    rows = [{"title": "", "text": "\U00010000" * 15}, {"title": "中国与印度", "text": "会谈" * 40}, {"title": "Deal", "text": TRADE}]
    path = tmp_path / "astral.jsonl"
    path.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(codec))
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["", "中国与印度", "Deal"] and articles[-1].text == TRADE
    assert not any("binary" in p.reason for p in problems), problems
    # and random bytes, or UTF-8 text, are never taken for UTF-16
    from tightrope.ingest.io import utf16_without_bom

    assert utf16_without_bom(("Ministers met in Berlin on Sunday. " * 40).encode("utf-8")) is None
    assert utf16_without_bom(("中国和印度在北京会谈。" * 100).encode("utf-8")) is None
    assert utf16_without_bom(bytes(range(256)) * 16) is None

def test_binary_with_many_nuls_is_still_binary(tmp_path):
    for name in ("x.jsonl", "x.csv", "x.txt"):
        problem = one_problem(read_all(write(tmp_path / name, b"\x00\x93\x00\xfe\x01\x00" * 1000))[1])
        assert "binary" in problem.reason


# --- dates outside the sane window ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-30", "9999-12-31T23:59:59Z", "2024-13-45", "1066-10-14",
                                   "2400-01-01", "10 March 12024"])
def test_dates_outside_the_window_or_impossible_are_no_date(value):
    assert normalise_date(value) is None
    article = make_article(TRADE, "x", published=value)
    assert isinstance(article, Article) and article.published is None


def test_dates_inside_the_window_are_kept():
    import datetime

    assert normalise_date("1851-09-18") == "1851-09-18" and normalise_date("2199-12-31") == "2199-12-31"
    assert normalise_date(datetime.date(1, 1, 1)) is None and normalise_date(datetime.datetime(2024, 3, 5, 8)) == "2024-03-05"
