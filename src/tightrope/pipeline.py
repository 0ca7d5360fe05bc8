"""The main job: articles in, coded by Tightrope's spaCy components, stored in DuckDB.

* `Coder`: for one `Settings`, the selective parse (`nlp.parse_many`: only segments that may hold an actor
  or a quotation get the full parse; it is what makes the extract fast) and then the components
  `tightrope_actors`, `tightrope_events`, `tightrope_quotes` on each Doc, in order. One per process.
* `code_batch(articles, settings)`: a pure function of the articles, in any number of processes: one
  `ArticleResult` per article, or an `InputProblem` naming the article and the stage that failed on it.
* Executors code a stream of articles in input order: `InProcess`, `LocalProcesses` (spawned coding
  processes, the default) and `scale.DaskExecutor`; `make_executor(settings)` picks one.
* `run_extract(paths, db, settings)`: read the inputs, skip what is stored, code through an executor, store
  in input order; problems are counted in the summary, never raised. A run that cannot go on (Ctrl-C, a
  coding process that died, a database another process holds past `lock_timeout`) raises `RunInterrupted` or
  `RunStopped`, which carry the summary so far: every batch is one transaction, so what was stored is whole
  and a rerun resumes after it.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Protocol, Union

from .config import Settings, SettingsError
from .ingest.limits import ReadLimits
from .records import Article, ArticleResult, InputProblem

Outcome = Union[ArticleResult, InputProblem]  # what coding one article gives
STAGES = ("actors", "events", "quotes")
DEFAULT_TASKS_PER_BATCH = 4


@dataclass
class StageTimes:
    """Seconds spent in each stage (summed over articles)."""

    seconds: Counter = field(default_factory=Counter)

    def add(self, stage: str, dt: float) -> None:
        self.seconds[stage] += dt


class StageError(RuntimeError):
    """A stage failed on an article (raised by the functions that return results, not problems)."""

    def __init__(self, problem: InputProblem):
        super().__init__(str(problem))
        self.problem = problem


class WorkerDied(RuntimeError):
    """A coding process ended while it had work (killed, out of memory); the message says which and how."""


class RunStopped(RuntimeError):
    """A run ended before its input did, for a reason outside the articles (a coding process died, the
    database stayed busy). `summary`: what it did until then; what it stored is whole, and a rerun resumes."""

    def __init__(self, reason: str, summary: RunSummary):
        super().__init__(reason)
        self.reason = reason
        self.summary = summary


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) during a run: the workers are stopped at once, no batch is left half-written, and
    `summary` says what was stored; a rerun resumes."""

    def __init__(self, summary: RunSummary):
        super().__init__(f"interrupted: {summary.articles_stored:,} articles stored")
        self.summary = summary


def keep_segment(text: str) -> bool:
    """Whether a segment needs the full parse: it may hold an actor or a quotation."""
    from .actors import might_mention_actor
    from .quotes import might_hold_quote

    return might_mention_actor(text) or might_hold_quote(text)


