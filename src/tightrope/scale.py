"""Scale-out on Dask: the executor that codes on a Dask cluster.

`DaskExecutor` is one of `pipeline.run_extract`'s interchangeable executors: the driver (the process that
runs `run_extract`) reads the inputs, drops articles that are already stored or seen twice, and submits
tasks of a quarter batch (`batch_size / tasks_per_batch` articles) to the cluster; each task runs
`pipeline.code_task` (the selective parse and Tightrope's components) on a Dask worker and its results
travel back to the driver, which stores them in input order, a batch per transaction, as a single-process
run does. So every table holds the same rows as after a single-process run (sequence numbers included), and
an interrupted run resumes where it stopped (stored articles are skipped). Workers need Tightrope and the
spaCy model installed, but no shared file system. At most two tasks per worker are in flight, so memory on
the driver stays flat.

address: "local" (a LocalCluster of single-threaded processes, `workers` of them, by default one per core),
"local:N" (N processes) or a scheduler address "tcp://HOST:PORT" (Slurm via dask-jobqueue, Kubernetes via
dask-kubernetes, or `dask scheduler` + `dask worker` by hand); or pass an existing `client`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from .config import Settings, SettingsError
from .pipeline import (DEFAULT_TASKS_PER_BATCH, WORKER_ENV, Outcome, StageTimes, WorkerDied, batched, code_task,
                       ignore_interrupts, task_size, worker_environment)
from .records import Article


def _local_worker_setup() -> None:
    """A worker of the LocalCluster the executor started: Ctrl-C is the driver's, and the tasks the driver
    cancels when it stops (Ctrl-C) are no news (Dask warns of each)."""
    import logging

    ignore_interrupts()
    logging.getLogger("distributed.worker.state_machine").setLevel(logging.ERROR)


class DaskExecutor:
    """Codes on a Dask cluster: the one at `address`, or `client`'s."""

    name = "dask"

    def __init__(self, address: str | None = "local", client=None, workers: int | None = None):
        if client is None and not address:
            raise SettingsError("the Dask executor needs an address ('local', 'local:N', 'tcp://HOST:PORT') or a client")
        self.address = None if client is not None else address
        self._client, self._cluster, self._own = client, None, client is None
        self.workers = None
        if self.address and self.address.startswith("local:"):
            self.workers = int(self.address.split(":", 1)[1])
        self.check(Settings(workers=workers) if workers is not None else Settings())
        if workers is not None:
            self.workers = workers

    def check(self, settings: Settings) -> None:
        workers = settings.workers
        if workers is None or workers == self.workers:
            return
        if self.address is None or not self.address.startswith("local"):
            where = f"at {self.address}" if self.address else "given by its client"
            raise SettingsError(f"workers = {workers}: a Dask cluster {where} has the workers it was started with; "
                                "size it there (workers sizes only dask = 'local')")
        if self.workers is not None:
            raise SettingsError(f"workers = {workers} contradicts a LocalCluster of {self.workers}: give one of them")

    def client(self):
        """The client, connecting (or starting the LocalCluster) on first use."""
        if self._client is None:
            from dask.distributed import Client, LocalCluster

            if self.address.startswith("local"):
                import dask

                n = self.workers or os.cpu_count() or 1
                # the workers' environment (a clean import path above all), set by each nanny before it
                # spawns a worker, restarts included; a variable the user set is left alone
                environ = {f"distributed.nanny.pre-spawn-environ.{name}": value
                           for name, value in WORKER_ENV.items() if name not in os.environ}
                with dask.config.set(environ), worker_environment(ignore_interrupts=False):
                    self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                 dashboard_address=None)
                self._client = Client(self._cluster)
                # Ctrl-C reaches the whole process group; the driver alone acts on it (see run_extract),
                # so the workers it started (restarted ones too) ignore it rather than die with tracebacks
                self._client.register_worker_callbacks(setup=_local_worker_setup)
            else:
                self._client = Client(self.address)
        return self._client

    def code(self, articles: Iterator[Article], settings: Settings,
             times: StageTimes | None = None) -> Iterator[list[Outcome]]:
        client = self.client()
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * n_workers * (settings.tasks_per_batch or DEFAULT_TASKS_PER_BATCH)
        pending: deque = deque()

        def collect() -> list[Outcome]:
            from distributed import KilledWorker

            fut = pending.popleft()
            try:
                outcomes, seconds = fut.result()
            except KilledWorker as exc:  # the task's workers died, each time it was tried
                raise WorkerDied(f"Dask workers died coding a task ({exc})") from None
            fut.release()
            if times is not None:
                times.seconds.update(seconds)
            return outcomes

        def coded() -> Iterator[Outcome]:
            for task in batched(articles, task_size(settings)):
                pending.append(client.submit(code_task, task, settings, pure=False))
                while len(pending) >= window:
                    yield from collect()
            while pending:
                yield from collect()

        try:
            yield from batched(coded(), settings.batch_size)
        finally:
            if client.status == "running":  # not after `abort`
                for fut in pending:  # the caller stopped early
                    fut.cancel()

    def abort(self) -> None:
        """Ctrl-C: close what this executor started now (running tasks are cancelled with it)."""
        self.close()

    def close(self) -> None:
        """Close the client and cluster this executor started (a client passed in stays open). Dask's
        warnings as it does so are no news: every running task it cancels (after Ctrl-C) and every worker it
        kills because it took over 4 s to close (on a busy machine) are what closing asks for, nothing is lost."""
        if self._own and self._client is not None:
            with _quiet_dask():
                self._client.close()
                if self._cluster is not None:
                    self._cluster.close()
            self._client = self._cluster = None


@contextmanager
def _quiet_dask() -> Iterator[None]:
    """distributed's loggers (some with levels of their own from its configuration) at ERROR meanwhile."""
    import logging

    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.nanny", "distributed.scheduler",
                                                     "distributed.core", "distributed.worker")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
