"""Filters: one event per clause, one event per (sentence, source, target, type).

* `drop_adjunct_events`: "X stormed the base, killing five guards": a participle adds detail to the main event
  of its clause; with the same source and a target there, the participle's event goes.
* `drop_subordinate_events`: "X attacked Y after Z had shelled W": the events of relative and temporal/causal
  clauses set the scene; they go when the sentence has a main-clause event with both a source and a target.
  A relative clause on a noun that points back ("a move that Y dismissed") is Y's own reaction and stays.
* `drop_embedded_events`: "X urged Y to investigate Z": what is asked, refused or threatened (type_classes.tsv
  `embedding`) is not an event of its own; the request is, and one without a target takes the target of what it
  asks, refuses or threatens ("threatened to attack X" is a threat to X).
* `drop_planning_events`: "X promised to send arms to Y": a planning word that is a trigger itself (pledge,
  promise, seek) gives way to the event it plans (which is coded as planned).
* `dedupe`: the same sentence, source, target and type found twice (by two predicates, or two mentions of the
  same actor) is one event, the surer; so is a reciprocal event found in both directions.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..actors import same_actor
from ..records import Event
from .rules import EventRules


def subordinate(tok: Token, rules: EventRules) -> bool:
    """Whether a predicate sits in a relative clause or a temporal/causal adverbial clause of its sentence."""
    t = tok
    for _ in range(10):
        if t.dep_ in ("relcl", "acl"):
            # "a move that Y dismissed", "a statement Y refuted": a reaction to what the noun points back to
            return t.head.lemma_.lower() not in rules.anaphoric_nouns
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in rules.subordinators for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _drop(events: list[Event], drop: set[int]) -> None:
    if drop:
        events[:] = [e for e in events if id(e) not in drop]


def drop_subordinate_events(events: list[Event], by_pred: list[tuple[Event, Token]], rules: EventRules) -> None:
    """Remove from `events` the subordinate-clause events of one sentence (`by_pred`: its events with their
    predicates) when a main-clause event of it has both a source and a target."""
    live = {id(e) for e in events}
    mine = [(e, t) for e, t in by_pred if id(e) in live]
    if not any(e.source is not None and e.target is not None and not subordinate(t, rules) for e, t in mine):
        return
    _drop(events, {id(e) for e, t in mine if subordinate(t, rules)})


def drop_adjunct_events(events: list[Event], by_pred: list[tuple[Event, Token]]) -> None:
    """Remove from `events` a participle adjunct's event when the predicate it modifies has an event with the
    same source and a target (`by_pred`: one sentence's events with their predicates)."""
    drop: set[int] = set()
    for ev, tok in by_pred:
        if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "acl") or ev.source is None \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        if any(t.i == tok.head.i and e is not ev and e.target is not None and same_actor(e.source, ev.source)
               for e, t in by_pred if e.source is not None):
            drop.add(id(ev))
    _drop(events, drop)


_COMPLEMENT_DEPS = ("xcomp", "ccomp")


def _complement_of(tok: Token, heads: set[int]) -> bool:
    """Whether `tok` sits in the complement clause of one of the predicates `heads` (up to four clauses up)."""
    t = tok
    for _ in range(4):
        if t.dep_ not in _COMPLEMENT_DEPS and not (t.dep_ == "conj" and t.head.dep_ in _COMPLEMENT_DEPS):
            return False
        if t.head.i == t.i:
            return False
        t = t.head
        if t.i in heads:
            return True
    return False


def drop_embedded_events(events: list[Event], by_pred: list[tuple[Event, Token]], rules: EventRules) -> None:
    """Remove from `events` the events in the complement of a request, refusal or threat of the same sentence
    (`by_pred`: its events with their predicates), and those in the complement of a request verb that made no
    event of its own."""
    live = {id(e) for e in events}
    mine = [(e, t) for e, t in by_pred if id(e) in live]
    asking = {t.i for e, t in mine if e.type in rules.embedding}
    # a request verb whose own event could not be made still embeds: in "X demanded that Y refuse to recognize
    # Z" the refusal is what X asked for, not a refusal that took place ("seeks to impose" plans, see
    # drop_planning_events)
    unmade = {w.i for _, t in mine for w in t.sent if w.pos_ == "VERB" and w.i not in asking
              and w.lemma_.lower() not in rules.plan_heads and (rules.entry(w) or ("",))[0] == "REQUEST"}
    if not asking and not unmade:
        return
    embedded = [(e, t) for e, t in mine if (t.i not in asking and _complement_of(t, asking))
                or _complement_of(t, unmade)]
    for e, t in mine:  # "threatened to attack X": the threat is to X
        if t.i in asking and e.target is None:
            inner = next((x for x, u in embedded if x.target is not None and _complement_of(u, {t.i})), None)
            if inner is not None and not same_actor(inner.target, e.source):
                e.target = inner.target
    _drop(events, {id(e) for e, _ in embedded})


def drop_planning_events(events: list[Event], by_pred: list[tuple[Event, Token]], rules: EventRules) -> None:
    """Remove from `events` the events of a planning word (data/plan_heads.txt: promise, pledge, seek, ...)
    whose complement clause has an event of its own in the sentence."""
    live = {id(e) for e in events}
    mine = [(e, t) for e, t in by_pred if id(e) in live]
    planners = {t.i for e, t in mine if t.lemma_.lower() in rules.plan_heads}
    if not planners:
        return
    planned = {j for e, t in mine if t.i not in planners for j in planners if _complement_of(t, {j})}
    _drop(events, {id(e) for e, t in mine if t.i in planned})


def actor_key(actor) -> tuple | None:
    """Who an argument stands for, for telling events apart: its entity, else its code and kind, else its
    words (two mentions of one actor in a sentence give one event)."""
    if actor is None:
        return None
    if actor.entity:
        return ("entity", actor.entity)
    if actor.country and actor.kind != "unresolved":
        return ("code", actor.code or actor.country, actor.sector, actor.kind)
    return ("text", actor.text.lower())


def dedupe(events: list[Event]) -> list[Event]:
    """One event per (sentence, source, target, type) (see `actor_key`; a reciprocal event either way round),
    the most confident; in text order."""
    out: list[Event] = []
    seen: dict[tuple, int] = {}
    for e in events:
        src, tgt = actor_key(e.source), actor_key(e.target)
        key = (e.start, src, tgt, e.type)
        if e.reciprocal and (e.start, tgt, src, e.type) in seen:
            key = (e.start, tgt, src, e.type)
        if key in seen:
            k = seen[key]
            if (e.confidence or 0) > (out[k].confidence or 0):
                out[k] = e
            continue
        seen[key] = len(out)
        out.append(e)
    out.sort(key=lambda e: (e.start, e.trigger_start or 0))
    return out
