"""What every events pass needs: one article's context, actors found at tokens, and noun phrases made into
unresolved actors ("the same actor" is the actors stage's `tightrope.actors.same_actor`).

An event's argument is an `Actor`. Resolved actors come from the actors stage, found at their head token
(`ArticleContext.heads`); where the doer or the one acted upon is a phrase no actor covers ("a local militia",
"18 people"), the rules make it an actor of kind "unresolved", placed in a country only when an actor inside the
phrase names one. Such a phrase must name people or a group (`names_party`: a name, or a noun of the actors
stage's agent table or of data/party_nouns.txt), or for a physical act a place or vehicle (data/target_things.txt):
never a number or an abstract noun ("15 types of ammunition", "the notion").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..actors import same_actor
from ..nlp import span_of
from ..records import Actor, Article
from .rules import EventRules

# dependencies that extend a noun phrase's head to the right ("Prime Minister X", "X, the leader of Y")
_RIGHT_OF_HEAD = ("compound", "appos", "flat")
_NAME_ENTITIES = ("PERSON", "ORG", "NORP", "GPE")  # entity types of a name that stands for a party
_STATE_KINDS = ("country", "capital")  # actors that are a state itself
_STATE_SECTORS = ("GOV", "MIL", "COP", "JUD", "LEG", "SPY")  # organs of a state: they do not act on it


@dataclass
class ArticleContext:
    """One article as the event rules see it: its parse, its actors by head token, and the settings."""

    doc: Doc
    article: Article
    rules: EventRules
    typer: str
    heads: dict[int, Actor] = field(default_factory=dict)  # token index -> the actor whose head it is

    @classmethod
    def build(cls, doc: Doc, actors: list[Actor], article: Article, rules: EventRules, typer: str) -> ArticleContext:
        """The context with each actor at its head token (the first actor wins a shared head)."""
        ctx = cls(doc, article, rules, typer)
        for act in actors:
            tok = head_token(doc, act)
            if tok is not None and tok.i not in ctx.heads:
                ctx.heads[tok.i] = act
        return ctx


def head_token(doc: Doc, actor: Actor) -> Token | None:
    """The syntactic head of an actor's span, or None when the span holds no token."""
    span = span_of(doc, actor.start, actor.end)
    return span.root if span is not None else None


def actor_in(tok: Token, heads: dict[int, Actor]) -> Actor | None:
    """The actor a phrase stands for: its head, else the first actor inside it ("a top diplomat in the UAE")."""
    if tok.i in heads:
        return heads[tok.i]
    for i in range(tok.left_edge.i, tok.right_edge.i + 1):
        if i in heads:
            return heads[i]
    return None


def country_inside(left: Token, right: Token, heads: dict[int, Actor]) -> str | None:
    """The country of the first actor between two tokens that has one ("a museum in Spain": ESP)."""
    return next((heads[i].country for i in range(left.i, right.i + 1) if i in heads and heads[i].country), None)


def unresolved(span: Span, country: str | None = None) -> Actor:
    """A phrase that stands in for an actor the actors stage did not resolve."""
    return Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved", country=country,
                 code=country)


def short_phrase(head: Token, longest: int = 7) -> Span | None:
    """A noun's phrase from its left edge to the end of its name-like right modifiers ("the army chief
    General X"), or None when it is more than `longest` tokens beyond its first one."""
    left = head.left_edge
    right = max((c for c in head.children if c.i > head.i and c.dep_ in _RIGHT_OF_HEAD),
                key=lambda c: c.right_edge.i, default=head)
    end = right.right_edge if right is not head else head
    if end.i - left.i > longest:
        return None
    return head.doc[left.i: end.i + 1]


@lru_cache(maxsize=4096)
def agent_sector(word: str) -> str | None:
    """The sector the actors stage's agent table gives a generic actor noun ("protesters": OPP), or None."""
    from ..actors.kb import load_knowledge_base

    found = load_knowledge_base().agent(word)
    return found.sector if found is not None else None


def names_party(head: Token, rules: EventRules, physical: bool = False, doer: bool = False) -> bool:
    """Whether a noun phrase's head can stand for a party no actor covers: a name, a noun for people or a group
    (the actors' agent table, data/party_nouns.txt) or, for a `physical` act, a place or vehicle acted upon
    (data/target_things.txt) or, as its `doer`, the means that stands for an unknown doer (data/means_nouns.txt:
    "a roadside bomb"). A number or quantity word stands for its 'of' object ("dozens of activists")."""
    if head.pos_ == "PROPN" or head.ent_type_ in _NAME_ENTITIES:
        return True
    if head.like_num or head.lower_ in rules.quantity_nouns:  # "dozens of activists": the activists
        inner = next((g for c in head.children if c.dep_ == "prep" and c.lower_ in rules.genitive_preps
                      for g in c.children if g.dep_ == "pobj"), None)
        return inner is not None and names_party(inner, rules, physical, doer)
    if head.pos_ != "NOUN":
        return False
    lemma = head.lemma_.lower()
    if lemma in rules.party_nouns or (physical and lemma in (rules.means_nouns if doer else rules.target_things)):
        return True
    return agent_sector(head.lower_) is not None or agent_sector(lemma) is not None


def acts_on_itself(source: Actor | None, target: Actor | None) -> bool:
    """Whether a pair has one actor on both sides, or a state organ acting on its own state ("Trump put tariffs
    on the U.S."; an opposition party or a firm may act on its state)."""
    if source is None or target is None:
        return False
    return same_actor(source, target) or (target.kind in _STATE_KINDS and source.country == target.country
                                          and (source.kind in _STATE_KINDS or source.sector in _STATE_SECTORS))
