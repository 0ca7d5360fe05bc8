"""extract_stream and its worker processes: the same results, in input order, in store-sized batches."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synthetic import write_corpus

from tightrope import pipeline
from tightrope.ingest import read_paths
from tightrope.pipeline import StageTimes, extract_results, extract_stream, shutdown_workers, worker_pool
from tightrope.records import Article, InputProblem


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


@pytest.mark.slow
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


# -- stage failures: one article's bug is a problem naming it, the rest of the batch goes on --------------

def _fail_on(monkeypatch, marker: str, stage_class: str = "EventsComponent", module: str = "tightrope.events.component"):
    """Make one component raise KeyError('x') on the article whose text holds `marker`."""
    import importlib

    cls = getattr(importlib.import_module(module), stage_class)
    original = cls.__call__

    def call(self, doc):
        if marker in doc.text:
            raise KeyError("x")
        return original(self, doc)

    monkeypatch.setattr(cls, "__call__", call)


def test_a_stage_failing_on_one_article_is_a_problem_naming_it_and_the_rest_is_stored(tmp_path, monkeypatch):
    from synthetic import table_rows

    from tightrope.pipeline import StageError, run_extract
    from tightrope.store import Store

    corpus = write_corpus(tmp_path / "corpus.jsonl", 6)
    articles = [a for a in read_paths([corpus]) if isinstance(a, Article)]
    clean = run_extract([corpus], tmp_path / "clean.duckdb", executor="inprocess")
    assert clean.articles_stored == 6 and not clean.problems

    _fail_on(monkeypatch, "report number 3 ")
    seen = []
    summary = run_extract([corpus], tmp_path / "x.duckdb", executor="inprocess", on_problem=seen.append)
    bad = articles[3]
    assert summary.articles_stored == 5 and summary.stage_failures == seen and len(seen) == 1
    problem = seen[0]
    assert problem.stage == "events" and problem.article_id == bad.id
    assert str(problem) == f"article {bad.id} ({corpus}:4): events stage failed: KeyError: 'x'"
    stored = set(Store(tmp_path / "x.duckdb", read_only=True).article_ids())
    assert bad.id not in stored and stored == {a.id for a in articles} - {bad.id}
    # the other articles' rows are those of a clean run (but for the order they were stored in)
    rows = table_rows(tmp_path / "x.duckdb", exclude=("seq",))
    clean_rows = table_rows(tmp_path / "clean.duckdb", exclude=("seq",))
    for table in rows:
        assert set(rows[table]) <= set(clean_rows[table])
        assert not any(bad.id in r for r in rows[table])

    # the library calls that return results raise instead of leaving the article out silently
    with pytest.raises(StageError, match="events stage failed: KeyError"):
        extract_results(articles[:4])
    with pytest.raises(StageError):
        list(extract_stream(articles, executor="inprocess"))

    # fixed: a rerun codes the failed article and nothing else
    monkeypatch.undo()
    again = run_extract([corpus], tmp_path / "x.duckdb", executor="inprocess")
    assert again.articles_stored == 1 and again.already_stored == 5 and not again.problems
    assert table_rows(tmp_path / "x.duckdb", exclude=("seq",)) == clean_rows


def test_a_parse_failing_on_one_article_names_the_nlp_stage(tmp_path, monkeypatch):
    from tightrope import nlp
    from tightrope.pipeline import code_batch

    corpus = write_corpus(tmp_path / "corpus.jsonl", 4)
    articles = [a for a in read_paths([corpus]) if isinstance(a, Article)]
    parse_many = nlp.parse_many

    def failing(texts, *args, **kwargs):
        texts = list(texts)
        if any("report number 2 " in t for t in texts):
            raise ValueError("bad segment\nsecond line")
        return parse_many(texts, *args, **kwargs)

    monkeypatch.setattr(nlp, "parse_many", failing)
    outcomes = code_batch(articles)
    assert [type(o).__name__ for o in outcomes] == ["ArticleResult", "ArticleResult", "InputProblem", "ArticleResult"]
    assert outcomes[2].stage == "nlp" and outcomes[2].reason == "nlp stage failed: ValueError: bad segment"
    assert [o.article.id for o in outcomes if not hasattr(o, "stage")] == [articles[i].id for i in (0, 1, 3)]


def test_a_problem_travels_between_processes_intact():
    """Worker processes and Dask send problems back pickled."""
    import pickle

    article = Article(id="3f2a", title="", text="x", source="feed.jsonl:17")
    problem = InputProblem.stage_failed(article, "quotes", KeyError("x"))
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert str(problem) == "article 3f2a (feed.jsonl:17): quotes stage failed: KeyError: 'x'"


def test_a_settings_file_that_is_missing_is_an_error_before_any_coding(tmp_path):
    from tightrope.config import SettingsError
    from tightrope.pipeline import run_extract

    corpus = write_corpus(tmp_path / "corpus.jsonl", 2)
    with pytest.raises(SettingsError, match="missing.yaml"):
        run_extract([corpus], tmp_path / "x.duckdb", user_dictionary=str(tmp_path / "missing.yaml"))
    with pytest.raises(SettingsError, match="no_such.tsv"):
        run_extract([corpus], tmp_path / "x.duckdb", data={"events": {"triggers.tsv": str(tmp_path / "no_such.tsv")}})
    assert not (tmp_path / "x.duckdb").exists()


# -- settings: one object, from a TOML file, the environment (read once) and flags ------------------------

def test_settings_from_a_file_the_environment_and_flags(tmp_path):
    from tightrope.config import Settings, SettingsError, load_settings

    (tmp_path / "mine.yaml").write_text("- name: Ruritania\n  country: RUR\n", encoding="utf-8")
    cfg = tmp_path / "tightrope.toml"
    cfg.write_text('[run]\nworkers = 2\nlimit = 10\n[parse]\nfull_ner = false\n[actors]\n'
                   'user_dictionary = "mine.yaml"\n[events]\ntyper = "linear"\nmin_confidence = 0.6\n'
                   '[events.data]\n"triggers.tsv" = "my_triggers.tsv"\n', encoding="utf-8")
    s = load_settings(cfg, environ={})
    assert (s.workers, s.limit, s.min_confidence, s.full_ner) == (2, 10, 0.6, False)
    assert s.user_dictionary == str(tmp_path / "mine.yaml")  # relative to the file
    assert s.component_data("events") == {"triggers.tsv": str(tmp_path / "my_triggers.tsv")}
    assert s.component_data("quotes") == {}
    # the environment over the file, flags over both; a flag not given (None) leaves the setting alone
    s = load_settings(cfg, environ={"TIGHTROPE_TYPER": "lr", "TIGHTROPE_FULL_NER": "1"}, limit=3, workers=None)
    assert (s.typer, s.full_ner, s.limit, s.workers) == ("linear", True, 3, 2)
    assert Settings().typer == "linear" and not Settings().full_ner  # defaults never read the environment

    for text, message in [
        ("[run]\nwrokers = 2\n", "unknown key 'wrokers' in [run]"),
        ("[runn]\nworkers = 2\n", "unknown section [runn]"),
        ("[run]\nworkers = \"two\"\n", "workers: expected int"),
        ("[run]\nworkers = true\n", "workers: expected int"),
        ("[events]\ntyper = \"nueral\"\n", "typer: 'nueral' is not one of linear, neural, ensemble"),
        ("[events]\nmin_confidence = 2\n", "min_confidence: must be between 0 and 1"),
        ("[run]\nworkers = \n", "not valid TOML"),
    ]:
        cfg.write_text(text, encoding="utf-8")
        with pytest.raises(SettingsError, match=re.escape(message)) as err:
            load_settings(cfg, environ={})
        assert str(cfg) in str(err.value)


def test_cli_takes_a_config_file_and_flags_win(tmp_path):
    from typer.testing import CliRunner

    from tightrope.cli import app
    from tightrope.store import Store

    corpus = write_corpus(tmp_path / "corpus.jsonl", 6)
    cfg = tmp_path / "run.toml"
    cfg.write_text('[run]\nexecutor = "inprocess"\nlimit = 2\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(corpus), "--db", str(tmp_path / "a.duckdb"), "--config", str(cfg), "-q"])
    assert result.exit_code == 0, result.output
    assert Store(tmp_path / "a.duckdb", read_only=True).counts()["articles"] == 2
    result = runner.invoke(app, ["extract", str(corpus), "--db", str(tmp_path / "b.duckdb"), "--config", str(cfg),
                                 "--limit", "3", "-q"])
    assert result.exit_code == 0 and Store(tmp_path / "b.duckdb", read_only=True).counts()["articles"] == 3
    # an option the executor cannot honour: one line, exit 2, nothing coded
    result = runner.invoke(app, ["extract", str(corpus), "--db", str(tmp_path / "c.duckdb"), "--config", str(cfg),
                                 "--workers", "2"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: workers = 2: the in-process executor codes in one process (use executor \"processes\" for coding "
        "processes)"]
    result = runner.invoke(app, ["extract", str(corpus), "--db", str(tmp_path / "c.duckdb"),
                                 "--dask", "tcp://127.0.0.1:1", "--workers", "2"])
    assert result.exit_code == 2 and "workers = 2: a Dask cluster at tcp://127.0.0.1:1" in result.stderr
    assert not (tmp_path / "c.duckdb").exists()


@pytest.mark.parametrize("executor", ["inprocess", "processes"])
def test_a_bad_data_file_is_one_error_naming_it_not_a_problem_per_article(tmp_path, executor):
    from typer.testing import CliRunner

    from tightrope.cli import app

    corpus = write_corpus(tmp_path / "corpus.jsonl", 4)
    bad = tmp_path / "my_triggers.tsv"
    bad.write_text("lemma\ttype\tmode\nsanction\n", encoding="utf-8")  # a row without the header's columns
    cfg = tmp_path / "run.toml"
    cfg.write_text(f"[run]\nexecutor = \"{executor}\"\nbatch_size = 2\n[events.data]\n\"triggers.tsv\" = \"{bad.name}\"\n",
                   encoding="utf-8")
    try:
        result = CliRunner().invoke(app, ["extract", str(corpus), "--db", str(tmp_path / "x.duckdb"),
                                          "--config", str(cfg), "-q"])
    finally:
        shutdown_workers()
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(bad) in lines[0], lines


# -- determinism: the output is a function of the input, not of the process's hash seed -------------------

ALLSIDES = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides_baly_corpus" / "articles_8k.jsonl.gz"

_CODE_AND_DUMP = """
import json, sys
from tightrope.ingest import FieldMap, read_paths
from tightrope.pipeline import extract_results
from tightrope.records import Article

