"""The learned attribution tagger: cue, source and content spans from a linear-chain CRF over parse features.

Why a CRF over spaCy features and not a head on the MiniLM encoder: the tagger runs inside extraction, whose
throughput must stay at 1.5x the plain spaCy pass; MiniLM-L6 costs about 20 MFLOP per word piece (10-20 ms a
sentence on one core), the CRF reads the parse extraction has already made and costs well under a millisecond
a sentence (see train_tagger's --eval figures).

Window: a paragraph (a line of the article text). PolNeAR's attributions stay inside their paragraph (17 of
2,192 dev relations cross one) while their content often runs over several sentences ("... ," she said. "...").
Only candidate paragraphs are tagged: those with a segment that may hold a quote (`might_hold_quote`) or a
word the model learned as a cue (`cue_words` in the artifact: forms that were part of a gold cue in at
least a quarter of their training occurrences, e.g. 'mocked', 'insisted', 'figures').

Labels are BIO over three roles (CUE, SRC, CON); spans are then grouped into attributions round their cue
(the parse links a content or a source to its cue where it can, the nearest cue in the paragraph otherwise).
Each attribution's `score` is the mean marginal probability (forward-backward) that its tokens carry the
labels they were given, mapped (`score_map`, fitted on held-out training articles) to the expected share of
its tokens that are right (train_tagger --eval prints the reliability table).

Run time: numpy only. The artifact quotes/model/tagger.npz holds the feature names, their weights per label,
the transition weights and the learned cue lemmas; `python -m tightrope.quotes.train_tagger` rebuilds it.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "model" / "tagger.npz"
ROLES = ("CUE", "SRC", "CON")
LABELS = ("O", "B-CUE", "I-CUE", "B-SRC", "I-SRC", "B-CON", "I-CON")
_OPEN = {"“", "``", "«", "„"}
_CLOSE = {"”", "''", "»"}
_STRAIGHT = {'"'}


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution: who (source) said (cue) what (content), as character ranges of the article text.

    `content` is one or more ranges (a quote cut by '..., he said, ...' is one statement in two parts), or
    none when the model found a cue (and maybe its source) but not its content;
    `kind` is 'direct' (all inside quotation marks), 'indirect' (none) or 'mixed'; `score` is the mean
    probability the model gives to the labels of its tokens."""

    content: tuple[tuple[int, int], ...]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    score: float
    kind: str

    @property
    def start(self) -> int:
        """Where the content starts (the cue's start when the content is empty)."""
        return self.content[0][0] if self.content else self.cue[0]

    @property
    def end(self) -> int:
        return self.content[-1][1] if self.content else self.cue[1]

    @property
    def direct(self) -> bool:
        return self.kind == "direct"

    def text(self, article: str) -> str:
        return " … ".join(article[a:b] for a, b in self.content)


# ----------------------------------------------------------------------------- windows and features

def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line that holds something besides spaces."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def _quote_marks(words: list[str], spaced: list[bool]) -> list[int]:
    """Per token: 1 opening mark, 2 closing mark, 0 other. A straight '"' opens after a space (or at the start)
    and closes otherwise."""
    out = []
    for k, w in enumerate(words):
        if w in _OPEN:
            out.append(1)
        elif w in _CLOSE:
            out.append(2)
        elif w in _STRAIGHT:
            out.append(1 if k == 0 or spaced[k - 1] else 2)
        else:
            out.append(0)
    return out


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11+"


