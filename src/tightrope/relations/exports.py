"""Exports: GDELT 2.0 event table (TSV), POLECAT-style JSON Lines, Parquet/CSV of every table.

GDELT 2.0 export (`export_gdelt`): the 61 columns of the GDELT 2.0 event table, in order, tab-separated,
without a header line, as GDELT's own files are (pass header=True for one). Filled columns:

* GLOBALEVENTID: a stable 60-bit integer from sha1(article_id:idx).
* SQLDATE (YYYYMMDD), MonthYear (YYYYMM), Year, FractionDate (year + (day of year)/365): the event's day
  (its own date, else the article's published date, else a /YYYY/MM/DD/ date in the article URL; see
  relations.query). Empty only when none of these is known.
* Actor1*/Actor2*: Code (actor code, e.g. USAGOV), Name, CountryCode (ISO3/IGO), Type1Code (sector). The
  Name is written only for a resolved actor (a code or country, or a named person, organisation, group, IGO
  or outlet): an unresolved phrase ("just 43%", "A magnitude-7.3 earthquake") or a pronoun is never a name.
* IsRootEvent: 1. EventCode/EventBaseCode: the event's CAMEO code when set, else the root.
  EventRootCode, QuadClass, GoldsteinScale: from the event's cameo/quad/intensity when set, else from the
  PLOVER type through the PLOVER table (tightrope.plover).
* NumMentions = NumSources = NumArticles = 1 (one row per extracted event).
* AvgTone: the tone of the article the event was read from (stories.tone: lexicon words, positive minus
  negative per 100 words, GDELT's scale and sign).
* Actor1Geo_*/Actor2Geo_*: a country actor's country (Type 1, FullName, FIPS CountryCode, ADM1Code and
  FeatureID as GDELT writes them for a country, Lat/Long of the country's label point).
* ActionGeo_*: the event's location text, resolved to a country by the actors' place tables (a country name
  or capital: Type 1, or a city: Type 4 with its country), with the FIPS CountryCode and, for a country,
  the Lat/Long of its label point; an unresolved location keeps only its FullName.
* DATEADDED: export time (YYYYMMDDHHMMSS). SOURCEURL: the article URL.
* Cells never hold tabs or newlines (runs of whitespace become one space); a cell holding a double quote
  is quoted CSV-style ("a ""b"" c"), which pandas and csv readers undo.
* Empty: Known group/ethnic/religion/Type2/Type3 codes and the ADM2 columns.

Formula injection (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return would run as a formula when the file is opened in a spreadsheet. Every free-text cell of the
GDELT, POLECAT and CSV exports (names, titles, outlets, URLs, sentences) that starts with one of them gets a
single quote in front (`'=cmd|...`), which spreadsheets show as text; numbers and codes are left alone.

Only asserted events are exported unless modality="all" (or a list) is given.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
from pathlib import Path
from functools import lru_cache
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
FORMULA_OPENERS = ("=", "+", "-", "@", "\t", "\r")
ACTOR_NAME_KINDS = frozenset({"person", "organisation", "group", "igo", "media", "country", "capital", "demonym",
                              "seat", "place", "role", "title"})  # kinds whose text names an actor
GEO_COUNTRY, GEO_WORLDCITY = 1, 4  # GDELT Geo_Type values
DATA = Path(__file__).resolve().parent / "data"
ACTORS_DATA = Path(__file__).resolve().parent.parent / "actors" / "data"


def neutralise_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert with a leading single quote (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_OPENERS):
        return "'" + value
    return value


def event_id(article_id: str, idx: int) -> int:
    return int(hashlib.sha1(f"{article_id}:{idx}".encode()).hexdigest()[:15], 16)


def _clean(value: Any) -> str:
    """A TSV cell: no tabs or newlines inside."""
    if value is None:
        return ""
    return " ".join(str(value).split())


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO3 -> FIPS 10-4 (data/fips_codes.tsv, built by scripts/build_fips_codes.py)."""
    out = {}
    with open(DATA / "fips_codes.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("iso3\t") or not line.strip():
                continue
            iso3, fips = line.rstrip("\n").split("\t")
            out[iso3] = fips
    return out


@lru_cache(maxsize=1)
def place_countries() -> dict[str, tuple[str, int]]:
    """lower-cased place name -> (ISO3, GDELT Geo_Type): country names (1), capitals, cities, places (4),
    from the actors stage's tables (countries.csv, cities.csv, places.csv)."""
    out: dict[str, tuple[str, int]] = {}
    with open(ACTORS_DATA / "countries.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for cap in (row.get("capitals") or "").split(";"):
                if cap.strip():
                    out.setdefault(cap.strip().lower(), (row["iso3"], GEO_WORLDCITY))
            for name in (row.get("names") or "").split(";"):
                if name.strip():
                    out[name.strip().lower()] = (row["iso3"], GEO_COUNTRY)
    for fname in ("cities.csv", "places.csv"):
        with open(ACTORS_DATA / fname, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("name") and row.get("country"):
                    out.setdefault(row["name"].strip().lower(), (row["country"].strip(), GEO_WORLDCITY))
    return out


def resolve_place(text: str | None) -> tuple[str, int] | None:
    """(ISO3, Geo_Type) of a location text, or None when the tables do not know it."""
    if not text:
        return None
    key = " ".join(text.split()).lower()
    for candidate in (key, key[4:] if key.startswith("the ") else None):
        if candidate and candidate in place_countries():
            return place_countries()[candidate]
    return None


def _geo(iso3: str | None, geo_type: int, full_name: str | None) -> dict[str, Any]:
    """The 8 Geo columns of one GDELT location (without the prefix)."""
    if not iso3:
        return {"Type": "", "FullName": full_name or "", "CountryCode": "", "ADM1Code": "", "ADM2Code": "",
                "Lat": "", "Long": "", "FeatureID": ""}
    from .geo import world

    fips = fips_codes().get(iso3, "")
    country = world().get(iso3)
    lat = lon = ""
    if geo_type == GEO_COUNTRY and country:
        lon, lat = country["label"]
    name = full_name or (country["name"] if country else iso3)
    if geo_type == GEO_WORLDCITY and country and full_name and country["name"].lower() not in full_name.lower():
        name = f"{full_name}, {country['name']}"
    return {"Type": geo_type, "FullName": name, "CountryCode": fips,
            "ADM1Code": fips if geo_type == GEO_COUNTRY else "", "ADM2Code": "", "Lat": lat, "Long": lon,
            "FeatureID": fips if geo_type == GEO_COUNTRY else ""}


def actor_name(r: dict[str, Any], side: str) -> str | None:
    """The name of a resolved actor: never an unresolved phrase or a pronoun."""
    name = r.get(f"{side}_name") or r.get(f"{side}_text")
    if not name:
        return None
    kind = r.get(f"{side}_kind")
    if r.get(f"{side}_code") or r.get(f"{side}_country") or kind in ACTOR_NAME_KINDS - {"role", "title"}:
        return name
    return None


def article_tones(store) -> dict[str, float]:
    """article id -> AvgTone (stories.tone score: positive minus negative lexicon words per 100 words)."""
    from ..stories import tone

    st = store if isinstance(store, Store) else Store(store, read_only=True)
    out = {}
    with st.reading() as con:
        cur = con.execute("SELECT id, coalesce(title, '') || '\n' || coalesce(text, '') FROM articles")
        while True:
            chunk = cur.fetchmany(500)
            if not chunk:
                break
            for aid, text in chunk:
                out[aid] = tone(text)["score"]
    return out


def gdelt_row(r: dict[str, Any], added: str, avg_tone: float | None = None) -> list[Any]:
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
        "Actor1Code": r["source_code"], "Actor1Name": neutralise_formula(actor_name(r, "source")),
        "Actor1CountryCode": r["source_country"], "Actor1Type1Code": r["source_sector"],
        "Actor2Code": r["target_code"], "Actor2Name": neutralise_formula(actor_name(r, "target")),
        "Actor2CountryCode": r["target_country"], "Actor2Type1Code": r["target_sector"],
        "IsRootEvent": 1, "EventCode": code or "", "EventBaseCode": (code or "")[:3],
        "EventRootCode": root or "",
        "QuadClass": r["quad"] or quad_for(r["type"], r["cameo"]) or "",
        "GoldsteinScale": r["intensity"] if r["intensity"] is not None else intensity_for(r["type"], r["cameo"]),
        "NumMentions": 1, "NumSources": 1, "NumArticles": 1,
        "AvgTone": "" if avg_tone is None else f"{avg_tone:.4f}",
        "DATEADDED": added, "SOURCEURL": neutralise_formula(r["url"]),
    })
    for n, side in ((1, "source"), (2, "target")):
        iso3 = r.get(f"{side}_country")
        if iso3 and len(iso3) == 3 and iso3 in fips_codes():
            for k, v in _geo(iso3, GEO_COUNTRY, None).items():
                row[f"Actor{n}Geo_{k}"] = v
    place = resolve_place(r.get("location"))
    for k, v in _geo(place[0] if place else None, place[1] if place else 0, r.get("location")).items():
        row[f"ActionGeo_{k}"] = neutralise_formula(v) if k == "FullName" else v
    return [_clean(row[c]) for c in GDELT_COLUMNS]


def export_gdelt(store, out: TextIO, modality="asserted", header: bool = False) -> int:
    """Write the GDELT 2.0 event table as TSV (no header line, as GDELT's files); returns the number of rows."""
    added = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if header:
        w.writerow(GDELT_COLUMNS)
    tones = article_tones(store)
    n = 0
    for r in event_rows(store, modality=modality):
        w.writerow(gdelt_row(r, added, tones.get(r["article_id"])))
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
        "source_actor": neutralise_formula(actor_name(r, "source")),
        "source_agent": r["source_sector"],
        "source_country": r["source_country"],
        "source_code": r["source_code"],
        "target_actor": neutralise_formula(actor_name(r, "target")),
        "target_agent": r["target_sector"],
        "target_country": r["target_country"],
        "target_code": r["target_code"],
        "location": neutralise_formula(r["location"]),
        "event_text": neutralise_formula(r["sentence"]),
        "trigger": neutralise_formula(r["trigger"]),
        "story_id": r["article_id"],
        "event_index": r["idx"],
        "publisher": neutralise_formula(r["outlet"]),
        "headline": neutralise_formula(r["title"]),
        "url": neutralise_formula(r["url"]),
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
            table = con.sql(_select_for(con, t, fmt)).to_arrow_table()
            if fmt == "parquet":
                import pyarrow.parquet as pq

                pq.write_table(table, path)
            else:
                import pyarrow.csv as pcsv

                pcsv.write_csv(table, path)
            written[t] = path
    return written


def _select_for(con, table: str, fmt: str) -> str:
    """SELECT of a whole table; for CSV its text columns have formula openers neutralised (see the module doc)."""
    if fmt != "csv":
        return f'SELECT * FROM "{table}"'
    cols = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                       "ORDER BY ordinal_position", [table]).fetchall()
    openers = ", ".join(f"chr({ord(o)})" for o in FORMULA_OPENERS)
    parts = []
    for name, dtype in cols:
        q = '"' + name.replace('"', '""') + '"'
        if dtype == "VARCHAR":
            parts.append(f"CASE WHEN left({q}, 1) IN ({openers}) THEN chr(39) || {q} ELSE {q} END AS {q}")
        else:
            parts.append(q)
    return f'SELECT {", ".join(parts)} FROM "{table}"'


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
