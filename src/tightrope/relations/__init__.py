"""Relations: dyad series, triangles, the country network and shift alerts, computed from the store.

Pure functions over a `Store` (or a database path, opened read-only). The CLI and the web app are
thin layers over these.

Definitions
-----------
* **Pair level.** A code of at most 5 letters (``USA``, ``NATO``, ``ASEAN``) is a *country* code and is
  matched against ``source_country``/``target_country``; a longer one (``USAGOV``) is an *actor* code
  matched against ``source_code``/``target_code``. Pass ``level="country"|"actor"`` to force it.
* **Event date.** ``events.date`` when it parses as an ISO date inside 1800..2199, else the article's
  ``published`` date under the same rule; events with neither are left out of time series and of any date
  window (they still count in ``dyads`` when no window is given).
* **Date window.** Every view takes ``start``/``end`` (ISO dates, either may be None); `default_window`
  gives the dashboard's default: the data's last 30 days when its newest event is at most 30 days old, else
  everything.
* **Self-pairs** (USA → USA) are left out of pairs, the network and alerts unless ``self_pairs=True``.
* **Series length.** A series is filled with empty periods only up to ``MAX_PERIODS`` periods; a wider span
  gives the periods that have events (``filled: False`` and a ``note`` say so), so no date can make a
  series, a page or an API answer grow without bound.
* **Modality.** Only ``asserted`` events count unless asked: ``modality="all"`` or a list of modalities.
* **Quad class** (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict):
  the event's own ``quad`` when set, else derived from its PLOVER type (see ``exports.PLOVER_TO_CAMEO``).
* **Intensity**: the event's Goldstein-style ``intensity`` (-10..+10), else the CAMEO root's GDELT
  Goldstein value for the PLOVER type.
* **Net cooperation** = (number of cooperative events, quad 1 or 2) − (number of conflictual events,
  quad 3 or 4). It is a count, so it is not swayed by one extreme intensity; ``sum_intensity`` is given
  beside it for the weighted view.
* **Shift alerts** (`shift_alerts`): for each pair, the weekly mean intensity of week *w* is compared
  with the previous ``window`` weeks that had events (at least ``min_history``). With *m* the median and
  MAD the median absolute deviation of that history, an alert fires when
  ``|x_w − m| > k · max(1.4826 · MAD, floor)`` (defaults k=3, window=8, min_history=3, floor=1.0 intensity
  point, so a perfectly flat history does not flag every small change). An alert needs at least
  ``min_events`` events (default 2) in its week: one event is an anecdote, not a shift.
"""

from __future__ import annotations

import datetime as _dt
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from ..ingest.limits import EARLIEST_DATE, LATEST_DATE
from ..store import Store
from .mapping import PLOVER_TO_CAMEO
from .query import EventFilter, empty_summary, level_of, period_sql, side_columns, summary_of, summary_sql
from .query import run as run_events_query

__all__ = [
    "dyads", "dyad_series", "event_rows", "count_events", "network", "shift_alerts", "triangle", "period_key",
    "pair_view", "pair_quotes", "country_activity", "partners", "data_span", "default_window", "parse_bound",
    "period_bounds", "PLOVER_TO_CAMEO", "PERIODS", "MAX_PERIODS",
]

PERIODS = ("day", "week", "month")
MAX_PERIODS = 1500  # a series is filled with empty periods up to this length, never beyond
DEFAULT_WINDOW_DAYS = 30
EVENT_ORDERS = {
    "stored": "seq, idx",
    "date": "day NULLS LAST, seq, idx",
    "date_desc": "day DESC NULLS LAST, seq DESC, idx",
    "intensity": "goldstein NULLS LAST, day DESC NULLS LAST, seq, idx",
    "intensity_desc": "goldstein DESC NULLS LAST, day DESC NULLS LAST, seq, idx",
    "type": "type, day DESC NULLS LAST, seq, idx",
}


def _store(store: Store | str | Path) -> Store:
    return store if isinstance(store, Store) else Store(store, read_only=True)


def _level(code: str, level: str) -> str:
    return level_of(code, level)


def _in_window(day: _dt.date | None) -> _dt.date | None:
    return day if day is not None and EARLIEST_DATE <= day <= LATEST_DATE else None


