"""`tightrope bench reliability [WORKDIR]`: hostile inputs, kills and bursts, each run as a user would run it.

Every case starts the real command (`python -m tightrope extract ...` or `serve`) in a fresh process and
checks what a user would see: what got stored, the one line each problem should print, the exit status,
the time, and the peak resident memory of the process tree (sampled every 0.1 s, and the kernel's own
maximum from wait4). The hostile files are the reproductions of issue 21, at full size:

  gzip bomb         b.txt.gz expanding to 1 GiB of "a " (65 KB on disk)
  long lines        a 500 MB single-line .jsonl.gz and .csv.gz row (then a good row)
  parquet.gz bomb   a .parquet.gz expanding to 3 GiB (its temporary file must stop at the limit)
  markup            a WARC URL and a CSV header holding "[/quote]"
  names             file names holding a newline and an ANSI escape
  dates             "1000000 days ago"; published 0001-01-01 with "on Sunday"
  views             events dated 0001-01-01 / 9999-12-30 / the window's ends: `dyad`, /pair, /api/dyad
  exports           = + - @ formulas in URL, title, outlet, actor name: GDELT, POLECAT and CSV exports
  special files     a FIFO in the input folder; a UTF-16 .jsonl; billion-laughs and XXE feeds
  held / writers    a database held open past lock_timeout; two extracts into one file and a reader at once
  kills             SIGKILL at random moments of a 960-article run, then a rerun: nothing lost or doubled
  worker / SIGINT   a coding worker killed, Ctrl-C mid-run, a select.py in the working directory
  server            Host of another site (DNS rebinding), a 500's headers, a burst of 300 requests

The table shows case / expected / observed / pass / peak RSS; the last line is one JSON object
(`{"bench": "reliability", ...}`). `--curves` adds the cost of the highlighter and of coding one
article from 10k to 1M characters, with the fitted exponent (1.0 = linear).
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..cli.messages import plain
from . import finish

RSS_LIMIT_MB = 1536  # the target: no case above 1.5 GB
CURVE_EXPONENT_LIMIT = 1.25  # "near linear" (issue 21: the highlighter was ~2, quadratic)
CORPUS_ARTICLES = 960  # 15 store batches of 64: room for 8 kills just after a batch and a last one to finish
GOOD_TEXT = ("France and Germany signed a trade agreement in Berlin on Sunday, officials said after two days of talks. "
             "The foreign ministers of both countries told reporters that the deal would cut tariffs on machinery.")
console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 150)


@dataclass
class Case:
    name: str
    expected: str
    observed: str = ""
    passed: bool = False
    peak_mb: float = 0.0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.name, "expected": self.expected, "observed": self.observed, "pass": self.passed,
                "peak_rss_mb": round(self.peak_mb), "seconds": round(self.seconds, 1)}


@dataclass
class Ran:
    """A finished command: exit code (negative: killed by that signal), output, time, peak RSS."""

    rc: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    timed_out: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    def lines(self, prefix: str = "skipped ") -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(prefix)]


def tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def tightrope_command() -> list[str]:
    """The `tightrope` console script beside this Python, as a user runs it (`python -m` would also put the
    working directory on the import path, which the script does not); `python -m tightrope` without one."""
    script = Path(sys.executable).with_name("tightrope")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tightrope"]


def run_command(args: list[str], cwd: Path, timeout_s: float = 900,
                during: Callable[[subprocess.Popen, float], bool] | None = None,
                env: dict[str, str] | None = None) -> Ran:
    """Run `tightrope ARGS`; `during(proc, elapsed)` is called every 0.1 s (True: stop calling)."""
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "COLUMNS": "200", **(env or {})}
    started = time.monotonic()
    proc = subprocess.Popen([*tightrope_command(), *args], cwd=cwd, stdout=out, stderr=err, env=env,
                            start_new_session=True, preexec_fn=_default_sigint)
    peak = 0
    timed_out = False
    done_during = during is None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = max(peak, usage.ru_maxrss * 1024)  # the largest single process, from the kernel
            break
        peak = max(peak, tree_rss(proc.pid))
        elapsed = time.monotonic() - started
        if not done_during:
            done_during = bool(during(proc, elapsed))  # type: ignore[misc]
        if elapsed > timeout_s:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.1)
    seconds = time.monotonic() - started
    _kill_leftovers(proc.pid)
    out.seek(0)
    err.seek(0)
    return Ran(proc.returncode, out.read(), err.read(), seconds, peak / 2**20, timed_out)


def _default_sigint() -> None:
    """Ctrl-C as in a terminal: a shell's background job starts with SIGINT ignored, and Python then
    installs no KeyboardInterrupt handler; the command under test must get the default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _kill_leftovers(pgid: int) -> None:
    """Workers of a killed run end with their parent; any still there after 5 s are ended here."""
    for _ in range(50):
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.1)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def stored(db: Path) -> dict[str, Any]:
    """Counts, duplicate ids and orphan rows of a store (read-only)."""
    import duckdb

    if not db.exists():
        return {"articles": 0, "duplicates": 0, "orphans": 0, "events": 0}
    con = duckdb.connect(str(db), read_only=True)
    try:
        n, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        orphans = sum(con.execute(f"SELECT count(*) FROM {t} WHERE article_id NOT IN (SELECT id FROM articles)")
                      .fetchone()[0] for t in ("mentions", "events", "quotes", "claims"))
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        return {"articles": n, "duplicates": n - distinct, "orphans": orphans, "events": events}
    finally:
        con.close()


