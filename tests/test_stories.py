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


def test_blocking_skips_stories_without_shared_rare_terms():
    g = Grouper(GroupingParams(dense=False))  # the term index alone
    g.add(DAM_A)
    g.add(MINE_A)  # shares none of the dam story's index terms: no story scored
    assert g.compared == 0
    g.add(DAM_B)  # a candidate through the index
    assert g.compared >= 1


def test_posting_cap_bounds_candidates():
    g = Grouper(GroupingParams(dense=False, posting_cap=3, threshold=99.0))
    for i in range(30):  # thirty distinct stories that all mention the same place
        g.add(Article(id=f"n{i}", title=f"Velmora notice {i}", text=f"Velmora item{i}a item{i}b item{i}c item{i}d.",
                      published="2031-03-02"))
    assert len(g.groups()) == 30
    # each article scores at most posting_cap stories per index term and week bucket (3 buckets, plus undated)
    assert g.compared <= 30 * g.p.block_terms * g.p.posting_cap
    assert max(len(v) for v in g.postings.values()) == 30  # the postings grow; what is scanned does not
    assert g.compared <= 30 * 3  # all share only "velmora": at most posting_cap stories scored each


def test_dense_candidates_are_bounded():
    from tightrope.stories.embedding import available

    if not available():
        pytest.skip("MiniLM encoder not installed")
    import numpy as np

    g = Grouper(GroupingParams(dense=True, dense_candidates=2, posting_cap=0, threshold=99.0))
    rng = np.random.default_rng(0)
    for i in range(20):
        v = rng.normal(size=384).astype(np.float32)
        g.add(Article(id=f"d{i}", title=f"notice {i}", text=f"item{i}", published="2031-03-02"),
              embedding=v / np.linalg.norm(v))
    assert g.compared <= 20 * 2  # the index found nothing; the embedding gave at most 2 stories each


def test_stories_close_after_a_quiet_window():
    g = Grouper(GroupingParams(dense=False, quiet_days=14))
    g.add(DAM_A)
    late = Article(id="late", title="Copper prices", text="Copper prices rose in Brask.", published="2031-04-20")
    g.add(late)
    assert not g.stories[0].open and g.stories[0].centroid == {}  # closed: its features are dropped
    assert g.stories[0].members == ["dam-a"]
    again = Article(id="dam-again", title=DAM_B.title, text=DAM_B.text, outlet="Daily Ledger", published="2031-04-21")
    assert g.add(again) == 2  # a closed story takes no more articles


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


def _all_facts(comp):
    return list(comp["shared"]) + [f for fs in comp["only_in"].values() for f in fs]


def test_comparison_shared_only_in_quote_variant_no_false_conflict():
    comp = compare_results([ArticleResult(DAM_A), ArticleResult(DAM_B)], "s1")
    shared = {(f["kind"], f["text"]) for f in comp["shared"]}
    assert ("number", "40 percent of the river flow") in shared
    assert ("number", "12 engineers") in shared
    assert any(f["kind"] == "quote" and "old rivalry" in f["text"] and "Marrow" in f["text"] for f in comp["shared"])
    # names are listed apart from the facts, with who named them
    named = {e["name"]: e["outlets"] for e in comp["entities"]}
    assert named["Tomas Reyl"] == ["Daily Ledger"] and named["Ilse Marrow"] == ["Daily Ledger", "Harbor Post"]
    assert len(comp["quote_variants"]) == 1
    v = comp["quote_variants"][0]
    assert "old rivalry" in v["a"]["text"] and "old rivalry" in v["b"]["text"]
    assert v["a"]["speaker"].endswith("Marrow") and v["b"]["speaker"] == "Ilse Marrow"
    assert comp["conflicts"] == []
    assert set(comp["tone"]) == {"Harbor Post", "Daily Ledger"}
    assert "denounced" in comp["tone"]["Harbor Post"]["negative"]
    assert "denounced" not in comp["tone"]["Daily Ledger"]["negative"]


def test_facts_are_never_bare_names_numbers_or_dates():
    import re

    comp = compare_results([ArticleResult(DAM_A), ArticleResult(DAM_B)], "s1")
    facts = _all_facts(comp)
    assert facts and {f["kind"] for f in facts} <= {"event", "quote", "number"}
    for f in facts:
        assert not re.fullmatch(r"[$€£]?[\d.,]+\s*%?", f["text"]), f  # "NUMBER 1"
        if f["kind"] == "number":
            assert f["unit"] or f["counted"], f
        if f["kind"] == "quote":
            assert len(f["quote"].split()) >= 4, f
    # "March 2031" and a name on its own are no facts
    assert not any(f["text"] in ("March 2031", "Tomas Reyl", "Lisbon", "2031") for f in facts)