def _parse_date(value: Any) -> _dt.date | None:
    """A date from a date, datetime or ISO string; None for anything else or outside 1800..2199."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return _in_window(value.date())
    if isinstance(value, _dt.date):
        return _in_window(value)
    s = str(value).strip()[:10]
    try:
        return _in_window(_dt.date.fromisoformat(s))
    except ValueError:
        return None


def parse_bound(value: Any, end: bool = False) -> _dt.date | None:
    """A window bound from YYYY-MM-DD, YYYY-MM (the month's first day, or last with end=True) or YYYY.
    None for empty or unreadable values and for dates outside 1800..2199."""
    if value is None or isinstance(value, (_dt.date, _dt.datetime)):
        return _parse_date(value)
    s = str(value).strip()
    try:
        if len(s) == 4 and s.isdigit():
            y = int(s)
            return _in_window(_dt.date(y, 12, 31) if end else _dt.date(y, 1, 1))
        if len(s) == 7 and s[4] == "-":
            y, m = int(s[:4]), int(s[5:])
            first = _dt.date(y, m, 1)
            if not end:
                return _in_window(first)
            nxt = _dt.date(y + (m == 12), m % 12 + 1, 1)
            return _in_window(nxt - _dt.timedelta(days=1))
    except ValueError:
        return None
    return _parse_date(s)


def period_key(day: _dt.date, by: str) -> str:
    """The bucket a day falls in: 2025-03-04 (day), 2025-03-03 (the week's Monday), 2025-03 (month)."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        return (day - _dt.timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    raise ValueError(f"by must be one of {PERIODS}, not {by!r}")


def period_bounds(period: str, by: str) -> tuple[_dt.date, _dt.date] | None:
    """First and last day of one period key (None when the key does not read as one)."""
    if by == "month":
        first, last = parse_bound(period), parse_bound(period, end=True)
        return (first, last) if first and last else None
    day = _parse_date(period)
    if day is None:
        return None
    if by == "day":
        return day, day
    monday = day - _dt.timedelta(days=day.weekday())
    return monday, min(monday + _dt.timedelta(days=6), LATEST_DATE)


def _narrow(start, end, by=None, period=None):
    start, end = parse_bound(start), parse_bound(end, end=True)
    if period and by:
        b = period_bounds(period, by)
        if b is None:
            return _dt.date(2200, 1, 1), _dt.date(2200, 1, 1)  # an unreadable period matches nothing
        start = max(start, b[0]) if start else b[0]
        end = min(end, b[1]) if end else b[1]
    return start, end


def _query(st: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return run_events_query(st, sql, params)


def _event_dict(r: dict[str, Any]) -> dict[str, Any]:
    day = r.pop("day")
    r["day"] = day.isoformat() if day else None
    r["quad"] = r.pop("quad_class")
    r["intensity"] = r.pop("goldstein")
    return r


def event_rows(
    store: Store | str | Path, source: str | None = None, target: str | None = None,
    level: str = "auto", modality: str | Iterable[str] | None = "asserted", types: Iterable[str] | None = None,
    start: Any = None, end: Any = None, by: str | None = None, period: str | None = None,
    both: bool = False, self_pairs: bool = True, order: str = "stored", limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Events (joined with their article) as dicts with `day` (the event date or the published date),
    `quad` and `intensity` filled in from the PLOVER table when the event lacks them.
    `start`/`end` keep the events of a date window; `period` + `by` those of one bucket (by="week",
    period="2025-03-03"); `both` the pair in either direction. `order`: one of EVENT_ORDERS;
    `limit`/`offset` page through them."""
    st = _store(store)
    lo, hi = _narrow(start, end, by, period)
    where, params = EventFilter(source, target, level, both, modality, types, lo, hi, self_pairs).where()
    order_sql = EVENT_ORDERS.get(order, EVENT_ORDERS["stored"])
    page = f"SELECT * FROM ev WHERE {where} ORDER BY {order_sql}"
    if limit is not None:
        page += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    # the long texts are joined in for the rows returned only
    sql = (f"SELECT ev.*, e.sentence, e.trigger, e.start, e.\"end\", e.claimed_by, a.title, a.url "
           f"FROM ({page}) ev JOIN events e ON e.article_id = ev.article_id AND e.idx = ev.idx "
           f"JOIN articles a ON a.id = ev.article_id ORDER BY {order_sql}")
    return [_event_dict(r) for r in _query(st, sql, params)]


def count_events(
    store: Store | str | Path, source: str | None = None, target: str | None = None, level: str = "auto",
    modality: str | Iterable[str] | None = "asserted", types: Iterable[str] | None = None, start: Any = None,
    end: Any = None, by: str | None = None, period: str | None = None, both: bool = False,
    self_pairs: bool = True,
) -> int:
    """How many events `event_rows` would give with the same filters."""
    lo, hi = _narrow(start, end, by, period)
    where, params = EventFilter(source, target, level, both, modality, types, lo, hi, self_pairs).where()
    return int(_query(_store(store), f"SELECT count(*) AS n FROM ev WHERE {where}", params)[0]["n"])


def data_span(store: Store | str | Path) -> tuple[_dt.date | None, _dt.date | None]:
    """The first and last day of any event or article (in 1800..2199)."""
    st = _store(store)
    rows = _query(st, "SELECT min(day) AS lo, max(day) AS hi FROM ev", [])
    lo, hi = rows[0]["lo"], rows[0]["hi"]
    pub = "CASE WHEN d BETWEEN ? AND ? THEN d END"
    art = st.query(f"SELECT min({pub}) AS lo, max({pub}) AS hi FROM "
                   "(SELECT try_cast(left(published, 10) AS DATE) AS d FROM articles)",
                   [EARLIEST_DATE, LATEST_DATE, EARLIEST_DATE, LATEST_DATE])[0]
    los = [d for d in (lo, art["lo"]) if d]
    his = [d for d in (hi, art["hi"]) if d]
    return (min(los) if los else None, max(his) if his else None)


def default_window(store: Store | str | Path, today: _dt.date | None = None,
                   days: int = DEFAULT_WINDOW_DAYS) -> tuple[_dt.date | None, _dt.date | None]:
    """The window a view opens on: the data's last `days` days when its newest day is at most `days` days
    before `today`, else everything (None, None): old data opens whole, a live feed on its last month."""
    today = today or _dt.date.today()
    last = data_span(store)[1]
    if last and last >= today - _dt.timedelta(days=days):
        return last - _dt.timedelta(days=days - 1), last
    return None, None


def _pair_rows(st: Store, filt: EventFilter, level: str, limit: int | None, offset: int = 0,
               sort: str = "n", country: str | None = None) -> list[dict[str, Any]]:
    s_col, t_col = side_columns(level)
    where, params = filt.where()
    where += f" AND {s_col} IS NOT NULL AND {t_col} IS NOT NULL"
    if country:
        where += f" AND ({s_col} = ? OR {t_col} = ?)"
        params += [country, country]
    order = {"n": "n DESC, source, target", "net": "cooperation - conflict DESC, n DESC, source, target",
             "net_asc": "cooperation - conflict, n DESC, source, target", "last": "last DESC NULLS LAST, n DESC",
             "pair": "source, target"}.get(sort, "n DESC, source, target")
    sql = (f"SELECT {s_col} AS source, {t_col} AS target, {summary_sql()}, min(day) AS first, max(day) AS last "
           f"FROM ev WHERE {where} GROUP BY 1, 2 ORDER BY {order}")
    if limit:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    out = []
    for r in _query(st, sql, params):
        out.append({"source": r["source"], "target": r["target"], **summary_of(r),
                    "first": r["first"].isoformat() if r["first"] else None,
                    "last": r["last"].isoformat() if r["last"] else None})
    return out


def dyads(
    store: Store | str | Path, level: str = "country", modality: str | Iterable[str] | None = "asserted",
    limit: int | None = 20, start: Any = None, end: Any = None, self_pairs: bool = False, offset: int = 0,
    sort: str = "n", country: str | None = None,
) -> list[dict[str, Any]]:
    """The most active ordered pairs (source → target), most events first, with their summary figures.
    level="country" pairs ISO3/IGO codes; level="actor" pairs actor codes (USAGOV → INDGOV).
    Events without a code on either side are left out; self-pairs (USA → USA) too unless self_pairs=True.
    `country` keeps the pairs it is part of; sort: n, net, net_asc, last or pair."""
    filt = EventFilter(modality=modality, start=parse_bound(start), end=parse_bound(end, end=True),
                       self_pairs=self_pairs, pair_level=level)
    return _pair_rows(_store(store), filt, level, limit, offset, sort, country)


def count_dyads(store: Store | str | Path, level: str = "country", modality: Any = "asserted", start: Any = None,
                end: Any = None, self_pairs: bool = False, country: str | None = None) -> int:
    s_col, t_col = side_columns(level)
    filt = EventFilter(modality=modality, start=parse_bound(start), end=parse_bound(end, end=True),
                       self_pairs=self_pairs, pair_level=level)
    where, params = filt.where()
    if country:
        where += f" AND ({s_col} = ? OR {t_col} = ?)"
        params += [country, country]
    sql = (f"SELECT count(*) AS n FROM (SELECT DISTINCT {s_col}, {t_col} FROM ev WHERE {where} "
           f"AND {s_col} IS NOT NULL AND {t_col} IS NOT NULL)")
    return int(_query(_store(store), sql, params)[0]["n"])


def _n_periods(first: str, last: str, by: str) -> int:
    if by == "month":
        (y, m), (ly, lm) = map(int, first.split("-")), map(int, last.split("-"))
        return (ly - y) * 12 + (lm - m) + 1
    days = (_dt.date.fromisoformat(last) - _dt.date.fromisoformat(first)).days
    return days // (7 if by == "week" else 1) + 1


def _all_periods(first: str, last: str, by: str) -> list[str]:
    """Every period key from first to last (callers bound the length with MAX_PERIODS first)."""
    if by == "month":
        y, m = map(int, first.split("-"))
        ly, lm = map(int, last.split("-"))
        out = []
        while (y, m) <= (ly, lm):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    step = _dt.timedelta(days=7 if by == "week" else 1)
    d, end = _dt.date.fromisoformat(first), _dt.date.fromisoformat(last)
    out = []
    while d <= end:
        out.append(d.isoformat())
        d += step
    return out


def _series(st: Store, filt: EventFilter, by: str) -> dict[str, dict[str, Any]]:
    where, params = filt.where()
    rows = _query(st, f"SELECT {period_sql(by)} AS period, {summary_sql()} FROM ev "
                      f"WHERE {where} AND day IS NOT NULL GROUP BY 1 ORDER BY 1", params)
    return {r["period"]: summary_of(r) for r in rows}


def _period_keys(found: Iterable[str], by: str, start: _dt.date | None, end: _dt.date | None,
                 fill: bool) -> tuple[list[str], bool, str | None]:
    """The periods a series shows: every one between the first and the last (or the window's bounds),
    unless that is more than MAX_PERIODS; then only those that have events, with a note saying so."""
    keys = sorted(found)
    if not fill:
        return keys, False, None
    first = period_key(start, by) if start else (keys[0] if keys else None)
    last = period_key(end, by) if end else (keys[-1] if keys else None)
    if first is None or last is None or first > last:
        return keys, False, None
    n = _n_periods(first, last, by)
    if n > MAX_PERIODS:
        return keys, False, (f"{n} {by}s from {first} to {last} are more than {MAX_PERIODS}: only the {len(keys)} "
                             f"with events are listed (narrow the dates or choose a longer period)")
    return sorted(set(_all_periods(first, last, by)) | set(keys)), True, None


def dyad_series(
    store: Store | str | Path, source: str, target: str, by: str = "week", level: str = "auto",
    modality: str | Iterable[str] | None = "asserted", types: Iterable[str] | None = None,
    fill: bool = True, start: Any = None, end: Any = None,
) -> dict[str, Any]:
    """The series of one ordered pair: {source, target, level, by, modality, total, undated, filled, note,
    series: [{period, n, by_type, by_quad, mean_intensity, sum_intensity, cooperation, conflict,
    net_cooperation}]}. With fill=True, periods without events between the first and the last (or the
    window's start and end) appear with n=0, up to MAX_PERIODS periods."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
    st = _store(store)
    lo, hi = parse_bound(start), parse_bound(end, end=True)
    filt = EventFilter(source, target, level, False, modality, types, lo, hi)
    where, params = filt.where()
    total = _query(st, f"SELECT {summary_sql()}, count(*) FILTER (WHERE day IS NULL) AS undated FROM ev "
                       f"WHERE {where}", params)[0]
    buckets = _series(st, filt, by)
    keys, filled, note = _period_keys(buckets, by, lo, hi, fill)
    empty = empty_summary()
    return {
        "source": source, "target": target, "level": _level(source, level), "by": by,
        "modality": modality if isinstance(modality, (str, type(None))) else list(modality),
        "start": lo.isoformat() if lo else None, "end": hi.isoformat() if hi else None,
        "total": summary_of(total), "undated": int(total["undated"] or 0), "filled": filled, "note": note,
        "series": [{"period": k, **buckets.get(k, empty)} for k in keys],
    }


def pair_view(
    store: Store | str | Path, a: str, b: str, by: str = "week", level: str = "auto",
    modality: str | Iterable[str] | None = "asserted", types: Iterable[str] | None = None,
    start: Any = None, end: Any = None,
) -> dict[str, Any]:
    """Both directions of a pair on the same periods: {a, b, level, by, ab_total, ba_total, filled, note,
    series: [{period, ab: summary, ba: summary}]}."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
    st = _store(store)
    lo, hi = parse_bound(start), parse_bound(end, end=True)
    out: dict[str, Any] = {"a": a, "b": b, "level": _level(a, level), "by": by,
                           "start": lo.isoformat() if lo else None, "end": hi.isoformat() if hi else None}
    per = {}
    for key, (s, t) in (("ab", (a, b)), ("ba", (b, a))):
        filt = EventFilter(s, t, level, False, modality, types, lo, hi)
        where, params = filt.where()
        tot = _query(st, f"SELECT {summary_sql()}, count(*) FILTER (WHERE day IS NULL) AS undated "
                         f"FROM ev WHERE {where}", params)[0]
        out[f"{key}_total"] = summary_of(tot)
        out[f"{key}_undated"] = int(tot["undated"] or 0)
        per[key] = _series(st, filt, by)
    keys, filled, note = _period_keys(set(per["ab"]) | set(per["ba"]), by, lo, hi, True)
    empty = empty_summary()
    out.update(filled=filled, note=note,
               series=[{"period": k, "ab": per["ab"].get(k, empty), "ba": per["ba"].get(k, empty)} for k in keys])
    return out


def pair_quotes(
    store: Store | str | Path, a: str, b: str, level: str = "auto", start: Any = None, end: Any = None,
    limit: int | None = 50, offset: int = 0, newest_first: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """Quotes of either side about the other, by date: said by a speaker of `a` and naming an actor of `b`
    inside the quote, or the other way round. Returns (rows, total); each row has `speaker_side`."""
    st = _store(store)
    col = "country" if _level(a, level) == "country" else "code"
    lo, hi = parse_bound(start), parse_bound(end, end=True)
    day = ("CASE WHEN try_cast(left(a.published, 10) AS DATE) BETWEEN ? AND ? "
           "THEN try_cast(left(a.published, 10) AS DATE) END")
    window, wparams = "", []
    if lo:
        window += " AND day >= ?"
        wparams.append(lo)
    if hi:
        window += " AND day <= ?"
        wparams.append(hi)
    # the speakers' quotes and the two sides' mentions, joined on the article, the mention inside the quote
    sql = f"""
    WITH said AS (
      SELECT * FROM (
        SELECT q.article_id, q.idx, q.text, q.direct, q.speaker_name, q.speaker_country, q.speaker_code,
               q.start, q."end", q.speaker_{col} AS side, {day} AS day, a.title, a.outlet, a.published, a.seq
        FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_{col} IN (?, ?))
      WHERE TRUE{window}),
    named AS (SELECT article_id, start, "end", {col} AS side FROM mentions WHERE {col} IN (?, ?)),
    about AS (
      SELECT DISTINCT s.article_id, s.idx FROM said s JOIN named m ON m.article_id = s.article_id
      AND m.side <> s.side AND m.start >= s.start AND m."end" <= s."end")
    SELECT s.article_id, s.idx, s.text, s.direct, s.speaker_name, s.speaker_country, s.speaker_code, s.title,
           s.outlet, s.published, s.day, s.seq, s.side AS speaker_side
    FROM said s JOIN about USING (article_id, idx)
    ORDER BY {"s.day DESC NULLS LAST, s.seq DESC, s.idx" if newest_first else "s.day NULLS LAST, s.seq, s.idx"}"""
    rows = st.query(sql, [EARLIEST_DATE, LATEST_DATE, a, b] + wparams + [a, b])
    total = len(rows)
    page = rows[offset:offset + limit] if limit is not None else rows[offset:]
    for r in page:
        r["day"] = r["day"].isoformat() if r["day"] else None
        r.pop("seq", None)
    return page, total


def triangle(
    store: Store | str | Path, a: str, b: str, c: str, by: str = "week", level: str = "auto",
    modality: str | Iterable[str] | None = "asserted", start: Any = None, end: Any = None,
) -> dict[str, Any]:
    """A→B against A→C on the same periods. balance = net_cooperation(A→B) − net_cooperation(A→C):
    positive when A leans towards B in that period, negative when towards C."""
    ab = dyad_series(store, a, b, by, level, modality, fill=False, start=start, end=end)
    ac = dyad_series(store, a, c, by, level, modality, fill=False, start=start, end=end)
    ab_p = {p["period"]: p for p in ab["series"]}
    ac_p = {p["period"]: p for p in ac["series"]}
    keys, filled, note = _period_keys(set(ab_p) | set(ac_p), by, None, None, True)
    empty = empty_summary()
    rows = []
    for k in keys:
        x, y = ab_p.get(k, empty), ac_p.get(k, empty)
        rows.append({"period": k, "ab": x, "ac": y, "balance": x["net_cooperation"] - y["net_cooperation"]})
    return {"a": a, "b": b, "c": c, "by": by, "ab_total": ab["total"], "ac_total": ac["total"],
            "balance": ab["total"]["net_cooperation"] - ac["total"]["net_cooperation"], "series": rows,
            "filled": filled, "note": note}


def network(
    store: Store | str | Path, modality: str | Iterable[str] | None = "asserted", min_events: int = 1,
    start: Any = None, end: Any = None, countries: Iterable[str] | None = None, top: int | None = None,
) -> dict[str, Any]:
    """The country network: nodes {id, n (events in which it takes part), partners} and directed edges
    {source, target, weight (events), net_cooperation, sign (+1 cooperative, -1 conflictual, 0 even),
    mean_intensity}. Self-pairs are left out. `countries` keeps the edges with at least one end among
    them (a region); `top` keeps the edges among the `top` busiest countries."""
    keep = set(countries) if countries is not None else None
    edges = []
    for d in dyads(store, level="country", modality=modality, limit=None, start=start, end=end):
        if d["n"] < min_events:
            continue
        if keep is not None and d["source"] not in keep and d["target"] not in keep:
            continue
        net = d["net_cooperation"]
        edges.append({"source": d["source"], "target": d["target"], "weight": d["n"], "net_cooperation": net,
                      "sign": (net > 0) - (net < 0), "mean_intensity": d["mean_intensity"]})
    degree: dict[str, int] = defaultdict(int)
    for e in edges:
        degree[e["source"]] += e["weight"]
        degree[e["target"]] += e["weight"]
    if top:
        busiest = set(sorted(degree, key=lambda k: (-degree[k], k))[:top])
        edges = [e for e in edges if e["source"] in busiest and e["target"] in busiest]
        degree = defaultdict(int)
        for e in edges:
            degree[e["source"]] += e["weight"]
            degree[e["target"]] += e["weight"]
    partners: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        partners[e["source"]].add(e["target"])
        partners[e["target"]].add(e["source"])
    nodes = [{"id": k, "n": v, "partners": len(partners[k])}
             for k, v in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": edges}


def country_activity(
    store: Store | str | Path, modality: str | Iterable[str] | None = "asserted", start: Any = None,
    end: Any = None,
) -> dict[str, dict[str, int]]:
    """Per country code: events as source, as target, and partners (other countries it has events with).
    Self-pairs are left out."""
    filt = EventFilter(modality=modality, start=parse_bound(start), end=parse_bound(end, end=True),
                       self_pairs=False)
    where, params = filt.where()
    rows = _query(_store(store), f"""
        SELECT c, sum(as_source) AS as_source, sum(as_target) AS as_target, count(DISTINCT other) AS partners FROM (
          SELECT source_country AS c, 1 AS as_source, 0 AS as_target, target_country AS other FROM ev
            WHERE {where} AND source_country IS NOT NULL
          UNION ALL
          SELECT target_country, 0, 1, source_country FROM ev WHERE {where} AND target_country IS NOT NULL)
        GROUP BY c""", params + params)
    return {r["c"]: {"as_source": int(r["as_source"]), "as_target": int(r["as_target"]),
                     "n": int(r["as_source"]) + int(r["as_target"]), "partners": int(r["partners"])}
            for r in rows}


def partners(
    store: Store | str | Path, country: str, modality: str | Iterable[str] | None = "asserted",
    start: Any = None, end: Any = None,
) -> list[dict[str, Any]]:
    """A country's partners, busiest first: {partner, n, out (country → partner summary), in (partner →
    country summary)}."""
    rows = dyads(store, level="country", modality=modality, limit=None, start=start, end=end, country=country)
    out: dict[str, dict[str, Any]] = {}
    empty = empty_summary()
    for d in rows:
        other, key = (d["target"], "out") if d["source"] == country else (d["source"], "in")
        p = out.setdefault(other, {"partner": other, "out": empty, "in": empty})
        p[key] = {k: d[k] for k in empty}
    for p in out.values():
        p["n"] = p["out"]["n"] + p["in"]["n"]
        p["net_cooperation"] = p["out"]["net_cooperation"] + p["in"]["net_cooperation"]
    return sorted(out.values(), key=lambda p: (-p["n"], p["partner"]))


def shift_alerts(
    store: Store | str | Path, level: str = "country", modality: str | Iterable[str] | None = "asserted",
    k: float = 3.0, window: int = 8, min_history: int = 3, floor: float = 1.0,
    metric: str = "mean_intensity", start: Any = None, end: Any = None, min_events: int = 2,
    self_pairs: bool = False,
) -> list[dict[str, Any]]:
    """Weeks in which a pair's weekly intensity left its usual range (rule in the module docstring).
    Each alert: {source, target, week, value, median, mad, low, high, direction ('up'|'down'), n}.
    History before `start` counts; alerts are those of weeks inside the window with `min_events` events
    or more. Self-pairs are left out unless asked."""
    if metric not in ("mean_intensity", "sum_intensity", "net_cooperation", "n"):
        raise ValueError(f"unknown metric {metric!r}")
    lo, hi = parse_bound(start), parse_bound(end, end=True)
    s_col, t_col = side_columns(level)
    filt = EventFilter(modality=modality, end=hi, self_pairs=self_pairs, pair_level=level)
    where, params = filt.where()
    rows = _query(_store(store), f"SELECT {s_col} AS s, {t_col} AS t, {period_sql('week')} AS week, {summary_sql()} "
                                 f"FROM ev WHERE {where} AND {s_col} IS NOT NULL AND {t_col} IS NOT NULL "
                                 f"AND day IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", params)
    weeks: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for r in rows:
        weeks[(r["s"], r["t"])].append((r["week"], summary_of(r)))
    first_week = period_key(lo, "week") if lo else None
    alerts = []
    for (src, tgt), per_week in weeks.items():
        history: list[float] = []
        for week, p in per_week:
            x = p[metric]
            if x is None:
                continue
            if len(history) >= min_history and p["n"] >= min_events and (first_week is None or week >= first_week):
                past = history[-window:]
                med = statistics.median(past)
                mad = statistics.median(abs(v - med) for v in past)
                spread = k * max(1.4826 * mad, floor)
                if abs(x - med) > spread:
                    alerts.append({
                        "source": src, "target": tgt, "week": week, "value": x,
                        "median": med, "mad": mad, "low": med - spread, "high": med + spread,
                        "direction": "up" if x > med else "down", "n": p["n"], "metric": metric,
                    })
            history.append(x)
    alerts.sort(key=lambda a: (a["week"], a["source"], a["target"]), reverse=True)
    return alerts
