"""Scale-out on Dask: the same stage functions mapped over partitions, merged into one store.

The driver (the `tightrope extract --dask` process) reads the inputs, drops articles that are
already stored (resumable) or seen twice, and cuts the rest into partitions of `BATCH_SIZE`
articles, the same batches a single-process run makes. Each partition is coded on a Dask worker by
`pipeline.extract_results` and comes back as one Parquet file per table (built with the store's own
schema, so types are exact). The driver writes the shard under `<db>.shards/` and merges shards into
the store in input order, one transaction per partition, then deletes the shard. Because the stage
functions are pure and the merge order is the input order, every table holds the same rows as
after a single-process run (sequence numbers included).

Workers need no shared file system: shards travel as bytes. At most `2 × workers` partitions are
in flight, so memory on the driver stays flat.

address: "local" (a LocalCluster with one single-threaded process per core), "local:N" (N
processes) or a scheduler address "tcp://HOST:PORT" (Slurm via dask-jobqueue, Kubernetes via
dask-kubernetes, or `dask scheduler` + `dask worker` by hand).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from .pipeline import BATCH_SIZE, RunSummary, _batched, extract_results, new_articles
from .records import Article, InputProblem
from .store import SCHEMA, TABLES, Store, _insert, _rows


def code_partition(articles: list[Article], actors_file: str | None = None) -> dict:
    """Run the stages over one partition; returns {table: Parquet bytes} and the counts."""
    import duckdb

    results = extract_results(articles, actors_file)
    con = duckdb.connect()
    tmp = tempfile.mkdtemp(prefix="tightrope-part-")
    try:
        con.execute(SCHEMA)
        tables: dict[str, list] = {t: [] for t in TABLES}
        for seq, r in enumerate(results, start=1):  # local sequence; offset at merge time
            for table, rows in _rows(r, seq).items():
                tables[table].extend(rows)
        shards = {}
        for table, rows in tables.items():
            if not rows:
                continue
            _insert(con, table, rows)
            f = Path(tmp) / f"{table}.parquet"
            con.execute(f"COPY {table} TO '{f}' (FORMAT parquet)")
            shards[table] = f.read_bytes()
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
    counts = {
        "actors": sum(len(r.actors) for r in results), "events": sum(len(r.events) for r in results),
        "quotes": sum(len(r.quotes) for r in results), "claims": sum(len(r.claims) for r in results),
    }
    return {"shards": shards, "n": len(results), "counts": counts}


def merge_shard(store: Store, shard_dir: Path) -> int:
    """Merge one partition's Parquet files into the store in one transaction; returns new articles."""
    art = shard_dir / "articles.parquet"
    if not art.exists():
        return 0
    with store.writing() as con:
        con.execute(
            "CREATE TEMP TABLE _new AS SELECT * FROM read_parquet(?) "
            "WHERE id NOT IN (SELECT id FROM articles)", [str(art)]
        )
        try:
            base = con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            con.execute(
                "INSERT INTO articles BY NAME SELECT * REPLACE "
                "(? + row_number() OVER (ORDER BY seq) AS seq) FROM _new", [base]
            )
            for table in TABLES[1:]:
                f = shard_dir / f"{table}.parquet"
                if f.exists():
                    con.execute(
                        f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?) "
                        "WHERE article_id IN (SELECT id FROM _new)", [str(f)]
                    )
            n = con.execute("SELECT count(*) FROM _new").fetchone()[0]
        finally:
            con.execute("DROP TABLE _new")
    return n


def _client(address: str):
    from dask.distributed import Client, LocalCluster

    if address.startswith("local"):
        n = int(address.split(":", 1)[1]) if ":" in address else (os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def run_extract_dask(
    paths: Iterable[str | Path],
    db: str | Path,
    address: str = "local",
    fields=None,
    actors_file: str | None = None,
    max_chars: int | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    batch_size: int = BATCH_SIZE,
    client=None,
) -> RunSummary:
    """Like `pipeline.run_extract`, with the coding done on a Dask cluster."""
    started = time.perf_counter()
    summary = RunSummary()
    store = Store(db)
    shard_root = Path(str(db) + ".shards")

    own = None
    if client is None:
        client, own = _client(address)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
        pending: deque = deque()

        def drain_one() -> None:
            i, fut = pending.popleft()
            out = fut.result()
            fut.release()
            shard = shard_root / f"part-{os.getpid()}-{i:06d}"
            shard.mkdir(parents=True, exist_ok=True)
            for table in reversed(TABLES):  # articles last: its presence marks a complete shard
                if table in out["shards"]:
                    tmp = shard / f"{table}.parquet.part"
                    tmp.write_bytes(out["shards"][table])
                    tmp.replace(shard / f"{table}.parquet")
            summary.articles_stored += merge_shard(store, shard)
            summary.counts.update(out["counts"])
            shutil.rmtree(shard, ignore_errors=True)

        # shards a killed driver coded but did not merge: merge them first (merging is idempotent)
        if shard_root.is_dir():
            for shard in sorted(shard_root.iterdir()):
                if (shard / "articles.parquet").exists():
                    summary.articles_stored += merge_shard(store, shard)
                shutil.rmtree(shard, ignore_errors=True)

        for i, batch in enumerate(_batched(new_articles(paths, fields, max_chars, store, summary, on_problem), batch_size)):
            pending.append((i, client.submit(code_partition, batch, actors_file, pure=False)))
            while len(pending) >= 2 * n_workers:
                drain_one()
        while pending:
            drain_one()
    finally:
        if own is not None:
            client.close()
            own.close()
    try:
        shard_root.rmdir()
    except OSError:
        pass
    summary.seconds = time.perf_counter() - started
    return summary
