"""`tightrope bench throughput [PATH]`: how fast the full extract is, next to a plain spaCy pass.

For each process count N it times, on the same texts, each in a freshly spawned process:
  * the full extract (parse → actors → events → quotes → store into a temporary DuckDB file) with
    `--workers N`: N coding processes, while the main process reads and stores (see
    `tightrope.pipeline.worker_pool`), and
  * plain spaCy en_core_web_sm, every component, `nlp.pipe(texts, n_process=N)`,
and reports articles/s, words/s, the ratio, peak RSS (the sum over the process and its children, read
every 50 ms by a watcher process; also as PSS, read every 0.5 s, which counts a page shared by several
processes once in all instead of once per process), the time per stage (one coding process, summed
in the worker) and the share of segments parsed.
Then it codes the first max(`sizes`) articles in one streaming pass into one store and reads the clock and
the memory peak as the stored count passes each size (1k, 2k, 4k, 8k by default): seconds per 1k articles
for each stretch between sizes (a flat line means linear cost, a growing one that later articles cost more,
e.g. because the store grows), the log-log slope of time over articles (1.0 = linear) and the peak memory so
far (flat = streaming). One pass instead of one run per size halves the work of the 8k run.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

DEFAULT_PATH = "/work/shared/data/allsides_baly_corpus/articles_8k.jsonl.gz"
DEFAULT_TEXT_FIELD = "content_original"


class PeakRSS:
    """The peak resident memory of this process plus all its children, watched from a separate process:
    RSS every 50 ms, and PSS (proportional set size: shared pages split between the processes that share
    them, where the system reports it, else RSS) every 0.5 s, since reading it walks the page tables.

    A separate process, not a thread: a sampling thread would take the GIL from the work it measures, and a
    process that has started a thread allocates memory more slowly for good (see
    `tightrope.pipeline.worker_pool`), which slowed spaCy's parser by a third in the measured process.
    """

    def __init__(self, every_s: float = 0.05, pss_every_s: float = 0.5):
        self._every, self._pss_every = every_s, pss_every_s
        self.peak = 0
        self.peak_pss = 0

    def update(self) -> None:
        """Read the peaks so far (the watcher samples once more first)."""
        self._conn.send("peak")
        self.peak, self.peak_pss = self._conn.recv()

    def __enter__(self) -> PeakRSS:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self._conn, theirs = ctx.Pipe()
        self._watcher = ctx.Process(target=_watch_memory, args=(os.getpid(), self._every, self._pss_every, theirs),
                                    daemon=True)
        self._watcher.start()
        self._conn.recv()  # the first sample is taken
        return self

    def __exit__(self, *exc) -> None:
        self.update()
        self._conn.send("stop")
        self._watcher.join()

    @property
    def mb(self) -> float:
        return self.peak / 2**20

    @property
    def pss_mb(self) -> float:
        return self.peak_pss / 2**20


def _watch_memory(pid: int, every_s: float, pss_every_s: float, conn) -> None:
    """The watcher process of `PeakRSS`: samples `pid` and its children until told to stop."""
    import psutil

    root = psutil.Process(pid)
    peak = peak_pss = 0
    procs: list = []
    next_pss = next_children = 0.0

    def sample(with_pss: bool) -> None:
        nonlocal peak, peak_pss, procs, next_children
        now = time.monotonic()
        if now >= next_children:  # listing the children reads all of /proc: not every time
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = [root]
            next_children = now + 0.25
        rss = pss = 0
        for p in procs:
            try:
                if with_pss:
                    mem = p.memory_full_info()
                    rss += mem.rss
                    pss += getattr(mem, "pss", mem.rss)
                else:
                    rss += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, rss)
        if with_pss:
            peak_pss = max(peak_pss, pss)

    sample(True)
    conn.send("ready")
    while True:
        if conn.poll(every_s):
            command = conn.recv()
            next_children = 0.0
            sample(True)
            if command == "stop":
                return
            conn.send((peak, peak_pss))
            continue
        now = time.monotonic()
        sample(now >= next_pss)
        if now >= next_pss:
            next_pss = now + pss_every_s


def load_articles(path: str, limit: int | None, text_field: str | None):
    from itertools import islice

    from ..ingest import FieldMap, read_paths
    from ..records import Article

    if text_field is None and path == DEFAULT_PATH:
        text_field = DEFAULT_TEXT_FIELD
    fields = FieldMap(text=text_field) if text_field else FieldMap()
    items = (a for a in read_paths([path], fields) if isinstance(a, Article))
    return list(islice(items, limit)) if limit else list(items)


def in_fresh_process(measure, *args, warm_workers: int | None = None):
    """Run `measure(*args)` in a newly spawned process, so that each measurement starts from the same state and
    the memory measured is its own (not this process's copy of a model). With `warm_workers`, untimed,
    whatever will code the articles is made ready there first (the worker processes spawned and their model
    loaded; for an input of less than a batch, which is coded in this process, the model here), as it would
    be by the middle of a long run."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_warm_then_measure, measure, warm_workers, *args).result()


def _warm_then_measure(measure, warm_workers: int | None, *args):
    if warm_workers:
        from ..pipeline import codes_here, worker_pool

        articles = args[0]
        if codes_here(len(articles)):  # the model is loaded in this process
            time_extract(articles[:8], warm_workers)
        else:
            worker_pool(warm_workers)
    return measure(*args)


def time_extract(articles, workers: int) -> dict[str, Any]:
    """The full extract of `articles` into a fresh temporary store."""
    from ..pipeline import StageTimes, extract_stream
    from ..store import Store

    times = StageTimes()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        with PeakRSS() as rss:
            t0 = time.perf_counter()
            t_store = 0.0
            for results in extract_stream(iter(articles), workers=workers, times=times):
                ts = time.perf_counter()
                store.add_results(results)
                t_store += time.perf_counter() - ts
            dt = time.perf_counter() - t0
    stages = {k: round(v, 3) for k, v in times.seconds.items()}
    stages["store"] = round(t_store, 3)
    return {"seconds": dt, "peak_rss_mb": rss.mb, "peak_pss_mb": rss.pss_mb, "stages": stages}


def time_checkpoints(articles, sizes: list[int], workers: int) -> list[dict[str, Any]]:
    """One extract of `articles` into one growing temporary store, coded stretch by stretch (up to each of
    `sizes`); the clock and memory peak are read at the end of each stretch."""
    from ..pipeline import extract_stream
    from ..store import Store

    marks: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        with PeakRSS() as rss:
            t0 = time.perf_counter()
            done = 0
            for size in sorted(sizes):
                for results in extract_stream(iter(articles[done:size]), workers=workers):
                    store.add_results(results)
                done = size
                rss.update()
                marks.append({"articles": done, "seconds": time.perf_counter() - t0,
                              "peak_rss_mb": rss.mb, "peak_pss_mb": rss.pss_mb})
    return marks


def time_spacy(texts: list[str], workers: int) -> dict[str, Any]:
    """Plain spaCy, full pipeline, as a user would run it."""
    import spacy

    from ..nlp import MODEL_NAMES

    nlp = None
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=workers):
            pass
        dt = time.perf_counter() - t0
    return {"seconds": dt, "peak_rss_mb": rss.mb, "peak_pss_mb": rss.pss_mb}


