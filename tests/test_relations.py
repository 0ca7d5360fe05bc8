"""Relations: dyad series, triangles, network, shift alerts, exports (GDELT/POLECAT/Parquet/CSV), CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from relations_fixture import build_db
from tightrope.cli import app
from tightrope.relations import dyad_series, dyads, event_rows, network, period_key, shift_alerts, triangle
from tightrope.relations.exports import GDELT_COLUMNS, export_gdelt, export_polecat, export_tables
from tightrope.relations.mapping import PLOVER_TO_CAMEO, intensity_for, quad_for
from tightrope.records import PLOVER_TYPES
from tightrope.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("rel") / "t.duckdb"
    build_db(path)
    return path


def test_mapping_covers_every_plover_type():
    assert set(PLOVER_TO_CAMEO) == set(PLOVER_TYPES)
    assert quad_for("AGREE") == 1 and quad_for("AID") == 2 and quad_for("ACCUSE") == 3 and quad_for("ASSAULT") == 4
    assert quad_for("ASSAULT", "190") == 4 and intensity_for("ASSAULT", "190") == -10.0
    assert intensity_for("CONSULT") == 1.0


def test_period_keys():
    import datetime as dt

    d = dt.date(2025, 1, 8)  # a Wednesday
    assert period_key(d, "day") == "2025-01-08"
    assert period_key(d, "week") == "2025-01-06"
    assert period_key(d, "month") == "2025-01"


def test_dyads_rank_pairs_and_net_cooperation(db):
    top = dyads(db)
    assert (top[0]["source"], top[0]["target"]) == ("USA", "IND")
    assert top[0]["n"] == 16 and top[0]["cooperation"] == 14 and top[0]["conflict"] == 2
    assert top[0]["net_cooperation"] == 12
    pak = next(d for d in top if d["target"] == "PAK" and d["source"] == "USA")
    assert pak["n"] == 2  # the negated ASSAULT is left out by default
    pak_all = next(d for d in dyads(db, modality="all") if d["target"] == "PAK" and d["source"] == "USA")
    assert pak_all["n"] == 3
    actors = dyads(db, level="actor")
    assert (actors[0]["source"], actors[0]["target"]) == ("USAGOV", "INDGOV")


def test_dyad_series_by_week_and_month(db):
    s = dyad_series(db, "USA", "IND", by="week")
    assert s["level"] == "country" and len(s["series"]) == 8
    first, last = s["series"][0], s["series"][-1]
    assert first["period"] == "2025-01-06" and first["by_type"] == {"AGREE": 1, "CONSULT": 1}
    assert first["mean_intensity"] == 2.5 and first["sum_intensity"] == 5.0
    assert last["net_cooperation"] == -2 and last["by_quad"]["3"] == 1 and last["by_quad"]["4"] == 1
    m = dyad_series(db, "USAGOV", "INDGOV", by="month")
    assert m["level"] == "actor" and [p["period"] for p in m["series"]] == ["2025-01", "2025-02"]
    assert sum(p["n"] for p in m["series"]) == 16
    only = dyad_series(db, "USA", "IND", types=["SANCTION"])
    assert only["total"]["n"] == 1


def test_date_falls_back_to_published(db, tmp_path):
    from relations_fixture import _article

    import datetime as dt

    r = _article(99, dt.date(2025, 3, 3), "X", [("Washington", "consulted", "Beijing", "CONSULT")])
    r.events[0].date = None
    store = Store(tmp_path / "d.duckdb")
    store.add_results([r])
    rows = event_rows(store)
    assert rows[0]["day"] == "2025-03-03"


def test_triangle_and_network(db):
    t = triangle(db, "USA", "IND", "PAK")
    assert t["balance"] == 12 - (-2)
    net = network(db)
    edge = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edge[("USA", "IND")]["sign"] == 1 and edge[("USA", "PAK")]["sign"] == -1
    assert edge[("USA", "IND")]["weight"] == 16
    assert {n["id"] for n in net["nodes"]} == {"USA", "IND", "PAK", "CHN"}


def test_shift_alert_fires_on_the_conflict_week_only(db):
    alerts = shift_alerts(db)
    assert [(a["source"], a["target"], a["week"], a["direction"]) for a in alerts] == [
        ("USA", "IND", "2025-02-24", "down")]
    assert alerts[0]["value"] == -5.0 and alerts[0]["median"] == 2.5


# The GDELT 2.0 event table's 61 columns, in order, as the GDELT 2.0 Event Database codebook lists them
# (GDELT-Event_Codebook-V2.0): written out here, not imported from the code under test.
GDELT2_CODEBOOK = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]


def _read_gdelt(path) -> pd.DataFrame:
    """As a GDELT user reads a GDELT 2.0 export file: no header, the codebook's names, tab-separated."""
    return pd.read_csv(path, sep="\t", header=None, names=GDELT2_CODEBOOK, dtype=str, keep_default_na=False)


