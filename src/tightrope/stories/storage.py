"""The story tables in the DuckDB store, and incremental grouping of stored articles.

Tables (created here, not in store.py):
  stories(id, headline, size, outlets JSON, start, "end", updated)
  story_articles(article_id PRIMARY KEY, story_id, pos, similarity)

`group_store` replays the stored assignment (in article storage order) to rebuild the grouping
state, then assigns only the articles that have no story yet, and rewrites the `stories` rows it
touched, all in one transaction. `regroup_store` drops the assignment and groups everything again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Article, ArticleResult
from ..store import Store
from .grouping import Grouper, GroupingParams, parse_day

STORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, headline VARCHAR, size INTEGER, outlets VARCHAR,
    start VARCHAR, "end" VARCHAR, updated VARCHAR
);
CREATE TABLE IF NOT EXISTS story_articles (
    article_id VARCHAR PRIMARY KEY, story_id VARCHAR, pos INTEGER, similarity DOUBLE
);
"""


@dataclass
class Story:
    """A group of articles about the same event, in the order they were assigned."""

    id: str
    articles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    headline: str = ""
    start: str | None = None
    end: str | None = None

    @property
    def size(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "articles": list(self.articles), "outlets": list(self.outlets),
                "size": self.size, "start": self.start, "end": self.end, "headline": self.headline}


def story_id_for(first_article_id: str) -> str:
    """Stable id: derived from the story's first article, so re-grouping keeps ids."""
    return "s" + first_article_id[:12]


def ensure_tables(store: Store) -> None:
    with store.writing() as con:
        con.execute(STORY_SCHEMA)


def _has_tables(store: Store) -> bool:
    rows = store.query("SELECT table_name FROM information_schema.tables WHERE table_name IN ('stories', 'story_articles')")
    return len(rows) == 2


def _stored_results(store: Store) -> list[ArticleResult]:
    """Articles with their actor mentions (all grouping needs), read in two bulk queries."""
    from ..records import Actor

    with store.reading() as con:
        arts = con.execute(
            "SELECT id, title, text, outlet, published, url, language, source FROM articles ORDER BY seq"
        ).fetchall()
        mentions = con.execute(
            "SELECT article_id, text, start, \"end\", name, kind FROM mentions ORDER BY article_id, idx"
        ).fetchall()
    actors: dict[str, list[Actor]] = {}
    for aid, text, start, end, name, kind in mentions:
        actors.setdefault(aid, []).append(Actor(text=text, start=start, end=end, name=name, kind=kind))
    return [
        ArticleResult(Article(id=a[0], title=a[1] or "", text=a[2] or "", outlet=a[3], published=a[4], url=a[5],
                              language=a[6], source=a[7]), actors=actors.get(a[0], []))
        for a in arts
    ]


def group_store(db_path: str | Path, params: GroupingParams | None = None, regroup: bool = False) -> list[Story]:
    """Assign every stored article without a story (all of them with `regroup`); returns all stories."""
    store = Store(db_path)
    ensure_tables(store)
    results = _stored_results(store)
    by_id = {r.article.id: r for r in results}
    assigned: dict[str, tuple[str, int]] = {}
    if not regroup:
        for row in store.query("SELECT article_id, story_id, pos FROM story_articles"):
            if row["article_id"] in by_id:
                assigned[row["article_id"]] = (row["story_id"], row["pos"])
    g = Grouper(params)
    sid_index: dict[str, int] = {}  # story id -> grouper index
    # replay stored assignments in storage order, then add the new ones
    for r in results:
        aid = r.article.id
        if aid in assigned:
            sid = assigned[aid][0]
            if sid not in sid_index:
                sid_index[sid] = len(g.stories)
            g.add(r, force_story=sid_index[sid])
    new_ids = []
    for r in results:
        if r.article.id not in assigned:
            g.add(r)
            new_ids.append(r.article.id)
    index_sid = {v: k for k, v in sid_index.items()}
    stories: list[Story] = []
    for st in g.stories:
        if not st.members:
            continue
        sid = index_sid.get(st.sid) or story_id_for(st.members[0])
        arts = [by_id[a].article for a in st.members]
        stories.append(_describe(sid, arts))
    with store.writing() as con:
        if regroup:
            con.execute("DELETE FROM story_articles")
        rows = []
        for s in stories:
            for pos, aid in enumerate(s.articles):
                if regroup or aid not in assigned:
                    rows.append((aid, s.id, pos, g.similarity.get(aid)))
        if rows:
            con.executemany("INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?)", rows)
        con.execute("DELETE FROM stories")
        if stories:
            con.executemany(
                'INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)',
                [(s.id, s.headline, s.size, json.dumps(s.outlets, ensure_ascii=False), s.start, s.end, None)
                 for s in stories],
            )
    return stories


def _describe(sid: str, arts: list[Article]) -> Story:
    outlets = sorted({a.outlet for a in arts if a.outlet})
    days = sorted(a.published for a in arts if a.published and parse_day(a.published) is not None)
    headline = next((a.title for a in arts if a.title), "")
    return Story(id=sid, articles=[a.id for a in arts], outlets=outlets, headline=headline,
                 start=days[0] if days else None, end=days[-1] if days else None)


def _as_store(store: Store | str | Path) -> Store:
    return store if isinstance(store, Store) else Store(store, read_only=True)


def list_stories(store: Store | str | Path) -> list[dict[str, Any]]:
    """Stories as dicts {id, articles, outlets, size, start, end, headline}, largest first."""
    store = _as_store(store)
    if not _has_tables(store):
        return []
    members: dict[str, list[str]] = {}
    for row in store.query("SELECT story_id, article_id FROM story_articles ORDER BY story_id, pos"):
        members.setdefault(row["story_id"], []).append(row["article_id"])
    out = []
    for row in store.query('SELECT * FROM stories'):
        out.append({
            "id": row["id"], "articles": members.get(row["id"], []),
            "outlets": json.loads(row["outlets"] or "[]"), "size": row["size"],
            "start": row["start"], "end": row["end"], "headline": row["headline"],
        })
    out.sort(key=lambda s: (-s["size"], s["start"] or "", s["id"]))
    return out


def story_results(store: Store | str | Path, story_id: str) -> list[ArticleResult]:
    store = _as_store(store)
    if not _has_tables(store):
        return []
    ids = [r["article_id"] for r in store.query(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY pos", [story_id])]
    found = {r.article.id: r for r in store.results(ids)} if ids else {}
    return [found[i] for i in ids if i in found]
