"""The Dask executor: the same rows as a single process, resumable, the same options meaning the same thing;
and the throughput bench run on tiny data."""

from __future__ import annotations

import pytest

pytest.importorskip("dask.distributed")

from synthetic import table_rows, write_corpus  # noqa: E402

from tightrope.config import Settings, SettingsError  # noqa: E402
from tightrope.pipeline import make_executor, run_extract  # noqa: E402
from tightrope.scale import DaskExecutor  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.slow
def test_dask_matches_single_process_and_resumes(tmp_path, client):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 24)
    single = run_extract([corpus], tmp_path / "single.duckdb", executor="inprocess")
    assert single.articles_stored == 24

    # half stored first (as after an interrupted run), then Dask does the rest: 4-article batches of
    # 1-article tasks, --limit honoured
    run_extract([corpus], tmp_path / "dask.duckdb", limit=10)
    dask = DaskExecutor(client=client)
    part = run_extract([corpus], tmp_path / "dask.duckdb", executor=dask, batch_size=4, limit=5)
    assert part.already_stored == 10 and part.articles_stored == 5
    summary = run_extract([corpus], tmp_path / "dask.duckdb", executor=dask, batch_size=4)
    assert summary.already_stored == 15 and summary.articles_stored == 9
    assert summary.counts["events"] > 0 and {"nlp", "actors", "events", "quotes"} <= set(summary.stage_seconds)
    rows_single, rows_dask = table_rows(tmp_path / "single.duckdb"), table_rows(tmp_path / "dask.duckdb")
    assert rows_single["mentions"], "the synthetic corpus should yield actors"
    assert rows_dask == rows_single  # every table, every column, sequence numbers included

    again = run_extract([corpus], tmp_path / "dask.duckdb", executor=dask, batch_size=4)
    assert again.articles_stored == 0 and again.already_stored == 24
    assert table_rows(tmp_path / "dask.duckdb") == rows_single
    assert client.status == "running"  # a client passed in is the caller's: left open


def test_options_an_executor_cannot_honour_are_errors():
    # a cluster given by address or client has its own size
    with pytest.raises(SettingsError, match="workers = 2"):
        Settings(dask="tcp://127.0.0.1:8786", workers=2)
    with pytest.raises(SettingsError, match="workers = 2"):
        DaskExecutor(client=object(), workers=2)
    with pytest.raises(SettingsError, match="contradicts"):
        Settings(dask="local:3", workers=2)
    with pytest.raises(SettingsError, match="not 'local'"):
        Settings(dask="somewhere")
    with pytest.raises(SettingsError, match="in-process executor codes in one process"):
        Settings(executor="inprocess", workers=2)
    with pytest.raises(SettingsError, match="needs a cluster"):
        Settings(executor="dask")
    # --dask implies the Dask executor; under "local" --workers sizes the cluster
    settings = Settings(dask="local", workers=3)
    executor = make_executor(settings)
    assert settings.executor_name == "dask" and isinstance(executor, DaskExecutor) and executor.workers == 3
    assert make_executor(Settings(dask="local:2")).workers == 2
    # an executor passed in is held to the same settings
    with pytest.raises(SettingsError, match="workers = 2: a Dask cluster given by its client"):
        DaskExecutor(client=object()).check(Settings(workers=2))


def test_tasks_per_batch_is_an_error_in_process(tmp_path):
    from tightrope.pipeline import InProcess, LocalProcesses

    corpus = write_corpus(tmp_path / "corpus.jsonl", 2)
    with pytest.raises(SettingsError, match="tasks_per_batch"):
        run_extract([corpus], tmp_path / "x.duckdb", executor="inprocess", tasks_per_batch=2)
    with pytest.raises(SettingsError, match="workers = 2, but the executor given has 1 processes"):
        run_extract([corpus], tmp_path / "x.duckdb", executor=LocalProcesses(1), workers=2)
    with pytest.raises(SettingsError, match="in-process executor codes in one process"):
        InProcess().check(Settings(workers=3))
    assert not (tmp_path / "x.duckdb").exists()  # refused before the store was made


@pytest.mark.slow
def test_dask_local_cluster_from_settings(tmp_path):
    """`--dask local:1`: the executor starts its own LocalCluster and closes it at the end."""
    corpus = write_corpus(tmp_path / "corpus.jsonl", 3)
    single = run_extract([corpus], tmp_path / "single.duckdb", executor="inprocess")
    summary = run_extract([corpus], tmp_path / "dask.duckdb", dask="local:1")
    assert summary.articles_stored == single.articles_stored == 3
    assert table_rows(tmp_path / "dask.duckdb") == table_rows(tmp_path / "single.duckdb")


@pytest.mark.slow
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