class DocArrays:
    """The token attributes the features read, for a whole Doc at once (one `to_array`; reading them
    through Token objects cost more than the model)."""

    __slots__ = ("doc", "text", "lower", "lemma", "pos", "tag", "dep", "head", "ent", "shape", "start", "end",
                 "space", "space_token", "sent_start", "parsed")

    def __init__(self, doc):
        from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SENT_START, SHAPE, SPACY, TAG

        from ..nlp import UNPARSED_DEP

        self.doc = doc
        self.text = doc.text
        n = len(doc)
        arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE, SHAPE, IDX, LENGTH, SPACY, IS_SPACE,
                            SENT_START]) if n else np.zeros((0, 13), dtype=np.uint64)
        strings = doc.vocab.strings
        cache: dict[int, str] = {0: ""}

        def text_of(col: int) -> list[str]:
            out = []
            for h in arr[:, col].tolist():
                v = cache.get(h)
                if v is None:
                    v = cache[h] = strings[h]
                out.append(v)
            return out

        self.lower = text_of(0)
        unparsed = strings[UNPARSED_DEP] if UNPARSED_DEP in strings else -1
        self.parsed = [p != 0 and d != unparsed for p, d in zip(arr[:, 2].tolist(), arr[:, 4].tolist())]
        self.lemma = [lem.lower() if ok else low for lem, ok, low in zip(text_of(1), self.parsed, self.lower)]
        self.pos = [x if ok else "_" for x, ok in zip(text_of(2), self.parsed)]
        self.tag = text_of(3)
        self.dep = text_of(4)
        self.head = (np.arange(n) + arr[:, 5].astype(np.int64)).tolist()
        self.ent = text_of(6)
        self.shape = [x[:4] for x in text_of(7)]
        self.start = arr[:, 8].astype(np.int64).tolist()
        self.end = (arr[:, 8] + arr[:, 9]).astype(np.int64).tolist()
        self.space = [bool(x) for x in arr[:, 10].tolist()]
        is_space = arr[:, 11].tolist()
        self.sent_start = [i == 0 or x == 1 for i, x in enumerate(arr[:, 12].astype(np.int64).tolist())]
        self.space_token = [bool(x) for x in is_space]


class Window:
    """The non-space tokens of one paragraph, with what the features and the grouping read."""

    __slots__ = ("doc", "arrays", "idx", "starts", "ends", "inside", "marks")

    def __init__(self, arrays: DocArrays, first: int, last: int):
        self.doc = arrays.doc
        self.arrays = arrays
        self.idx = [i for i in range(first, last) if not arrays.space_token[i]]
        self.starts = [arrays.start[i] for i in self.idx]
        self.ends = [arrays.end[i] for i in self.idx]
        text = arrays.text
        words = [text[arrays.start[i]:arrays.end[i]] for i in self.idx]
        self.marks = _quote_marks(words, [arrays.space[i] for i in self.idx])
        inside, depth = [], False
        for m in self.marks:
            if m == 1:
                depth = True
                inside.append(False)
            elif m == 2:
                depth = False
                inside.append(False)
            else:
                inside.append(depth)
        self.inside = inside

    def __len__(self) -> int:
        return len(self.idx)


_MARK_WORDS = _OPEN | _CLOSE | _STRAIGHT | {"'", "‘", "’"}


def windows(doc, cue_words: frozenset[str] = frozenset(), candidates_only: bool = True) -> list[Window]:
    """The paragraph windows of `doc` to tag: with `candidates_only`, those holding a quotation mark or a
    word (lower case) in `cue_words` (the cue words learned in training, 'said' and 'according' among them)."""
    from bisect import bisect_left

    arrays = DocArrays(doc)
    wanted = cue_words | _MARK_WORDS
    out = []
    starts = arrays.start
    for a, b in paragraphs(arrays.text):
        lo, hi = bisect_left(starts, a), bisect_left(starts, b)
        if lo >= hi:
            continue
        if candidates_only and not any(arrays.lower[i] in wanted for i in range(lo, hi)):
            continue
        w = Window(arrays, lo, hi)
        if len(w):
            out.append(w)
    return out


# Templates whose value per token is a list (several ancestors, several children); the others give one value
# per token or None.
MULTI_TEMPLATES = frozenset({"a", "k"})


