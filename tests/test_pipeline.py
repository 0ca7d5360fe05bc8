"""extract_stream with several worker processes: the same results, in input order, in store-sized batches."""

from __future__ import annotations

from synthetic import write_corpus

from tightrope.ingest import read_paths
from tightrope.pipeline import StageTimes, extract_stream
from tightrope.records import Article


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
