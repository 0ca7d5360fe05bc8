"""Exports: GDELT 2.0 event table (TSV), POLECAT-style JSON Lines, Parquet/CSV of every table.

GDELT 2.0 export (`export_gdelt`): the 61 columns of the GDELT 2.0 event table, in order, tab-separated,
with a header line (pass header=False for GDELT's header-less files). Filled columns:

* GLOBALEVENTID: a stable 60-bit integer from sha1(article_id:idx).
* SQLDATE (YYYYMMDD), MonthYear (YYYYMM), Year, FractionDate (year + (day of year)/365): the event date,
  else the article's published date (empty when neither is known).
* Actor1*/Actor2*: Code (actor code, e.g. USAGOV), Name, CountryCode (ISO3/IGO), Type1Code (sector);
  the other actor attribute columns are empty.
* IsRootEvent: 1. EventCode/EventBaseCode: the event's CAMEO code when set, else the root.
  EventRootCode, QuadClass, GoldsteinScale: from the event's cameo/quad/intensity when set, else from the
  PLOVER type through `mapping.PLOVER_TO_CAMEO` (table in relations/mapping.py).
* NumMentions = NumSources = NumArticles = 1 (one row per extracted event).
* ActionGeo_FullName: the event's location text. DATEADDED: export time (YYYYMMDDHHMMSS). SOURCEURL: the
  article URL.
* Cells never hold tabs or newlines (runs of whitespace become one space); a cell holding a double quote
  is quoted CSV-style ("a ""b"" c"), which pandas and csv readers undo.
* Empty: AvgTone, Known group/ethnic/religion/Type2/Type3 codes and all Geo coordinates/ADM/feature columns.

Only asserted events are exported unless modality="all" (or a list) is given.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Iterable, TextIO

from ..store import TABLES, Store
from . import event_rows
from .mapping import cameo_root, intensity_for, quad_for

GDELT_COLUMNS = (
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
)
assert len(GDELT_COLUMNS) == 61

FORMATS = ("gdelt", "polecat", "parquet", "csv")


def event_id(article_id: str, idx: int) -> int:
    return int(hashlib.sha1(f"{article_id}:{idx}".encode()).hexdigest()[:15], 16)


def _clean(value: Any) -> str:
    """A TSV cell: no tabs or newlines inside."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def gdelt_row(r: dict[str, Any], added: str) -> list[Any]:
    day = _dt.date.fromisoformat(r["day"]) if r.get("day") else None
    root = cameo_root(r["type"], r["cameo"])
    code = "".join(ch for ch in (r["cameo"] or "") if ch.isdigit()) or root
    row = {c: "" for c in GDELT_COLUMNS}
    row.update({
        "GLOBALEVENTID": event_id(r["article_id"], r["idx"]),
        "SQLDATE": day.strftime("%Y%m%d") if day else "",
        "MonthYear": day.strftime("%Y%m") if day else "",
        "Year": day.year if day else "",
        "FractionDate": f"{day.year + day.timetuple().tm_yday / 365:.4f}" if day else "",
        "Actor1Code": r["source_code"], "Actor1Name": r["source_name"] or r["source_text"],
        "Actor1CountryCode": r["source_country"], "Actor1Type1Code": r["source_sector"],
        "Actor2Code": r["target_code"], "Actor2Name": r["target_name"] or r["target_text"],
        "Actor2CountryCode": r["target_country"], "Actor2Type1Code": r["target_sector"],
        "IsRootEvent": 1, "EventCode": code or "", "EventBaseCode": (code or "")[:3],
        "EventRootCode": root or "",
        "QuadClass": r["quad"] or quad_for(r["type"], r["cameo"]) or "",
        "GoldsteinScale": r["intensity"] if r["intensity"] is not None else intensity_for(r["type"], r["cameo"]),
        "NumMentions": 1, "NumSources": 1, "NumArticles": 1,
        "ActionGeo_FullName": r["location"],
        "DATEADDED": added, "SOURCEURL": r["url"],
    })
    return [_clean(row[c]) for c in GDELT_COLUMNS]


def export_gdelt(store, out: TextIO, modality="asserted", header: bool = True) -> int:
    """Write the GDELT 2.0 event table as TSV; returns the number of rows."""
    added = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if header:
        w.writerow(GDELT_COLUMNS)
    n = 0
    for r in event_rows(store, modality=modality):
        w.writerow(gdelt_row(r, added))
        n += 1
    return n


def polecat_record(r: dict[str, Any]) -> dict[str, Any]:
    """One event in the shape of a POLECAT record (field names follow the POLECAT data release)."""
    claimed = json.loads(r["claimed_by"]) if r.get("claimed_by") else None
    return {
        "event_id": str(event_id(r["article_id"], r["idx"])),
        "event_date": r["day"],
        "story_date": (str(r["published"])[:10] if r["published"] else None),
        "event_type": r["type"],
        "event_mode": r["mode"],
        "event_intensity": r["intensity"],
        "quad_code": r["quad"],
        "cameo_root": cameo_root(r["type"], r["cameo"]),
        "modality": r["modality"],
        "claimed_by": claimed.get("code") or claimed.get("name") if claimed else None,
        "source_actor": r["source_name"] or r["source_text"],
        "source_agent": r["source_sector"],
        "source_country": r["source_country"],
        "source_code": r["source_code"],
        "target_actor": r["target_name"] or r["target_text"],
        "target_agent": r["target_sector"],
        "target_country": r["target_country"],
        "target_code": r["target_code"],
        "location": r["location"],
        "event_text": r["sentence"],
        "trigger": r["trigger"],
        "story_id": r["article_id"],
        "event_index": r["idx"],
        "publisher": r["outlet"],
        "headline": r["title"],
        "url": r["url"],
    }


def export_polecat(store, out: TextIO, modality="asserted") -> int:
    n = 0
    for r in event_rows(store, modality=modality):
        out.write(json.dumps(polecat_record(r), ensure_ascii=False) + "\n")
        n += 1
    return n


def export_tables(store, out_dir: str | Path, fmt: str = "parquet") -> dict[str, Path]:
    """Every table (articles, mentions, events, quotes, claims, and the stories tables when present) as
    `<out_dir>/<table>.parquet` or `.csv`; returns {table: path}."""
    if fmt not in ("parquet", "csv"):
        raise ValueError("fmt must be parquet or csv")
    st = store if isinstance(store, Store) else Store(store, read_only=True)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    with st.reading() as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        tables = [t for t in TABLES if t in names] + sorted(n for n in names if n not in TABLES and n != "meta")
        for t in tables:
            path = out_dir / f"{t}.{fmt}"
            table = con.sql(f'SELECT * FROM "{t}"').to_arrow_table()
            if fmt == "parquet":
                import pyarrow.parquet as pq

                pq.write_table(table, path)
            else:
                import pyarrow.csv as pcsv

                pcsv.write_csv(table, path)
            written[t] = path
    return written


def export(store, fmt: str, out: str | Path | None = None, modality="asserted") -> Any:
    """Dispatch for the CLI: gdelt/polecat write to `out` (a file; a string returned when None),
    parquet/csv write one file per table into the folder `out` (default ./export)."""
    if fmt in ("gdelt", "polecat"):
        fn = export_gdelt if fmt == "gdelt" else export_polecat
        if out is None:
            buf = io.StringIO()
            fn(store, buf, modality=modality)
            return buf.getvalue()
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return fn(store, fh, modality=modality)
    if fmt in ("parquet", "csv"):
        return export_tables(store, out or "export", fmt)
    raise ValueError(f"format must be one of {FORMATS}")
