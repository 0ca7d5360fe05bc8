"""The foundation through the CLI: --version, demo, extract --json (output contract, offsets), idempotence,
duplicates, bad inputs, the seeds and the allsides corpus. Structure only: extraction quality lives elsewhere."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tightrope import __version__
from tightrope.cli import app
from tightrope.cli.main import sample_corpus_path
from tightrope.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
ALLSIDES = SHARED / "data" / "allsides_baly_corpus" / "articles_8k.jsonl.gz"
SAMPLE = sample_corpus_path()
SAMPLE_FILES = sorted(SAMPLE.glob("*.txt"))

ARTICLE_KEYS = {"id", "title", "outlet", "published", "url", "actors", "events", "quotes"}
ACTOR_KEYS = {"text", "start", "end", "name", "country", "sector", "code"}
EVENT_KEYS = {"source", "target", "type", "mode", "cameo", "intensity", "quad", "modality", "claimed_by",
              "date", "location", "sentence", "start", "end", "trigger"}
QUOTE_KEYS = {"text", "direct", "cue", "speaker", "start", "end"}
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
MODALITIES = {"asserted", "negated", "planned", "hypothetical", "claimed"}

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    # a crash inside the command shows up as an exception on the result, not as output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def summary_value(stderr: str, label: str) -> int:
    m = re.search(re.escape(label) + r"\W+([\d,]+)", stderr)
    assert m, f"no {label!r} in the summary:\n{stderr}"
    return int(m.group(1).replace(",", ""))


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One `extract SAMPLE --json` run shared by the tests below (spaCy loads once per process)."""
    db = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    result = invoke("extract", SAMPLE, "--db", db, "--json")
    return db, result


def test_sample_corpus_shape():
    assert len(SAMPLE_FILES) >= 14
    outlets = set()
    for path in SAMPLE_FILES:
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        assert {"outlet", "published", "url"} <= set(fields), path.name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["published"]), path.name
        outlets.add(fields["outlet"])
        words = len(path.read_text(encoding="utf-8").split())
        assert 150 <= words <= 380, (path.name, words)
    assert len(outlets) >= 4


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tightrope {__version__}"


def test_demo_prints_a_summary_and_writes_the_db(tmp_path):
    db = tmp_path / "demo.duckdb"
    result = invoke("demo", "--db", db)
    assert result.exit_code == 0, result.output
    assert summary_value(result.stderr, "articles read") >= 14
    assert summary_value(result.stderr, "skipped inputs") == 0  # the sample folder's README is not an input
    assert db.exists()
    assert Store(db, read_only=True).counts()["articles"] >= 14


def _check_actor(actor: dict, text: str) -> None:
    assert ACTOR_KEYS <= set(actor), actor
    assert isinstance(actor["start"], int) and isinstance(actor["end"], int)
    assert 0 <= actor["start"] < actor["end"] <= len(text)
    assert text[actor["start"]:actor["end"]] == actor["text"]
    assert actor["country"] is None or isinstance(actor["country"], str)


def test_extract_json_follows_the_output_contract(sample_run):
    db, result = sample_run
    assert result.exit_code == 0, result.output
    objects = json_lines(result.stdout)
    assert len(objects) == len(SAMPLE_FILES)
    texts = {r.article.id: r.article.text for r in Store(db, read_only=True).results()}
    assert len({o["id"] for o in objects}) == len(objects)
    for obj in objects:
        assert ARTICLE_KEYS <= set(obj), obj.keys()
        assert obj["title"] and obj["outlet"] and obj["url"].startswith("https://")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", obj["published"])
        text = texts[obj["id"]]
        for actor in obj["actors"]:
            _check_actor(actor, text)
        for event in obj["events"]:
            assert EVENT_KEYS <= set(event), event.keys()
            assert event["type"] in PLOVER
            assert event["modality"] in MODALITIES
            assert text[event["start"]:event["end"]] == event["sentence"]
            assert event["trigger"]
            if event.get("trigger_start") is not None:
                assert text[event["trigger_start"]:event["trigger_end"]] == event["trigger"]
            for role in ("source", "target", "claimed_by"):
                if event[role] is not None:
                    _check_actor(event[role], text)
            if event["modality"] != "claimed":
                assert event["claimed_by"] is None
        for quote in obj["quotes"]:
            assert QUOTE_KEYS <= set(quote), quote.keys()
            assert isinstance(quote["direct"], bool)
            # the content's parts, joined by " … " when the statement is split ("“...,” she said, “...”")
            parts = quote["parts"] or [[quote["start"], quote["end"]]]
            assert [parts[0][0], parts[-1][1]] == [quote["start"], quote["end"]]
            assert " … ".join(text[s:e] for s, e in parts) == quote["text"]
            if quote["speaker"] is not None:
                _check_actor(quote["speaker"], text)


def test_json_objects_match_the_store(sample_run):
    db, result = sample_run
    stored = {r.article.id: r.to_dict() for r in Store(db, read_only=True).results()}
    for obj in json_lines(result.stdout):
        assert stored[obj["id"]] == obj


def test_summary_counts_match_the_store(sample_run):
    db, result = sample_run
    counts = Store(db, read_only=True).counts()
    assert summary_value(result.stderr, "articles stored (new)") == counts["articles"] == len(SAMPLE_FILES)
    assert summary_value(result.stderr, "actors") == counts["mentions"]
    assert summary_value(result.stderr, "events") == counts["events"]
    assert summary_value(result.stderr, "quotes") == counts["quotes"]


