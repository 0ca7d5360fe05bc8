"""The clause fallback: a sentence whose predicates took no actor directly still reports an event when its main
clause's subject and object phrases each hold one ("a top diplomat in the UAE held talks with officials of X").

The main verb is the sentence's root, or the clause a reporting root reports ("X said (that) ..."); its subject
phrase gives the source (an actor, or the first actor inside a phrase that names a party: "a top diplomat in
the UAE", not "a roadside bomb in Niger"), its object (or the object's own preposition: "held talks with X") or a prepositional
object the target. It codes only what a trigger we know names, or what the model types with at least
`CLAUSE_CONFIDENCE` (lower than for a predicate's own arguments: both ends here are resolved actors). The
coder adds it only where no event of the sentence already has its trigger, source or target.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..records import Actor, Event
from .making import make_event
from .phrases import ArticleContext, actor_in, acts_on_itself, names_party
from .rules import EventRules
from .senses import fires
from .targets import object_phrase

CLAUSE_CONFIDENCE = 0.35  # the least model probability for an event the fallback types without a trigger word


def main_verb(sent: Span, rules: EventRules) -> Token | None:
    """The verb of the sentence's main clause, through up to two reporting verbs ("X said Y ..."); None when it
    is not a verb, or a reporting verb that reports no clause."""
    verb = sent.root
    for _ in range(2):
        if verb.pos_ != "VERB":
            return None
        if verb.lemma_ in rules.non_event_verbs:
            nxt = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
            if nxt is None:
                return None
            verb = nxt
            continue
        break
    if verb.lemma_ in rules.non_event_verbs and verb.lemma_ not in rules.light_verbs:
        return None
    return verb


def _prep_object(tok: Token, heads: dict[int, Actor]) -> Actor | None:
    """The actor in the object of preposition `tok`, or None."""
    pobj = next((x for x in tok.children if x.dep_ == "pobj"), None)
    return actor_in(pobj, heads) if pobj is not None else None


def clause_event(ctx: ArticleContext, sent: Span) -> Event | None:
    """The one event of the sentence's main clause, or None (see the module docstring)."""
    rules, heads = ctx.rules, ctx.heads
    verb = main_verb(sent, rules)
    if verb is None:
        return None
    if verb.lemma_ in rules.asking_verbs and any(
            c.dep_ == "prep" and c.lower_ in rules.for_marks | rules.asked_preps for c in verb.children):
        return None  # "called for X", "called on X": a request the predicate's own pass decided on
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    src = actor_in(subj, heads) if subj is not None and (subj.i in heads or names_party(subj, rules)) else None
    if src is None:
        return None
    trigger_tok, lex = verb, rules.entry(verb)
    tgt = None
    for c in verb.children:
        if tgt is not None:
            break
        if c.dep_ in ("dobj", "dative"):
            tgt = actor_in(c, heads)
            if rules.entry(c) is not None and (lex is None or verb.lemma_ in rules.non_event_verbs):
                trigger_tok, lex = c, rules.entry(c)  # "held talks": the object names the event
            if tgt is None:  # "held talks with X": the object noun's own preposition
                prep = next((g for g in c.children if g.dep_ == "prep" and g.lower_ not in rules.adjunct_preps
                             and any(x.dep_ == "pobj" for x in g.children)), None)
                tgt = _prep_object(prep, heads) if prep is not None else None
        elif c.dep_ == "prep" and c.lower_ not in rules.adjunct_preps and c.lower_ not in rules.genitive_preps:
            tgt = _prep_object(c, heads)
    if lex is not None and not fires(verb, trigger_tok, heads, rules):
        return None
    if tgt is None and lex is not None:
        tgt = object_phrase(verb, rules, lex[0] in rules.physical, heads)  # "rebels freed prisoners": unresolved
    if tgt is None or acts_on_itself(src, tgt) or (lex is None and verb.lemma_ in rules.non_event_verbs):
        return None
    ev = make_event(ctx, sent, verb, trigger_tok, lex, src, tgt, False)
    if ev.rule == "model" and (ev.confidence or 0) < CLAUSE_CONFIDENCE:
        return None
    ev.rule = f"{ev.rule} (clause)"
    return ev
