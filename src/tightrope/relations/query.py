"""The SQL every relations view shares: the events joined with their article, each with its day, quad class
and intensity worked out in DuckDB, filtered by pair, direction, modality, type and date window.

Doing this in SQL (not row by row in Python) is what keeps the dashboard's pages under a second on a store
of tens of thousands of events: only the rows a page shows, or the aggregates it draws, leave DuckDB.

* **day**: the event's own date when it is an ISO date inside the sane window (ingest.limits: 1800..2199),
  else the article's publication date under the same rule, else a /YYYY/MM/DD/ date in the article's URL
  (the common news-site pattern), else NULL. A junk date (9999-12-30, 0001-01-01)
  therefore never reaches date arithmetic.
* **quad_class / goldstein**: the event's own quad and intensity when stored, else its CAMEO root's (the
  event's own CAMEO code when it is a known root, else its PLOVER type's), from the one PLOVER table.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..ingest.limits import EARLIEST_DATE, LATEST_DATE
from ..plover import load_cameo_roots, load_plover_table

_CODE = re.compile(r"^[A-Z0-9_]{1,32}$")
URL_DATE = r"/(1[89]|2[01])[0-9]{2}/[01][0-9]/[0-3][0-9]/"  # the /2016/09/20/ of many news sites' URLs


def _values_sql() -> str:
    """The PLOVER table as two inline VALUES lists (its codes are checked to be plain codes first)."""
    roots = load_cameo_roots()
    types = load_plover_table()
    for k in list(roots) + list(types) + [t.cameo for t in types.values()]:
        if not _CODE.match(k):
            raise ValueError(f"plover table: unexpected code {k!r}")
    r = ", ".join(f"('{c}', {int(v.quad)}, {float(v.goldstein)!r})" for c, v in sorted(roots.items()))
    t = ", ".join(f"('{k}', '{v.cameo}')" for k, v in sorted(types.items()))
    return r, t


def _clamp(expr: str) -> str:
    return (f"CASE WHEN {expr} BETWEEN DATE '{EARLIEST_DATE.isoformat()}' AND DATE '{LATEST_DATE.isoformat()}' "
            f"THEN {expr} END")


def events_cte() -> str:
    """`ev`: one row per event with the article fields a view filters or groups on (`day`, `quad_class`,
    `goldstein`, `seq`, outlet, published); the long texts (sentence, title, url) are joined in by
    `event_rows` for the rows it returns only."""
    roots, types = _values_sql()
    own_day = _clamp("try_cast(left(e.date, 10) AS DATE)")
    pub_day = _clamp("try_cast(left(a.published, 10) AS DATE)")
    url_day = _clamp(f"try_cast(regexp_replace(regexp_extract(a.url, '{URL_DATE}', 0), '^/|/$', '', 'g')"
                     ".replace('/', '-') AS DATE)")
    return f"""
_roots(code, quad, goldstein) AS (VALUES {roots}),
_types(type, code) AS (VALUES {types}),
ev AS (
  SELECT e.article_id, e.idx, e.type, e.mode, e.cameo, e.modality, e.date AS event_date, a.published, a.outlet,
         a.seq, e.source_text, e.source_name, e.source_country, e.source_sector, e.source_code, e.source_kind,
         e.target_text, e.target_name, e.target_country, e.target_sector, e.target_code, e.target_kind,
         e.location,
         coalesce({own_day}, {pub_day}, {url_day}) AS day,
         coalesce(e.quad, rc.quad, rt.quad) AS quad_class,
         coalesce(e.intensity, rc.goldstein, rt.goldstein) AS goldstein
  FROM events e JOIN articles a ON a.id = e.article_id
  LEFT JOIN _roots rc ON rc.code = left(regexp_replace(coalesce(e.cameo, ''), '[^0-9]', '', 'g'), 2)
  LEFT JOIN _types t ON t.type = upper(e.type)
  LEFT JOIN _roots rt ON rt.code = t.code
)"""


# -- the events relation, kept in memory between queries -----------------------------------------------
# Working `day`, `quad_class` and `goldstein` out (three date parses, two regular expressions a row) costs
# more than the queries that use them; a page runs several. So the `ev` rows are computed once per state
# of the database file and registered on each connection as an Arrow table (zero-copy). A store with more
# than EV_CACHE_MAX_EVENTS events is queried through the CTE instead, so memory stays bounded.

EV_CACHE_MAX_EVENTS = 2_000_000
_ev_cache: dict[str, tuple[tuple, Any]] = {}
_ev_lock = threading.Lock()


def _file_state(path: Path) -> tuple:
    out = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = os.stat(p)
            out += [st.st_mtime_ns, st.st_size]
        except OSError:
            out += [None, None]
    return tuple(out)


def _data_state(con) -> tuple:
    return con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM articles), "
                       "(SELECT max(seq) FROM articles)").fetchall()[0]


def run(store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Run `sql` (which reads `ev`) on the store: against the cached Arrow table when the store is small
    enough, else with the CTE in front."""
    with store.reading() as con:
        table = _cached_events(store, con)
        if table is None:
            cur = con.execute(f"WITH {events_cte()} {sql}", params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]
        con.register("ev", table)
        try:
            cur = con.execute(sql, params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]
        finally:
            con.unregister("ev")