def template_values(w: Window, cue_words: frozenset[str] = frozenset(),
                    clusters: dict[str, str] | None = None) -> list[tuple[str, list]]:
    """(template, value per token) for the window: word, lemma, tags, parse path, quotation state, the nearest
    learned cue word in the sentence, and word clusters (`clusters`: word -> cluster id). A feature is
    'template=value'; computed a template at a time so that the run-time model looks each template's values
    up in one table of its own (see QuoteTagger.emissions)."""
    A = w.arrays
    clusters = clusters or {}
    idx = w.idx
    n = len(idx)
    lower = [A.lower[i] for i in idx]
    parsed = [A.parsed[i] for i in idx]
    pos = [A.pos[i] for i in idx]
    lemma = [A.lemma[i] for i in idx]
    dep = [A.dep[i] if ok else None for i, ok in zip(idx, parsed)]
    sent_start = [A.sent_start[i] for i in idx]
    dep_of, lemma_of, pos_of, head_of = A.dep, A.lemma, A.pos, A.head
    where = {i: k for k, i in enumerate(idx)}
    # tokens since the last opening / closing mark (in the window)
    since_open, since_close = [], []
    o = c = -100
    for k, m in enumerate(w.marks):
        since_open.append(_bucket(k - o))
        since_close.append(_bucket(k - c))
        if m == 1:
            o = k
        elif m == 2:
            c = k
    sent_id, s = [], -1
    for st in sent_start:
        s += st
        sent_id.append(s)
    sent_q = {sent_id[k] for k, m in enumerate(w.marks) if m}
    # the lemma of each sentence's root, and whether the token comes before it
    root_at: dict[int, tuple[int, str]] = {}
    for k in range(n):
        if dep[k] == "ROOT":
            root_at.setdefault(sent_id[k], (k, lemma[k]))
    cluster = [clusters.get(lower[k]) or clusters.get(lemma[k]) for k in range(n)]
    # the path up the tree: the first five ancestors' lemmas, each with the relation of the child we came
    # from, and the first three relations; built once per token from its head's (memo over the window)
    up: dict[int, tuple[str, ...]] = {}
    rels: dict[int, tuple[str, ...]] = {}

    def climb(i: int) -> None:
        chain = []
        j = i
        while j not in up:
            h = head_of[j]
            if h == j:
                up[j], rels[j] = (), (dep_of[j],)
                break
            chain.append(j)
            j = h
        for j in reversed(chain):
            h = head_of[j]
            up[j] = (lemma_of[h] + "|" + dep_of[j],) + up[h][:4]
            rels[j] = (dep_of[j],) + rels[h][:2]

    anc_lemma: list[tuple[str, ...]] = []
    path3: list[str | None] = []
    head_pair: list[str | None] = []
    head_pos: list[str | None] = []
    head_cluster: list[str | None] = []
    for k, i in enumerate(idx):
        if not parsed[k]:
            anc_lemma.append(())
            path3.append(None)
            head_pair.append(None)
            head_pos.append(None)
            head_cluster.append(None)
            continue
        h = head_of[i]
        head_pair.append(dep[k] + "|" + lemma_of[h])
        head_pos.append(dep[k] + "|" + pos_of[h])
        hk = where.get(h)
        head_cluster.append(dep[k] + "|" + cluster[hk] if cluster[k] and hk is not None and cluster[hk] else None)
        if i not in up:
            climb(i)
        anc_lemma.append(up[i])
        path3.append("/".join(rels[i]))
    kids: list[list[str]] = [[] for _ in range(n)]
    for k, i in enumerate(idx):
        if parsed[k] and head_of[i] != i and head_of[i] in where:
            kids[where[head_of[i]]].append(dep[k])
    # the nearest cue word of the same sentence, either side
    cue_at = [k for k in range(n) if lower[k] in cue_words]
    near_cue: list[tuple[str, str] | None] = []
    for k in range(n):
        near = [(abs(j - k), j) for j in cue_at if j != k and sent_id[j] == sent_id[k]]
        if near:
            d, j = min(near)
            near_cue.append(("cwL" if j < k else "cwR", _bucket(d)))
        else:
            near_cue.append(None)
    root_before, root_after = [], []
    for k in range(n):
        root = root_at.get(sent_id[k])
        root_before.append(root[1] if root is not None and k < root[0] else None)
        root_after.append(root[1] if root is not None and k > root[0] else None)
    marks = [str(m) for m in w.marks]
    opens_q = "1" if n and w.marks[0] == 1 else None

    def shifted(values: list, off: int, missing=None) -> list:
        return [values[k + off] if 0 <= k + off < n else missing for k in range(n)]

    parsed_lemma = [lem if ok else None for lem, ok in zip(lemma, parsed)]
    out = [
        ("b", ["1"] * n), ("w", lower), ("p", pos), ("sh", [A.shape[i] for i in idx]), ("s3", [x[-3:] for x in lower]),
        ("l", parsed_lemma),
        ("t", [A.tag[i] if ok else None for i, ok in zip(idx, parsed)]),
        ("d", dep), ("hd", head_pair), ("hp", head_pos), ("a", anc_lemma), ("path", path3),
        ("k", kids), ("unparsed", [None if ok else "1" for ok in parsed]),
        ("e", [A.ent[i] or None for i in idx]),
        ("q", ["in" if x else "out" for x in w.inside]), ("qm", marks), ("so", since_open), ("sc", since_close),
        ("sq", ["1" if sid in sent_q else "0" for sid in sent_id]), ("pq", [opens_q] * n),
        ("rb", root_before), ("ra", root_after), ("ss", ["1" if x else None for x in sent_start]),
        ("first", ["1"] + [None] * (n - 1)),
    ]
    for off in (-2, -1, 1, 2):
        out.append((f"w{off}", shifted(lower, off, "<>")))
        out.append((f"p{off}", shifted(pos, off)))
        if off in (-1, 1):
            out.append((f"l{off}", shifted(parsed_lemma, off)))
            out.append((f"q{off}", shifted(marks, off)))
    out += [
        ("bi", [None] + [lemma[k - 1] + "|" + lemma[k] for k in range(1, n)]),
        ("cwL", [x[1] if x and x[0] == "cwL" else None for x in near_cue]),
        ("cwR", [x[1] if x and x[0] == "cwR" else None for x in near_cue]),
        ("cw", ["1" if x in cue_words else None for x in lower]),
        ("c", cluster), ("hc", head_cluster), ("c-1", shifted(cluster, -1)), ("c1", shifted(cluster, 1)),
    ]
    return out


