"""Actors: find mentions and resolve each to whom it stands for (country, sector, code).

Public interface (called by the pipeline and by other stages):
- `load_lexicon(extra_file)`: built-in dictionaries (data/) plus a user's YAML/CSV overrides, cached.
- `resolve_actors(doc, article, lexicon)`: every actor mention in text order (records.Actor).
- `might_mention_actor(text)`: a fast test deciding which segments get the full spaCy parse.
- `dateline(text)`: (place, start, end) of the dateline that opens an article ("KUALA LUMPUR —",
  "New Delhi:", "WASHINGTON (Reuters) -", "ISLAMABAD, Oct 26 –"; at the very start or at the start of the
  first paragraph after a headline line), else None. Dateline places are never actors (a story's filing
  place is not a party to it); the events stage may use it as a default location.

Actor.kind says how a mention was recognised: country, demonym, capital (incl. seats of power named in
countries.csv), seat, place (city/region), us_state, ethnic, igo, organisation, group (a body named by a
noun: "police", "the Indian government" is organisation), media, role (an unnamed official: "the US
ambassador"), person, title ("the Secretary" → a person seen before), pronoun (he/she reporting → a person).
People share `entity` ("person:<name>") across all their mentions in the article. Countries and capitals
that act are GOV; after "in"/"at" (places) they carry no sector. See data/README.md for the dictionaries.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..records import Actor, Article
from .lexicon import IGO_CODES, Lexicon, build_lexicon, trie_regex
from .resolver import dateline as _dateline
from .resolver import resolve

__all__ = ["IGO_CODES", "Lexicon", "dateline", "load_lexicon", "might_mention_actor", "resolve_actors"]

# Group nouns too common to be a reason to parse a sentence on their own.
_WEAK_GROUPS = {"CVL", "BUS", "MED", "LAB", "EDU", "REL", "PTY", "AGR", "NGO", "CRM", "REF"}
_might: re.Pattern | None = None
_might_extra: set[str] = set()


def _build_might(lex: Lexicon) -> re.Pattern:
    proper = sorted(f for f in lex.entries if len(f) > 1)
    roles = sorted(r for r, role in lex.roles.items()
                   if (role.person or role.group) and (role.person or role.group not in _WEAK_GROUPS))
    pattern = (
        r"(?<![\w.])(?:" + trie_regex(proper) + r")(?!\w)"
        r"|(?i:\b(?:" + trie_regex(roles) + r")\b)"
        r"|\b[A-Z][\w'’\-]*[a-z]\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'’\-]*"  # a capitalised two-word name
        r"|\b[Hh]e\b|\b[Ss]he\b"  # possible pronoun mentions of people (need the parse)
    )
    return re.compile(pattern)


def might_mention_actor(text: str) -> bool:
    """Cheap test used to decide whether a segment is worth a full parse."""
    global _might
    if _might is None:
        _might = _build_might(build_lexicon(None))
    return _might.search(text) is not None


def resolve_actors(doc: Doc, article: Article, lexicon=None) -> list[Actor]:
    """Every actor mention in the article, in text order."""
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(None)
    return resolve(doc, article, lex)


def dateline(text: str, lexicon=None) -> tuple[str, int, int] | None:
    """Where the story was filed, (place as written, start, end), when the article opens with a dateline
    ("KUALA LUMPUR —", "New Delhi:", "WASHINGTON (Reuters) -", "ISLAMABAD, Oct 26 –"); else None.
    Dateline places are never actors; the events stage may use this as a default location."""
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(None)
    return _dateline(text, lex)


def load_lexicon(extra_file: str | None = None) -> Lexicon:
    """The built-in actor dictionaries plus a user's YAML/CSV overrides (cached per file)."""
    global _might
    lex = build_lexicon(str(extra_file) if extra_file else None)
    if extra_file and str(extra_file) not in _might_extra:
        # the user's names should also make a sentence worth parsing
        _might_extra.add(str(extra_file))
        _might = _build_might(lex)
    return lex
