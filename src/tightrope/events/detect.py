"""Event detection over one parsed article: the passes in order, sentence by sentence.

For each parsed sentence:
1. `arguments.collect`: every actor attached to the predicate it is an argument of, with its role; subjects
   inherited by verbs; event nouns folded into their light verbs;
2. `pairs.assemble`, per predicate in text order: the trigger and the (source, target) pairs, completed where
   the predicate does not name a side; `making.make_event` types and dates each pair's event, and an event
   typed by the model alone below `MODEL_TYPE_CONFIDENCE` goes (no trigger word we know and an unsure model: most
   likely not an event);
3. `filters`: participle adjuncts and subordinate clauses give way to the clause's main event;
3. `filters`: participle adjuncts and subordinate clauses give way to the clause's main event; what is asked,
   refused or threatened gives way to the request, refusal or threat; a planning word to what it plans;
4. `fallback.clause_event`: where the sentence holds actors, its main clause may still code one event;
and at the end `filters.dedupe` keeps one event per (sentence, source, target, type). Then the learned
candidate model, when one is packaged, proposes events the rules missed (`proposals.propose_events`), every event
gets the probability that it is right (`confidence.score_events`) as its `confidence`, and the events at or
above `min_confidence` are kept.
A sentence without a parse (see `tightrope.nlp.is_parsed`), or one that is a credit or link line
(data/boilerplate_patterns.txt), codes nothing, but its actors still count as named before the next sentence's
group subjects ("the two ministers met"). No actor acts on its own state ("Trump put tariffs on the U.S.").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..nlp import is_parsed
from ..records import Actor, Article, Event
from .arguments import collect
from .fallback import clause_event
from .confidence import score_events
from .filters import (dedupe, drop_adjunct_events, drop_embedded_events, drop_planning_events,
                      drop_subordinate_events)
from .making import make_event
from .pairs import assemble
from .phrases import ArticleContext, acts_on_itself
from .proposals import load_candidate_model, propose_events
from .rules import EventRules

# the least event confidence (the probability that it is right) at which an event is kept: chosen on the dev half
# of the real-news gold for precision (`tightrope bench events`, 0.3: the most recall with precision >= 0.75)
MIN_CONFIDENCE = 0.3
MODEL_TYPE_CONFIDENCE = 0.5  # the least typer probability at which an event typed by the model alone is coded
RECENT_ACTORS = 8  # how many actors of the previous sentences a group subject may stand for


def detect_events(doc: Doc, actors: list[Actor], article: Article, rules: EventRules, typer: str,
                  min_confidence: float = MIN_CONFIDENCE) -> list[Event]:
    """Every event found in a parsed article whose confidence is at least `min_confidence`, in text order."""
    if not doc.has_annotation("SENT_START"):
        return []  # no sentence boundaries, so no parse: the rules read nothing off such a Doc
    ctx = ArticleContext.build(doc, actors, article, rules, typer)
    heads = ctx.heads
    events: list[Event] = []
    recent: list[Actor] = []
    for sent in doc.sents:
        sent_actors = [heads[t.i] for t in sent if t.i in heads]
        if is_parsed(sent.root) and not rules.boilerplate.match(sent.text):
            _code_sentence(ctx, sent, sent_actors, recent, events)
        recent = (recent + sent_actors)[-RECENT_ACTORS:]
    events = dedupe(events)
    model = load_candidate_model()
    proposed = propose_events(doc, actors, article, events, rules, model)
    if proposed:
        events = dedupe(events + proposed)
    for event, score in zip(events, score_events(doc, events, actors, article, model)):
        event.confidence = round(score, 3)
    return [e for e in events if e.confidence >= min_confidence]


def _code_sentence(ctx: ArticleContext, sent: Span, sent_actors: list[Actor], recent: list[Actor],
                   events: list[Event]) -> None:
    """Append the events of one parsed sentence to `events` (the article's so far)."""
    sa = collect(sent, ctx)
    first = len(events)  # this sentence's events are events[first:]: the filters read those alone
    by_pred: list[tuple[Event, Token]] = []
    for i in sa.predicates:
        tok = ctx.doc[i]
        found = assemble(tok, ctx, sa, events, recent + sent_actors)
        if found is None:
            continue
        trigger_tok, lex, pairs = found
        sa.made[i] = pairs
        for src, tgt, recip in pairs:
            if acts_on_itself(src, tgt):
                continue
            ev = make_event(ctx, sent, tok, trigger_tok, lex, src, tgt, recip)
            if ev.rule in ("model", "cameo") and (ev.confidence or 0) < MODEL_TYPE_CONFIDENCE:
                continue
            events.append(ev)
            by_pred.append((ev, tok))
    # (filtering the whole article's list for each sentence made an article's cost grow with its square)
    mine = events[first:]
    drop_adjunct_events(mine, by_pred)
    drop_subordinate_events(mine, by_pred, ctx.rules)
    drop_embedded_events(mine, by_pred, ctx.rules)
    drop_planning_events(mine, by_pred, ctx.rules)
    if sent_actors:
        ev = clause_event(ctx, sent)
        if ev is not None and not any(e.trigger_start == ev.trigger_start or e.source is ev.source
                                      or e.target is ev.target for e in mine):
            mine.append(ev)
    events[first:] = mine
