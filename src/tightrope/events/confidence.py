"""Event confidence: the probability that an event is right (its sides' countries and its type), for every event.

    scores = score_events(doc, events, actors, article, model)   # one float in 0..1 per event

The detector sets `Event.confidence` to it and keeps the events at or above `min_confidence` (events/detect.py).
With a trained candidate model (events/proposals.py, `model`), the model scores; without one the score is the
rule-based estimate below, a product of factors that each say how often events of that kind were right on the
development half of the real-news gold (../shared/data/voa_events, `tightrope.bench.events.half_of` == "dev";
the "held" half was not read while setting them):

* who acts on whom (`SIDES`): both sides placed in a country is the one kind of event that is often right; a
  side that is a phrase no actor covers, or an actor without a country, is seldom right about the dyad;
* how the type was decided (`RULE`): a trigger word of the lexicon, the learned typer alone (times its
  probability), or the clause fallback;
* modality (`MODALITY`): a supposed event is less often reported as one;
* background (`OLD_FACTOR`): a date the text gives more than a year before publication ("in 2010") is context,
  which coders leave out;
* one country on both sides (`SAME_COUNTRY`): a leader meeting their own officials is seldom an event coders
  keep; domestic conflict (arrests, attacks, accusations) and requests of one's own government
  (`DOMESTIC_TYPES`) more often are;
* how sure the actors stage was of each side's country (`Actor.confidence`, when it says).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..records import Actor, Article, Event
from .dates import parse_published

# (source placed in a country, target kind) -> base probability; target kind: "actor" (a resolved actor with a
# country), "placed" (a phrase no actor covers, placed in a country by an actor inside it), "phrase" (such a
# phrase without a country), "none" (no target), "unplaced" (an actor without a country)
SIDES = {
    (True, "actor"): 0.6,
    (True, "placed"): 0.3,
    (True, "none"): 0.15,
    (True, "phrase"): 0.1,
    (True, "unplaced"): 0.1,
    (False, "actor"): 0.1,
    (False, "placed"): 0.05,
    (False, "none"): 0.05,
    (False, "phrase"): 0.05,
    (False, "unplaced"): 0.05,
}
RULE = {"lexicon": 1.0, "cameo": 0.9, "model": 0.8, "clause": 0.7}  # by how the type was decided (`rule_kind`)
MODALITY = {"hypothetical": 0.6}  # other modalities: 1
OLD_FACTOR = 0.3  # a text date more than a year before publication
OLD_YEARS = 1
SAME_COUNTRY = {True: 0.5, False: 0.9}  # both sides in one country: cooperation (quad 1-2), conflict (3-4)
# cooperation types that within one country are still the domestic politics coders keep, weighed as conflict:
# a lawmaker or a lobby urging its own government (on the dev half 7 of 7 such requests were right, against 0 of
# 4 meetings, joint work and praise)
DOMESTIC_TYPES = frozenset({"REQUEST"})
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def _placed(actor: Actor | None) -> bool:
    return actor is not None and bool(actor.country)


def target_kind(target: Actor | None) -> str:
    """"none", "placed" or "phrase" (a phrase no actor covers, with or without a country), "actor" (an actor
    with a country) or "unplaced"."""
    if target is None:
        return "none"
    if target.kind == "unresolved":
        return "placed" if target.country else "phrase"
    return "actor" if target.country else "unplaced"


def rule_kind(event: Event) -> str:
    """"clause" (the clause fallback), "lexicon" (a trigger word typed it), "cameo" (a CAMEO verb the typer
    agreed with) or "model" (the typer alone)."""
    rule = event.rule or ""
    if rule.endswith("(clause)"):
        return "clause"
    for kind in ("lexicon", "cameo"):
        if rule.startswith(kind):
            return kind
    return "model"


def background(event: Event, published: str | None) -> bool:
    """Whether the text dates the event more than `OLD_YEARS` years before the article was published: its own
    date, or else every year its sentence names ("relations soured in 2010 after ...")."""
    day = parse_published(published)
    if day is None:
        return False
    if event.date_source == "text" and event.date:
        return int(event.date[:4]) < day.year - OLD_YEARS
    years = [int(y) for y in _YEAR.findall(event.sentence)]
    return bool(years) and max(years) < day.year - OLD_YEARS


def rule_confidence(event: Event, type_probability: float, published: str | None) -> float:
    """The rule-based probability that `event` is right (see the module docstring); `type_probability` is the
    typer's probability for its type (used when the typer alone decided it)."""
    p = SIDES[(_placed(event.source), target_kind(event.target))]
    kind = rule_kind(event)
    p *= RULE[kind] * (type_probability if kind in ("model", "clause") else 1.0)
    p *= MODALITY.get(event.modality, 1.0)
    if background(event, published):
        p *= OLD_FACTOR
    if event.source is not None and event.target is not None and event.source.country \
            and event.source.country == event.target.country and event.quad is not None:
        p *= SAME_COUNTRY[event.quad <= 2 and event.type not in DOMESTIC_TYPES]
    for side in (event.source, event.target):
        if side is not None and side.confidence is not None and side.kind != "unresolved":
            p *= 0.5 + 0.5 * side.confidence
    return min(1.0, max(0.0, p))


def score_events(doc: Doc, events: list[Event], actors: list[Actor], article: Article, model=None) -> list[float]:
    """The probability that each event is right: the candidate model's when there is one, else the rule-based
    estimate (each event's `confidence` holds its typer probability on the way in)."""
    if model is not None:
        return list(model.score(doc, events, actors, article))
    return [rule_confidence(e, e.confidence if e.confidence is not None else 0.0, article.published) for e in events]
