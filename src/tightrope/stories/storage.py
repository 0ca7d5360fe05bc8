"""The story tables in the DuckDB store, and incremental grouping of stored articles.

Tables (created here, not in store.py):
  stories(id, headline, size, outlets JSON, start, "end", updated)
  story_articles(article_id PRIMARY KEY, story_id, pos, similarity)
  story_embeddings(article_id PRIMARY KEY, model, vector BLOB)   lead embeddings, float32, one per article

`group_store` replays the stored assignment to rebuild the grouping state, then assigns only the articles
that have no story yet (sorted by date, then id, undated last, so storage order does not matter), and
rewrites the `stories` rows, all in one transaction. An article's lead is embedded once, the first time
it is grouped, and kept in `story_embeddings` (embedding is the costly part; see embedding.py).
`group_store(..., regroup=True)` drops the assignment and groups everything again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Article, ArticleResult
from ..store import Store
from .grouping import Features, Grouper, GroupingParams, central_title, event_key, features_of, parse_day

STORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, headline VARCHAR, size INTEGER, outlets VARCHAR,
    start VARCHAR, "end" VARCHAR, updated VARCHAR
);
CREATE TABLE IF NOT EXISTS story_articles (
    article_id VARCHAR PRIMARY KEY, story_id VARCHAR, pos INTEGER, similarity DOUBLE
);
CREATE TABLE IF NOT EXISTS story_embeddings (
    article_id VARCHAR PRIMARY KEY, model VARCHAR, vector BLOB
);
"""
EMBEDDING_MODEL = "all-MiniLM-L6-v2/mean/lead40w-64t"


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


def _stored_features(store: Store, params: GroupingParams) -> tuple[list[Article], dict[str, Features]]:
    """Articles (storage order) and their grouping features with the stages' actors, events and quotes,
    read in four bulk queries."""
    names: dict[str, list[str]] = {}
    events: dict[str, set[tuple]] = {}
    quotes: dict[str, list[str]] = {}
    with store.reading() as con:
        arts = con.execute(
            "SELECT id, title, text, outlet, published, url, language, source FROM articles ORDER BY seq"
        ).fetchall()
        for aid, name, text, kind in con.execute(
                "SELECT article_id, name, text, kind FROM mentions ORDER BY article_id, idx").fetchall():
            if kind != "pronoun" and (name or text):
                names.setdefault(aid, []).append(name or text)
        for aid, type_, s_name, s_code, s_text, t_name, t_code, t_text in con.execute(
                "SELECT article_id, type, source_name, source_code, source_text, target_name, target_code, "
                "target_text FROM events ORDER BY article_id, idx").fetchall():
            key = event_key(type_, s_name or s_code or s_text, t_name or t_code or t_text)
            if key:
                events.setdefault(aid, set()).add(key)
        for aid, text in con.execute("SELECT article_id, text FROM quotes ORDER BY article_id, idx").fetchall():
            if text:
                quotes.setdefault(aid, []).append(text)
    articles = [Article(id=a[0], title=a[1] or "", text=a[2] or "", outlet=a[3], published=a[4], url=a[5],
                        language=a[6], source=a[7]) for a in arts]
    feats = {a.id: features_of(a, params.max_words, params.title_weight, names.get(a.id, ()),
                               events.get(a.id, ()), quotes.get(a.id, ())) for a in articles}
    return articles, feats


def stored_embeddings(store: Store, articles: list[Article], compute: bool = True) -> dict[str, Any]:
    """Lead embeddings of the articles: those already in `story_embeddings`, the rest computed (in batches)
    and written there when `compute` (and the encoder is installed)."""
    import numpy as np

    from .embedding import available, embed_leads

    ensure_tables(store)
    have: dict[str, Any] = {}
    with store.reading() as con:
        for aid, vec in con.execute("SELECT article_id, vector FROM story_embeddings WHERE model = ?",
                                    [EMBEDDING_MODEL]).fetchall():
            have[aid] = np.frombuffer(vec, dtype=np.float32)
    missing = [a for a in articles if a.id not in have]
    if missing and compute and available():
        vecs = embed_leads(missing)
        import pyarrow as pa

        table = pa.table({"article_id": [a.id for a in missing], "model": [EMBEDDING_MODEL] * len(missing),
                          "vector": [v.astype(np.float32).tobytes() for v in vecs]})
        with store.writing() as con:
            con.register("_incoming_embeddings", table)
            try:
                con.execute("INSERT OR REPLACE INTO story_embeddings SELECT article_id, model, vector "
                            "FROM _incoming_embeddings")
            finally:
                con.unregister("_incoming_embeddings")
        for a, v in zip(missing, vecs):
            have[a.id] = v
    return have


