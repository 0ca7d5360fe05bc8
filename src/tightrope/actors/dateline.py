"""Datelines: where a story was filed ("KUALA LUMPUR —", "New Delhi:", "WASHINGTON (Reuters) -",
"ISLAMABAD, Oct 26 –", "POONCH, India —"), at the very start of the article or of the first paragraph after a
headline line. The filing place is not a party to the story, so it is never an actor; the events stage may use
it as a default location, and a bare state body in a story filed from home takes that country (`bodies`)."""

from __future__ import annotations

import re
from functools import lru_cache

from .context import Dateline
from .lexicon import Entry, Lexicon

_WORD = r"[A-Z][A-Za-z.'’\-]*"
_SPACE = re.compile(r"\s*")
_ENDS_LIKE_A_SENTENCE = re.compile(r"[.!?\"”’']$")
_STORY_ENDS = re.compile(r"[.!?\"”]\s*$")
_FILING_KINDS = ("country", "capital", "place", "igo", "seat")
_HEADLINE_LINES = 2  # lines tried before giving up (a headline, then the first paragraph)
_MAX_HEADLINE_WORDS = 20
_STORY_WORDS = 8  # words after the dateline that show the paragraph goes on as a story


@lru_cache(maxsize=8)
def dateline_regex(month: str) -> re.Pattern:
    """The dateline pattern, given the regex of a month name (see ActorWords.month)."""
    return re.compile(
        r"(?P<place>" + _WORD + r"(?:[ \t]+" + _WORD + r"){0,3})"
        r"(?:,[ \t]+(?P<region>" + _WORD + r"(?:[ \t]+" + _WORD + r")?))?"
        r"(?:,?[ \t]+(?:" + month + r"[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?|\d{1,2}[ \t]+" + month + r"(?:[ \t]+\d{4})?))?"
        r"(?:[ \t]*\([A-Z][\w .&'’\-]{0,30}\))?"
        r"[ \t]*(?:[—–]|--?|:)[ \t]*(?=[\"“‘'A-Z0-9])")


def _title_like(line: str) -> bool:
    """A headline line: short and not ending like a sentence."""
    line = line.strip()
    return 0 < len(line.split()) <= _MAX_HEADLINE_WORDS and not _ENDS_LIKE_A_SENTENCE.search(line)


def find_dateline(text: str, lex: Lexicon) -> Dateline | None:
    """The dateline opening the article, or None. The place must be a known place or written in capitals,
    and the paragraph must go on as a story ("Pakistan: Army Chief Visits" is a headline, not a dateline)."""
    regex = dateline_regex(lex.words.month)
    pos = 0
    for _ in range(_HEADLINE_LINES):
        start = _SPACE.match(text, pos).end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[start:line_end]
        if not line:
            return None
        dm = regex.match(text, start, line_end)
        if dm is not None:
            place = dm.group("place")
            rest = text[dm.end():line_end]
            found = lex.lookup(place)
            known = isinstance(found, Entry) and found.kind in _FILING_KINDS
            shouted = place.upper() == place and len(place.replace(" ", "")) >= 3
            story = len(rest.split()) >= _STORY_WORDS or _STORY_ENDS.search(rest)
            person = isinstance(found, Entry) and found.kind == "person"
            if (known or shouted) and story and not person:
                return Dateline(place, dm.start("place"), dm.end("place"), dm.end())
        if not _title_like(line):
            return None
        pos = line_end
    return None
