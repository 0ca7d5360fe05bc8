"""The DuckDB store: schema, batched transactional writes, and the queries the surfaces share.

One file holds everything (default ./tightrope.duckdb). An article and everything extracted from
it are written in the same transaction, so a run killed at any point leaves either the whole
article or nothing; re-running skips articles whose id is already stored.

DuckDB lets one process write a file, or several processes read it, not both at once. Writers
therefore hold the file only for the length of one batch (`Store.writing`), and readers open it
read-only for the length of one query, retrying briefly while a batch is being written
(`Store.reading`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from .records import Actor, Article, ArticleResult, Claim, Event, Quote

DEFAULT_DB = "tightrope.duckdb"
SCHEMA_VERSION = 1

_ACTOR_COLUMNS = ("text", "start", "end", "name", "country", "sector", "code", "kind", "entity", "resolved_by",
                  "confidence")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, title VARCHAR, text VARCHAR, outlet VARCHAR, published VARCHAR,
    url VARCHAR, language VARCHAR, source VARCHAR, n_words INTEGER, seq BIGINT
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR, idx INTEGER, text VARCHAR, start INTEGER, "end" INTEGER, name VARCHAR,
    country VARCHAR, sector VARCHAR, code VARCHAR, kind VARCHAR, entity VARCHAR,
    resolved_by VARCHAR, confidence DOUBLE,
    PRIMARY KEY (article_id, idx)
);
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS resolved_by VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS confidence DOUBLE;
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, idx INTEGER,
    source_text VARCHAR, source_start INTEGER, source_end INTEGER, source_name VARCHAR,
    source_country VARCHAR, source_sector VARCHAR, source_code VARCHAR, source_kind VARCHAR,
    source_entity VARCHAR, source_resolved_by VARCHAR, source_confidence DOUBLE,
    target_text VARCHAR, target_start INTEGER, target_end INTEGER, target_name VARCHAR,
    target_country VARCHAR, target_sector VARCHAR, target_code VARCHAR, target_kind VARCHAR,
    target_entity VARCHAR, target_resolved_by VARCHAR, target_confidence DOUBLE,
    type VARCHAR, mode VARCHAR, cameo VARCHAR, intensity DOUBLE, quad INTEGER,
    modality VARCHAR, claimed_by VARCHAR, date VARCHAR, location VARCHAR, sentence VARCHAR,
    start INTEGER, "end" INTEGER, trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    reciprocal BOOLEAN, rule VARCHAR, confidence DOUBLE, date_source VARCHAR,
    PRIMARY KEY (article_id, idx)
);
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_source VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS source_resolved_by VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS source_confidence DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS target_resolved_by VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS target_confidence DOUBLE;
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, idx INTEGER, text VARCHAR, direct BOOLEAN, cue VARCHAR,
    speaker VARCHAR, speaker_name VARCHAR, speaker_country VARCHAR, speaker_code VARCHAR,
    start INTEGER, "end" INTEGER, cue_start INTEGER, cue_end INTEGER, kind VARCHAR, parts VARCHAR,
    PRIMARY KEY (article_id, idx)
);
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS parts VARCHAR;
CREATE TABLE IF NOT EXISTS claims (
    article_id VARCHAR, idx INTEGER, claimer VARCHAR, claimer_name VARCHAR,
    claimer_country VARCHAR, claimer_code VARCHAR, text VARCHAR, cue VARCHAR, modality VARCHAR,
    start INTEGER, "end" INTEGER, disputed_by VARCHAR,
    PRIMARY KEY (article_id, idx)
);
"""

TABLES = ("articles", "mentions", "events", "quotes", "claims")


class StoreBusy(RuntimeError):
    """Another process holds the database for writing and did not let go in time."""


def _actor_json(actor: Actor | None) -> str | None:
    return None if actor is None else json.dumps(actor.to_dict(), ensure_ascii=False)


def _actor_from(value: Any) -> Actor | None:
    if value is None:
        return None
    data = json.loads(value) if isinstance(value, str) else value
    return Actor(**data)


def _actor_fields(prefix: str, actor: Actor | None) -> dict[str, Any]:
    return {f"{prefix}_{c}": (getattr(actor, c) if actor else None) for c in _ACTOR_COLUMNS}