def test_quote_variants_need_a_real_similarity():
    from tightrope.quotes.align import align_quotes
    from tightrope.stories.compare import same_quote

    a = Article(id="qa", outlet="Harbor Post", title="Dam vote", published="2031-03-02",
                text="“The dam deal is a betrayal of our farmers,” said Ilse Marrow.")
    b = Article(id="qb", outlet="Daily Ledger", title="Dam vote", published="2031-03-02",
                text="“Our farmers will profit from the dam deal for decades,” said Tomas Reyl.")
    comp = compare_results([ArticleResult(a), ArticleResult(b)], "s")
    # the plain aligner pairs these two different statements (three shared words, similarity 0.6) ...
    assert align_quotes(compare_fallback(a), compare_fallback(b), min_similarity=0.5)
    # ... the comparison does not: they are two facts, one in each outlet, and no variant
    assert comp["quote_variants"] == []
    assert [f["kind"] for f in comp["only_in"]["qa"]] == ["quote"]
    assert [f["kind"] for f in comp["only_in"]["qb"]] == ["quote"]
    assert same_quote("This treaty turns an old rivalry into a shared future for both our peoples",
                      "This treaty turns an old rivalry into a common future for our two peoples") is not None
    assert same_quote("Obama", "I want to see the birth certificate, Obama should show it") is None


def compare_fallback(article):
    from tightrope.stories.compare import fallback_quotes

    return fallback_quotes(ArticleResult(article))


def test_comparison_flags_different_figures_for_same_thing():
    comp = compare_results([ArticleResult(MINE_A), ArticleResult(MINE_B)], "s2")
    figs = [c for c in comp["conflicts"] if c["kind"] == "figure"]
    assert figs and figs[0]["values"] == {"mine-a": ["15"], "mine-b": ["25"]}


def test_story_comparison_from_store(tmp_path):
    db = _store_with(tmp_path, [DAM_A, DAM_B])
    [story] = group_store(db)
    comp = story_comparison(Store(db, read_only=True), story.id)
    assert comp["id"] == story.id and comp["articles"] == ["dam-a", "dam-b"]
    assert comp["title"] == story.headline and story.headline in (DAM_A.title, DAM_B.title)
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
    assert "quote variants" in res.output and "40 percent of the river flow" in res.output
    res = runner.invoke(app, ["story", sid, "--db", str(db), "--json"])
    assert json.loads(res.stdout)["id"] == sid
    res = runner.invoke(app, ["story", "missing", "--db", str(db)])
    assert res.exit_code == 1
    res = runner.invoke(app, ["stories", "--db", str(db), "--limit", "1", "--sort", "recent"])
    assert res.exit_code == 0, res.output
    assert "1 of 2 stories" in res.output
    res = runner.invoke(app, ["stories", "--db", str(db), "--sort", "sideways"])
    assert res.exit_code == 2 and "--sort" in res.output


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
    assert len(arts) == 2 and len(group_articles(arts)) == 1
    comp = compare_results([ArticleResult(a) for a in arts])
    assert comp["quote_variants"] and comp["conflicts"] == []
    assert any(f["kind"] == "number" and f["value"] == "50" and f["unit"] == "percent" for f in comp["shared"])
    assert any(f["kind"] == "quote" for f in comp["shared"])
    # each telling has facts of its own, and they are facts
    for a in arts:
        only = comp["only_in"][a.id]
        assert only and {f["kind"] for f in only} <= {"event", "quote", "number"}
    assert comp["title"] in {a.title for a in arts}


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
    accused = [f for f in comp["only_in"]["dam-a"] if f["kind"] == "event"]
    assert [(f["text"], f["source"], f["type"], f["target"]) for f in accused] == [
        ("Velmora parliament ACCUSE Velmora", "Velmora parliament", "ACCUSE", "Velmora")]
    assert accused[0]["sentence"] == "Velmora parliament ACCUSE Velmora."
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
    assert load(tmp_path, years=(2030, 2030)) == [] and len(load(tmp_path, years=(2031, 2032))) == 4
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