def settings_with(settings: Settings | None, overrides: dict[str, Any]) -> Settings:
    """`settings` (else the defaults) with keyword overrides; `actors_file` is read as `user_dictionary`."""
    overrides = dict(overrides)
    if "actors_file" in overrides:
        overrides.setdefault("user_dictionary", overrides.pop("actors_file"))
    unknown = set(overrides) - set(Settings.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return (settings or Settings()).replace(**overrides)


class Coder:
    """The selective parse and Tightrope's components for one `Settings` (their data loaded once)."""

    def __init__(self, settings: Settings):
        from .actors.component import ActorsComponent
        from .events.component import EventsComponent
        from .quotes.component import QuotesComponent

        self.settings = settings
        self.components = (
            # no actor spans: the results are read from doc._.actors, and a Span per actor costs 2 µs
            ("actors", ActorsComponent("tightrope_actors", settings.component_data("actors"),
                                       settings.user_dictionary, spans_key=None)),
            ("events", EventsComponent("tightrope_events", settings.component_data("events"), settings.typer,
                                       settings.min_confidence)),
            ("quotes", QuotesComponent("tightrope_quotes", settings.component_data("quotes"))),
        )
        # every component's data now, so that a bad data file is one error before any article is coded
        lexicon, _, quote_rules = (component.rules() for _, component in self.components)
        # which segments get the full parse: those that may hold an actor (a user's names included) or a quote

        def keep(text: str) -> bool:
            return lexicon.might_mention(text) or quote_rules.might_hold(text)

        self.keep = keep if settings.selective_parse else None

    def parse(self, articles: list[Article]) -> list:
        """One Doc per article (or an InputProblem where parsing that article failed)."""
        from .nlp import ModelMissing, parse_many

        s = self.settings
        texts = [a.text for a in articles]
        keep = self.keep
        windowed_ner = s.selective_parse and not s.full_ner
        try:
            return list(parse_many(texts, keep=keep, windowed_ner=windowed_ner))
        except ModelMissing:
            raise  # no article could be parsed: one error, not a problem per article
        except Exception:  # noqa: BLE001 - find the article it failed on: parse each alone
            docs = []
            for article, text in zip(articles, texts):
                try:
                    docs.append(next(parse_many([text], keep=keep, windowed_ner=windowed_ner)))
                except Exception as exc:  # noqa: BLE001 - reported as a problem naming the article
                    docs.append(InputProblem.stage_failed(article, "nlp", exc))
            return docs

    def code_doc(self, doc, article: Article, times: StageTimes | None = None) -> Outcome:
        """Run the components on one parsed Doc; a stage that raises gives a problem naming it."""
        doc._.article = article
        for stage, component in self.components:
            t = time.perf_counter()
            try:
                component(doc)
            except Exception as exc:  # noqa: BLE001 - a bug on one article must not take the batch down
                return InputProblem.stage_failed(article, stage, exc)
            finally:
                if times is not None:
                    times.add(stage, time.perf_counter() - t)
        return ArticleResult.from_doc(doc)

    def code(self, articles: list[Article], times: StageTimes | None = None) -> list[Outcome]:
        t0 = time.perf_counter()
        docs = self.parse(articles)
        if times is not None:
            times.add("nlp", time.perf_counter() - t0)
        return [doc if isinstance(doc, InputProblem) else self.code_doc(doc, article, times)
                for article, doc in zip(articles, docs)]


_coders: dict[tuple, Coder] = {}


def coder_for(settings: Settings) -> Coder:
    """This process's `Coder` for these settings (made on first use)."""
    key = settings.coding_key()
    coder = _coders.get(key)
    if coder is None:
        coder = _coders[key] = Coder(settings)
    return coder


def code_batch(articles: list[Article], settings: Settings | None = None,
               times: StageTimes | None = None) -> list[Outcome]:
    """Parse → actors → events → quotes over a batch of articles, in order: an `ArticleResult` per article, or
    an `InputProblem` naming the article and the stage that failed on it."""
    if not articles:
        return []
    return coder_for(settings or Settings()).code(list(articles), times)


def extract_results(articles: list[Article], settings: Settings | None = None, times: StageTimes | None = None,
                    **overrides: Any) -> list[ArticleResult]:
    """The results of `code_batch`; a stage that failed on an article raises `StageError` naming it."""
    results = []
    for outcome in code_batch(articles, settings_with(settings, overrides), times):
        if isinstance(outcome, InputProblem):
            raise StageError(outcome)
        results.append(outcome)
    return results


def batched(items: Iterable, n: int) -> Iterator[list]:
    """Lists of `n` items (the last one shorter) in order."""
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def task_size(settings: Settings) -> int:
    """Articles per task when a batch is shared out: a quarter batch by default."""
    return max(1, settings.batch_size // (settings.tasks_per_batch or DEFAULT_TASKS_PER_BATCH))


# -- executors -------------------------------------------------------------------------------------------

class Executor(Protocol):
    """Codes a stream of articles: batches of at most `settings.batch_size` outcomes, in input order."""

    name: str

    def check(self, settings: Settings) -> None:
        """Raise `SettingsError` for a setting this executor cannot honour (before anything is coded)."""

    def code(self, articles: Iterator[Article], settings: Settings,
             times: StageTimes | None = None) -> Iterator[list[Outcome]]: ...

    def close(self) -> None: ...

    def abort(self) -> None:
        """Stop coding now (the run was interrupted): drop work in flight rather than wait for it."""


class InProcess:
    """Everything in the calling process, a batch at a time."""

    name = "inprocess"

    def check(self, settings: Settings) -> None:
        if settings.tasks_per_batch is not None:
            raise SettingsError("tasks_per_batch: the in-process executor codes whole batches")
        if (settings.workers or 1) != 1:
            raise SettingsError(f"workers = {settings.workers}: the in-process executor codes in one process")

    def code(self, articles: Iterator[Article], settings: Settings,
             times: StageTimes | None = None) -> Iterator[list[Outcome]]:
        for batch in batched(articles, settings.batch_size):
            yield code_batch(batch, settings, times)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class LocalProcesses:
    """`workers` spawned coding processes on this machine (see `worker_pool`); the calling process reads and
    stores. An input of less than one batch is coded in the calling process: starting a worker (2–3 s) would
    cost more than it saves; either way the results are the same. Workers take tasks of a quarter batch, so
    that the last batches of a run are shared out evenly instead of leaving one worker idle while another
    codes a whole batch; results are regrouped into batches of `batch_size` for the store."""

    name = "processes"

    def __init__(self, workers: int = 1):
        self.workers = max(1, workers)

    def check(self, settings: Settings) -> None:
        if settings.workers is not None and settings.workers != self.workers:
            raise SettingsError(f"workers = {settings.workers}, but the executor given has {self.workers} processes")

    def code(self, articles: Iterator[Article], settings: Settings,
             times: StageTimes | None = None) -> Iterator[list[Outcome]]:
        articles = iter(articles)
        first = list(islice(articles, settings.batch_size))
        if codes_here(len(first), settings.batch_size):
            if first:
                yield code_batch(first, settings, times)
            return
        coded = _coded_in_parallel(chain(first, articles), self.workers, settings, times)
        yield from batched(coded, settings.batch_size)

    def close(self) -> None:
        pass  # the pool is kept for the next run (see `worker_pool`)

    def abort(self) -> None:
        """Stop the workers now, their tasks unfinished (Ctrl-C): waiting for them could take a batch's time."""
        shutdown_workers(wait=False)


def codes_here(n_articles: int, batch_size: int = Settings.batch_size) -> bool:
    """Whether `LocalProcesses` codes an input of `n_articles` in the calling process (less than one batch)
    rather than in worker processes."""
    return n_articles < batch_size


def make_executor(settings: Settings, client=None) -> Executor:
    """The executor `settings` ask for (`client`: an existing Dask client, for the Dask executor)."""
    if client is not None or settings.executor_name == "dask":
        from .scale import DaskExecutor

        return DaskExecutor(settings.dask, client=client, workers=settings.workers)
    if settings.executor_name == "inprocess":
        return InProcess()
    return LocalProcesses(settings.workers or 1)


# The environment a coding process starts in (a variable the user set is left alone):
# - numpy's BLAS on the calling thread only, read when numpy is first imported: without that, OpenBLAS starts
#   a thread per core at import, which both fights the other workers for the cores and makes the process
#   multi-threaded for good (see `worker_pool`);
# - PYTHONSAFEPATH: a spawned process runs `python -c ...`, which would put the working directory first on
#   its import path, so a `select.py` there would be imported in place of the standard library's.
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONSAFEPATH": "1"}


@contextmanager
def worker_environment(ignore_interrupts: bool = True) -> Iterator[None]:
    """Processes started inside this context get `WORKER_ENV`, and (`ignore_interrupts`) start with Ctrl-C
    ignored: the terminal sends SIGINT to the whole process group, and the calling process alone decides what
    an interrupt does (see `run_extract`); a worker that took it would die with a traceback of its own. (An
    ignored signal is the one disposition a spawned process inherits; the calling process ignores Ctrl-C for
    as long as the context lasts, so keep it to the starting of processes.) multiprocessing's resource
    tracker, a process started with the first pool or queue, is started here too, so that it gets the clean
    import path as well."""
    from multiprocessing import resource_tracker

    added = {name: value for name, value in WORKER_ENV.items() if name not in os.environ}
    os.environ.update(added)
    in_main = ignore_interrupts and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None
    try:
        resource_tracker.ensure_running()
        yield
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
        for name in added:
            os.environ.pop(name, None)


def ignore_interrupts() -> None:
    """In a coding process: leave Ctrl-C to the process that started it."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_init(settings: Settings, parent_pid: int) -> None:
    """End with the parent, leave Ctrl-C to it; load the model and every table the stages load on first use
    (by coding one sentence) before the first task arrives."""
    from .ingest import make_article

    ignore_interrupts()  # started with it ignored too (worker_environment), unless started elsewhere
    _end_with_parent(parent_pid)
    try:
        code_batch([make_article("The minister said on Monday that Ruritania would talk to Freedonia.", "warm-up")],
                   settings)
    except Exception:  # noqa: BLE001 - not lost: the first task meets the same error and sends it, message and
        pass           # all, to the caller (an initializer that raises only breaks the pool, saying nothing)


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


def _coded_in_parallel(articles: Iterable[Article], workers: int, settings: Settings,
                       times: StageTimes | None) -> Iterator[Outcome]:
    """Outcomes one by one in input order, coded by `workers` processes in tasks of a quarter batch."""
    tasks_per_batch = settings.tasks_per_batch or DEFAULT_TASKS_PER_BATCH
    pool = worker_pool(workers, settings)
    pending: list = []
    try:
        for task in batched(articles, task_size(settings)):
            pending.append(pool.submit(code_task, task, settings))
            # keep a bounded window in flight so memory stays flat on large inputs
            while len(pending) >= workers * 2 * tasks_per_batch:
                yield from _collect(pending.pop(0), times)
        while pending:
            yield from _collect(pending.pop(0), times)
    except BrokenProcessPool:
        died = _dead_worker(pool)
        shutdown_workers()  # a worker died (killed, out of memory): start afresh next time
        raise WorkerDied(died) from None
    finally:
        for fut in pending:  # the caller stopped early: drop what it will not read
            fut.cancel()


def _dead_worker(pool: ProcessPoolExecutor) -> str:
    """Which worker of a broken pool died, and how: 'a coding process (pid 123) was killed by SIGKILL'."""
    # The pool stops the others with SIGTERM once it notices a death (a SIGTERM is the cause only when alone)
    # and reaps them in its own thread, which may be doing so right now: wait for every exit code.
    processes = _kept_processes.get(id(pool), [])
    deadline = time.monotonic() + 5
    while any(p.exitcode is None for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    ended = [(p.pid, p.exitcode) for p in processes if p.exitcode is not None]
    ended.sort(key=lambda e: e[1] == -signal.SIGTERM)
    if not ended:
        return "a coding process died"
    pid, code = ended[0]
    if code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
        if code == -signal.SIGKILL:
            how += " (by hand, or by the kernel when memory ran out)"
    else:
        how = f"exited with status {code}"
    return f"a coding process (pid {pid}) {how}"


# The one pool kept between runs: ((workers, coding settings), pool), and its processes by id(pool), whose
# exit codes say how a worker died (the pool keeps them in a private attribute).
_kept_pool: tuple[tuple[int, tuple], ProcessPoolExecutor] | None = None
_kept_processes: dict[int, list] = {}


def worker_pool(workers: int, settings: Settings | None = None) -> ProcessPoolExecutor:
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
    settings = settings or Settings()
    key = (workers, settings.coding_key())
    if _kept_pool is not None and _kept_pool[0] == key:
        return _kept_pool[1]
    shutdown_workers()
    # a spawn pool starts a process per submit while none is idle (and multiprocessing's resource tracker, a
    # process too, with its first queue): start them all while the environment is set, then wait (Ctrl-C
    # heard again) until each has loaded the model
    with worker_environment():
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(settings, os.getpid()))
        started = [pool.submit(os.getpid) for _ in range(workers)]
    _kept_pool = (key, pool)
    _kept_processes[id(pool)] = list(getattr(pool, "_processes", {}).values())
    try:
        for fut in started:
            fut.result()
    except BrokenProcessPool:
        died = _dead_worker(pool)
        shutdown_workers(wait=False)
        raise WorkerDied(f"{died} while starting") from None
    except BaseException:
        shutdown_workers(wait=False)
        raise
    return pool


def shutdown_workers(wait: bool = True) -> None:
    """Stop the worker processes that `LocalProcesses` keeps between runs: after their current tasks, or
    with `wait=False` at once (SIGTERM; Ctrl-C, where a task may take a quarter batch's time to finish)."""
    global _kept_pool
    if _kept_pool is not None:
        pool, _kept_pool = _kept_pool[1], None
        processes = _kept_processes.pop(id(pool), [])
        if not wait:
            for process in processes:
                if process.exitcode is None:
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


# At exit: atexit for a main program; multiprocessing's own exit hook for a process it started (a bench run, a
# Dask or pool worker), which skips atexit and waits on every child process first, ours included, for ever.
atexit.register(shutdown_workers)
multiprocessing.util.Finalize(None, shutdown_workers, exitpriority=100)


def code_task(articles: list[Article], settings: Settings) -> tuple[list[Outcome], Counter]:
    """One task of a worker process or a Dask worker: the outcomes and the seconds spent in each stage."""
    times = StageTimes()
    return code_batch(articles, settings, times), times.seconds


def _collect(future, times: StageTimes | None) -> list[Outcome]:
    outcomes, seconds = future.result()
    if times is not None:
        times.seconds.update(seconds)
    return outcomes


# -- streams and runs -------------------------------------------------------------------------------------

def extract_stream(
    articles: Iterable[Article], settings: Settings | None = None, *, times: StageTimes | None = None,
    on_problem: Callable[[InputProblem], None] | None = None, executor: Executor | str | None = None,
    **overrides: Any,
) -> Iterator[list[ArticleResult]]:
    """Batches of results in input order, coded by the executor the settings ask for (`overrides`: settings
    by keyword, e.g. `workers=2`). An article a stage failed on goes to `on_problem`; without one, it raises
    `StageError`."""
    if isinstance(executor, str):  # a name: the setting
        executor, overrides = None, {**overrides, "executor": executor}
    settings = settings_with(settings, overrides)
    settings.check_files()
    executor = executor or make_executor(settings)
    executor.check(settings)
    try:
        for outcomes in executor.code(iter(articles), settings, times):
            results = []
            for outcome in outcomes:
                if isinstance(outcome, InputProblem):
                    if on_problem is None:
                        raise StageError(outcome)
                    on_problem(outcome)
                else:
                    results.append(outcome)
            yield results
    except KeyboardInterrupt:
        executor.abort()  # not close, which waits for the work in flight
        raise
    finally:
        executor.close()


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

    @property
    def stage_failures(self) -> list[InputProblem]:
        """Articles a stage failed on (not stored, so a rerun tries them again)."""
        return [p for p in self.problems if p.stage]


def new_articles(
    paths: Iterable[str | Path], fields, limits: ReadLimits | int | None, store, summary: RunSummary,
    on_problem: Callable[[InputProblem], None] | None = None,
) -> Iterator[Article]:
    """Articles read from paths (under `limits`, or a bare --max-chars) that are neither repeated in the
    input nor already stored.

    Problems, repeats and already-stored articles are counted in `summary` as they pass.
    """
    from .ingest import read_paths
    from .ingest.limits import as_limits

    seen: set[str] = set()
    for batch in batched(read_paths(paths, fields, limits=as_limits(limits)), 256):
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
    settings: Settings | None = None,
    *,
    fields=None,
    executor: Executor | str | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    on_results: Callable[[list[ArticleResult]], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    **overrides: Any,
) -> RunSummary:
    """Read paths, code new articles through an executor, store them in input order.

    `settings` (else the defaults) with `overrides` by keyword (`workers=2`, `limit=100`, `dask="local"`,
    ...); `executor` is an executor's name (the setting) or an executor that replaces the one the settings ask
    for (e.g. `scale.DaskExecutor(client=...)`). Problems
    (bad inputs, and articles a stage failed on, which are not stored) are reported to `on_problem` and
    counted in the summary, never raised.
    """
    from .store import Store, StoreBusy

    if isinstance(executor, str):  # a name: the setting
        executor, overrides = None, {**overrides, "executor": executor}
    settings = settings_with(settings, overrides)
    settings.check_files()
    started = time.perf_counter()
    summary = RunSummary()
    executor = executor or make_executor(settings)
    executor.check(settings)
    store = Store(db, timeout_s=settings.lock_timeout)
    times = StageTimes()

    def problem(p: InputProblem) -> None:
        summary.problems.append(p)
        if on_problem:
            on_problem(p)
        if on_progress:
            on_progress(1)

    articles = new_articles(paths, fields, settings.read_limits(), store, summary, on_problem)
    if settings.limit is not None:
        articles = islice(articles, settings.limit)
    stream = extract_stream(articles, settings, times=times, on_problem=problem, executor=executor)
    try:
        for results in stream:
            with interrupts_deferred():  # a batch and its count go together
                summary.articles_stored += store.add_results(results)
                for r in results:
                    summary.counts.update(
                        actors=len(r.actors), events=len(r.events), quotes=len(r.quotes), claims=len(r.claims)
                    )
            if on_results:
                on_results(results)
            if on_progress:
                on_progress(len(results))
    except KeyboardInterrupt:
        executor.abort()  # the workers stopped now, before the stream's end cancels what they had queued
        raise RunInterrupted(_finished(summary, started, times)) from None
    except (WorkerDied, StoreBusy) as exc:
        raise RunStopped(str(exc), _finished(summary, started, times)) from exc
    finally:
        stream.close()
    return _finished(summary, started, times)


def _finished(summary: RunSummary, started: float, times: StageTimes) -> RunSummary:
    summary.seconds = time.perf_counter() - started
    summary.stage_seconds = dict(times.seconds)
    return summary


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C inside this block takes effect at its end (a store write, which is whole or rolled back
    anyway, and the count of what it stored, which must agree with it). Outside the main thread, where no
    signal arrives, a no-op."""
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    heard: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: heard.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if heard:
        raise KeyboardInterrupt