paths, n, out = sys.argv[1].split("|"), int(sys.argv[2]), sys.argv[3]
fields = FieldMap(text="content_original")
articles = [a for a in read_paths(paths, fields) if isinstance(a, Article)][:n]
with open(out, "w", encoding="utf-8") as f:
    for r in extract_results(articles, executor="inprocess"):
        f.write(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) + "\\n")
"""


@pytest.mark.slow
def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Every field of every article the same when coded in fresh processes with different PYTHONHASHSEED
    values (a set's or dict's order taken for the answer made 'Senate Foreign Relations Committee' named
    differently from run to run). Worker processes inherit the seed of the process that starts them, and Dask
    sets its own, so a seed-dependent answer differs between runs and between executors."""
    if not ALLSIDES.exists():
        pytest.skip(f"{ALLSIDES} is missing")
    from tightrope.cli.main import sample_corpus_path

    sample = sorted(str(p) for p in sample_corpus_path().glob("*.txt"))
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": seed, "OMP_NUM_THREADS": "1"}
        # the sample corpus, then the first allsides articles (the field map names allsides' text column)
        for i, paths in enumerate((sample, [str(ALLSIDES)])):
            part = tmp_path / f"seed{seed}-{i}.jsonl"
            proc = subprocess.run([sys.executable, "-c", _CODE_AND_DUMP, "|".join(paths), "300", str(part)],
                                  env=env, capture_output=True, text=True, timeout=1800)
            assert proc.returncode == 0, proc.stderr[-2000:]
            with open(out, "a", encoding="utf-8") as f:
                f.write(part.read_text(encoding="utf-8"))
        outputs.append(out.read_text(encoding="utf-8").splitlines())
    first, second = outputs
    assert len(first) == len(second) > 300
    differing = [json.loads(a)["id"] for a, b in zip(first, second) if a != b]
    assert differing == [], f"{len(differing)} articles differ between hash seeds, e.g. {differing[:5]}"


