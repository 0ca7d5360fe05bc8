"""Compare the rows of two Tightrope databases table by table: are the outputs of two versions equal?

    python scripts/compare_stores.py before.duckdb after.duckdb [--ignore events.intensity,events.quad]

For each of the stored tables (articles, mentions, events, quotes, claims) it counts the rows of each file,
the rows found in one file and not in the other (compared on every column except the ignored ones), and
prints up to --show examples of each difference. It exits 1 when any table differs, else 0.

Used to show that a change of code shape keeps what Tightrope finds: build one database with the old
version and one with the new from the same input, e.g. the first 1,000 allsides articles:

    tightrope extract ../shared/data/allsides_baly_corpus/articles_8k.jsonl.gz --text-field content_original \
        --limit 1000 --db after.duckdb
"""

from __future__ import annotations

import argparse
import sys

import duckdb

TABLES = ("articles", "mentions", "events", "quotes", "claims")


def columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = ? AND table_name = ? "
        "ORDER BY ordinal_position", [db, table]).fetchall()
    return [r[0] for r in rows]


def compare(before: str, after: str, ignore: dict[str, set[str]], show: int = 3) -> dict[str, dict[str, int]]:
    """{table: {before, after, only_before, only_after}}; prints examples of rows found on one side only."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS b (READ_ONLY)")
    report: dict[str, dict[str, int]] = {}
    for table in TABLES:
        cols_a, cols_b = columns(con, "a", table), columns(con, "b", table)
        skip = ignore.get(table, set()) | ignore.get("*", set())
        cols = [c for c in cols_a if c in cols_b and c not in skip]
        extra = sorted((set(cols_a) ^ set(cols_b)) - skip)
        if extra:
            print(f"{table}: columns in one file only (not compared): {', '.join(extra)}")
        sel = ", ".join(f'"{c}"' for c in cols)
        n_a = con.execute(f"SELECT count(*) FROM a.{table}").fetchone()[0]
        n_b = con.execute(f"SELECT count(*) FROM b.{table}").fetchone()[0]
        only_a = con.execute(f"SELECT {sel} FROM a.{table} EXCEPT ALL SELECT {sel} FROM b.{table}").fetchall()
        only_b = con.execute(f"SELECT {sel} FROM b.{table} EXCEPT ALL SELECT {sel} FROM a.{table}").fetchall()
        report[table] = {"before": n_a, "after": n_b, "only_before": len(only_a), "only_after": len(only_b)}
        status = "equal" if not only_a and not only_b else "DIFFERENT"
        print(f"{table:9s} before {n_a:8,d}  after {n_b:8,d}  only before {len(only_a):6,d}  "
              f"only after {len(only_b):6,d}  {status}")
        for label, rows in (("only before", only_a), ("only after", only_b)):
            for row in rows[:show]:
                print(f"    {label}: " + ", ".join(f"{c}={v!r}" for c, v in zip(cols, row) if v is not None)[:400])
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--ignore", default="", help="table.column,... left out of the comparison (*.column: all)")
    parser.add_argument("--show", type=int, default=3, help="examples printed per difference")
    args = parser.parse_args(argv)
    ignore: dict[str, set[str]] = {}
    for item in filter(None, args.ignore.split(",")):
        table, _, column = item.strip().partition(".")
        ignore.setdefault(table, set()).add(column)
    report = compare(args.before, args.after, ignore, args.show)
    return 0 if all(r["only_before"] == 0 and r["only_after"] == 0 for r in report.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
