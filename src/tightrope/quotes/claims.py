"""Claims and the denials that dispute them.

Every attributed quote is a claim of its speaker, except what a denial reports ("India denied any
mediation": the mediation is India's denial's object, not India's claim) and what a negated cue reports
("did not say whether ..."); the claim is the proposition,
without its complementizer. A denial cue ("refuted", "denies", "an assertion India disputes") is linked to
the claim it answers: one it refers back to (a relative clause, "a statement the government refuted", or
a denial with no content of its own) is the nearest earlier claim of another speaker in its sentence or
the one before; otherwise the claim worded most like the denied content; failing both, the denied content
becomes a claim of no one's, marked disputed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from ..nlp import is_parsed
from ..records import Actor, Claim, Quote
from .align import similarity
from .context import QuoteContext
from .phrases import Span, adjacent_source
from .statements import PART_JOINER

# a denial's content is taken to answer the claim worded most like it, from this similarity up
MIN_DENIAL_SIMILARITY = 0.3
# tokens looked at before a denial noun for the claim noun and its holder ("an assertion India disputes")
HOLDER_WINDOW = 5
# tokens either side of an unparsed denial cue looked at for its speaker
UNPARSED_WINDOW = 8


@dataclass
class Denial:
    """A denial cue, who denies (source phrase) and what is denied (content), when known."""

    cue: Token
    source: Span | None
    content: Span | None


def denial_without_verb(ctx: QuoteContext, tok: Token) -> Denial | None:
    """A denial cue that is not a parsed verb: tagged as a noun after a claim noun and its holder ("an
    assertion India disputes"), or in a segment that was not parsed (its speaker is the name next to it)."""
    doc = tok.doc
    if is_parsed(tok):
        back = list(doc[max(0, tok.i - HOLDER_WINDOW):tok.i])
        for n, t in enumerate(back):
            if t.lower_ in ctx.rules.claim_nouns:
                holder = back[n + 1:]
                if holder and all(r.text[:1].isupper() or r.lower_ in ctx.rules.speaker_pronouns
                                  or r.lower_ in ctx.rules.holder_determiners for r in holder):
                    return Denial(tok, (holder[0].idx, holder[-1].idx + len(holder[-1])), None)
                return None
        return None
    src = adjacent_source(doc, tok, max(0, tok.i - UNPARSED_WINDOW), min(len(doc), tok.i + UNPARSED_WINDOW), ctx.rules)
    return Denial(tok, src, None)


def claims_of(ctx: QuoteContext, quotes: Iterable[Quote], reported: Sequence[Quote]) -> list[Claim]:
    """A claim for every attributed quote but those in `reported` (what denials report)."""
    claims = []
    for q in quotes:
        if q.speaker is None or any(q is r for r in reported) or _negated_cue(ctx, q):
            continue
        parts = list(q.parts) or [(q.start, q.end)]
        cs, ce = parts[0]
        m = ctx.rules.complementizer_pattern.match(ctx.text, cs, ce)
        if m and ce > m.end():
            parts[0] = (m.end(), ce)  # the claim is the proposition: "that Lagos agreed" -> "Lagos agreed"
        claims.append(Claim(claimer=q.speaker, text=PART_JOINER.join(ctx.text[s:e] for s, e in parts), cue=q.cue,
                            start=parts[0][0], end=parts[-1][1]))
    claims.sort(key=lambda c: (c.start, -(c.end - c.start)))
    return claims


def _negated_cue(ctx: QuoteContext, q: Quote) -> bool:
    """A quote whose cue is negated ("did not say whether", "has never claimed that") reports what its speaker
    did not assert: no claim of theirs."""
    if q.cue_start is None:
        return False
    words = ctx.text[q.cue_start:q.cue_end].lower().replace("’", "'").split()
    return any(w in ctx.rules.negations or w.endswith("n't") for w in words)


def link_denials(ctx: QuoteContext, claims: list[Claim], denials: Iterable[Denial]) -> list[Claim]:
    """The claims with their disputers added, plus a disputed claim of no one's for each denied content
    that answers no claim; in text order."""
    text = ctx.text
    for denial in denials:
        tok, content = denial.cue, denial.content
        disputer = ctx.speaker(denial.source)
        if disputer is None:
            continue
        others = [c for c in claims if not _same(c.claimer, disputer)]
        target = None
        if content is None or tok.dep_ in ("relcl", "acl") or (
                tok.head is not tok and tok.head.lower_ in ctx.rules.claim_nouns):
            target = _claim_referred_back(ctx, others, tok)
        if target is None and content is not None:
            target = _claim_answered(ctx, others, tok, text[content[0]:content[1]])
        if target is None and content is not None:
            target = Claim(claimer=None, text=text[content[0]:content[1]], cue=tok.text,
                           start=content[0], end=content[1], modality="disputed")
            claims.append(target)
        if target is not None and not any(_same(d, disputer) for d in target.disputed_by):
            target.disputed_by.append(disputer)
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


def _claim_referred_back(ctx: QuoteContext, others: list[Claim], tok: Token) -> Claim | None:
    """Of the others' claims that end before the denial in its sentence or the one before: the first one
    of the later of the two sentences."""
    k = ctx.sentence_of(tok.idx)
    cands = [c for c in others if c.end <= tok.idx and ctx.sentence_of(c.start) in (k, k - 1)]
    if not cands:
        return None
    last = max(ctx.sentence_of(c.start) for c in cands)
    return min((c for c in cands if ctx.sentence_of(c.start) == last), key=lambda c: (c.start, -c.end))


def _claim_answered(ctx: QuoteContext, others: list[Claim], tok: Token, denied: str) -> Claim | None:
    """The claim worded most like the denied content; else the last claim before the denial in its sentence."""
    scored = [(similarity(denied, c.text, ctx.rules.stopwords), c) for c in others]
    scored = [sc for sc in scored if sc[0] >= MIN_DENIAL_SIMILARITY]
    if scored:
        return max(scored, key=lambda sc: sc[0])[1]
    k = ctx.sentence_of(tok.idx)
    same = [c for c in others if ctx.sentence_of(c.start) == k and c.end <= tok.idx]
    return same[-1] if same else None


def _same(a: Actor | None, b: Actor | None) -> bool:
    """Whether two speakers are one: the same entity when both have one, else the same span or name and kind.

    Not `actors.same_actor`, which also takes the same name with the same code for one actor (a president
    and his administration): with it some denials are linked to other claims than before (the
    voa+sample store: 15 of 732 claim rows differ), so the quotes stage keeps this rule until that change
    is made on purpose."""
    if a is None or b is None:
        return False
    if a.entity and b.entity:
        return a.entity == b.entity
    return (a.start, a.end) == (b.start, b.end) or (a.name is not None and a.name == b.name and a.kind == b.kind)
