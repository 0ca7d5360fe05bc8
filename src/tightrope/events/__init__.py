"""Events: who did what to whom, coded in PLOVER with CAMEO, intensity, modality, date.

How it works (CPU-only, rules + one small linear model):

* detection (events/detect.py): for every parsed sentence, each predicate (a verb, or an event noun such as
  "sanctions", "talks", "meeting", "imposition") collects the resolved actors that attach to it: subjects and
  passive agents are sources; objects, passive subjects, datives and prepositional objects are targets
  (locative "in/at Delhi" is not). Coordinated targets give one event each; coordinated subjects with no target
  ("India and Pakistan signed ...", "the two ministers met") give a reciprocal event. Open clausal complements
  inherit the subject ("X agreed to meet Y"); reported clauses ("Rubio said Washington would ...") are coded in
  their own right; a pronoun subject there ("X announced that it will ...") stands for the reporter, and the
  subject of a demanded clause ("X demanded that Y ...") is the target of REQUEST/ACCUSE triggers.
  Clause fallback: where no predicate took actors directly, the main clause's subject and object phrases that hold
  an actor ("a top diplomat in the UAE") make one event, with a known trigger or model confidence >= 0.35.
* type (events/typer.py): the trigger lexicon (events/data/triggers.tsv) and a logistic-regression typer trained on
  PLV (``classify_event(sentence, source_text, target_text) -> (type, confidence)``).
* CAMEO root, intensity and quad from events/data/plover.tsv; modality and date from events/modality.py and
  events/dates.py.
"""

from __future__ import annotations

import logging

from spacy.tokens import Doc

from ..records import Actor, Article, Event
from .typer import classify_event

__all__ = ["extract_events", "classify_event"]


def extract_events(doc: Doc, actors: list[Actor], article: Article) -> list[Event]:
    """Every political event reported in the article, in text order."""
    from .detect import detect

    try:
        return detect(doc, actors, article)
    except Exception as exc:  # a stage must never take the whole article down; say which one failed
        logging.getLogger("tightrope.events").warning("events skipped for article %s: %r", article.id, exc)
        return []
