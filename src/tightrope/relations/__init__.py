"""Relations: dyad series, triangles, the country network and shift alerts, computed from the store.

Pure functions over a `Store` (or a database path, opened read-only). The CLI and the web app are
thin layers over these.

Definitions
-----------
* **Pair level.** A code of at most 5 letters (``USA``, ``NATO``, ``ASEAN``) is a *country* code and is
  matched against ``source_country``/``target_country``; a longer one (``USAGOV``) is an *actor* code
  matched against ``source_code``/``target_code``. Pass ``level="country"|"actor"`` to force it.
* **Event date.** ``events.date`` when it parses as an ISO date, else the article's ``published`` date;
  events with neither are left out of time series (they still count in ``dyads``).
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
  point, so a perfectly flat history does not flag every small change).
"""

from __future__ import annotations

import datetime as _dt
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from ..store import Store
from .mapping import PLOVER_TO_CAMEO, quad_for, intensity_for

__all__ = [
    "dyads", "dyad_series", "event_rows", "network", "shift_alerts", "triangle", "period_key",
    "PLOVER_TO_CAMEO",
]

PERIODS = ("day", "week", "month")


def _store(store: Store | str | Path) -> Store:
    return store if isinstance(store, Store) else Store(store, read_only=True)


def _level(code: str, level: str) -> str:
    if level in ("country", "actor"):
        return level
    return "country" if len(code) <= 5 else "actor"


