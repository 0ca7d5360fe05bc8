"""Incremental story grouping: each new article joins the most similar open story or opens one.

How it works (all pure Python over sparse dicts, deterministic for the same input order):

* An article becomes a TF-IDF vector over its title (weighted up), lead and body words plus its
  named entities (actor names when the extractors found them, capitalised word runs otherwise).
  The IDF is *incremental*: document frequencies are counted as articles arrive, smoothed by a
  pseudo-corpus (`prior_docs`) so that the first articles are not all "common". Nothing needs
  refitting when an article arrives, so the vocabulary is open (a hashing-free fixed scheme).
* Blocking: every story is indexed under the rarest terms of its articles (an inverted index).
  A new article only looks at stories that share one of its own rarest `block_terms` terms, and
  only at the `posting_cap` most recent stories per term, so the cost per article is bounded and
  the whole run is linear in the number of articles (subquadratic by construction).
* Time window: a candidate story must overlap [published - window, published + window]. Articles
  without a date are not constrained.
* The article joins the candidate with the highest cosine to the story centroid when it reaches
  `threshold` and the part of that cosine that does not come from country names, demonyms and
  capitals reaches `content_min` (same actors is not same story); otherwise it opens a new story.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..records import Article, ArticleResult

try:  # sklearn ships a standard English stop list; fall back to a short one
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as _SK_STOP
except Exception:  # pragma: no cover
    _SK_STOP = frozenset()

STOP = frozenset(_SK_STOP) | {
    "said", "says", "say", "told", "tell", "new", "year", "years", "also", "just", "like", "week",
    "day", "days", "time", "people", "according", "including", "percent", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "ms", "mrs", "dr", "s", "t",
    "don", "didn", "doesn", "isn", "won", "wasn", "will", "would", "could", "news", "report",
    "reported", "reporters", "statement", "official", "officials", "percent", "month", "months",
}

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
_CAP_RUN = re.compile(r"\b([A-Z][a-zA-Z’'\-]+(?:\s+(?:[A-Z][a-zA-Z’'\-]+|of|al|bin|de))*)")


def _norm_word(w: str) -> str:
    w = w.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'-")


def tokens(text: str) -> list[str]:
    out = []
    for m in _WORD.finditer(text):
        w = _norm_word(m.group())
        if len(w) > 2 and w not in STOP:
            out.append(w)
    return out


def entity_names(text: str) -> list[str]:
    """Capitalised word runs not at a sentence start (a cheap stand-in for NER)."""
    out = []
    for m in _CAP_RUN.finditer(text):
        s = m.start()
        before = text[max(0, s - 2):s]
        name = m.group(1)
        if (s == 0 or re.search(r"[.!?\n\"“]\s*$", before)) and " " not in name:
            continue  # a single capitalised word at a sentence start is not evidence of a name
        key = _norm_word(name)
        if key and key not in STOP and len(key) > 2:
            out.append(key)
    return out


_COUNTRIES = Path(__file__).resolve().parent.parent / "actors" / "data" / "countries.csv"


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Country names, demonyms and capitals (the actors stage's countries.csv), as grouping terms.

    Two stories about the same pair of countries share these words whatever happened, so they say little
    about *which* story an article belongs to: a join needs `content_min` of similarity from other terms
    (and `GroupingParams.place_weight` < 1 also scales their weight in the vectors).
    Single-word forms count both as words and as `@entities`; longer ones ("New Delhi") as `@entities`.
    """
    import csv

    out: set[str] = set()
    try:
        with open(_COUNTRIES, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for col in ("names", "demonyms", "capitals"):
                    for form in (row.get(col) or "").split(";"):
                        key = _norm_word(form.strip())
                        if len(key) <= 2:
                            continue
                        out.add("@" + key)
                        if " " not in key:
                            out.add(key)
    except OSError:  # pragma: no cover - the file ships with the package
        return frozenset()
    return frozenset(out)


def parse_day(value: str | None) -> int | None:
    """Ordinal day of an ISO-ish date string, or None."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).toordinal()
    except ValueError:
        return None


@dataclass
class GroupingParams:
    threshold: float = 0.2
    window_days: int = 7
    title_weight: int = 3
    max_words: int = 600
    max_terms: int = 80  # terms kept per article vector
    centroid_terms: int = 150
    block_terms: int = 12
    posting_cap: int = 40
    prior_docs: int = 50
    entity_weight: float = 1.5
    decay_per_day: float = 0.0  # similarity penalty per day between the article and the story's nearest date
    # Same actors, different story: two stories about one pair of countries share the countries' names,
    # demonyms and capitals whatever happened. A story is only joined when the part of the cosine that
    # comes from other terms (events, people, places, topic words) reaches `content_min`.
    content_min: float = 0.05
    place_weight: float = 1.0  # weight factor of those place terms in the vectors (1.0 = off; < 1 costs recall)


@dataclass
class _Story:
    sid: int
    centroid: dict[str, float] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    keys: set[tuple] = field(default_factory=set)


def _unpack(item: Article | ArticleResult) -> tuple[Article, list[str]]:
    if isinstance(item, ArticleResult):
        names = [(a.name or a.text) for a in item.actors if a.kind not in ("pronoun",)]
        keys = [_norm_word(n) for n in names if n]
        for e in item.events:  # who did what to whom: a strong same-story signal when outlets agree
            src = (e.source.name or e.source.code) if e.source else None
            tgt = (e.target.name or e.target.code) if e.target else None
            if src or tgt:
                keys.append(f"ev:{e.type}:{src}:{tgt}".lower())
        return item.article, keys
    return item, []


class Grouper:
    """The incremental state: feed articles one at a time with `add`; `groups()` reads the result."""

    def __init__(self, params: GroupingParams | None = None):
        self.p = params or GroupingParams()
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.stories: list[_Story] = []
        # (term, time bucket) -> story indexes; bucket "all" for every story, None for undated articles
        self.postings: dict[tuple, list[int]] = defaultdict(list)
        self.assignment: dict[str, int] = {}
        self.similarity: dict[str, float] = {}
        self.compared = 0  # story similarities computed so far (the blocking's work)

    # -- features --------------------------------------------------------------------------
    def _counts(self, article: Article, actor_names: list[str]) -> Counter[str]:
        counts: Counter[str] = Counter()
        title = article.title or ""
        for _ in range(self.p.title_weight):
            counts.update(tokens(title))
        words = article.text.split()
        body = " ".join(words[: self.p.max_words])
        counts.update(tokens(body))
        ents = entity_names(title + ".\n" + body) + actor_names
        for e in ents:
            counts["@" + e] += 1
        return counts

    def _idf(self, term: str) -> float:
        return math.log((self.n_docs + self.p.prior_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {}
        places = place_terms() if self.p.place_weight != 1.0 else frozenset()
        for t, c in counts.items():
            w = (1.0 + math.log(c)) * self._idf(t)
            if t.startswith("@"):
                w *= self.p.entity_weight
            if t in places:
                w *= self.p.place_weight
            vec[t] = w
        if len(vec) > self.p.max_terms:
            vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[: self.p.max_terms])
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items()}

    # -- grouping --------------------------------------------------------------------------
    def add(self, item: Article | ArticleResult, force_story: int | None = None) -> int:
        """Assign one article (or replay a stored assignment with `force_story`); returns the story index."""
        article, names = _unpack(item)
        if article.id in self.assignment:
            return self.assignment[article.id]
        counts = self._counts(article, names)
        # document frequency counts the article before weighting: it is part of the corpus now
        self.n_docs += 1
        self.df.update(counts.keys())
        vec = self._vector(counts)
        day = parse_day(article.published)
        rare = sorted(vec, key=lambda t: (-vec[t], t))[: self.p.block_terms]

        best, best_sim = None, 0.0
        if force_story is None:
            seen: set[int] = set()
            if day is None:
                buckets: list = ["all"]
            else:
                w = max(1, self.p.window_days)
                buckets = list(range((day - w) // w, (day + w) // w + 1)) + [None]
            for t in rare:
                for sid in (sid for b in buckets for sid in self.postings.get((t, b), [])[-self.p.posting_cap:]):
                    if sid in seen:
                        continue
                    seen.add(sid)
                    st = self.stories[sid]
                    if day is not None and st.first is not None:
                        if day < st.first - self.p.window_days or day > st.last + self.p.window_days:
                            continue
                    sim = _cosine(vec, st.centroid)
                    self.compared += 1
                    if self.p.content_min and sim >= self.p.threshold:
                        places = place_terms()
                        content = sum(w * st.centroid.get(t, 0.0) for t, w in vec.items() if t not in places)
                        if content < self.p.content_min:
                            continue  # only country names in common: a different story of the same actors
                    if self.p.decay_per_day and day is not None and st.first is not None:
                        gap = max(0, day - st.last, st.first - day)
                        sim *= max(0.0, 1.0 - self.p.decay_per_day * gap)
                    if sim > best_sim or (sim == best_sim and best is not None and sid < best):
                        best, best_sim = sid, sim
            if best is None or best_sim < self.p.threshold:
                best = None
        else:
            best = force_story
            while len(self.stories) <= best:
                self.stories.append(_Story(sid=len(self.stories)))
        if best is None:
            best = len(self.stories)
            self.stories.append(_Story(sid=best))
            best_sim = 1.0
        st = self.stories[best]
        st.members.append(article.id)
        # centroid: running sum of unit vectors, pruned to the strongest terms
        for t, w in vec.items():
            st.centroid[t] = st.centroid.get(t, 0.0) + w
        if len(st.centroid) > self.p.centroid_terms:
            st.centroid = dict(sorted(st.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[: self.p.centroid_terms])
        norm = math.sqrt(sum(w * w for w in st.centroid.values())) or 1.0
        st.centroid = {t: w / norm for t, w in st.centroid.items()}
        if day is not None:
            st.first = day if st.first is None else min(st.first, day)
            st.last = day if st.last is None else max(st.last, day)
        own = ["all", None if day is None else day // max(1, self.p.window_days)]
        for t in rare:
            for b in own:
                if (t, b) not in st.keys:
                    st.keys.add((t, b))
                    self.postings[(t, b)].append(best)
        self.assignment[article.id] = best
        self.similarity[article.id] = round(best_sim, 4)
        return best

    def groups(self) -> list[list[str]]:
        return [list(s.members) for s in self.stories if s.members]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def group_articles(
    articles: Sequence[Article | ArticleResult] | Iterable[Article | ArticleResult],
    params: GroupingParams | None = None, **overrides,
) -> list[list[str]]:
    """Group articles into stories (lists of article ids, in order of first appearance). Pure."""
    p = params or GroupingParams()
    if overrides:
        p = GroupingParams(**{**p.__dict__, **overrides})
    g = Grouper(p)
    for a in articles:
        g.add(a)
    return g.groups()
