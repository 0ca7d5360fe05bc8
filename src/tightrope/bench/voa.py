"""Real-news gold in the layout of ../shared/data/voa_events/: stories + events, quotes and actors.

A folder holds `stories.jsonl` (one story per line: id, title, text, published, url, ...) and `gold.yaml`
(`events`, `quotes`, `actors`; the folder's README gives the conventions and the matching rule). Three
benchmarks read it, each end to end from the raw story text, the way a user runs Tightrope:

* `tightrope bench events PATH` (`tightrope.bench.events`),
* `tightrope bench actors PATH` (`tightrope.bench.actors`),
* `tightrope bench quotes PATH` (`tightrope.bench.quotes`).

This module reads the folder, codes every story once per process (`coded`) and holds the pieces of the
matching rule that the three share: where a gold string stands in the story text, and one-to-one matching.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..records import Article, ArticleResult


class GoldFolderError(ValueError):
    """The folder is not in the voa_events layout; the message says what is missing."""


@dataclass(frozen=True)
class Story:
    id: str
    article: Article
    result: ArticleResult


@dataclass(frozen=True)
class GoldFolder:
    stories: dict[str, Story]  # by story id, in file order
    gold: dict[str, Any]  # the parsed gold.yaml


def read_folder(path: str | Path, limit: int | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The story records and the gold of a voa_events-like folder (the first `limit` stories only)."""
    folder = Path(path)
    stories_file, gold_file = folder / "stories.jsonl", folder / "gold.yaml"
    for f in (stories_file, gold_file):
        if not f.is_file():
            raise GoldFolderError(f"{f}: missing (a gold folder holds stories.jsonl and gold.yaml)")
    records = []
    with stories_file.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFolderError(f"{stories_file}:{n}: not JSON ({exc.msg})") from None
            if "id" not in rec or "text" not in rec:
                raise GoldFolderError(f"{stories_file}:{n}: a story needs 'id' and 'text'")
            records.append(rec)
    if limit is not None:
        records = records[:limit]
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8")) or {}
    keep = {str(r["id"]) for r in records}
    for key in ("events", "quotes", "actors"):
        gold[key] = [g for g in gold.get(key) or [] if str(g.get("story")) in keep]
    return records, gold


@lru_cache(maxsize=2)
def coded(path: str, limit: int | None = None) -> GoldFolder:
    """Every story of the folder coded by Tightrope (cached per process: the three benches share it)."""
    import tightrope
    from ..ingest import make_article
    from ..records import InputProblem

    records, gold = read_folder(path, limit)
    articles = []
    for rec in records:
        item = make_article(rec["text"], f"{path}:{rec['id']}", title=rec.get("title"), outlet=rec.get("outlet", "VOA"),
                            published=rec.get("published"), url=rec.get("url"))
        if isinstance(item, InputProblem):
            raise GoldFolderError(str(item))
        articles.append(item)
    results = tightrope.extract_articles(articles)
    stories = {str(rec["id"]): Story(str(rec["id"]), r.article, r) for rec, r in zip(records, results)}
    return GoldFolder(stories, gold)


_SPACE = re.compile(r"\s+")
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"})


def normalise(text: str) -> str:
    """Curly quotes made straight and white space collapsed (the README's rule for quote contents)."""
    return _SPACE.sub(" ", text.translate(_CURLY)).strip()


def occurrences(text: str, piece: str) -> list[tuple[int, int]]:
    """Every (start, end) where `piece` stands in `text`; white space may differ (the reader may have
    cleaned the story text), curly and straight quotes are alike."""
    if not piece:
        return []
    out = []
    start = text.find(piece)
    while start >= 0:
        out.append((start, start + len(piece)))
        start = text.find(piece, start + 1)
    if out:
        return out
    words = [re.escape(w.translate(_CURLY)) for w in piece.split()]
    if not words:
        return []
    loose = re.compile(r"\s+".join(words).replace("'", "['‘’]").replace('"', '["“”]'))
    return [m.span() for m in loose.finditer(text)]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_one_to_one(n_sys: int, n_gold: int, fits: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """A largest one-to-one matching of system items to gold items where `fits(s, g)` (augmenting paths:
    the sets are small, one story at a time)."""
    options = [[g for g in range(n_gold) if fits(s, g)] for s in range(n_sys)]
    gold_of: dict[int, int] = {}

    def augment(s: int, seen: set[int]) -> bool:
        for g in options[s]:
            if g in seen:
                continue
            seen.add(g)
            if g not in gold_of or augment(gold_of[g], seen):
                gold_of[g] = s
                return True
        return False

    for s in range(n_sys):
        augment(s, set())
    return sorted((s, g) for g, s in gold_of.items())


def ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def counts_line(label: str, parts: Sequence[tuple[str, Any]]) -> str:
    return label + ": " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in parts)
