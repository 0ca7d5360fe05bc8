"""Events: who did what to whom, coded in PLOVER with CAMEO, intensity, modality, date."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Actor, Article, Event


def extract_events(doc: Doc, actors: list[Actor], article: Article) -> list[Event]:
    """Every political event reported in the article, in text order."""
    return []