def features(w: Window, cue_words: frozenset[str] = frozenset(),
             clusters: dict[str, str] | None = None) -> list[list[str]]:
    """The feature names ('template=value') of each token of the window, as CRFsuite is trained on them."""
    out: list[list[str]] = [[] for _ in w.idx]
    for tpl, values in template_values(w, cue_words, clusters):
        head = tpl + "="
        if tpl in MULTI_TEMPLATES:
            for f, vs in zip(out, values):
                f.extend(head + v for v in vs)
        else:
            for f, v in zip(out, values):
                if v is not None:
                    f.append(head + v)
    return out


# Templates whose value depends on the token alone, and templates that read a neighbour's value of one of
# them: template -> (token template, offset). template_values builds the latter with `shifted`.
TOKEN_TEMPLATES = ("w", "p", "sh", "s3", "l", "t", "e", "c", "cw", "unparsed")
NEIGHBOUR_TEMPLATES = {"w-2": ("w", -2), "p-2": ("p", -2), "w-1": ("w", -1), "p-1": ("p", -1), "l-1": ("l", -1),
                       "c-1": ("c", -1), "w1": ("w", 1), "p1": ("p", 1), "l1": ("l", 1), "c1": ("c", 1),
                       "w2": ("w", 2), "p2": ("p", 2)}
_SUMMED = frozenset(TOKEN_TEMPLATES) | frozenset(NEIGHBOUR_TEMPLATES)
# past the window's edge the word templates read "<>" (template_values' `missing`)
_EDGE_VALUE = {"w-2": "<>", "w-1": "<>", "w1": "<>", "w2": "<>"}


class _TokenSums:
    """Per distinct token (the values of TOKEN_TEMPLATES): the summed weights of its own templates and of
    what it gives its neighbours, filled in as tokens are met and cleared when it grows past `limit`."""

    def __init__(self, tables: dict[str, dict[str, int]], padded: np.ndarray, limit: int = 100_000):
        self.tables, self.padded, self.limit = tables, padded, limit
        self.offsets = sorted({off for _, off in NEIGHBOUR_TEMPLATES.values()})
        self.edges = {}
        for tpl, (_, off) in NEIGHBOUR_TEMPLATES.items():
            r = tables.get(tpl, {}).get(_EDGE_VALUE.get(tpl), 0)
            if r:
                self.edges[off] = self.edges.get(off, 0) + padded[r]
        self._clear()

    def _clear(self) -> None:
        self.index: dict[tuple, int] = {}
        cap, width = 4096, self.padded.shape[1]
        self.self_ = np.zeros((cap, width))
        # token j's sums for the token that reads it (template offset o at token k reads token k+o)
        self.shifted = {off: np.zeros((cap, width)) for off in self.offsets}

    def _add(self, key: tuple) -> int:
        row = len(self.index)
        if row == len(self.self_):  # full: double the tables
            self.self_ = np.vstack([self.self_, np.zeros_like(self.self_)])
            self.shifted = {off: np.vstack([m, np.zeros_like(m)]) for off, m in self.shifted.items()}
        value_of = dict(zip(TOKEN_TEMPLATES, key))
        tables, padded = self.tables, self.padded

        def total(out: np.ndarray, names) -> None:
            for tpl, base in names:
                v = value_of[base]
                if v is not None:
                    r = tables.get(tpl, {}).get(v, 0)
                    if r:
                        out += padded[r]

        total(self.self_[row], ((t, t) for t in TOKEN_TEMPLATES))
        for off in self.offsets:
            total(self.shifted[off][row], ((t, base) for t, (base, o) in NEIGHBOUR_TEMPLATES.items() if o == off))
        self.index[key] = row
        return row

    def rows(self, keys) -> np.ndarray:
        keys = list(keys)
        if len(self.index) + len(keys) > self.limit:
            self._clear()
        index = self.index
        out = [index.get(k) for k in keys]
        for j, r in enumerate(out):
            if r is None:
                out[j] = index.get(keys[j])
                if out[j] is None:
                    out[j] = self._add(keys[j])
        return np.asarray(out, dtype=np.int64)


