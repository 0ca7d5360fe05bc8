"""Targets a predicate's direct arguments get wrong or leave out: the one acted upon, found where English puts it.

* `coordinated`: of several targets, the first and those coordinated with it ("on X and Y") stay; stray actors go.
* `recipient`: a transfer verb acts on its 'to' object ("sent aid to X"), an away verb on its 'from' object
  ("withdrew troops from X"), not on the thing moved.
* `called_on`, `controller`: "called on X to ...", "called for X to ...", "urged X to ...": X is the one asked.
* `obliged`: "X said Y must withdraw": Y is the one asked.
* `clause_subject`: "X demanded that Y cancel": Y.
* `referent`, `owner`: "Y denounced the move" acts on the author of the move (an earlier event's source);
  "rejected X's offer", "the offer by X" on X.
* `object_phrase`: a trigger verb's object that holds no actor ("detained 18 people") as an unresolved target;
  an accusation's accuser rather than the accusation.
* `own_force`, `against`: "mobilized its troops against X": the troops are the doer's own, X is the one faced.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..actors import same_actor
from ..records import Actor, Event
from .phrases import country_inside, head_token, names_party, short_phrase, unresolved
from .rules import EventRules

_NOMINAL = ("NOUN", "PROPN")


_MODIFIER_DEPS = ("amod", "compound", "nmod")


def coordinated(targets: list[Actor], doc: Doc) -> list[Actor]:
    """The first target and those coordinated with it ("on Rosneft and Lukoil"); other stray actors go. A
    modifier of a noun whose apposition is a target gives way to it ("to another Egyptian ally, France")."""
    if len(targets) < 2:
        return targets
    targets = sorted(targets, key=lambda x: x.start)
    heads = {id(x): head_token(doc, x) for x in targets}
    named = {h.head.i for h in heads.values() if h is not None and h.dep_ == "appos"}
    targets = [x for x in targets if heads[id(x)] is None or not (
        heads[id(x)].dep_ in _MODIFIER_DEPS and heads[id(x)].head.i in named)] or targets
    if len(targets) < 2:
        return targets
    first = head_token(doc, targets[0])
    keep = [targets[0]]
    for x in targets[1:]:
        t = head_token(doc, x)
        hops = 0
        while t is not None and first is not None and t.dep_ == "conj" and t.i != first.i and hops < 6:
            t, hops = t.head, hops + 1
        if t is not None and first is not None and t.i == first.i:
            keep.append(x)
    return keep


def recipient(verb: Token, targets: list[Actor], found_by: dict, heads: dict[int, Actor], rules: EventRules) -> list[Actor]:
    """'sent aid to X' / 'returned the paintings to X': X; 'withdrew troops from X': X. An actor if one is there,
    else the phrase itself ("to its owners"), placed in the country of an actor inside it ("a museum in Spain").
    `found_by` maps an actor's head index to where it attached (see `arguments.attach`)."""
    doc = verb.doc
    wanted = rules.away_preps if verb.lemma_ in rules.away_verbs else rules.recipient_preps
    picked = []
    for x in targets:
        head = head_token(doc, x)
        f = found_by.get(head.i) if head is not None else None
        if f is not None and f[0].i == verb.i and f[1] in ("prep", "dative") and f[2] in wanted:
            picked.append(x)
    if picked:
        return picked
    prep = next((c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ in wanted), None)
    pobj = next((g for g in prep.children if g.dep_ == "pobj" and g.pos_ in _NOMINAL), None) \
        if prep is not None else None
    if pobj is None:
        return []
    left, right = pobj.left_edge, pobj.right_edge
    if right.i - left.i > 9:
        right = pobj
    country = country_inside(left, right, heads)
    if not names_party(pobj, rules, physical=True) and country is None:
        return []  # "sent 15 types of ammunition to the front": no one received it
    return [unresolved(doc[left.i: right.i + 1], country)]