def rows_per_article(db: Path) -> dict[str, dict[str, int]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {"articles": {r[0]: 1 for r in con.execute("SELECT id FROM articles").fetchall()}}
        for t in ("mentions", "events", "quotes", "claims"):
            out[t] = dict(con.execute(f"SELECT article_id, count(*) FROM {t} GROUP BY 1").fetchall())
        return out
    finally:
        con.close()


def consistent_with(db: Path, reference: dict[str, dict[str, int]]) -> tuple[int, int, int]:
    """(articles stored, articles whose rows differ from the reference run's, duplicated articles)."""
    if not db.exists():
        return 0, 0, 0
    facts = stored(db)
    mine = rows_per_article(db)
    wrong = sum(1 for aid in mine["articles"] for t in ("mentions", "events", "quotes", "claims")
                if mine[t].get(aid, 0) != reference[t].get(aid, 0))
    return facts["articles"], wrong + facts["orphans"], facts["duplicates"]


# --- inputs -----------------------------------------------------------------------------------------------

COUNTRIES = ["France", "Germany", "Japan", "Brazil", "Kenya", "India", "Canada", "Egypt", "Mexico", "Norway"]
SENTENCES = [
    "The foreign minister of {a} met officials from {b} in the capital on Tuesday.",
    "{a} accused {b} of breaking the agreement signed last year.",
    '"We will not accept these terms," a spokesman for the government of {a} said.',
    "Police in {b} arrested dozens of protesters outside the parliament.",
    "{a} and {b} agreed to hold further talks next month.",
    "Analysts said the dispute could last for some time.",
]


def corpus_row(i: int) -> dict[str, str]:
    a, b = COUNTRIES[i % 10], COUNTRIES[(i * 3 + 1) % 10]
    if a == b:
        b = COUNTRIES[(i + 1) % 10]
    text = " ".join(SENTENCES[(i + k) % len(SENTENCES)].format(a=a, b=b) for k in range(3 + i % 4))
    return {"title": f"Report {i}", "text": f"{text} This is report number {i}.", "published": f"2024-03-{1 + i % 28:02d}"}


def write_corpus(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(corpus_row(i)) + "\n")
    return path


def good_txt(folder: Path, name: str = "zz-good.txt") -> Path:
    path = folder / name
    path.write_text("Trade deal\n\n" + GOOD_TEXT + "\n")
    return path


def gzip_stream(path: Path, head: bytes, unit: bytes, total_bytes: int, tail: bytes = b"", level: int = 9) -> Path:
    """A .gz of head + unit * (total_bytes / len(unit)) + tail, compressed a megabyte at a time."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)
    chunk = unit * ((1 << 20) // len(unit))
    with open(path, "wb") as out:
        out.write(packer.compress(head))
        for _ in range(total_bytes // len(chunk)):
            out.write(packer.compress(chunk))
        out.write(packer.compress(tail) + packer.flush())
    return path


def write_warc(path: Path, pages: list[tuple[str, str]]) -> Path:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in pages:
            body = html.encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return path


# --- the cases --------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, workdir: Path, kills: int, burst_n: int, seed: int = 21):
        self.work = workdir
        self.kills = kills
        self.burst_n = burst_n
        self.rng = random.Random(seed)
        self.cases: list[Case] = []
        self.lost = 0
        self.duplicated = 0
        self.kills_done = 0

    def folder(self, name: str) -> Path:
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def add(self, case: Case, ran: Ran | None = None) -> None:
        if ran is not None:
            case.peak_mb, case.seconds = ran.peak_mb, ran.seconds
            if ran.peak_mb > RSS_LIMIT_MB:
                case.passed = False
                case.observed += f"; peak RSS {ran.peak_mb:,.0f} MB over {RSS_LIMIT_MB}"
        self.cases.append(case)
        if ran is not None and not case.passed:  # what the user saw, kept for the report
            slug = "".join(c if c.isalnum() else "-" for c in case.name.lower())[:60]
            (self.work / f"failed-{slug}.stderr.txt").write_text(ran.stderr)
        mark = "pass" if case.passed else "FAIL"
        console.print(Text(plain(f"{mark}  {case.name}: {case.observed}  ({case.seconds:.1f} s, "
                                 f"{case.peak_mb:,.0f} MB)")), soft_wrap=True)

    def add_curves(self, found: dict[str, Any]) -> None:
        """The cost curves as rows: near linear means a fitted exponent of at most CURVE_EXPONENT_LIMIT."""
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process coded the articles
        rows = found["rows"]
        sizes = f"{rows[0]['chars']:,}..{rows[-1]['chars']:,} characters"
        for key, what, unit in (("highlight", "article page highlighter", "highlight_s"),
                                ("extract", "coding one article", "extract_s")):
            exponent_found = found[f"{key}_exponent"]
            case = Case(f"{what}, {sizes}", f"near linear: fitted exponent <= {CURVE_EXPONENT_LIMIT}",
                        f"exponent {exponent_found}; " + ", ".join(f"{r[unit]} s" for r in rows),
                        exponent_found <= CURVE_EXPONENT_LIMIT)
            case.seconds, case.peak_mb = sum(r[unit] for r in rows), peak
            self.add(case)

    def extract(self, inputs: list[Path], db: Path, *extra: str, **kwargs) -> Ran:
        if db.exists():
            db.unlink()
        return run_command(["extract", *map(str, inputs), "--db", str(db), *extra], self.work, **kwargs)

    # -- hostile files: one refused with one line, the good file after it stored, memory bounded --

    def refused_case(self, name: str, hostile: Path, must_say: tuple[str, ...], *extra: str) -> None:
        folder = hostile.parent
        good_txt(folder)
        db = self.work / f"{folder.name}.duckdb"
        ran = self.extract([folder], db, *extra)
        lines = [line for line in ran.lines() if hostile.name in line]
        facts = stored(db)
        said = lines[0].split(": ", 1)[-1] if lines else "(no line)"
        ok = ran.rc == 0 and len(lines) == 1 and all(s in said for s in must_say) and facts["articles"] == 1
        self.add(Case(name, "refused in one line naming the limit; the good file stored; RSS < 1.5 GB",
                      f"rc {ran.rc}; {len(lines)} line: {said[:110]}; {facts['articles']} stored", ok), ran)

    def case_gzip_bomb(self) -> None:
        folder = self.folder("bomb_txt")
        hostile = gzip_stream(folder / "b.txt.gz", b"T\n\n", b"a ", 1 << 30)  # the reproduction
        self.refused_case("gzip bomb .txt.gz (1 GiB)", hostile, ("bytes", "--max-chars"))

    def case_long_jsonl_line(self) -> None:
        folder = self.folder("long_jsonl")
        hostile = gzip_stream(folder / "b.jsonl.gz", b'{"text": "', b"a ", 500 << 20, b'"}\n')
        self.refused_case("500 MB single-line .jsonl.gz", hostile, ("line over", "--max-chars"))

    def case_long_csv_line(self) -> None:
        folder = self.folder("long_csv")
        hostile = gzip_stream(folder / "b.csv.gz", b"title,text\nLong,", b"a ", 500 << 20, b"\n")
        self.refused_case("500 MB single-line .csv.gz", hostile, ("record over", "--max-chars"))

    def case_parquet_bomb(self) -> None:
        folder = self.folder("bomb_parquet")
        hostile = gzip_stream(folder / "b.parquet.gz", b"PAR1", b"\x00" * 4096, 3 << 30, level=1)
        self.refused_case("3 GiB .parquet.gz temporary file", hostile, ("max_temp_bytes",))

    def case_markup(self) -> None:
        folder = self.folder("markup")
        write_warc(folder / "a.warc.gz", [("https://news.example/[/quote]/index",
                                           "<html><body><nav>Home [bold]World[/] Sport</nav></body></html>")])
        (folder / "b.csv").write_text("x,[/quote]\n1,2\n")
        good_txt(folder)
        db = self.work / "markup.duckdb"
        ran = self.extract([folder], db, "--text-field", "body")
        lines = ran.lines()
        ok = (ran.rc == 0 and stored(db)["articles"] == 1 and "MarkupError" not in ran.stderr
              and len([x for x in lines if "[/quote]" in x]) == 2)
        self.add(Case("[/quote] in a WARC URL and a CSV header", "each named in one line; the run goes on",
                      f"rc {ran.rc}; {len(lines)} lines; {stored(db)['articles']} stored; "
                      f"MarkupError {'yes' if 'MarkupError' in ran.stderr else 'no'}", ok), ran)

    def case_names(self) -> None:
        folder = self.folder("names")
        (folder / "a\nskipped forged.txt").write_bytes(b"")
        (folder / "b\x1b[2J\x1b[31m.txt").write_bytes(b"")
        good_txt(folder)
        db = self.work / "names.duckdb"
        ran = self.extract([folder], db)
        lines = ran.lines()
        ok = (ran.rc == 0 and len(lines) == 2 and "\x1b" not in ran.stderr and "forged.txt" in lines[0]
              and stored(db)["articles"] == 1)
        self.add(Case("newline and ANSI escape in file names", "one escaped line each; no escape byte on the terminal",
                      f"rc {ran.rc}; {len(lines)} lines; ESC on stderr: {'yes' if chr(27) in ran.stderr else 'no'}",
                      ok), ran)

    def case_dates(self) -> None:
        folder = self.folder("dates")
        rows = [{"title": "Old", "published": "2024-03-05",
                 "text": "Russian forces attacked Ukraine 1000000 days ago, officials said."},
                {"title": "Year one", "published": "0001-01-01",
                 "text": "France and Germany signed a trade agreement on Sunday, officials said."}]
        (folder / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        db = self.work / "dates.duckdb"
        ran = self.extract([folder], db)
        import duckdb

        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            per_article = con.execute("SELECT a.title, count(e.article_id), max(a.published), "
                                      "count(*) FILTER (WHERE e.date < '1800' OR e.date > '2200') "
                                      "FROM articles a LEFT JOIN events e ON e.article_id = a.id GROUP BY 1 ORDER BY 1"
                                      ).fetchall()
            con.close()
        else:
            per_article = []
        ok = (ran.rc == 0 and len(per_article) == 2 and all(n > 0 for _, n, _, _ in per_article)
              and all(bad == 0 for *_, bad in per_article) and all(p is None for _, _, p, _ in per_article if _ == "Year one"))
        observed = "; ".join(f"{t}: {n} events, published {p}" for t, n, p, _ in per_article) or "nothing stored"
        self.add(Case("'1000000 days ago'; published 0001-01-01 + 'on Sunday'",
                      "events kept, no date outside 1800..2199", f"rc {ran.rc}; {observed}", ok), ran)

    def case_fifo(self) -> None:
        folder = self.folder("fifo")
        os.mkfifo(folder / "pipe.jsonl")
        good_txt(folder)
        db = self.work / "fifo.duckdb"
        ran = self.extract([folder], db, timeout_s=300)
        lines = [x for x in ran.lines() if "pipe.jsonl" in x]
        ok = ran.rc == 0 and not ran.timed_out and len(lines) == 1 and "pipe" in lines[0] and stored(db)["articles"] == 1
        self.add(Case("FIFO in the input folder", "skipped with one line; never opened",
                      f"rc {ran.rc}{' (hung, killed)' if ran.timed_out else ''}; "
                      f"{lines[0].split(': ', 1)[-1] if lines else 'no line'}", ok), ran)

    def case_utf16(self) -> None:
        folder = self.folder("utf16")
        (folder / "u.jsonl").write_bytes((json.dumps({"title": "Café", "text": GOOD_TEXT}, ensure_ascii=False)
                                          + "\n").encode("utf-16"))
        db = self.work / "utf16.duckdb"
        ran = self.extract([folder], db)
        ok = ran.rc == 0 and stored(db)["articles"] == 1 and not ran.lines()
        self.add(Case("UTF-16 .jsonl", "decoded and stored",
                      f"rc {ran.rc}; {stored(db)['articles']} stored; "
                      f"{ran.lines()[0].split(': ', 1)[-1] if ran.lines() else 'no problem line'}", ok), ran)

    # -- kills: nothing lost, nothing doubled --

    def reference(self) -> tuple[Path, dict[str, dict[str, int]]]:
        corpus = write_corpus(self.work / "corpus.jsonl", CORPUS_ARTICLES)
        ref = self.work / "reference.duckdb"
        ran = self.extract([corpus], ref, "-q")
        if ran.rc != 0:
            raise RuntimeError(f"the reference run failed: {ran.stderr[-500:]}")
        return corpus, rows_per_article(ref)

    def case_sigkills(self, corpus: Path, reference: dict[str, dict[str, int]]) -> None:
        """Every third kill lands during start-up (a random moment of the first 3 s), the others a random
        0-0.5 s after a batch is stored (while the next is coded or written); after each, the store must
        hold whole articles only, and a last run must complete it with the reference run's rows."""
        db = self.work / "killed.duckdb"
        if db.exists():
            db.unlink()
        peak = seconds = 0.0
        inconsistent = 0
        for k in range(self.kills):
            before = stored(db)["articles"]
            at_startup = k % 3 == 0
            moment = self.rng.uniform(0.3, 3.0)
            delay = self.rng.uniform(0.0, 0.5)
            landed: dict[str, float] = {}

            def kill(proc: subprocess.Popen, elapsed: float) -> bool:
                if at_startup:
                    due = elapsed >= moment
                else:
                    if "batch" not in landed and stored_now(db) > before:
                        landed["batch"] = elapsed
                    due = "batch" in landed and elapsed >= landed["batch"] + delay
                if due:
                    os.killpg(proc.pid, signal.SIGKILL)
                return due

            ran = run_command(["extract", str(corpus), "--db", str(db), "-q"], self.work, during=kill)
            peak, seconds = max(peak, ran.peak_mb), seconds + ran.seconds
            self.kills_done += ran.rc == -signal.SIGKILL
            n, wrong, dup = consistent_with(db, reference)
            inconsistent += wrong + dup
        ran = run_command(["extract", str(corpus), "--db", str(db), "-q"], self.work)
        n, wrong, dup = consistent_with(db, reference)
        lost = len(reference["articles"]) - n
        self.lost += max(0, lost)
        self.duplicated += dup
        ok = ran.rc == 0 and lost == 0 and dup == 0 and wrong == 0 and inconsistent == 0 and self.kills_done == self.kills
        case = Case(f"SIGKILL x{self.kills} at random moments, then rerun", "0 lost, 0 duplicated, the same rows",
                    f"{self.kills_done} killed; {n}/{len(reference['articles'])} stored; lost {lost}; duplicated {dup}; "
                    f"rows differing {wrong}; inconsistent after a kill {inconsistent}", ok)
        ran.peak_mb, ran.seconds = max(peak, ran.peak_mb), seconds + ran.seconds
        self.add(case, ran)

    def case_sigint(self, corpus: Path, reference: dict[str, dict[str, int]]) -> None:
        db = self.work / "sigint.duckdb"
        sent: dict[str, float] = {}

        def interrupt(proc: subprocess.Popen, elapsed: float) -> bool:
            """Ctrl-C (SIGINT to the process group, as a terminal sends it) once a first batch is stored."""
            if elapsed > 180:
                return True
            if elapsed < 3 or not stored_now(db):
                return False
            os.killpg(proc.pid, signal.SIGINT)
            sent["at"] = elapsed
            return True

        ran = self.extract([corpus], db, "--workers", "2", during=interrupt, timeout_s=300)
        after = ran.seconds - sent.get("at", ran.seconds)
        n, wrong, dup = consistent_with(db, reference)
        err_lines = [x for x in ran.stderr.splitlines() if x.strip()]
        said = f"interrupted: {n} articles stored; run again to resume"
        ok = ("at" in sent and after < 10 and "Traceback" not in ran.stderr and err_lines == [said]
              and ran.rc == 130 and not wrong and not dup)
        self.add(Case("SIGINT mid-run (--workers 2)", "stops within 10 s with one line 'interrupted: N stored; "
                      "run again to resume' (N as stored), rc 130; store consistent",
                      f"stopped {after:.1f} s after, rc {ran.rc}; {len(err_lines)} stderr lines"
                      f"{' (N as stored)' if err_lines == [said] else ''}"
                      f"{' with a traceback' if 'Traceback' in ran.stderr else ''}; rows differing {wrong}, dup {dup}",
                      ok), ran)

    def case_dead_worker(self, corpus: Path, reference: dict[str, dict[str, int]]) -> None:
        import psutil

        db = self.work / "worker.duckdb"
        killed: dict[str, int] = {}

        def kill_worker(proc: subprocess.Popen, elapsed: float) -> bool:
            try:
                children = psutil.Process(proc.pid).children(recursive=True)
            except psutil.Error:
                return True
            workers = [c for c in children if "multiprocessing" in " ".join(c.cmdline())
                       and "resource_tracker" not in " ".join(c.cmdline())]
            if len(workers) >= 2 and elapsed > 15:
                workers[-1].kill()
                killed["pid"] = workers[-1].pid
                return True
            return elapsed > 240

        ran = self.extract([corpus], db, "--workers", "2", during=kill_worker, timeout_s=600)
        n, wrong, dup = consistent_with(db, reference)
        err_lines = [x for x in ran.stderr.splitlines() if x.strip()]
        ok = ("pid" in killed and "Traceback" not in ran.stderr and len(err_lines) == 1 and ran.rc == 1
              and f"a coding process (pid {killed['pid']}) was killed by SIGKILL" in err_lines[0]
              and f"; {n} articles stored; run again to resume" in err_lines[0] and not wrong and not dup)
        self.add(Case("a coding worker killed (--workers 2)", "one line (a worker died; a rerun resumes); store consistent",
                      f"{'killed' if 'pid' in killed else 'no worker seen'}; rc {ran.rc}; {len(err_lines)} stderr lines"
                      f"{' with a traceback' if 'Traceback' in ran.stderr else ''}; rows differing {wrong}, dup {dup}",
                      ok), ran)

    def case_shadowing_module(self, corpus: Path) -> None:
        cwd = self.folder("shadow")
        (cwd / "select.py").write_text("raise SystemExit('a select.py in the working directory was imported')\n")
        for executor in (["--workers", "2"], ["--dask", "local:2"]):
            db = cwd / "s.duckdb"
            if db.exists():
                db.unlink()
            ran = run_command(["extract", str(corpus), "--db", str(db), *executor, "--limit", "128", "-q"], cwd)
            ok = ran.rc == 0 and stored(db)["articles"] == 128 and not ran.stderr.strip()
            self.add(Case(f"select.py in the working directory ({' '.join(executor)})",
                          "the run is not affected (all stored, nothing said)",
                          f"rc {ran.rc}; {stored(db)['articles']} stored; {len(ran.stderr.splitlines())} stderr lines"
                          f"{'; BrokenProcessPool' if 'BrokenProcessPool' in ran.stderr else ''}", ok), ran)

    # -- concurrent writers and a held database --

    def case_two_writers(self, corpus: Path, reference: dict[str, dict[str, int]]) -> None:
        """Two extracts of the same 256 articles into one file at once, a reader querying it every 0.05 s."""
        import threading

        from ..store import Store

        part = self.work / "corpus256.jsonl"
        part.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:256]), encoding="utf-8")
        db = self.work / "two.duckdb"
        if db.exists():
            db.unlink()
        Store(db)
        reads = {"ok": 0, "failed": 0}
        stop = threading.Event()

        def reader() -> None:
            while not stop.is_set():
                try:
                    Store(db, read_only=True).query("SELECT count(*) AS n FROM articles")
                    reads["ok"] += 1
                except Exception:  # noqa: BLE001 - a failed read is what this counts
                    reads["failed"] += 1
                time.sleep(0.05)

        watcher = threading.Thread(target=reader, daemon=True)
        watcher.start()
        started = time.monotonic()
        runs: list[Ran] = []
        threads = [threading.Thread(target=lambda: runs.append(
            run_command(["extract", str(part), "--db", str(db), "-q"], self.work))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        watcher.join()
        n, wrong, dup = consistent_with(db, reference)
        self.duplicated += dup
        self.lost += max(0, 256 - n)
        said = sum(len(r.stderr.strip().splitlines()) for r in runs)
        ok = all(r.rc == 0 for r in runs) and said == 0 and n == 256 and wrong == 0 and dup == 0 \
            and reads["failed"] == 0
        case = Case("two extracts into one database at once, a reader every 0.05 s",
                    "both finish (taking turns), each article once; every read answered",
                    f"rc {', '.join(str(r.rc) for r in runs)}; {said} stderr lines; {n}/256 stored; duplicated {dup}; "
                    f"rows differing {wrong}; reads {reads['ok']} answered, {reads['failed']} failed", ok)
        ran = Ran(0, "", "", time.monotonic() - started, max(r.peak_mb for r in runs))
        self.add(case, ran)

    def case_held_database(self) -> None:
        """A process holds the database open for writing (a DuckDB shell, a notebook) past lock_timeout."""
        folder = self.folder("held")
        good_txt(folder)
        db = folder / "held.duckdb"
        config = folder / "run.toml"
        config.write_text("[run]\nlock_timeout = 2\n", encoding="utf-8")
        holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\n"
                                   "print('held', flush=True)\ntime.sleep(600)", str(db)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            holder.stdout.readline()
            ran = run_command(["extract", str(folder / "zz-good.txt"), "--db", str(db), "--config", str(config)],
                              self.work)
        finally:
            holder.kill()
            holder.wait()
        lines = [x for x in ran.stderr.splitlines() if x.strip()]
        ok = (ran.rc == 1 and len(lines) == 1 and f"in use by process {holder.pid}" in lines[0]
              and "Traceback" not in ran.stderr)
        self.add(Case("a database held open by another process (lock_timeout 2 s)",
                      "one line naming the holder's PID after lock_timeout; no traceback",
                      f"rc {ran.rc}; {len(lines)} line: "
                      + (re.sub(r" \(.*\) \(waited", " (...) (waited", lines[0].split(": ", 2)[-1]) if lines else ""),
                      ok), ran)

    # -- dates at the ends of the calendar in the relations views --

    def case_dates_in_views(self) -> None:
        """Events dated 9999-12-30 and 0001-01-01 in a store (written by older code, or imported), and at the
        window's ends (1800-01-01, 2199-12-31): the dyad command and the pair pages answer, bounded."""
        from ..records import Actor, Article, ArticleResult, Event
        from ..store import Store

        db = self.work / "dates_views.duckdb"
        if db.exists():
            db.unlink()
        text = "The United States accused Russia of lying."

        def result(i: int, day: str) -> ArticleResult:
            usa, rus = Actor("The United States", 0, 17, country="USA", code="USA"), Actor("Russia", 27, 33,
                                                                                            country="RUS", code="RUS")
            event = Event(source=usa, target=rus, type="ACCUSE", sentence=text, start=0, end=len(text),
                          trigger="accused", date=day)
            return ArticleResult(Article(id=f"d{i}", title="t", text=text, published="2024-03-05"),
                                 actors=[usa, rus], events=[event])

        Store(db).add_results([result(i, day) for i, day in enumerate(
            ["9999-12-30", "0001-01-01", "1800-01-01", "2199-12-31", "2024-03-05"])])
        worst = None
        for by in ("day", "week", "month"):
            ran = run_command(["dyad", "USA", "RUS", "--db", str(db), "--by", by, "--json"], self.work, timeout_s=300)
            size = len(ran.stdout)
            if worst is None or ran.rc != 0 or size > worst[1]:
                worst = (ran, size, by)
        ran, size, by = worst
        ok = ran.rc == 0 and "Traceback" not in ran.stderr and size < 1_000_000 and ran.peak_mb < RSS_LIMIT_MB
        self.add(Case("events dated 0001-01-01, 9999-12-30 and the window's ends: `dyad --by day/week/month`",
                      "rc 0, output bounded (< 1 MB)", f"worst (--by {by}): rc {ran.rc}, {size:,} bytes", ok), ran)
        with Served(db) as served:
            answers = []
            started = time.monotonic()
            for path in ("/pair/USA/RUS", "/api/dyad/USA/RUS?by=day", "/api/dyad/USA/RUS?by=week",
                         "/pair/USA/RUS?by=day"):
                status, headers, size = get_body(served.port, path)
                answers.append((path, status, size))
            peak = served.rss_mb()
            status, _, _ = get_body(served.port, "/api/counts")  # and it still answers
        ok = all(st == 200 and size < 2_000_000 for _, st, size in answers) and status == 200
        case = Case("the same store served: /pair/USA/RUS, /api/dyad/USA/RUS?by=day|week",
                    "200, bounded (< 2 MB each), still serving after",
                    "; ".join(f"{p} {st} {size:,} B" for p, st, size in answers), ok)
        case.seconds, case.peak_mb = time.monotonic() - started, peak
        self.add(case)

    # -- exports: no cell a spreadsheet would run as a formula --

    def case_formula_exports(self) -> None:
        from ..records import Actor, Article, ArticleResult, Event
        from ..store import Store

        db = self.work / "formula.duckdb"
        if db.exists():
            db.unlink()
        openers = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
        results = []
        for i, bad in enumerate(openers):
            text = f"{bad} accused Russia of lying."
            source = Actor(bad, 0, len(bad), name=bad, country="USA", code="USA", kind="person")
            target = Actor("Russia", len(bad) + 9, len(bad) + 15, country="RUS", code="RUS")
            event = Event(source=source, target=target, type="ACCUSE", sentence=text, start=0, end=len(text),
                          trigger="accused", date="2024-03-05", location=bad)
            results.append(ArticleResult(Article(id=f"f{i}", title=bad, text=text, outlet=bad, url=bad,
                                                 published="2024-03-05"), actors=[source, target], events=[event]))
        Store(db).add_results(results)
        out = self.folder("formula_export")
        runs = [run_command(["export", "-f", "gdelt", "--db", str(db), "-o", str(out / "events.tsv")], self.work),
                run_command(["export", "-f", "polecat", "--db", str(db), "-o", str(out / "events.jsonl")], self.work),
                run_command(["export", "-f", "csv", "--db", str(db), "-o", str(out / "tables")], self.work)]
        cells = []
        for path in sorted(out.rglob("*")):
            if path.suffix == ".tsv":
                cells += [c for line in path.read_text(encoding="utf-8").splitlines() for c in line.split("\t")]
            elif path.suffix == ".jsonl":
                cells += [v for line in path.read_text(encoding="utf-8").splitlines()
                          for v in json.loads(line).values() if isinstance(v, str)]
            elif path.suffix == ".csv":
                import csv

                with open(path, encoding="utf-8", newline="") as f:
                    cells += [c for row in csv.reader(f) for c in row]
        live = [c for c in cells if c.lstrip('"')[:1] in ("=", "+", "-", "@") and "cmd|" in c]
        inert = [c for c in cells if c.startswith("'") and "cmd|" in c]
        ok = all(r.rc == 0 for r in runs) and not live and len(inert) >= 4 * len(openers)
        ran = Ran(max(abs(r.rc) for r in runs), "", "", sum(r.seconds for r in runs), max(r.peak_mb for r in runs))
        self.add(Case("= + - @ formulas in URL, title, outlet, actor name, location: export gdelt/polecat/csv",
                      "every such cell starts with ' (OWASP); none live",
                      f"rc {', '.join(str(r.rc) for r in runs)}; {len(inert)} cells neutralised, {len(live)} live", ok), ran)

    # -- feeds: entities --

    def case_entity_feeds(self) -> None:
        folder = self.folder("entities")
        lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
        (folder / "laughs.rss").write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>'
                                           '<rss version="2.0"><channel><title>T</title><item><title>&lol9;</title>'
                                           '<description>&lol9;</description></item></channel></rss>')
        (folder / "xxe.rss").write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                                        '<rss version="2.0"><channel><title>T</title><item><title>Leak</title>'
                                        '<description>France and Germany met. &xxe;</description></item></channel></rss>')
        good_txt(folder)
        db = self.work / "entities.duckdb"
        ran = self.extract([folder], db)
        import duckdb

        texts = []
        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            texts = [r[0] for r in con.execute("SELECT coalesce(title, '') || ' ' || text FROM articles").fetchall()]
            con.close()
        leaked = any("root:" in t for t in texts)
        expanded = any("lollollol" * 100 in t for t in texts)
        ok = ran.rc == 0 and not leaked and not expanded and any("Trade deal" in t for t in texts)
        self.add(Case("billion-laughs and XXE (file:///etc/passwd) feeds", "no expansion, no file read; the good file stored",
                      f"rc {ran.rc}; {len(texts)} stored; expanded: {'yes' if expanded else 'no'}; "
                      f"/etc/passwd read: {'yes' if leaked else 'no'}", ok), ran)

    # -- the server --

    def case_server(self) -> None:
        from ..records import Actor, Article, ArticleResult
        from ..store import Store

        db = self.work / "serve.duckdb"
        if db.exists():
            db.unlink()
        Store(db).add_results([ArticleResult(Article(id=f"a{i}", title="t", text="France met Japan."),
                                             actors=[Actor("France", 0, 6)]) for i in range(20)])
        garbage = self.work / "garbage.duckdb"
        garbage.write_bytes(random.Random(5).randbytes(200_000))
        for target, checks in ((db, "main"), (garbage, "error")):
            port = free_port()
            out = tempfile.TemporaryFile("w+")
            server = subprocess.Popen([*tightrope_command(), "serve", "--db", str(target), "--port", str(port)],
                                      stdout=out, stderr=out, start_new_session=True)
            try:
                wait_for_port(port, server)
                if checks == "main":
                    status, headers = get(port, "/api/counts", host=f"attacker.example:{port}")
                    self.add(Case("Host: attacker.example (DNS rebinding)", "400 with the security headers",
                                  f"{status}; headers {'present' if has_security_headers(headers) else 'missing'}",
                                  status == 400 and has_security_headers(headers), tree_rss(server.pid) / 2**20))
                    started = time.monotonic()
                    codes = burst(port, self.burst_n)
                    peak = tree_rss(server.pid) / 2**20
                    case = Case(f"burst of {self.burst_n} requests at once", "all answered 200 (queued, not refused)",
                                ", ".join(f"{n} x {code}" for code, n in sorted(codes.items(), key=str)),
                                codes == {200: self.burst_n})
                    case.seconds, case.peak_mb = time.monotonic() - started, peak
                    self.add(case)
                else:
                    status, headers = get(port, "/api/counts")
                    self.add(Case("a 500 (a database file that is not one)", "500 with the security headers",
                                  f"{status}; headers {'present' if has_security_headers(headers) else 'missing'}",
                                  status == 500 and has_security_headers(headers), tree_rss(server.pid) / 2**20))
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()


