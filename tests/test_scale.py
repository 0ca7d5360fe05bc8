"""Dask scale-out: the same rows as a single process, resumable (LocalCluster, 2 worker processes)."""

from __future__ import annotations

import pytest

pytest.importorskip("dask.distributed")

from synthetic import table_rows, write_corpus  # noqa: E402

from tightrope.pipeline import run_extract  # noqa: E402
from tightrope.scale import run_extract_dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_dask_matches_single_process_and_resumes(tmp_path, client):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 24)
    single = run_extract([corpus], tmp_path / "single.duckdb")
    assert single.articles_stored == 24

    # half stored first (as after an interrupted run), then Dask does the rest in small partitions
    run_extract([corpus], tmp_path / "dask.duckdb", limit=10)
    summary = run_extract_dask([corpus], tmp_path / "dask.duckdb", client=client, batch_size=4)
    assert summary.already_stored == 10
    assert summary.articles_stored == 14
    rows_single, rows_dask = table_rows(tmp_path / "single.duckdb"), table_rows(tmp_path / "dask.duckdb")
    assert rows_single["mentions"], "the synthetic corpus should yield actors"
    assert rows_dask == rows_single  # every table, every column, sequence numbers included
    assert not (tmp_path / "dask.duckdb.shards").exists()

    again = run_extract_dask([corpus], tmp_path / "dask.duckdb", client=client, batch_size=4)
    assert again.articles_stored == 0 and again.already_stored == 24
    assert table_rows(tmp_path / "dask.duckdb") == rows_single


def test_leftover_shard_is_merged_once(tmp_path, client):
    """A shard left behind by a killed driver never duplicates rows when merged again."""
    from tightrope.scale import code_partition, merge_shard
    from tightrope.ingest import read_paths
    from tightrope.store import Store

    corpus = write_corpus(tmp_path / "corpus.jsonl", 4)
    arts = list(read_paths([corpus]))
    out = code_partition(arts)
    shard = tmp_path / "shard"
    shard.mkdir()
    for table, data in out["shards"].items():
        (shard / f"{table}.parquet").write_bytes(data)
    store = Store(tmp_path / "x.duckdb")
    assert merge_shard(store, shard) == 4
    assert merge_shard(store, shard) == 0
    assert store.counts()["articles"] == 4

    # a driver killed after writing a shard: the next run merges it first, then codes nothing twice
    left = tmp_path / "y.duckdb.shards" / "part-1-000000"
    shard.rename(left.parent.mkdir(parents=True) or left)
    summary = run_extract_dask([corpus], tmp_path / "y.duckdb", client=client)
    assert summary.articles_stored == 4 and summary.already_stored == 4
    assert table_rows(tmp_path / "y.duckdb") == table_rows(tmp_path / "x.duckdb")
    assert not (tmp_path / "y.duckdb.shards").exists()


def test_throughput_bench_reports_ratio_memory_and_slope(tmp_path, capsys):
    """`tightrope bench throughput` on a small corpus: extract vs plain spaCy, peak RSS, cost slope."""
    import json

    from tightrope.bench.throughput import run

    corpus = write_corpus(tmp_path / "corpus.jsonl", 8)
    figures = run(str(corpus), workers=[1], sizes=[4, 8])
    assert figures["n"] == 8 and figures["words"] > 0
    assert 0 < figures["parsed_segment_share"] <= 1
    assert figures["articles_per_s_1p"] > 0 and figures["spacy_articles_per_s_1p"] > 0
    # the figures are rounded to two decimals
    assert figures["ratio_1p"] == pytest.approx(
        figures["articles_per_s_1p"] / figures["spacy_articles_per_s_1p"], rel=0.02, abs=0.01)
    assert 100 < figures["peak_rss_mb_1p"] < 4000
    # PSS never exceeds RSS at one instant, but the kernel's RSS counter lags by a few pages per thread
    assert 50 < figures["peak_pss_mb_1p"] <= figures["peak_rss_mb_1p"] * 1.05 + 16
    assert set(figures["sizes"]) == {4, 8}
    assert all(v["s_per_1k"] > 0 for v in figures["sizes"].values())
    assert [v["articles"] for v in figures["sizes"].values()] == [4, 8]
    assert figures["time_slope_loglog"] > 0
    assert {"nlp", "actors", "events", "quotes", "store"} <= set(figures["stage_seconds_1p"])
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["bench"] == "throughput" and line["n"] == 8