def controller(verb: Token, heads: dict[int, Actor], rules: EventRules) -> Actor | None:
    """The object that controls an infinitive: "urged X to ...", "called on X to ..."."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.i in heads:
            return heads[c.i]
        if c.dep_ == "prep" and c.lower_ in rules.asked_preps:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in heads:
                return heads[pobj.i]
    return None


def obliged(verb: Token, heads: dict[int, Actor], rules: EventRules) -> Actor | None:
    """The actor a reported clause puts under an obligation: "X said Y must withdraw", "X says Y should stop"."""
    for c in verb.children:
        if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
            continue
        if not any(g.dep_ == "aux" and g.lower_ in rules.oblige_aux for g in c.children):
            continue
        subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.i in heads:
            return heads[subj.i]
    return None


def called_on(verb: Token, heads: dict[int, Actor], rules: EventRules) -> Actor | None:
    """"called on X to ..." and "called for X to ...": X, the one asked."""
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp", "ccomp") and any(
                g.dep_ == "aux" and g.lower_ in rules.infinitive_markers for g in c.children):
            subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if subj is not None and subj.i in heads and any(
                    g.dep_ == "mark" and g.lower_ in rules.for_marks for g in c.children):
                return heads[subj.i]
            if c.dep_ == "xcomp":
                return controller(verb, heads, rules) if not any(g.dep_ == "dobj" for g in verb.children) else None
    for c in verb.children:  # "are calling on authorities at home to ...", parsed without the infinitive
        if c.dep_ == "prep" and c.lower_ in rules.asked_preps:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in heads:
                return heads[pobj.i]
    return None


def _subject_actor(clause: Token, heads: dict[int, Actor]) -> Actor | None:
    """The clause's subject actor, or the owner of its subject ("the government's actions")."""
    for g in clause.children:
        if g.dep_ in ("nsubj", "nsubjpass"):
            if g.i in heads:
                return heads[g.i]
            owner_ = next((o for o in g.children if o.dep_ == "poss" and o.i in heads), None)
            if owner_ is not None:
                return heads[owner_.i]
    return None


def clause_subject(pred: Token, heads: dict[int, Actor]) -> list[Actor]:
    """The subject of a demanded clause is the one asked: "X demanded that Y cancel", "demands that Y grant";
    of a warning, the one warned about ("warned that Y's actions would ...")."""
    for c in pred.children:
        if c.dep_ in ("ccomp", "acl") and c.pos_ in ("VERB", "AUX"):
            found = _subject_actor(c, heads)
            if found is not None:
                return [found]
    return []


def condition_subject(pred: Token, heads: dict[int, Actor], rules: EventRules) -> list[Actor]:
    """The subject of the condition a threatened act is put on: "X will impose tariffs if Y keeps ...": Y."""
    for t in (pred, pred.head):
        for c in t.children:
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in rules.conditional_marks for g in c.children):
                found = _subject_actor(c, heads)
                if found is not None:
                    return [found]
    return []