# Same actors, same week, two stories (written for this test): a treaty, and an expulsion of diplomats.
DAM_C = Article(
    id="dam-c", outlet="Evening Wire", published="2031-03-03",
    title="Water pact for the Karst: Velmora concedes share of river to Ostrand",
    text=(
        "Velmora agreed to let 40 percent of the Karst river flow reach Ostrand under a treaty signed in "
        "Lisbon, its government said, closing the quarrel over the Halvard dam. A joint commission of 12 "
        "engineers will watch the reservoir. Opposition deputies in Velmora called the deal a surrender."
    ),
)
SPY_A = Article(
    id="spy-a", outlet="Harbor Post", published="2031-03-04",
    title="Ostrand expels three Velmora diplomats over spying claims",
    text=(
        "Ostrand ordered three Velmora diplomats to leave the country within 48 hours, accusing them of "
        "spying on its naval base at Corsk. The foreign ministry said the envoys had photographed submarine "
        "pens. Velmora denied the charge and promised to respond in kind."
    ),
)
SPY_B = Article(
    id="spy-b", outlet="Daily Ledger", published="2031-03-04",
    title="Velmora envoys told to leave Ostrand in espionage row",
    text=(
        "Three diplomats from Velmora must quit Ostrand in 48 hours after being accused of espionage at the "
        "Corsk naval base, where they allegedly photographed submarine pens. Velmora's foreign ministry "
        "rejected the accusation as a fabrication and vowed retaliation."
    ),
)
SPY_C = Article(
    id="spy-c", outlet="Evening Wire", published="2031-03-05",
    title="Velmora vows to retaliate after Ostrand spy expulsions",
    text=(
        "Velmora said it would expel Ostrand diplomats in return after Ostrand threw out three of its envoys "
        "over alleged spying at the Corsk naval base. The expelled diplomats had 48 hours to leave."
    ),
)


@pytest.mark.parametrize("dense", [False, True])
def test_same_actors_same_week_two_stories_three_outlets(dense):
    from tightrope.stories.embedding import available

    if dense and not available():
        pytest.skip("MiniLM encoder not installed")
    arts = [DAM_A, SPY_A, DAM_B, SPY_B, DAM_C, SPY_C]
    arts.sort(key=lambda a: (a.published, a.id))
    groups = group_articles(arts, GroupingParams(dense=dense))
    # one story told by three outlets kept together; the other story of the same two countries apart
    assert _ids(groups) == [["dam-a", "dam-b", "dam-c"], ["spy-a", "spy-b", "spy-c"]]


def test_same_outlet_twice_needs_more_evidence():
    g = Grouper(GroupingParams(dense=False))
    x = g.story_features(*g.prepare(DAM_B)[:3], g.stories[g.add(DAM_A)])
    same = dict(x, same_outlet=1.0)
    assert g.score(same) < g.score(x)  # an outlet tells a story once: its next article is usually the next story


def test_grouping_is_deterministic_and_order_is_stated():
    arts = [DAM_A, SPY_A, DAM_B, SPY_B, DAM_C, SPY_C]
    first = group_articles(arts, GroupingParams(dense=False))
    assert first == group_articles(list(arts), GroupingParams(dense=False))
    # a story is listed from its first article, in input order
    assert first[0][0] == arts[0].id


def test_central_title_is_the_headline_nearest_the_others():
    from tightrope.stories.grouping import central_title

    titles = ["Karst treaty signed", "Velmora and Ostrand sign Karst river treaty in Lisbon",
              "Ostrand and Velmora sign river treaty", "Weather: rain in Lisbon"]
    assert central_title(titles) == "Velmora and Ostrand sign Karst river treaty in Lisbon"
    import numpy as np

    emb = np.array([[1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1]], dtype=np.float32)  # the middle two lie nearest the mean
    assert central_title(titles, emb) == "Velmora and Ostrand sign Karst river treaty in Lisbon"
    assert central_title(titles[2:], emb[2:]) == "Ostrand and Velmora sign river treaty"  # two: by shared words
    assert central_title([]) == ""