def parsed_share(articles) -> tuple[int, int]:
    """How many segments the selective parse hands to the parser, out of all non-blank ones."""
    from ..nlp import split_segments
    from ..pipeline import keep_segment

    kept = total = 0
    for a in articles:
        for s, e in split_segments(a.text):
            seg = a.text[s:e]
            if seg.strip():
                total += 1
                kept += keep_segment(seg)
    return kept, total


def run(
    path: str | None = None, limit: int | None = None, text_field: str | None = None,
    workers: list[int] | None = None, sizes: list[int] | None = None, spacy_baseline: bool = True,
    compare_limit: int | None = None,
) -> dict[str, Any]:
    from . import finish

    # numpy's BLAS on one thread in the processes spawned below, spaCy's baseline included: OpenBLAS's own
    # threads would fight the other processes for the cores, and slow the one they belong to
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    console = Console(stderr=True, highlight=False)
    path = path or DEFAULT_PATH
    workers = workers or [1, 2]
    sizes = sizes if sizes is not None else [1000, 2000, 4000, 8000]
    corpus = load_articles(path, limit, text_field)
    articles = corpus[:compare_limit] if compare_limit else corpus  # the side-by-side part
    n = len(articles)
    if not n:
        console.print(f"{path}: no articles")
        return finish("throughput", {"n": 0})
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    kept, total = parsed_share(articles)
    console.print(f"{n} articles, {words} words from {path}; segments parsed: {kept}/{total} "
                  f"({kept / max(total, 1):.0%})")


    figures: dict[str, Any] = {"n": n, "words": words, "parsed_segment_share": round(kept / max(total, 1), 3)}
    table = Table(title="throughput", title_justify="left")
    for col in ("processes", "extract art/s", "extract words/s", "spaCy art/s", "ratio",
                "extract peak RSS MB", "spaCy peak RSS MB", "extract peak PSS MB", "spaCy peak PSS MB"):
        table.add_column(col, justify="right")
    stage_seconds = None
    for w in workers:
        ex = in_fresh_process(time_extract, articles, w, warm_workers=w)
        if w == 1 or stage_seconds is None:
            stage_seconds = ex["stages"]
        aps = n / ex["seconds"]
        row = {"articles_per_s": round(aps, 2), "words_per_s": round(words / ex["seconds"], 1),
               "peak_rss_mb": round(ex["peak_rss_mb"], 1), "peak_pss_mb": round(ex["peak_pss_mb"], 1)}
        sp = None
        if spacy_baseline:
            sp = in_fresh_process(time_spacy, texts, w)
            row["spacy_articles_per_s"] = round(n / sp["seconds"], 2)
            row["ratio"] = round(aps / row["spacy_articles_per_s"], 2)
            row["spacy_peak_rss_mb"] = round(sp["peak_rss_mb"], 1)
            row["spacy_peak_pss_mb"] = round(sp["peak_pss_mb"], 1)
        for k, v in row.items():
            figures[f"{k}_{w}p"] = v
        table.add_row(str(w), f"{aps:.2f}", f"{row['words_per_s']:.0f}",
                      f"{row.get('spacy_articles_per_s', float('nan')):.2f}",
                      f"{row.get('ratio', float('nan')):.2f}", f"{row['peak_rss_mb']:.0f}",
                      f"{row.get('spacy_peak_rss_mb', float('nan')):.0f}", f"{row['peak_pss_mb']:.0f}",
                      f"{row.get('spacy_peak_pss_mb', float('nan')):.0f}")
    console.print(table)
    figures["stage_seconds_1p"] = stage_seconds
    console.print("stage seconds (" + ", ".join(f"{k} {v:.2f}" for k, v in stage_seconds.items()) + ")")

    # the cost slope: one pass over the largest size, read at each size, at the largest process count
    total = len(corpus)
    # a size past the end (8k asked, 7,999 English articles read) is the whole corpus
    sizes = sorted({min(s, total) for s in sizes}) if sizes and total >= 2 else [total]
    w = max(workers)
    marks = in_fresh_process(time_checkpoints, corpus[:sizes[-1]], sizes, w, warm_workers=w)
    slope = Table(title=f"cost slope ({w} processes, one pass)", title_justify="left")
    for col in ("articles", "seconds", "s per 1k since previous", "peak RSS MB", "peak PSS MB"):
        slope.add_column(col, justify="right")
    per_size, prev_n, prev_t = {}, 0, 0.0
    for s, m in zip(sizes, marks):
        stretch = (m["seconds"] - prev_t) / max(m["articles"] - prev_n, 1) * 1000
        per_size[s] = {"articles": m["articles"], "seconds": round(m["seconds"], 2),
                       "s_per_1k": round(stretch, 2),
                       "peak_rss_mb": round(m["peak_rss_mb"], 1), "peak_pss_mb": round(m["peak_pss_mb"], 1)}
        slope.add_row(str(m["articles"]), f"{m['seconds']:.1f}", f"{stretch:.1f}",
                      f"{m['peak_rss_mb']:.0f}", f"{m['peak_pss_mb']:.0f}")
        prev_n, prev_t = m["articles"], m["seconds"]
    console.print(slope)
    figures["sizes"] = per_size
    if len(marks) >= 2 and marks[0]["seconds"] > 0 and marks[-1]["articles"] > marks[0]["articles"]:
        import math

        first, last = marks[0], marks[-1]
        figures["time_slope_loglog"] = round(
            math.log(last["seconds"] / first["seconds"]) / math.log(last["articles"] / first["articles"]), 3)
        console.print(f"log-log slope of time over articles: {figures['time_slope_loglog']} (1.0 = linear)")
    return finish("throughput", figures, console=console)


