"""Crash safety and concurrency of `tightrope extract` on a DuckDB store.

Locking approach (store.py): DuckDB lets one process open a file read-write, or many processes open
it read-only, never both. Writers therefore open the file for one batch only (one transaction:
an article and all its rows, or nothing), and readers open it read-only per query; both retry
with back-off while the other holds it (`Store._connect`, 30 s by default, then `StoreBusy`).
So a reader (or the dashboard) keeps answering during an extract, and two extracts on one file
take turns batch by batch: the second skips what the first stored, inside the transaction.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synthetic import table_rows, write_corpus

from tightrope.store import TABLES, Store

N_ARTICLES = 320
CHILD_TABLES = TABLES[1:]


def _extract(corpus: Path, db: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tightrope", "extract", str(corpus), "--db", str(db), "-q", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return Store(db, read_only=True, timeout_s=5).query("SELECT count(*) AS n FROM articles")[0]["n"]
    except Exception:  # the file may be mid-creation
        return 0


def _check_consistent(db: Path, reference: dict[str, dict[str, list]]) -> int:
    """No orphan rows, no duplicates, and every stored article has exactly its full set of rows."""
    import duckdb

    if not db.exists():  # killed before the store was created: nothing was stored, so nothing was lost
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        n, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        assert n == distinct
        for t in CHILD_TABLES:
            orphans = con.execute(
                f"SELECT count(*) FROM {t} WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
            assert orphans == 0, f"{t} has rows without their article"
        ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
        for t in CHILD_TABLES:
            got: dict[str, int] = dict(con.execute(f"SELECT article_id, count(*) FROM {t} GROUP BY 1").fetchall())
            for aid in ids:
                assert got.get(aid, 0) == reference[t].get(aid, 0), f"{t} rows of {aid} incomplete"
        seqs = [r[0] for r in con.execute("SELECT seq FROM articles ORDER BY seq").fetchall()]
        assert seqs == list(range(1, len(seqs) + 1)), "a half-written batch left a gap"
        return n
    finally:
        con.close()


def _per_article_counts(db: Path) -> dict[str, dict[str, int]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: dict(con.execute(f"SELECT article_id, count(*) FROM {t} GROUP BY 1").fetchall())
                for t in CHILD_TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reliability")
    corpus = write_corpus(tmp / "corpus.jsonl", N_ARTICLES)
    ref = tmp / "reference.duckdb"
    proc = _extract(corpus, ref)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    return corpus, ref


def test_sigkill_at_several_points_loses_nothing(tmp_path, corpus_and_reference):
    corpus, ref = corpus_and_reference
    reference = _per_article_counts(ref)
    db = tmp_path / "killed.duckdb"
    rng = random.Random(7)
    kills = 0
    # kill points: during start-up, right after the first stored batch, and at random moments
    # just after a batch lands (the next transaction is then being prepared or written)
    for threshold in (None, 1, 100, 200):
        proc = _extract(corpus, db)
        if threshold is None:
            time.sleep(0.5)
        else:
            deadline = time.monotonic() + 120
            while _stored(db) < threshold and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        _check_consistent(db, reference)
    proc = _extract(corpus, db)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    assert _check_consistent(db, reference) == N_ARTICLES
    assert table_rows(db) == table_rows(ref)  # the same rows as an uninterrupted run
    assert kills >= 3
    print(f"kills survived: {kills}, articles lost: 0, duplicated: 0")


_KILL_MID_TRANSACTION = r"""
import os, signal, sys
import tightrope.store as store
from tightrope.records import Actor, Article, ArticleResult

real = store._insert
def dying_insert(con, table, rows):
    real(con, table, rows)
    if table == "mentions":  # articles and mentions written, events/quotes/claims not yet
        os.kill(os.getpid(), signal.SIGKILL)
store._insert = dying_insert
arts = [Article(id=f"a{i}", title="t", text="France met Japan.") for i in range(int(sys.argv[2]))]
results = [ArticleResult(a, actors=[Actor("France", 0, 6)]) for a in arts]
store.Store(sys.argv[1]).add_results(results)
"""


def test_kill_inside_a_transaction_leaves_no_half_batch(tmp_path):
    db = tmp_path / "t.duckdb"
    from tightrope.records import Actor, Article, ArticleResult

    Store(db).add_results([ArticleResult(Article(id="first", title="t", text="France."),
                                         actors=[Actor("France", 0, 6)])])
    proc = subprocess.run([sys.executable, "-c", _KILL_MID_TRANSACTION, str(db), "50"])
    assert proc.returncode == -signal.SIGKILL
    counts = Store(db, read_only=True).counts()
    assert counts["articles"] == 1 and counts["mentions"] == 1  # the killed batch left nothing


_READER = r"""
import sys, time
from tightrope.store import Store
db, stop = sys.argv[1], sys.argv[2]
import os
ok = errors = 0
last = 0
while not os.path.exists(stop):
    try:
        n = Store(db, read_only=True).query("SELECT count(*) AS n FROM articles")[0]["n"]
        assert n >= last, (n, last)
        last = n
        ok += 1
    except AssertionError:
        raise
    except Exception as exc:
        errors += 1
        print(type(exc).__name__, exc, file=sys.stderr)
    time.sleep(0.02)
print(ok, errors, last)
"""


def test_reader_keeps_working_and_two_extracts_do_not_corrupt(tmp_path, corpus_and_reference):
    corpus, ref = corpus_and_reference
    db = tmp_path / "shared.duckdb"
    Store(db)  # the file exists before the reader starts
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(db), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first, second = _extract(corpus, db), _extract(corpus, db)
    rc1, rc2 = first.wait(timeout=300), second.wait(timeout=300)
    stop.touch()
    out, err = reader.communicate(timeout=60)
    for rc, proc in ((rc1, first), (rc2, second)):
        # each run either finishes or stops with a clear "busy" message, never a traceback
        msg = proc.stderr.read().decode()
        assert rc == 0 or "busy" in msg.lower(), msg
    assert rc1 == 0 or rc2 == 0
    ok, errors, last = map(int, out.split())
    assert ok > 0 and errors == 0, err
    assert _check_consistent(db, _per_article_counts(ref)) == N_ARTICLES
    assert table_rows(db, exclude=("seq",)) == table_rows(ref, exclude=("seq",))
    print(f"reader queries answered during two concurrent extracts: {ok}, failed: {errors}")
