"""Argument attachment: which predicate each actor of a sentence is an argument of, and in which role.

From an actor's head token the parse is climbed to the first predicate (a verb, or an event noun of the trigger
lexicon) it depends on, through its own noun phrase, coordination and one preposition ("the sanctions on X",
"talks with the leader of X"). The dependency and preposition it arrives by give its role: subjects, passive
agents and an event noun's owner are sources; objects, passive subjects, datives and most prepositional objects
are targets; a place after 'in'/'at' is no argument (an event in X does not act on X), except that a verb's
'in X' is kept as the place acted in, for the event types whose target may be a place (see `pairs`).

`collect` does this for a whole sentence, then lets verbs inherit subjects (see `sources.subject_actors`; a verb
whose subject is an event noun takes the noun's doer: "a U.S.-led airstrike killed X", "Russian shelling hit Y") and
folds an event noun into the light verb that governs it ("imposed sanctions on X": one predicate, trigger
"sanctions"), so that each predicate ends with the sources and targets the later passes pair up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..nlp import is_parsed
from ..records import Actor
from .phrases import ArticleContext
from .rules import EventRules
from .sources import subject_actors

# (predicate, dependency it is reached by, preposition on the way or None)
Attachment = tuple[Token, str, str | None]
# (source, target, reciprocal)
Pair = tuple[Actor | None, Actor | None, bool]

# dependencies inside a noun phrase: climbing them stays in the actor's own phrase
_NP_DEPS = {"compound", "appos", "amod", "nmod", "det", "nummod", "flat", "npadvmod", "quantmod"}
# an actor reached only through these stands for the group named around it ("energy giants X and Y")
_GROUP_PATH = ("conj", "cc", "appos", "compound", "flat")
_COORD = ("conj", "cc")
# an event noun in one of these slots of a verb is folded into it ("imposed sanctions", "sanctions were imposed")
_FOLDED_SLOTS = {"dobj", "attr", "nsubjpass", "oprd"}
_TARGET_DEPS = ("dobj", "nsubjpass", "dative", "oprd", "attr", "obj", "iobj")
_OWNER_DEPS = ("poss", "compound", "amod", "nmod")


@dataclass(slots=True, eq=False)
class Args:
    """The actors a predicate takes: its sources and its targets."""

    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)


@dataclass
class SentenceArguments:
    """Everything the argument pass found in one sentence, read by the later passes."""

    sent: Span
    args: dict[int, Args] = field(default_factory=dict)  # predicate index -> its arguments
    found_by: dict[int, Attachment] = field(default_factory=dict)  # actor head index -> where it attached
    places: dict[int, list[Actor]] = field(default_factory=dict)  # verb index -> actors it happens in
    fold: dict[int, Token] = field(default_factory=dict)  # light verb index -> the event noun folded into it
    made: dict[int, list[Pair]] = field(default_factory=dict)  # predicate index -> the pairs coded for it
    predicates: list[int] = field(default_factory=list)  # predicate indices in text order


def attach(tok: Token, heads: dict[int, Actor], absorbed: set[int], rules: EventRules) -> Attachment | None:
    """Climb from an actor's head token to the predicate it is an argument of. An actor met on the way whose only
    link to `tok` is coordination or naming is added to `absorbed` (the names stand for the group: "Russian
    energy giants Rosneft and Lukoil"); one met otherwise makes `tok` part of its phrase, not an argument."""
    t = tok
    prep: str | None = None
    only_coord = True
    path: list[str] = []
    for _ in range(8):
        h = t.head
        if h.i == t.i or not is_parsed(t):
            return None
        dep = t.dep_
        if t.i != tok.i and t.i in heads and not only_coord:
            if prep is None and all(d in _GROUP_PATH for d in path):
                if t.pos_ != "PROPN":
                    absorbed.add(t.i)  # "energy giants X and Y": the names stand for the group
                # else a list of names parsed as appositions ("A, B and C urged ..."): each is an argument
            else:
                return None  # nested inside another actor's phrase ("the leader of Pakistan")
        path.append(dep)
        if dep not in _COORD:
            only_coord = False
        if dep in ("prep", "agent"):
            if rules.is_predicate(h):
                return h, dep, prep
            if h.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and h.i not in heads and (
                    prep in rules.adjunct_preps or h.lemma_.lower() in rules.place_nouns):
                return None  # "the tensions in X": a place, not an argument
            t = h
            continue
        if dep == "pobj":
            if prep is not None and prep not in rules.genitive_preps:
                return None  # two prepositional hops ("in retaliation for Delhi's imports"): too far
            if h.head.lower_ in rules.according_words:
                return None  # "according to X": X reports the event, it takes no part in it
            prep = rules.agent_prep if h.dep_ == "agent" else h.lower_
            t = h
            continue
        if dep == "compound" and h.pos_ != "VERB" and t.i == tok.i and rules.is_predicate(h) and any(
                c.i != t.i and c.i in heads and c.dep_ in ("compound", "nmod") and c.i < h.i for c in h.children):
            return h, dep, prep  # "the Jaishankar-Rubio meeting": two named parties of one event noun
        if rules.is_predicate(h) and (dep not in ("conj", "appos", "compound") or h.pos_ == "VERB"):
            if dep == "conj" and h.pos_ == "VERB":
                return None
            return h, dep, prep
        if dep in _NP_DEPS or dep in _COORD:
            t = h
            continue
        if dep == "poss" and rules.is_predicate(h):
            return h, "poss", None
        if dep == "poss":  # "arrested Morocco's ambassador": the owner stands in for the phrase
            t = h
            continue
        return None
    return None


def role(pred: Token, dep: str, prep: str | None, rules: EventRules) -> str | None:
    """'source', 'target', 'place' (a verb's 'in X') or None (no argument) for an actor attached to `pred`."""
    verb = pred.pos_ == "VERB"
    if dep in ("nsubj", "csubj", "agent"):
        return "source"
    if dep == "prep" and prep in rules.agent_preps and pred.tag_ == "VBN":
        return "source"
    if not verb and dep in _OWNER_DEPS:
        return "source"
    if dep == "prep":
        if prep in rules.inquiry_preps and (pred.lemma_.lower() in rules.inquiry_words or any(
                c.dep_ == "dobj" and c.lemma_.lower() in rules.inquiry_words for c in pred.children)):
            return "target"  # "an investigation into X", "probing into X": X is the one investigated
        if prep in rules.verb_place_preps and verb:
            return "place"
        if prep in rules.aim_preps and (rules.entry(pred) or ("",))[0] in rules.physical:
            return "target"  # "fired at X": the one aimed at
        if prep is None or prep in rules.adjunct_preps:
            return None
        if prep in rules.agent_preps and not verb:
            return "source"
        if prep in rules.genitive_preps and verb:
            return None
        return "target"
    if dep in _TARGET_DEPS:
        return "target"
    return None


def collect(sent: Span, ctx: ArticleContext) -> SentenceArguments:
    """The arguments of every predicate of a sentence: attached actors by role, subjects inherited by verbs,
    event nouns folded into their light verbs."""
    rules, heads, doc = ctx.rules, ctx.heads, ctx.doc
    sa = SentenceArguments(sent)
    absorbed: set[int] = set()
    for t in sent:
        if t.i in heads:
            found = attach(t, heads, absorbed, rules)
            if found:
                sa.found_by[t.i] = found
    for t in sent:
        found = sa.found_by.get(t.i)
        if found is None or t.i in absorbed:
            continue
        pred, dep, prep = found
        kind = role(pred, dep, prep, rules)
        if kind is None:
            continue
        a = sa.args.setdefault(pred.i, Args())
        if kind == "place":
            sa.places.setdefault(pred.i, []).append(heads[t.i])
        else:
            (a.sources if kind == "source" else a.targets).append(heads[t.i])
    sa.predicates = [t.i for t in sent if rules.is_predicate(t)]
    for i in sa.predicates:
        tok = doc[i]
        a = sa.args.setdefault(i, Args())
        if tok.pos_ == "VERB" and not a.sources:
            a.sources = subject_actors(tok, sa.args, heads, rules)
    for i in sa.predicates:
        tok = doc[i]
        if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i in sa.args and rules.entry(tok.head) is not None \
                and sa.args[i].targets and not sa.args[tok.head.i].targets:
            # "sanctions imposed on X": the participle names the noun's target
            sa.args[tok.head.i].targets = list(sa.args[i].targets)
            sa.args[i] = Args()
    for i in sa.predicates:
        tok = doc[i]
        a = sa.args[i]
        if tok.pos_ == "VERB" and not a.sources:  # "a U.S.-led airstrike killed X": the doer of the strike
            subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "NOUN" and c.i in sa.args
                         and rules.entry(c) is not None), None)
            if subj is not None and sa.args[subj.i].sources:
                a.sources = list(sa.args[subj.i].sources)
                sa.args[subj.i] = Args()
    for i in sa.predicates:
        _fold(doc[i], sa, rules)
    return sa


