"""Direct quotes on the raw text: the passages between quotation marks, before any parse.

Marks are read on the text, not on tokens, because the tokenizer splits them inconsistently and a quote
may run over several sentences and paragraphs. The styles (quotes/data/quote_marks.tsv) are tried in
order; a passage already inside an earlier passage is left to it (a single-quoted passage inside a
double-quoted one is a quote within the quote, not a quote of its own).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from .rules import default_quote_rules

# (open_mark_start, content_start, content_end, close_mark_end)
Marked = tuple[int, int, int, int]


def find_direct(text: str, styles: Sequence[tuple[re.Pattern, re.Pattern]] | None = None) -> list[Marked]:
    """(open_mark_start, content_start, content_end, close_mark_end) for every quoted passage, in text order.

    A quote whose paragraph ends without a closing mark goes on when the next paragraph opens with the
    same mark (the multi-paragraph convention); otherwise the opening mark is not a quote. Content is
    trimmed of the white space inside the marks; an empty passage is none.
    """
    found: list[Marked] = []
    # the passages found never overlap, so kept sorted (opening marks, closing ends) the one that may hold a
    # position is the last opening at or before it: found by bisection, not by scanning every passage
    opens: list[int] = []
    ends: list[int] = []

    def holds(pos: int) -> bool:  # any(o <= pos < c for o, _, _, c in found)
        k = bisect_right(opens, pos)
        return k > 0 and ends[k - 1] > pos

    def overlaps(start: int, end: int) -> bool:  # any(start < c and o < end for o, _, _, c in found)
        k = bisect_left(opens, end)
        return k > 0 and ends[k - 1] > start

    for opening, closing in styles if styles is not None else default_quote_rules().quote_styles:
        pos = 0
        while True:
            m = opening.search(text, pos)
            if not m:
                break
            if holds(m.start()):
                pos = m.end()
                continue
            close, stop = _closing(text, m, opening, closing)
            if close is None:
                pos = m.end() if stop == -1 else max(m.end(), stop)
                continue
            o, cs, ce, cend = m.start(), m.end(), close.start(), close.end()
            if text[cs:ce].strip() and not overlaps(o, cend):
                while cs < ce and text[cs].isspace():
                    cs += 1
                while ce > cs and text[ce - 1].isspace():
                    ce -= 1
                found.append((o, cs, ce, cend))
                k = bisect_left(opens, o)
                opens.insert(k, o)
                ends.insert(k, cend)
            pos = cend
    found.sort()
    return found


def _closing(text: str, m: re.Match, opening: re.Pattern, closing: re.Pattern) -> tuple[re.Match | None, int]:
    """The closing mark of the passage opened by `m`, looking across paragraph breaks where the next
    paragraph reopens with the same mark; (None, position of the paragraph break that ended the search,
    or -1) when there is none."""
    j = m.end()
    while True:
        close = closing.search(text, j)
        newline = text.find("\n", j)
        if newline != -1 and (close is None or newline < close.start()):
            k = newline
            while k < len(text) and text[k].isspace():
                k += 1
            reopened = opening.match(text, k)
            if reopened and k > newline and text[k] == text[m.start()]:
                j = reopened.end()
                continue
            return None, newline
        return close, newline