def _feed_key(a: Article) -> tuple:
    """Date order, undated articles last (they are compared with what is open 'now'), then id."""
    return (parse_day(a.published) is None, a.published or "", a.id)


def group_store(db_path: str | Path, params: GroupingParams | None = None, regroup: bool = False) -> list[Story]:
    """Assign every stored article without a story (all of them with `regroup`); returns all stories."""
    params = params or GroupingParams()
    store = Store(db_path)
    ensure_tables(store)
    articles, feats = _stored_features(store, params)
    by_id = {a.id: a for a in articles}
    assigned: dict[str, tuple[str, int]] = {}
    if not regroup:
        for row in store.query("SELECT article_id, story_id, pos FROM story_articles"):
            if row["article_id"] in by_id:
                assigned[row["article_id"]] = (row["story_id"], row["pos"])
    g = Grouper(params)
    embeddings = stored_embeddings(store, articles) if g.dense else {}
    sid_index: dict[str, int] = {}  # story id -> grouper index
    # replay the stored assignments (each story in its stored order), then add the new articles
    replay = sorted((a for a in articles if a.id in assigned), key=lambda a: (_feed_key(a)[:2], assigned[a.id]))
    for a in replay:
        sid = assigned[a.id][0]
        if sid not in sid_index:
            sid_index[sid] = len(g.stories)
        g.add(feats[a.id], embedding=embeddings.get(a.id), force_story=sid_index[sid])
    new = sorted((a for a in articles if a.id not in assigned), key=_feed_key)
    for a in new:
        g.add(feats[a.id], embedding=embeddings.get(a.id))
    index_sid = {v: k for k, v in sid_index.items()}
    stories: list[Story] = []
    for st in g.stories:
        if not st.members:
            continue
        sid = index_sid.get(st.sid) or story_id_for(st.members[0])
        arts = [by_id[a] for a in st.members]
        vecs = [embeddings.get(a.id) for a in arts]
        stories.append(_describe(sid, arts, vecs if all(v is not None for v in vecs) else None))
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


def _describe(sid: str, arts: list[Article], embeddings=None) -> Story:
    outlets = sorted({a.outlet for a in arts if a.outlet})
    days = sorted(a.published for a in arts if a.published and parse_day(a.published) is not None)
    headline = central_title([a.title or "" for a in arts], embeddings)
    return Story(id=sid, articles=[a.id for a in arts], outlets=outlets, headline=headline,
                 start=days[0] if days else None, end=days[-1] if days else None)


def _as_store(store: Store | str | Path) -> Store:
    return store if isinstance(store, Store) else Store(store, read_only=True)


def list_stories(store: Store | str | Path, order: str = "size") -> list[dict[str, Any]]:
    """Stories as dicts {id, articles, outlets, size, start, end, headline}: largest first, or with
    `order="recent"` the latest (by their last article's date) first."""
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
    if order == "recent":
        out.sort(key=lambda s: (s["end"] or "", s["size"], s["id"]), reverse=True)
    else:
        out.sort(key=lambda s: (-s["size"], s["start"] or "", s["id"]))
    return out


def story_headline(store: Store | str | Path, story_id: str) -> str | None:
    """The stored headline of a story (its most central article's title), or None."""
    store = _as_store(store)
    if not _has_tables(store):
        return None
    rows = store.query("SELECT headline FROM stories WHERE id = ?", [story_id])
    return rows[0]["headline"] if rows else None


def story_results(store: Store | str | Path, story_id: str) -> list[ArticleResult]:
    store = _as_store(store)
    if not _has_tables(store):
        return []
    ids = [r["article_id"] for r in store.query(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY pos", [story_id])]
    found = {r.article.id: r for r in store.results(ids)} if ids else {}
    return [found[i] for i in ids if i in found]
