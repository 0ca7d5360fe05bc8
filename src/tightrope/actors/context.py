"""What the actor passes share while reading one article: the text and its Doc, the lexicon matches, the
mentions found so far, the people met (the registry) and the mentions a later pass must complete."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from ..nlp import token_at
from ..records import Actor
from .candidates import Match
from .kinds import PERSON_KINDS
from .lexicon import Lexicon
from .people import PersonRegistry
from .words import ActorWords

QUOTATION = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def actor_code(country: str | None, sector: str | None) -> str | None:
    """The CAMEO-style code of a country and a sector ("USA" + "GOV" → "USAGOV"); None without a country."""
    if not country:
        return None
    return country + sector if sector else country


def make_actor(text: str, start: int, end: int, name, country, sector, kind, entity=None, by=None,
               confidence=None) -> Actor:
    """A mention of text[start:end] with its code computed from country and sector; `by` and `confidence` say
    where the resolution came from (records.RESOLVED_BY; see `provenance` for the defaults)."""
    return Actor(text=text[start:end], start=start, end=end, name=name, country=country, sector=sector,
                 code=actor_code(country, sector), kind=kind, entity=entity, resolved_by=by, confidence=confidence)


def recode(actor: Actor) -> None:
    """Recompute a mention's code after its country or sector changed."""
    actor.code = actor_code(actor.country, actor.sector)


