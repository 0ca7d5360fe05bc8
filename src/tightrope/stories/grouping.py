"""Incremental story grouping: each new article joins the open story it scores best with, or opens one.

An article is compared with a story on what both say happened, not only on who is in them (two stories
about the same president in the same week share the president's name whatever happened):

* `lexical`  cosine of sublinear TF-IDF vectors (title weighted up, lead and body words, named entities as
             `@name` features; actor names when the actors stage found them). Document frequencies are
             counted as articles arrive, so nothing is refitted and the vocabulary stays open.
* `dense`    cosine of the article's lead embedding (all-MiniLM-L6-v2, stories/embedding.py) with the
             story's mean embedding: different words for the same happening.
* `quotes`   share of the article's quoted 4-word runs that the story already has (outlets quote the
             same words when they report the same statement).
* `numbers`  the story already has one of the article's figures (value and unit, years left out).
* `events`   the story already has one of the article's events (PLOVER type, source, target), when
             the events stage ran.
* `same_outlet`  the story already has an article of this outlet (an outlet tells a story once; its
             next article on the same actors is usually the next story).
* `gap`      days between the article and the story's span.
* `age`      days between the article and the story's first article (a story is one happening: without
             it, a story about one person grows day by day into a chain of the next days' stories).

A logistic model over these (weights in data/join_model.yaml, fitted on the development streams by
`python -m tightrope.bench.stories fit`) scores each candidate; the article joins the best candidate whose
score reaches the model's threshold. Without the MiniLM encoder installed, a second model fitted without
`dense` is used. A join also needs `content_min` of lexical similarity from terms other than country names,
demonyms and capitals (same countries is not same story).

Candidates are found, never scanned: stories are indexed under the rarest terms of their articles per
weekly bucket (at most `posting_cap` stories per term and bucket), and the `dense_candidates` nearest open
stories by embedding are taken among those active within `window_days` (at most `dense_cap` per bucket)
whose first article is at most `max_age_days` away (a story is one happening, not a topic's chain).
A story closes when it had no article for `quiet_days` of stream time (the newest date seen): its
features are dropped and it is no candidate any more, so work and memory per article stay bounded.

Deterministic: the same articles in the same order give the same stories (ties go to the older story).
The grouping is greedy, so another order can give other stories at the margins (the article that arrives
first opens the story the others are compared with); `group_store` therefore adds new articles sorted by
date and id, whatever their storage order. Articles without a date come last and are compared with the
stories active at the newest date seen so far (they arrived "now"), scored as if `max_age_days` apart.
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
from typing import Any

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

DATA = Path(__file__).resolve().parent / "data"
FEATURES = ("lexical", "dense", "quotes", "numbers", "events", "same_outlet", "gap", "age")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
_CAP_RUN = re.compile(r"\b([A-Z][a-zA-Z’'\-]+(?:\s+(?:[A-Z][a-zA-Z’'\-]+|of|al|bin|de))*)")
_QUOTED = re.compile(r"[“\"]([^”\"]{8,600})[”\"]")
_QUOTE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")
_FIGURE = re.compile(
    r"(?<![\w.])(\$|€|£)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|percent\b|per cent\b|million\b|billion\b|"
    r"trillion\b|thousand\b)?"
)
_UNIT = {"%": "percent", "per cent": "percent"}


def _norm_word(w: str) -> str:
    w = w.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'-")


_TOKEN_CACHE: dict[str, str] = {}  # raw word -> its token ("" for a stop word); bounded, see tokens()


def tokens(text: str) -> list[str]:
    """Content words, lower-cased, possessives and edge punctuation stripped, stop words left out."""
    out = []
    cache = _TOKEN_CACHE
    for w in _WORD.findall(text):
        t = cache.get(w)
        if t is None:
            t = _norm_word(w)
            if len(t) <= 2 or t in STOP:
                t = ""
            if len(cache) < 50_000:  # a cache, not a vocabulary: its size stays bounded on any stream
                cache[w] = t
        if t:
            out.append(t)
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


def quote_shingles(text: str) -> set[str]:
    """The 4-word runs inside quotation marks: what two reports of one statement share."""
    out: set[str] = set()
    for m in _QUOTED.finditer(text):
        words = [w.lower().replace("’", "'") for w in _QUOTE_WORD.findall(m.group(1))]
        out.update(" ".join(words[i:i + 4]) for i in range(len(words) - 3))
    return out


def figures(text: str) -> set[str]:
    """Figures with their unit ("40percent", "$3billion", "28"); years and bare numbers under 10 left out."""
    out = set()
    for m in _FIGURE.finditer(text):
        cur, num, unit = m.groups()
        value = num.replace(",", "")
        if not unit and not cur:
            if re.fullmatch(r"(19|20)\d\d", value) or float(value) < 10:
                continue
        unit = (unit or "").lower()
        out.add(f"{cur or ''}{value}{_UNIT.get(unit, unit)}")
    return out


_COUNTRIES = Path(__file__).resolve().parent.parent / "actors" / "data" / "countries.csv"


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Country names, demonyms and capitals (the actors stage's countries.csv), as grouping terms.

    Two stories about the same pair of countries share these words whatever happened, so they say little
    about *which* story an article belongs to: a join needs `content_min` of similarity from other terms.
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


@lru_cache(maxsize=4)
def join_model(path: str | None = None) -> dict[str, Any]:
    """The fitted join model {dense: {...}, lexical: {...}}, each {weights: {feature: w}, bias, threshold}."""
    import yaml

    p = Path(path) if path else DATA / "join_model.yaml"
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{p}: cannot read the story join model ({exc})") from None
    for name in ("dense", "lexical"):
        m = doc.get(name) if isinstance(doc, dict) else None
        if not isinstance(m, dict) or not {"weights", "bias", "threshold"} <= set(m):
            raise ValueError(f"{p}: model {name!r} needs weights, bias and threshold")
        unknown = set(m["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"{p}: unknown features {sorted(unknown)} (known: {', '.join(FEATURES)})")
    return doc


@dataclass
class GroupingParams:
    # the join decision (each None: the fitted model's, from data/join_model.yaml or `model_path`)
    weights: dict[str, float] | None = None
    bias: float | None = None
    threshold: float | None = None
    model_path: str | None = None
    dense: bool | None = None  # use lead embeddings (None: when the encoder is installed)
    # time
    window_days: int = 7  # candidates: stories active within this many days of the article
    # ... and whose first article is at most this many days from it: a story is one happening (every BASIL
    # story's articles lie within 4 days of its first; 96.6 % of Emergent's dev headlines within 3 days)
    max_age_days: int | None = 4
    quiet_days: int = 14  # a story closes after this many days of stream time without an article
    # the lexical vectors
    title_weight: int = 3
    max_words: int = 300  # the lead and the first paragraphs: what happened, before the background
    max_terms: int = 80  # terms kept per article vector
    centroid_terms: int = 150
    prior_docs: int = 50
    entity_weight: float = 1.5
    # Same countries, different story: a join needs this much lexical similarity from terms other than
    # country names, demonyms and capitals.
    content_min: float = 0.05
    # candidate search (bounds the work per article)
    block_terms: int = 12
    posting_cap: int = 20
    dense_candidates: int = 10
    dense_cap: int = 400


@dataclass
class Features:
    """What grouping needs of one article."""

    id: str
    day: int | None
    outlet: str | None
    counts: Counter
    quotes: set[str]
    figures: set[str]
    events: set[tuple]
    title: str = ""


@dataclass
class _Story:
    sid: int
    members: list[str] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    centroid: dict[str, float] = field(default_factory=dict)
    dense: Any = None  # sum of member lead embeddings (numpy), None without them
    outlets: set[str] = field(default_factory=set)
    quotes: set[str] = field(default_factory=set)
    figures: set[str] = field(default_factory=set)
    events: set[tuple] = field(default_factory=set)
    keys: set[tuple] = field(default_factory=set)
    buckets: set[int] = field(default_factory=set)
    open: bool = True


def features_of(item: Article | ArticleResult, max_words: int = 300, title_weight: int = 3,
                actor_names: Iterable[str] = (), events: Iterable[tuple] = (),
                quote_texts: Iterable[str] = ()) -> Features:
    """Grouping features of an article. The stages' findings come with an ArticleResult, or as
    `actor_names`, `events` ((type, source, target) keys, see `event_key`) and `quote_texts` (the store's)."""
    article = item.article if isinstance(item, ArticleResult) else item
    names_in, events_in, quotes_in = list(actor_names), set(events), list(quote_texts)
    if isinstance(item, ArticleResult):
        names_in += [a.name or a.text for a in item.actors if a.kind != "pronoun" and (a.name or a.text)]
        events_in |= {k for k in (event_key(e.type, e.source, e.target) for e in item.events) if k}
        quotes_in += [q.text for q in item.quotes]
    title = article.title or ""
    # words are ~6 characters with their space: split a prefix, not the whole text
    body = " ".join(article.text[: max_words * 16].split()[:max_words])
    counts: Counter[str] = Counter({t: c * title_weight for t, c in Counter(tokens(title)).items()})
    counts.update(tokens(body))
    quotes = quote_shingles(body)
    for q in quotes_in:
        quotes |= quote_shingles(f"“{q}”")
    for n in entity_names(title + ".\n" + body) + [_norm_word(n) for n in names_in]:
        if n:
            counts["@" + n] += 1
    return Features(id=article.id, day=parse_day(article.published), outlet=(article.outlet or None),
                    counts=counts, quotes=quotes, figures=figures(body), events=events_in, title=title)


def event_key(type_: str, source, target) -> tuple | None:
    """(type, source, target) of an event, actors as lower-case names or codes (Actor or str); None when
    neither actor is known."""
    def key(a):
        if a is None or isinstance(a, str):
            return (a or "").lower() or None
        return (a.name or a.code or a.text or "").lower() or None

    src, tgt = key(source), key(target)
    return (type_, src, tgt) if src or tgt else None


class Grouper:
    """The incremental state: feed articles one at a time with `add`; `groups()` reads the result.

    `embedding`: the article's lead embedding (stories/embedding.py), when the caller has it already;
    otherwise it is computed here (one article at a time: slower than `group_articles`, which embeds in
    batches) unless dense features are off or the encoder is not installed.
    """

    def __init__(self, params: GroupingParams | None = None):
        self.p = params or GroupingParams()
        model = join_model(self.p.model_path)
        if self.p.dense is None:
            from .embedding import available

            self.dense = available()
        else:
            self.dense = bool(self.p.dense)
        m = model["dense" if self.dense else "lexical"]
        self.weights = dict(self.p.weights if self.p.weights is not None else m["weights"])
        self.bias = float(self.p.bias if self.p.bias is not None else m["bias"])
        self.threshold = float(self.p.threshold if self.p.threshold is not None else m["threshold"])
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.stories: list[_Story] = []
        self.postings: dict[tuple, list[int]] = defaultdict(list)  # (term, week bucket) -> story indexes
        self.bucket_terms: dict[int, set[str]] = defaultdict(set)
        self.bucket_stories: dict[int, list[int]] = defaultdict(list)  # week bucket -> stories active in it
        self.assignment: dict[str, int] = {}
        self.similarity: dict[str, float] = {}
        self.now: int | None = None  # newest date seen (stream time)
        self._swept: int | None = None  # buckets below this one are closed
        self.compared = 0  # candidate stories scored so far (the blocking's work)
        # per story, for vectorised candidate search: unit mean embedding, first/last day (nan: undated), open
        self._unit = None  # rows: unit mean embeddings of open stories, one row each (`_row`), reused when one closes
        self._row: dict[int, int] = {}
        self._free_rows: list[int] = []
        self._first = self._last = self._open = None

    # -- features --------------------------------------------------------------------------
    def _idf(self, term: str) -> float:
        return math.log((self.n_docs + self.p.prior_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {}
        log, df, entity_weight = math.log, self.df, self.p.entity_weight
        base = log(self.n_docs + self.p.prior_docs + 1) + 1.0  # idf = log((N + prior + 1) / (df + 1)) + 1
        for t, c in counts.items():
            w = (1.0 + log(c)) * (base - log(df.get(t, 0) + 1))
            if t[0] == "@":
                w *= entity_weight
            vec[t] = w
        if len(vec) > self.p.max_terms:
            vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[: self.p.max_terms])
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items()}

    def _bucket(self, day: int) -> int:
        return day // max(1, self.p.window_days)

    # -- candidates and scores ---------------------------------------------------------------
    def _near_buckets(self, day: int | None) -> list:
        """Week buckets within the window of `day`; an undated article looks around stream time, and in
        the bucket of undated stories (None)."""
        day = day if day is not None else self.now
        if day is None:
            return [None]
        w = max(1, self.p.window_days)
        return [None, *range((day - w) // w, (day + w) // w + 1)]

    def candidates(self, feat: Features, vec: dict[str, float], emb) -> tuple[list[int], dict[int, float]]:
        """Story indexes worth scoring: under the article's rarest terms, and the `dense_candidates` nearest
        by embedding among the stories active near its date; with the embedding similarities computed."""
        import numpy as np

        day = feat.day if feat.day is not None else self.now
        buckets = self._near_buckets(day)
        rare = sorted(vec, key=lambda t: (-vec[t], t))[: self.p.block_terms]
        found: set[int] = set()
        for t in rare:
            for b in buckets:
                found.update(_last(self.postings.get((t, b), []), self.p.posting_cap))
        sims: dict[int, float] = {}
        if emb is not None and self.p.dense_candidates > 0 and self._unit is not None:
            near: set[int] = set()
            for b in buckets:
                near.update(_last(self.bucket_stories.get(b, []), self.p.dense_cap))
            if near:
                ids = np.array(sorted(near), dtype=np.int64)
                ids = ids[self._window_mask(ids, day)]
                ids = ids[[int(i) in self._row for i in ids]] if len(ids) else ids  # stories with an embedding
                if len(ids):
                    dots = self._unit[[self._row[int(i)] for i in ids]] @ emb
                    top = np.lexsort((ids, -dots))[: self.p.dense_candidates]
                    for k in top:
                        sims[int(ids[k])] = float(dots[k])
        if found:
            ids = np.array(sorted(found), dtype=np.int64)
            found = set(ids[self._window_mask(ids, day)].tolist())
        found.update(sims)
        return sorted(found), sims

    def _window_mask(self, ids, day: int | None):
        """Which of these stories are open and active within the window of `day`."""
        import numpy as np

        ok = self._open[ids]
        if day is not None:
            first, last = self._first[ids], self._last[ids]
            w, age = self.p.window_days, self.p.max_age_days
            near = (first - w <= day) & (day <= last + w)
            if age is not None:
                near &= np.abs(day - first) <= age
            ok = ok & (np.isnan(first) | near)
        return ok

    def story_features(self, feat: Features, vec: dict[str, float], emb, st: _Story,
                       dense: float | None = None) -> dict[str, float]:
        """The join model's inputs for one article and one story (`dense`: the embedding similarity, when
        the candidate search computed it already)."""
        centroid = st.centroid
        out = {"lexical": sum(vec[t] * centroid[t] for t in vec.keys() & centroid.keys())}
        if dense is None:
            row = self._row.get(st.sid)
            dense = float(self._unit[row] @ emb) if emb is not None and row is not None else 0.0
        out["dense"] = dense
        out["quotes"] = len(feat.quotes & st.quotes) / len(feat.quotes) if feat.quotes else 0.0
        out["numbers"] = 1.0 if feat.figures & st.figures else 0.0
        out["events"] = 1.0 if feat.events & st.events else 0.0
        out["same_outlet"] = 1.0 if feat.outlet and feat.outlet in st.outlets else 0.0
        w = self.p.window_days
        if feat.day is None or st.first is None:
            # no date on one side: time gives no support; count them as far apart as a story's articles may
            # be (an undated article needs more of the other evidence to join)
            out["gap"] = out["age"] = float(min(w, self.p.max_age_days if self.p.max_age_days is not None else w))
        else:
            out["gap"] = float(min(w, max(0, feat.day - st.last, st.first - feat.day)))
            out["age"] = float(min(w, abs(feat.day - st.first)))
        return out

    def score(self, x: dict[str, float]) -> float:
        return self.bias + sum(w * x.get(f, 0.0) for f, w in self.weights.items())

    def _content_ok(self, vec: dict[str, float], st: _Story) -> bool:
        if not self.p.content_min:
            return True
        shared = vec.keys() & st.centroid.keys()
        shared -= place_terms()
        return sum(vec[t] * st.centroid[t] for t in shared) >= self.p.content_min

    # -- grouping --------------------------------------------------------------------------
    def prepare(self, item: Article | ArticleResult | Features, embedding=None):
        """(features, vector, embedding) of an article, counted into the document frequencies."""
        feat = item if isinstance(item, Features) else features_of(item, self.p.max_words, self.p.title_weight)
        self.n_docs += 1
        self.df.update(feat.counts.keys())
        vec = self._vector(feat.counts)
        emb = None
        if self.dense:
            if embedding is None and not isinstance(item, Features):
                from .embedding import embed_leads

                article = item.article if isinstance(item, ArticleResult) else item
                embedding = embed_leads([article])[0]
            emb = embedding
        return feat, vec, emb

    def add(self, item: Article | ArticleResult | Features, embedding=None, force_story: int | None = None,
            observe=None) -> int:
        """Assign one article (or replay a stored assignment with `force_story`); returns the story index.

        `observe(story_index, features)` is called for every candidate scored (the model fit uses it).
        """
        aid = item.id if isinstance(item, Features) else (
            item.article.id if isinstance(item, ArticleResult) else item.id)
        if aid in self.assignment:
            return self.assignment[aid]
        feat, vec, emb = self.prepare(item, embedding)
        if feat.day is not None:
            self._advance(feat.day)
        best, best_score = None, -math.inf
        if force_story is None or observe is not None:
            cands, sims = self.candidates(feat, vec, emb)
            for sid in cands:
                st = self.stories[sid]
                x = self.story_features(feat, vec, emb, st, sims.get(sid))
                self.compared += 1
                if observe is not None:
                    observe(sid, x)
                s = self.score(x)
                if s >= self.threshold and s > best_score and self._content_ok(vec, st):
                    best, best_score = sid, s
        if force_story is not None:
            best = force_story
            while len(self.stories) <= best:
                self.stories.append(_Story(sid=len(self.stories)))
        if best is None:
            best = len(self.stories)
            self.stories.append(_Story(sid=best))
        self._grow(len(self.stories))
        self._join(self.stories[best], feat, vec, emb)
        self.assignment[feat.id] = best
        self.similarity[feat.id] = round(1.0 / (1.0 + math.exp(-best_score)), 4) if best_score > -math.inf else 1.0
        return best

    def _grow(self, n: int) -> None:
        """Room for n stories in the per-story arrays (doubling)."""
        import numpy as np

        size = 0 if self._open is None else len(self._open)
        if n <= size:
            return
        new = max(n, 2 * size, 256)
        first, last = np.full(new, np.nan), np.full(new, np.nan)
        opened = np.zeros(new, dtype=bool)
        if size:
            first[:size], last[:size], opened[:size] = self._first, self._last, self._open
        self._first, self._last, self._open = first, last, opened

    def _take_row(self, dim: int) -> int:
        """A free row of the embedding matrix (the matrix doubles when none is free)."""
        import numpy as np

        if not self._free_rows:
            size = 0 if self._unit is None else len(self._unit)
            grown = np.zeros((max(64, 2 * size), dim), dtype=np.float32)
            if size:
                grown[:size] = self._unit
            self._unit = grown
            self._free_rows = list(range(len(grown) - 1, size - 1, -1))
        return self._free_rows.pop()

    def _join(self, st: _Story, feat: Features, vec: dict[str, float], emb) -> None:
        st.members.append(feat.id)
        if not st.open:  # a replayed assignment into a closed story: membership only
            return
        self._open[st.sid] = True
        for t, w in vec.items():
            st.centroid[t] = st.centroid.get(t, 0.0) + w
        if len(st.centroid) > self.p.centroid_terms:
            st.centroid = dict(sorted(st.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[: self.p.centroid_terms])
        norm = math.sqrt(sum(w * w for w in st.centroid.values())) or 1.0
        st.centroid = {t: w / norm for t, w in st.centroid.items()}
        if emb is not None:
            import numpy as np

            st.dense = np.array(emb, dtype=np.float32) if st.dense is None else st.dense + emb
            row = self._row.get(st.sid)
            if row is None:
                row = self._row[st.sid] = self._take_row(len(st.dense))
            self._unit[row] = st.dense / max(float(np.linalg.norm(st.dense)), 1e-9)
        if feat.outlet:
            st.outlets.add(feat.outlet)
        st.quotes |= feat.quotes
        st.figures |= feat.figures
        st.events |= feat.events
        day = feat.day if feat.day is not None else self.now
        if feat.day is not None:
            st.first = feat.day if st.first is None else min(st.first, feat.day)
            st.last = feat.day if st.last is None else max(st.last, feat.day)
            self._first[st.sid], self._last[st.sid] = st.first, st.last
        b = None if day is None else self._bucket(day)
        if b not in st.buckets:
            st.buckets.add(b)
            self.bucket_stories[b].append(st.sid)
        rare = sorted(vec, key=lambda t: (-vec[t], t))[: self.p.block_terms]
        for t in rare:
            if (t, b) not in st.keys:
                st.keys.add((t, b))
                self.postings[(t, b)].append(st.sid)
                self.bucket_terms[b].add(t)

    def _advance(self, day: int) -> None:
        """Move stream time to `day`; close the stories that have been quiet for `quiet_days`."""
        if self.now is not None and day <= self.now:
            return
        self.now = day
        horizon = self._bucket(day - self.p.quiet_days) - 1  # buckets at or below this one are over
        dated = [b for b in self.bucket_stories if b is not None]
        start = min(dated, default=horizon + 1) if self._swept is None else self._swept
        for b in range(start, horizon + 1):
            for sid in self.bucket_stories.pop(b, []):
                st = self.stories[sid]
                if st.open and (st.last is None or st.last < day - self.p.quiet_days):
                    self._close(st)
            for t in self.bucket_terms.pop(b, set()):
                self.postings.pop((t, b), None)
        self._swept = max(self._swept or horizon + 1, horizon + 1)

    def _close(self, st: _Story) -> None:
        st.open = False
        self._open[st.sid] = False
        row = self._row.pop(st.sid, None)
        if row is not None:
            self._free_rows.append(row)
        st.centroid, st.dense, st.keys = {}, None, set()
        st.quotes, st.figures, st.events, st.outlets = set(), set(), set(), set()

    def groups(self) -> list[list[str]]:
        return [list(s.members) for s in self.stories if s.members]


def _last(items: list, n: int) -> list:
    """The last `n` items (none for n <= 0; `items[-0:]` would be all of them)."""
    return items[len(items) - n:] if n > 0 else []


def central_title(titles: Sequence[str], embeddings=None) -> str:
    """The most central headline of a story: nearest its members' mean embedding (or, without embeddings,
    sharing the most words with the other headlines); ties go to the earliest."""
    if not titles:
        return ""
    if len(titles) <= 2 or embeddings is None:
        toks = [set(tokens(t)) for t in titles]
        score = [sum(len(a & b) for j, b in enumerate(toks) if j != i) for i, a in enumerate(toks)]
    else:
        import numpy as np

        mean = np.asarray(embeddings).sum(0)
        score = [float(v) for v in np.asarray(embeddings) @ mean]
    best = max(range(len(titles)), key=lambda i: (bool(titles[i].strip()), score[i], -i))
    return titles[best]


def group_articles(
    articles: Sequence[Article | ArticleResult] | Iterable[Article | ArticleResult],
    params: GroupingParams | None = None, embeddings=None, **overrides,
) -> list[list[str]]:
    """Group articles into stories (lists of article ids, in order of first appearance). Pure.

    `embeddings`: their lead embeddings in the same order, when already computed; otherwise they are
    computed here in batches (when dense features are on and the encoder is installed).
    """
    p = params or GroupingParams()
    if overrides:
        p = GroupingParams(**{**p.__dict__, **overrides})
    items = list(articles)
    g = Grouper(p)
    if g.dense and embeddings is None:
        from .embedding import embed_leads

        embeddings = embed_leads([i.article if isinstance(i, ArticleResult) else i for i in items])
    for k, a in enumerate(items):
        g.add(a, embedding=None if embeddings is None else embeddings[k])
    return g.groups()