def through_object(verb: Token, heads: dict[int, Actor], sources: list[Actor], rules: EventRules) -> list[Actor]:
    """An actor with a country in the object's own prepositional phrases, up to two deep: "banned imports of
    chicks from X", "halted flights to X" (for the types of type_classes.tsv `object_reach`)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    frontier = [obj] if obj is not None and obj.i not in heads else []
    for _ in range(2):
        nxt = []
        for node in frontier:
            for c in node.children:
                if c.dep_ != "prep" or c.lower_ in rules.adjunct_preps:
                    continue
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    act = heads.get(g.i)
                    if act is not None and act.country and not any(same_actor(act, s) for s in sources):
                        return [act]
                    nxt.append(g)
        frontier = nxt
    return []


def referent(tok: Token, source: Actor, events: list[Event], sent: Span, rules: EventRules) -> Actor | None:
    """The author of what an anaphoric noun points back to: "Y denounced the move" (X's earlier act), "a move
    that Y dismissed", "a statement Y refuted" (X's claim): the source (or claimer) of the latest earlier event
    in this or the previous sentence that Y did not make."""
    doc = tok.doc
    noun = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None) if tok.pos_ == "VERB" else None
    if (noun is None or noun.lemma_.lower() not in rules.anaphoric_nouns) and tok.dep_ == "relcl":
        noun = tok.head
    if noun is None or noun.lemma_.lower() not in rules.anaphoric_nouns or noun.pos_ not in _NOMINAL:
        return None
    if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in rules.agent_preps) for c in noun.children):
        return None  # "rejected X's offer", "the move by X": the phrase names its author itself
    prev_start = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
    saying = noun.lemma_.lower() in rules.saying_nouns
    for e in reversed(events):  # in sentence order: the first before prev_start ends the search
        if e.start < prev_start:
            break
        if e.trigger_start is None or e.trigger_start >= noun.idx:
            continue
        author = e.source
        if saying and e.modality == "claimed":  # "a statement Y refuted": the claim's author, if we know them
            author = e.claimed_by if e.claimed_by is not None and e.claimed_by.kind != "claimer" else None
        if author is None or author.kind == "unresolved" or same_actor(author, source):
            continue
        return author
    return None


def owner(verb: Token, heads: dict[int, Actor], rules: EventRules) -> Actor | None:
    """The author of the object: "rejected X's request", "welcomed the offer by X", "an appeal lodged by X"."""
    if verb.pos_ != "VERB":
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in _NOMINAL), None)
    if obj is None or obj.i in heads:
        return None
    for c in obj.children:
        if c.dep_ == "poss" and c.i in heads:
            return heads[c.i]
        if c.dep_ == "prep" and c.lower_ in rules.agent_preps:
            by = c
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            by = next((g for g in c.children if g.dep_ == "agent"), None)
        else:
            by = None
        if by is not None:
            pobj = next((g for g in by.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in heads:
                return heads[pobj.i]
    return None


def object_phrase(verb: Token, rules: EventRules, physical: bool = False,
                  heads: dict[int, Actor] | None = None) -> Actor | None:
    """The direct object of a trigger verb (a passive verb's subject) as an unresolved Actor, when it is a short
    noun phrase that names a party; placed in the country of an actor inside its phrase when `heads` are given (or, for a `physical` act, a place or vehicle: see `phrases.names_party`)."""
    if verb.pos_ != "VERB":
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in _NOMINAL), None)
    if obj is None and any(c.dep_ == "auxpass" for c in verb.children):  # "the convoy was attacked by X"
        obj = next((c for c in verb.children if c.dep_ == "nsubjpass" and c.pos_ in _NOMINAL), None)
    if obj is not None and rules.entry(obj) is not None:
        # "launched an appeal", "carried out strikes against X": the event noun is no target; its object is
        prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in rules.event_object_preps), None)
        obj = next((g for g in prep.children if g.dep_ == "pobj" and g.pos_ in _NOMINAL), None) \
            if prep is not None else None
    if obj is None:
        return None
    if obj.lemma_.lower() in rules.accusing_nouns:
        # "rejected accusations by a rival party": the one answered is the accuser, not the accusation; with no
        # accuser named ("denied the allegation") there is no target
        obj = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ in rules.accuser_preps
                    for g in c.children if g.dep_ == "pobj" and g.pos_ in _NOMINAL), None)
        if obj is None:
            return None
    if not names_party(obj, rules, physical):
        return None  # "rejected the notion", "sent 15 types of ammunition": no one acted upon
    span = short_phrase(obj)
    if span is None:
        return None
    # placed in the country of an actor inside the object's whole phrase ("a train in Pakistan's southwest")
    return unresolved(span, country_inside(obj.left_edge, obj.right_edge, heads) if heads else None)


def own_force(target: Actor, source: Actor, doc: Doc, rules: EventRules) -> bool:
    """Whether a target is armed forces of the source's own side (or of no known side): "mobilized its army"."""
    head = head_token(doc, target)
    if head is None or head.lemma_.lower() not in rules.force_nouns:
        return False
    return not target.country or not source.country or target.country == source.country


def against(verb: Token, heads: dict[int, Actor], sources: list[Actor], rules: EventRules) -> Actor | None:
    """An actor the verb's action is aimed at, up to three phrases down: "against X", "for a war against X",
    "to the border with X"."""
    frontier = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
    for _ in range(3):
        nxt = []
        for node in frontier:
            for c in node.children:
                if c.dep_ != "prep":
                    continue
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    act = heads.get(g.i)
                    if act is not None and c.lower_ in rules.against_preps and act.country \
                            and not any(same_actor(act, x) for x in sources):
                        return act
                    nxt.append(g)
        frontier = nxt
    return None
