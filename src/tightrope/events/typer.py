"""The learned PLOVER typer: (sentence, source span, target span) -> (type, confidence).

A linear model (logistic regression) over TF-IDF features of a *marked* sentence, where the source and target
spans are replaced by the placeholders SRC and TGT, plus the words between them and the trigger-lexicon hits.
It is trained by ``python -m tightrope.events.train --data /work/shared/data`` and stored as plain arrays
(vocabulary, idf, weights; no pickle) in events/model/typer.npz; run-time inference is numpy only. PLV's YIELD
class stands for CONCEDE + RETREAT: the model predicts YIELD and ``classify_event`` splits it by the sentence
(data/retreat_patterns.txt: withdraw/retreat/pull out -> RETREAT, else CONCEDE).

The feature recipe (the packaged trigger lexicon, the suffixes `_stem` strips) is part of the trained model:
changing it means retraining, so it reads the packaged data, never a user's override.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .rules import load_event_rules

MODEL_PATH = Path(__file__).parent / "model" / "typer.npz"

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")

TYPERS = ("linear", "neural", "ensemble")


def trigger_lexicon() -> dict[str, tuple[str, str | None]]:
    """lemma/word -> (PLOVER type, mode or None): the packaged trigger lexicon (events/data/triggers.tsv), the
    one the linear typer's features were trained with (a user's own lexicon changes the rules, not the model)."""
    return dict(load_event_rules().lexicon)


def _stem(word: str) -> str:
    w = word.lower()
    for suf in ("ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=1)
def _stem_lexicon() -> dict[str, str]:
    return {_stem(k): v[0] for k, v in trigger_lexicon().items()} | {k: v[0] for k, v in trigger_lexicon().items()}


def mark(sentence: str, source: str | None, target: str | None) -> str:
    """The sentence with the first occurrence of each span replaced by SRC / TGT."""
    s = sentence
    for span, tag in ((source, " SRC "), (target, " TGT ")):
        if span:
            i = s.find(span)
            if i >= 0:
                s = s[:i] + tag + s[i + len(span):]
    return s


def span_root(doc, text: str | None):
    """The syntactic head token of the first occurrence of `text` in a parsed sentence, or None."""
    from ..nlp import span_of

    i = doc.text.find(text) if text else -1
    span = span_of(doc, i, i + len(text)) if i >= 0 else None
    return span.root if span is not None else None


def dep_features(rs, rt) -> list[str]:
    """Parse features from the source and target head tokens: their common governor, dependencies, verbs."""
    out: list[str] = []
    if rs is not None and rt is not None:
        b = {x.i for x in [rt, *rt.ancestors]}
        lca = next((x for x in [rs, *rs.ancestors] if x.i in b), None)
        if lca is not None:
            out.append("LCA_" + lca.lemma_.lower())
            for c in lca.children:
                if c.dep_ in ("xcomp", "dobj", "neg", "prt", "ccomp"):
                    out.append(f"LCA{c.dep_}_" + c.lemma_.lower())
    for name, r in (("S", rs), ("T", rt)):
        if r is None:
            continue
        h = r.head
        out.append(f"{name}DEP_{r.dep_}")
        out.append(f"{name}HEAD_{h.lemma_.lower()}")
        if r.dep_ == "pobj":
            out.append(f"{name}PREP_{h.lower_}_{h.head.lemma_.lower()}")
        v = next((x for x in [r, *r.ancestors] if x.pos_ == "VERB"), None)
        if v is not None:
            out.append(f"{name}VERB_{v.lemma_.lower()}")
    return out


@lru_cache(maxsize=1)
def _nlp():
    from ..nlp import load_pipeline

    return load_pipeline()


def features(sentence: str, source: str | None, target: str | None, roots: tuple | None = None) -> str:
    """One text string holding all the feature tokens (the vectoriser splits on whitespace).

    `roots` = (source head token, target head token) from an existing parse; without it the sentence is parsed.
    """
    if roots is None:
        doc = _nlp()(sentence)
        roots = (span_root(doc, source), span_root(doc, target))
    marked = mark(sentence, source, target)
    words = _WORD.findall(marked)
    low = [w if w in ("SRC", "TGT") else w.lower() for w in words]
    toks = list(low)
    try:
        i, j = low.index("SRC"), low.index("TGT")
    except ValueError:
        i = j = -1
    lex = _stem_lexicon()
    if i >= 0 and j >= 0:
        a, b = sorted((i, j))
        between = low[a + 1:b]
        order = "S_T" if i < j else "T_S"
        toks.append("ORDER_" + order)
        toks += ["B_" + w for w in between[:12]]
        toks += ["A_" + w for w in low[b + 1:b + 6]]
        toks += ["P_" + w for w in low[max(0, a - 4):a]]
        for w in between[:8]:
            t = lex.get(w) or lex.get(_stem(w))
            if t:
                toks.append("LEXB_" + t)
    for w in low:
        t = lex.get(w) or lex.get(_stem(w))
        if t:
            toks.append("LEX_" + t)
    toks += dep_features(*roots)
    return " ".join(toks)


def build_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    vec = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=False)
    return make_pipeline(vec, LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced"))


class LinearTyper:
    """TF-IDF (word 1-2 grams over the feature tokens, sublinear tf, l2) + multinomial logistic regression."""

    def __init__(self, vocab: list[str], idf, coef, intercept, classes: list[str]):
        import numpy as np

        self.index = {t: i for i, t in enumerate(vocab)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.classes_ = list(classes)

    @classmethod
    def from_sklearn(cls, pipe) -> "LinearTyper":
        vec, lr = pipe.steps[0][1], pipe.steps[-1][1]
        vocab = [None] * len(vec.vocabulary_)
        for t, i in vec.vocabulary_.items():
            vocab[i] = t
        return cls(vocab, vec.idf_, lr.coef_, lr.intercept_, [str(c) for c in lr.classes_])

    def save(self, path: Path) -> None:
        import numpy as np

        vocab = [None] * len(self.index)
        for t, i in self.index.items():
            vocab[i] = t
        np.savez_compressed(path, vocab=np.array(vocab, dtype=object).astype(str), idf=self.idf.astype(np.float32),
                            coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32),
                            classes=np.array(self.classes_))

    @classmethod
    def load(cls, path: Path) -> "LinearTyper":
        import numpy as np

        z = np.load(path, allow_pickle=False)
        return cls([str(v) for v in z["vocab"]], z["idf"], z["coef"], z["intercept"], [str(c) for c in z["classes"]])

    def predict_proba(self, texts: list[str]):
        import numpy as np

        out = []
        for text in texts:
            toks = text.split()
            counts: dict[int, int] = {}
            for g in toks + [a + " " + b for a, b in zip(toks, toks[1:])]:
                j = self.index.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            scores = self.intercept.copy()
            if counts:
                idx = np.fromiter(counts.keys(), dtype=np.int64)
                vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[idx]
                vals /= np.sqrt((vals * vals).sum())
                scores += self.coef[:, idx] @ vals
            e = np.exp(scores - scores.max())
            out.append(e / e.sum())
        return np.array(out)

    def predict(self, texts: list[str]) -> list[str]:
        return [self.classes_[int(p.argmax())] for p in self.predict_proba(texts)]


@lru_cache(maxsize=1)
def load_model() -> LinearTyper | None:
    if not MODEL_PATH.exists():
        return None
    return LinearTyper.load(MODEL_PATH)


def split_yield(label: str, sentence: str) -> str:
    """PLV's YIELD as PLOVER's RETREAT when the sentence withdraws or pulls out (data/retreat_patterns.txt),
    else CONCEDE; any other label as it is."""
    if label != "YIELD":
        return label
    return "RETREAT" if load_event_rules().retreat.search(sentence) else "CONCEDE"


def classify_event(sentence: str, source_text: str | None, target_text: str | None,
                   roots: tuple | None = None, typer: str = "linear") -> tuple[str, float]:
    """The PLOVER type of the event between the two spans, and the model's probability for it.

    `roots` optionally gives the (source, target) head tokens of an existing spaCy parse of the sentence.
    `typer`: "linear" (the default, numpy only); "neural", the fine-tuned MiniLM typer of events/neural.py
    (slower: one encoder pass per event, on one BLAS thread), or "ensemble", the mean of both models'
    probabilities; both need the [neural] extra, and without it the linear typer decides.
    """
    model = load_model()
    feats = features(sentence, source_text, target_text, roots)
    if typer in ("neural", "ensemble"):
        from . import neural

        nm = neural.load_model()
        if nm is not None:
            probs = nm.predict_proba([neural.marked_text(sentence, source_text, target_text)])[0]
            if typer == "ensemble" and model is not None:
                lp = model.predict_proba([feats])[0]
                probs = (probs + [lp[model.classes_.index(c)] if c in model.classes_ else 0.0
                                  for c in nm.classes_]) / 2
            k = int(probs.argmax())
            return split_yield(nm.classes_[k], sentence), float(probs[k])
    if model is None:  # no trained artifact: fall back on the lexicon
        for tok in feats.split():
            if tok.startswith("LEX_"):
                return tok[4:], 0.3
        return "CONSULT", 0.0
    probs = model.predict_proba([feats])[0]
    k = int(probs.argmax())
    return split_yield(str(model.classes_[k]), sentence), float(probs[k])