def _modifies(actor: Actor, noun: Token) -> bool:
    """Whether an actor is a name modifier of `noun`, before it ("WTO consultations", "U.S.-Iran talks")."""
    return any(c.dep_ in ("compound", "nmod", "amod") and c.i < noun.i and actor.start <= c.idx < actor.end
               for c in noun.children)


def _fold(tok: Token, sa: SentenceArguments, rules: EventRules) -> None:
    """An event noun in a verb's object or passive-subject slot hands its arguments to the verb ("imposed
    sanctions on X"), unless the verb is a trigger of its own and the noun brought no target. A verb that judges
    the noun's event (type_classes.tsv `verb_on_doer`) takes the noun's doer as its target instead."""
    if tok.pos_ == "VERB" or tok.dep_ not in _FOLDED_SLOTS or tok.head.pos_ != "VERB":
        return
    verb_args = sa.args.setdefault(tok.head.i, Args())
    noun_args = sa.args[tok.i]
    verb_lex = rules.entry(tok.head)
    if verb_lex is not None and verb_lex[0] in rules.verb_on_doer and rules.entry(tok) is not None:
        # "condemned X's attacks on Y": the condemnation is of X, the doer of the noun's event
        verb_args.targets[:] = [x for x in verb_args.targets if not _modifies(x, tok)] + [
            x for x in noun_args.sources if x not in verb_args.sources]
        sa.args[tok.i] = Args()
        sa.fold[tok.head.i] = tok
        return
    if noun_args.targets or not verb_lex:
        if noun_args.targets:  # "requested WTO consultations with X": X, not the modifier of the noun
            verb_args.targets[:] = [x for x in verb_args.targets if not _modifies(x, tok)]
        verb_args.targets.extend(x for x in noun_args.targets if x not in verb_args.targets)
        if not verb_args.sources:
            verb_args.sources = list(noun_args.sources)
        sa.args[tok.i] = Args()
        sa.fold[tok.head.i] = tok
