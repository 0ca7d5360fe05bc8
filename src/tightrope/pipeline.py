"""The main job: articles in, ArticleResults out, stored in DuckDB.

`extract_results` is a pure function of the articles (same input, same output, in any number of
processes); `run_extract` adds reading files, skipping what is stored, and batched writes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
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


def _worker_init() -> None:
    # one thread per process: spaCy/numpy threads would fight over the two cores
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def extract_stream(
    articles: Iterable[Article], workers: int = 1, actors_file: str | None = None,
    batch_size: int = BATCH_SIZE, times: StageTimes | None = None,
) -> Iterator[list[ArticleResult]]:
    """Batches of results in input order; with workers > 1, batches are coded in parallel.

    Workers take tasks of a quarter batch, so that the last batches of a run are shared out evenly instead of
    leaving one worker idle while another codes a whole batch; results are regrouped into batches of
    `batch_size` for the store.
    """
    if workers <= 1:
        for batch in _batched(articles, batch_size):
            yield extract_results(batch, actors_file, times)
        return
    yield from _batched(_coded_in_parallel(articles, workers, actors_file, batch_size, times), batch_size)


def _coded_in_parallel(articles: Iterable[Article], workers: int, actors_file: str | None, batch_size: int,
                       times: StageTimes | None) -> Iterator[ArticleResult]:
    """Results one by one in input order, coded by `workers` processes in tasks of a quarter batch."""
    task_size = max(1, batch_size // TASKS_PER_BATCH)
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        pending = []
        for task in _batched(articles, task_size):
            pending.append(pool.submit(_extract_task, task, actors_file))
            # keep a bounded window in flight so memory stays flat on large inputs
            while len(pending) >= workers * 2 * TASKS_PER_BATCH:
                yield from _collect(pending.pop(0), times)
        for fut in pending:
            yield from _collect(fut, times)


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
