"""Actors: find mentions and resolve each to whom it stands for (country, sector, code).

Public interface (called by the pipeline, the spaCy component and other stages):
- `load_lexicon(user_file=None, data=None)`: the dictionaries and word lists of `data/` (or a user's
  `LanguageData` over them) plus a user's YAML/CSV dictionary file, cached per (data files, user file).
- `resolve_actors(doc, article, lexicon)`: every actor mention in text order (records.Actor).
- `might_mention_actor(text, lexicon=None)`: a fast test deciding which segments get the full spaCy parse.
- `dateline(text, lexicon=None)`: (place, start, end) of the dateline that opens an article ("KUALA LUMPUR —",
  "New Delhi:", "WASHINGTON (Reuters) -", "ISLAMABAD, Oct 26 –"); dateline places are never actors.
- `dominant_country(mentions)`: the country an article names most as a place.
- `same_actor(a, b)`: the one definition of "the same actor" for every stage.
- `actor_data(overrides)`: the component's data files; `reporting_verbs()`, `place_prepositions()`: word lists
  shared with other stages.

Actor.kind says how a mention was recognised: country, demonym, capital (incl. seats of power named in
countries.csv), seat, place (city/region), us_state, ethnic, igo, organisation, group (a body named by a
noun: "police", "the Indian government" is organisation), media, role (an unnamed official: "the US
ambassador"), person, title ("the Secretary" → a person seen before), pronoun (he/she reporting → a person).
People share `entity` ("person:<name>") across all their mentions in the article. Countries and capitals
that act are GOV; after "in"/"at" (places) they carry no sector. See data/README.md for the dictionaries and
resolver.py for the passes.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..langdata import LanguageData
from ..records import Actor, Article
from .bodies import dominant_country
from .dateline import find_dateline
from .lexicon import IGO_CODES, Lexicon, build_lexicon
from .resolver import resolve
from .same import same_actor
from .words import actor_data

__all__ = ["IGO_CODES", "Lexicon", "actor_data", "dateline", "dominant_country", "load_lexicon",
           "might_mention_actor", "place_prepositions", "reporting_verbs", "resolve_actors", "same_actor"]

_lexicons: dict[tuple, Lexicon] = {}
_LEXICON_CACHE = 8
# the lexicon `might_mention_actor` uses when a caller gives none: the last one loaded with a user file (its
# names should also make a sentence worth parsing), else the built-in one. A caller that loaded a lexicon from
# other data files passes it (`might_mention_actor(text, lexicon)`).
_default_might: Lexicon | None = None


def _data_key(data: LanguageData | None) -> tuple:
    if data is None:
        return ()
    return (str(data.folder), tuple(sorted((name, str(path)) for name, path in data.overrides.items())))


def load_lexicon(user_file: str | LanguageData | None = None, data: LanguageData | None = None) -> Lexicon:
    """The actor dictionaries and word lists (`data`, default: the packaged `data/`) plus a user's YAML/CSV
    dictionary file, built once per (data files, user file). `load_lexicon(data, user_file)` works too."""
    global _default_might
    if isinstance(user_file, LanguageData) or (data is not None and not isinstance(data, LanguageData)):
        user_file, data = data, user_file
    key = (_data_key(data), str(user_file) if user_file else None)
    lex = _lexicons.get(key)
    if lex is None:
        if len(_lexicons) >= _LEXICON_CACHE:
            _lexicons.pop(next(iter(_lexicons)))
        lex = _lexicons[key] = build_lexicon(data, key[1])
    if user_file and data is None:
        _default_might = lex
    return lex


def might_mention_actor(text: str, lexicon: Lexicon | None = None) -> bool:
    """Cheap test used to decide whether a segment is worth a full parse."""
    lex = lexicon or _default_might or load_lexicon()
    return lex.might_mention(text)


def resolve_actors(doc: Doc | None, article: Article, lexicon: Lexicon | None = None) -> list[Actor]:
    """Every actor mention in the article, in text order."""
    return resolve(doc, article, lexicon if isinstance(lexicon, Lexicon) else load_lexicon())


def dateline(text: str, lexicon: Lexicon | None = None) -> tuple[str, int, int] | None:
    """Where the story was filed, (place as written, start, end), when the article opens with a dateline
    ("KUALA LUMPUR —", "New Delhi:", "WASHINGTON (Reuters) -", "ISLAMABAD, Oct 26 –"); else None.
    Dateline places are never actors; the events stage may use this as a default location."""
    found = find_dateline(text or "", lexicon if isinstance(lexicon, Lexicon) else load_lexicon())
    return (found.place, found.start, found.end) if found else None


def reporting_verbs(data: LanguageData | None = None) -> frozenset[str]:
    """Lemmas of verbs that report speech or thought (data/reporting_verbs.txt)."""
    return (data or actor_data()).words("reporting_verbs.txt")


def place_prepositions(data: LanguageData | None = None) -> frozenset[str]:
    """Prepositions that put what follows in a place (data/place_prepositions.txt)."""
    return (data or actor_data()).words("place_prepositions.txt")
