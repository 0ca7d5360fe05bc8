"""What every quote pass reads about one article: its text and Doc, sentences, quotation-mark zones,
actors and rules, and the one way a pass turns spans into a Quote."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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
        self._zones = [(o, c) for o, _, _, c in self.marked]

    def in_quote(self, pos: int) -> bool:
        """Whether character `pos` lies between quotation marks (the marks included)."""
        return any(o <= pos < c for o, c in self._zones)

    def inside_marked(self, start: int, end: int) -> bool:
        """Whether start..end lies wholly within one quoted passage (its marks included)."""
        return any(o <= start and end <= c for o, c in self._zones)

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding character `pos`; a position between sentences (the space after a
        full stop) or past the end counts as the last sentence."""
        for k, (s, e) in enumerate(self.sentences):
            if s <= pos < e:
                return k
        return max(0, len(self.sentences) - 1)

    def speaker(self, source: Span | None) -> Actor | None:
        return speaker_actor(self.text, self.actors, source, self.rules)

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
