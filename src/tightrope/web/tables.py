"""The table browser and the SQL box, in the way of Datasette: any table of the store with facets, sort,
filters and pages, CSV/JSON of what is shown; and read-only SQL with a row limit and a time limit.

Safety: a table or column name is used only when it is one of the store's own (looked up first, then
quoted), every value is a parameter. SQL typed by the user runs on its own read-only connection with
external access off and the configuration locked (no files read or written, no extensions, no ATTACH),
one statement at a time, interrupted when it runs past the time limit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ..store import Store

PAGE_SIZES = (20, 50, 100, 500)
FACET_LIMIT = 12
SQL_ROW_LIMIT = 1000
SQL_TIME_LIMIT_S = 5.0
CELL_CHARS = 240  # HTML cells are cut here (downloads are not)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(store: Store) -> list[str]:
    rows = store.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                       "ORDER BY table_name")
    return [r["table_name"] for r in rows]


def table_columns(store: Store, table: str) -> list[dict[str, str]]:
    return store.query("SELECT column_name AS name, data_type AS type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table])


@dataclass
class TableView:
    """What one request of the table browser asks for, checked against the table's own columns."""

    table: str
    columns: list[dict[str, str]]
    filters: list[tuple[str, str, str]] = field(default_factory=list)  # (column, op, value)
    sort: str | None = None
    desc: bool = False
    facets: list[str] = field(default_factory=list)
    offset: int = 0
    size: int = 50

    OPS = {"exact": "= ?", "contains": "contains(lower(CAST({c} AS VARCHAR)), lower(?))",
           "gt": "> ?", "lt": "< ?", "isnull": "IS NULL", "notnull": "IS NOT NULL"}

    @classmethod
    def from_params(cls, store: Store, table: str, params: list[tuple[str, str]]) -> "TableView":
        cols = table_columns(store, table)
        names = {c["name"] for c in cols}
        view = cls(table, cols)
        form = dict(params)
        if form.get("_col") in names and form.get("_op", "exact") in cls.OPS:  # the page's "add filter" form
            view.filters.append((form["_col"], form.get("_op", "exact"), form.get("_value", "")))
        for key, value in params:
            if key == "_sort" and value in names:
                view.sort = value
            elif key == "_desc":
                view.desc = value not in ("", "0")
            elif key == "_facet" and value in names and value not in view.facets:
                view.facets.append(value)
            elif key == "_offset" and value.isdigit():
                view.offset = min(int(value), 10**9)
            elif key == "_size" and value.isdigit():
                view.size = max(1, min(int(value), max(PAGE_SIZES)))
            elif not key.startswith("_"):
                col, _, op = key.partition("__")
                if col in names and (op or "exact") in cls.OPS:
                    view.filters.append((col, op or "exact", value))
        return view

    def where(self) -> tuple[str, list[Any]]:
        parts, params = [], []
        for col, op, value in self.filters:
            c = quote_ident(col)
            expr = self.OPS[op]
            if "{c}" in expr:
                parts.append(expr.format(c=c))
            else:
                parts.append(f"CAST({c} AS VARCHAR) {expr}" if op == "exact" else f"{c} {expr}")
            if "?" in expr:
                params.append(value)
        return (" WHERE " + " AND ".join(parts)) if parts else "", params

    def select_sql(self, limit: int | None = None) -> tuple[str, list[Any]]:
        where, params = self.where()
        sql = f"SELECT * FROM {quote_ident(self.table)}{where}"
        if self.sort:
            sql += f" ORDER BY {quote_ident(self.sort)} {'DESC' if self.desc else 'ASC'} NULLS LAST"
        sql += " LIMIT ? OFFSET ?"
        return sql, params + [limit if limit is not None else self.size, self.offset]

    def run(self, store: Store) -> dict[str, Any]:
        where, params = self.where()
        sql, page_params = self.select_sql()
        with store.reading() as con:
            total = con.execute(f"SELECT count(*) FROM {quote_ident(self.table)}{where}", params).fetchone()[0]
            cur = con.execute(sql, page_params)
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r)) for r in cur.fetchall()]
            facets = {}
            for col in self.facets:
                c = quote_ident(col)
                facets[col] = [{"value": v, "n": n} for v, n in con.execute(
                    f"SELECT {c} AS v, count(*) AS n FROM {quote_ident(self.table)}{where} GROUP BY 1 "
                    f"ORDER BY 2 DESC, 1 NULLS LAST LIMIT ?", params + [FACET_LIMIT]).fetchall()]
        return {"total": total, "columns": names, "rows": rows, "facets": facets}


class QueryError(ValueError):
    """A SQL query that cannot run (syntax, not read-only, past the limits): the message says why."""


# Every dashboard connection uses these settings (DuckDB wants one configuration per file and process): no
# file read or written but the database itself, no extensions, and no SET that could undo this.
SAFE_CONFIG = {"enable_external_access": False, "autoload_known_extensions": False,
               "autoinstall_known_extensions": False, "lock_configuration": True}


def run_sql(store: Store, sql: str, params: list[Any] | None = None, row_limit: int = SQL_ROW_LIMIT,
            time_limit_s: float = SQL_TIME_LIMIT_S) -> dict[str, Any]:
    """One read-only statement: {columns, rows (at most row_limit), truncated, seconds}. Raises QueryError."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise QueryError("no query")
    if store.config != SAFE_CONFIG:
        store = Store(store.path, read_only=True, timeout_s=store.timeout_s, config=SAFE_CONFIG)
    with store.reading() as con:
        return _run(con, text, params, row_limit, time_limit_s)


def _run(con: duckdb.DuckDBPyConnection, text: str, params: list[Any] | None, row_limit: int,
         time_limit_s: float) -> dict[str, Any]:
    timer = threading.Timer(time_limit_s, con.interrupt)
    started = time.monotonic()
    try:
        try:
            statements = con.extract_statements(text)
        except duckdb.Error as exc:
            raise QueryError(_one_line(exc)) from None
        if len(statements) != 1:
            raise QueryError("one statement at a time")
        if statements[0].type != duckdb.StatementType.SELECT:
            raise QueryError(f"only queries that read are run (this is a {statements[0].type.name} statement)")
        timer.start()
        try:
            cur = con.execute(text, params or [])
            names = [d[0] for d in cur.description]
            rows = cur.fetchmany(row_limit + 1)
        except duckdb.InterruptException:
            raise QueryError(f"stopped after {time_limit_s:g} s (the time limit)") from None
        except duckdb.Error as exc:
            if time.monotonic() - started >= time_limit_s:
                raise QueryError(f"stopped after {time_limit_s:g} s (the time limit)") from None
            raise QueryError(_one_line(exc)) from None
    finally:
        timer.cancel()
    return {"columns": names, "rows": [list(r) for r in rows[:row_limit]], "truncated": len(rows) > row_limit,
            "row_limit": row_limit, "seconds": round(time.monotonic() - started, 3)}


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:500]


def cell_text(value: Any, limit: int = CELL_CHARS) -> str:
    if value is None:
        return ""
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"
