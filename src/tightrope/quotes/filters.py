"""Quotes dropped once all passes have run, because another quote already says the same thing."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from ..records import Quote
from .rules import QuoteRules

# an indirect content overlapping a direct quote by this share of its length is that direct quote
DIRECT_OVERLAP = 0.8


def drop_indirect_copies(quotes: list[Quote]) -> list[Quote]:
    """An indirect content that is (four fifths or more of it) direct quotes is those quotes: the direct
    ones are kept, with their marks and their own attribution. Its own cue and speaker do not count
    ('“...,” Okafor said, “...”' read as one clause around a parenthetical cue is the two passages)."""
    directs = _Spans((q.start, q.end) for q in quotes if q.direct)
    return [q for q in quotes if q.direct or not _mostly_direct(q, directs)]


class _Spans:
    """Spans sorted by start, with the furthest end so far: the ones that may overlap start..end are found by
    bisection (an article's filters cost grows with its length, not its square)."""

    def __init__(self, spans) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach = list(accumulate((e for _, e in self.spans), max))

    def around(self, start: int, end: int) -> list[tuple[int, int]]:
        """A slice holding every span that starts before `end` and ends after `start`, or at `end`/`start`
        (and possibly others: callers test each)."""
        hi = bisect_right(self.starts, end)
        lo = bisect_left(self.reach, start, 0, hi)  # before lo every span ends before `start`
        return self.spans[lo:hi]


def _mostly_direct(q: Quote, directs: _Spans) -> bool:
    own = [(q.cue_start, q.cue_end)] if q.cue_start is not None else []
    if q.speaker is not None:
        own.append((q.speaker.start, q.speaker.end))
    length = (q.end - q.start) - sum(max(0, min(q.end, e) - max(q.start, s)) for s, e in own)
    covered = sum(max(0, min(q.end, e) - max(q.start, s)) for s, e in directs.around(q.start, q.end))
    return length > 0 and covered >= DIRECT_OVERLAP * length


def drop_second_hand(quotes: list[Quote], rules: QuoteRules) -> list[Quote]:
    """Reported speech inside reported speech ("the poll found that 54 percent said they ...", "she said
    that Smith told her ...") is the outer speaker's account: the inner quote, whose speaker and words both
    lie inside another quote's longer content, is dropped; so is an inner cue of the outer speaker's own
    ("he said there does not appear to be ...": "appear" takes his subject, and its content without "does
    not" would say the opposite). Direct quotes are kept (the marks make them speech of their own), and so
    is a denial: it answers what it sits in ("hailing his mediation, a move the ministry dismissed as
    theatre")."""
    by_start = sorted(range(len(quotes)), key=lambda k: (quotes[k].start, k))
    starts = [quotes[k].start for k in by_start]
    reach = list(accumulate((quotes[k].end for k in by_start), max))
    keep = []
    for q in quotes:
        sp = q.speaker
        if not q.direct and sp is not None and rules.cue_kind_of_form(q.cue) != "deny":
            # the quotes that may hold q: opening at or before it, among those reaching its end
            hi = bisect_right(starts, q.start)
            lo = bisect_left(reach, q.end, 0, hi)
            if any(o is not q and o.start <= q.start and q.end <= o.end and o.end - o.start > q.end - q.start
                   and ((o.start <= sp.start and sp.end <= o.end) or _own_inner_cue(q, o))
                   for o in (quotes[k] for k in by_start[lo:hi])):
                continue
        keep.append(q)
    return keep


def _own_inner_cue(inner: Quote, outer: Quote) -> bool:
    """`inner`'s cue lies inside `outer`'s content and its speaker is outer's (the same source phrase)."""
    return (inner.cue_start is not None and outer.start <= inner.cue_start and inner.cue_end <= outer.end
            and outer.speaker is not None and (inner.speaker.start, inner.speaker.end) == (outer.speaker.start,
                                                                                         outer.speaker.end))
