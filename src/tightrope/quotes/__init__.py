"""Quotes, claims and disputes: who said what, and who denies it."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Actor, Article, Claim, Quote


def extract_quotes(doc: Doc, actors: list[Actor], article: Article) -> tuple[list[Quote], list[Claim]]:
    """Direct and indirect quotes, and the claims among them with who disputes them."""
    return [], []


def might_hold_quote(text: str) -> bool:
    """Cheap test used to decide whether a segment is worth a full parse."""
    return False
