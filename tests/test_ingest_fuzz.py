"""Property-based tests: no input, however broken, makes a reader raise; good items are still read.

Every reader gets random bytes, random Unicode (control characters, NUL, lone surrogates, long lines and
tokens) inside otherwise valid files, and truncated or corrupted copies of valid files. The number of
inputs tried is counted per reader and reported at the end of the module (terminal line + pytest cache
key `tightrope/fuzz_summary`; also written to $TIGHTROPE_FUZZ_SUMMARY when set), so that the figure
"N inputs fuzzed, 0 crashes" can be quoted.

TIGHTROPE_FUZZ_EXAMPLES scales the examples per test (default keeps the module near 30-60 s on 2 cores).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import time
from collections import Counter
from pathlib import Path

import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis import strategies as st

from tightrope.ingest import FieldMap, ReadLimits, make_article, read_paths
from tightrope.ingest.common import normalise_date
from tightrope.records import Article, InputProblem

from test_ingest import ATOM, BORDER, RSS, SUMMIT, TRADE, csv_text, news_page, write_arc, write_warc

# hypothesis caches Unicode tables in ./.hypothesis by default: keep the shared tree clean
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "tightrope-hypothesis"))

EXAMPLES = int(os.environ.get("TIGHTROPE_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None,  # no .hypothesis folder in the shared tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

TRIED: Counter[str] = Counter()
CRASHES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def fuzz_summary(request):
    """Report how many inputs were tried, per reader, once the module has run."""
    started = time.perf_counter()
    yield
    summary = {
        "inputs": sum(TRIED.values()), "crashes": sum(CRASHES.values()),
        "per_target": dict(sorted(TRIED.items())), "seconds": round(time.perf_counter() - started, 1),
    }
    if getattr(request.config, "cache", None) is not None:  # absent under -p no:cacheprovider
        request.config.cache.set("tightrope/fuzz_summary", summary)
    if os.environ.get("TIGHTROPE_FUZZ_SUMMARY"):
        Path(os.environ["TIGHTROPE_FUZZ_SUMMARY"]).write_text(json.dumps(summary, indent=1) + "\n")
    line = (f"ingest fuzz: {summary['inputs']} inputs fuzzed, {summary['crashes']} crashes "
            f"({summary['seconds']} s) {summary['per_target']}")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():  # shown even under -q and output capture
            reporter.write_line("")
            reporter.write_line(line)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def read_checked(target: str, *paths: Path, **kwargs) -> tuple[list[Article], list[InputProblem]]:
    """Read, count the input, and check the contract every item must keep (re-raising after counting).

    strict=True: read_file's catch-all is off, so an exception inside a reader fails the test and counts
    as a crash instead of becoming a "could not read" problem that would pass.
    """
    TRIED[target] += 1
    try:
        items = list(read_paths([str(p) for p in paths], kwargs.pop("fields", None), strict=True, **kwargs))
    except BaseException:
        CRASHES[target] += 1
        raise
    articles = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert len(articles) + len(problems) == len(items)
    for article in articles:
        assert_clean_article(article)
    for problem in problems:
        assert problem.reason and "\n" not in problem.reason, problem
        assert problem.where.startswith(str(paths[0].parent)), problem
    return articles, problems


def assert_clean_article(article: Article) -> None:
    assert article.text and article.text == article.text.strip()
    assert not any(ord(c) < 32 and c not in "\n\t" for c in article.text)
    assert "\x00" not in article.title and "\n" not in article.title
    assert len(article.id) == 16
    article.text.encode("utf-8")  # no lone surrogates survive
    article.title.encode("utf-8")


def save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- strategies ------------------------------------------------------------------------------------

# Unicode from every category, lone surrogates included, weighted towards the troublesome ones.
nasty_chars = st.one_of(
    st.characters(),
    st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\r", "\u2028", "\ufeff", "\u200b", "\ud800", "\udfff",
                     "\U0010ffff", "<", "&", '"', ",", "\t", "\n"]),
)
nasty_text = st.text(nasty_chars, max_size=300)


@st.composite
def long_text(draw) -> str:
    """Realistic text with inserted junk, sometimes a very long token or line (built, not drawn)."""
    base = draw(st.sampled_from([TRADE, BORDER, SUMMIT, ""]))
    junk = draw(nasty_text)
    at = draw(st.integers(0, len(base)))
    text = base[:at] + junk + base[at:]
    if draw(st.booleans()):
        token = draw(st.sampled_from(["x", "\u00e9", "\x00", "word ", "\u4e2d", " "]))
        text += token * draw(st.integers(1, 300_000))
    return text


field_values = st.one_of(
    st.none(), nasty_text, st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.datetimes().map(lambda d: d.isoformat()), st.dates(),
)


# --- make_article and dates --------------------------------------------------------------------------

@FUZZ
@given(text=st.one_of(long_text(), nasty_text, field_values), title=field_values, outlet=field_values,
       published=field_values, url=field_values, max_chars=st.one_of(st.none(), st.integers(1, 10_000)))
def test_make_article_never_raises(text, title, outlet, published, url, max_chars):
    TRIED["make_article"] += 1
    result = make_article(text, "row:1", title=title, outlet=outlet, published=published, url=url,
                          max_chars=max_chars)
    if isinstance(result, Article):
        assert_clean_article(result)
        assert len(result.text) <= (max_chars or 2_000_000)
    else:
        assert isinstance(result, InputProblem) and "\n" not in result.reason


@FUZZ
@given(value=st.one_of(field_values, st.text(st.characters(codec="ascii"), max_size=40)))
def test_normalise_date_never_raises(value):
    TRIED["normalise_date"] += 1
    out = normalise_date(value)
    assert out is None or (isinstance(out, str) and len(out) >= 10)


# --- random bytes under every suffix -----------------------------------------------------------------

SUFFIXES = [".txt", ".json", ".jsonl", ".csv", ".tsv", ".html", ".rss", ".atom", ".xml", ".warc", ".parquet",
            ".jsonl.gz", ".csv.gz", ".warc.gz", ".html.gz", ".arc", ".tsv.gz", ".rss.gz"]


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.one_of(st.binary(max_size=2000),
                                                         nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       gz=st.booleans())
def test_random_bytes_in_any_format(fuzz_dir, suffix, data, gz):
    if suffix.endswith(".gz") and gz:
        data = gzip.compress(data)
    read_checked(f"bytes{suffix}", save(fuzz_dir / f"random{suffix}", data))


# --- valid files with hostile content ---------------------------------------------------------------

@FUZZ
@given(rows=st.lists(st.fixed_dictionaries({}, optional={
    "text": st.one_of(long_text(), field_values), "title": field_values, "outlet": field_values,
    "date": field_values, "url": field_values}), max_size=5))
def test_jsonl_rows_with_hostile_fields(fuzz_dir, rows):
    lines = [json.dumps(row, default=str) for row in rows] + [json.dumps({"text": TRADE})]
    articles, _ = read_checked("jsonl", save(fuzz_dir / "rows.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")))
    assert any(a.text == TRADE for a in articles)  # the good row is always read


@FUZZ
@given(cells=st.lists(st.lists(st.one_of(nasty_text, long_text()), min_size=1, max_size=4), max_size=4),
       delimiter=st.sampled_from([",", "\t"]))
def test_csv_rows_with_hostile_cells(fuzz_dir, cells, delimiter):
    rows = [["title", "text"]] + cells + [["Deal", TRADE]]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    suffix = ".csv" if delimiter == "," else ".tsv"
    data = buf.getvalue().encode("utf-8", "surrogatepass")
    articles, _ = read_checked("csv", save(fuzz_dir / f"cells{suffix}", data))
    # NUL bytes and stray quotes can merge rows in a way no CSV reader can undo; otherwise the good row is read
    if "\x00" not in buf.getvalue() and "\r" not in buf.getvalue():
        assert any(a.text == TRADE for a in articles)


@FUZZ
@given(body=long_text(), title=nasty_text, script=nasty_text)
def test_html_with_hostile_content(fuzz_dir, body, title, script):
    page = news_page(title, body).replace("</main>", f"<script>{script}</script></main>")
    data = page.encode("utf-8", "surrogatepass")
    articles, _ = read_checked("html", save(fuzz_dir / "page.html", data))
    for article in articles:
        assert "window.tracking" not in article.text


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@FUZZ
@given(title=nasty_text, description=st.one_of(nasty_text, long_text()), raw=st.booleans())
def test_feed_items_with_hostile_content(fuzz_dir, title, description, raw):
    item = (f"<item><title>{title if raw else escape_xml(title)}</title>"
            f"<description>{description if raw else escape_xml(description)}</description></item>")
    feed = RSS.replace("<item>", item + "<item>", 1)
    read_checked("rss", save(fuzz_dir / "feed.rss", feed.encode("utf-8", "surrogatepass")))


@FUZZ
@given(payload=st.one_of(st.binary(max_size=3000), long_text().map(lambda t: t.encode("utf-8", "surrogatepass"))),
       gz=st.booleans())
def test_warc_with_hostile_payload(fuzz_dir, payload, gz):
    path = fuzz_dir / ("hostile.warc.gz" if gz else "hostile.warc")
    write_warc(path, [("https://ledger.example/x", payload.decode("utf-8", "replace")),
                      ("https://ledger.example/deal", news_page("Deal", TRADE))], gz=gz)
    articles, _ = read_checked("warc", path)
    assert any("Montevideo" in a.text for a in articles)


# --- truncated and corrupted copies of valid files ------------------------------------------------------

def valid_samples(tmp: Path) -> dict[str, bytes]:
    """One valid file per format, each holding three articles."""
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    texts = [TRADE, BORDER, SUMMIT]
    jsonl = "".join(json.dumps({"title": f"T{i}", "text": t}) + "\n" for i, t in enumerate(texts)).encode()
    buf = io.BytesIO()
    pq.write_table(pa.table({"text": texts}), buf, row_group_size=1)
    write_warc(tmp / "s.warc.gz", [(f"https://a.example/{i}", news_page(f"T{i}", t)) for i, t in enumerate(texts)])
    write_warc(tmp / "s.warc", [(f"https://a.example/{i}", news_page(f"T{i}", t)) for i, t in enumerate(texts)],
               gz=False)
    return {
        ".jsonl": jsonl,
        ".jsonl.gz": gzip.compress(jsonl),
        ".json": json.dumps([{"text": t} for t in texts]).encode(),
        ".csv": csv_text([["text"]] + [[t] for t in texts]).encode(),
        ".csv.gz": gzip.compress(csv_text([["text"]] + [[t] for t in texts]).encode()),
        ".txt": ("Title\n" + TRADE).encode(),
        ".html": news_page("Deal", TRADE).encode(),
        ".rss": RSS.encode(),
        ".atom": ATOM.encode(),
        ".parquet": buf.getvalue(),
        ".warc.gz": (tmp / "s.warc.gz").read_bytes(),
        ".warc": (tmp / "s.warc").read_bytes(),
        ".arc": write_arc(tmp / "s.arc", "https://a.example/", news_page("T", SUMMIT)).read_bytes(),
    }


class Samples(dict):
    """Valid files by suffix; a short repr keeps hypothesis failure reports readable."""

    def __repr__(self) -> str:
        return f"<samples {sorted(self)}>"


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("samples")
    out = Samples()
    for suffix, data in valid_samples(tmp).items():
        path = save(tmp / f"full{suffix}", data)
        full = [a.id for a in read_paths([str(path)]) if isinstance(a, Article)]
        assert full, suffix
        out[suffix] = (data, full)
    return out


SAMPLE_SUFFIXES = [".jsonl", ".jsonl.gz", ".json", ".csv", ".csv.gz", ".txt", ".html", ".rss", ".atom",
                   ".parquet", ".warc.gz", ".warc", ".arc"]


@FUZZ
@given(suffix=st.sampled_from(SAMPLE_SUFFIXES), fraction=st.floats(0, 1))
def test_truncated_files(fuzz_dir, samples, suffix, fraction):
    data, full_ids = samples[suffix]
    cut = data[: int(len(data) * fraction)]
    articles, problems = read_checked(f"truncated{suffix}", save(fuzz_dir / f"cut{suffix}", cut))
    ids = [a.id for a in articles]
    if suffix in (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".warc.gz", ".warc", ".rss", ".atom", ".parquet"):
        # what a cut file yields is what the whole file yields, in order, up to the cut
        assert ids == full_ids[: len(ids)], suffix
    if suffix in (".jsonl", ".csv"):
        # every line wholly before the cut is read (3 articles, one per line/record after a header)
        complete = cut.count(b"\n") - (1 if suffix == ".csv" else 0)
        if suffix == ".jsonl":
            assert len(ids) >= min(complete, 3)
    if len(cut) < len(data) and suffix in (".jsonl.gz", ".csv.gz") and len(ids) < len(full_ids):
        # one gzip stream: any cut is seen. (A WARC cut exactly between two records is a whole, shorter
        # WARC: nothing to report, and the prefix property above is what matters.)
        assert problems, "a cut gzip file is reported"


@FUZZ
@given(suffix=st.sampled_from(SAMPLE_SUFFIXES),
       edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8), st.integers(0, 8)),
                      min_size=1, max_size=6))
def test_corrupted_files(fuzz_dir, samples, suffix, edits):
    data = bytearray(samples[suffix][0])
    for where, insert, delete in edits:  # overwrite/insert/delete bytes at random places
        at = int(len(data) * where)
        data[at:at + delete] = insert
    read_checked(f"corrupted{suffix}", save(fuzz_dir / f"bad{suffix}", bytes(data)))


@FUZZ
@given(names=st.lists(st.sampled_from(SAMPLE_SUFFIXES), min_size=1, max_size=4, unique=True),
       fields=st.builds(FieldMap, text=st.sampled_from([None, "text", "body", "nope"]),
                        title=st.sampled_from([None, "title", "nope"]),
                        outlet=st.sampled_from([None, "outlet", "nope"])),
       max_chars=st.one_of(st.none(), st.integers(1, 5000)))
def test_folders_with_field_maps_and_limits(tmp_path_factory, samples, names, fields, max_chars):
    folder = tmp_path_factory.mktemp("folder")
    for suffix in names:
        save(folder / f"in{suffix}", samples[suffix][0])
    articles, problems = read_checked("folder", folder, fields=fields, max_chars=max_chars)
    for article in articles:
        assert len(article.text) <= (max_chars or 2_000_000)


@FUZZ
@given(text=long_text(), spacing=st.sampled_from([" ", "\n", "\t", "  \n ", "\r\n"]))
def test_same_content_same_id_whatever_the_whitespace(text, spacing):
    TRIED["article_id"] += 1
    first = make_article(text, "a")
    second = make_article(spacing + spacing.join(text.split(" ")) + spacing, "b")
    if isinstance(first, Article) and isinstance(second, Article):
        assert first.id == second.id


# --- limits and encodings (issue 21) ------------------------------------------------------------------

LIMIT_SETTINGS = ("max_file_bytes", "max_item_bytes", "max_document_bytes", "max_temp_bytes", "--max-chars")


@FUZZ
@given(names=st.lists(st.sampled_from(SAMPLE_SUFFIXES), min_size=1, max_size=4, unique=True),
       limits=st.builds(ReadLimits, max_chars=st.integers(1, 5000), max_file_bytes=st.integers(1, 20_000),
                        max_item_bytes=st.one_of(st.none(), st.integers(1, 5000)),
                        max_document_bytes=st.integers(1, 20_000), max_temp_bytes=st.integers(1, 20_000)))
def test_any_limits_refuse_with_a_line_naming_the_setting(tmp_path_factory, samples, names, limits):
    folder = tmp_path_factory.mktemp("limits")
    for suffix in names:
        save(folder / f"in{suffix}", samples[suffix][0])
    articles, problems = read_checked("limits", folder, limits=limits)
    for article in articles:
        assert len(article.text) <= limits.max_chars
    for problem in problems:
        if " over " in problem.reason and "bytes" in problem.reason:
            assert any(setting in problem.reason for setting in LIMIT_SETTINGS), problem


@FUZZ
@given(rows=st.lists(st.fixed_dictionaries({"title": nasty_text, "text": st.one_of(long_text(), nasty_text)}),
                     max_size=4),
       codec=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "utf-8-sig"]),
       suffix=st.sampled_from([".jsonl", ".csv", ".json", ".txt", ".jsonl.gz"]))
def test_text_in_any_encoding(fuzz_dir, rows, codec, suffix):
    rows = rows + [{"title": "Deal", "text": TRADE}]
    if suffix.startswith(".jsonl"):
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    elif suffix == ".json":
        text = json.dumps(rows, ensure_ascii=False)
    elif suffix == ".csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([["title", "text"]] + [[r["title"], r["text"]] for r in rows])
        text = buf.getvalue()
    else:
        text = rows[0]["title"].replace("\n", " ") + "\n" + rows[0]["text"]
    data = text.encode(codec, "replace")
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    articles, _ = read_checked(f"encoding{suffix}", save(fuzz_dir / f"enc{suffix}", data))
    if codec.startswith("utf-16") and suffix in (".jsonl", ".jsonl.gz") and not any(
            "\x00" in r["text"] or "\x00" in r["title"] for r in rows):
        assert any(a.text == TRADE for a in articles)  # UTF-16 JSON Lines is read, not called binary
