"""Actors: find mentions and resolve each to whom it stands for (country, sector, code)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Actor, Article


def might_mention_actor(text: str) -> bool:
    """Cheap test used to decide whether a segment is worth a full parse."""
    return True


def resolve_actors(doc: Doc, article: Article, lexicon=None) -> list[Actor]:
    """Every actor mention in the article, in text order."""
    return []


def load_lexicon(extra_file: str | None = None):
    """The built-in actor dictionaries plus a user's YAML/CSV overrides (cached per file)."""
    return None
