"""CLI commands for tightrope.stories (registered on the shared app):
`tightrope stories` lists stories, `tightrope story ID` compares how each outlet tells one."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.columns import Columns
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from ..store import DEFAULT_DB
from .app import app

err = Console(stderr=True, highlight=False)


def _open(db: str):
    from ..store import Store

    try:
        return Store(db, read_only=True)
    except FileNotFoundError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(1)


@app.command("stories")
def stories_cmd(
    db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `tightrope extract`."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per story (JSON Lines)."),
    regroup: bool = typer.Option(False, "--regroup", help="Forget the stored grouping and group every article again."),
    group: bool = typer.Option(True, "--group/--no-group", help="Assign stored articles without a story first."),
    limit: Optional[int] = typer.Option(None, "--limit", min=0,
                                        help="Show at most this many stories (0: all; default 50, all with --json)."),
    sort: str = typer.Option("size", "--sort", help="'size' (largest first) or 'recent' (latest first)."),
) -> None:
    """List stories: outlets, size, time span, headline (groups new articles first)."""
    from ..stories import group_store, list_stories, story_comparison

    if sort not in ("size", "recent"):
        err.print(f"error: --sort must be 'size' or 'recent', not {sort!r}")
        raise typer.Exit(2)
    store = _open(db)
    if group or regroup:
        group_store(db, regroup=regroup)
    every = list_stories(store, order=sort)
    if limit is None:
        limit = 0 if as_json else 50
    stories = every[:limit] if limit else every
    if as_json:
        for s in stories:
            comp = story_comparison(store, s["id"]) or {}
            out = {**s, **{k: comp.get(k) for k in ("shared", "only_in", "conflicts", "quote_variants")}}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    console = Console(highlight=False)
    table = Table(title=f"Stories in {db}", title_justify="left")
    for col, kw in (("id", {}), ("size", {"justify": "right"}), ("outlets", {}), ("span", {}), ("headline", {})):
        table.add_column(col, **kw)
    for s in stories:
        span = s["start"] or "?"
        if s["end"] and s["end"] != s["start"]:
            span += f" … {s['end']}"
        table.add_row(s["id"], str(s["size"]), ", ".join(s["outlets"]) or "-", span, s["headline"] or "")
    console.print(table)
    shown = f"{len(stories)} of " if len(stories) < len(every) else ""
    err.print(f"{shown}{len(every)} stories, {sum(s['size'] for s in every)} articles")


def _facts(items: list[dict], limit: int = 25) -> str:
    lines = [f"[dim]{f['kind']:<6}[/] {_clip(f['text'])}" for f in items[:limit]]
    if len(items) > limit:
        lines.append(f"[dim]… {len(items) - limit} more[/]")
    return "\n".join(lines) or "[dim]none[/]"


def _clip(text: str, n: int = 110) -> str:
    text = " ".join(str(text).split()).replace("[", "\\[")
    return text if len(text) <= n else text[: n - 1] + "…"


def _variant(side: dict) -> str:
    who = f" — {_clip(side['speaker'], 40)}" if side.get("speaker") else ""
    return f"[dim]{_clip(side['outlet'], 30)}{who}[/]\n{_clip(side['text'], 240)}"


@app.command("story")
def story_cmd(
    story_id: str = typer.Argument(..., help="Story id from `tightrope stories`."),
    db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `tightrope extract`."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
) -> None:
    """Compare how each outlet tells one story: shared facts, only-in facts, conflicts, quote variants, tone."""
    from ..stories import story_comparison

    comp = story_comparison(_open(db), story_id)
    if comp is None:
        err.print(f"error: no story {story_id!r} in {db} (see `tightrope stories --db {db}`)")
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(comp, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    info = {a["id"]: a for a in comp["article_info"]}
    console.rule(f"story {comp['id']}: {_clip(comp.get('title') or '', 70)}")
    console.print(f"[dim]{len(comp['articles'])} articles, outlets: {', '.join(comp['outlets'])}[/]")
    console.print(Panel(_facts(comp["shared"], 40), title=f"reported by several outlets ({len(comp['shared'])})"))
    panels = []
    for aid in comp["articles"]:
        a = info[aid]
        tone = comp["tone"].get(a["outlet"] or aid, {})
        head = (f"[bold]{_clip(a['title'] or aid, 60)}[/]\n[dim]{a['outlet'] or aid} · {a['published'] or 'no date'}"
                f" · tone {tone.get('score', 0):+.2f}[/]\n")
        if tone:
            head += (f"[green]+ {', '.join(tone['positive'][:4]) or '-'}[/]\n"
                     f"[red]- {', '.join(tone['negative'][:4]) or '-'}[/]\n")
        panels.append(Panel(head + _facts(comp["only_in"].get(aid, []), 20), title=f"only in {aid[:12]}",
                            width=max(40, console.width // max(1, min(3, len(comp['articles']))) - 1)))
    console.print(Columns(panels))
    if comp["quote_variants"]:
        t = Table(title="quote variants", show_lines=True, title_justify="left")
        t.add_column("sim", justify="right")
        t.add_column("one outlet")
        t.add_column("another outlet")
        for v in comp["quote_variants"]:
            t.add_row(f"{v['similarity']:.2f}", _variant(v["a"]), _variant(v["b"]))
        console.print(t)
    if comp["conflicts"]:
        t = Table(title="conflicts", title_justify="left")
        t.add_column("kind")
        t.add_column("fact")
        t.add_column("values")
        for c in comp["conflicts"]:
            t.add_row(c["kind"], _clip(c["fact"], 60), _clip("; ".join(f"{k[:12]}: {v}" for k, v in c["values"].items()), 100))
        console.print(t)
    else:
        console.print("[dim]no conflicting facts[/]")
    if comp["corroboration"]:
        t = Table(title="events and how many outlets report them", title_justify="left")
        for col in ("source", "type", "target", "outlets"):
            t.add_column(col)
        for e in comp["corroboration"][:20]:
            t.add_row(str(e["source"] or "?"), e["type"], str(e["target"] or "?"), str(e["count"]))
        console.print(t)