def test_running_extract_twice_adds_nothing(sample_run, tmp_path):
    db, _ = sample_run
    before = Store(db, read_only=True).counts()
    copy = tmp_path / "again.duckdb"
    shutil.copy(db, copy)
    again = invoke("extract", SAMPLE, "--db", copy)
    assert again.exit_code == 0, again.output
    assert summary_value(again.stderr, "articles stored (new)") == 0
    assert summary_value(again.stderr, "already stored") == len(SAMPLE_FILES)
    assert Store(copy, read_only=True).counts() == before


def test_duplicates_are_skipped_and_counted(tmp_path):
    folder = tmp_path / "dups"
    folder.mkdir()
    shutil.copy(SAMPLE_FILES[0], folder / "a.txt")
    shutil.copy(SAMPLE_FILES[0], folder / "b.txt")
    db = tmp_path / "dups.duckdb"
    result = invoke("extract", folder, "--db", db)
    assert result.exit_code == 0, result.output
    assert summary_value(result.stderr, "duplicates skipped") == 1
    assert Store(db, read_only=True).counts()["articles"] == 1


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


def test_bad_inputs_are_named_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SAMPLE_FILES[2], folder / "good.txt")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    good_row = {"title": "Talks resume", "text": SAMPLE_FILES[4].read_text(encoding="utf-8").split("\n\n", 2)[2],
                "outlet": "Atlas Wire", "published": "2025-10-28"}
    (folder / "rows.jsonl").write_text(json.dumps(good_row) + "\n{not json at all\n", encoding="utf-8")
    missing = tmp_path / "no_such_file.txt"
    db = tmp_path / "mixed.duckdb"
    result = invoke("extract", folder, missing, "--db", db)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = _problem_lines(result.stderr)
    for name in ("binary.txt", "empty.txt", "rows.jsonl:2", "no_such_file.txt"):
        hits = [line for line in lines if name in line]
        assert len(hits) == 1, (name, lines)
    assert summary_value(result.stderr, "skipped inputs") == len(lines) == 4
    assert Store(db, read_only=True).counts()["articles"] == 2  # good.txt and the good JSONL row


def test_nothing_readable_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = invoke("extract", tmp_path / "empty.txt", tmp_path / "missing.txt", "--db", tmp_path / "x.duckdb")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = _problem_lines(result.stderr)
    assert any("empty.txt" in line for line in lines)
    assert any("missing.txt" in line for line in lines)


def test_json_stdout_holds_only_json_when_inputs_are_bad(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    shutil.copy(SAMPLE_FILES[3], tmp_path / "good.txt")
    result = invoke("extract", tmp_path, "--db", tmp_path / "x.duckdb", "--json")
    assert result.exit_code == 0
    assert len(json_lines(result.stdout)) == 1


def test_a_typer_setting_that_cannot_run_is_named_and_the_linear_typer_decides(tmp_path, monkeypatch):
    from tightrope.events import neural

    shutil.copy(SAMPLE_FILES[3], tmp_path / "one.txt")
    monkeypatch.setenv("TIGHTROPE_TYPER", "nueral")
    result = invoke("extract", tmp_path / "one.txt", "--db", tmp_path / "a.duckdb")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: TIGHTROPE_TYPER")]
    assert len(warnings) == 1 and "'nueral'" in warnings[0] and "linear typer" in warnings[0]
    # asked for the neural typer where it is not installed: one line saying how to install it
    monkeypatch.setattr(neural, "available", lambda *a, **k: False)
    monkeypatch.setenv("TIGHTROPE_TYPER", "neural")
    result = invoke("extract", tmp_path / "one.txt", "--db", tmp_path / "b.duckdb")
    assert result.exit_code == 0
    assert any(line.startswith("warning: TIGHTROPE_TYPER=neural") and "[neural]" in line
               for line in result.stderr.splitlines())
    monkeypatch.setenv("TIGHTROPE_TYPER", "lr")
    result = invoke("extract", tmp_path / "one.txt", "--db", tmp_path / "c.duckdb")
    assert "warning: TIGHTROPE_TYPER" not in result.stderr


def test_seeds(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present")
    result = invoke("extract", SEEDS, "--db", tmp_path / "seeds.duckdb", "--json")
    assert result.exit_code == 0, result.output
    objects = json_lines(result.stdout)
    assert len(objects) == 2
    for obj in objects:
        assert ARTICLE_KEYS <= set(obj)
        assert obj["title"]


def test_allsides_corpus_field_mapping(tmp_path):
    if not ALLSIDES.is_file():
        pytest.skip(f"{ALLSIDES} not present")
    db = tmp_path / "allsides.duckdb"
    result = invoke("extract", ALLSIDES, "--db", db, "--json", "--limit", "20")
    assert result.exit_code == 0, result.output
    objects = json_lines(result.stdout)
    assert len(objects) == 20
    stored = {r.article.id: r.article for r in Store(db, read_only=True).results()}
    assert len(stored) == 20
    for obj in objects:
        art = stored[obj["id"]]
        assert obj["title"] and obj["outlet"], obj  # title, source -> outlet
        # date -> published (some rows have an empty date)
        assert obj["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", obj["published"])
        assert obj["url"].startswith("http")
        assert len(art.text) > 200  # content_original -> text
    assert sum(o["published"] is not None for o in objects) >= 15
    assert {"NPR Online News", "Vox"} & {o["outlet"] for o in objects}


def test_installed_entry_point_prints_the_version():
    import subprocess
    import sys

    script = Path(sys.executable).with_name("tightrope")
    if not script.exists():
        pytest.skip("no `tightrope` script beside this Python")
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"tightrope {__version__}"
    mod = subprocess.run([sys.executable, "-m", "tightrope", "--version"], capture_output=True, text=True,
                         timeout=60)
    assert mod.returncode == 0 and mod.stdout.strip() == f"tightrope {__version__}"
