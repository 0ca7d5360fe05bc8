"""Outlets: name, domain, country and political lean of each outlet, and which outlets covered a story.

The `outlets` table is written by `tightrope outlets` (`build_outlets`): its names and domains come from the
stored articles (the most common web host of an outlet's URLs), and its lean and country from where the user
or the corpus gives them:

* a user CSV (`--from outlets.csv`) with a `name` column and any of `domain`, `country`, `lean`;
* the corpus the articles were read from (`--corpus FILE --lean-field bias_text`): for each outlet the lean
  its rows give most often (the AllSides corpus rates every row's outlet left / center / right).

A user CSV wins over the corpus. Without the table, `outlet_rows` still lists the outlets of the stored
articles (lean and country unknown). Nothing here is special to one corpus: the field names are options.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from ..store import Store

OUTLETS_SCHEMA = """
CREATE TABLE IF NOT EXISTS outlets (
    name VARCHAR PRIMARY KEY, domain VARCHAR, country VARCHAR, lean VARCHAR, lean_source VARCHAR
);
"""
OUTLET_COLUMNS = ("name", "domain", "country", "lean")
LEAN_ORDER = ("left", "lean left", "center", "lean right", "right")  # how leans sort; others after, by name
COVERAGE_DAYS = 3  # outlets "active around a story": they published within this many days of its span

_HOST = r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?(?:www\.)?([^/:?#]+)"


class OutletsError(ValueError):
    """A user file or corpus that cannot give outlets; the message is one line naming it."""


def has_outlet_table(store: Store) -> bool:
    return bool(store.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'outlets'"))


def lean_rank(lean: str | None) -> tuple[int, str]:
    key = (lean or "").strip().lower()
    return (LEAN_ORDER.index(key), key) if key in LEAN_ORDER else (len(LEAN_ORDER) + (not key), key)


def outlet_rows(store: Store, start: _dt.date | None = None, end: _dt.date | None = None) -> list[dict[str, Any]]:
    """Every outlet of the stored articles: {name, domain, country, lean, lean_source, articles, first, last},
    articles in the date window when one is given (outlets with none in it are still listed, with 0)."""
    day = "try_cast(left(published, 10) AS DATE)"
    cond, params = "TRUE", []
    if start:
        cond += f" AND {day} >= ?"
        params.append(start)
    if end:
        cond += f" AND {day} <= ?"
        params.append(end)
    stats = store.query(
        f"SELECT outlet AS name, count(*) FILTER (WHERE {cond}) AS articles, "
        f"strftime(min({day}) FILTER (WHERE {cond}), '%Y-%m-%d') AS first, "
        f"strftime(max({day}) FILTER (WHERE {cond}), '%Y-%m-%d') AS last, "
        f"mode(nullif(regexp_extract(url, ?, 1), '')) AS domain "
        f"FROM articles WHERE outlet IS NOT NULL GROUP BY outlet", params + params + params + [_HOST])
    known = {}
    if has_outlet_table(store):
        known = {r["name"]: r for r in store.query("SELECT * FROM outlets")}
    rows = []
    for s in stats:
        k = known.get(s["name"], {})
        rows.append({"name": s["name"], "domain": k.get("domain") or s["domain"], "country": k.get("country"),
                     "lean": k.get("lean"), "lean_source": k.get("lean_source"), "articles": int(s["articles"]),
                     "first": s["first"], "last": s["last"]})
    rows.sort(key=lambda r: (-r["articles"], r["name"].lower()))
    return rows


def _read_user_csv(path: Path) -> dict[str, dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            cols = [c.strip().lower() for c in reader.fieldnames or []]
            if "name" not in cols:
                raise OutletsError(f"{path}: no 'name' column; columns are: {', '.join(cols) or '(none)'}")
            out = {}
            for row in reader:
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                if row.get("name"):
                    out[row["name"]] = {c: row.get(c) or None for c in OUTLET_COLUMNS}
            return out
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OutletsError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None


def _corpus_relation(path: Path) -> str:
    name = path.name.lower()
    for ext in (".gz", ".zst"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    if name.endswith((".jsonl", ".ndjson")):
        return "read_json_auto(?, format='newline_delimited')"
    if name.endswith(".json"):
        return "read_json_auto(?)"
    if name.endswith(".csv"):
        return "read_csv_auto(?, all_varchar=true)"
    if name.endswith(".tsv"):
        return "read_csv_auto(?, delim='\t', all_varchar=true)"
    if name.endswith(".parquet"):
        return "read_parquet(?)"
    raise OutletsError(f"{path}: not a table file (.jsonl, .json, .csv, .tsv, .parquet, optionally .gz)")


def corpus_leans(path: Path, lean_field: str, outlet_field: str | None = None) -> dict[str, str]:
    """outlet -> the lean the corpus's rows give it most often (ties: the first in sorted order)."""
    import duckdb

    from ..ingest.common import OUTLET_FIELDS

    if not path.exists():
        raise OutletsError(f"{path}: no such file")
    rel = _corpus_relation(path)
    con = duckdb.connect()
    try:
        cols = [d[0] for d in con.execute(f"SELECT * FROM {rel} LIMIT 0", [str(path)]).description]
        lower = {c.lower(): c for c in cols}
        outlet_col = lower.get((outlet_field or "").lower()) if outlet_field else next(
            (lower[f.lower()] for f in OUTLET_FIELDS if f.lower() in lower), None)
        lean_col = lower.get(lean_field.lower())
        if outlet_col is None or lean_col is None:
            missing = (f"--outlet-field {outlet_field}" if outlet_field else "an outlet column") if outlet_col is None \
                else f"'{lean_field}' (--lean-field)"
            raise OutletsError(f"{path}: no column {missing}; columns are: {', '.join(cols)}")
        q = lambda c: '"' + c.replace('"', '""') + '"'  # noqa: E731 - a column name read from the file itself
        rows = con.execute(f"SELECT CAST({q(outlet_col)} AS VARCHAR), CAST({q(lean_col)} AS VARCHAR), count(*) "
                           f"FROM {rel} GROUP BY 1, 2", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise OutletsError(f"{path}: cannot read as a table ({' '.join(str(exc).split())[:200]})") from None
    finally:
        con.close()
    votes: dict[str, Counter] = defaultdict(Counter)
    for outlet, lean, n in rows:
        if outlet and lean and str(lean).strip():
            votes[str(outlet).strip()][str(lean).strip().lower()] += n
    return {o: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for o, c in votes.items()}


def build_outlets(db: str | Path, user_csv: str | Path | None = None, corpus: str | Path | None = None,
                  lean_field: str = "bias_text", outlet_field: str | None = None) -> list[dict[str, Any]]:
    """Write the `outlets` table (replacing it) from the stored articles, the corpus's lean field and the
    user's CSV; returns the rows written."""
    store = Store(db, read_only=True)
    derived = {r["name"]: r for r in outlet_rows(store)}
    leans = corpus_leans(Path(corpus), lean_field, outlet_field) if corpus else {}
    user = _read_user_csv(Path(user_csv)) if user_csv else {}
    rows = []
    for name in sorted(set(derived) | set(user)):
        d, u = derived.get(name, {}), user.get(name, {})
        lean, source = (u.get("lean"), "user") if u.get("lean") else (leans.get(name), "corpus")
        rows.append({"name": name, "domain": u.get("domain") or d.get("domain"), "country": u.get("country"),
                     "lean": lean, "lean_source": source if lean else None})
    writer = Store(db)
    with writer.writing() as con:
        con.execute(OUTLETS_SCHEMA)
        con.execute("DELETE FROM outlets")
        if rows:
            con.executemany("INSERT INTO outlets VALUES (?, ?, ?, ?, ?)",
                            [(r["name"], r["domain"], r["country"], r["lean"], r["lean_source"]) for r in rows])
    return rows


def story_coverage(store: Store, outlets_covering: Iterable[str | None], start: str | None, end: str | None,
                   days: int = COVERAGE_DAYS) -> dict[str, Any]:
    """Who covered a story and who did not: {covered: [outlet rows], missing: [outlet rows active within
    `days` of the story's span], by_lean: [{lean, covered, missing}]}. Without dates, every outlet of the
    store counts as active."""
    from . import parse_bound

    lo, hi = parse_bound(start), parse_bound(end, end=True)
    window = (lo - _dt.timedelta(days=days), (hi or lo) + _dt.timedelta(days=days)) if lo else (None, None)
    rows = outlet_rows(store, *window)
    covering = {o for o in outlets_covering if o}
    covered = [r for r in rows if r["name"] in covering]
    missing = [r for r in rows if r["name"] not in covering and (r["articles"] > 0)]
    leans: dict[str, dict[str, Any]] = {}
    for r, key in [(r, "covered") for r in covered] + [(r, "missing") for r in missing]:
        lean = r["lean"] or "unknown"
        leans.setdefault(lean, {"lean": lean, "covered": 0, "missing": 0})[key] += 1
    by_lean = sorted(leans.values(), key=lambda x: lean_rank(None if x["lean"] == "unknown" else x["lean"]))
    return {"covered": sorted(covered, key=lambda r: (lean_rank(r["lean"]), r["name"])),
            "missing": sorted(missing, key=lambda r: (lean_rank(r["lean"]), r["name"])), "by_lean": by_lean,
            "window": [d.isoformat() if d else None for d in window]}
