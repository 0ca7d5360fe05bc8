"""Pronouns: the person a "he", "she", "him", "her" or "who" stands for. Needs the parse; articles without a Doc
get none.

* **he / she** as the subject of a verb ("he said", "she met the envoy") is the person last named as a subject
  within reach (else the person last named), skipping a person the article already called by the other
  gender's pronoun.
* **him / her** as the object of a verb or a preposition is the person last named who is not the subject of
  the pronoun's own clause ("Putin met Xi and praised him" → Xi), with the same gender check.
* **who** as the subject of a relative clause is the person the clause hangs on ("Lamou, who said ...").

Each becomes a mention of kind "pronoun" with the person's entity, name, country and sector (resolved_by
"coreference"). Measured by `tightrope bench actors` (pronoun speakers of the gold quotes).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import ORTH

from ..records import Actor
from .context import ArticleContext

_SUBJECT = ("nsubj", "nsubjpass")
_OBJECT = ("dobj", "pobj", "dative", "iobj")
_CANDIDATES = 8  # people looked back through for one that was a subject
_REACH = 1500  # characters a pronoun may reach back to its person
_CONFIDENCE = 0.8  # an antecedent's confidence is multiplied by this for its pronoun


def pronoun_mentions(ctx: ArticleContext) -> None:
    """Add a mention for every pronoun that can be tied to a person before it (module docstring); keeps text
    order."""
    if ctx.doc is None:
        return
    persons = [m for m in ctx.mentions if m.kind in ("person", "title") and m.entity]
    if not persons:
        return
    starts = [m.start for m in persons]
    genders: dict[str, str] = {}
    words = ctx.words
    found = []
    roles = words.pronoun_roles
    doc = ctx.doc
    # the pronoun tokens, found by their hashes in one array (not a Python loop over every token)
    pronoun_tokens = [doc[i] for i in ctx.tokens_among(ORTH, roles)]
    relatives = []
    for tok in pronoun_tokens:
        role = roles[tok.text]
        if role == "relative":
            relatives.append(tok)
            continue
        if role == "subject" and tok.dep_ not in _SUBJECT or role == "object" and tok.dep_ not in _OBJECT:
            continue
        gender = words.pronoun_genders.get(tok.lower_)
        chosen = _antecedent(ctx, tok, persons, starts, genders, gender, role)
        if chosen is None:
            continue
        if gender and chosen.entity:
            genders.setdefault(chosen.entity, gender)
        found.append(_pronoun(tok, chosen))
    for tok in relatives:
        if tok.dep_ not in _SUBJECT or tok.head.dep_ != "relcl":
            continue
        noun = tok.head.head
        i = bisect_right(starts, noun.idx) - 1
        if i >= 0 and persons[i].start <= noun.idx < persons[i].end:
            found.append(_pronoun(tok, persons[i]))
    if found:
        ctx.extend(found)
        ctx.sort_mentions()


def _antecedent(ctx: ArticleContext, tok, persons: list[Actor], starts: list[int], genders: dict[str, str],
                gender: str | None, role: str) -> Actor | None:
    idx = bisect_right(starts, tok.idx - 1) - 1
    clause_subjects = {c.i for c in tok.head.children if c.dep_ in _SUBJECT} if role == "object" else set()
    nearest = None
    for back in range(idx, max(-1, idx - _CANDIDATES), -1):
        cand = persons[back]
        if tok.idx - cand.start > _REACH:
            break
        if cand.end > tok.idx or gender and genders.get(cand.entity, gender) != gender:
            continue
        ctok = ctx.token(cand.end - 1)
        if role == "object":
            if ctok is not None and ctok.i in clause_subjects:
                continue  # "Putin praised him": not Putin
            return cand
        if nearest is None:
            nearest = cand
        if ctok is not None and ctok.dep_ in _SUBJECT:
            return cand
    return nearest


def _pronoun(tok, chosen: Actor) -> Actor:
    return Actor(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), name=chosen.name,
                 country=chosen.country, sector=chosen.sector, code=chosen.code, kind="pronoun",
                 entity=chosen.entity, resolved_by="coreference" if chosen.country or chosen.sector else None,
                 confidence=round((chosen.confidence or _CONFIDENCE) * _CONFIDENCE, 3)
                 if chosen.country or chosen.sector else None)