def _rows(result: ArticleResult, seq: int) -> dict[str, list[dict[str, Any]]]:
    """The table rows of one article result."""
    a = result.article
    aid = a.id
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    rows["articles"].append({
        "id": aid, "title": a.title, "text": a.text, "outlet": a.outlet, "published": a.published,
        "url": a.url, "language": a.language, "source": a.source,
        "n_words": len(a.text.split()), "seq": seq,
    })
    for i, m in enumerate(result.actors):
        rows["mentions"].append({"article_id": aid, "idx": i, **m.to_dict()})
    for i, e in enumerate(result.events):
        rows["events"].append({
            "article_id": aid, "idx": i,
            **_actor_fields("source", e.source), **_actor_fields("target", e.target),
            "type": e.type, "mode": e.mode, "cameo": e.cameo, "intensity": e.intensity,
            "quad": e.quad, "modality": e.modality, "claimed_by": _actor_json(e.claimed_by),
            "date": e.date, "location": e.location, "sentence": e.sentence, "start": e.start,
            "end": e.end, "trigger": e.trigger, "trigger_start": e.trigger_start,
            "trigger_end": e.trigger_end, "reciprocal": e.reciprocal, "rule": e.rule,
            "confidence": e.confidence, "date_source": e.date_source,
        })
    for i, q in enumerate(result.quotes):
        s = q.speaker
        rows["quotes"].append({
            "article_id": aid, "idx": i, "text": q.text, "direct": q.direct, "cue": q.cue,
            "speaker": _actor_json(s), "speaker_name": s.name if s else None,
            "speaker_country": s.country if s else None, "speaker_code": s.code if s else None,
            "start": q.start, "end": q.end, "cue_start": q.cue_start, "cue_end": q.cue_end,
            "kind": q.kind, "parts": json.dumps([list(p) for p in q.parts]),
        })
    for i, c in enumerate(result.claims):
        s = c.claimer
        rows["claims"].append({
            "article_id": aid, "idx": i, "claimer": _actor_json(s),
            "claimer_name": s.name if s else None, "claimer_country": s.country if s else None,
            "claimer_code": s.code if s else None, "text": c.text, "cue": c.cue,
            "modality": c.modality, "start": c.start, "end": c.end,
            "disputed_by": json.dumps([d.to_dict() for d in c.disputed_by], ensure_ascii=False),
        })
    return rows


class Store:
    """A Tightrope database file. Cheap to create: connections are opened per batch or query."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, timeout_s: float = 30.0,
                 config: dict[str, Any] | None = None):
        """`config`: DuckDB settings for every connection (the dashboard locks external access off); all
        connections to one file within a process must share them."""
        self.path = Path(path)
        self.read_only = read_only
        self.timeout_s = timeout_s
        self.config = dict(config) if config else None
        if not read_only:
            with self.writing() as con:
                con.execute(SCHEMA)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
                )
        elif not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no such database (run `tightrope extract` first)")

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.timeout_s
        delay = 0.02
        while True:
            try:
                if self.config:
                    return duckdb.connect(str(self.path), read_only=read_only, config=dict(self.config))
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.IOException as exc:  # the file is locked by a writer in another process
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusy(f"{self.path}: database is busy (locked by another process)") from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection for one transaction; committed on success, rolled back on error."""
        if self.read_only:
            raise PermissionError(f"{self.path}: opened read-only")
        con = self._connect(read_only=False)
        try:
            con.execute("BEGIN TRANSACTION")
            yield con
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for queries: read-only when the store was opened read-only. Inside `session()`,
        the session's connection."""
        held = getattr(self, "_session_con", None)
        if held is not None:
            yield held
            return
        con = self._connect(read_only=self.read_only)
        try:
            if not self.config:  # a locked configuration (the dashboard's) refuses every SET
                con.execute("SET enable_progress_bar = false")  # a long read must not draw on the terminal
            yield con
        finally:
            con.close()

    @contextmanager
    def session(self) -> Iterator["Store"]:
        """Hold one connection for several queries (a dashboard request opens the file once, not per query).
        Read-only stores only, so a writer waits at most for the length of the session."""
        if not self.read_only or getattr(self, "_session_con", None) is not None:
            yield self
            return
        with self.reading() as con:
            self._session_con = con
            try:
                yield self
            finally:
                self._session_con = None

    # -- writing ---------------------------------------------------------------------------

    def add_results(self, results: Iterable[ArticleResult]) -> int:
        """Store a batch of results in one transaction; returns how many articles were new."""
        results = list(results)
        if not results:
            return 0
        with self.writing() as con:
            ids = [r.article.id for r in results]
            known = {
                row[0]
                for row in con.execute(
                    "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
                ).fetchall()
            }
            seq = con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
            seen: set[str] = set()
            for r in results:
                if r.article.id in known or r.article.id in seen:
                    continue
                seen.add(r.article.id)
                seq += 1
                for table, rows in _rows(r, seq).items():
                    tables[table].extend(rows)
            for table, rows in tables.items():
                _insert(con, table, rows)
            return len(seen)

    # -- reading ---------------------------------------------------------------------------

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored."""
        ids = list(ids)
        if not ids:
            return set()
        with self.reading() as con:
            rows = con.execute(
                "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
            ).fetchall()
        return {r[0] for r in rows}

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.reading() as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a SQL query and return rows as dicts."""
        with self.reading() as con:
            cur = con.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def article_ids(self) -> list[str]:
        """All stored article ids in the order they were stored."""
        return [r["id"] for r in self.query("SELECT id FROM articles ORDER BY seq")]

    def results(self, ids: Iterable[str] | None = None) -> Iterator[ArticleResult]:
        """Rebuild ArticleResults from the tables (in storage order)."""
        with self.reading() as con:
            if ids is None:
                arts = _dicts(con.execute("SELECT * FROM articles ORDER BY seq"))
            else:
                arts = _dicts(con.execute(
                    # by seq, found from the ids first: selecting every column by id reads all the texts
                    # (0.25 against 0.08 CPU-s for 33 of 8,000 articles)
                    "SELECT * FROM articles WHERE seq IN (SELECT seq FROM articles WHERE id IN "
                    "(SELECT unnest(?::VARCHAR[]))) ORDER BY seq",
                    [list(ids)],
                ))
            for start in range(0, len(arts), _RESULT_BATCH):
                batch = arts[start:start + _RESULT_BATCH]
                rows = _rows_by_article(con, [a["id"] for a in batch])  # one scan per table, not one per article
                for a in batch:
                    yield _result_from_rows(con, a, rows)

    def result(self, article_id: str) -> ArticleResult | None:
        found = list(self.results([article_id]))
        return found[0] if found else None


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _actor_from_columns(row: dict[str, Any], prefix: str) -> Actor | None:
    if row.get(f"{prefix}_text") is None:
        return None
    return Actor(**{c: row[f"{prefix}_{c}"] for c in _ACTOR_COLUMNS})


