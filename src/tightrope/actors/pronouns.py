"""Pronouns: "he"/"she" as the subject of a reporting verb ("he said") is the person last named as a
subject — the first step of coreference. Needs the parse; articles without a Doc get none."""

from __future__ import annotations

from bisect import bisect_right

from ..records import Actor
from .context import ArticleContext

_SUBJECT = ("nsubj", "nsubjpass")
_CANDIDATES = 8  # people looked back through for one that was a subject
_REACH = 1500  # characters a pronoun may reach back to its person


def pronoun_mentions(ctx: ArticleContext) -> None:
    """Add a mention for every he/she that reports and can be tied to a person before it; keeps text order."""
    if ctx.doc is None:
        return
    persons = [m for m in ctx.mentions if m.kind in ("person", "title") and m.entity]
    starts = [m.start for m in persons]
    found = []
    for pm in ctx.words.pronoun.finditer(ctx.text):
        tok = ctx.token(pm.start())
        if tok is None or tok.idx != pm.start() or tok.dep_ not in _SUBJECT:
            continue
        if tok.head.lemma_.lower() not in ctx.words.reporting_verbs:
            continue
        idx = bisect_right(starts, tok.idx) - 1
        chosen = None
        for back in range(idx, max(-1, idx - _CANDIDATES), -1):
            cand = persons[back]
            if tok.idx - cand.start > _REACH:
                break
            ctok = ctx.token(cand.end - 1)
            if ctok is not None and ctok.dep_ in _SUBJECT:
                chosen = cand
                break
        if chosen is None and idx >= 0 and tok.idx - persons[idx].start <= _REACH:
            chosen = persons[idx]
        if chosen is None:
            continue
        found.append(Actor(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), name=chosen.name,
                           country=chosen.country, sector=chosen.sector, code=chosen.code, kind="pronoun",
                           entity=chosen.entity))
    if found:
        ctx.mentions.extend(found)
        ctx.sort_mentions()