def _parse_date(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    s = str(value).strip()[:10]
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        return None


def period_key(day: _dt.date, by: str) -> str:
    """The bucket a day falls in: 2025-03-04 (day), 2025-03-03 (the week's Monday), 2025-03 (month)."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        return (day - _dt.timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    raise ValueError(f"by must be one of {PERIODS}, not {by!r}")


def _modality_clause(modality: str | Iterable[str] | None) -> tuple[str, list[Any]]:
    if modality is None or modality == "all":
        return "", []
    mods = [modality] if isinstance(modality, str) else list(modality)
    return " AND e.modality IN (SELECT unnest(?::VARCHAR[]))", [mods]


_EVENT_SQL = """
SELECT e.article_id, e.idx, e.type, e.mode, e.cameo, e.intensity, e.quad, e.modality, e.date AS event_date,
       a.published, a.title, a.outlet, a.url, e.sentence, e.trigger, e.start, e."end",
       e.source_text, e.source_name, e.source_country, e.source_sector, e.source_code,
       e.target_text, e.target_name, e.target_country, e.target_sector, e.target_code,
       e.location, e.claimed_by
FROM events e JOIN articles a ON a.id = e.article_id
WHERE 1=1 {where}
ORDER BY a.seq, e.idx
"""


def event_rows(
    store: Store | str | Path, source: str | None = None, target: str | None = None,
    level: str = "auto", modality: str | Iterable[str] | None = "asserted", types: Iterable[str] | None = None,
    start: str | None = None, end: str | None = None, by: str | None = None, period: str | None = None,
) -> list[dict[str, Any]]:
    """Events (joined with their article) as dicts with `day` (the event date or the published date),
    `quad` and `intensity` filled in from the PLOVER type when the event lacks them.
    `period` + `by` keep only the events of one bucket (e.g. by="week", period="2025-03-03")."""
    st = _store(store)
    where, params = "", []
    for code, side in ((source, "source"), (target, "target")):
        if code:
            col = f"{side}_country" if _level(code, level) == "country" else f"{side}_code"
            where += f" AND e.{col} = ?"
            params.append(code)
    clause, p = _modality_clause(modality)
    where += clause
    params += p
    if types:
        where += " AND e.type IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(types))
    rows = st.query(_EVENT_SQL.format(where=where), params)
    out = []
    lo, hi = _parse_date(start), _parse_date(end)
    for r in rows:
        day = _parse_date(r["event_date"]) or _parse_date(r["published"])
        r["day"] = day.isoformat() if day else None
        r["quad"] = r["quad"] or quad_for(r["type"], r["cameo"])
        r["intensity"] = r["intensity"] if r["intensity"] is not None else intensity_for(r["type"], r["cameo"])
        if (lo or hi) and day is None:
            continue
        if lo and day < lo or hi and day > hi:
            continue
        if period and by:
            if day is None or period_key(day, by) != period:
                continue
        out.append(r)
    return out


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    intens = [r["intensity"] for r in rows if r["intensity"] is not None]
    coop = sum(1 for r in rows if r["quad"] in (1, 2))
    conf = sum(1 for r in rows if r["quad"] in (3, 4))
    return {
        "n": n,
        "by_type": dict(sorted(Counter(r["type"] for r in rows).items())),
        "by_quad": {str(q): sum(1 for r in rows if r["quad"] == q) for q in (1, 2, 3, 4)},
        "mean_intensity": round(sum(intens) / len(intens), 3) if intens else None,
        "sum_intensity": round(sum(intens), 3),
        "cooperation": coop,
        "conflict": conf,
        "net_cooperation": coop - conf,
    }


def dyads(
    store: Store | str | Path, level: str = "country", modality: str | Iterable[str] | None = "asserted",
    limit: int | None = 20,
) -> list[dict[str, Any]]:
    """The most active ordered pairs (source → target), most events first, with their summary figures.
    level="country" pairs ISO3/IGO codes; level="actor" pairs actor codes (USAGOV → INDGOV).
    Events without a code on either side are left out; self-pairs (USA → USA) are kept."""
    rows = event_rows(store, modality=modality)
    s_col, t_col = ("source_country", "target_country") if level == "country" else ("source_code", "target_code")
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r[s_col] and r[t_col]:
            groups[(r[s_col], r[t_col])].append(r)
    out = []
    for (s, t), rs in groups.items():
        days = sorted(r["day"] for r in rs if r["day"])
        out.append({"source": s, "target": t, **_summary(rs),
                    "first": days[0] if days else None, "last": days[-1] if days else None})
    out.sort(key=lambda d: (-d["n"], d["source"], d["target"]))
    return out[:limit] if limit else out


def dyad_series(
    store: Store | str | Path, source: str, target: str, by: str = "week", level: str = "auto",
    modality: str | Iterable[str] | None = "asserted", types: Iterable[str] | None = None,
    fill: bool = True,
) -> dict[str, Any]:
    """The series of one ordered pair: {source, target, level, by, modality, total, series: [
    {period, n, by_type, by_quad, mean_intensity, sum_intensity, cooperation, conflict, net_cooperation}]}.
    With fill=True, periods without events between the first and the last appear with n=0."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
    rows = event_rows(store, source, target, level=level, modality=modality, types=types)
    buckets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["day"]:
            buckets[period_key(_dt.date.fromisoformat(r["day"]), by)].append(r)
    keys = sorted(buckets)
    if fill and keys:
        keys = _all_periods(keys[0], keys[-1], by)
    series = [{"period": k, **_summary(buckets.get(k, []))} for k in keys]
    return {
        "source": source, "target": target, "level": _level(source, level), "by": by,
        "modality": modality if isinstance(modality, (str, type(None))) else list(modality),
        "total": _summary(rows), "undated": sum(1 for r in rows if not r["day"]), "series": series,
    }


def _all_periods(first: str, last: str, by: str) -> list[str]:
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


def triangle(
    store: Store | str | Path, a: str, b: str, c: str, by: str = "week", level: str = "auto",
    modality: str | Iterable[str] | None = "asserted",
) -> dict[str, Any]:
    """A→B against A→C on the same periods. balance = net_cooperation(A→B) − net_cooperation(A→C):
    positive when A leans towards B in that period, negative when towards C."""
    ab = dyad_series(store, a, b, by, level, modality, fill=False)
    ac = dyad_series(store, a, c, by, level, modality, fill=False)
    ab_p = {p["period"]: p for p in ab["series"]}
    ac_p = {p["period"]: p for p in ac["series"]}
    keys = sorted(set(ab_p) | set(ac_p))
    if keys:
        keys = _all_periods(keys[0], keys[-1], by)
    empty = _summary([])
    rows = []
    for k in keys:
        x, y = ab_p.get(k, empty), ac_p.get(k, empty)
        rows.append({"period": k, "ab": x, "ac": y, "balance": x["net_cooperation"] - y["net_cooperation"]})
    return {"a": a, "b": b, "c": c, "by": by, "ab_total": ab["total"], "ac_total": ac["total"],
            "balance": ab["total"]["net_cooperation"] - ac["total"]["net_cooperation"], "series": rows}


def network(
    store: Store | str | Path, modality: str | Iterable[str] | None = "asserted", min_events: int = 1,
) -> dict[str, Any]:
    """The country network: nodes {id, n (events in which it takes part)} and directed edges
    {source, target, weight (events), net_cooperation, sign (+1 cooperative, -1 conflictual, 0 even),
    mean_intensity}. Self-pairs are left out."""
    edges = []
    degree: Counter = Counter()
    for d in dyads(store, level="country", modality=modality, limit=None):
        if d["source"] == d["target"] or d["n"] < min_events:
            continue
        net = d["net_cooperation"]
        edges.append({"source": d["source"], "target": d["target"], "weight": d["n"], "net_cooperation": net,
                      "sign": (net > 0) - (net < 0), "mean_intensity": d["mean_intensity"]})
        degree[d["source"]] += d["n"]
        degree[d["target"]] += d["n"]
    nodes = [{"id": k, "n": v} for k, v in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": edges}


def shift_alerts(
    store: Store | str | Path, level: str = "country", modality: str | Iterable[str] | None = "asserted",
    k: float = 3.0, window: int = 8, min_history: int = 3, floor: float = 1.0,
    metric: str = "mean_intensity",
) -> list[dict[str, Any]]:
    """Weeks in which a pair's weekly intensity left its usual range (rule in the module docstring).
    Each alert: {source, target, week, value, median, mad, low, high, direction ('up'|'down'), n}."""
    s_col, t_col = ("source_country", "target_country") if level == "country" else ("source_code", "target_code")
    weeks: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in event_rows(store, modality=modality):  # one pass over the events for all pairs
        if r[s_col] and r[t_col] and r["day"]:
            weeks[(r[s_col], r[t_col])][period_key(_dt.date.fromisoformat(r["day"]), "week")].append(r)
    alerts = []
    for (src, tgt), per_week in weeks.items():
        history: list[float] = []
        for week in sorted(per_week):
            p = _summary(per_week[week])
            x = p[metric]
            if x is None:
                continue
            if len(history) >= min_history:
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
