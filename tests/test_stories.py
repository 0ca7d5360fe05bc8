"""Stories: grouping (incremental, deterministic, blocked), comparison, store tables, CLI, bench scoring.

All articles here are written for these tests (fictional places and people; real country names only where
the test is about country names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tightrope.records import Article, ArticleResult
from tightrope.store import Store
from tightrope.stories import (
    Grouper, GroupingParams, compare_results, group_articles, group_store, list_stories, story_comparison,
)
from tightrope.stories import grouping

DAM_A = Article(
    id="dam-a", outlet="Harbor Post", published="2031-03-02",
    title="Velmora and Ostrand sign Karst river water deal in Lisbon",
    text=(
        "Velmora and Ostrand signed a water-sharing treaty for the Karst river in Lisbon on Tuesday, ending "
        "a decade of quarrels over the Halvard dam. Foreign Minister Ilse Marrow said the accord guarantees "
        "40 percent of the river flow to Ostrand farmers. “This treaty turns an old rivalry into a shared "
        "future for both our peoples,” Marrow told reporters after the ceremony. The Halvard dam reservoir "
        "will be monitored by a joint commission of 12 engineers. Critics in the Velmora parliament "
        "denounced the concessions as reckless."
    ),
)
DAM_B = Article(
    id="dam-b", outlet="Daily Ledger", published="2031-03-03",
    title="Karst river treaty: Ostrand wins water share from Velmora",
    text=(
        "Ostrand secured 40 percent of the Karst river flow under a treaty signed with Velmora in Lisbon, "
        "settling the long dispute over the Halvard dam. “This treaty turns an old rivalry into a common "
        "future for our two peoples,” said Foreign Minister Ilse Marrow. The deal also creates a joint "
        "commission of 12 engineers to watch the Halvard reservoir. Ostrand President Tomas Reyl thanked the "
        "mediators from Lisbon and promised quick ratification in March 2031."
    ),
)
MINE_A = Article(
    id="mine-a", outlet="Harbor Post", published="2031-03-02",
    title="Copper strike halts Dunmere mines as miners demand pay rise",
    text=(
        "Thousands of copper miners walked out across the Dunmere highlands, halting output at the Brask "
        "and Corvel mines. Union leader Petra Osk said workers want wages raised by 15 percent. The mining "
        "ministry warned the stoppage could cut copper exports for the quarter."
    ),
)
MINE_B = Article(
    id="mine-b", outlet="Daily Ledger", published="2031-03-03",
    title="Dunmere copper miners strike over pay at Brask and Corvel",
    text=(
        "Copper output in the Dunmere highlands stopped as miners at the Brask and Corvel pits went on strike. "
        "Union leader Petra Osk demanded wages raised by 25 percent, and the mining ministry said exports of "
        "copper would fall this quarter."
    ),
)


def _ids(groups):
    return sorted(sorted(g) for g in groups)


def test_groups_two_stories_from_two_outlets():
    groups = group_articles([DAM_A, MINE_A, DAM_B, MINE_B])
    assert _ids(groups) == [["dam-a", "dam-b"], ["mine-a", "mine-b"]]


def test_accepts_article_results_and_is_deterministic():
    items = [ArticleResult(a) for a in (DAM_A, MINE_A, DAM_B, MINE_B)]
    first = group_articles(items)
    assert first == group_articles(items)
    assert first == group_articles([DAM_A, MINE_A, DAM_B, MINE_B])


def test_incremental_add_joins_existing_story():
    g = Grouper()
    assert g.add(DAM_A) == 0
    assert g.add(MINE_A) == 1
    assert g.add(DAM_B) == 0  # joins the dam story
    assert g.add(DAM_B) == 0  # adding the same article twice changes nothing
    assert g.groups() == [["dam-a", "dam-b"], ["mine-a"]]


def test_time_window_separates_same_words_months_apart():
    later = Article(id="dam-later", title=DAM_B.title, text=DAM_B.text, outlet="Daily Ledger", published="2031-07-20")
    groups = group_articles([DAM_A, later])
    assert _ids(groups) == [["dam-a"], ["dam-later"]]
    # without dates the window does not apply
    undated = [Article(id=a.id, title=a.title, text=a.text) for a in (DAM_A, later)]
    assert _ids(group_articles(undated)) == [["dam-a", "dam-later"]]


def test_blocking_skips_stories_without_shared_rare_terms(monkeypatch):
    calls = []
    real = grouping._cosine

    def counting(a, b):
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(grouping, "_cosine", counting)
    g = Grouper()
    g.add(DAM_A)
    g.add(MINE_A)  # shares none of the dam story's index terms: no similarity computed
    assert calls == []
    g.add(DAM_B)  # a candidate through the index
    assert len(calls) >= 1


def test_posting_cap_bounds_candidates(monkeypatch):
    calls = []
    real = grouping._cosine
    monkeypatch.setattr(grouping, "_cosine", lambda a, b: calls.append(1) or real(a, b))
    g = Grouper(GroupingParams(posting_cap=3, threshold=0.99))
    for i in range(30):  # thirty distinct stories that all mention the same place
        g.add(Article(id=f"n{i}", title=f"Velmora notice {i}", text=f"Velmora item{i}a item{i}b item{i}c item{i}d."))
    per_article = g.p.block_terms * g.p.posting_cap
    assert len(calls) <= 30 * per_article


def _store_with(tmp_path: Path, articles) -> Path:
    db = tmp_path / "t.duckdb"
    Store(db).add_results([ArticleResult(a) for a in articles])
    return db


def test_group_store_is_incremental_and_regroupable(tmp_path):
    db = _store_with(tmp_path, [DAM_A, MINE_A])
    first = group_store(db)
    assert [s.articles for s in first] == [["dam-a"], ["mine-a"]]
    dam_id = first[0].id
    Store(db).add_results([ArticleResult(DAM_B), ArticleResult(MINE_B)])
    second = group_store(db)
    by_id = {s.id: s for s in second}
    assert by_id[dam_id].articles == ["dam-a", "dam-b"]
    assert len(second) == 2
    listed = list_stories(Store(db, read_only=True))
    assert {s["id"] for s in listed} == set(by_id)
    top = listed[0]
    assert set(top) >= {"id", "articles", "outlets", "size", "start", "end", "headline"}
    assert top["outlets"] == ["Daily Ledger", "Harbor Post"]
    assert top["start"] == "2031-03-02" and top["end"] == "2031-03-03"
    again = group_store(db, regroup=True)
    assert _ids([s.articles for s in again]) == _ids([s.articles for s in second])
    rows = Store(db, read_only=True).query("SELECT count(*) AS n FROM story_articles")
    assert rows[0]["n"] == 4


def test_comparison_shared_only_in_quote_variant_no_false_conflict():
    comp = compare_results([ArticleResult(DAM_A), ArticleResult(DAM_B)], "s1")
    shared = {(f["kind"], f["text"]) for f in comp["shared"]}
    assert ("number", "40 percent") in shared
    assert ("entity", "Ilse Marrow") in shared
    assert ("entity", "Halvard") in shared or ("entity", "Lisbon") in shared
    only_b = {f["text"] for f in comp["only_in"]["dam-b"]}
    only_a = {f["text"] for f in comp["only_in"]["dam-a"]}
    assert "Tomas Reyl" in only_b and "March 2031" in only_b
    assert "Tomas Reyl" not in only_a
    assert len(comp["quote_variants"]) == 1
    v = comp["quote_variants"][0]
    assert "old rivalry" in v["a"]["text"] and "old rivalry" in v["b"]["text"]
    assert v["a"]["speaker"].endswith("Marrow") and v["b"]["speaker"] == "Ilse Marrow"
    assert comp["conflicts"] == []
    assert set(comp["tone"]) == {"Harbor Post", "Daily Ledger"}
    assert "reckless" in comp["tone"]["Harbor Post"]["negative"] or comp["tone"]["Harbor Post"]["negative"]


def test_comparison_flags_different_figures_for_same_thing():
    comp = compare_results([ArticleResult(MINE_A), ArticleResult(MINE_B)], "s2")
    figs = [c for c in comp["conflicts"] if c["kind"] == "figure"]
    assert figs and figs[0]["values"] == {"mine-a": ["15"], "mine-b": ["25"]}


def test_story_comparison_from_store(tmp_path):
    db = _store_with(tmp_path, [DAM_A, DAM_B])
    [story] = group_store(db)
    comp = story_comparison(Store(db, read_only=True), story.id)
    assert comp["id"] == story.id and comp["articles"] == ["dam-a", "dam-b"]
    assert set(comp) >= {"shared", "only_in", "conflicts", "quote_variants", "corroboration", "tone"}
    assert story_comparison(Store(db, read_only=True), "nope") is None


def test_cli_stories_and_story(tmp_path):
    from tightrope.cli import app

    db = _store_with(tmp_path, [DAM_A, MINE_A, DAM_B, MINE_B])
    runner = CliRunner()
    res = runner.invoke(app, ["stories", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "Velmora" in res.output or "Karst" in res.output
    res = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert res.exit_code == 0
    lines = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 2 and all({"id", "articles", "shared", "only_in", "conflicts", "quote_variants"} <= set(x)
                                   for x in lines)
    sid = next(x["id"] for x in lines if "dam-a" in x["articles"])
    res = runner.invoke(app, ["story", sid, "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "quote variants" in res.output and "Tomas Reyl" in res.output
    res = runner.invoke(app, ["story", sid, "--db", str(db), "--json"])
    assert json.loads(res.stdout)["id"] == sid
    res = runner.invoke(app, ["story", "missing", "--db", str(db)])
    assert res.exit_code == 1


def test_bench_scores_jsonl(tmp_path, capsys):
    from tightrope.bench.stories import run

    path = tmp_path / "gold.jsonl"
    with open(path, "w") as fh:
        for a, story in ((DAM_A, "dam"), (MINE_A, "mine"), (DAM_B, "dam"), (MINE_B, "mine")):
            fh.write(json.dumps({"id": a.id, "story": story, "title": a.title, "text": a.text,
                                 "outlet": a.outlet, "date": a.published}) + "\n")
    figures = run(str(path))
    assert figures["n"] == 4 and figures["stories"] == 2
    assert figures["bcubed_f1"] == 1.0 and figures["pairwise_f1"] == 1.0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last)["bench"] == "stories"


def test_seeds_form_one_story():
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared seeds not available")
    from tightrope.ingest import FieldMap, read_paths

    arts = [a for a in read_paths([str(seeds)], FieldMap()) if isinstance(a, Article)]
    assert len(group_articles(arts)) == 1
    comp = compare_results([ArticleResult(a) for a in arts])
    assert comp["quote_variants"] and comp["conflicts"] == []
    shared = {f["text"] for f in comp["shared"]}
    assert "50 percent" in shared


def _event(source, target, type_, date=None, modality="asserted"):
    from tightrope.records import Actor, Event

    return Event(source=Actor(text=source, start=0, end=len(source), name=source),
                 target=Actor(text=target, start=0, end=len(target), name=target),
                 type=type_, sentence=f"{source} {type_} {target}.", start=0, end=10, trigger=type_.lower(),
                 date=date, modality=modality)


def test_events_corroboration_and_event_conflicts():
    third = Article(id="dam-c", outlet="Evening Wire", published="2031-03-03", title="Lisbon water pact",
                    text="Velmora and Ostrand reached a river pact in Lisbon.")
    a = ArticleResult(DAM_A, events=[_event("Velmora", "Ostrand", "AGREE", "2031-03-01"),
                                     _event("Velmora parliament", "Velmora", "ACCUSE")])
    b = ArticleResult(DAM_B, events=[_event("Velmora", "Ostrand", "AGREE", "2031-03-01")])
    c = ArticleResult(third, events=[_event("Velmora", "Ostrand", "AGREE", "2031-02-27"),
                                     _event("Ostrand", "Velmora", "AID", modality="negated")])
    comp = compare_results([a, b, c], "s")
    agree = next(e for e in comp["corroboration"] if e["type"] == "AGREE")
    assert agree["count"] == 3 and agree["source"] == "Velmora" and agree["target"] == "Ostrand"
    accuse = next(e for e in comp["corroboration"] if e["type"] == "ACCUSE")
    assert accuse["count"] == 1
    assert {"kind": "event", "text": "Velmora parliament ACCUSE Velmora"} in comp["only_in"]["dam-a"]
    kinds = [c["kind"] for c in comp["conflicts"]]
    assert kinds.count("event_date") == 1
    conflict = next(c for c in comp["conflicts"] if c["kind"] == "event_date")
    assert conflict["values"]["dam-c"] == "2031-02-27"
    # the same event with the same dates in every outlet is no conflict
    comp2 = compare_results([a, b], "s")
    assert [c for c in comp2["conflicts"] if c["kind"].startswith("event")] == []


def _basil_like(root: Path) -> None:
    """A tiny folder in BASIL's layout, with our own articles."""
    for k, (art, story, ents) in enumerate(((DAM_A, "st-dam", ["Velmora", "Ostrand"]),
                                            (DAM_B, "st-dam", ["Velmora", "Ostrand"]),
                                            (MINE_A, "st-mine", ["Velmora"]),
                                            (MINE_B, "st-mine", ["Velmora"])), start=1):
        year = root / "articles" / "2031"
        year.mkdir(parents=True, exist_ok=True)
        sentences = [[s + "."] for s in art.text.split(". ")]
        (year / f"{story}_{k}.json").write_text(json.dumps({
            "source": art.outlet, "triplet-uuid": story, "uuid": art.id, "title": art.title, "date": art.published,
            "main-entities": ents, "body-paragraphs": sentences,
        }))