def test_gdelt_export_loads_with_the_codebook_columns(db, tmp_path):
    assert len(GDELT2_CODEBOOK) == 61 and list(GDELT_COLUMNS) == GDELT2_CODEBOOK
    out = tmp_path / "g.tsv"
    with open(out, "w") as fh:
        n = export_gdelt(db, fh)
    first = out.read_text().splitlines()[0].split("\t")
    assert len(first) == 61 and first[0].isdigit() and "GLOBALEVENTID" not in first  # no header line
    df = _read_gdelt(out)
    assert len(df) == n == 20 and df.GLOBALEVENTID.str.isdigit().all() and df.GLOBALEVENTID.is_unique
    row = df[df.Actor1Code.eq("USAGOV") & df.EventRootCode.eq("16")].iloc[0]
    assert row.Actor2CountryCode == "IND" and row.QuadClass == "4" and float(row.GoldsteinScale) == -4.0
    assert row.SQLDATE == "20250224" and row.MonthYear == "202502" and row.SOURCEURL.startswith("https://")
    assert (df.SQLDATE.str.len() == 8).all()  # every event of the fixture is dated
    assert df.AvgTone.ne("").all() and df.AvgTone.map(float).between(-100, 100).all()
    # a country actor's geography: FIPS country code (India is IN in FIPS 10-4 as in ISO, the US is US)
    assert row.Actor1Geo_Type == "1" and row.Actor1Geo_CountryCode == "US" and row.Actor2Geo_CountryCode == "IN"
    assert -90 <= float(row.Actor2Geo_Lat) <= 90 and -180 <= float(row.Actor2Geo_Long) <= 180


def test_gdelt_location_tone_date_and_names(tmp_path):
    """ActionGeo from the event's location, SQLDATE from the URL when nothing else dates the article, AvgTone
    from the article, and no Actor1Name for an actor that was not resolved."""
    import datetime as dt

    from relations_fixture import _article
    from tightrope.records import Actor, Article

    r1 = _article(1, dt.date(2025, 5, 5), "X", [("Washington", "consulted", "Beijing", "CONSULT")])
    r1.events[0].location = "the United Kingdom"
    r2 = _article(2, dt.date(2025, 5, 6), "X", [("Washington", "praised", "Beijing", "SUPPORT")])
    r2.events[0].location = "Marseille"
    r2.events[0].date = None
    r2.events[0].source = Actor(text="just 43%", start=0, end=8, kind="unresolved")
    a = r2.article
    r2.article = Article(id=a.id, title=a.title, text=a.text + " War and violence: the attack killed many, a hostile threat.",
                         outlet=a.outlet, published=None, url="https://example.org/2019/03/07/story.html")
    r3 = _article(3, dt.date(2025, 5, 7), "X", [("Washington", "helped", "Beijing", "AID")])
    r3.events[0].location = "Atlantis"
    store = Store(tmp_path / "g.duckdb")
    store.add_results([r1, r2, r3])
    out = tmp_path / "g.tsv"
    with open(out, "w") as fh:
        export_gdelt(store, fh)
    df = _read_gdelt(out).set_index("Actor1Code", drop=False)
    uk = df[df.ActionGeo_FullName.eq("the United Kingdom")].iloc[0]
    assert uk.ActionGeo_Type == "1" and uk.ActionGeo_CountryCode == "UK" and uk.ActionGeo_Lat and uk.ActionGeo_Long
    city = df[df.ActionGeo_FullName.str.startswith("Marseille")].iloc[0]
    assert city.ActionGeo_Type == "4" and city.ActionGeo_CountryCode == "FR" and "France" in city.ActionGeo_FullName
    assert city.SQLDATE == "20190307"  # from the URL: no event date, no published date
    assert city.Actor1Name == "" and city.Actor1Code == ""  # "just 43%" is not an actor
    assert float(city.AvgTone) < float(uk.AvgTone)  # war, violence, attack, killed, hostile, threat
    unknown = df[df.ActionGeo_FullName.eq("Atlantis")].iloc[0]
    assert unknown.ActionGeo_Type == "" and unknown.ActionGeo_CountryCode == ""
    assert set(df.Actor1Name) - {""} == {"Washington"}


