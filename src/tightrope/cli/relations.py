"""CLI commands for tightrope.relations (thin over the Python API): `dyads`, `dyad`, `pair`, `events`, `alerts`,
`export`, `outlets` and `sql`.

Every command that prints a table also prints JSON with `--json` (one object per line); lists take
`--limit` and a date window (`--start`, `--end`: YYYY-MM-DD, YYYY-MM or YYYY). Tables are as wide as their
contents when the output is not a terminal (a pipe or a file gets every character, not 80 columns).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..store import DEFAULT_DB, Store
from .app import app
from .messages import plain, print_line

err = Console(stderr=True, highlight=False)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `tightrope extract`.")
ModalityOption = typer.Option("asserted", "--modality",
                              help="asserted (default), negated, planned, hypothetical, claimed, or all.")
StartOption = typer.Option(None, "--start", help="First day: YYYY-MM-DD, YYYY-MM (its first day) or YYYY.")
EndOption = typer.Option(None, "--end", help="Last day: YYYY-MM-DD, YYYY-MM (its last day) or YYYY.")
JsonOption = typer.Option(False, "--json", help="JSON instead of a table (one object per line).")


def console() -> Console:
    """stdout: the terminal's width on a terminal, else wide enough that no table is cut."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 10_000)


def _open(db: str) -> Store:
    if not Path(db).exists():
        print_line(err, f"{db}: no such database (run `tightrope extract` or `tightrope demo` first)", "error:", "red")
        raise typer.Exit(1)
    return Store(db, read_only=True)


def _mod(modality: str):
    return None if modality == "all" else [m.strip() for m in modality.split(",")]


def _window(start: Optional[str], end: Optional[str]):
    from ..relations import parse_bound

    lo, hi = parse_bound(start) if start else None, parse_bound(end, end=True) if end else None
    for given, parsed, name in ((start, lo, "--start"), (end, hi, "--end")):
        if given and parsed is None:
            print_line(err, f"{name} {given}: not a date (YYYY-MM-DD, YYYY-MM or YYYY, between 1800 and 2199)",
                       "error:", "red")
            raise typer.Exit(2)
    return lo, hi


