"""Store: round trip of ArticleResults through DuckDB, counts, known ids, idempotence, read-only."""

from __future__ import annotations

import pytest

from tightrope.records import Actor, Article, ArticleResult, Claim, Event, Quote
from tightrope.store import Store

TEXT = ('Rubio said the United States would meet India on Monday. "Nothing changes," '
        "he said. Pakistan welcomed the talks.")


def _actor(text: str, **kw) -> Actor:
    start = TEXT.index(text)
    return Actor(text=text, start=start, end=start + len(text), **kw)


def _result(article_id: str = "a1", title: str = "Talks") -> ArticleResult:
    rubio = _actor("Rubio", name="Marco Rubio", country="USA", sector="GOV", code="USAGOV", kind="person",
                   entity="marco rubio")
    us = _actor("United States", name="United States", country="USA", code="USA", kind="country")
    india = _actor("India", name="India", country="IND", code="IND", kind="country")
    pak = _actor("Pakistan", name="Pakistan", country="PAK", code="PAK", kind="country")
    sent_end = TEXT.index("Monday.") + len("Monday.")
    trig = TEXT.index("meet")
    event = Event(source=us, target=india, type="CONSULT", sentence=TEXT[:sent_end], start=0, end=sent_end,
                  trigger="meet", mode="visit", cameo="04", intensity=1.0, quad=1, modality="planned",
                  claimed_by=rubio, date="2025-10-27", location="Kuala Lumpur",
                  trigger_start=trig, trigger_end=trig + 4, rule="test", confidence=0.9)
    q_start = TEXT.index("Nothing changes,")
    quote = Quote(text="Nothing changes,", direct=True, cue="said", speaker=rubio,
                  start=q_start, end=q_start + len("Nothing changes,"),
                  cue_start=TEXT.index("he said") + 3, cue_end=TEXT.index("he said") + 7)
    claim = Claim(claimer=rubio, text="the United States would meet India on Monday", cue="said",
                  start=TEXT.index("the United"), end=sent_end - 1, disputed_by=[pak])
    art = Article(id=article_id, title=title, text=TEXT, outlet="Atlas Wire", published="2025-10-26",
                  url="https://atlaswire.example/x", language="en", source="x.txt")
    return ArticleResult(article=art, actors=[rubio, us, india, pak], events=[event], quotes=[quote],
                         claims=[claim])


def test_round_trip_gives_back_equal_results(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    original = [_result("a1"), _result("a2", "Other")]
    assert store.add_results(original) == 2
    back = list(store.results())
    assert [r.article.id for r in back] == ["a1", "a2"]
    for got, want in zip(back, original):
        assert got.article == want.article
        assert got.actors == want.actors
        assert got.events == want.events
        assert got.quotes == want.quotes
        assert got.claims == want.claims
        assert got.to_dict() == want.to_dict()
    assert store.result("a2").article.title == "Other"
    assert store.result("missing") is None


def test_counts_and_known_ids(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    assert store.counts()["articles"] == 0
    store.add_results([_result("a1")])
    counts = store.counts()
    assert counts["articles"] == 1
    assert counts["mentions"] == 4
    assert counts["events"] == 1
    assert counts["quotes"] == 1
    assert counts["claims"] == 1
    assert store.known_ids(["a1", "zz"]) == {"a1"}
    assert store.known_ids([]) == set()
    assert store.article_ids() == ["a1"]


def test_re_adding_adds_nothing(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    assert store.add_results([_result("a1")]) == 1
    before = store.counts()
    assert store.add_results([_result("a1")]) == 0
    assert store.add_results([_result("a2"), _result("a2")]) == 1  # duplicates inside one batch
    assert store.add_results([]) == 0
    after = store.counts()
    assert after["articles"] == before["articles"] + 1
    assert after["events"] == before["events"] + 1


def test_reopening_keeps_rows(tmp_path):
    Store(tmp_path / "t.duckdb").add_results([_result("a1")])
    assert Store(tmp_path / "t.duckdb").counts()["articles"] == 1
    assert Store(tmp_path / "t.duckdb", read_only=True).counts()["articles"] == 1


def test_read_only_store_refuses_writes(tmp_path):
    Store(tmp_path / "t.duckdb").add_results([_result("a1")])
    ro = Store(tmp_path / "t.duckdb", read_only=True)
    with pytest.raises(PermissionError):
        ro.add_results([_result("a2")])
    assert ro.counts()["articles"] == 1
    assert [r.article.id for r in ro.results()] == ["a1"]


def test_read_only_store_needs_an_existing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "nothing.duckdb", read_only=True)