def _all_rows(db: Path) -> dict[str, list]:
    import duckdb

    from ..store import TABLES

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
    finally:
        con.close()


def run_dask(
    path: str | None = None, limit: int | None = 200, text_field: str | None = None,
    workers: list[int] | None = None, batch_size: int = 64,
) -> dict[str, Any]:
    """Dask LocalCluster with N single-threaded worker processes, N in `workers`: articles/s,
    speed-up over the first N, and whether every table holds the same rows.
    `python -m tightrope.bench.throughput --dask [PATH] [--limit N]`."""
    import json

    from dask.distributed import Client, LocalCluster

    from . import finish
    from ..pipeline import code_batch, run_extract
    from ..scale import DaskExecutor

    console = Console(stderr=True, highlight=False)
    path = path or DEFAULT_PATH
    workers = workers or [1, 2]
    articles = load_articles(path, limit, text_field)
    n = len(articles)
    figures: dict[str, Any] = {"n": n}
    reference = None
    identical = True
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with open(corpus, "w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps({"title": a.title, "text": a.text, "outlet": a.outlet,
                                    "published": a.published, "url": a.url}) + "\n")
        for w in workers:
            cluster = LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            try:
                # warm up every worker (model load) outside the timing
                warm = [client.submit(code_batch, articles[:2], pure=False, workers=[addr])
                        for addr in client.scheduler_info()["workers"]]
                client.gather(warm)
                db = Path(tmp) / f"dask{w}.duckdb"
                t0 = time.perf_counter()
                summary = run_extract([corpus], db, executor=DaskExecutor(client=client), batch_size=batch_size)
                dt = time.perf_counter() - t0
            finally:
                client.close()
                cluster.close()
            rows = _all_rows(db)
            if reference is None:
                reference = rows
            identical = identical and rows == reference
            figures[f"articles_per_s_{w}w"] = round(summary.articles_stored / dt, 2)
            console.print(f"dask {w} worker(s): {summary.articles_stored} articles in {dt:.1f} s")
    base = figures[f"articles_per_s_{workers[0]}w"]
    for w in workers[1:]:
        figures[f"speedup_{w}w"] = round(figures[f"articles_per_s_{w}w"] / base, 2)
    figures["identical"] = identical
    return finish("throughput_dask", figures, console=console)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="throughput benchmark (plain run: see `tightrope bench throughput`)")
    parser.add_argument("path", nargs="?")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--text-field", default=None)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--dask", action="store_true", help="Dask LocalCluster N workers instead")
    args = parser.parse_args()
    ws = [int(w) for w in args.workers.split(",")]
    if args.dask:
        run_dask(args.path, args.limit or 200, args.text_field, ws)
    else:
        run(args.path, args.limit, args.text_field, ws)
