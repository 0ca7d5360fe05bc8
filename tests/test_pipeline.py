"""extract_stream and its worker processes: the same results, in input order, in store-sized batches."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from synthetic import write_corpus

from tightrope import pipeline
from tightrope.ingest import read_paths
from tightrope.pipeline import StageTimes, extract_results, extract_stream, shutdown_workers, worker_pool
from tightrope.records import Article


def test_workers_give_the_same_results_in_order_and_full_batches(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 22)
    articles = [a for a in read_paths([corpus]) if isinstance(a, Article)]
    one = [r for batch in extract_stream(articles, workers=1, batch_size=8) for r in batch]
    times = StageTimes()
    batches = list(extract_stream(articles, workers=2, batch_size=8, times=times))
    # tasks of 2 articles are regrouped into batches of 8 (one transaction each), the rest last
    assert [len(b) for b in batches] == [8, 8, 6]
    two = [r for batch in batches for r in batch]
    assert [r.article.id for r in two] == [a.id for a in articles]
    assert [r.to_dict() for r in two] == [r.to_dict() for r in one]
    # the workers' stage times reach the caller
    assert times.seconds["nlp"] > 0 and times.seconds["quotes"] > 0


def test_one_worker_codes_in_a_kept_spawned_process_and_small_inputs_here(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 10)
    articles = [a for a in read_paths([corpus]) if isinstance(a, Article)]
    here = [r.to_dict() for r in extract_results(articles)]
    shutdown_workers()
    # less than a batch: coded in this process, no worker started
    small = [r.to_dict() for batch in extract_stream(articles, workers=1, batch_size=64) for r in batch]
    assert small == here and pipeline._kept_pool is None
    # more: one spawned worker codes, kept for the next run with the same settings
    coded = [r.to_dict() for batch in extract_stream(articles, workers=1, batch_size=4) for r in batch]
    assert coded == here
    pool = worker_pool(1)
    pids = [p.pid for p in pool._processes.values()]
    assert len(pids) == 1 and pids[0] != os.getpid()
    again = [r.to_dict() for batch in extract_stream(articles, workers=1, batch_size=4) for r in batch]
    assert again == here and worker_pool(1) is pool
    shutdown_workers()
    assert pipeline._kept_pool is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_workers_end_when_their_parent_is_killed():
    script = "from tightrope.pipeline import worker_pool\n" \
             "if __name__ == '__main__':\n" \
             "    pool = worker_pool(2)\n" \
             "    print(*[p.pid for p in pool._processes.values()], flush=True)\n" \
             "    import time; time.sleep(120)\n"
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped by init, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
