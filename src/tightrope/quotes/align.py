"""Recognise the same quote in two articles despite different wording."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

from ..records import Quote
from .rules import default_quote_rules

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def similarity(a: str, b: str, stopwords: Set[str] | None = None) -> float:
    """Overlap of content words relative to the shorter quote, blended with bigram overlap.

    One quote is often a trimmed or lightly edited version of the other, so the shorter side decides.
    Content words are those not in `stopwords` (default: quotes/data/stopwords.txt).
    """
    stop = default_quote_rules().stopwords if stopwords is None else stopwords
    wa, wb = _words(a), _words(b)
    ca = {w for w in wa if w not in stop} or set(wa)
    cb = {w for w in wb if w not in stop} or set(wb)
    if not ca or not cb:
        return 0.0
    unigram = len(ca & cb) / min(len(ca), len(cb))
    ba, bb = set(zip(wa, wa[1:])), set(zip(wb, wb[1:]))
    bigram = len(ba & bb) / min(len(ba), len(bb)) if ba and bb else unigram
    return 0.7 * unigram + 0.3 * bigram


def align_quotes(a: Sequence[Quote], b: Sequence[Quote], min_similarity: float = 0.5) -> list[tuple[Quote, Quote, float]]:
    """Pairs (quote in a, quote in b, similarity) for the same quote, best pairs first, each quote used once."""
    scored = []
    for i, qa in enumerate(a):
        for j, qb in enumerate(b):
            s = similarity(qa.text, qb.text)
            if s >= min_similarity:
                scored.append((s, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for s, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((a[i], b[j], round(s, 4)))
    return out