_RESULT_BATCH = 256  # articles rebuilt per round of table scans


def _rows_by_article(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """table -> article id -> its rows in idx order, for a batch of articles."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table in ("mentions", "events", "quotes", "claims"):
        by_id: dict[str, list[dict[str, Any]]] = {}
        cur = con.execute(f"SELECT * FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[])) "
                          "ORDER BY article_id, idx", [ids])
        for row in _dicts(cur):
            by_id.setdefault(row["article_id"], []).append(row)
        out[table] = by_id
    return out


def _result_from_rows(con: duckdb.DuckDBPyConnection, a: dict[str, Any],
                      prefetched: dict[str, dict[str, list[dict[str, Any]]]] | None = None) -> ArticleResult:
    aid = a["id"]
    article = Article(
        id=aid, title=a["title"], text=a["text"], outlet=a["outlet"], published=a["published"],
        url=a["url"], language=a["language"], source=a["source"],
    )
    q = "SELECT * FROM {} WHERE article_id = ? ORDER BY idx"

    def rows_of(table: str) -> list[dict[str, Any]]:
        if prefetched is not None:
            return prefetched[table].get(aid, [])
        return _dicts(con.execute(q.format(table), [aid]))

    actors = [
        Actor(**{c: m[c] for c in _ACTOR_COLUMNS})
        for m in rows_of("mentions")
    ]
    events = []
    for e in rows_of("events"):
        events.append(Event(
            source=_actor_from_columns(e, "source"), target=_actor_from_columns(e, "target"),
            type=e["type"], sentence=e["sentence"], start=e["start"], end=e["end"],
            trigger=e["trigger"], mode=e["mode"], cameo=e["cameo"], intensity=e["intensity"],
            quad=e["quad"], modality=e["modality"], claimed_by=_actor_from(e["claimed_by"]),
            date=e["date"], location=e["location"], reciprocal=bool(e["reciprocal"]),
            trigger_start=e["trigger_start"], trigger_end=e["trigger_end"], rule=e["rule"],
            confidence=e["confidence"], date_source=e.get("date_source"),
        ))
    quotes = [
        Quote(text=r["text"], direct=bool(r["direct"]), cue=r["cue"], speaker=_actor_from(r["speaker"]),
              start=r["start"], end=r["end"], cue_start=r["cue_start"], cue_end=r["cue_end"],
              kind=r.get("kind"), parts=[tuple(p) for p in json.loads(r.get("parts") or "[]")])
        for r in rows_of("quotes")
    ]
    claims = [
        Claim(claimer=_actor_from(r["claimer"]), text=r["text"], cue=r["cue"], start=r["start"],
              end=r["end"], modality=r["modality"],
              disputed_by=[Actor(**d) for d in json.loads(r["disputed_by"] or "[]")])
        for r in rows_of("claims")
    ]
    return ArticleResult(article=article, actors=actors, events=events, quotes=quotes, claims=claims)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Bulk insert through Arrow: much faster than executemany for thousands of rows."""
    if not rows:
        return
    import pyarrow as pa

    columns = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    arrow = pa.table({c: [r.get(c) for r in rows] for c in columns})
    con.register("_incoming", arrow)
    try:
        quoted = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM _incoming")
    finally:
        con.unregister("_incoming")