class MentionIndex:
    """The article's mentions in buckets of `BUCKET` characters by start offset, so that the mentions
    overlapping a span or starting in one are found in time that does not grow with the article: every pass
    asks this instead of scanning all mentions (which made long articles cost the square of their length).
    Results come in the order of `ArticleContext.mentions` (each mention's sequence number, renumbered when
    that list is sorted)."""

    BUCKET = 256

    def __init__(self) -> None:
        self.buckets: dict[int, list[Actor]] = {}
        self.seq: dict[int, int] = {}
        self.longest = 0
        self.next_seq = 0

    def add(self, m: Actor) -> None:
        self.buckets.setdefault(m.start // self.BUCKET, []).append(m)
        self.seq[id(m)] = self.next_seq
        self.next_seq += 1
        if m.end - m.start > self.longest:
            self.longest = m.end - m.start

    def remove(self, m: Actor) -> None:
        bucket = self.buckets.get(m.start // self.BUCKET, [])
        for i, x in enumerate(bucket):
            if x is m:
                del bucket[i]
                del self.seq[id(m)]
                return

    def renumber(self, mentions: list[Actor]) -> None:
        self.seq = {id(m): i for i, m in enumerate(mentions)}
        self.next_seq = len(mentions)

    def _ordered(self, found: list[Actor]) -> list[Actor]:
        seq = self.seq
        return sorted(found, key=lambda m: seq[id(m)]) if len(found) > 1 else found

    def overlapping(self, start: int, end: int) -> list[Actor]:
        """The mentions with start < `end` and `start` < end."""
        b = self.BUCKET
        found = [m for k in range(max(0, start - self.longest) // b, max(start, end - 1) // b + 1)
                 for m in self.buckets.get(k, ()) if m.start < end and start < m.end]
        return self._ordered(found)

    def starting_in(self, start: int, end: int) -> list[Actor]:
        """The mentions with `start` <= start < `end`."""
        b = self.BUCKET
        found = [m for k in range(start // b, max(start, end - 1) // b + 1)
                 for m in self.buckets.get(k, ()) if start <= m.start < end]
        return self._ordered(found)

    def starting_at(self, start: int) -> list[Actor]:
        return self._ordered([m for m in self.buckets.get(start // self.BUCKET, ()) if m.start == start])


@dataclass
class Dateline:
    """The dateline that opens an article: the place as written, its span, and where the dateline ends."""

    place: str
    start: int
    end: int
    header_end: int


@dataclass
class ArticleContext:
    """Per-article state of the actor passes."""

    doc: Doc | None
    text: str
    lex: Lexicon
    matches: list[Match]
    dateline: Dateline | None = None
    day: str | None = None  # the article's publication day (ISO), for the knowledge base
    mentions: list[Actor] = field(default_factory=list)
    people: PersonRegistry = field(default_factory=PersonRegistry)
    # Mentions a later pass completes: named bodies without a country (from the sentence), bare group nouns
    # ("police", "the government": from the context). People are completed through the registry. A mention a
    # later pass removed (a place inside an organisation's name) is no longer completed (`awaiting`).
    need_body_country: list[Actor] = field(default_factory=list)
    need_group_country: list[Actor] = field(default_factory=list)
    index: MentionIndex = field(default_factory=MentionIndex)
    _sent_starts: list[int] | None = None
    _quotes: list[tuple[int, int]] | None = None
    _quote_starts: list[int] | None = None
    _article_cues: dict[str, bool] = field(default_factory=dict)
    _ents: tuple | None = None
    _match_starts: list[int] | None = None
    _ent_starts: list[int] | None = None
    _arrays: dict = field(default_factory=dict)

    @property
    def words(self) -> ActorWords:
        return self.lex.words

    def token(self, char: int) -> Token | None:
        """The token holding character `char` (None without a Doc)."""
        return token_at(self.doc, char) if self.doc is not None else None

    def token_array(self, attr: int):
        """The Doc's array of one token attribute (spacy.attrs), read once per article."""
        cached = self._arrays.get(attr)
        if cached is None:
            cached = self._arrays[attr] = self.doc.to_array(attr)
        return cached

    def tokens_among(self, attr: int, words) -> list[int]:
        """The indices of the tokens whose attribute `attr` (ORTH, LOWER) is one of `words`, in text order: one
        comparison of the Doc's array per word, not a Python loop over the tokens."""
        arr = self.token_array(attr)
        if not len(arr) or not words:
            return []
        hit = numpy.zeros(len(arr), dtype=bool)
        for w in words:
            hit |= arr == hash_string(w)
        return numpy.flatnonzero(hit).tolist()

    @property
    def ents(self) -> tuple:
        """The Doc's named entities (read once: `doc.ents` builds new spans on every call)."""
        if self._ents is None:
            self._ents = tuple(self.doc.ents) if self.doc is not None else ()
        return self._ents

    def ent_at(self, i: int):
        """The named entity that holds token `i`, or None."""
        if self._ent_starts is None:
            self._ent_starts = [e.start for e in self.ents]
        k = bisect_right(self._ent_starts, i) - 1
        if k >= 0 and i < self.ents[k].end:
            return self.ents[k]
        return None

    def add(self, actor: Actor) -> Actor:
        self.mentions.append(actor)
        self.index.add(actor)
        return actor

    def remove(self, actor: Actor) -> None:
        """Remove a mention (by identity). `mentions` is in the order of the index's sequence numbers, so the
        mention is found by bisection."""
        seq = self.index.seq
        if id(actor) not in seq:
            return
        i = bisect_left(self.mentions, seq[id(actor)], key=lambda m: seq[id(m)])
        if i < len(self.mentions) and self.mentions[i] is actor:
            del self.mentions[i]
            self.index.remove(actor)

    def present(self, actor: Actor) -> bool:
        """Whether `actor` is (still) one of the mentions."""
        return id(actor) in self.index.seq

    def extend(self, actors: list[Actor]) -> None:
        for a in actors:
            self.add(a)

    def overlapping(self, start: int, end: int) -> list[Actor]:
        """The mentions that overlap text[start:end], in the order of `mentions`."""
        return self.index.overlapping(start, end)

    def starting_in(self, start: int, end: int) -> list[Actor]:
        """The mentions that start inside text[start:end], in the order of `mentions`."""
        return self.index.starting_in(start, end)

    def starting_at(self, start: int) -> list[Actor]:
        return self.index.starting_at(start)

    def matches_in(self, start: int, end: int) -> list[Match]:
        """The lexicon matches that start inside text[start:end] (they are in text order)."""
        if self._match_starts is None:
            self._match_starts = [x.start for x in self.matches]
        return self.matches[bisect_left(self._match_starts, start):bisect_left(self._match_starts, end)]

    def mention(self, start: int, end: int, name, country, sector, kind, entity=None, by=None,
                confidence=None) -> Actor:
        """Add a mention of text[start:end]."""
        return self.add(make_actor(self.text, start, end, name, country, sector, kind, entity, by, confidence))

    def former_before(self, start: int) -> int | None:
        """Where a word saying "no longer" ("former ", "retired ", "ex-") right before `start` begins, or None."""
        m = self.words.former.search(self.text, max(0, start - 40), start)
        return m.start() if m else None

    def awaiting(self, waiting: list[Actor]):
        """The mentions of `waiting` still in `mentions`, in the order they were added."""
        for m in waiting:
            if self.present(m):
                yield m

    def sort_mentions(self) -> None:
        self.mentions.sort(key=lambda a: (a.start, -a.end))
        self.index.renumber(self.mentions)

    @property
    def sent_starts(self) -> list[int]:
        if self._sent_starts is None:
            doc = self.doc
            if doc is not None and len(doc):
                arr = doc.to_array(["SENT_START", "IDX"])  # one array test, not a loop over the tokens
                self._sent_starts = arr[arr[:, 0] == 1, 1].tolist() or [0]
                if self._sent_starts[0] != 0:
                    self._sent_starts.insert(0, 0)
            else:
                self._sent_starts = [0]
        return self._sent_starts

    def sentence_of(self, char: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `char` (the whole text without a Doc)."""
        starts = self.sent_starts
        i = bisect_right(starts, char) - 1
        start = starts[max(i, 0)]
        end = starts[i + 1] if i + 1 < len(starts) else len(self.text)
        return start, end

    def quotation_at(self, char: int) -> tuple[int, int] | None:
        """The span of the quotation ("..." or “...”) holding `char`, if any."""
        if self._quotes is None:
            self._quotes = [(m.start(), m.end()) for m in QUOTATION.finditer(self.text)]
            self._quote_starts = [qs for qs, _ in self._quotes]
        i = bisect_right(self._quote_starts, char) - 1  # quotations do not overlap: only the last one before
        if i >= 0 and char < self._quotes[i][1]:
            return self._quotes[i]
        return None

    def country_near(self, pos: int, end: int | None = None) -> str | None:
        """The country of the place or body named nearest to `pos` in its sentence (not a person's, not an
        international body's), or None. With `end` (where the mention ends), a country named after "and/or/with"
        belongs to the other party ("between <person> and <country>'s minister") and is passed over."""
        s, e = self.sentence_of(pos)
        best, dist = None, None
        for m in self.starting_in(s, e):
            if m.country and m.kind not in PERSON_KINDS and m.kind != "igo" and \
                    m.country not in self.words.igo_codes:
                if end is not None and m.start >= end and self.words.other_party.fullmatch(self.text, end, m.start):
                    continue
                d = abs(m.start - pos)
                if dist is None or d < dist:
                    best, dist = m.country, d
        return best

    def article_cued(self, form: str, decide) -> bool:
        """Whether the article as a whole cues the second reading of `form` (`decide()`, asked once)."""
        if form not in self._article_cues:
            self._article_cues[form] = decide()
        return self._article_cues[form]

    def prev_word(self, pos: int) -> str:
        """The word before `pos` (punctuation between skipped), as written."""
        return prev_word(self.text, pos)


_PREV_WORD = re.compile(r"([\w’']+)\W*$")


def prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text[max(0, pos - 40):pos])
    return m.group(1) if m else ""