def test_bench_reads_basil_layout_and_builds_mixture(tmp_path):
    from tightrope.bench.stories import load, make_mixture, score

    _basil_like(tmp_path)
    items = load(tmp_path)
    assert len(items) == 4 and {s for _, s in items} == {"st-dam", "st-mine"}
    assert score(tmp_path)["bcubed_f1"] == 1.0
    out = tmp_path / "mix.jsonl"
    assert make_mixture(tmp_path, out) == 4  # both stories share the main entity "Velmora"
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["story"] for r in rows} == {"st-dam", "st-mine"} and all(r["date"].startswith("2020-01") for r in rows)
    assert score(out)["n"] == 4


def test_bench_scale_run_on_unlabelled_jsonl(tmp_path):
    import gzip

    from tightrope.bench.stories import scale

    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        for i in range(40):
            a = (DAM_A, MINE_A, DAM_B, MINE_B)[i % 4]
            fh.write(json.dumps({"ID": f"x{i}", "title": a.title, "content_original": a.text + f" Item {i}.",
                                 "source": a.outlet, "date": a.published}) + "\n")
    figures = scale(path, "content_original", sizes=(10, 20, 40))
    assert [r["size"] for r in figures["scale"]] == [10, 20, 40]
    assert figures["n"] == 40 and "time_slope" in figures and figures["stories"] >= 2


