"""The main job: articles in, ArticleResults out, stored in DuckDB.

`extract_results` is a pure function of the articles (same input, same output, in any number of
processes); `run_extract` adds reading files, skipping what is stored, and batched writes.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from .records import Article, ArticleResult, InputProblem

BATCH_SIZE = 64  # articles per parse batch and per database transaction
TASKS_PER_BATCH = 4  # with several workers, a batch is coded as this many tasks


@dataclass
class StageTimes:
    """Seconds spent in each stage (summed over articles)."""

    seconds: Counter = field(default_factory=Counter)

    def add(self, stage: str, dt: float) -> None:
        self.seconds[stage] += dt


def keep_segment(text: str) -> bool:
    """Whether a segment needs the full parse: it may hold an actor or a quotation."""
    from .actors import might_mention_actor
    from .quotes import might_hold_quote

    return might_mention_actor(text) or might_hold_quote(text)


def extract_results(
    articles: list[Article], actors_file: str | None = None, times: StageTimes | None = None,
    selective: bool = True,
) -> list[ArticleResult]:
    """Run nlp → actors → events/quotes over a batch of articles, in order."""
    from .actors import load_lexicon, resolve_actors
    from .events import extract_events
    from .nlp import parse_many
    from .quotes import extract_quotes

    lexicon = load_lexicon(actors_file)
    results = []
    t0 = time.perf_counter()
    docs = list(parse_many([a.text for a in articles], keep=keep_segment if selective else None))
    if times:
        times.add("nlp", time.perf_counter() - t0)
    for article, doc in zip(articles, docs):
        t = time.perf_counter()
        actors = resolve_actors(doc, article, lexicon)
        t_actors = time.perf_counter()
        events = extract_events(doc, actors, article)
        t_events = time.perf_counter()
        quotes, claims = extract_quotes(doc, actors, article)
        t_quotes = time.perf_counter()
        if times:
            times.add("actors", t_actors - t)
            times.add("events", t_events - t_actors)
            times.add("quotes", t_quotes - t_events)
        results.append(ArticleResult(article, actors, events, quotes, claims))
    return results


def _batched(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


# Variables that make numpy's BLAS run on the calling thread only, read when numpy is first imported.
_ONE_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _single_threaded_children() -> Iterator[None]:
    """Processes started inside this context import numpy with a one-thread BLAS: without that, OpenBLAS
    starts a thread per core at import, which both fights the other workers for the cores and makes the
    process multi-threaded for good (see `worker_pool`). A variable the user set is left alone."""
    added = [name for name in _ONE_THREAD_ENV if name not in os.environ]
    os.environ.update({name: "1" for name in added})
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def _worker_init(actors_file: str | None, parent_pid: int) -> None:
    """End with the parent; load the model and every table the stages load on first use (by coding one
    sentence) before the first task arrives."""
    from .ingest import make_article

    _end_with_parent(parent_pid)
    extract_results([make_article("The minister said on Monday that Ruritania would talk to Freedonia.", "warm-up")],
                    actors_file)


def _end_with_parent(parent_pid: int) -> None:
    """On Linux, have the kernel stop this worker when the process that started it dies (killed, say): a pool
    worker waits on a pipe whose other end it holds itself, so it would never notice and wait for ever.
    Elsewhere the pool's own shutdown is all there is."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the call above
        os._exit(1)


def extract_stream(
    articles: Iterable[Article], workers: int = 1, actors_file: str | None = None,
    batch_size: int = BATCH_SIZE, times: StageTimes | None = None,
) -> Iterator[list[ArticleResult]]:
    """Batches of results in input order, coded by `workers` worker processes (see `worker_pool`).

    An input that fits in one batch is coded in this process: starting a worker (2–3 s) would cost more than
    it saves. Either way the results are the same. Workers take tasks of a quarter batch, so that the last
    batches of a run are shared out evenly instead of leaving one worker idle while another codes a whole
    batch; results are regrouped into batches of `batch_size` for the store.
    """
    articles = iter(articles)
    first = list(islice(articles, batch_size))
    if codes_here(len(first), batch_size):
        if first:
            yield extract_results(first, actors_file, times)
        return
    coded = _coded_in_parallel(chain(first, articles), max(1, workers), actors_file, batch_size, times)
    yield from _batched(coded, batch_size)


def codes_here(n_articles: int, batch_size: int = BATCH_SIZE) -> bool:
    """Whether `extract_stream` codes an input of `n_articles` in the calling process (less than one batch)
    rather than in worker processes."""
    return n_articles < batch_size