# ----------------------------------------------------------------------------- the model

class QuoteTagger:
    """A linear-chain CRF: state weights per (feature, label) and label-to-label transition weights."""

    def __init__(self, feature_index: dict[str, int], state: np.ndarray, transitions: np.ndarray,
                 cue_words: frozenset[str], meta: dict, clusters: dict[str, str] | None = None):
        self.feature_index = feature_index
        self.state = state.astype(np.float64)  # (n_features, n_labels)
        # per template, value -> row of `_padded` (row 0: zeros, for values the model has no weight for)
        self._tables: dict[str, dict[str, int]] = {}
        for name, i in feature_index.items():
            tpl, _, value = name.partition("=")
            self._tables.setdefault(tpl, {})[value] = i + 1
        # added to the label scores when decoding (not to the marginals that make the scores): a CRF trained
        # for likelihood labels too few tokens for the best F1; the bias per role was tuned on held-out
        # training articles (train_tagger --holdout)
        self.label_bias = np.asarray(meta.get("label_bias", [0.0] * len(LABELS)), dtype=np.float64)
        # the CRF's marginals are over-confident; a logistic map of their logit, fitted on held-out training
        # articles (train_tagger --holdout), turns the mean marginal into the expected share of right tokens
        self.score_map = tuple(meta.get("score_map", (1.0, 0.0)))
        self._padded = np.vstack([np.zeros((1, state.shape[1])), self.state])
        self._token_sums = _TokenSums(self._tables, self._padded)
        self.transitions = transitions.astype(np.float64)  # (from, to)
        self.cue_words = cue_words
        self.clusters = clusters or {}
        self.meta = meta

    # -- reading and writing (a zip written with fixed dates, so the same model gives the same bytes)
    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "QuoteTagger":
        with np.load(path, allow_pickle=False) as z:
            names = bytes(z["features"]).decode("utf-8").split("\n")
            cues = bytes(z["cue_words"]).decode("utf-8").split("\n")
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            if tuple(meta.get("labels", ())) != LABELS:
                raise ValueError(f"{path}: labels {meta.get('labels')} are not {LABELS}")
            pairs = (line.split("\t") for line in bytes(z["clusters"]).decode("utf-8").split("\n") if line)
            return cls({n: i for i, n in enumerate(names)}, z["state"], z["transitions"],
                       frozenset(c for c in cues if c), meta, dict(pairs))

    def save(self, path: Path) -> None:
        names = sorted(self.feature_index, key=self.feature_index.get)
        arrays = {
            "features": np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
            "state": self.state.astype(np.float16),
            "transitions": self.transitions.astype(np.float32),
            "cue_words": np.frombuffer("\n".join(sorted(self.cue_words)).encode("utf-8"), dtype=np.uint8),
            "clusters": np.frombuffer("\n".join(f"{w}\t{c}" for w, c in sorted(self.clusters.items())).encode("utf-8"),
                                      dtype=np.uint8),
            "meta": np.frombuffer(json.dumps(self.meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        }
        write_npz(path, arrays)

    # -- scoring
    def emissions(self, w: Window) -> np.ndarray:
        """Per token of the window and label: the summed weights of its features, a template at a time.

        The templates that read only one token (its word, tags, cluster: TOKEN_TEMPLATES) or a neighbour's
        (w-1, p+2, ...: NEIGHBOUR_TEMPLATES) are summed once per distinct token and kept (`_TokenSums`), so a
        token costs one look-up for them instead of one per template."""
        n = len(w)
        em = np.zeros((n, self.state.shape[1]))
        padded, tables = self._padded, self._tables
        values = template_values(w, self.cue_words, self.clusters)
        by_name = dict(values)
        rows = self._token_sums.rows(zip(*(by_name[t] for t in TOKEN_TEMPLATES)))
        sums = self._token_sums
        em += sums.self_[rows]
        for off, m in sums.shifted.items():
            if off < 0 and n > -off:  # token k reads token k+off (before it)
                em[-off:] += m[rows[:off]]
            elif off > 0 and n > off:
                em[:-off] += m[rows[off:]]
        for off, edge in sums.edges.items():  # 'w-1=<>' at the first token, ...
            if off < 0:
                em[:min(-off, n)] += edge
            else:
                em[max(n - off, 0):] += edge
        for tpl, vals in values:
            if tpl in _SUMMED:
                continue
            table = tables.get(tpl)
            if table is None:
                continue
            get = table.get
            if tpl in MULTI_TEMPLATES:
                toks, found = [], []
                for k, vs in enumerate(vals):
                    for v in vs:
                        r = get(v)
                        if r:
                            toks.append(k)
                            found.append(r)
                if found:
                    np.add.at(em, toks, padded[found])
            else:
                found = [get(v, 0) for v in vals]
                if any(found):
                    em += padded[found]
        return em

    def viterbi(self, em: np.ndarray) -> list[int]:
        n, L = em.shape
        back = np.zeros((n, L), dtype=np.int64)
        score = em[0].copy()
        for k in range(1, n):
            cand = score[:, None] + self.transitions
            back[k] = cand.argmax(0)
            score = cand.max(0) + em[k]
        path = [int(score.argmax())]
        for k in range(n - 1, 0, -1):
            path.append(int(back[k, path[-1]]))
        return path[::-1]

    def marginals(self, em: np.ndarray) -> np.ndarray:
        """P(label | window) of every token and label (forward-backward, rescaled at each step)."""
        n, L = em.shape
        trans = np.exp(self.transitions)
        psi = np.exp(em - em.max(1, keepdims=True))
        alpha = np.empty((n, L))
        beta = np.empty((n, L))
        a = psi[0] / psi[0].sum()
        alpha[0] = a
        for k in range(1, n):
            a = (a @ trans) * psi[k]
            a /= a.sum()
            alpha[k] = a
        b = np.ones(L)
        beta[n - 1] = b
        for k in range(n - 2, -1, -1):
            b = trans @ (psi[k + 1] * b)
            b /= b.sum()
            beta[k] = b
        m = alpha * beta
        return m / m.sum(1, keepdims=True)

    def calibrated(self, raw: float) -> float:
        """The score of an attribution whose tokens have mean marginal `raw`."""
        a, b = self.score_map
        raw = min(max(raw, 1e-6), 1 - 1e-6)
        return float(1.0 / (1.0 + np.exp(-(a * np.log(raw / (1 - raw)) + b))))

    def label_window(self, w: Window) -> tuple[list[int], np.ndarray]:
        """The best label of each token of the window and its marginal probability."""
        em = self.emissions(w)
        path = self.viterbi(em + self.label_bias)
        if not any(path):  # nothing found (most windows): no scores needed
            return path, np.ones(len(path))
        marg = self.marginals(em)
        return path, marg[np.arange(len(path)), path]

    def decode(self, ems: list[np.ndarray]) -> list[list[int]]:
        """`viterbi` of several windows at once (one numpy step per position of the longest, not per token)."""
        if not ems:
            return []
        B, N, L = len(ems), max(len(e) for e in ems), len(LABELS)
        em = np.zeros((B, N, L))
        ends = np.array([len(e) for e in ems])
        for b, e in enumerate(ems):
            em[b, :len(e)] = e + self.label_bias
        score = em[:, 0].copy()
        back = np.zeros((B, N, L), dtype=np.int64)
        for k in range(1, N):
            cand = score[:, :, None] + self.transitions[None]
            back[:, k] = cand.argmax(1)
            score = np.where((k < ends)[:, None], cand.max(1) + em[:, k], score)
        paths = []
        for b in range(B):
            steps = back[b, :ends[b]].tolist()
            path = [int(score[b].argmax())]
            for k in range(ends[b] - 1, 0, -1):
                path.append(steps[k][path[-1]])
            paths.append(path[::-1])
        return paths

    def marginals_batch(self, ems: list[np.ndarray]) -> list[np.ndarray]:
        """`marginals` of several windows at once."""
        if not ems:
            return []
        B, N, L = len(ems), max(len(e) for e in ems), len(LABELS)
        ends = np.array([len(e) for e in ems])
        psi = np.ones((B, N, L))
        for b, e in enumerate(ems):
            psi[b, :len(e)] = np.exp(e - e.max(1, keepdims=True))
        trans = np.exp(self.transitions)
        alpha = np.empty((B, N, L))
        beta = np.empty((B, N, L))
        a = psi[:, 0] / psi[:, 0].sum(1, keepdims=True)
        alpha[:, 0] = a
        for k in range(1, N):
            a = (a @ trans) * psi[:, k]
            a /= a.sum(1, keepdims=True)
            alpha[:, k] = a
        ones = np.ones((B, L))
        b = ones
        beta[:, N - 1] = b
        for k in range(N - 2, -1, -1):
            nb = (psi[:, k + 1] * b) @ trans.T
            nb /= nb.sum(1, keepdims=True)
            b = np.where((k + 1 < ends)[:, None], nb, ones)
            beta[:, k] = b
        m = alpha * beta
        m /= m.sum(2, keepdims=True)
        return [m[i, :ends[i]] for i in range(B)]

    def tag(self, doc_or_text, candidates_only: bool = True) -> list[Attribution]:
        """The attributions of a parsed Doc (as extraction makes it) or of a text (parsed here); with
        `candidates_only` off, every paragraph is tagged."""
        doc = doc_or_text
        if isinstance(doc_or_text, str):
            from ..nlp import parse
            from ..pipeline import keep_segment

            doc = parse(doc_or_text, keep=keep_segment)
        ws = windows(doc, self.cue_words, candidates_only)
        ems = [self.emissions(w) for w in ws]
        found = [(w, em, path) for w, em, path in zip(ws, ems, self.decode(ems)) if any(path)]
        out: list[Attribution] = []
        for (w, em, path), marg in zip(found, self.marginals_batch([em for _, em, _ in found])):
            out.extend(group(w, path, marg[np.arange(len(path)), path], self.calibrated))
        return sorted(out, key=lambda a: (a.start, a.end))


# ----------------------------------------------------------------------------- spans to attributions

_BIO = [None] + [tuple(name.split("-")) for name in LABELS[1:]]


def spans(labels: list[int]) -> list[tuple[str, int, int]]:
    """(role, first, last+1) runs of window positions from BIO label ids (an I after another role opens a span)."""
    out: list[list] = []
    for k, lab in enumerate(labels):
        if not lab:
            continue
        bio, role = _BIO[lab]
        if bio == "I" and out and out[-1][0] == role and out[-1][2] == k:
            out[-1][2] = k + 1
        else:
            out.append([role, k, k + 1])
    return [(r, a, b) for r, a, b in out]


def _tree_steps(w: Window, a: int, b: int, anchor: tuple[int, int]) -> int | None:
    """Fewest steps up the parse from window tokens a..b to the anchor's tokens or from the anchor's to
    them (one is an ancestor of the other), or None when the parse does not tie them."""
    head, parsed = w.arrays.head, w.arrays.parsed
    span = {w.idx[k] for k in range(a, b)}
    other = {w.idx[k] for k in range(*anchor)}
    best = None
    for here, there in ((span, other), (other, span)):
        for i in here:
            if not parsed[i]:
                continue
            steps, j = 0, i
            while head[j] != j:
                j = head[j]
                steps += 1
                if j in here or (best is not None and steps >= best):
                    break
                if j in there:
                    best = steps
                    break
    return best


def _nearest_in_tree(w: Window, a: int, b: int, anchors: list[tuple[int, int]]) -> int | None:
    steps = [(_tree_steps(w, a, b, anchor), c) for c, anchor in enumerate(anchors)]
    linked = [(s, c) for s, c in steps if s is not None]
    return min(linked)[1] if linked else None


def group(w: Window, labels: list[int], probs: np.ndarray, calibrated=None) -> list[Attribution]:
    """Attributions from the labelled spans of one window, one per cue: each content and source span goes to
    the cue the parse links it to, else to the nearest cue (same sentence first). A cue left without content
    still makes an attribution (empty `content`: the model saw who spoke but not what; the rules may know);
    in a window with no cue each content span is one attribution (a quote continued from an earlier paragraph)
    and takes the nearest source."""
    found = spans(labels)
    cues: list[tuple[int, int]] = []
    for r, a, b in found:
        if r == "CUE":
            if cues and cues[-1][1] == a:  # 'B-CUE B-CUE': one cue cut in two
                cues[-1] = (cues[-1][0], b)
            else:
                cues.append((a, b))
    sent_of = []
    s = -1
    for k, i in enumerate(w.idx):
        s += w.arrays.sent_start[i] or k == 0
        sent_of.append(s)

    def gap(a: int, b: int, c: tuple[int, int]) -> int:
        return c[0] - b if c[0] >= b else a - c[1] if a >= c[1] else 0

    def home(a: int, b: int, anchors: list[tuple[int, int]]) -> int | None:
        if not anchors:
            return None
        c = _nearest_in_tree(w, a, b, anchors)
        if c is not None:
            return c
        return min(range(len(anchors)), key=lambda c: (
            sent_of[anchors[c][0]] not in (sent_of[a], sent_of[b - 1]), gap(a, b, anchors[c]), c))

    contents = [(a, b) for r, a, b in found if r == "CON"]
    sources = [(a, b) for r, a, b in found if r == "SRC"]
    anchors = cues or contents  # without a cue, sources go to the nearest content
    parts_of: dict[int, list[tuple[int, int]]] = {c: [] for c in range(len(cues))}
    loose: list[tuple[int, int]] = []
    for span in contents:
        c = home(*span, cues)
        if c is None:
            loose.append(span)
        else:
            parts_of[c].append(span)
    sources_of: dict[int, list[tuple[int, int]]] = {}
    for span in sources:
        c = home(*span, anchors)
        if c is not None:
            sources_of.setdefault(c, []).append(span)

    def chars(a: int, b: int) -> tuple[int, int]:
        return w.starts[a], w.ends[b - 1]

    def best_source(c: int, anchor: tuple[int, int]) -> tuple[int, int] | None:
        if c not in sources_of:
            return None
        return min(sources_of[c], key=lambda s: (_tree_steps(w, s[0], s[1], anchor) or 99, gap(s[0], s[1], anchor)))

    out = []

    def make(parts: list[tuple[int, int]], cue: tuple[int, int] | None, src: tuple[int, int] | None) -> None:
        toks = [k for a, b in parts for k in range(a, b)] + [k for x in (cue, src) if x for k in range(*x)]
        inside = [w.inside[k] for a, b in parts for k in range(a, b) if w.marks[k] == 0]
        kind = "direct" if inside and all(inside) else "mixed" if any(inside) else "indirect"
        raw = float(np.mean(probs[toks]))
        out.append(Attribution(tuple(chars(a, b) for a, b in sorted(parts)),
                               chars(*src) if src else None, chars(*cue) if cue else None,
                               round(calibrated(raw) if calibrated else raw, 4), kind))

    for c, cue in enumerate(cues):
        make(parts_of[c], cue, best_source(c, cue))
    for span in loose:
        make([span], None, None if cues else best_source(contents.index(span), span))
    return out


# ----------------------------------------------------------------------------- files

def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz that np.load reads, with fixed member dates and order: the same arrays give the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    path.write_bytes(buf.getvalue())


def available(path: Path = MODEL_PATH) -> bool:
    return Path(path).exists()


@lru_cache(maxsize=1)
def load_tagger(path: Path = MODEL_PATH) -> QuoteTagger:
    """The committed tagger, loaded once per process."""
    return QuoteTagger.load(path)


def tag(doc_or_text) -> list[Attribution]:
    """Attributions (cue, source, content, score) of a parsed Doc or a text, by the committed tagger."""
    return load_tagger().tag(doc_or_text)
