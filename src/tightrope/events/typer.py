"""The learned PLOVER typer: (sentence, source span, target span) -> (type, confidence).

A linear model (logistic regression) over TF-IDF features of a *marked* sentence, where the source and target
spans are replaced by the placeholders SRC and TGT, plus the words between them and the trigger-lexicon hits.
It is trained by ``python -m tightrope.events.train --data /work/shared/data`` and stored (small, pickled with
joblib) in events/model/typer.joblib. PLV's YIELD class stands for CONCEDE + RETREAT: the model predicts YIELD
and ``classify_event`` splits it with the trigger lexicon (withdraw/retreat/pull out -> RETREAT, else CONCEDE).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "model" / "typer.joblib"
DATA = Path(__file__).parent / "data"

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_RETREAT = re.compile(r"\b(withdr[ae]w\w*|retreat\w*|pull\w* (out|back)|demobili[sz]\w*)\b", re.I)


@lru_cache(maxsize=1)
def trigger_lexicon() -> dict[str, tuple[str, str | None]]:
    """lemma/word -> (PLOVER type, mode or None), from events/data/triggers.tsv."""
    out: dict[str, tuple[str, str | None]] = {}
    for line in (DATA / "triggers.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        out[parts[0].strip()] = (parts[1].strip(), parts[2].strip() if len(parts) > 2 and parts[2].strip() else None)
    return out


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


def features(sentence: str, source: str | None, target: str | None) -> str:
    """One text string holding all the feature tokens (the vectoriser splits on whitespace)."""
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
    return " ".join(toks)


def build_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    vec = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=False)
    return make_pipeline(vec, LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced"))


@lru_cache(maxsize=1)
def load_model():
    if not MODEL_PATH.exists():
        return None
    import joblib

    return joblib.load(MODEL_PATH)


def split_yield(label: str, sentence: str) -> str:
    if label != "YIELD":
        return label
    return "RETREAT" if _RETREAT.search(sentence) else "CONCEDE"


def classify_event(sentence: str, source_text: str | None, target_text: str | None) -> tuple[str, float]:
    """The PLOVER type of the event between the two spans, and the model's probability for it."""
    model = load_model()
    feats = features(sentence, source_text, target_text)
    if model is None:  # no trained artifact: fall back on the lexicon
        for tok in feats.split():
            if tok.startswith("LEX_"):
                return tok[4:], 0.3
        return "CONSULT", 0.0
    probs = model.predict_proba([feats])[0]
    k = int(probs.argmax())
    return split_yield(str(model.classes_[k]), sentence), float(probs[k])
