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


def test_gdelt_export_loads_in_pandas(db, tmp_path):
    out = tmp_path / "g.tsv"
    with open(out, "w") as fh:
        n = export_gdelt(db, fh)
    df = pd.read_csv(out, sep="\t", dtype=str)
    assert list(df.columns) == list(GDELT_COLUMNS) and len(GDELT_COLUMNS) == 61
    assert len(df) == n == 20
    row = df[df.Actor1Code.eq("USAGOV") & df.EventRootCode.eq("16")].iloc[0]
    assert row.Actor2CountryCode == "IND" and row.QuadClass == "4" and float(row.GoldsteinScale) == -4.0
    assert row.SQLDATE == "20250224" and row.SOURCEURL.startswith("https://")
    assert df.GLOBALEVENTID.is_unique


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
    assert len(pd.read_csv(out, sep="\t")) == 20
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
    df = pd.read_csv(out, sep="\t", dtype=str)
    assert df.shape == (1, 61)
    assert df.Actor1Name[0] == '"The White House" and co'
    assert len(out.read_text().splitlines()) == 2