def _cached_events(store, con):
    path = Path(store.path).resolve()
    key = (_file_state(path), _data_state(con))
    if key[1][0] > EV_CACHE_MAX_EVENTS:
        return None
    held = _ev_cache.get(str(path))
    if held and held[0] == key:
        return held[1]
    with _ev_lock:
        held = _ev_cache.get(str(path))
        if held and held[0] == key:
            return held[1]
        table = con.sql(f"WITH {events_cte()} SELECT * FROM ev").to_arrow_table()
        if len(_ev_cache) >= 4:  # a few databases at most (tests open many small ones)
            _ev_cache.pop(next(iter(_ev_cache)))
        _ev_cache[str(path)] = (key, table)
        return table


def level_of(code: str, level: str = "auto") -> str:
    """country for codes of at most 5 letters (USA, NATO), actor for longer ones (USAGOV), unless forced."""
    if level in ("country", "actor"):
        return level
    return "country" if len(code) <= 5 else "actor"


def side_columns(level: str) -> tuple[str, str]:
    return ("source_country", "target_country") if level == "country" else ("source_code", "target_code")


@dataclass
class EventFilter:
    """Which events a view is about. Every value reaches SQL as a parameter."""

    source: str | None = None
    target: str | None = None
    level: str = "auto"
    both: bool = False  # the pair in either direction (source → target and target → source)
    modality: str | Iterable[str] | None = "asserted"
    types: Iterable[str] | None = None
    start: _dt.date | None = None
    end: _dt.date | None = None
    self_pairs: bool = True  # keep events whose source and target country (or code) are the same
    pair_level: str = "country"  # which columns self_pairs compares
    extra: list[tuple[str, list[Any]]] = field(default_factory=list)

    def where(self) -> tuple[str, list[Any]]:
        parts, params = [], []
        if self.both and self.source and self.target:
            s_col, t_col = side_columns(level_of(self.source, self.level))
            parts.append(f"(({s_col} = ? AND {t_col} = ?) OR ({s_col} = ? AND {t_col} = ?))")
            params += [self.source, self.target, self.target, self.source]
        else:
            for code, i in ((self.source, 0), (self.target, 1)):
                if code:
                    parts.append(f"{side_columns(level_of(code, self.level))[i]} = ?")
                    params.append(code)
        if self.modality is not None and self.modality != "all":
            mods = [self.modality] if isinstance(self.modality, str) else list(self.modality)
            parts.append("modality IN (SELECT unnest(?::VARCHAR[]))")
            params.append(mods)
        if self.types:
            parts.append("type IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.types))
        if self.start:
            parts.append("day >= ?")
            params.append(self.start)
        if self.end:
            parts.append("day <= ?")
            params.append(self.end)
        if not self.self_pairs:
            s_col, t_col = side_columns(self.pair_level)
            parts.append(f"({s_col} IS NULL OR {t_col} IS NULL OR {s_col} <> {t_col})")
        for sql, p in self.extra:
            parts.append(sql)
            params += p
        return (" AND ".join(parts) or "TRUE"), params


def summary_sql(prefix: str = "") -> str:
    """Aggregate columns of a group of `ev` rows (read back by `summary_of`)."""
    return (f"count(*) AS {prefix}n, "
            f"count(*) FILTER (WHERE quad_class IN (1, 2)) AS {prefix}cooperation, "
            f"count(*) FILTER (WHERE quad_class IN (3, 4)) AS {prefix}conflict, "
            + ", ".join(f"count(*) FILTER (WHERE quad_class = {q}) AS {prefix}q{q}" for q in (1, 2, 3, 4))
            + f", avg(goldstein) AS {prefix}mean_intensity, coalesce(sum(goldstein), 0) AS {prefix}sum_intensity, "
            f"histogram(type) AS {prefix}by_type")


def summary_of(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The summary dict of one aggregate row: n, by_type, by_quad, intensities, cooperation, conflict, net."""
    n = int(row.get(prefix + "n") or 0)
    by_type = row.get(prefix + "by_type") or {}
    if not isinstance(by_type, dict):  # DuckDB MAP as list of pairs in some versions
        by_type = dict(by_type)
    mean = row.get(prefix + "mean_intensity")
    coop, conf = int(row.get(prefix + "cooperation") or 0), int(row.get(prefix + "conflict") or 0)
    return {
        "n": n,
        "by_type": {k: int(v) for k, v in sorted(by_type.items()) if k is not None},
        "by_quad": {str(q): int(row.get(f"{prefix}q{q}") or 0) for q in (1, 2, 3, 4)},
        "mean_intensity": None if mean is None else round(float(mean), 3),
        "sum_intensity": round(float(row.get(prefix + "sum_intensity") or 0.0), 3),
        "cooperation": coop,
        "conflict": conf,
        "net_cooperation": coop - conf,
    }


def empty_summary() -> dict[str, Any]:
    return summary_of({})


def period_sql(by: str) -> str:
    """The SQL key of the period a `day` falls in, as text: 2025-03-04, 2025-03-03 (Monday), 2025-03."""
    if by == "day":
        return "strftime(day, '%Y-%m-%d')"
    if by == "week":
        return "strftime(date_trunc('week', day), '%Y-%m-%d')"
    if by == "month":
        return "strftime(day, '%Y-%m')"
    raise ValueError(f"by must be day, week or month, not {by!r}")
