"""One attribution per statement: the fragments the passes found, joined into the statements they belong to.

The passes find quotes piece by piece: a split quote ("“...,” she said, “...”") is two passages; a statement
reported in the reporter's words with a few of the speaker's own words in quotation marks is an indirect
content and one or more direct fragments. A reader counts one statement, so the pieces are joined:

1. a quoted passage inside an indirect content is part of it when it is the same speaker's (or of no
   speaker of its own), or when its own cue lies inside that content: the indirect quote stays, and is
   now `mixed`;
2. consecutive quotes of the same speaker are one statement when they share their cue: a split quote
   ("“...,” she said, “...”"), or a passage that carries the cue of the one before ('“...,” she said.
   “...”'). Quotes with cues of their own ('“...,” she said, adding that ...') are separate speech acts, as
   attribution corpora count them (PolNeAR marks one relation per cue: of 143 pairs of consecutive quotes
   of one speaker with nothing but their attributions between them, 20 were one relation there).

Every quote gets its `kind`: direct (all between quotation marks), partial (quoted fragments set in the
reporter's sentence: 'called the plan “a disgrace”'), indirect (no quotation marks) or mixed (both).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

from ..actors.same import same_actor
from ..records import Actor, Quote
from .context import QuoteContext

# the words that join the parts of one statement in its `text`
PART_JOINER = " … "

_WORD = re.compile(r"\w+")


def statements(ctx: QuoteContext, quotes: Sequence[Quote]) -> list[Quote]:
    """`quotes` (in text order) joined into statements, each with its kind and parts, in text order."""
    for q in quotes:
        q.parts = q.parts or [(q.start, q.end)]
        if len(q.parts) == 1:
            q.kind = _kind_of_part(ctx, q)
    joined = _absorb_fragments(ctx.text, list(quotes))
    out: list[Quote] = []
    for q in joined:
        prev = out[-1] if out else None
        if prev is not None and _same_statement(prev, q):
            out[-1] = _join(ctx, prev, q)
        else:
            out.append(q)
    return out


def _kind_of_part(ctx: QuoteContext, q: Quote) -> str:
    """direct, partial, indirect or mixed for one passage."""
    if not q.direct:
        contents, starts = ctx.quoted_contents, ctx.quoted_starts  # by start: those starting inside q, by bisection
        inside = contents[bisect_left(starts, q.start):bisect_right(starts, q.end)]
        return "mixed" if any(ce <= q.end for _, ce in inside) else "indirect"
    return "partial" if _fragment(ctx, q) else "direct"


def _fragment(ctx: QuoteContext, q: Quote) -> bool:
    """A quoted passage set inside the reporter's own sentence ('described it as “a step backwards”'): words
    of the sentence come before the opening mark other than an attribution ending in a colon or a comma, and
    the passage is not a sentence of its own (it opens in lower case or does not end like one)."""
    text = ctx.text
    open_mark = ctx.opening_of.get(q.start, q.start)
    s, _ = ctx.sentences[ctx.sentence_of(open_mark)]
    before = text[s:open_mark].rstrip()
    if not before or before.endswith((":", ",")) or not _WORD.search(before):
        return False
    words = q.text.strip()
    return words[:1].islower() or not re.search(r"[.!?,]\W*$", words)


def _absorb_fragments(text: str, quotes: list[Quote]) -> list[Quote]:
    """Quoted passages inside an indirect content dropped into it, when they are the same speaker's words
    (or of no speaker of their own), or when their own attribution lies inside that content too ('she said
    the country had “agreed” and called it “a big step”': whatever the parser hung the second cue on, it
    is her account)."""
    indirect = [q for q in quotes if not q.direct]
    # the first fitting host in list order, sought among the contents that open at or before q and reach
    # the end of its last word (by bisection: what `_inside` needs), not among all
    by_start = sorted(range(len(indirect)), key=lambda k: (indirect[k].start, k))
    starts = [indirect[k].start for k in by_start]
    reach = list(accumulate((indirect[k].end for k in by_start), max))
    out = []
    for q in quotes:
        host = None
        if q.direct:
            hi = bisect_right(starts, q.start)
            lo = bisect_left(reach, _last_word_end(text, q.end), 0, hi)
            fits = [k for k in by_start[lo:hi] if _inside(text, q, indirect[k]) and (
                q.speaker is None or _same_speaker(indirect[k].speaker, q.speaker)
                or _attributed_inside(q, indirect[k]))]
            host = indirect[min(fits)] if fits else None
        if host is None:
            out.append(q)
        else:
            host.kind = "mixed"
    return out


def _last_word_end(text: str, end: int) -> int:
    """The end of the last word before `end` (0: none): a host ending there or later may hold q (`_inside`)."""
    k = end
    while k > 0 and not _WORD.match(text, k - 1, k):
        k -= 1
    return k


def _inside(text: str, q: Quote, host: Quote) -> bool:
    """q's words lie within host's content (a comma or full stop inside q's marks may pass host's end)."""
    return host.start <= q.start and (q.end <= host.end or not _WORD.search(text, host.end, q.end))


def _attributed_inside(q: Quote, host: Quote) -> bool:
    """q's cue lies inside host's content."""
    return q.cue_start is not None and host.start <= q.cue_start and q.cue_end <= host.end


def _same_speaker(a: Actor | None, b: Actor | None) -> bool:
    return a is not None and b is not None and (same_actor(a, b) or (
        a.name is not None and a.name == b.name and a.country == b.country))


def _same_statement(a: Quote, b: Quote) -> bool:
    """Whether quote `b`, right after `a`, goes on with a's statement: the same speaker and the same cue."""
    return (_same_speaker(a.speaker, b.speaker) and a.cue_start is not None
            and (a.cue_start, a.cue_end) == (b.cue_start, b.cue_end))


def _join(ctx: QuoteContext, a: Quote, b: Quote) -> Quote:
    """a's statement continued by b: a's speaker and cue, both quotes' parts."""
    parts = sorted(a.parts + b.parts)
    kinds = {a.kind, b.kind}
    kind = kinds.pop() if len(kinds) == 1 else (
        "direct" if kinds == {"direct", "partial"} else "mixed")
    speaker = a.speaker if a.speaker is not None and (b.speaker is None or a.speaker.country or not b.speaker.country) \
        else b.speaker
    return Quote(text=PART_JOINER.join(ctx.text[s:e] for s, e in parts), direct=kind in ("direct", "partial"),
                 cue=a.cue if a.cue is not None else b.cue, speaker=speaker, start=parts[0][0], end=parts[-1][1],
                 cue_start=a.cue_start if a.cue is not None else b.cue_start,
                 cue_end=a.cue_end if a.cue is not None else b.cue_end, kind=kind, parts=parts)