def test_exports_neutralise_formula_openers(tmp_path):
    """OWASP CSV injection: a text cell starting with = + - @ is written with a leading quote."""
    import datetime as dt

    from relations_fixture import _article
    from tightrope.records import Article

    r = _article(1, dt.date(2025, 5, 5), "@SUM(1+1)", [("Washington", "consulted", "Beijing", "CONSULT")])
    r.events[0].source.name = "=cmd|' /C calc'!A0"
    r.events[0].target.name = "+2+3"
    a = r.article
    r.article = Article(id=a.id, title="-2+3 said", text=a.text, outlet=a.outlet, published=a.published,
                        url="=HYPERLINK(\"http://evil.example\")")
    store = Store(tmp_path / "f.duckdb")
    store.add_results([r])
    out = tmp_path / "f.tsv"
    with open(out, "w") as fh:
        export_gdelt(store, fh)
    df = _read_gdelt(out)
    assert df.Actor1Name[0] == "'=cmd|' /C calc'!A0" and df.Actor2Name[0] == "'+2+3"
    assert df.SOURCEURL[0].startswith("'=HYPERLINK")
    assert float(df.GoldsteinScale[0]) == 1.0  # numbers are left alone
    import io

    buf = io.StringIO()
    export_polecat(store, buf)
    rec = json.loads(buf.getvalue())
    assert rec["source_actor"].startswith("'=") and rec["publisher"] == "'@SUM(1+1)" and rec["headline"] == "'-2+3 said"
    paths = export_tables(store, tmp_path / "csv", "csv")
    arts = pd.read_csv(paths["articles"], dtype=str)
    assert arts.title[0] == "'-2+3 said" and arts.outlet[0] == "'@SUM(1+1)" and arts.url[0].startswith("'=")
    raw = paths["events"].read_text()
    assert "\n=cmd" not in raw and ",=cmd" not in raw and ",\"=cmd" not in raw
    assert len(pd.read_parquet(export_tables(store, tmp_path / "pq", "parquet")["articles"])) == 1


def test_polecat_and_tables_export(db, tmp_path):
    import io

    buf = io.StringIO()
    n = export_polecat(db, buf)
    recs = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert len(recs) == n == 20
    assert {"event_id", "event_type", "source_country", "target_country", "event_text", "event_date"} <= set(recs[0])
    paths = export_tables(db, tmp_path / "pq", "parquet")
    assert {"articles", "mentions", "events", "quotes", "claims"} <= set(paths)
    assert len(pd.read_parquet(paths["events"])) == 21
    csvs = export_tables(db, tmp_path / "csv", "csv")
    assert len(pd.read_csv(csvs["articles"])) == 12