# -- read limits: one place (Settings), carried through the run path to every reader ----------------------

def test_read_limits_come_from_the_settings_and_reach_the_readers(tmp_path):
    """max_item_bytes / max_file_bytes / max_document_bytes / max_temp_bytes are settings ([limits] in a
    config file): an item or file over one is refused with one line naming the file and the setting, and the
    rest of the run goes on."""
    import gzip

    from typer.testing import CliRunner

    from tightrope.cli import app
    from tightrope.config import Settings, load_settings
    from tightrope.ingest.limits import DEFAULT_MAX_FILE_BYTES, ReadLimits
    from tightrope.pipeline import run_extract
    from tightrope.store import Store

    assert Settings().read_limits() == ReadLimits()  # the defaults live in ingest/limits.py alone
    assert Settings(max_chars=500).read_limits().max_chars == 500
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [{"title": "Short", "text": "France and Germany signed a trade agreement on Sunday."},
            {"title": "Long", "text": "Talks went on. " * 400},
            {"title": "Also short", "text": "Japan and Kenya agreed to hold further talks next month."}]
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (folder / "b.rss").write_text("<rss version='2.0'><channel><title>T</title>" + "<item><title>x</title>"
                                  "<description>Talks went on.</description></item>" * 200 + "</channel></rss>",
                                  encoding="utf-8")
    (folder / "c.parquet.gz").write_bytes(gzip.compress(b"PAR1" + b"\0" * 100_000))
    problems = []
    summary = run_extract([folder], tmp_path / "x.duckdb", Settings(executor="inprocess", max_item_bytes=2_000,
                                                                    max_document_bytes=5_000, max_temp_bytes=10_000),
                          on_problem=problems.append)
    assert summary.articles_stored == 2
    by_file = {Path(p.where.split(":")[0]).name: p for p in problems}
    assert sorted(by_file) == ["a.jsonl", "b.rss", "c.parquet.gz"] and len(problems) == 3, problems
    assert by_file["a.jsonl"].where.endswith("a.jsonl:2") and "(max_item_bytes)" in by_file["a.jsonl"].reason
    assert "(max_document_bytes)" in by_file["b.rss"].reason
    assert "(max_temp_bytes)" in by_file["c.parquet.gz"].reason

    # from a config file, through the command line
    cfg = tmp_path / "limits.toml"
    cfg.write_text("[run]\nexecutor = \"inprocess\"\n[limits]\nmax_file_bytes = 200\n", encoding="utf-8")
    assert load_settings(cfg, environ={}).max_file_bytes == 200 != DEFAULT_MAX_FILE_BYTES
    (folder / "b.rss").unlink()
    (folder / "c.parquet.gz").unlink()
    result = CliRunner().invoke(app, ["extract", str(folder / "a.jsonl"), "--db", str(tmp_path / "y.duckdb"),
                                      "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(lines) == 1 and lines[0].startswith(f"skipped {folder / 'a.jsonl'}: ") \
        and "(max_file_bytes)" in lines[0], result.stderr
    assert Store(tmp_path / "y.duckdb", read_only=True).counts()["articles"] == 1  # the line read before it
