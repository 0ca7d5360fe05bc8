"""Events: who did what to whom, coded in PLOVER with CAMEO, intensity, modality, date.

How it works (CPU-only, rules + one small learned typer), one module a pass (events/detect.py runs them):

* arguments.py: for every parsed sentence, each predicate (a verb, or an event noun such as "sanctions", "talks",
  "meeting", "imposition") collects the resolved actors that attach to it: subjects and passive agents are
  sources; objects, passive subjects, datives and prepositional objects are targets (locative "in/at Delhi" is
  not). Open clausal complements inherit the subject ("X agreed to meet Y", sources.py); reported clauses
  ("Rubio said Washington would ...") are coded in their own right.
* pairs.py (with sources.py and targets.py): the trigger and the (source, target) pairs of each predicate.
  Coordinated targets give one event each; coordinated subjects with no target ("India and Pakistan signed
  ...", "the two ministers met") give a reciprocal event; a pronoun subject of a reported clause ("X announced
  that it will ...") stands for the reporter, and the subject of a demanded clause ("X demanded that Y ...") is
  the target of REQUEST/ACCUSE triggers.
* making.py: type from the trigger lexicon (data/triggers.tsv) or the learned typer (typer.py, a linear model
  trained on PLV, or the neural one of neural.py: ``classify_event(sentence, source, target) -> (type,
  confidence)``); CAMEO root, intensity and quad from the PLOVER table; modality.py, location.py, dates.py.
* senses.py: a trigger fires only in its event sense ("a town called Hope", "provided impetus" code nothing)
  and the doer and clause adjust the type (words of force from the unarmed are ACCUSE, conditional conflict is
  THREATEN, refused cooperation REJECT).
* filters.py: one event per clause and per (sentence, source, target, type); what is asked, refused or threatened
  gives way to the request; fallback.py: where no predicate took actors directly, the main clause's subject and
  object phrases that hold an actor ("a top diplomat in the UAE") make one event, with a known trigger or model
  confidence >= 0.35.
* proposals.py (a learned candidate model, when one is packaged) proposes events the rules missed;
  confidence.py gives every event the probability that it is right (`Event.confidence`), and events below
  `min_confidence` (default `MIN_CONFIDENCE`, chosen on the dev data for precision) are left out.

Every word the rules test is in a data file of events/data/, read by `load_event_rules` (rules.py) and
replaceable by a user's own file (see `tightrope.langdata`).
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Actor, Article, Event
from .detect import MIN_CONFIDENCE, detect_events
from .rules import EventRules, load_event_rules
from .typer import TYPERS, classify_event

__all__ = ["extract_events", "classify_event", "load_event_rules", "EventRules", "TYPERS", "MIN_CONFIDENCE"]


def extract_events(doc: Doc, actors: list[Actor], article: Article, rules: EventRules | None = None,
                   typer: str = "linear", min_confidence: float = MIN_CONFIDENCE) -> list[Event]:
    """Every political event reported in the article, in text order.

    `rules`: the language data (default: the packaged files, see `load_event_rules`); `typer`: "linear",
    "neural" or "ensemble" (see `classify_event`); `min_confidence`: the least confidence (the probability that
    the event is right, `Event.confidence`) at which an event is kept; 0 keeps every event found."""
    if typer not in TYPERS:
        raise ValueError(f"typer {typer!r} is not one of {', '.join(TYPERS)}")
    return detect_events(doc, actors, article, rules if rules is not None else load_event_rules(), typer, min_confidence)
