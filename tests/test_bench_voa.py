"""The real-news benches (events, actors, quotes): the matching rule of the voa_events README, and the
benches run end to end on a tiny folder written here (the real folder is read only by the benches)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tightrope.bench.events import gold_reciprocal, same_dyad, same_sentence
from tightrope.bench.voa import GoldFolderError, match_one_to_one, normalise, occurrences, read_folder
from tightrope.records import Actor, Event


def _actor(text: str, country: str | None, sector: str | None = "GOV") -> Actor:
    return Actor(text=text, start=0, end=len(text), country=country, sector=sector)


def _event(src: str | None, tgt: str | None, type_: str = "ACCUSE", start: int = 0, end: int = 40,
           reciprocal: bool = False) -> Event:
    return Event(source=_actor("a", src) if src else None, target=_actor("b", tgt) if tgt else None, type=type_,
                 sentence="x", start=start, end=end, trigger="t", reciprocal=reciprocal)


def test_one_to_one_matching_is_largest():
    # system 0 fits gold 0 and 1, system 1 fits only gold 0: the largest matching uses both
    fits = {(0, 0), (0, 1), (1, 0)}
    assert match_one_to_one(2, 2, lambda s, g: (s, g) in fits) == [(0, 1), (1, 0)]
    # one gold event is matched once even when two system events fit it
    assert match_one_to_one(2, 1, lambda s, g: True) == [(0, 0)]
    assert match_one_to_one(0, 3, lambda s, g: True) == []


def test_sentence_overlap_needs_more_than_half_of_the_shorter():
    assert same_sentence(_event("USA", "CHN", start=0, end=100), [(40, 80)])  # all of the shorter
    assert not same_sentence(_event("USA", "CHN", start=0, end=100), [(80, 120)])  # 20 of 40: exactly half
    assert same_sentence(_event("USA", "CHN", start=0, end=100), [(79, 119)])  # 21 of 40
    assert not same_sentence(_event("USA", "CHN", start=0, end=10), [(20, 40)])


def test_dyad_direction_and_null_countries():
    gold = {"source": {"country": "USA"}, "target": {"country": "CHN"}, "types": ["ACCUSE"]}
    assert same_dyad(_event("USA", "CHN"), gold)
    assert not same_dyad(_event("CHN", "USA"), gold)  # one-way event in the other direction
    assert same_dyad(_event("CHN", "USA", reciprocal=True), gold)  # the system says it is mutual
    talks = {"source": {"country": "USA"}, "target": {"country": "CHN"}, "types": ["CONSULT"]}
    assert gold_reciprocal(talks) and same_dyad(_event("CHN", "USA"), talks)
    no_target = {"source": {"country": "USA"}, "target": None, "types": ["ACCUSE"]}
    assert same_dyad(_event("USA", None), no_target)
    assert not same_dyad(_event("USA", "CHN"), no_target)
    two_sided = {"source": {"country": "SOM"}, "target": {"country": "KEN"}, "types": ["ASSAULT"],
                 "note": "two-sided fighting"}
    assert gold_reciprocal(two_sided) and same_dyad(_event("KEN", "SOM"), two_sided)


def test_occurrences_tolerate_cleaned_white_space_and_quote_styles():
    text = "He said  “we will   respond” on Monday.\nHe said it again."
    assert occurrences(text, "He said") == [(0, 7), (40, 47)]
    assert occurrences(text, '"we will respond"') == [(9, 28)]
    assert occurrences(text, "nowhere") == []
    assert normalise(" “a   b”\n") == '"a b"'


def _write_folder(tmp_path: Path) -> Path:
    text = ("Chad accuses Niger of border raids\n\n"
            "The government of Chad on Monday accused Niger of staging raids across the border. "
            "\"These attacks must stop at once,\" Chad's foreign minister Anna Varga told reporters in the capital.")
    (tmp_path / "stories.jsonl").write_text(json.dumps(
        {"id": "1", "title": "Border raids", "published": "2024-03-04", "url": "https://example.org/1",
         "text": text}) + "\n", encoding="utf-8")
    gold = {
        "events": [{"story": "1", "sentence": "The government of Chad on Monday accused Niger of staging "
                                              "raids across the border.",
                    "source": {"text": "The government of Chad", "country": "TCD", "sector": "GOV"},
                    "target": {"text": "Niger", "country": "NER", "sector": "GOV"},
                    "types": ["ACCUSE"], "modality": "asserted"}],
        "quotes": [{"story": "1", "text": "These attacks must stop at once", "speaker": "Anna Varga",
                    "speaker_country": "TCD"}],
        "actors": [{"story": "1", "mention": "Niger", "country": "NER", "sector": "GOV"}],
    }
    (tmp_path / "gold.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")
    return tmp_path


def test_read_folder_names_what_is_missing(tmp_path):
    with pytest.raises(GoldFolderError, match="stories.jsonl"):
        read_folder(tmp_path)
    (tmp_path / "stories.jsonl").write_text("{not json\n", encoding="utf-8")
    (tmp_path / "gold.yaml").write_text("events: []\n", encoding="utf-8")
    with pytest.raises(GoldFolderError, match=r"stories.jsonl:1: not JSON"):
        read_folder(tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["events", "actors", "quotes"])
def test_bench_runs_on_a_tiny_folder_and_ends_with_its_json_line(tmp_path, name):
    folder = _write_folder(tmp_path)
    out = subprocess.run([sys.executable, "-m", "tightrope", "bench", name, str(folder)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    line = json.loads(out.stdout.strip().splitlines()[-1])
    assert line["bench"] == name
    if name == "events":
        assert line["events_gold"] == 1 and line["n_stories"] == 1
        assert 0.0 <= line["precision"] <= 1.0 and 0.0 <= line["recall"] <= 1.0
    elif name == "actors":
        assert line["n"] == 1 and line["found"] == 1.0  # "Niger" is found (its country is the resolver's business)
    else:
        assert line["n"] == 1 and line["found"] == 1.0  # the quotation is found as a quote


@pytest.mark.slow
def test_a_missing_model_file_ends_the_bench_with_one_line(tmp_path):
    """A model file named by $TIGHTROPE_EVENT_MODEL that is not there stops the bench with one line naming it
    (it printed a StageError traceback), and it is never silently replaced by the rules alone."""
    import os

    folder = _write_folder(tmp_path)
    missing = tmp_path / "no-such-model.npz"
    out = subprocess.run([sys.executable, "-m", "tightrope", "bench", "events", str(folder)], capture_output=True,
                         text=True, timeout=300, env={**os.environ, "TIGHTROPE_EVENT_MODEL": str(missing)})
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(missing) in lines[0], out.stderr
    assert "Traceback" not in out.stderr and '"bench"' not in out.stdout