def _coded_in_parallel(articles: Iterable[Article], workers: int, actors_file: str | None, batch_size: int,
                       times: StageTimes | None) -> Iterator[ArticleResult]:
    """Results one by one in input order, coded by `workers` processes in tasks of a quarter batch."""
    task_size = max(1, batch_size // TASKS_PER_BATCH)
    pool = worker_pool(workers, actors_file)
    pending: list = []
    try:
        for task in _batched(articles, task_size):
            pending.append(pool.submit(_extract_task, task, actors_file))
            # keep a bounded window in flight so memory stays flat on large inputs
            while len(pending) >= workers * 2 * TASKS_PER_BATCH:
                yield from _collect(pending.pop(0), times)
        while pending:
            yield from _collect(pending.pop(0), times)
    except BrokenProcessPool:
        shutdown_workers()  # a worker died (killed, out of memory): start afresh next time
        raise
    finally:
        for fut in pending:  # the caller stopped early: drop what it will not read
            fut.cancel()


# The one pool kept between runs: ((workers, actors file), pool).
_kept_pool: tuple[tuple[int, str | None], ProcessPoolExecutor] | None = None


def worker_pool(workers: int, actors_file: str | None = None) -> ProcessPoolExecutor:
    """`workers` coding processes, started on first use and kept for the next run with the same settings
    (each loads the model: 2–3 s), until `shutdown_workers`, other settings, or exit.

    The workers are spawned, not forked, and code in processes of their own even when there is one: a process
    that has ever run a second thread (DuckDB, the progress display and OpenBLAS all start some), or was
    forked from one, keeps glibc's multi-threaded malloc, with a lock on every allocation, and spaCy's parser
    and entity recogniser, which allocate per word, ran 35 % slower in it. A spawned worker that only codes
    never starts a thread; the main process reads the input and writes the store. (As with any process pool, a
    script that calls this needs the `if __name__ == "__main__":` guard.)
    """
    global _kept_pool
    key = (workers, actors_file)
    if _kept_pool is not None and _kept_pool[0] == key:
        return _kept_pool[1]
    shutdown_workers()
    with _single_threaded_children():
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(actors_file, os.getpid()))
        # a spawn pool starts a process per submit while none is idle: start them all while the
        # environment is set, and wait until each has loaded the model
        for fut in [pool.submit(os.getpid) for _ in range(workers)]:
            fut.result()
    _kept_pool = (key, pool)
    return pool


def shutdown_workers() -> None:
    """Stop the worker processes that `extract_stream` keeps between runs."""
    global _kept_pool
    if _kept_pool is not None:
        pool, _kept_pool = _kept_pool[1], None
        pool.shutdown(wait=True, cancel_futures=True)


# At exit: atexit for a main program; multiprocessing's own exit hook for a process it started (a bench run, a
# Dask or pool worker), which skips atexit and waits on every child process first, ours included, for ever.
atexit.register(shutdown_workers)
multiprocessing.util.Finalize(None, shutdown_workers, exitpriority=100)


def _extract_task(articles: list[Article], actors_file: str | None) -> tuple[list[ArticleResult], Counter]:
    times = StageTimes()
    return extract_results(articles, actors_file, times), times.seconds


def _collect(future, times: StageTimes | None) -> list[ArticleResult]:
    results, seconds = future.result()
    if times is not None:
        times.seconds.update(seconds)
    return results


@dataclass
class RunSummary:
    """What a run did, for the summary line and for `--json` consumers."""

    files: int = 0
    articles_read: int = 0
    articles_stored: int = 0
    already_stored: int = 0
    duplicates: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # actors, events, quotes, claims
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """At least one input could be read (even if all its articles were already stored)."""
        return self.articles_read > 0


def new_articles(
    paths: Iterable[str | Path], fields, max_chars: int | None, store, summary: RunSummary,
    on_problem: Callable[[InputProblem], None] | None = None,
) -> Iterator[Article]:
    """Articles read from paths that are neither repeated in the input nor already stored.

    Problems, repeats and already-stored articles are counted in `summary` as they pass.
    """
    from .ingest import read_paths

    seen: set[str] = set()
    for batch in _batched(read_paths(paths, fields, max_chars), 256):
        arts = []
        for item in batch:
            if isinstance(item, InputProblem):
                summary.problems.append(item)
                if on_problem:
                    on_problem(item)
                continue
            summary.articles_read += 1
            if item.id in seen:
                summary.duplicates += 1
                continue
            seen.add(item.id)
            arts.append(item)
        known = store.known_ids(a.id for a in arts)
        summary.already_stored += len(known)
        yield from (a for a in arts if a.id not in known)


def run_extract(
    paths: Iterable[str | Path],
    db: str | Path,
    fields=None,
    workers: int = 1,
    actors_file: str | None = None,
    max_chars: int | None = None,
    limit: int | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    on_results: Callable[[list[ArticleResult]], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RunSummary:
    """Read paths, code new articles, store them; problems are reported and counted, never raised."""
    from .store import Store

    started = time.perf_counter()
    summary = RunSummary()
    store = Store(db)
    times = StageTimes()
    articles = new_articles(paths, fields, max_chars, store, summary, on_problem)
    if limit is not None:
        articles = islice(articles, limit)
    for results in extract_stream(articles, workers=workers, actors_file=actors_file, times=times):
        summary.articles_stored += store.add_results(results)
        for r in results:
            summary.counts.update(
                actors=len(r.actors), events=len(r.events), quotes=len(r.quotes), claims=len(r.claims)
            )
        if on_results:
            on_results(results)
        if on_progress:
            on_progress(len(results))
    summary.seconds = time.perf_counter() - started
    summary.stage_seconds = dict(times.seconds)
    return summary