def test_cli(db, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["dyads", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.splitlines()[0])["source"] == "USA"
    png = tmp_path / "p.png"
    r = runner.invoke(app, ["dyad", "usa", "ind", "--db", str(db), "--by", "week", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    out = tmp_path / "g.tsv"
    r = runner.invoke(app, ["export", "--format", "gdelt", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert len(_read_gdelt(out)) == 20
    r = runner.invoke(app, ["export", "--format", "parquet", "--db", str(db), "--out", str(tmp_path / "x")])
    assert r.exit_code == 0 and (tmp_path / "x" / "events.parquet").exists()
    r = runner.invoke(app, ["export", "--format", "nope", "--db", str(db)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["dyads", "--db", str(tmp_path / "missing.duckdb")])
    assert r.exit_code == 1


def test_gdelt_cells_with_quotes_tabs_and_newlines(tmp_path):
    import datetime as dt

    from relations_fixture import _article

    r = _article(1, dt.date(2025, 5, 5), "X", [("Washington", "consulted", "Beijing", "CONSULT")])
    r.events[0].source.name = '"The\tWhite\nHouse" and co'
    store = Store(tmp_path / "q.duckdb")
    store.add_results([r])
    out = tmp_path / "q.tsv"
    with open(out, "w") as fh:
        export_gdelt(store, fh)
    df = _read_gdelt(out)
    assert df.shape == (1, 61)
    assert df.Actor1Name[0] == '"The White House" and co'
    assert len(out.read_text().splitlines()) == 1


# -- issue 20/21: time windows, both directions, bounded series, defaults that do not mislead --------------


def _extra_store(tmp_path, name, specs):
    """A store of articles built from (index, date, sentences, quote) with relations_fixture._article."""
    from relations_fixture import _article

    store = Store(tmp_path / name)
    store.add_results([_article(i, day, "Wire", sents, quote=quote) for i, day, sents, quote in specs])
    return store


def test_hostile_dates_do_not_break_series_and_stay_bounded(tmp_path):
    """An event dated 9999-12-30 raised OverflowError in the weekly series (issue 21.2); with one at 0001-01-01
    too, the daily series filled every day between them. Dates outside 1800..2199 are not dates, and a
    series is filled with empty periods only up to MAX_PERIODS."""
    import datetime as dt

    from relations_fixture import _article
    from tightrope.relations import MAX_PERIODS

    rows = []
    for i, date in enumerate(["9999-12-30", "0001-01-01", "1850-01-01", "2150-06-01"]):
        r = _article(i, dt.date(2025, 1, 6), "W", [("Washington", "accused", "Beijing", "ACCUSE")])
        r.events[0].date = date
        rows.append(r)
    store = Store(tmp_path / "h.duckdb")
    store.add_results(rows)
    for by in ("day", "week", "month"):
        s = dyad_series(store, "USA", "CHN", by=by)
        assert s["total"]["n"] == 4 and len(s["series"]) <= MAX_PERIODS
    week = dyad_series(store, "USA", "CHN", by="week")
    assert week["filled"] is False and "more than" in week["note"]
    assert [p["period"] for p in week["series"]] == ["1849-12-31", "2025-01-06", "2150-06-01"]
    # the junk dates fell back to the article's published date, the sane ones kept their own
    assert sorted(r["day"] for r in event_rows(store)) == ["1850-01-01", "2025-01-06", "2025-01-06", "2150-06-01"]
    month = dyad_series(store, "USA", "CHN", by="month", start="2025-01", end="2025-03")
    assert [p["period"] for p in month["series"]] == ["2025-01", "2025-02", "2025-03"] and month["filled"]
    r = CliRunner().invoke(app, ["dyad", "USA", "CHN", "--db", str(tmp_path / "h.duckdb"), "--by", "week"])
    assert r.exit_code == 0, r.output


def test_date_window_and_bounds(db):
    from tightrope.relations import count_events, parse_bound

    import datetime as dt

    assert parse_bound("2025-02") == dt.date(2025, 2, 1) and parse_bound("2025-02", end=True) == dt.date(2025, 2, 28)
    assert parse_bound("2024", end=True) == dt.date(2024, 12, 31) and parse_bound("9999-12-30") is None
    assert parse_bound("2025-13") is None and parse_bound("") is None
    feb = event_rows(db, "USA", "IND", start="2025-02", end="2025-02")
    assert {r["day"][:7] for r in feb} == {"2025-02"} and len(feb) == 8
    assert count_events(db, "USA", "IND", start="2025-02", end="2025-02") == 8
    assert dyads(db, start="2025-02-24", end="2025-02-24")[0]["n"] == 2
    assert dyads(db, start="2030-01-01") == []


def test_default_window_last_30_days_only_when_recent(db):
    import datetime as dt

    from tightrope.relations import default_window

    assert default_window(db, today=dt.date(2026, 1, 1)) == (None, None)  # old data: everything
    lo, hi = default_window(db, today=dt.date(2025, 3, 1))  # the data's last day is 2025-02-24
    assert hi == dt.date(2025, 2, 24) and lo == dt.date(2025, 1, 26)


def test_self_pairs_left_out_unless_asked(tmp_path):
    import datetime as dt

    store = _extra_store(tmp_path, "self.duckdb", [
        (i, dt.date(2025, 1, 6) + dt.timedelta(days=i), [("Washington", "accused", "Washington", "ACCUSE")], None)
        for i in range(5)] + [(9, dt.date(2025, 1, 7), [("Washington", "consulted", "Beijing", "CONSULT")], None)])
    assert [(d["source"], d["target"]) for d in dyads(store)] == [("USA", "CHN")]
    assert ("USA", "USA") in {(d["source"], d["target"]) for d in dyads(store, self_pairs=True)}
    assert all(a["source"] != a["target"] for a in shift_alerts(store, min_events=1))


def test_single_event_weeks_do_not_raise_alerts_unless_asked(tmp_path):
    import datetime as dt

    base = dt.date(2025, 1, 6)
    specs = [(w, base + dt.timedelta(weeks=w), [("Washington", "agreed a deal with", "Beijing", "AGREE")] * 2, None)
             for w in range(5)]
    specs.append((9, base + dt.timedelta(weeks=5), [("Washington", "attacked", "Beijing", "ASSAULT")], None))
    store = _extra_store(tmp_path, "single.duckdb", specs)
    assert shift_alerts(store) == []
    single = shift_alerts(store, min_events=1)
    assert [(a["week"], a["n"]) for a in single] == [((base + dt.timedelta(weeks=5)).isoformat(), 1)]


def test_pair_view_both_directions_quotes_and_sorted_events(tmp_path):
    import datetime as dt

    from relations_fixture import _article
    from tightrope.records import Actor, Quote
    from tightrope.relations import pair_quotes, pair_view

    a1 = _article(1, dt.date(2025, 3, 10), "Wire", [("Washington", "sanctioned", "New Delhi", "SANCTION")])
    a2 = _article(2, dt.date(2025, 3, 3), "Wire", [("New Delhi", "rejected", "Washington", "REJECT")])
    a3 = _article(3, dt.date(2025, 4, 1), "Wire", [("Washington", "consulted", "New Delhi", "CONSULT")])
    # a quote by an Indian speaker naming Washington, one by a US speaker naming Beijing (not about India)
    for art, speaker, inside in ((a2, ("New Delhi", "IND"), "Washington"), (a3, ("Washington", "USA"), "Beijing")):
        text = art.article.text + f' "We told {inside} no." '
        qs = len(art.article.text) + 2
        art.article = type(art.article)(id=art.article.id, title=art.article.title, text=text, outlet="Wire",
                                        published=art.article.published, url=art.article.url)
        who = Actor(text=speaker[0], start=0, end=len(speaker[0]), name=speaker[0], country=speaker[1],
                    code=speaker[1] + "GOV")
        art.quotes.append(Quote(text=f"We told {inside} no.", direct=True, cue="said", speaker=who, start=qs,
                                end=qs + len(f"We told {inside} no.")))
        m = text.index(inside, qs)
        art.actors.append(Actor(text=inside, start=m, end=m + len(inside), name=inside,
                                country={"Washington": "USA", "Beijing": "CHN"}[inside]))
    store = Store(tmp_path / "pair.duckdb")
    store.add_results([a1, a2, a3])
    v = pair_view(store, "USA", "IND", by="month")
    assert v["ab_total"]["n"] == 2 and v["ba_total"]["n"] == 1
    assert [(p["period"], p["ab"]["n"], p["ba"]["n"]) for p in v["series"]] == [("2025-03", 1, 1), ("2025-04", 1, 0)]
    quotes, total = pair_quotes(store, "USA", "IND")
    assert total == 1 and quotes[0]["speaker_side"] == "IND" and "Washington" in quotes[0]["text"]
    assert pair_quotes(store, "USA", "IND", start="2025-04")[1] == 0
    both = event_rows(store, "USA", "IND", both=True, order="date")
    assert [r["day"] for r in both] == ["2025-03-03", "2025-03-10", "2025-04-01"]
    newest = event_rows(store, "USA", "IND", both=True, order="date_desc", limit=1, offset=1)
    assert [r["day"] for r in newest] == ["2025-03-10"]


def test_plot_title_in_words_integer_counts_and_separate_panels(db):
    from tightrope.relations.plot import series_figure

    s = dyad_series(db, "USA", "IND", by="week", modality=["asserted"])
    fig = series_figure(s)
    counts, intensity = fig.axes
    title = counts.get_title()
    assert "[" not in title and "'" not in title and "asserted events per week" in title
    assert all(float(t).is_integer() for t in counts.get_yticks())
    assert intensity.get_ylim() == (-10.5, 10.5) and counts is not intensity
    assert len(counts.get_xticklabels()) <= 10 or len(intensity.get_xticks()) <= 10


def test_cli_json_limit_window_and_wide_tables(db, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["dyads", "--db", str(db), "--json", "--limit", "1"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1
    r = runner.invoke(app, ["dyads", "--db", str(db), "--json", "--start", "2025-02-24", "--end", "2025-03"])
    assert [json.loads(x)["n"] for x in r.stdout.splitlines()] == [2]
    r = runner.invoke(app, ["dyads", "--db", str(db), "--start", "2025-99"])
    assert r.exit_code == 2 and "--start" in r.output
    r = runner.invoke(app, ["events", "--db", str(db), "--source", "USA", "--target", "IND", "--limit", "3", "--json"])
    days = [json.loads(x)["day"] for x in r.stdout.splitlines()]
    assert len(days) == 3 and days == sorted(days, reverse=True)
    r = runner.invoke(app, ["events", "--db", str(db), "--source", "USA", "--target", "IND", "--limit", "2"])
    assert r.exit_code == 0 and "Washington imposed sanctions on New Delhi on 2025-02-24." in r.stdout  # not cut
    r = runner.invoke(app, ["pair", "USA", "IND", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["ab_total"]["n"] == 16 and body["ba_total"]["n"] == 0 and len(body["events"]) == 16
    r = runner.invoke(app, ["alerts", "--db", str(db), "--json"])
    assert json.loads(r.stdout.splitlines()[0])["week"] == "2025-02-24"
    r = runner.invoke(app, ["sql", "SELECT type, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC, 1", "--db",
                            str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout.splitlines()[0]) == {"type": "CONSULT", "n": 8}
    r = runner.invoke(app, ["sql", "DELETE FROM events", "--db", str(db)])
    assert r.exit_code == 1 and "only queries that read" in r.output
    assert Store(db, read_only=True).counts()["events"] == 21


def test_outlet_table_from_corpus_and_user_csv(db, tmp_path):
    import gzip
    import shutil

    from tightrope.relations.outlets import outlet_rows, story_coverage

    copy = tmp_path / "o.duckdb"
    shutil.copy(db, copy)
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt") as fh:
        for outlet, lean in [("Daily Planet", "left"), ("Daily Planet", "left"), ("Daily Planet", "center"),
                             ("Morning Star", "right")]:
            fh.write(json.dumps({"source": outlet, "bias_text": lean, "content": "x"}) + "\n")
    user = tmp_path / "outlets.csv"
    user.write_text("name,country,lean\nMorning Star,GBR,\nEvening Post,USA,center\n")
    r = CliRunner().invoke(app, ["outlets", "--db", str(copy), "--corpus", str(corpus), "--from", str(user), "--json"])
    assert r.exit_code == 0, r.output
    rows = {o["name"]: o for o in outlet_rows(Store(copy, read_only=True))}
    assert rows["Daily Planet"]["lean"] == "left" and rows["Daily Planet"]["lean_source"] == "corpus"
    assert rows["Morning Star"]["lean"] == "right" and rows["Morning Star"]["country"] == "GBR"
    assert rows["Daily Planet"]["domain"] == "example.org" and rows["Daily Planet"]["articles"] == 5
    cov = story_coverage(Store(copy, read_only=True), ["Daily Planet"], "2025-01-13", "2025-01-13")
    assert [o["name"] for o in cov["covered"]] == ["Daily Planet"]
    assert {o["name"] for o in cov["missing"]} == {"Morning Star"}  # active 2025-01-10..16, did not cover it
    assert {(l["lean"], l["covered"], l["missing"]) for l in cov["by_lean"]} == {("left", 1, 0), ("right", 0, 1)}
    bad = CliRunner().invoke(app, ["outlets", "--db", str(copy), "--corpus", str(corpus), "--lean-field", "nope"])
    assert bad.exit_code == 1 and "no column 'nope'" in bad.output and "bias_text" in bad.output


# -- extract's database problems (issue 20, CLI friction): one line, quickly, nothing left behind ----------


def test_extract_into_a_missing_folder_is_one_line(tmp_path):
    r = CliRunner().invoke(app, ["extract", str(tmp_path), "--db", str(tmp_path / "no" / "such" / "x.duckdb")])
    assert r.exit_code == 1
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "folder" in lines[0] and "does not exist" in lines[0] and "x.duckdb" in lines[0]
    assert "Traceback" not in r.output


def test_extract_into_a_busy_database_names_the_holder(tmp_path):
    import subprocess
    import sys
    import time

    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time\ncon = duckdb.connect({str(db)!r})\n"
                               "print('held', flush=True)\ntime.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        r = CliRunner().invoke(app, ["extract", str(tmp_path), "--db", str(db)])
        took = time.monotonic() - started
        lines = [x for x in r.output.splitlines() if x.strip()]
        assert r.exit_code == 1 and len(lines) == 1, r.output
        assert f"in use by process {holder.pid}" in lines[0] and str(db) in lines[0]
        assert took < 25  # not the 30 s of retries the store allows a reader
    finally:
        holder.kill()
        holder.wait()


def test_failed_extract_leaves_no_database_behind(tmp_path):
    db = tmp_path / "new.duckdb"
    r = CliRunner().invoke(app, ["extract", str(tmp_path / "missing.jsonl"), "--db", str(db)])
    assert r.exit_code == 1 and "no input could be read" in r.output
    assert not db.exists() and not (tmp_path / "new.duckdb.wal").exists()


def test_progress_bar_gets_a_total_and_a_rate(tmp_path):
    """The bar showed 0/? with no rate: the input is counted in a thread (at most --limit) and the rate column
    reads articles per second."""
    import threading
    import time

    from rich.progress import Progress

    from tightrope.cli.main import _count_in_background, _RateColumn
    from tightrope.config import Settings
    from tightrope.ingest import FieldMap

    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"title": f"T{i}", "text": f"Washington consulted Beijing {i}."}) + "\n"
                            for i in range(7)) + "not json\n")
    for settings, want in ((Settings(), 7), (Settings().replace(limit=3), 3)):
        got, done = [], threading.Event()
        _count_in_background([str(path)], FieldMap(), settings, lambda n: (got.append(n), done.set()))
        assert done.wait(30) and got == [want]
    progress = Progress(_RateColumn())
    task = progress.add_task("x", total=10)
    assert str(progress.columns[0].render(progress.tasks[task])) == "…/s"
    progress.advance(task, 2)
    time.sleep(0.05)
    progress.advance(task, 2)
    assert str(progress.columns[0].render(progress.tasks[task])).endswith("/s")
    assert str(progress.columns[0].render(progress.tasks[task])) != "…/s"
