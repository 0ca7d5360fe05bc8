"""What every quote pass reads about one article: its text and Doc, sentences, quotation-mark zones,
actors and rules, and the one way a pass turns spans into a Quote."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from spacy.tokens import Doc

from ..nlp import split_segments
from ..records import Actor, Quote
from .marks import Marked, find_direct
from .phrases import Span, speaker_actor
from .rules import QuoteRules


@dataclass
class QuoteContext:
    doc: Doc
    text: str
    actors: Sequence[Actor]
    rules: QuoteRules
    sentences: list[Span] = field(init=False)
    marked: list[Marked] = field(init=False)  # direct quotes found on the raw text (marks.find_direct)

    def __post_init__(self) -> None:
        self.sentences = sentences(self.doc, self.text)
        self.marked = find_direct(self.text, self.rules.quote_styles)
        # Lookups by position answer with bisection, so that an article's cost grows with its length, not
        # its square (issue 21): the zones by opening mark with the furthest close so far, the sentences
        # by start, the actors by start with the longest mention's length.
        self.quoted_contents = sorted((cs, ce) for _, cs, ce, _ in self.marked)  # the marks' contents, by start
        self.quoted_starts = [cs for cs, _ in self.quoted_contents]
        self.opening_of: dict[int, int] = {}  # a content's start -> its opening mark (the first found)
        for o, cs, _, _ in self.marked:
            self.opening_of.setdefault(cs, o)
        zones = sorted((o, c) for o, _, _, c in self.marked)
        self._zone_opens = [o for o, _ in zones]
        self._zone_reach = list(accumulate((c for _, c in zones), max))
        self._sent_starts = [s for s, _ in self.sentences]
        self._sents_ordered = all(e0 <= s1 for (_, e0), (s1, _) in zip(self.sentences, self.sentences[1:])) \
            and all(s < e for s, e in self.sentences)
        self._actors_ordered = all(a.start <= b.start for a, b in zip(self.actors, self.actors[1:]))
        self._actor_starts = [a.start for a in self.actors] if self._actors_ordered else []
        self._longest_actor = max((a.end - a.start for a in self.actors), default=0)

    def _reach(self, pos: int) -> int:
        """The furthest closing position of the quoted passages that open at or before `pos` (-1: none)."""
        k = bisect_right(self._zone_opens, pos)
        return self._zone_reach[k - 1] if k else -1

    def in_quote(self, pos: int) -> bool:
        """Whether character `pos` lies between quotation marks (the marks included)."""
        return self._reach(pos) > pos

    def inside_marked(self, start: int, end: int) -> bool:
        """Whether start..end lies wholly within one quoted passage (its marks included)."""
        return self._reach(start) >= end

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding character `pos`; a position between sentences (the space after a
        full stop) or past the end counts as the last sentence."""
        if self._sents_ordered:
            k = bisect_right(self._sent_starts, pos) - 1
            if k >= 0 and pos < self.sentences[k][1]:
                return k
        else:
            for k, (s, e) in enumerate(self.sentences):
                if s <= pos < e:
                    return k
        return max(0, len(self.sentences) - 1)

    def actors_within(self, start: int, end: int) -> Sequence[Actor]:
        """The actors that overlap start..end, in the order of `actors` (all of them when they are not
        ordered by start)."""
        if not self._actors_ordered:
            return self.actors
        lo = bisect_left(self._actor_starts, start - self._longest_actor)
        hi = bisect_left(self._actor_starts, end)
        return [a for a in self.actors[lo:hi] if a.end > start]

    def speaker(self, source: Span | None) -> Actor | None:
        if source is None:
            return None
        return speaker_actor(self.text, self.actors_within(*source), source, self.rules)

    def quote(self, content: Span, direct: bool, cue: str | None, source: Span | None,
              cue_span: Span | None) -> Quote:
        """The Quote of content start..end said by whoever `source` stands for, cued by `cue`."""
        start, end = content
        return Quote(text=self.text[start:end], direct=direct, cue=cue, speaker=self.speaker(source),
                     start=start, end=end, cue_start=cue_span[0] if cue_span else None,
                     cue_end=cue_span[1] if cue_span else None, kind="direct" if direct else "indirect",
                     parts=[(start, end)])


def sentences(doc: Doc, text: str) -> list[Span]:
    """The Doc's sentences as character spans; the segmenter's cuts when the Doc has no sentence boundaries."""
    if doc.has_annotation("SENT_START"):
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        if sents:
            return sents
    return split_segments(text)