# Same actors, different story: two Chile–Peru stories a week apart (written for this test).
PACT_A = Article(
    id="pact-a", outlet="Harbor Post", published="2031-05-05",
    title="Chile and Peru sign lithium and copper export pact in Arica",
    text=(
        "Chile and Peru signed a pact on Monday to coordinate lithium and copper exports, with Chilean and "
        "Peruvian mining ministers meeting in the border city of Arica. The agreement sets up a joint refinery "
        "fund of 400 million dollars and a shared port terminal for battery-grade lithium. Peru's mining "
        "minister Rosa Villca said the pact would bring smelting jobs to the Andes. Chile's president called "
        "the accord a model for the region, while Peruvian unions asked for guarantees on wages."
    ),
)
PACT_B = Article(
    id="pact-b", outlet="Daily Ledger", published="2031-05-06",
    title="Lithium pact: Peru and Chile pool refinery fund and port terminal",
    text=(
        "Peru and Chile will pool 400 million dollars in a joint refinery fund under a lithium and copper "
        "export pact signed in Arica. Mining minister Rosa Villca said the shared port terminal would ship "
        "battery-grade lithium from next year. Chilean officials said the pact ends years of competing "
        "subsidies, and Peruvian unions want wage guarantees for smelting jobs."
    ),
)
BOATS_A = Article(
    id="boats-a", outlet="Harbor Post", published="2031-05-12",
    title="Peru protests after Chile's navy seizes fishing boats",
    text=(
        "Peru lodged a formal protest with Chile on Monday after the Chilean navy seized three Peruvian "
        "fishing boats and detained 28 crew members off the coast. Chile said the trawlers were fishing for "
        "anchovy inside its waters without a licence. The Peruvian foreign ministry summoned Chile's "
        "ambassador and demanded the fishermen's release. Families of the crew gathered at the harbour in Ilo."
    ),
)
BOATS_B = Article(
    id="boats-b", outlet="Daily Ledger", published="2031-05-13",
    title="Chile holds Peruvian trawler crews as fishing row grows",
    text=(
        "Chile's navy is holding 28 fishermen from three Peruvian trawlers seized for anchovy fishing "
        "without a licence, Chilean officials said. Peru summoned the Chilean ambassador and called the "
        "detention of the crews disproportionate. Relatives of the fishermen waited at the harbour in Ilo for "
        "news of the boats."
    ),
)


def test_same_actors_a_week_apart_stay_apart():
    arts = [PACT_A, PACT_B, BOATS_A, BOATS_B]
    assert _ids(group_articles(arts)) == [["boats-a", "boats-b"], ["pact-a", "pact-b"]]


def _sample_articles():
    from tightrope.ingest import read_paths
    from tightrope.ingest.common import FieldMap

    sample = Path(grouping.__file__).resolve().parent.parent / "sample"
    arts = [a for a in read_paths([sample], FieldMap()) if isinstance(a, Article)]
    assert len(arts) == 14
    arts.sort(key=lambda a: (a.published or "", a.id))
    return arts


def test_sample_corpus_groups_into_its_stories():
    arts = _sample_articles()
    prefix = {a.id: Path(a.source).name[:2] for a in arts}
    groups = sorted(sorted(prefix[i] for i in g) for g in group_articles(arts))
    assert groups == [["01", "02"], ["03", "04"], ["05", "06", "07"], ["08", "09", "10"], ["11"], ["12"],
                      ["13", "14"]]
