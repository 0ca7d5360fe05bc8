"""Location: where an event happened, when the predicate or its object says so with a place name ("met in
Geneva", "held talks at the Kremlin"); the place as named in the sentence's entity, else the word itself.

Only 'in'/'at'/'near' phrases of the predicate and of its object or complement count: a place further away in
the sentence is more often another event's, and a place that is an argument (the target of "bombed targets in
X") is still the event's location as well.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .rules import EventRules

_PLACE_ENTITIES = ("GPE", "LOC", "FAC")


def location(pred: Token, sent: Span, rules: EventRules) -> str | None:
    """The place name after 'in'/'at'/'near' on the predicate or on its object/complement, or None."""
    near = [g for c in pred.children if c.dep_ in ("dobj", "xcomp") for g in c.children]
    for c in list(pred.children) + near:
        if c.dep_ == "prep" and c.lower_ in rules.location_preps:
            for g in c.children:
                if g.dep_ == "pobj" and g.ent_type_ in _PLACE_ENTITIES:
                    ent = next((e for e in sent.ents if e.start <= g.i < e.end), None)
                    return ent.text if ent is not None else g.text
    return None
