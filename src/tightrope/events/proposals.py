"""Learned event proposals: events the rule passes missed, from (sentence, actor, actor) candidates.

The interface the detector calls after the rule passes (events/detect.py):

    model = load_candidate_model()          # None when no trained candidate model is packaged
    extra = propose_events(doc, actors, article, events, rules, model)

A candidate model is trained by `python -m tightrope.events.train_candidates` (issue 18, part B) and stored in
events/model/; until one is packaged, `load_candidate_model()` gives None and there are no proposals: the events
are the rule passes' alone, each scored by events/confidence.py.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..records import Actor, Article, Event
from .rules import EventRules

MODEL_PATH = Path(__file__).parent / "model" / "candidates.npz"


@lru_cache(maxsize=1)
def load_candidate_model():
    """The packaged candidate model, or None when none is packaged (then nothing is proposed)."""
    if not MODEL_PATH.exists():
        return None
    raise RuntimeError(f"{MODEL_PATH}: a candidate model is packaged but this version has no reader for it")


def propose_events(doc: Doc, actors: list[Actor], article: Article, events: list[Event], rules: EventRules,
                   model) -> list[Event]:
    """Events the rules missed (not among `events`), proposed by the candidate `model`; none without one."""
    if model is None:
        return []
    return model.propose(doc, actors, article, events, rules)