def _json_lines(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def _table(title: str, columns: list[str], rows: list[list[Any]], right: tuple[str, ...] = ()) -> None:
    t = Table(title=title, title_justify="left")
    for c in columns:
        t.add_column(c, justify="right" if c in right else "left", overflow="fold")
    for r in rows:
        t.add_row(*[Text(plain("" if v is None else v)) for v in r])
    console().print(t)


def _f(v: Optional[float]) -> str:
    return "" if v is None else f"{v:+.1f}"


@app.command()
def dyads(
    db: str = DbOption,
    level: str = typer.Option("country", help="country (USA→IND) or actor (USAGOV→INDGOV)."),
    limit: int = typer.Option(20, "--limit", help="How many pairs."),
    modality: str = ModalityOption,
    start: Optional[str] = StartOption,
    end: Optional[str] = EndOption,
    self_pairs: bool = typer.Option(False, "--self-pairs", help="Keep pairs like USA → USA (left out by default)."),
    as_json: bool = JsonOption,
) -> None:
    """The most active ordered pairs: events, quad classes, intensity, net cooperation."""
    from ..relations import dyads as top

    lo, hi = _window(start, end)
    rows = top(_open(db), level=level, modality=_mod(modality), limit=limit, start=lo, end=hi, self_pairs=self_pairs)
    if as_json:
        return _json_lines(rows)
    _table(f"Most active pairs ({modality} events)",
           ["source", "target", "events", "coop", "conflict", "net coop", "mean int.", "first", "last"],
           [[r["source"], r["target"], r["n"], r["cooperation"], r["conflict"], f"{r['net_cooperation']:+d}",
             _f(r["mean_intensity"]), r["first"], r["last"]] for r in rows],
           right=("events", "coop", "conflict", "net coop", "mean int."))
    if not rows:
        err.print("no pairs with events in these dates")


@app.command()
def dyad(
    source: str = typer.Argument(..., help="Source country (USA) or actor code (USAGOV)."),
    target: str = typer.Argument(..., help="Target country or actor code."),
    db: str = DbOption,
    by: str = typer.Option("week", "--by", help="day, week or month."),
    modality: str = ModalityOption,
    start: Optional[str] = StartOption,
    end: Optional[str] = EndOption,
    plot: Optional[str] = typer.Option(None, "--plot", help="Write a PNG plot here."),
    as_json: bool = typer.Option(False, "--json", help="Print the series as JSON."),
) -> None:
    """The series of one ordered pair by day, week or month."""
    from ..relations import dyad_series

    if by not in ("day", "week", "month"):
        print_line(err, "--by must be day, week or month", "error:", "red")
        raise typer.Exit(2)
    lo, hi = _window(start, end)
    s = dyad_series(_open(db), source.upper(), target.upper(), by=by, modality=_mod(modality), start=lo, end=hi)
    if as_json:
        sys.stdout.write(json.dumps(s, ensure_ascii=False) + "\n")
    else:
        from ..relations.plot import modality_words

        _table(f"{s['source']} → {s['target']} by {by} ({s['level']} level, {modality_words(s['modality'])})",
               ["period", "events", "types", "coop", "conflict", "net coop", "mean int.", "sum int."],
               [[r["period"], r["n"], ", ".join(f"{k} {v}" for k, v in r["by_type"].items()), r["cooperation"],
                 r["conflict"], f"{r['net_cooperation']:+d}", _f(r["mean_intensity"]), _f(r["sum_intensity"])]
                for r in s["series"]])
        if not s["total"]["n"]:
            print_line(err, f"no {modality} events for {s['source']} → {s['target']} "
                            f"(see `tightrope dyads --db {db}` for the pairs there are)")
        if s["undated"]:
            print_line(err, f"{s['undated']} undated event(s) not in the series")
        if s["note"]:
            print_line(err, s["note"], "note:")
    if plot:
        from ..relations.plot import plot_series

        print_line(err, f"plot: {plot_series(s, plot)}")


@app.command()
def pair(
    a: str = typer.Argument(..., help="One side: a country (USA) or actor code."),
    b: str = typer.Argument(..., help="The other side."),
    db: str = DbOption,
    by: str = typer.Option("month", "--by", help="day, week or month."),
    modality: str = ModalityOption,
    start: Optional[str] = StartOption,
    end: Optional[str] = EndOption,
    limit: int = typer.Option(20, "--limit", help="How many quotes and events to list."),
    as_json: bool = typer.Option(False, "--json", help="Print everything as one JSON object."),
) -> None:
    """Both directions of a pair per period, what each side said about the other, events by date."""
    from ..relations import event_rows, pair_quotes, pair_view

    if by not in ("day", "week", "month"):
        print_line(err, "--by must be day, week or month", "error:", "red")
        raise typer.Exit(2)
    lo, hi = _window(start, end)
    st = _open(db)
    a, b = a.upper(), b.upper()
    with st.session():
        view = pair_view(st, a, b, by=by, modality=_mod(modality), start=lo, end=hi)
        quotes, n_quotes = pair_quotes(st, a, b, start=lo, end=hi, limit=limit)
        events = event_rows(st, a, b, modality=_mod(modality), start=lo, end=hi, both=True, order="date", limit=limit)
    if as_json:
        sys.stdout.write(json.dumps({**view, "quotes": quotes, "n_quotes": n_quotes,
                                     "events": [{k: v for k, v in e.items() if k != "claimed_by"} for e in events]},
                                    ensure_ascii=False, default=str) + "\n")
        return
    _table(f"{a} → {b} and {b} → {a} by {by}",
           ["period", f"{a}→{b}", "net", f"{b}→{a}", "net "],
           [[p["period"], p["ab"]["n"], f"{p['ab']['net_cooperation']:+d}", p["ba"]["n"],
             f"{p['ba']['net_cooperation']:+d}"] for p in view["series"] if p["ab"]["n"] or p["ba"]["n"]],
           right=(f"{a}→{b}", "net", f"{b}→{a}", "net "))
    _table(f"What each side said about the other ({n_quotes}, first {len(quotes)} by date)",
           ["date", "side", "speaker", "quote", "outlet"],
           [[q["day"], q["speaker_side"], q["speaker_name"], q["text"], q["outlet"]] for q in quotes])
    _table(f"Events in both directions (first {len(events)} by date)", ["date", "source", "type", "target", "sentence"],
           [[e["day"], e["source_code"] or e["source_country"], e["type"], e["target_code"] or e["target_country"],
             e["sentence"]] for e in events])
    if view["note"]:
        print_line(err, view["note"], "note:")


@app.command()
def events(
    db: str = DbOption,
    source: Optional[str] = typer.Option(None, "--source", help="Source country or actor code."),
    target: Optional[str] = typer.Option(None, "--target", help="Target country or actor code."),
    both: bool = typer.Option(False, "--both", help="Source and target in either direction."),
    modality: str = ModalityOption,
    start: Optional[str] = StartOption,
    end: Optional[str] = EndOption,
    limit: int = typer.Option(50, "--limit", help="How many events."),
    offset: int = typer.Option(0, "--offset", help="Skip this many first."),
    oldest_first: bool = typer.Option(False, "--oldest-first", help="Oldest first (default: newest first)."),
    as_json: bool = JsonOption,
) -> None:
    """Events with their evidence sentence, newest first."""
    from ..relations import count_events, event_rows

    lo, hi = _window(start, end)
    st = _open(db)
    kw = dict(modality=_mod(modality), start=lo, end=hi, both=both)
    with st.session():
        rows = event_rows(st, source and source.upper(), target and target.upper(), order="date" if oldest_first
                          else "date_desc", limit=limit, offset=offset, **kw)
        total = count_events(st, source and source.upper(), target and target.upper(), **kw)
    if as_json:
        return _json_lines([{k: v for k, v in r.items() if k != "claimed_by"} for r in rows])
    _table(f"Events {offset + 1}–{offset + len(rows)} of {total}", ["date", "source", "type", "target", "sentence", "article"],
           [[r["day"], r["source_code"] or r["source_country"] or r["source_text"], r["type"],
             r["target_code"] or r["target_country"] or r["target_text"], r["sentence"], r["article_id"]] for r in rows])


@app.command()
def alerts(
    db: str = DbOption,
    k: float = typer.Option(3.0, help="Alert beyond median ± k·1.4826·MAD of the previous weeks."),
    start: Optional[str] = StartOption,
    end: Optional[str] = EndOption,
    min_events: int = typer.Option(2, "--min-events", help="Events a week needs to raise an alert (1: single events too)."),
    self_pairs: bool = typer.Option(False, "--self-pairs", help="Alerts for pairs like USA → USA too."),
    limit: int = typer.Option(50, "--limit", help="How many alerts (newest first)."),
    as_json: bool = JsonOption,
) -> None:
    """Weeks in which a pair's mean intensity moved beyond its usual range."""
    from ..relations import shift_alerts

    lo, hi = _window(start, end)
    rows = shift_alerts(_open(db), k=k, start=lo, end=hi, min_events=min_events, self_pairs=self_pairs)[:limit]
    if as_json:
        return _json_lines(rows)
    _table("Shift alerts", ["week", "source", "target", "direction", "mean int.", "usual range", "events"],
           [[r["week"], r["source"], r["target"], r["direction"], _f(r["value"]), f"{r['low']:+.1f}..{r['high']:+.1f}",
             r["n"]] for r in rows])
    if not rows:
        err.print("no shift alerts")


@app.command("export")
def export_cmd(
    fmt: str = typer.Option(..., "--format", "-f", help="gdelt (TSV), polecat (JSON Lines), parquet or csv."),
    db: str = DbOption,
    out_path: Optional[str] = typer.Option(None, "--out", "-o",
                                           help="File (gdelt/polecat; stdout if omitted) or folder (parquet/csv, "
                                                "default ./export)."),
    modality: str = ModalityOption,
) -> None:
    """Export events as GDELT 2.0 TSV or POLECAT JSON Lines, or every table as Parquet/CSV.

    The GDELT file has no header line, as GDELT's own. Text cells that a spreadsheet would run as a formula
    (starting with = + - @) get a leading ' (the OWASP CSV-injection rule)."""
    from ..relations.exports import FORMATS, export

    if fmt not in FORMATS:
        print_line(err, f"--format must be one of {', '.join(FORMATS)}", "error:", "red")
        raise typer.Exit(2)
    result = export(_open(db), fmt, out_path, modality=_mod(modality))
    if isinstance(result, str):
        sys.stdout.write(result)
    elif isinstance(result, dict):
        for t, p in result.items():
            print_line(err, f"{t}: {p}")
    else:
        print_line(err, f"{result} events written to {out_path}")


@app.command()
def outlets(
    db: str = DbOption,
    from_csv: Optional[str] = typer.Option(None, "--from", help="CSV with a name column and any of domain, country, lean."),
    corpus: Optional[str] = typer.Option(None, "--corpus", help="The corpus file the articles came from "
                                         "(.jsonl/.json/.csv/.tsv/.parquet, optionally .gz) to take each outlet's lean from."),
    lean_field: str = typer.Option("bias_text", "--lean-field", help="The corpus column holding the outlet's lean."),
    outlet_field: Optional[str] = typer.Option(None, "--outlet-field", help="The corpus column naming the outlet "
                                               "(default: the first of the usual names, as extract does)."),
    as_json: bool = JsonOption,
) -> None:
    """The outlet table: name, domain, country and lean of every outlet.

    With --from or --corpus it is (re)written into the database and shown on the dashboard (the outlet page,
    story coverage bars)."""
    from ..relations.outlets import OutletsError, build_outlets, outlet_rows

    st = _open(db)
    if from_csv or corpus:
        try:
            build_outlets(db, from_csv, corpus, lean_field, outlet_field)
        except OutletsError as exc:
            print_line(err, str(exc), "error:", "red")
            raise typer.Exit(1)
    rows = outlet_rows(st)
    if as_json:
        return _json_lines(rows)
    _table(f"Outlets ({len(rows)})", ["outlet", "domain", "country", "lean", "articles", "first", "last"],
           [[r["name"], r["domain"], r["country"], r["lean"], r["articles"], r["first"], r["last"]] for r in rows],
           right=("articles",))


@app.command()
def sql(
    query: str = typer.Argument(..., help="One query that reads, e.g. \"SELECT type, count(*) FROM events GROUP BY 1\"."),
    db: str = DbOption,
    limit: int = typer.Option(1000, "--limit", help="At most this many rows."),
    timeout: float = typer.Option(30.0, "--timeout", help="Stop the query after this many seconds."),
    as_json: bool = JsonOption,
    as_csv: bool = typer.Option(False, "--csv", help="CSV instead of a table."),
) -> None:
    """Run one read-only SQL query on the database (DuckDB SQL; no duckdb program needed)."""
    from ..web.tables import QueryError, run_sql

    try:
        result = run_sql(_open(db), query, row_limit=limit, time_limit_s=timeout)
    except QueryError as exc:
        print_line(err, str(exc), "error:", "red")
        raise typer.Exit(1)
    if as_json:
        _json_lines([dict(zip(result["columns"], r)) for r in result["rows"]])
    elif as_csv:
        import csv

        from ..relations.exports import neutralise_formula

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(result["columns"])
        for r in result["rows"]:
            w.writerow([neutralise_formula(v) for v in r])
    else:
        _table("", result["columns"], result["rows"])
    if result["truncated"]:
        print_line(err, f"first {result['row_limit']} rows shown (--limit)", "note:")
