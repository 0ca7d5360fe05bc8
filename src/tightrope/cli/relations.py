"""CLI commands for tightrope.relations: `dyads`, `dyad`, `alerts`, `export` (thin over the Python API)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..store import DEFAULT_DB, Store
from .app import app

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `tightrope extract`.")
ModalityOption = typer.Option("asserted", "--modality",
                              help="asserted (default), negated, planned, hypothetical, claimed, or all.")


def _open(db: str) -> Store:
    if not Path(db).exists():
        err.print(f"error: {db}: no such database (run `tightrope extract` or `tightrope demo` first)")
        raise typer.Exit(1)
    return Store(db, read_only=True)


def _mod(modality: str):
    return None if modality == "all" else [m.strip() for m in modality.split(",")]


@app.command()
def dyads(
    db: str = DbOption,
    level: str = typer.Option("country", help="country (USA→IND) or actor (USAGOV→INDGOV)."),
    limit: int = typer.Option(20, help="How many pairs."),
    modality: str = ModalityOption,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per pair."),
) -> None:
    """The most active ordered pairs: events, quad classes, intensity, net cooperation."""
    from ..relations import dyads as top

    rows = top(_open(db), level=level, modality=_mod(modality), limit=limit)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"Most active pairs ({modality} events)", title_justify="left")
    for c in ("source", "target", "events", "coop", "conflict", "net coop", "mean int.", "first", "last"):
        t.add_column(c, justify="right" if c not in ("source", "target") else "left")
    for r in rows:
        t.add_row(r["source"], r["target"], str(r["n"]), str(r["cooperation"]), str(r["conflict"]),
                  f"{r['net_cooperation']:+d}", "" if r["mean_intensity"] is None else f"{r['mean_intensity']:+.1f}",
                  r["first"] or "", r["last"] or "")
    out.print(t)
    if not rows:
        err.print("no pairs with events yet")


@app.command()
def dyad(
    source: str = typer.Argument(..., help="Source country (USA) or actor code (USAGOV)."),
    target: str = typer.Argument(..., help="Target country or actor code."),
    db: str = DbOption,
    by: str = typer.Option("week", "--by", help="day, week or month."),
    modality: str = ModalityOption,
    plot: Optional[str] = typer.Option(None, "--plot", help="Write a PNG plot here."),
    as_json: bool = typer.Option(False, "--json", help="Print the series as JSON."),
) -> None:
    """The series of one ordered pair by day, week or month."""
    from ..relations import dyad_series

    if by not in ("day", "week", "month"):
        err.print("error: --by must be day, week or month")
        raise typer.Exit(2)
    s = dyad_series(_open(db), source.upper(), target.upper(), by=by, modality=_mod(modality))
    if as_json:
        sys.stdout.write(json.dumps(s, ensure_ascii=False) + "\n")
    else:
        t = Table(title=f"{s['source']} → {s['target']} by {by} ({s['level']} level, {modality} events)",
                  title_justify="left")
        for c in ("period", "events", "types", "coop", "conflict", "net coop", "mean int.", "sum int."):
            t.add_column(c)
        for r in s["series"]:
            t.add_row(r["period"], str(r["n"]), ", ".join(f"{k} {v}" for k, v in r["by_type"].items()),
                      str(r["cooperation"]), str(r["conflict"]), f"{r['net_cooperation']:+d}",
                      "" if r["mean_intensity"] is None else f"{r['mean_intensity']:+.1f}",
                      f"{r['sum_intensity']:+.1f}")
        out.print(t)
        if not s["total"]["n"]:
            err.print(f"no {modality} events for {s['source']} → {s['target']} "
                      f"(see `tightrope dyads --db {db}` for the pairs there are)")
        if s["undated"]:
            err.print(f"{s['undated']} undated event(s) not in the series")
    if plot:
        from ..relations.plot import plot_series

        err.print(f"plot: {plot_series(s, plot)}")


@app.command()
def alerts(
    db: str = DbOption,
    k: float = typer.Option(3.0, help="Alert beyond median ± k·1.4826·MAD of the previous weeks."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Weeks in which a pair's mean intensity moved beyond its usual range."""
    from ..relations import shift_alerts

    rows = shift_alerts(_open(db), k=k)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r) + "\n")
        return
    for r in rows:
        out.print(f"{r['week']}  {r['source']}→{r['target']}  {r['direction']}: {r['value']:+.1f} "
                  f"(usual {r['low']:+.1f}..{r['high']:+.1f}, {r['n']} events)")
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
    """Export events as GDELT 2.0 TSV or POLECAT-style JSON, or every table as Parquet/CSV."""
    from ..relations.exports import FORMATS, export

    if fmt not in FORMATS:
        err.print(f"error: --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    result = export(_open(db), fmt, out_path, modality=_mod(modality))
    if isinstance(result, str):
        sys.stdout.write(result)
    elif isinstance(result, dict):
        for t, p in result.items():
            err.print(f"{t}: {p}")
    else:
        err.print(f"{result} events written to {out_path}")