def stored_now(db: Path) -> int:
    """Articles stored so far, read while a run writes; 0 while the file is missing or the writer holds it."""
    if not db.exists():
        return 0
    try:
        return stored(db)["articles"]
    except Exception:  # the writer holds the lock (or is creating the file): ask again at the next tick
        return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server ended before answering")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def get(port: int, path: str, host: str | None = None) -> tuple[int, dict[str, str]]:
    status, headers, _ = get_body(port, path, host)
    return status, headers


def get_body(port: int, path: str, host: str | None = None, timeout_s: float = 300) -> tuple[int, dict[str, str], int]:
    """Status, headers (lower-case names) and the body's length in bytes."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return response.status, {k.lower(): v for k, v in response.getheaders()}, size
    finally:
        conn.close()


class Served:
    """`tightrope serve --db DB` on a free port for the length of a `with` block; `.rss_mb()` its memory."""

    def __init__(self, db: Path):
        self.db = db

    def __enter__(self) -> "Served":
        self.port = free_port()
        self.out = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen([*tightrope_command(), "serve", "--db", str(self.db), "--port", str(self.port)],
                                     stdout=self.out, stderr=self.out, start_new_session=True)
        wait_for_port(self.port, self.proc)
        return self

    def rss_mb(self) -> float:
        return tree_rss(self.proc.pid) / 2**20

    def __exit__(self, *exc: Any) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def has_security_headers(headers: dict[str, str]) -> bool:
    from ..web.security import SECURITY_HEADERS

    return all(k.lower() in headers for k in SECURITY_HEADERS)


def burst(port: int, n: int, path: str = "/api/counts", host: str | None = None) -> dict[Any, int]:
    """n requests on n connections released at the same moment (with `host` as the Host header when given);
    status (or error name) -> count."""
    import http.client
    import threading
    from collections import Counter

    barrier = threading.Barrier(n)
    codes: Counter = Counter()
    lock = threading.Lock()

    def one() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            barrier.wait()
            conn.request("GET", path, headers={"Host": host} if host else {})
            response = conn.getresponse()
            response.read()
            code: Any = response.status
        except Exception as exc:  # a refused or reset connection is an outcome to count
            code = type(exc).__name__
        finally:
            conn.close()
        with lock:
            codes[code] += 1

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return dict(codes)


# --- cost curves ------------------------------------------------------------------------------------------

CURVE_SIZES = (10_000, 31_623, 100_000, 316_228, 1_000_000)


def news_text(chars: int) -> str:
    """Realistic text of the given length, our own sentences, names varied so that no two are the same."""
    rng = random.Random(chars)
    parts: list[str] = []
    total = 0
    i = 0
    while total < chars:
        a, b = rng.sample(COUNTRIES, 2)
        sentence = SENTENCES[i % len(SENTENCES)].format(a=a, b=b)
        parts.append(sentence + (" " if i % 5 else "\n\n"))
        total += len(parts[-1])
        i += 1
    return "".join(parts)[:chars].rstrip()


def exponent(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(seconds) on log(size): 1 is linear, 2 quadratic."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(s, 1e-6)) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def curves(sizes: tuple[int, ...] = CURVE_SIZES) -> dict[str, Any]:
    """Seconds to highlight, and to code, one article of each size (spans for the highlighter come from coding)."""
    import tightrope
    from ..web.highlight import highlight

    tightrope.extract_texts([GOOD_TEXT], published="2024-03-05")  # load the models before timing
    rows = []
    for n in sizes:
        text = news_text(n)
        started = time.perf_counter()
        (result,) = tightrope.extract_texts([text], published="2024-03-05")
        coded = time.perf_counter() - started
        started = time.perf_counter()
        html = highlight(result.article.text, result.actors, result.events, result.quotes)
        shown = time.perf_counter() - started
        rows.append({"chars": n, "extract_s": round(coded, 2), "highlight_s": round(shown, 3),
                     "actors": len(result.actors), "events": len(result.events), "quotes": len(result.quotes),
                     "html_chars": len(html)})
        console.print(f"{n:>9,} chars: extract {coded:8.2f} s, highlight {shown:7.3f} s "
                      f"({len(result.actors)} actors, {len(result.events)} events, {len(result.quotes)} quotes)",
                      markup=False)
    return {"rows": rows,
            "extract_exponent": round(exponent([(r["chars"], r["extract_s"]) for r in rows]), 2),
            "highlight_exponent": round(exponent([(r["chars"], r["highlight_s"]) for r in rows]), 2)}


# --- the command ------------------------------------------------------------------------------------------

CASES = ("bomb", "jsonl", "csv", "parquet", "markup", "names", "dates", "views", "exports", "fifo", "utf16", "entities",
         "held", "server", "kills", "sigint", "worker", "writers", "shadow")
CORPUS_CASES = ("kills", "sigint", "worker", "writers", "shadow")


def run(workdir: str | None = None, kills: int = 12, burst_n: int = 300, with_curves: bool = False,
        only: list[str] | None = None) -> dict[str, Any]:
    unknown = sorted(set(only or ()) - set(CASES))
    if unknown:
        console.print(f"error: --only {', '.join(unknown)}: no such case group (groups: {', '.join(CASES)})",
                      markup=False)
        raise SystemExit(2)
    work = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="tightrope-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("failed-*.stderr.txt"):  # from an earlier run in the same folder
        stale.unlink()
    bench = Bench(work.resolve(), kills, burst_n)
    console.print(f"tightrope bench reliability in {work}", markup=False)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("bomb", bench.case_gzip_bomb), ("jsonl", bench.case_long_jsonl_line), ("csv", bench.case_long_csv_line),
        ("parquet", bench.case_parquet_bomb), ("markup", bench.case_markup), ("names", bench.case_names),
        ("dates", bench.case_dates), ("views", bench.case_dates_in_views), ("exports", bench.case_formula_exports),
        ("fifo", bench.case_fifo), ("utf16", bench.case_utf16), ("entities", bench.case_entity_feeds),
        ("held", bench.case_held_database), ("server", bench.case_server),
    ]
    for name, step in steps:
        if not only or name in only:
            step()
    if not only or set(CORPUS_CASES) & set(only):
        corpus, reference = bench.reference()
        for name, step in (("kills", bench.case_sigkills), ("sigint", bench.case_sigint),
                           ("worker", bench.case_dead_worker), ("writers", bench.case_two_writers)):
            if not only or name in only:
                step(corpus, reference)
        if not only or "shadow" in only:
            bench.case_shadowing_module(corpus)
    if with_curves:
        figures_curves = curves()
        bench.add_curves(figures_curves)
    table = Table(title="tightrope bench reliability", title_justify="left")
    for column in ("case", "expected", "observed", "pass", "peak RSS MB", "s"):
        table.add_column(column, overflow="fold")
    for case in bench.cases:  # Text: what the cases observed holds "[/quote]" and the like, never markup
        table.add_row(*(Text(plain(cell)) for cell in (case.name, case.expected, case.observed)),
                      "yes" if case.passed else "NO", f"{case.peak_mb:,.0f}", f"{case.seconds:.1f}")
    console.print(table)
    figures: dict[str, Any] = {
        "cases": len(bench.cases), "passed": sum(c.passed for c in bench.cases),
        "failed": [c.name for c in bench.cases if not c.passed],
        "max_peak_rss_mb": round(max((c.peak_mb for c in bench.cases), default=0)),
        "kills": bench.kills_done, "lost": bench.lost, "duplicated": bench.duplicated,
    }
    if with_curves:
        figures["curves"] = figures_curves
        figures["extract_exponent"] = figures_curves["extract_exponent"]
        figures["highlight_exponent"] = figures_curves["highlight_exponent"]
    figures["results"] = [c.as_dict() for c in bench.cases]
    if not workdir:
        shutil.rmtree(work, ignore_errors=True)
    return finish("reliability", figures, console=console)
