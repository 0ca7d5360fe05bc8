"""Small synthetic news articles written for the tests (our own words, no external data)."""

from __future__ import annotations

import json
from pathlib import Path

COUNTRIES = ["France", "Germany", "Japan", "Brazil", "Kenya", "India", "Canada", "Egypt", "Mexico", "Norway"]
TEMPLATES = [
    "The foreign minister of {a} met officials from {b} in the capital on Tuesday.",
    "{a} accused {b} of breaking the agreement signed last year.",
    '"We will not accept these terms," a spokesman for the government of {a} said.',
    "The weather stayed mild and the markets were calm for most of the week.",
    "Police in {b} arrested dozens of protesters outside the parliament.",
    "{a} and {b} agreed to hold further talks next month.",
    "Analysts said the dispute could last for some time.",
]


def article(i: int) -> dict:
    a = COUNTRIES[i % len(COUNTRIES)]
    b = COUNTRIES[(i * 3 + 1) % len(COUNTRIES)]
    if a == b:
        b = COUNTRIES[(i + 1) % len(COUNTRIES)]
    n = 3 + i % 4
    sentences = [TEMPLATES[(i + k) % len(TEMPLATES)].format(a=a, b=b) for k in range(n)]
    sentences.append(f"This is report number {i} of the series.")
    return {"title": f"Report {i}: {a} and {b}", "text": " ".join(sentences),
            "outlet": ["Daily Ledger", "Evening Post"][i % 2], "published": f"2024-03-{1 + i % 28:02d}"}


def write_corpus(path: Path, n: int, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(json.dumps(article(i)) + "\n")
    return path


def table_rows(db: Path, exclude: tuple[str, ...] = ()) -> dict[str, list]:
    """Every row of every store table, sorted, optionally without some columns."""
    import duckdb

    from tightrope.store import TABLES

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in TABLES:
            cols = [d[0] for d in con.execute(f"SELECT * FROM {t} LIMIT 0").description]
            keep = ", ".join(f'"{c}"' for c in cols if c not in exclude)
            out[t] = sorted(map(repr, con.execute(f"SELECT {keep} FROM {t}").fetchall()))
        return out
    finally:
        con.close()
