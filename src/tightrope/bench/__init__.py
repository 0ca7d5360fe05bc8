"""Benchmark harnesses. Each reads a data path, prints a readable report, and ends with one JSON line.

Benchmarks are not tests: they measure; tests assert behaviour.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table


def finish(name: str, figures: dict[str, Any], console: Console | None = None, title: str | None = None) -> dict[str, Any]:
    """Print the figures as a table, then the one JSON line `{"bench": name, ...}` on stdout."""
    console = console or Console(stderr=True, highlight=False)
    table = Table(title=title or f"tightrope bench {name}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    for key, value in figures.items():
        if isinstance(value, (dict, list)):
            continue
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    console.print(table)
    line = {"bench": name, **figures}
    print(json.dumps(line, ensure_ascii=False, default=_round), flush=True)
    return line


def _round(value: Any) -> Any:
    return str(value)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
