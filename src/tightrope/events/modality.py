"""Modality: whether the text asserts an event, negates it, plans it, supposes it, or reports someone's claim of it.

Read from the predicate and the clauses above it (up to six steps up the parse): a negation on the predicate
itself ("did not meet", "no talks") negates it, and so does a denial right above a reported clause ("X denied
that it attacked Y"); a claim verb or noun above it ("X claimed that ...", "X's allegation that ...") makes it
claimed, with the claimer when one is named; modal auxiliaries close by make it hypothetical ("could", "might")
or planned ("will", "would"), as do conditional clauses ("if ..."), planning words ("plans to", "is expected
to") and planning modifiers of an event noun ("the upcoming meeting", "ahead of the summit"). When several
apply, negated wins over claimed, claimed over hypothetical, hypothetical over planned.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..records import Actor
from .rules import EventRules

# dependencies through which the predicate's clause is governed by the one above it
_UP_DEPS = ("ccomp", "xcomp", "conj", "acl", "advcl", "relcl", "pcomp", "pobj", "prep", "dobj", "attr")
_NOMINAL_UP_DEPS = ("pobj", "prep", "dobj", "attr")  # climbed only from above the predicate itself


def planned_noun(noun: Token, rules: EventRules) -> bool:
    """An event noun planned by its phrase: "the upcoming meeting", "talks are expected to ...", "before the
    summit", "ahead of his meeting with X"."""
    if noun.pos_ == "VERB":
        return False
    head = noun.head
    return (any(c.dep_ == "amod" and c.lower_ in rules.plan_modifiers for c in noun.children)
            or (noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_ in rules.plan_heads)
            or (noun.dep_ == "pobj" and (head.lower_ in rules.before_preps or (
                head.lower_ in rules.genitive_preps and head.head.lower_ in rules.ahead_words))))


def modality(pred: Token, heads: dict[int, Actor], rules: EventRules,
             trigger: Token | None = None) -> tuple[str, Actor | None]:
    """(modality, claimer) of the event at `pred`; `trigger` is the event noun when one was folded into it."""
    negated = hypothetical = False
    claimed_by: Actor | None = None
    claimed = False
    planned = planned_noun(trigger if trigger is not None and trigger.pos_ != "VERB" else pred, rules)
    t = pred
    for depth in range(6):
        for c in t.children:
            if depth == 0 and (c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in rules.negative_dets) or (
                    c.dep_ == "advmod" and any(g.dep_ == "neg" or g.lower_ in rules.negative_dets
                                               for g in c.children))):  # "no longer recognize"
                negated = True
            if c.dep_ == "aux" and depth <= 1:
                if c.lower_ in rules.hypothetical_aux:
                    hypothetical = True
                elif c.lower_ in rules.future_aux:
                    planned = True
            if c.dep_ == "mark" and c.lower_ in rules.hypothetical_marks:
                hypothetical = True
        if depth > 0:
            if t.lemma_ in rules.claim_verbs or (t.pos_ == "NOUN" and t.lemma_ in rules.claim_nouns):
                claimed = True
                claimed_by = claimer(t, heads)
            elif t.lemma_ in rules.plan_heads and depth <= 2:
                planned = True
            elif t.lemma_ in rules.deny_verbs and t.pos_ == "VERB" and depth == 1 and pred.dep_ == "ccomp":
                negated = True
        if t.dep_ in _UP_DEPS and t.head.i != t.i and (t.dep_ not in _NOMINAL_UP_DEPS or depth > 0):
            if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in rules.conditional_marks
                                         for c in t.children):
                hypothetical = True
            t = t.head
            continue
        break
    if negated:
        return "negated", None
    if claimed:
        return "claimed", claimed_by
    if hypothetical:
        return "hypothetical", None
    if planned:
        return "planned", None
    return "asserted", None


def claimer(cue: Token, heads: dict[int, Actor]) -> Actor | None:
    """Who makes the claim a cue word reports: its subject, owner or passive agent: an actor when one is
    there, else the phrase itself (an actor of kind "claimer")."""
    for c in cue.children:
        if c.dep_ in ("nsubj", "poss", "agent"):
            tok = c
            if c.dep_ == "agent":
                tok = next((g for g in c.children if g.dep_ == "pobj"), c)
            if tok.i in heads:
                return heads[tok.i]
            for a_i, act in heads.items():
                if tok.left_edge.i <= a_i <= tok.right_edge.i:
                    return act
            sub = tok.doc[tok.left_edge.i: tok.right_edge.i + 1]
            return Actor(text=sub.text, start=sub.start_char, end=sub.end_char, kind="claimer")
    return None