def test_group_store_titles_stories_and_keeps_embeddings(tmp_path, monkeypatch):
    from tightrope.stories import embedding

    db = _store_with(tmp_path, [DAM_A, SPY_A, DAM_B, SPY_B, DAM_C, SPY_C])
    stories = group_store(db)
    assert sorted(sorted(s.articles) for s in stories) == [["dam-a", "dam-b", "dam-c"], ["spy-a", "spy-b", "spy-c"]]
    for s in stories:
        assert s.headline in {a.title for a in (DAM_A, DAM_B, DAM_C, SPY_A, SPY_B, SPY_C) if a.id in s.articles}
    rows = Store(db, read_only=True).query("SELECT headline FROM stories ORDER BY id")
    assert {r["headline"] for r in rows} == {s.headline for s in stories}
    n = Store(db, read_only=True).query("SELECT count(*) AS n FROM story_embeddings")[0]["n"]
    if not embedding.available():
        assert n == 0
        return
    assert n == 6
    # a second grouping embeds nothing again
    monkeypatch.setattr(embedding, "embed_leads", lambda arts: (_ for _ in ()).throw(AssertionError("re-embedded")))
    again = group_store(db, regroup=True)
    assert sorted(sorted(s.articles) for s in again) == sorted(sorted(s.articles) for s in stories)


def test_list_stories_recent_first(tmp_path):
    db = _store_with(tmp_path, [DAM_A, DAM_B, DAM_C, SPY_A, SPY_B, SPY_C])
    group_store(db)
    recent = list_stories(db, order="recent")
    assert [s["end"] for s in recent] == ["2031-03-05", "2031-03-03"]


def test_emergent_stream_from_csv(tmp_path):
    import uuid

    from tightrope.bench.stories import emergent, emergent_part

    path = tmp_path / "claims.csv"
    rows = ["id,claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId"]
    claim_ids = [str(uuid.UUID(int=k)) for k in (1, 2)]
    # version-1 UUIDs carry their time: the third headline a week after the first two
    for k, (head, claim, when) in enumerate((("Karst pact signed", 0, 0x1F1D3E000000000),
                                             ("Treaty on the Karst", 0, 0x1F1D3E000000000),
                                             ("Spies expelled", 1, 0x1F1D3E000000000 + 7 * 864000000000))):
        aid = uuid.UUID(fields=(when & 0xFFFFFFFF, (when >> 32) & 0xFFFF, 0x1000 | (when >> 48), 0x80, 0, k))
        rows.append(f"{k},claim,{head},for,{aid},{claim_ids[claim]}")
    path.write_text("\n".join(rows) + "\n")
    out = emergent(path)
    assert [r["title"] for r in out] == ["Karst pact signed", "Treaty on the Karst", "Spies expelled"]
    assert out[0]["date"] == out[1]["date"] and out[0]["date"] != out[2]["date"]
    assert out[0]["text"] == out[0]["title"] and out[0]["story"] == claim_ids[0]
    part = emergent_part(claim_ids[0])
    assert {r["id"] for r in emergent(path, part)} >= {out[0]["id"], out[1]["id"]}
    assert all(emergent_part(r["story"]) == part for r in emergent(path, part))


def test_events_match_across_outlets_that_name_actors_differently():
    from tightrope.records import Actor, Event

    def ev(src, src_kind, src_code, tgt, tgt_kind, tgt_code):
        return Event(source=Actor(text=src, start=0, end=1, name=src, kind=src_kind, code=src_code),
                     target=Actor(text=tgt, start=0, end=1, name=tgt, kind=tgt_kind, code=tgt_code,
                                  country=tgt_code[:3]),
                     type="CONSULT", sentence=f"{src} met {tgt}.", start=0, end=5, trigger="met")

    a = ArticleResult(DAM_A, events=[ev("Ilse Marrow", "person", "VELGOV", "Ostrand", "country", "OST")])
    b = ArticleResult(DAM_B, events=[ev("Marrow", "person", "VELGOV", "Harlow", "capital", "OSTGOV"),
                                     ev("Tomas Reyl", "person", "OSTGOV", "Ostrand", "country", "OST")])
    comp = compare_results([a, b], "s")
    shared = [f for f in comp["shared"] if f["kind"] == "event"]
    assert [(f["source"], f["target"], f["outlets"]) for f in shared] == [
        ("Ilse Marrow", "Ostrand", ["Daily Ledger", "Harbor Post"])]
    # another person of the same government is another fact
    assert [f["source"] for f in comp["only_in"]["dam-b"] if f["kind"] == "event"] == ["Tomas Reyl"]
