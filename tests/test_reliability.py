"""Crash safety and concurrency of `tightrope extract` on a DuckDB store.

Locking approach (store.py): DuckDB lets one process open a file read-write, or many processes open
it read-only, never both. Writers therefore open the file for one batch only (one transaction:
an article and all its rows, or nothing), and readers open it read-only per query; both retry
with back-off while the other holds it (`Store._connect`, then `StoreBusy`: an extract waits `lock_timeout`,
10 s by default, and then ends with one line naming the process that holds the file).
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

from tightrope.bench.reliability import burst
from tightrope.store import TABLES, Store

N_ARTICLES = 320
N_LONG = 960  # the worker tests: a run long enough that it is still coding when it is caught
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


def _corpus_with_reference(tmp: Path, n: int) -> tuple[Path, Path]:
    """n synthetic articles and the store an uninterrupted run makes of them."""
    corpus = write_corpus(tmp / "corpus.jsonl", n)
    ref = tmp / "reference.duckdb"
    proc = _extract(corpus, ref)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    return corpus, ref


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    return _corpus_with_reference(tmp_path_factory.mktemp("reliability"), N_ARTICLES)


@pytest.fixture(scope="module")
def long_corpus_and_reference(tmp_path_factory):
    return _corpus_with_reference(tmp_path_factory.mktemp("reliability_long"), N_LONG)


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
    """Two extracts on one file take turns batch by batch while a reader queries it every 20 ms: both finish
    (a database another process holds is waited for, not refused), neither says a word (-q), and every article
    is stored once with the rows of a run alone."""
    corpus, ref = corpus_and_reference
    db = tmp_path / "shared.duckdb"
    Store(db)  # the file exists before the reader starts
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(db), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first, second = _extract(corpus, db), _extract(corpus, db)
    rc1, rc2 = first.wait(timeout=600), second.wait(timeout=600)
    stop.touch()
    out, err = reader.communicate(timeout=60)
    for rc, proc in ((rc1, first), (rc2, second)):
        msg = proc.stderr.read().decode()
        assert rc == 0 and msg == "", msg
    ok, errors, last = map(int, out.split())
    assert ok > 0 and errors == 0, err
    assert _check_consistent(db, _per_article_counts(ref)) == N_ARTICLES
    assert table_rows(db, exclude=("seq",)) == table_rows(ref, exclude=("seq",))
    print(f"reader queries answered during two concurrent extracts: {ok}, failed: {errors}")


def _tightrope() -> list[str]:
    """The console script as a user runs it (`python -m` would put the working directory on the main
    process's import path as well, which the script does not)."""
    script = Path(sys.executable).with_name("tightrope")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tightrope"]


def _run_in_terminal(args: list[str], cwd: Path | None = None) -> subprocess.Popen:
    """`tightrope ARGS` in a process group of its own, with Ctrl-C's default action (as a shell's
    foreground job: a background job would start with SIGINT ignored)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "COLUMNS": "200"}
    return subprocess.Popen([*_tightrope(), *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_a_stored_batch(db: Path, proc: subprocess.Popen) -> int:
    deadline = time.monotonic() + 300
    while (n := _stored(db)) == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no batch stored in 300 s"
        time.sleep(0.1)
    return n


def _workers_of(pid: int) -> list[int]:
    """The coding processes a run started (not multiprocessing's resource tracker)."""
    import psutil

    return [c.pid for c in psutil.Process(pid).children()
            if "spawn_main" in " ".join(c.cmdline())]


def _caught_mid_run(db: Path, proc: subprocess.Popen) -> list[int]:
    """Wait for the run's first stored batch, then stop (SIGSTOP) its main process so that it cannot finish
    while the test acts, and return its coding processes. (A run of a few seconds could otherwise end between
    seeing a stored batch and looking for its workers: a reader only gets the file between two writes.)"""
    _wait_for_a_stored_batch(db, proc)
    os.kill(proc.pid, signal.SIGSTOP)
    deadline = time.monotonic() + 60
    while len(workers := _workers_of(proc.pid)) < 2:
        assert time.monotonic() < deadline, f"workers seen: {workers}"
        time.sleep(0.1)
    return workers


def _two_worker_run(db: Path, corpus: Path) -> subprocess.Popen:
    """`tightrope extract` of `corpus` into `db` with 2 coding processes and small batches, as from a terminal."""
    return _run_in_terminal(["extract", str(corpus), "--db", str(db), "--workers", "2", "--batch-size", "16", "-q"])


def _resumes_to_the_reference(corpus: Path, db: Path, ref: Path, reference: dict) -> None:
    """A rerun stores the rest: every article once, the same rows as an uninterrupted run."""
    rerun = _extract(corpus, db)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read().decode()
    assert _check_consistent(db, reference) == N_LONG
    assert table_rows(db) == table_rows(ref)


@pytest.mark.slow
def test_a_killed_worker_ends_the_run_in_one_line_and_a_rerun_resumes(tmp_path, long_corpus_and_reference):
    """Issue 21: a coding worker killed mid-run ended the run with a 55-line BrokenProcessPool traceback."""
    corpus, ref = long_corpus_and_reference
    reference = _per_article_counts(ref)
    db = tmp_path / "w.duckdb"
    proc = _two_worker_run(db, corpus)
    victim = _caught_mid_run(db, proc)[-1]
    os.kill(victim, signal.SIGKILL)
    os.kill(proc.pid, signal.SIGCONT)
    out, err = proc.communicate(timeout=300)
    stored = _check_consistent(db, reference)
    assert proc.returncode == 1 and stored < N_LONG
    assert err.splitlines() == [
        f"error: a coding process (pid {victim}) was killed by SIGKILL (by hand, or by the kernel when memory ran "
        f"out); {stored} articles stored; run again to resume"], err
    _resumes_to_the_reference(corpus, db, ref, reference)


@pytest.mark.slow
def test_ctrl_c_ends_the_run_in_one_line_with_the_workers_and_a_rerun_resumes(tmp_path, long_corpus_and_reference):
    """Issue 21: Ctrl-C went on for 20-27 s (the workers finishing their tasks) and said nothing."""
    import psutil

    corpus, ref = long_corpus_and_reference
    reference = _per_article_counts(ref)
    db = tmp_path / "i.duckdb"
    proc = _two_worker_run(db, corpus)
    workers = [psutil.Process(pid) for pid in _caught_mid_run(db, proc)]
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGCONT)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole group, workers included
    out, err = proc.communicate(timeout=300)
    stored = _check_consistent(db, reference)
    assert proc.returncode == 130 and 0 < stored < N_LONG
    # the count said is the count stored: a batch being written when Ctrl-C came is finished and counted
    assert err.splitlines() == [f"interrupted: {stored} articles stored; run again to resume"], err
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
    _resumes_to_the_reference(corpus, db, ref, reference)


@pytest.mark.slow
@pytest.mark.parametrize("executor", [["--workers", "2"], ["--dask", "local:2"]], ids=["processes", "dask"])
def test_a_module_named_like_the_standard_library_in_the_working_directory_is_not_imported(tmp_path, executor):
    """Issue 21: spawned workers ran `python -c ...`, which puts the working directory first on the import
    path: a select.py there killed every worker (BrokenProcessPool, nothing stored)."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    (cwd / "select.py").write_text("raise SystemExit('the select.py of the working directory was imported')\n")
    corpus = write_corpus(tmp_path / "corpus.jsonl", 40)
    proc = _run_in_terminal(["extract", str(corpus), "--db", "s.duckdb", *executor, "--batch-size", "8",
                             "--limit", "24", "-q"], cwd=cwd)
    out, err = proc.communicate(timeout=600)
    assert (proc.returncode, err) == (0, "")
    assert Store(cwd / "s.duckdb", read_only=True).counts()["articles"] == 24


_HOLDER = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(300)
"""


def test_a_database_held_past_the_lock_timeout_is_one_line_naming_the_holder(tmp_path):
    """Issue 20/21: a database held open elsewhere ended in a 45-line traceback after 30 silent seconds. The
    run waits `lock_timeout` for its turn, then says who holds the file."""
    db = tmp_path / "held.duckdb"
    Store(db)
    corpus = write_corpus(tmp_path / "corpus.jsonl", 3)
    cfg = tmp_path / "t.toml"
    cfg.write_text("[run]\nlock_timeout = 1\n", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = _cli("extract", str(corpus), "--db", str(db), "--config", str(cfg))
    finally:
        holder.kill()
        holder.wait()
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {db}: the database is in use by process {holder.pid} (")
    assert lines[0].endswith("(waited 1 s, lock_timeout); wait for it to finish or give another --db")
    assert Store(db, read_only=True).counts()["articles"] == 0  # and the file is left as it was


@pytest.mark.parametrize("kind", ["folder", "missing folder", "not a database"])
def test_a_database_path_that_cannot_be_written_is_one_line_at_once(tmp_path, kind):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 2)
    db = {"folder": tmp_path, "missing folder": tmp_path / "no" / "x.duckdb",
          "not a database": tmp_path / "garbage.duckdb"}[kind]
    if kind == "not a database":
        db.write_bytes(random.Random(5).randbytes(50_000))
    proc = _cli("extract", str(corpus), "--db", str(db))
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith(f"error: {db}: "), proc.stderr
    expected = {"folder": "is a folder, not a database file", "missing folder": "does not exist",
                "not a database": "is not a valid DuckDB database file"}[kind]
    assert expected in lines[0]


# --- issue 21: messages are plain text, one line per problem ---------------------------------------------

def test_problem_lines_are_plain_text_one_line_each():
    import io

    from rich.console import Console

    from tightrope.cli.messages import plain, print_problem
    from tightrope.records import InputProblem

    hostile = [
        InputProblem("feed.warc:3 (https://x.example/[/quote]/a)", "no article [bold]text[/]"),
        InputProblem("a\nskipped forged.txt", "empty file"),
        InputProblem("\x1b[31mred\x1b[0m.txt\u202e", "bad\rname\x9b2J :smile:"),
    ]
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False, width=40)
    for problem in hostile:
        print_problem(console, problem)
    lines = buf.getvalue().splitlines()
    assert lines == [
        "skipped feed.warc:3 (https://x.example/[/quote]/a): no article [bold]text[/]",
        "skipped a\\nskipped forged.txt: empty file",
        "skipped \\x1b[31mred\\x1b[0m.txt\\u202e: bad\\rname\\x9b2J :smile:",
    ]
    assert "\x1b" not in buf.getvalue() and "\x9b" not in buf.getvalue()
    assert plain("Café – ok\u00a0here") == "Café – ok\u00a0here"  # ordinary text untouched


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "tightrope", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def test_markup_and_control_characters_in_input_names_never_stop_a_run(tmp_path):
    """A CSV header and a file name holding '[/quote]', a name with a newline and one with an ANSI escape:
    the run goes on to the good file after them, and each problem is exactly one stderr line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_text("x,[/quote]\n1,2\n")
    (folder / "b\nskipped forged.txt").write_bytes(b"")
    (folder / "c\x1b[2J.txt").write_bytes(b"")
    (folder / "d.txt").write_text("Talks\n\nFrance and Germany signed a trade agreement in Berlin on Sunday, "
                                  "officials said after the talks.\n")
    db = tmp_path / "m.duckdb"
    proc = _cli("extract", str(folder), "--text-field", "body", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert Store(db, read_only=True).counts()["articles"] == 1  # d.txt, read after the hostile names
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        f"skipped {folder}/a.csv: no column 'body' (--text-field); columns are: x, [/quote]",
        f"skipped {folder}/b\\nskipped forged.txt: empty file",
        f"skipped {folder}/c\\x1b[2J.txt: empty file",
    ]
    assert "\x1b" not in proc.stderr and "Traceback" not in proc.stderr


# --- issue 21: the highlighter is linear in the article ------------------------------------------------

def _reference_highlight(text, actors=(), events=(), quotes=(), anchor_prefix="e"):
    """The highlighter as it was (it compared every cut with every span): the output to keep."""
    from markupsafe import Markup, escape

    n = len(text)
    spans, ev_of, anchors, q_anchors = [], {}, {}, {}

    def ok(s, e):
        return s is not None and e is not None and 0 <= s < e <= n

    for a in actors:
        if ok(a.start, a.end):
            spans.append((a.start, a.end, "actor", a.code or a.country or a.name or ""))
    for i, q in enumerate(quotes):
        if ok(q.start, q.end):
            spans.append((q.start, q.end, "quote", "quote"))
            q_anchors.setdefault(q.start, []).append(i)
    for i, e in enumerate(events):
        if ok(e.start, e.end):
            if (e.start, e.end) not in ev_of:
                spans.append((e.start, e.end, "event", e.type))
            ev_of.setdefault((e.start, e.end), []).append(i)
            anchors.setdefault(e.start, []).append(i)
        if ok(e.trigger_start, e.trigger_end):
            spans.append((e.trigger_start, e.trigger_end, "trigger", e.type))
    cuts = sorted({0, n, *[s for s, _, _, _ in spans], *[e for _, e, _, _ in spans]})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        for i in anchors.get(lo, []):
            out.append(f'<span class="anchor" id="{anchor_prefix}{i}"></span>')
        for i in q_anchors.get(lo, []):
            out.append(f'<span class="anchor" id="q{i}"></span>')
        piece = escape(text[lo:hi])
        cover = [sp for sp in spans if sp[0] <= lo and hi <= sp[1]]
        if not cover:
            out.append(str(piece).replace("\n", "<br>"))
            continue
        classes = " ".join(sorted({c for _, _, c, _ in cover}))
        titles = "; ".join(dict.fromkeys(t for _, _, c, t in cover if t and c in ("actor", "event")))
        evs = sorted({i for s, e, c, _ in cover if c == "event" for i in ev_of.get((s, e), [])})
        data = f' data-e=" {" ".join(map(str, evs))} "' if evs else ""
        out.append(f'<span class="{classes}" title="{escape(titles)}"{data}>{str(piece).replace(chr(10), "<br>")}</span>')
    return Markup("".join(out))


def _random_spans(rng: random.Random, n: int, count: int):
    from tightrope.records import Actor, Event, Quote

    def span(longest: int):
        s = rng.randrange(-2, n)
        return s, s + rng.randrange(0, longest)

    actors = [Actor(rng.choice(["France", "<b>", "Kenya & co", ""]), *span(30), code=rng.choice([None, "FRA", "K\"E"]))
              for _ in range(count)]
    events = []
    for _ in range(count):
        s, e = span(300)
        ts = rng.randrange(s, e + 1) if e > s else s
        events.append(Event(source=None, target=None, type=rng.choice(["AGREE", "ASSAULT", ""]), sentence="s",
                            trigger="t", start=s, end=e,
                            trigger_start=rng.choice([ts, None]), trigger_end=ts + rng.randrange(0, 9)))
    events += events[: count // 4]  # events sharing a sentence
    quotes = [Quote(text="q", direct=True, cue=None, speaker=None, start=s, end=e) for s, e in (span(400) for _ in range(count // 3))]
    return actors, events, quotes


def test_highlight_gives_the_same_html_as_before():
    from tightrope.web.highlight import highlight

    rng = random.Random(21)
    for trial in range(60):
        n = rng.randrange(1, 3000)
        text = "".join(rng.choice("ab <&\"\n'é") for _ in range(n))
        actors, events, quotes = _random_spans(rng, n, rng.randrange(0, 40))
        assert highlight(text, actors, events, quotes) == _reference_highlight(text, actors, events, quotes), trial


def _lines_executed(function, *args) -> int:
    """How many lines of web/highlight.py run for one call: a count of work that no machine load changes."""
    import tightrope.web.highlight as module

    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != module.__file__:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def test_highlight_work_grows_linearly_with_the_article():
    from tightrope.records import Actor
    from tightrope.web.highlight import highlight

    def article(k: int):
        text = "France met Kenya. " * (k * 10)
        actors = [Actor("France", i * 18, i * 18 + 6, code="FRA") for i in range(k * 10)]
        return text, actors

    small, large = (_lines_executed(highlight, *article(k)) for k in (40, 160))
    assert large < 4.6 * small, (small, large)  # 4x the article: ~4x the work (the old code did ~16x)


# --- issue 21: the dashboard server: Host allow-list, headers on every response, a queue not 503s --------

def _tiny_db(path: Path) -> Path:
    from tightrope.records import Actor, Article, ArticleResult

    Store(path).add_results([ArticleResult(Article(id=f"a{i}", title="t", text="France met Japan."),
                                           actors=[Actor("France", 0, 6)]) for i in range(3)])
    return path


def _header_names(response) -> set[str]:
    return {k.lower() for k in response.headers}


def test_host_allow_list_refuses_other_names(tmp_path):
    from fastapi.testclient import TestClient

    from tightrope.web import create_app
    from tightrope.web.security import SECURITY_HEADERS, allowed_hosts_for

    app = create_app(_tiny_db(tmp_path / "h.duckdb"), allowed_hosts=list(allowed_hosts_for("127.0.0.1", ["*.lan.example"])))
    for base, status in [("http://127.0.0.1:8000", 200), ("http://localhost:8000", 200), ("http://[::1]:8000", 200),
                         ("http://LOCALHOST.:8000", 200), ("http://box.lan.example", 200),
                         ("http://attacker.example:8000", 400), ("http://127.0.0.1.attacker.example", 400),
                         ("http://lan.example.attacker.example", 400)]:
        response = TestClient(app, base_url=base).get("/api/counts")
        assert response.status_code == status, base
        assert {k.lower() for k in SECURITY_HEADERS} <= _header_names(response), base
    # the address served on (when not a wildcard) is answered too; 0.0.0.0 adds nothing
    assert "192.0.2.7" in allowed_hosts_for("192.0.2.7") and allowed_hosts_for("0.0.0.0") == ("localhost", "127.0.0.1", "::1")


def test_security_headers_on_errors_and_on_an_unforeseen_500(tmp_path):
    from fastapi.testclient import TestClient

    from tightrope.web import create_app
    from tightrope.web.security import SECURITY_HEADERS

    app = create_app(_tiny_db(tmp_path / "e.duckdb"))

    def broken() -> dict:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken", broken)
    client = TestClient(app, raise_server_exceptions=False)
    for path, status in [("/api/counts", 200), ("/no/such/page", 404), ("/api/articles/%00", 422),
                         ("/api/broken", 500)]:
        response = client.get(path)
        assert response.status_code == status, path
        assert {k.lower() for k in SECURITY_HEADERS} <= _header_names(response), path
    assert "a bug" not in client.get("/api/broken").text  # no internals in the answer


def test_guard_queues_a_burst_and_refuses_only_past_its_bound():
    """Deterministic: an app that holds every request until released; 2 run, 3 wait, the 6th gets 503."""
    import asyncio

    from tightrope.web.security import ServerGuard

    async def scenario() -> list[int]:
        release = asyncio.Event()
        running = 0
        most = 0

        async def app(scope, receive, send):
            nonlocal running, most
            running += 1
            most = max(most, running)
            await release.wait()
            running -= 1
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        guard = ServerGuard(app, allowed_hosts=None, max_active=2, max_waiting=3, wait_timeout_s=300)

        async def request() -> int:
            sent = []

            async def send(message):
                sent.append(message)

            await guard({"type": "http", "method": "GET", "path": "/", "headers": []}, None, send)
            return sent[0]["status"]

        tasks = [asyncio.create_task(request()) for _ in range(6)]
        for _ in range(20):
            await asyncio.sleep(0)
        assert most == 2 and guard.waiting == 3
        release.set()
        return await asyncio.gather(*tasks)

    statuses = asyncio.run(scenario())
    assert sorted(statuses) == [200] * 5 + [503]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



@pytest.mark.slow
def test_served_dashboard_queues_a_burst_of_300_and_refuses_rebinding(tmp_path):
    import http.client

    db = _tiny_db(tmp_path / "s.duckdb")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "tightrope", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/counts")
                assert conn.getresponse().status == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                time.sleep(0.5)
        assert burst(port, 300) == {200: 300}
        assert burst(port, 3, host="attacker.example:8000") == {400: 3}
    finally:
        server.terminate()
        server.wait(timeout=30)
